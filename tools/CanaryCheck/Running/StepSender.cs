using System.Diagnostics;

namespace CanaryDemo.CanaryCheck.Running;

/// <summary>Sends one request and records the answer and its time, or why there was none.</summary>
internal sealed class StepSender(HttpClient client)
{
    private int _requests;

    /// <summary>How many requests were sent so far.</summary>
    public int Requests => _requests;

    public async Task<StepResponse> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _requests);
        var stopwatch = Stopwatch.StartNew();
        try
        {
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
            var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            var elapsed = stopwatch.Elapsed;
            var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
            {
                headers[name] = string.Join(", ", values);
            }

            return StepResponse.Answer((int)response.StatusCode, response.Content.Headers.ContentType?.ToString(), ResponseBody.Read(bytes), headers, elapsed);
        }
        catch (HttpRequestException exception)
        {
            return StepResponse.NoAnswer(exception.Message, stopwatch.Elapsed);
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return StepResponse.NoAnswer($"no answer within {client.Timeout.TotalSeconds:0} s", stopwatch.Elapsed);
        }
    }
}
