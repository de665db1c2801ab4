using System.Security.Cryptography;
using System.Text;

namespace CanaryDemo.StoreService.Items;

/// <summary>Item ids: UUIDv7 for plain creates, a name-based UUID for creates with an idempotency key.</summary>
internal static class ItemIds
{
    // Namespace of the name-based ids; changing it would break retries across a deployment.
    private static readonly byte[] IdempotentCreateNamespace =
        Guid.Parse("6f1d3c1e-7a52-4d0b-9b7e-5c2f0c9a8e41").ToByteArray(bigEndian: true);

    public static Guid NewId(TimeProvider time) => Guid.CreateVersion7(time.GetUtcNow());

    /// <summary>
    /// RFC 9562 name-based UUID (version 8, SHA-256) of tenant and key: a retried create computes
    /// the same id, so the conditional put itself detects the retry without a transaction.
    /// </summary>
    public static Guid FromIdempotencyKey(long tenantId, string idempotencyKey)
    {
        var name = Encoding.UTF8.GetBytes($"{tenantId}\n{idempotencyKey}");
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData([.. IdempotentCreateNamespace, .. name], hash);
        hash[6] = (byte)((hash[6] & 0x0F) | 0x80); // version 8
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80); // RFC 9562 variant
        return new Guid(hash[..16], bigEndian: true);
    }

    public static string Format(Guid id) => id.ToString("D");

    /// <summary>
    /// Exactly the 36 characters of the 8-4-4-4-12 form. Hex digits of either case name the same
    /// id (RFC 9562, section 4: "case insensitive on input"); surrounding white space, which
    /// <see cref="Guid.TryParseExact(string, string, out Guid)"/> would trim, is refused.
    /// </summary>
    public static bool TryParse(string text, out Guid id)
    {
        id = default;
        return text.Length == 36 && Guid.TryParseExact(text, "D", out id);
    }
}
