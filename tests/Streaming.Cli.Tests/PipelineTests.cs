using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Streaming.Api;
using Streaming.Contracts;
using Streaming.Testing;

namespace Streaming.Cli.Tests;

/// <summary>End-to-end checks on the whole local stack: one trace per notification, and replay for data teams.</summary>
public sealed class PipelineTests
{
    private static object Invoice(int user) => new
    {
        userId = DemoData.UserId(user),
        category = "billing",
        templateId = "invoice-ready",
        channels = new[] { "email" },
        parameters = new Dictionary<string, string> { ["invoice"] = $"INV-{user}", ["amount"] = "9.99 EUR" },
    };

    private static async Task<string> PostAsync(HttpClient http, object body, CancellationToken ct)
    {
        using var response = await http.PostAsJsonAsync("/v1/notifications", body, ct);
        Assert.Equal(System.Net.HttpStatusCode.Accepted, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<AcceptedNotification>(ct))!.EventId;
    }

    [Fact]
    public async Task one_trace_follows_a_notification_from_the_api_through_kafka_to_the_provider_call()
    {
        var ct = TestContext.Current.CancellationToken;
        var stopped = new ConcurrentBag<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name.StartsWith("Streaming.", StringComparison.Ordinal) || s.Name == "Microsoft.AspNetCore",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = stopped.Add,
        };
        ActivitySource.AddActivityListener(listener);
        await using var stack = await LocalStack.StartAsync(new LocalStackSettings { ApiPort = 0 }, NullLoggerFactory.Instance, (s, t) => DemoData.SeedAsync(s.Contacts, 10, t), ct);
        using var http = new HttpClient { BaseAddress = new Uri(stack.ApiUrl) };
        http.DefaultRequestHeaders.Add(ApiKeyAuthenticator.HeaderName, stack.DemoApiKey);

        var eventId = await PostAsync(http, Invoice(1), ct);

        await Eventually.TrueAsync(() => stack.Fakes.Requests.Any(r => r.EventId == eventId), TimeSpan.FromSeconds(60), "the provider call");
        var publish = stopped.First(a => a.Source.Name == "Streaming.Producers" && (string?)a.GetTagItem("notification.event_id") == eventId);
        await Eventually.TrueAsync(() => stopped.Any(a => a.Source.Name == "Streaming.Senders" && a.TraceId == publish.TraceId), TimeSpan.FromSeconds(30), "the sender span in the same trace");
        var sources = stopped.Where(a => a.TraceId == publish.TraceId).Select(a => a.Source.Name).ToHashSet();
        Assert.Contains("Microsoft.AspNetCore", sources);   // the HTTP request
        Assert.Contains("Streaming.Producers", sources);    // the publish to notifications.requested
        Assert.Contains("Streaming.Processors", sources);   // routing in the topology, parent from the traceparent header
        Assert.Contains("Streaming.Senders", sources);      // the provider call, parent from the channel record's header
    }
}
