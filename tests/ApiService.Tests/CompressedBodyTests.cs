using System.IO.Compression;
using System.Net;
using System.Text;
using CanaryDemo.ApiService.Tests.Infrastructure;

namespace CanaryDemo.ApiService.Tests;

/// <summary>
/// Request bodies are taken uncompressed only: a compressed one is refused with 415 problem details
/// that name its Content-Encoding and an <c>Accept-Encoding: identity</c> answer (RFC 9110 §15.5.16),
/// before anything is read or sent to the store; it is never mistaken for malformed JSON.
/// </summary>
public sealed class CompressedBodyTests(ApiStack stack) : IClassFixture<ApiStack>
{
    private const string Create = """{"name":"Pen","price":1.5,"category":"books"}""";
    private const string Update = """{"name":"Pen","price":1.5,"category":"books","status":"active"}""";
    private const string Inventory = """{"quantity_change":1}""";

    public static TheoryData<string, string, string, string> CompressedBodies => new()
    {
        { "POST", "/api/v1/items", Create, "gzip" },
        { "POST", "/api/v1/items", Create, "br" },
        { "PUT", "/api/v1/items/" + RawRequests.ItemId, Update, "gzip" },
        { "PATCH", "/api/v1/items/" + RawRequests.ItemId + "/inventory", Inventory, "br" },
        // A coding this API never names: still refused by name, not read as JSON.
        { "POST", "/api/v1/items", Create, "zstd" },
    };

    [Theory]
    [MemberData(nameof(CompressedBodies))]
    public async Task A_compressed_body_is_415_naming_the_encoding_and_never_reaches_the_store(string method, string path, string json, string encoding)
    {
        var tenant = ApiStack.NewTenant();
        using var request = Request(method, path, tenant, Encode(json, encoding), encoding);

        using var response = await stack.Client.SendAsync(request);

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.UnsupportedMediaType, "unsupported-content-encoding");
        Assert.Contains($"'{encoding}'", problem.GetProperty("detail").GetString());
        Assert.Equal(["identity"], response.Headers.GetValues("Accept-Encoding"));
        Assert.Empty(stack.Store.CallsFor(tenant));
    }

    [Fact]
    public async Task Two_codings_are_refused_with_both_named()
    {
        var tenant = ApiStack.NewTenant();
        using var request = Request("POST", "/api/v1/items", tenant, Encode(Encode(Create, "gzip"), "br"), "gzip, br");

        using var response = await stack.Client.SendAsync(request);

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.UnsupportedMediaType, "unsupported-content-encoding");
        Assert.Contains("'gzip, br'", problem.GetProperty("detail").GetString());
        Assert.Empty(stack.Store.CallsFor(tenant));
    }

    [Fact]
    public async Task Identity_is_no_compression_and_is_accepted()
    {
        var tenant = ApiStack.NewTenant();
        using var request = Request("POST", "/api/v1/items", tenant, Encoding.UTF8.GetBytes(Create), "identity");

        using var response = await stack.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Single(stack.Store.CallsFor(tenant));
    }

    [Fact]
    public async Task An_endpoint_without_a_body_ignores_the_header()
    {
        var tenant = ApiStack.NewTenant();
        using var request = Request("DELETE", "/api/v1/items/" + RawRequests.ItemId, tenant, Encode("{}", "gzip"), "gzip");

        using var response = await stack.Client.SendAsync(request);

        Assert.NotEqual(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Single(stack.Store.CallsFor(tenant));
    }

    private static HttpRequestMessage Request(string method, string path, long tenant, byte[] body, string encoding)
    {
        var request = RawRequests.Create(new HttpMethod(method), path, tenant);
        request.Content = new ByteArrayContent(body);
        request.Content.Headers.ContentType = new("application/json");
        request.Content.Headers.TryAddWithoutValidation("Content-Encoding", encoding);
        return request;
    }

    private static byte[] Encode(string json, string encoding) => Encode(Encoding.UTF8.GetBytes(json), encoding);

    /// <summary>
    /// The body as a client would compress it. .NET has no zstd: such a body goes as plain JSON,
    /// which would be read and accepted if the header were ignored.
    /// </summary>
    private static byte[] Encode(byte[] body, string encoding)
    {
        if (encoding is not ("gzip" or "br"))
        {
            return body;
        }

        using var output = new MemoryStream();
        using (Stream compressor = encoding == "gzip"
            ? new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true)
            : new BrotliStream(output, CompressionLevel.Fastest, leaveOpen: true))
        {
            compressor.Write(body);
        }

        return output.ToArray();
    }
}
