using System.Security.Cryptography;
using System.Text;

namespace CanaryDemo.StoreService.Data;

/// <summary>
/// Where an inventory idempotency key is remembered on the item: a map of <see cref="SlotCount"/>
/// slots, the slot chosen by the key's hash. The conditional update that applies a change checks
/// and fills the key's slot in the same request, so a retry is detected without a read or a
/// transaction. A later key that hashes to the same slot replaces the older one, which bounds the
/// map at <see cref="SlotCount"/> keys.
/// </summary>
internal static class InventoryKeySlots
{
    public const int SlotCount = 32;

    public static string SlotOf(string idempotencyKey)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(idempotencyKey), hash);
        return $"k{hash[0] % SlotCount:00}";
    }
}
