using System.Runtime.ExceptionServices;
using Amazon.DynamoDBv2.Model;
using CanaryDemo.StoreService.Configuration;
using Microsoft.Extensions.Options;

namespace CanaryDemo.StoreService.Data;

/// <summary>
/// Sends the DynamoDB requests of one store call within its budget
/// (<see cref="StoreOptions.OperationTimeout"/>), each request bounded by
/// <see cref="StoreOptions.AttemptTimeout"/>. It decides what a failure means:
/// <list type="bullet">
/// <item>a read is retried while the budget still holds a whole attempt, then is <see cref="StoreUnavailable"/>;</item>
/// <item>a write is retried only when it cannot have been applied (no connection, throttled),
/// and a write that was sent without an answer is <see cref="WriteOutcomeUnknown"/>, never retried.</item>
/// </list>
/// A condition that failed is an answer, not a failure: it reaches the caller unchanged, as does
/// the cancellation of the call itself (its caller went away or its deadline passed).
/// </summary>
internal sealed class DynamoRequests(IOptions<StoreOptions> options, TimeProvider time)
{
    private const int MaxAttempts = 3;
    private static readonly TimeSpan FirstBackoff = TimeSpan.FromMilliseconds(20);

    private readonly TimeSpan _attemptTimeout = options.Value.AttemptTimeout;
    private readonly TimeSpan _operationTimeout = options.Value.OperationTimeout;

    /// <summary>Starts the budget of one store call.</summary>
    public Operation Start(CancellationToken callCancelled) => new(this, time.GetTimestamp(), callCancelled);

    internal readonly struct Operation(DynamoRequests owner, long started, CancellationToken callCancelled)
    {
        /// <summary>Whether the call's budget still holds a whole attempt for another request.</summary>
        public bool HasRoomForAnotherRequest => owner.Remaining(started) >= owner._attemptTimeout;

        public Task<T> ReadAsync<T>(Func<CancellationToken, Task<T>> send) => owner.SendAsync(send, started, callCancelled, isWrite: false);

        public Task<T> WriteAsync<T>(Func<CancellationToken, Task<T>> send) => owner.SendAsync(send, started, callCancelled, isWrite: true);
    }

    private TimeSpan Remaining(long started) => _operationTimeout - time.GetElapsedTime(started);

    private async Task<T> SendAsync<T>(
        Func<CancellationToken, Task<T>> send, long started, CancellationToken callCancelled, bool isWrite)
    {
        for (var attempt = 1; ; attempt++)
        {
            var remaining = Remaining(started);
            if (remaining <= TimeSpan.Zero)
            {
                // Earlier requests of this call used the budget up; this one is not sent.
                throw new StoreUnavailable(new TimeoutException($"the call's {_operationTimeout.TotalMilliseconds} ms budget is used up"));
            }

            using var attemptTimeout = CancellationTokenSource.CreateLinkedTokenSource(callCancelled);
            attemptTimeout.CancelAfter(remaining < _attemptTimeout ? remaining : _attemptTimeout);
            Exception failure;
            try
            {
                return await send(attemptTimeout.Token);
            }
            catch (Exception exception) when (exception is not ConditionalCheckFailedException && !callCancelled.IsCancellationRequested)
            {
                failure = exception;
            }

            var kind = DynamoFailures.Classify(failure);
            if (kind == DynamoFailure.Refused)
            {
                ExceptionDispatchInfo.Throw(failure);
            }

            if (isWrite && kind == DynamoFailure.MaybeApplied)
            {
                throw new WriteOutcomeUnknown(failure);
            }

            var backoff = FirstBackoff * (1 << (attempt - 1));
            var retryable = kind != DynamoFailure.NotApplied && attempt < MaxAttempts;
            if (!retryable || Remaining(started) - backoff < _attemptTimeout)
            {
                throw new StoreUnavailable(failure);
            }

            await Task.Delay(backoff, time, callCancelled);
        }
    }
}
