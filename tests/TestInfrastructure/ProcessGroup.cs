namespace CanaryDemo.Testing;

/// <summary>
/// What a fixture starts one after another (a local DynamoDB, the services on it, in-process hosts),
/// stopped in the reverse order, so nothing stops while something started on it still runs.
/// </summary>
public sealed class ProcessGroup : IAsyncDisposable
{
    private readonly List<IAsyncDisposable> _started = [];

    /// <summary>
    /// Runs <paramref name="start"/>; when it fails, stops what it had started and rethrows: xunit does
    /// not dispose a fixture whose start failed, and its processes must not outlive the run.
    /// </summary>
    public async Task StartAsync(Func<Task> start)
    {
        try
        {
            await start();
        }
        catch
        {
            await DisposeAsync();
            throw;
        }
    }

    /// <summary>Keeps <paramref name="started"/>, to be stopped before everything added earlier.</summary>
    public T Add<T>(T started)
        where T : IAsyncDisposable
    {
        _started.Add(started);
        return started;
    }

    /// <summary>Waits for <paramref name="starting"/> and keeps what it started (<see cref="Add"/>).</summary>
    public async Task<T> AddAsync<T>(Task<T> starting)
        where T : IAsyncDisposable => Add(await starting);

    /// <summary>
    /// Puts <paramref name="replacement"/> (e.g. a process started again) in the place of
    /// <paramref name="stopped"/>, so it is stopped in that place.
    /// </summary>
    public T Replace<T>(T stopped, T replacement)
        where T : IAsyncDisposable
    {
        var index = _started.IndexOf(stopped);
        if (index < 0)
        {
            throw new InvalidOperationException("Only what this group started can be replaced.");
        }

        _started[index] = replacement;
        return replacement;
    }

    public async ValueTask DisposeAsync()
    {
        for (var index = _started.Count - 1; index >= 0; index--)
        {
            await _started[index].DisposeAsync();
            _started.RemoveAt(index);
        }
    }
}
