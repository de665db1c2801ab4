using System.ComponentModel.DataAnnotations;

namespace CanaryDemo.StoreService.Configuration;

/// <summary>Accepts base64 text that decodes to at least <paramref name="minimumBytes"/> bytes.</summary>
[AttributeUsage(AttributeTargets.Property)]
internal sealed class Base64KeyAttribute(int minimumBytes) : ValidationAttribute
{
    public int MinimumBytes { get; } = minimumBytes;

    public override bool IsValid(object? value)
    {
        if (value is not string text || text.Length == 0)
        {
            return true; // [Required] reports a missing key.
        }

        var buffer = new byte[text.Length];
        return Convert.TryFromBase64String(text, buffer, out var length) && length >= MinimumBytes;
    }
}
