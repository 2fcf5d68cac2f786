using System.Net.Http.Json;
using System.Text.Json;
using Streaming.Testing;

namespace Streaming.Producers.Tests;

/// <summary>The published OpenAPI document.</summary>
public sealed class OpenApiDocumentTests(LocalStackFixture fx) : ApiTest(fx)
{
    [Fact(Timeout = TestLimits.TimeoutMs)]
    public async Task openapi_document_describes_every_endpoint()
    {
        var doc = await Api.Http.GetFromJsonAsync<JsonElement>("/openapi/v1.json", TestContext.Current.CancellationToken);
        var paths = doc.GetProperty("paths");
        Assert.True(paths.TryGetProperty("/v1/notifications", out var send));
        Assert.True(send.TryGetProperty("post", out _));
        Assert.True(paths.TryGetProperty("/v1/users/{userId}/devices/{token}", out var device));
        Assert.True(device.TryGetProperty("delete", out _));
        Assert.True(paths.TryGetProperty("/v1/users/{userId}/preferences", out _));
    }
}
