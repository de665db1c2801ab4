using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace CanaryDemo.StoreService.Items;

/// <summary>
/// Digest of everything a create request asks for, stored with items created under an
/// idempotency key: a retry with the same key and body returns the item, another body is refused.
/// </summary>
internal static class CreateFingerprint
{
    public static string Of(NewItem item)
    {
        var fields = item.Fields;
        var canonical = new StringBuilder();
        foreach (var part in (IEnumerable<string>)
                 [
                     fields.Name, fields.Description, fields.Price.ToString("0.00", CultureInfo.InvariantCulture),
                     ((int)fields.Category).ToString(CultureInfo.InvariantCulture),
                     ((int)fields.Status).ToString(CultureInfo.InvariantCulture), fields.Sku,
                     item.InventoryCount.ToString(CultureInfo.InvariantCulture), item.CreatedBy,
                     .. fields.Tags,
                 ])
        {
            // Length prefixes keep ("ab", "c") and ("a", "bc") apart.
            canonical.Append(CultureInfo.InvariantCulture, $"{part.Length}:{part};");
        }

        return Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(canonical.ToString())));
    }
}
