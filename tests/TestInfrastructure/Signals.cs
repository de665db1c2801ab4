using System.Diagnostics;

namespace CanaryDemo.Testing;

public static class Signals
{
    /// <summary>Asks a process to stop the way Kubernetes does (SIGTERM).</summary>
    public static void Terminate(Process process)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill")
        {
            ArgumentList = { "-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) },
        }) ?? throw new InvalidOperationException("kill did not start");
        kill.WaitForExit();
    }
}
