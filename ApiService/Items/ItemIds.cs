using CanaryDemo.ApiService.Requests;

namespace CanaryDemo.ApiService.Items;

/// <summary>Item ids are UUIDs (v7, issued by the store) in the hyphenated form.</summary>
internal static class ItemIds
{
    /// <summary>Returns the id in canonical lower case, or records a field error.</summary>
    public static string Normalize(string id, FieldErrors errors)
    {
        if (Guid.TryParseExact(id, "D", out var guid))
        {
            return guid.ToString("D");
        }

        errors.Add("id", "must be a UUID such as 0190b3c4-5d6e-7f80-9a1b-2c3d4e5f6a7b");
        return id;
    }
}
