using System.Text;
using CanaryDemo.CanaryCheck.Running;

namespace CanaryDemo.CanaryCheck.Tests;

/// <summary>Responses as the sender records them, for the comparison tests.</summary>
internal static class TestResponses
{
    public static StepResponse JsonAnswer(int status, string body, string? route = null, double milliseconds = 1, params (string Name, string Value)[] headers) =>
        Answer(status, "application/json; charset=utf-8", body, route, milliseconds, headers);

    public static StepResponse Answer(int status, string? contentType, string body, string? route = null, double milliseconds = 1, params (string Name, string Value)[] headers)
    {
        var all = headers.ToDictionary(header => header.Name, header => header.Value, StringComparer.OrdinalIgnoreCase);
        if (route is not null)
        {
            all["X-Canary-Route"] = route;
        }

        return StepResponse.Answer(status, contentType, ResponseBody.Read(Encoding.UTF8.GetBytes(body)), all, TimeSpan.FromMilliseconds(milliseconds));
    }
}
