using CanaryDemo.Store.V1;

namespace CanaryDemo.Store.Contracts.Tests;

/// <summary>The one table of enum names, shared by the HTTP API and the stored items.</summary>
public sealed class EnumNamesTests
{
    [Fact]
    public void Every_category_but_unspecified_has_a_name_that_parses_back()
    {
        foreach (var category in Enum.GetValues<ItemCategory>().Where(value => value != ItemCategory.Unspecified))
        {
            var name = ItemEnumNames.Categories.NameOf(category);

            Assert.True(ItemEnumNames.Categories.TryParse(name, out var parsed));
            Assert.Equal(category, parsed);
        }

        Assert.Equal(["electronics", "clothing", "books", "home", "sports"], ItemEnumNames.Categories.Names);
    }

    [Fact]
    public void Every_status_but_unspecified_has_a_snake_case_name()
    {
        Assert.Equal(["active", "inactive", "out_of_stock", "discontinued"], ItemEnumNames.Statuses.Names);
        Assert.Equal("out_of_stock", ItemEnumNames.Statuses.NameOf(ItemStatus.OutOfStock));
        Assert.Equal("active, inactive, out_of_stock, discontinued", ItemEnumNames.Statuses.AllowedNames);
    }

    [Fact]
    public void Unspecified_and_unknown_values_have_no_name()
    {
        Assert.False(ItemEnumNames.Categories.IsKnown(ItemCategory.Unspecified));
        Assert.False(ItemEnumNames.Statuses.IsKnown((ItemStatus)99));
        Assert.Throws<ArgumentOutOfRangeException>(() => ItemEnumNames.Categories.NameOf(ItemCategory.Unspecified));
        Assert.Throws<ArgumentOutOfRangeException>(() => ItemEnumNames.Statuses.NameOf((ItemStatus)99));
    }

    [Theory]
    [InlineData("Electronics")]
    [InlineData("ELECTRONICS")]
    [InlineData("unspecified")]
    [InlineData("item_category_electronics")]
    [InlineData("1")]
    [InlineData("")]
    public void Only_exact_names_parse(string name) =>
        Assert.False(ItemEnumNames.Categories.TryParse(name, out _));
}
