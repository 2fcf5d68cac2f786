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

    [Fact(Timeout = TestLimits.TimeoutMs)]
    public async Task openapi_document_describes_the_status_read_with_its_answers()
    {
        var doc = await Api.Http.GetFromJsonAsync<JsonElement>("/openapi/v1.json", TestContext.Current.CancellationToken);
        Assert.True(doc.GetProperty("paths").TryGetProperty("/v1/notifications/{eventId}", out var path));
        var get = path.GetProperty("get");
        Assert.Equal("GetNotificationStatus", get.GetProperty("operationId").GetString());
        Assert.Contains("notification", get.GetProperty("summary").GetString(), StringComparison.Ordinal);
        Assert.Contains("partially_delivered", get.GetProperty("description").GetString(), StringComparison.Ordinal);
        var responses = get.GetProperty("responses");
        foreach (var status in new[] { "200", "400", "401", "404", "503" })
        {
            Assert.True(responses.TryGetProperty(status, out _), $"response {status} documented");
        }

        var ok = responses.GetProperty("200").GetProperty("content").GetProperty("application/json").GetProperty("schema");
        Assert.Equal("#/components/schemas/NotificationStatus", ok.GetProperty("$ref").GetString());
        var properties = doc.GetProperty("components").GetProperty("schemas").GetProperty("NotificationStatus").GetProperty("properties");
        foreach (var name in new[] { "eventId", "userId", "category", "sourceService", "requestedAt", "state", "request", "targets" })
        {
            Assert.True(properties.TryGetProperty(name, out _), $"NotificationStatus.{name} documented");
        }
    }
}
