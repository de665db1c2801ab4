using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;

namespace CanaryDemo.Store.V1;

/// <summary>
/// The names of one enum of the contract: lower snake_case (<c>out_of_stock</c>), the same in the
/// HTTP API and in the stored items. Only the values listed have a name, so UNSPECIFIED and values
/// newer than this build are never written or accepted.
/// </summary>
public sealed class EnumNames<TEnum>
    where TEnum : struct, Enum
{
    private readonly FrozenDictionary<TEnum, string> _nameByValue;
    private readonly FrozenDictionary<string, TEnum> _valueByName;

    internal EnumNames(params (TEnum Value, string Name)[] names)
    {
        _nameByValue = names.ToFrozenDictionary(pair => pair.Value, pair => pair.Name);
        _valueByName = names.ToFrozenDictionary(pair => pair.Name, pair => pair.Value, StringComparer.Ordinal);
        Names = [.. names.Select(pair => pair.Name)];
        AllowedNames = string.Join(", ", Names);
    }

    public IReadOnlyList<string> Names { get; }

    /// <summary>The names, comma separated, for error messages.</summary>
    public string AllowedNames { get; }

    public bool IsKnown(TEnum value) => _nameByValue.ContainsKey(value);

    /// <exception cref="ArgumentOutOfRangeException"><paramref name="value"/> has no name.</exception>
    public string NameOf(TEnum value) => _nameByValue.TryGetValue(value, out var name)
        ? name
        : throw new ArgumentOutOfRangeException(nameof(value), value, $"{typeof(TEnum).Name} {value} has no name.");

    /// <summary>Exact, case-sensitive match.</summary>
    public bool TryParse(string name, [MaybeNullWhen(false)] out TEnum value) => _valueByName.TryGetValue(name, out value);
}

/// <summary>The one table of the contract's enum names.</summary>
public static class ItemEnumNames
{
    public static EnumNames<ItemCategory> Categories { get; } = new(
        (ItemCategory.Electronics, "electronics"),
        (ItemCategory.Clothing, "clothing"),
        (ItemCategory.Books, "books"),
        (ItemCategory.Home, "home"),
        (ItemCategory.Sports, "sports"));

    public static EnumNames<ItemStatus> Statuses { get; } = new(
        (ItemStatus.Active, "active"),
        (ItemStatus.Inactive, "inactive"),
        (ItemStatus.OutOfStock, "out_of_stock"),
        (ItemStatus.Discontinued, "discontinued"));
}
