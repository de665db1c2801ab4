using System.Text.Json.Serialization;
using CanaryDemo.ApiService.Json;

namespace CanaryDemo.ApiService.Items.Contracts;

[JsonConverter(typeof(SnakeCaseEnumConverter<ItemCategory>))]
public enum ItemCategory
{
    Electronics,
    Clothing,
    Books,
    Home,
    Sports,
}
