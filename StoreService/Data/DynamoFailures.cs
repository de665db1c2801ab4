using System.Net;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;
using Amazon.Runtime.Internal.Transform;
using CanaryDemo.ServiceDefaults;

namespace CanaryDemo.StoreService.Data;

/// <summary>What a failed DynamoDB request tells about its effect, and whether trying again can help.</summary>
internal enum DynamoFailure
{
    /// <summary>Nothing was applied and another attempt may succeed: no connection was made, or DynamoDB throttled.</summary>
    NotAppliedRetryable,

    /// <summary>Nothing was applied and trying again now will not help: the table does not exist.</summary>
    NotApplied,

    /// <summary>The request was sent and no usable answer came back: a timeout, a lost connection, a server error.</summary>
    MaybeApplied,

    /// <summary>DynamoDB refused the request itself (validation, permissions): a bug or a misconfiguration, not an outage.</summary>
    Refused,
}

internal static class DynamoFailures
{
    /// <param name="exception">What one SDK call threw (the SDK makes one HTTP request per call).</param>
    public static DynamoFailure Classify(Exception exception) => exception switch
    {
        _ when OutboundConnections.NeverConnected(exception) => DynamoFailure.NotAppliedRetryable,
        ProvisionedThroughputExceededException or RequestLimitExceededException => DynamoFailure.NotAppliedRetryable,
        AmazonServiceException { ErrorCode: "ThrottlingException" } => DynamoFailure.NotAppliedRetryable,
        ResourceNotFoundException => DynamoFailure.NotApplied,
        // DynamoDB answered, but the answer could not be read: the request was processed.
        AmazonUnmarshallingException => DynamoFailure.MaybeApplied,
        // A server error does not prove that the write did not happen.
        AmazonServiceException { StatusCode: >= HttpStatusCode.InternalServerError } => DynamoFailure.MaybeApplied,
        AmazonServiceException { StatusCode: >= HttpStatusCode.BadRequest } => DynamoFailure.Refused,
        // Timeouts, cancellation, resets, responses cut short, and anything else the client threw.
        _ => DynamoFailure.MaybeApplied,
    };

    /// <summary>True for failures that mean "DynamoDB cannot serve right now" rather than a bug.</summary>
    public static bool IsOutage(Exception exception) => Classify(exception) != DynamoFailure.Refused;
}
