using System.Text.Json;
using CanaryDemo.CanaryCheck.Json;

namespace CanaryDemo.CanaryCheck.Tests;

public class JsonPathTests
{
    [Theory]
    [InlineData("$")]
    [InlineData("$.id")]
    [InlineData("$.items[0].price")]
    [InlineData("$.errors['tags[1]']")]
    [InlineData("$.errors['X-Tenant-ID'][0]")]
    [InlineData("$['it\\'s']")]
    public void Paths_are_written_as_they_are_read(string text) => Assert.Equal(text, JsonPath.Parse(text).ToString());

    [Fact]
    public void Double_quoted_names_are_read_too() => Assert.Equal("$.errors['a b']", JsonPath.Parse("$.errors[\"a b\"]").ToString());

    [Theory]
    [InlineData("id")]
    [InlineData("$..id")]
    [InlineData("$.items[x]")]
    [InlineData("$.items[0")]
    [InlineData("$['open")]
    [InlineData("$id")]
    public void Anything_else_is_refused(string text) => Assert.Throws<FormatException>(() => JsonPath.Parse(text));

    [Fact]
    public void A_path_selects_its_value_or_nothing()
    {
        using var document = JsonDocument.Parse("""{"items":[{"id":"a","errors":{"tags[1]":["dup"]}}],"n":null}""");
        var root = document.RootElement;
        Assert.True(JsonPath.Parse("$.items[0].id").TrySelect(root, out var id));
        Assert.Equal("a", id.GetString());
        Assert.True(JsonPath.Parse("$.items[0].errors['tags[1]'][0]").TrySelect(root, out var message));
        Assert.Equal("dup", message.GetString());
        Assert.False(JsonPath.Parse("$.items[1]").TrySelect(root, out _));
        Assert.False(JsonPath.Parse("$.items.id").TrySelect(root, out _));
        Assert.False(JsonPath.Parse("$.missing").TrySelect(root, out _));
    }

    [Fact]
    public void A_path_lies_within_its_ancestors_only()
    {
        var field = JsonPath.Root.Member("items").Element(0).Member("id");
        Assert.True(field.IsWithin(JsonPath.Root));
        Assert.True(field.IsWithin(JsonPath.Parse("$.items[0]")));
        Assert.True(field.IsWithin(field));
        Assert.False(field.IsWithin(JsonPath.Parse("$.items[1]")));
        Assert.False(JsonPath.Parse("$.items").IsWithin(field));
        Assert.False(JsonPath.Parse("$.item").IsWithin(JsonPath.Parse("$.items")));
    }
}
