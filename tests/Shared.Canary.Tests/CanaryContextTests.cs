using System.Diagnostics;
using OpenTelemetry;

namespace CanaryDemo.Shared.Canary.Tests;

public class CanaryContextTests
{
    [Fact]
    public void Scope_sets_and_restores_the_ambient_canary_and_baggage()
    {
        Assert.Null(CanaryContext.Current);
        using (CanaryContext.Enter("7"))
        {
            Assert.Equal("7", CanaryContext.Current);
            Assert.Equal("7", Baggage.GetBaggage(CanaryHeaders.BaggageKey));
            using (CanaryContext.Enter("8"))
            {
                Assert.Equal("8", CanaryContext.Current);
            }

            Assert.Equal("7", CanaryContext.Current);
            Assert.Equal("7", Baggage.GetBaggage(CanaryHeaders.BaggageKey));
        }

        Assert.Null(CanaryContext.Current);
        Assert.Null(Baggage.GetBaggage(CanaryHeaders.BaggageKey));
    }

    [Fact]
    public async Task Scope_flows_into_async_continuations_but_not_out_of_them()
    {
        async Task EnterInside()
        {
            using var scope = CanaryContext.Enter("5");
            await Task.Yield();
            Assert.Equal("5", CanaryContext.Current);
        }

        await EnterInside();
        Assert.Null(CanaryContext.Current);
    }

    [Fact]
    public void Scope_tags_the_current_span()
    {
        using var activity = new Activity("request").Start();
        using (CanaryContext.Enter("42"))
        {
            Assert.Equal("42", activity.GetTagItem(CanaryHeaders.SpanAttribute));
            Assert.Equal("42", activity.GetBaggageItem(CanaryHeaders.BaggageKey));
        }

        Assert.Null(activity.GetBaggageItem(CanaryHeaders.BaggageKey));
    }

    [Theory]
    [InlineData("")]
    [InlineData("042")]
    [InlineData("abc")]
    public void Entering_an_invalid_value_is_a_programming_error(string value) =>
        Assert.Throws<ArgumentException>(() => CanaryContext.Enter(value));
}
