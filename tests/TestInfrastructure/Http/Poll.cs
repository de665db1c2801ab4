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
}
