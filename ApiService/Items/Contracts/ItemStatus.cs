using System.Text.Json.Serialization;
using CanaryDemo.ApiService.Json;

namespace CanaryDemo.ApiService.Items.Contracts;

[JsonConverter(typeof(SnakeCaseEnumConverter<ItemStatus>))]
public enum ItemStatus
{
    Active,
    Inactive,
    OutOfStock,
    Discontinued,
}
