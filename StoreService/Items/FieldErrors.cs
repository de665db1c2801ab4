namespace CanaryDemo.StoreService.Items;

/// <summary>Collects every field violation of a request so the caller learns them all at once.</summary>
internal sealed class FieldErrors
{
    private readonly List<FieldError> _errors = [];

    public void Add(string field, string message) => _errors.Add(new FieldError(field, message));

    /// <summary>Throws <see cref="InvalidItemRequest"/> listing every violation, if there is any.</summary>
    public void ThrowIfAny()
    {
        if (_errors.Count > 0)
        {
            throw new InvalidItemRequest(_errors);
        }
    }
}

internal sealed record FieldError(string Field, string Message);
