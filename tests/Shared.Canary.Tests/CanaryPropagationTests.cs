using System.Text.RegularExpressions;
using Google.Protobuf;

namespace CanaryDemo.Shared.Canary.Tests;

public class CanaryPropagationTests(CanaryPipeline pipeline) : IClassFixture<CanaryPipeline>
{
    private Task<(HttpResponseMessage Response, InspectReply Reply)> CallThroughEdge(params string[] canaryValues) =>
        CallThroughEdgeAt("/call", canaryValues);

    private async Task<(HttpResponseMessage Response, InspectReply Reply)> CallThroughEdgeAt(string path, params string[] canaryValues)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (canaryValues.Length > 0)
        {
            request.Headers.TryAddWithoutValidation(CanaryHeaders.HttpHeader, canaryValues);
        }

        var response = await pipeline.Client.SendAsync(request);
        response.EnsureSuccessStatusCode();
        var reply = JsonParser.Default.Parse<InspectReply>(await response.Content.ReadAsStringAsync());
        return (response, reply);
    }

    private static string[] Values(InspectReply reply, string key) =>
        reply.Metadata.Where(e => e.Key == key).Select(e => e.Value).ToArray();

    [Fact]
    public async Task Valid_header_reaches_the_grpc_server_as_metadata_with_other_metadata_kept()
    {
        var (response, reply) = await CallThroughEdge("42");

        Assert.Equal(["42"], response.Headers.GetValues(CanaryHeaders.EchoHeader));
        Assert.Equal(["42"], Values(reply, CanaryHeaders.MetadataKey));
        Assert.Equal(["keep"], Values(reply, CanaryPipeline.CustomMetadataKey));
        Assert.Equal("42", reply.AmbientCanary);
        Assert.Contains(Values(reply, "baggage"), b => Regex.IsMatch(b, @"(^|,)\s*canary\s*=\s*42\s*(,|$)"));
    }

    [Fact]
    public async Task Ambient_canary_replaces_a_stale_value_the_caller_set()
    {
        var (_, reply) = await CallThroughEdgeAt("/call?stale=true", "42");

        Assert.Equal(["42"], Values(reply, CanaryHeaders.MetadataKey));
        Assert.Equal(["keep"], Values(reply, CanaryPipeline.CustomMetadataKey));
    }

    [Theory]
    [InlineData("042")]
    [InlineData("abc")]
    [InlineData("1 2")]
    [InlineData("1234567890")]
    [InlineData("-5")]
    public async Task Invalid_header_is_neither_echoed_nor_forwarded_nor_an_error(string value)
    {
        var (response, reply) = await CallThroughEdge(value);

        Assert.False(response.Headers.Contains(CanaryHeaders.EchoHeader));
        Assert.Equal("", reply.AmbientCanary);
        Assert.Empty(Values(reply, CanaryHeaders.MetadataKey));
        Assert.Empty(Values(reply, "baggage"));
        Assert.Equal(["keep"], Values(reply, CanaryPipeline.CustomMetadataKey));
    }

    [Fact]
    public async Task Several_header_values_are_ignored()
    {
        var (response, reply) = await CallThroughEdge("42", "43");

        Assert.False(response.Headers.Contains(CanaryHeaders.EchoHeader));
        Assert.Equal("", reply.AmbientCanary);
    }

    [Fact]
    public async Task Requests_without_the_header_see_no_canary()
    {
        var (response, reply) = await CallThroughEdge();

        Assert.False(response.Headers.Contains(CanaryHeaders.EchoHeader));
        Assert.Equal("", reply.AmbientCanary);
        Assert.Equal("none", await pipeline.Client.GetStringAsync("/ambient"));
    }

    [Theory]
    [InlineData("/call", "42")]
    [InlineData("/call", null)]
    [InlineData("/call", "042")]
    [InlineData("/call?fail=true", "42")]
    [InlineData("/no-such-path", "42")]
    public async Task Every_response_varies_by_the_canary_header(string path, string? canaryValue)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (canaryValue is not null)
        {
            request.Headers.Add(CanaryHeaders.HttpHeader, canaryValue);
        }

        using var response = await pipeline.Client.SendAsync(request);

        Assert.Contains(CanaryHeaders.HttpHeader, response.Headers.Vary);
    }
}
