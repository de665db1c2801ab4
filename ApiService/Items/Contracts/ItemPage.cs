namespace CanaryDemo.ApiService.Items.Contracts;

/// <summary>One page of a listing; <c>next_page_token</c> is null on the last page.</summary>
public sealed record ItemPage(IReadOnlyList<ItemResponse> Items, string? NextPageToken);
