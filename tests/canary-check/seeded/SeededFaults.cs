using System.Text;
using System.Text.Json.Nodes;

namespace CanaryDemo.ApiService;

/// <summary>
/// Faults for the canary check's end-to-end tests, compiled only into the throwaway worktree the
/// tests build their PR tracks from (tests/canary-check/seeded-worktree.mjs), never into the api
/// that ships. Each PR track gets one, keyed on its Canary:Track; stable and every other track
/// run the api unchanged:
///   pr-43  a changed response field: a sale answers previous_count one too high
///   pr-44  a slower read: listing active items takes 150 ms longer
///   pr-45  a server error: listing electronics answers 500
/// </summary>
internal sealed class SeededFaults(RequestDelegate next, IConfiguration configuration)
{
    private readonly string? _track = configuration["Canary:Track"];

    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        switch (_track)
        {
            case "pr-43" when HttpMethods.IsPatch(request.Method) && request.Path.Value?.EndsWith("/inventory", StringComparison.Ordinal) == true:
                await AnswerPreviousCountPlusOneAsync(context);
                return;
            case "pr-44" when HttpMethods.IsGet(request.Method) && request.Query["status"] == "active":
                await Task.Delay(150, context.RequestAborted);
                break;
            case "pr-45" when HttpMethods.IsGet(request.Method) && request.Query["category"] == "electronics":
                context.Response.StatusCode = StatusCodes.Status500InternalServerError;
                context.Response.ContentType = "application/problem+json";
                await context.Response.WriteAsync("""{"type":"about:blank","title":"seeded failure","status":500}""", context.RequestAborted);
                return;
        }

        await next(context);
    }

    private async Task AnswerPreviousCountPlusOneAsync(HttpContext context)
    {
        var original = context.Response.Body;
        using var buffer = new MemoryStream();
        context.Response.Body = buffer;
        try
        {
            await next(context);
        }
        finally
        {
            context.Response.Body = original;
        }

        var body = buffer.ToArray();
        if (context.Response.StatusCode == StatusCodes.Status200OK && JsonNode.Parse(body) is JsonObject answer && answer["previous_count"] is JsonValue count)
        {
            answer["previous_count"] = count.GetValue<long>() + 1;
            body = Encoding.UTF8.GetBytes(answer.ToJsonString());
        }

        context.Response.ContentLength = body.Length;
        await original.WriteAsync(body, context.RequestAborted);
    }
}
