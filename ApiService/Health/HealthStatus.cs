namespace CanaryDemo.ApiService.Health;

/// <summary>The original example's <c>GET /health</c> body: <c>{"status":"healthy"}</c>.</summary>
public sealed record HealthStatus(string Status);
