using CanaryDemo.CanaryCheck.Scenarios;
using static CanaryDemo.CanaryCheck.Tests.TestResponses;

namespace CanaryDemo.CanaryCheck.Tests;

public class CaptureTests
{
    private static readonly Running.StepResponse Created = JsonAnswer(
        201, """{"id":"0190b3c4","version":1,"tags":["a"],"next_page_token":null,"item":{"price":12.50}}""", headers: [("ETag", "\"1\"")]);

    [Theory]
    [InlineData("$.id", "0190b3c4", "\"0190b3c4\"")]
    [InlineData("$.version", "1", "1")]
    [InlineData("$.item.price", "12.50", "12.50")]
    [InlineData("$.tags", "[\"a\"]", "[\"a\"]")]
    [InlineData("header:ETag", "\"1\"", "\"\\\"1\\\"\"")]
    [InlineData("header: etag", "\"1\"", "\"\\\"1\\\"\"")]
    public void A_capture_reads_a_body_path_or_a_header_as_text_and_as_JSON(string source, string text, string json)
    {
        Assert.True(Capture.Parse("v", source).TryRead(Created, out var value));
        Assert.Equal((text, json), (value.Text, value.Json));
    }

    [Theory]
    [InlineData("$.missing")]
    [InlineData("$.next_page_token")]
    [InlineData("$.tags[3]")]
    [InlineData("header:Location")]
    public void Nothing_there_or_null_is_no_value(string source) => Assert.False(Capture.Parse("v", source).TryRead(Created, out _));

    [Fact]
    public void A_body_that_is_no_JSON_has_no_paths() =>
        Assert.False(Capture.Parse("v", "$.id").TryRead(Answer(200, "text/plain", "id=1"), out _));
}
