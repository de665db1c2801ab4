using System.Net;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;

namespace CanaryDemo.StoreService.Data;

/// <summary>Tells "DynamoDB cannot serve right now" apart from failures that are bugs.</summary>
internal static class DynamoFailures
{
    public static bool IsUnavailable(Exception exception) => exception switch
    {
        ResourceNotFoundException => true, // the table is missing (deleted, or not created yet)
        ProvisionedThroughputExceededException or RequestLimitExceededException or InternalServerErrorException => true,
        AmazonServiceException service => service.StatusCode >= HttpStatusCode.InternalServerError ||
                                           service.ErrorCode is "ThrottlingException" ||
                                           service.InnerException is not null && IsUnavailable(service.InnerException),
        AmazonClientException => true, // no answer at all: connection refused, DNS, credentials
        HttpRequestException or IOException or TimeoutException => true,
        _ => false,
    };
}
