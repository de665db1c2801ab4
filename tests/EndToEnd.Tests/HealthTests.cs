using System.Net;
using CanaryDemo.EndToEnd.Tests.Infrastructure;

namespace CanaryDemo.EndToEnd.Tests;

[Collection(StackCollection.Name)]
public sealed class HealthTests(StackFixture stack)
{
    [Fact]
    [Trait("Category", "Smoke")]
    public async Task Health_liveness_and_readiness_are_up_while_the_store_serves()
    {
        using var health = await stack.Client.GetAsync("/health");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal("""{"status":"healthy"}""", await health.Content.ReadAsStringAsync());

        using var live = await stack.Client.GetAsync("/healthz/live");
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);

        using var ready = await stack.Client.GetAsync("/healthz/ready");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
    }
}
