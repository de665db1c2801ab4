using System.ComponentModel.DataAnnotations;

namespace CanaryDemo.StoreService.Configuration;

/// <summary>Accepts an empty value or an absolute http/https URL.</summary>
[AttributeUsage(AttributeTargets.Property)]
internal sealed class AbsoluteHttpUrlAttribute : ValidationAttribute
{
    public override bool IsValid(object? value) =>
        value is not string text || text.Length == 0 ||
        (Uri.TryCreate(text, UriKind.Absolute, out var uri) &&
         (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps));
}
