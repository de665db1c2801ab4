namespace CanaryDemo.EndToEnd.Tests.Infrastructure;

/// <summary>
/// A stack of its own for tests that freeze or stop the local DynamoDB and kill the store, with
/// the DynamoDB on a data folder (the stack's state folder) so it can be started again with its
/// table, and the services on their shipped time budgets: what these tests measure.
/// </summary>
public sealed class FaultStack : IAsyncLifetime
{
    private readonly string _state = Directory.CreateTempSubdirectory("e2e-stack-").FullName;

    public FaultStack() => Stack = new StackFixture { State = _state, ShippedBudgets = true };

    public StackFixture Stack { get; }

    public Task InitializeAsync() => Stack.InitializeAsync();

    public async Task DisposeAsync()
    {
        await Stack.DisposeAsync();
        Directory.Delete(_state, recursive: true);
    }
}
