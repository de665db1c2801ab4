using Google.Protobuf;
using Grpc.Core;

namespace CanaryDemo.StoreService.Grpc;

/// <summary>
/// Binds the store's methods with request parsing that answers INVALID_ARGUMENT for bytes that
/// are no valid message (truncated, a wrong wire type, invalid UTF-8 in a string field). grpc-dotnet
/// parses the request before any interceptor runs and reports a parser exception as UNKNOWN
/// ("Exception was thrown by handler"), but a message the caller got wrong is the caller's bad
/// input. An <see cref="RpcException"/> thrown while parsing becomes the call's status
/// (grpc-dotnet's HttpContextServerCallContext.ProcessHandlerError).
/// </summary>
internal sealed class RequestParsing(ServiceBinderBase binder) : ServiceBinderBase
{
    public override void AddMethod<TRequest, TResponse>(
        Method<TRequest, TResponse> method, UnaryServerMethod<TRequest, TResponse>? handler) =>
        binder.AddMethod(
            new Method<TRequest, TResponse>(method.Type, method.ServiceName, method.Name, Checked(method), method.ResponseMarshaller),
            handler);

    private static Marshaller<TRequest> Checked<TRequest, TResponse>(Method<TRequest, TResponse> method)
    {
        var parse = method.RequestMarshaller.ContextualDeserializer;
        var messageName = typeof(TRequest).Name;
        return new Marshaller<TRequest>(method.RequestMarshaller.ContextualSerializer, context =>
        {
            try
            {
                return parse(context);
            }
            catch (InvalidProtocolBufferException exception)
            {
                throw new RpcException(new Status(
                    StatusCode.InvalidArgument, $"the request is not a valid store.v1.{messageName}: {exception.Message}"));
            }
        });
    }
}
