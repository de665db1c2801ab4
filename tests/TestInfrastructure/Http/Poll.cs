using System.Net;

namespace CanaryDemo.Testing.Http;

public static class Poll
{
    /// <summary>Repeats a request every 100 ms until it succeeds or 10 s have passed; returns the last status.</summary>
    public static async Task<HttpStatusCode> UntilSuccessAsync(Func<Task<HttpResponseMessage>> send)
    {
        var until = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            using var response = await send();
            if (response.IsSuccessStatusCode || DateTime.UtcNow > until)
            {
                return response.StatusCode;
            }

            await Task.Delay(100);
        }
    }

    /// <summary>
    /// Reads every 300 ms until two reads in a row have the same <paramref name="version"/> (at
    /// most 10 s): writes that were answered "may have been applied" can still be queued in the
    /// engine when their callers hear back. Returns the last value read.
    /// </summary>
    public static async Task<T> UntilSettledAsync<T>(Func<Task<T>> read, Func<T, long> version)
    {
        var until = DateTime.UtcNow.AddSeconds(10);
        var last = await read();
        while (true)
        {
            await Task.Delay(300);
            var value = await read();
            if (version(value) == version(last) || DateTime.UtcNow > until)
            {
                return value;
            }

            last = value;
        }
    }
}
