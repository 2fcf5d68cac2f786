using System.Net.Http.Json;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Streaming.Api;
using Streaming.Contracts;
using Streaming.Producers;
using Streaming.Testing;

namespace Streaming.Producers.Tests;

/// <summary>The real API on a real port, writing to its own topics on the shared embedded cluster.</summary>
internal sealed class ApiHarness : IAsyncDisposable
{
    public const string OrdersKey = "orders-key-0123456789";
    public const string AccountKey = "account-key-0123456789";
    public const string BurstKey = "burst-key-0123456789";
    public const string SupportKey = "support-key-0123456789";

    private readonly WebApplication app;

    private ApiHarness(WebApplication app, string topic, MemoryDeliveryLog log)
    {
        this.app = app;
        Topic = topic;
        Log = log;
        var url = NotificationApi.Urls(app).First();
        Http = new HttpClient { BaseAddress = new Uri(url) };
    }

    public HttpClient Http { get; }

    /// <summary>The requests topic this API instance writes to (unique per harness).</summary>
    public string Topic { get; }

    /// <summary>The delivery log the API appends accepted rows to and reads statuses from.</summary>
    public MemoryDeliveryLog Log { get; }

    /// <summary>Sets a configuration value at run time and reloads, as a changed config file or secret would.</summary>
    public void Reconfigure(string key, string? value)
    {
        var root = (IConfigurationRoot)app.Configuration;
        root.Providers.OfType<Microsoft.Extensions.Configuration.Memory.MemoryConfigurationProvider>().Last().Set(key, value);
        root.Reload();
    }

    public static async Task<ApiHarness> StartAsync(LocalStackFixture fx, Dictionary<string, string?>? configuration = null)
    {
        var topic = fx.NewTopic("requested");
        var log = new MemoryDeliveryLog();
        var app = NotificationApi.Build([], builder =>
        {
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Logging.SetMinimumLevel(Microsoft.Extensions.Logging.LogLevel.Warning);
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Kafka:Producer:BootstrapServers"] = fx.BootstrapServers,
                ["SchemaRegistry:Url"] = fx.RegistryUrl,
                ["NotificationPublisher:SourceService"] = "notification-api",
                ["Telemetry:Enabled"] = "false",
                ["NotificationPublisher:Topic"] = topic,
                ["Api:MaxBodyBytes"] = "8192",
            });
            if (configuration is not null)
            {
                builder.Configuration.AddInMemoryCollection(configuration);
            }

            builder.Services.AddSingleton<Streaming.DeliveryLog.IDeliveryLog>(log);
            builder.Services.PostConfigure<NotificationPublisherOptions>(o => o.Catalog = NotificationCatalog.Demo());
            builder.Services.PostConfigure<ApiOptions>(o => o.Clients.AddRange(
            [
                new() { Name = "orders-service", KeySha256 = [ApiClient.HashKey(OrdersKey)], Categories = ["billing", "social"] },
                new() { Name = "account-service", KeySha256 = [ApiClient.HashKey(AccountKey)], Categories = ["*"], CanWriteContacts = true },
                new() { Name = "burst-service", KeySha256 = [ApiClient.HashKey(BurstKey)], Categories = ["*"], RequestsPerSecond = 2 },
                new() { Name = "support-desk", KeySha256 = [ApiClient.HashKey(SupportKey)], CanReadAllStatuses = true },
            ]));
        });
        await app.StartAsync();
        return new ApiHarness(app, topic, log);
    }

    public Task<HttpResponseMessage> PostAsync(object body, string? key = AccountKey, string? idempotencyKey = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/notifications") { Content = JsonContent.Create(body) };
        if (key is not null)
        {
            request.Headers.Add("X-Api-Key", key);
        }

        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        return Http.SendAsync(request);
    }

    /// <summary>POSTs <paramref name="json"/> as it is (no serialization) to /v1/notifications.</summary>
    public Task<HttpResponseMessage> PostJsonAsync(string json, string key = AccountKey)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/notifications") { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Add("X-Api-Key", key);
        return Http.SendAsync(request, TestContext.Current.CancellationToken);
    }

    /// <summary>GET /v1/notifications/{eventId} with <paramref name="key"/> (none when null).</summary>
    public Task<HttpResponseMessage> GetStatusAsync(string eventId, string? key = AccountKey)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/notifications/{Uri.EscapeDataString(eventId)}");
        if (key is not null)
        {
            request.Headers.Add("X-Api-Key", key);
        }

        return Http.SendAsync(request, TestContext.Current.CancellationToken);
    }

    /// <summary>Sends <paramref name="body"/> (serialized, or no body when null) to any path with any method.</summary>
    public Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, object? body, string key = AccountKey)
    {
        var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        request.Headers.Add("X-Api-Key", key);
        return Http.SendAsync(request, TestContext.Current.CancellationToken);
    }

    public static object ValidBody(string userId = "user-1") => new
    {
        userId,
        category = "billing",
        templateId = "invoice-ready",
        parameters = new Dictionary<string, string> { ["invoice"] = "INV-1", ["amount"] = "12.00 EUR" },
        channels = new[] { "email", "push" },
    };

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
