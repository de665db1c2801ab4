using System.Security.Cryptography;
using System.Text;
using CanaryDemo.Store.V1;

namespace CanaryDemo.StoreService.Paging;

/// <summary>What a list call selects: optional category and status (index queries) and a search term.</summary>
internal sealed record ListFilter(ItemCategory? Category, ItemStatus? Status, string Search)
{
    public const int FingerprintLength = 16;

    /// <summary>Case-insensitive substring of name or description; an empty term matches everything.</summary>
    public bool Matches(Item item) =>
        Search.Length == 0 ||
        item.Name.Contains(Search, StringComparison.OrdinalIgnoreCase) ||
        item.Description.Contains(Search, StringComparison.OrdinalIgnoreCase);

    /// <summary>Digest that binds a page token to this filter (search compared case-insensitively, as it matches).</summary>
    public void WriteFingerprint(Span<byte> destination)
    {
        var canonical = $"{(int?)Category}|{(int?)Status}|{Search.ToUpperInvariant()}";
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(canonical), hash);
        hash[..FingerprintLength].CopyTo(destination);
    }
}
