namespace CanaryDemo.CanaryCheck.Running;

/// <summary>The check cannot give a verdict (exit code 2): stable unreachable, a scenario that does not fit, a failed token command.</summary>
internal sealed class CheckCannotRunException : Exception
{
    public CheckCannotRunException(string message)
        : base(message)
    {
    }

    public CheckCannotRunException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public CheckCannotRunException()
    {
    }
}
