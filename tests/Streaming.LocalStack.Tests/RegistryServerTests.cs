using System.Net;
using System.Text;
using System.Text.Json;

namespace Streaming.LocalStack.Tests;

/// <summary>The registry as an HTTP server: Confluent's JSON shapes and content types over plain HTTP, and its port after disposal.</summary>
public sealed class RegistryServerTests : RegistryTest
{
    [Fact(Timeout = TimeoutMs)]
    public async Task rest_answers_use_confluent_json_shapes_and_content_types()
    {
        using var http = new HttpClient { BaseAddress = Registry.Url };
        var ct = TestContext.Current.CancellationToken;

        using var health = await http.GetAsync(new Uri("", UriKind.Relative), ct);
        Assert.Equal("{}", await health.Content.ReadAsStringAsync(ct));

        // Plain application/json bodies are accepted as well as Confluent's vendor type.
        var body = JsonSerializer.Serialize(new { schema = TestSchemas.UserV1 });
        using var registered = await http.PostAsync(new Uri("subjects/users-value/versions", UriKind.Relative), new StringContent(body, Encoding.UTF8, "application/json"), ct);
        Assert.Equal(HttpStatusCode.OK, registered.StatusCode);
        Assert.Equal("application/vnd.schemaregistry.v1+json", registered.Content.Headers.ContentType?.MediaType);
        using (var doc = JsonDocument.Parse(await registered.Content.ReadAsStringAsync(ct)))
        {
            Assert.Equal(1, doc.RootElement.GetProperty("id").GetInt32());
        }

        using var config = await http.GetAsync(new Uri("config", UriKind.Relative), ct);
        Assert.Equal("""{"compatibilityLevel":"BACKWARD"}""", await config.Content.ReadAsStringAsync(ct));

        using var subjectConfig = await http.GetAsync(new Uri("config/users-value", UriKind.Relative), ct);
        Assert.Equal(40408, ErrorCode(await subjectConfig.Content.ReadAsStringAsync(ct)));
        using var fallbackConfig = await http.GetAsync(new Uri("config/users-value?defaultToGlobal=true", UriKind.Relative), ct);
        Assert.Equal("""{"compatibilityLevel":"BACKWARD"}""", await fallbackConfig.Content.ReadAsStringAsync(ct));

        using var missing = await http.GetAsync(new Uri("subjects/nope/versions", UriKind.Relative), ct);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("""{"error_code":40401,"message":"Subject \u0027nope\u0027 not found."}""", await missing.Content.ReadAsStringAsync(ct));

        using var unknownRoute = await http.GetAsync(new Uri("no/such/route", UriKind.Relative), ct);
        Assert.Equal(404, ErrorCode(await unknownRoute.Content.ReadAsStringAsync(ct)));

        using var badLevel = await http.PutAsync(new Uri("config", UriKind.Relative), new StringContent("""{"compatibility":"SIDEWAYS"}""", Encoding.UTF8, "application/json"), ct);
        Assert.Equal(42203, ErrorCode(await badLevel.Content.ReadAsStringAsync(ct)));

        using var deleted = await http.DeleteAsync(new Uri("subjects/users-value", UriKind.Relative), ct);
        Assert.Equal("[1]", await deleted.Content.ReadAsStringAsync(ct));
    }

    [Fact(Timeout = TimeoutMs)]
    public async Task a_disposed_registry_frees_its_port_for_a_new_one()
    {
        var port = Registry.Url.Port;
        Assert.Equal($"http://127.0.0.1:{port}", Registry.UrlString);
        await Registry.DisposeAsync();

        Registry = await LocalSchemaRegistry.StartAsync(port, Loggers, TestContext.Current.CancellationToken);

        Assert.Equal(port, Registry.Url.Port);
        Assert.Empty(await NewClient().GetAllSubjectsAsync());
    }

    private static int ErrorCode(string body)
    {
        using var doc = JsonDocument.Parse(body);
        return doc.RootElement.GetProperty("error_code").GetInt32();
    }
}
