using System.Globalization;
using System.Text.Json.Nodes;
using CanaryDemo.ApiService.Requests;
using CanaryDemo.Store.V1;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace CanaryDemo.ApiService.Items;

/// <summary>
/// The query of <c>GET /api/v1/items</c>. Search length, page size range and page tokens are the
/// store's to judge; refused here is only what the store's request cannot carry: a category or
/// status name that is not one of ours, a page_size that is no 32-bit integer.
/// </summary>
internal sealed record ListQuery(ItemCategory? Category, ItemStatus? Status, string? Search, int? PageSize, string? PageToken)
{
    /// <summary>Parses the raw query values; every problem becomes a field error named after its parameter.</summary>
    public static ListQuery Parse(string? category, string? status, string? search, string? pageSize, string? pageToken, FieldErrors errors)
    {
        ItemCategory? parsedCategory = null;
        if (category is not null)
        {
            if (ItemEnumNames.Categories.TryParse(category, out var value))
            {
                parsedCategory = value;
            }
            else
            {
                errors.Add("category", $"must be one of {ItemEnumNames.Categories.AllowedNames}");
            }
        }

        ItemStatus? parsedStatus = null;
        if (status is not null)
        {
            if (ItemEnumNames.Statuses.TryParse(status, out var value))
            {
                parsedStatus = value;
            }
            else
            {
                errors.Add("status", $"must be one of {ItemEnumNames.Statuses.AllowedNames}");
            }
        }

        int? parsedPageSize = null;
        if (pageSize is not null)
        {
            if (int.TryParse(pageSize, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var size))
            {
                parsedPageSize = size;
            }
            else
            {
                errors.Add("page_size", "must be a 32-bit integer");
            }
        }

        return new ListQuery(parsedCategory, parsedStatus, search, parsedPageSize, pageToken);
    }

    /// <summary>
    /// The parameters as a client sends them: bound as text so that <see cref="Parse"/> can name a
    /// bad value, they are one of the enum names or a 32-bit integer.
    /// </summary>
    public static Task DescribeParameters(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        foreach (var parameter in operation.Parameters?.OfType<OpenApiParameter>() ?? [])
        {
            parameter.Schema = parameter.Name switch
            {
                "category" => EnumOf(ItemEnumNames.Categories.Names),
                "status" => EnumOf(ItemEnumNames.Statuses.Names),
                "page_size" => new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32" },
                _ => parameter.Schema,
            };
        }

        return Task.CompletedTask;
    }

    private static OpenApiSchema EnumOf(IReadOnlyList<string> names) =>
        new() { Type = JsonSchemaType.String, Enum = [.. names.Select(name => (JsonNode)name)] };
}
