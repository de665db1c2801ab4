using System.Text.Json;
using System.Text.Json.Serialization;

namespace CanaryDemo.ApiService.Json;

/// <summary>
/// Enums as lower snake_case strings (<c>out_of_stock</c>); numbers and unknown names are
/// rejected, so a typo is a 400 and never silently becomes the enum's default.
/// </summary>
internal sealed class SnakeCaseEnumConverter<TEnum>() : JsonStringEnumConverter<TEnum>(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false)
    where TEnum : struct, Enum;
