using System.Buffers.Binary;
using System.Buffers.Text;
using System.Security.Cryptography;
using CanaryDemo.Store.V1;
using CanaryDemo.StoreService.Configuration;
using Microsoft.Extensions.Options;

namespace CanaryDemo.StoreService.Paging;

/// <summary>
/// Opaque page tokens: base64url of a small binary payload (format, issue time, tenant, filter
/// digest, position) followed by its HMAC-SHA256. A token is only accepted by the tenant and the
/// filter it was issued for, and only for <see cref="Lifetime"/>.
/// </summary>
internal sealed class PageTokenCodec(IOptions<StoreOptions> options, TimeProvider time)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(24);

    private const byte FormatVersion = 1;
    private const int PayloadLength = 1 + 8 + 8 + ListFilter.FingerprintLength + 16 + 1;
    private const int TokenLength = PayloadLength + HMACSHA256.HashSizeInBytes;
    private const int MaxEncodedLength = 256;

    private readonly byte[] _key = options.Value.PageTokenSigningKeyBytes();

    public string Encode(long tenantId, ListFilter filter, ListPosition position)
    {
        Span<byte> token = stackalloc byte[TokenLength];
        token[0] = FormatVersion;
        BinaryPrimitives.WriteInt64BigEndian(token[1..], time.GetUtcNow().ToUnixTimeSeconds());
        BinaryPrimitives.WriteInt64BigEndian(token[9..], tenantId);
        filter.WriteFingerprint(token[17..]);
        position.ItemId.TryWriteBytes(token[(17 + ListFilter.FingerprintLength)..], bigEndian: true, out _);
        token[PayloadLength - 1] = (byte)position.Category;
        HMACSHA256.HashData(_key, token[..PayloadLength], token[PayloadLength..]);
        return Base64Url.EncodeToString(token);
    }

    /// <summary>The position a valid token continues from, or null with the reason in <paramref name="problem"/>.</summary>
    public ListPosition? Decode(string encoded, long tenantId, ListFilter filter, out string? problem)
    {
        Span<byte> token = stackalloc byte[TokenLength];
        Span<byte> expectedMac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        if (encoded.Length > MaxEncodedLength ||
            !Base64Url.IsValid(encoded) ||
            !Base64Url.TryDecodeFromChars(encoded, token, out var written) ||
            written != TokenLength ||
            token[0] != FormatVersion)
        {
            problem = "is not a valid page token";
            return null;
        }

        HMACSHA256.HashData(_key, token[..PayloadLength], expectedMac);
        if (!CryptographicOperations.FixedTimeEquals(expectedMac, token[PayloadLength..]))
        {
            problem = "is not a valid page token";
            return null;
        }

        Span<byte> fingerprint = stackalloc byte[ListFilter.FingerprintLength];
        filter.WriteFingerprint(fingerprint);
        if (BinaryPrimitives.ReadInt64BigEndian(token[9..]) != tenantId ||
            !fingerprint.SequenceEqual(token.Slice(17, ListFilter.FingerprintLength)))
        {
            problem = "was issued for another tenant or filter";
            return null;
        }

        var issuedAt = DateTimeOffset.FromUnixTimeSeconds(BinaryPrimitives.ReadInt64BigEndian(token[1..]));
        if (time.GetUtcNow() - issuedAt > Lifetime)
        {
            problem = "has expired; list again from the first page";
            return null;
        }

        problem = null;
        var itemId = new Guid(token.Slice(17 + ListFilter.FingerprintLength, 16), bigEndian: true);
        return new ListPosition(itemId, (ItemCategory)token[PayloadLength - 1]);
    }
}
