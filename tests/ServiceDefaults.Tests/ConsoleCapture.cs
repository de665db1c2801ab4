namespace CanaryDemo.ServiceDefaults.Tests;

/// <summary>Console.SetOut is process-wide, so the tests that capture it (<see cref="Testing.ConsoleLogEvents"/>) run alone, after the parallel ones.</summary>
[CollectionDefinition(nameof(ConsoleCapture), DisableParallelization = true)]
public sealed class ConsoleCapture;
