using System.Diagnostics;
using System.Globalization;

namespace CanaryDemo.Testing;

public static class Signals
{
    /// <summary>Asks a process to stop the way Kubernetes does (SIGTERM).</summary>
    /// <remarks>A process that has exited meanwhile is not an error.</remarks>
    public static void Terminate(Process process) => Terminate(process.Id);

    /// <inheritdoc cref="Terminate(Process)"/>
    public static void Terminate(int processId) => Send("TERM", processId);

    /// <summary>Kills a process outright (SIGKILL): no shutdown, its connections are reset.</summary>
    public static void Kill(int processId) => Require(Send("KILL", processId), "KILL", processId);

    /// <summary>Freezes a process (SIGSTOP).</summary>
    public static void Stop(int processId) => Require(Send("STOP", processId), "STOP", processId);

    /// <summary>Lets a frozen process run again (SIGCONT).</summary>
    public static void Continue(int processId) => Require(Send("CONT", processId), "CONT", processId);

    private static int Send(string signal, int processId)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill")
        {
            ArgumentList = { "-" + signal, processId.ToString(CultureInfo.InvariantCulture) },
        }) ?? throw new InvalidOperationException("kill did not start");
        kill.WaitForExit();
        return kill.ExitCode;
    }

    private static void Require(int exitCode, string signal, int processId)
    {
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"kill -{signal} {processId} failed with exit code {exitCode}");
        }
    }
}
