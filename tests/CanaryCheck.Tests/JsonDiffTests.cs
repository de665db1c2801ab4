using System.Text.Json;
using CanaryDemo.CanaryCheck.Json;

namespace CanaryDemo.CanaryCheck.Tests;

public class JsonDiffTests
{
    [Fact]
    public void Equal_documents_have_no_differences_whatever_their_member_order_and_number_notation() =>
        Assert.Empty(Diff("""{"a":1.50,"b":{"c":[1,"x",true,null]}}""", """{"b":{"c":[1.0,"x",true,null]},"a":15e-1}"""));

    [Fact]
    public void A_nested_change_is_reported_at_its_own_path_with_both_values() =>
        Assert.Equal(
            [("$.item.price", "12.5", "12.05")],
            Diff("""{"item":{"name":"a","price":12.5},"previous_count":3}""", """{"item":{"name":"a","price":12.05},"previous_count":3}"""));

    [Fact]
    public void A_missing_or_extra_member_is_absent_on_one_side() =>
        Assert.Equal(
            [("$.gone", "1", "(absent)"), ("$.new", "(absent)", "\"x\"")],
            Diff("""{"gone":1,"kept":2}""", """{"kept":2,"new":"x"}"""));

    [Fact]
    public void Arrays_compare_by_position_so_an_inserted_element_shifts_the_rest() =>
        Assert.Equal(
            [("$.tags[0]", "\"a\"", "\"new\""), ("$.tags[1]", "\"b\"", "\"a\""), ("$.tags[2]", "(absent)", "\"b\"")],
            Diff("""{"tags":["a","b"]}""", """{"tags":["new","a","b"]}"""));

    [Fact]
    public void A_change_of_type_is_one_difference_at_that_path_not_one_per_member() =>
        Assert.Equal(
            [("$.next", "{\"page\":2,\"size\":1}", "null"), ("$.flag", "true", "false")],
            Diff("""{"next":{"page":2,"size":1},"flag":true}""", """{"next":null,"flag":false}"""));

    [Fact]
    public void Numbers_are_exact_decimals_not_doubles() =>
        Assert.Equal([("$.price", "0.1", "0.10000000000000001")], Diff("""{"price":0.1}""", """{"price":0.10000000000000001}"""));

    [Fact]
    public void Names_that_are_no_identifiers_are_quoted_in_the_path() =>
        Assert.Equal(
            [("$.errors['tags[1]'][0]", "\"duplicates another tag\"", "\"is a duplicate\"")],
            Diff("""{"errors":{"tags[1]":["duplicates another tag"]}}""", """{"errors":{"tags[1]":["is a duplicate"]}}"""));

    [Fact]
    public void Different_roots_differ_at_the_root() =>
        Assert.Equal([("$", "[1]", "{}")], Diff("[1]", "{}"));

    private static List<(string, string, string)> Diff(string left, string right)
    {
        using var l = JsonDocument.Parse(left);
        using var r = JsonDocument.Parse(right);
        return JsonDiff.Compare(l.RootElement, r.RootElement)
            .Select(d => (d.Path.ToString(), d.Left is { } a ? JsonText.Of(a) : "(absent)", d.Right is { } b ? JsonText.Of(b) : "(absent)"))
            .ToList();
    }
}
