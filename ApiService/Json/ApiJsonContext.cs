using System.Text.Json.Serialization;
using CanaryDemo.ApiService.Health;
using CanaryDemo.ApiService.Items.Contracts;

namespace CanaryDemo.ApiService.Json;

/// <summary>Source-generated JSON metadata for every HTTP body (no reflection; Native AOT).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    NumberHandling = JsonNumberHandling.Strict,
    AllowDuplicateProperties = false)]
[JsonSerializable(typeof(CreateItemRequest))]
[JsonSerializable(typeof(UpdateItemRequest))]
[JsonSerializable(typeof(InventoryChangeRequest))]
[JsonSerializable(typeof(ItemResponse))]
[JsonSerializable(typeof(ItemPage))]
[JsonSerializable(typeof(InventoryChangeResponse))]
[JsonSerializable(typeof(HealthStatus))]
internal sealed partial class ApiJsonContext : JsonSerializerContext;
