using System.Globalization;
using System.Text.Json;

namespace CanaryDemo.CanaryCheck.Running;

/// <summary>What a run got for one step: an answer, no answer (a transport error or timeout), or nothing sent.</summary>
internal sealed class StepResponse
{
    private StepResponse(
        int? status, string? contentType, ResponseBody? body, IReadOnlyDictionary<string, string> headers, TimeSpan elapsed, string? failure, string? notSent)
    {
        Status = status;
        ContentType = contentType;
        Body = body;
        Headers = headers;
        Elapsed = elapsed;
        Failure = failure;
        NotSent = notSent;
    }

    /// <summary>The HTTP status, null without an answer.</summary>
    public int? Status { get; }

    public string? ContentType { get; }

    public ResponseBody? Body { get; }

    /// <summary>Response and content headers, several values joined with ", ".</summary>
    public IReadOnlyDictionary<string, string> Headers { get; }

    /// <summary>From sending the request to the last byte of the body.</summary>
    public TimeSpan Elapsed { get; }

    /// <summary>Why no answer came (connection refused, timeout, ...).</summary>
    public string? Failure { get; }

    /// <summary>Why the request was not sent (a value it needs was not captured).</summary>
    public string? NotSent { get; }

    public bool Answered => Status is not null;

    /// <summary>No answer, or a 5xx: what a regression is made of.</summary>
    public bool IsServerFailure => Failure is not null || Status >= 500;

    /// <summary>The outcome in a few words, for the report.</summary>
    public string Outcome => Status is { } status ? status.ToString(CultureInfo.InvariantCulture)
        : Failure is not null ? $"no answer ({Failure})"
        : $"not sent ({NotSent})";

    public static StepResponse Answer(int status, string? contentType, ResponseBody body, IReadOnlyDictionary<string, string> headers, TimeSpan elapsed) =>
        new(status, contentType, body, headers, elapsed, null, null);

    public static StepResponse NoAnswer(string failure, TimeSpan elapsed) =>
        new(null, null, null, new Dictionary<string, string>(), elapsed, failure, null);

    public static StepResponse Unsent(string reason) =>
        new(null, null, null, new Dictionary<string, string>(), TimeSpan.Zero, null, reason);
}

/// <summary>A response body as text, and as JSON when it parses as JSON.</summary>
internal sealed record ResponseBody(string Text, JsonElement? Json)
{
    public static ResponseBody Read(byte[] bytes)
    {
        JsonElement? json = null;
        if (bytes.Length > 0)
        {
            try
            {
                using var document = JsonDocument.Parse(bytes);
                json = document.RootElement.Clone();
            }
            catch (JsonException)
            {
                // Not JSON: compared as text.
            }
        }

        return new ResponseBody(System.Text.Encoding.UTF8.GetString(bytes), json);
    }
}
