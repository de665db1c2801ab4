using CanaryDemo.CanaryCheck;
using CanaryDemo.CanaryCheck.Analysis;
using CanaryDemo.CanaryCheck.Reports;

// ./scripts/canary-check: stable twice, PR n's canary once, the differences beyond noise, the
// regressions, and a verdict as the exit code (0 same, 3 differs, 1 regression, 2 could not run).
var command = CommandLine.Create(async (options, cancellationToken) =>
{
    try
    {
        var result = await new CanaryChecker(options, Console.Error).RunAsync(cancellationToken);
        var markdown = MarkdownReport.Write(result);
        await Console.Out.WriteAsync(markdown);
        if (options.OutDirectory is { } directory)
        {
            Directory.CreateDirectory(directory);
            await File.WriteAllTextAsync(Path.Combine(directory, "report.md"), markdown, cancellationToken);
            await File.WriteAllTextAsync(Path.Combine(directory, "report.json"), JsonReport.Write(result), cancellationToken);
            await Console.Error.WriteLineAsync($"report: {Path.Combine(directory, "report.md")}, {Path.Combine(directory, "report.json")}");
        }

        return (int)result.Verdict;
    }
    catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or OperationCanceledException)
    {
        await Console.Error.WriteLineAsync($"error: {exception.Message}");
        return (int)Verdict.CouldNotRun;
    }
});

var parsed = command.Parse(args);
if (parsed.Errors.Count > 0)
{
    foreach (var error in parsed.Errors)
    {
        await Console.Error.WriteLineAsync($"error: {error.Message}");
    }

    await Console.Error.WriteLineAsync("usage: ./scripts/canary-check --pr N [--url URL] [--scenario FILE] [--out DIR] (--help for every option)");
    return (int)Verdict.CouldNotRun;
}

return await parsed.InvokeAsync();
