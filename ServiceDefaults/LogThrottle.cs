using System.Collections.Concurrent;

namespace CanaryDemo.ServiceDefaults;

/// <summary>
/// Lets one log event of a kind through per <see cref="Interval"/> and counts the others, so an
/// expected failure that hits every request (a store outage) writes a warning every few seconds
/// with the number it stands for, not one line per request. Kinds are a small fixed set chosen by
/// the code (a failure class), never request data.
/// </summary>
public sealed class LogThrottle(TimeProvider time)
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);

    private readonly ConcurrentDictionary<string, Window> _windows = new(StringComparer.Ordinal);

    /// <summary>
    /// True when an event of <paramref name="kind"/> should be written now; <paramref name="suppressed"/>
    /// is then the number of events of that kind left out since the last one written.
    /// </summary>
    public bool ShouldLog(string kind, out long suppressed)
    {
        var window = _windows.GetOrAdd(kind, _ => new Window());
        var now = time.GetTimestamp();
        lock (window)
        {
            if (window.LastWritten is { } last && time.GetElapsedTime(last, now) < Interval)
            {
                window.Suppressed++;
                suppressed = 0;
                return false;
            }

            window.LastWritten = now;
            suppressed = window.Suppressed;
            window.Suppressed = 0;
            return true;
        }
    }

    private sealed class Window
    {
        public long? LastWritten { get; set; }

        public long Suppressed { get; set; }
    }
}
