using System.Globalization;

namespace CanaryDemo.ApiService.Requests;

/// <summary>The item version as a strong entity tag: <c>"7"</c>.</summary>
internal static class EntityTags
{
    public static string FromVersion(long version) => string.Create(CultureInfo.InvariantCulture, $"\"{version}\"");

    /// <summary>
    /// Reads <c>If-Match</c> into the store's expected_version: absent or <c>*</c> is no
    /// condition; one strong tag holding a version is the condition; anything else (weak tags,
    /// lists, unquoted or non-numeric tags) is a field error, because the store can check one
    /// version only and an ignored precondition would be worse than a refused one.
    /// </summary>
    public static long? ParseIfMatch(string? header, FieldErrors errors)
    {
        if (header is null || header.Trim() == "*")
        {
            return null;
        }

        var tag = header.Trim();
        if (tag.Length >= 3 && tag[0] == '"' && tag[^1] == '"'
            && long.TryParse(tag.AsSpan(1, tag.Length - 2), NumberStyles.None, CultureInfo.InvariantCulture, out var version)
            && version >= 1)
        {
            return version;
        }

        errors.Add(RequestHeaders.IfMatch, "must be * or one strong entity tag from an ETag header, such as \"3\"");
        return null;
    }

    /// <summary>
    /// DELETE and PATCH cannot be made conditional (the store checks versions on update only), so
    /// an If-Match there is refused rather than silently ignored.
    /// </summary>
    public static void RefuseIfMatch(string? header, FieldErrors errors)
    {
        if (header is not null)
        {
            errors.Add(RequestHeaders.IfMatch, "is only supported on PUT");
        }
    }
}
