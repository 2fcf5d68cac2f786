using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Streaming.LocalStack;
using Streaming.DeliveryLog;
using Streaming.Api;
using Streaming.Contracts;
using Streaming.Replay;
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
        priority = "high", // not held by the demo users' quiet hours
        channels = new[] { "email" },
        parameters = new Dictionary<string, string> { ["invoice"] = $"INV-{user}", ["amount"] = "9.99 EUR" },
    };

    private static async Task<string> PostAsync(HttpClient http, object body, CancellationToken ct)
    {
        using var response = await http.PostAsJsonAsync("/v1/notifications", body, ct);
        Assert.Equal(System.Net.HttpStatusCode.Accepted, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<AcceptedNotification>(ct))!.EventId;
    }

    [Fact(Timeout = TestLimits.TimeoutMs)]
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
        await using var stack = await LocalPlatform.StartAsync(new LocalPlatformSettings { ApiPort = 0 }, NullLoggerFactory.Instance, (s, t) => DemoData.SeedAsync(s.Contacts, 10, t), ct);
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

    [Fact(Timeout = TestLimits.TimeoutMs)]
    public async Task dlq_replay_after_the_provider_recovers_delivers_each_message_once_and_the_status_export_matches_the_delivery_log()
    {
        var ct = TestContext.Current.CancellationToken;
        const int users = 20;
        // Every message fails its first 3 provider calls: 1 attempt + 2 retry tiers, no in-place retries, so each one
        // exhausts its retries and is dead-lettered; the breaker is kept closed so it does not hold them back instead.
        await using var stack = await LocalPlatform.StartAsync(new LocalPlatformSettings
        {
            ApiPort = 0,
            ProviderFaults = "fail-first=3",
            RetryDelays = [TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(200)],
            ConfigureSender = o =>
            {
                o.InPlaceRetries = 0;
                o.BreakerMinimumThroughput = 100_000;
            },
        }, NullLoggerFactory.Instance, (s, t) => DemoData.SeedAsync(s.Contacts, users, t), ct);
        using var http = new HttpClient { BaseAddress = new Uri(stack.ApiUrl) };
        http.DefaultRequestHeaders.Add(ApiKeyAuthenticator.HeaderName, stack.DemoApiKey);
        var events = new List<string>();
        for (var i = 0; i < users; i++)
        {
            events.Add(await PostAsync(http, Invoice(i), ct));
        }

        async Task<List<Streaming.DeliveryLog.DeliveryLogEntry>> Log() => [.. (await stack.DeliveryLog.Log.ReadAllAsync(ct)).Where(e => events.Contains(e.EventId))];
        static int Distinct(List<Streaming.DeliveryLog.DeliveryLogEntry> log, string outcome) => log.Where(e => e.Outcome == outcome).Select(e => e.EventId).Distinct().Count();
        try
        {
            await Eventually.TrueAsync(() => Distinct(Log().Result, "dead_lettered") == users, TimeSpan.FromSeconds(60), "every message dead-lettered");
        }
        catch (TimeoutException)
        {
            var all = await stack.DeliveryLog.Log.ReadAllAsync(ct);
            throw new TimeoutException($"log rows {all.Count}, ours {(await Log()).Count}: " + string.Join(", ", all.GroupBy(e => e.Outcome).Select(g => $"{g.Key}={g.Count()}")) + $"; email {stack.Senders.Single(x => x.Channel == "email").Stats}; fake requests {stack.Fakes.Requests.Count}");
        }

        Assert.Equal(0, stack.Fakes.Delivered("email"));
        // The log row, the status and the dead letter are written together; the row can commit before the DLQ record's
        // producer batch is acknowledged, so wait for the dead letters on the topic, as a data team would before a replay.
        await Eventually.TrueAsync(() => stack.Cluster.RecordCount(Topics.DeadLetter) >= users, TimeSpan.FromSeconds(30), "every dead letter on the DLQ topic");

        // The provider has recovered (the 4th call succeeds); the data team re-sends the dead letters through the normal path.
        var replay = new ReplayOptions
        {
            BootstrapServers = stack.Cluster.BootstrapServers,
            RegistryUrl = stack.Registry.UrlString,
            Topic = Topics.DeadLetter,
            Filter = new ReplayFilter { Outcomes = ["dlq:retries-exhausted"] },
            Republish = true,
        };
        Assert.Equal(users, (await new ReplayJob(replay).RunAsync(ct: ct)).Republished);
        await Eventually.TrueAsync(() => Distinct(Log().Result, "delivered") == users, TimeSpan.FromSeconds(60), "every message delivered after the replay");

        // Replaying the same dead letters again reaches nobody twice: the senders' delivery-log check skips them.
        var email = stack.Senders.Single(s => s.Channel == "email");
        var skippedBefore = email.Stats.DuplicatesSkipped;
        await new ReplayJob(replay).RunAsync(ct: ct);
        await Eventually.TrueAsync(() => email.Stats.DuplicatesSkipped - skippedBefore >= users, TimeSpan.FromSeconds(60), "the second replay skipped");
        Assert.Equal(users, stack.Fakes.Delivered("email"));
        Assert.Equal(0, stack.Fakes.Duplicates);

        // Export the delivery statuses to JSON Lines: per outcome, the same counts as the delivery log.
        var file = Path.Combine(Path.GetTempPath(), $"statuses-{Guid.NewGuid():N}.jsonl");
        try
        {
            await new ReplayJob(new ReplayOptions
            {
                BootstrapServers = stack.Cluster.BootstrapServers,
                RegistryUrl = stack.Registry.UrlString,
                Topic = Topics.DeliveryStatus,
                Filter = new ReplayFilter { Channels = ["email"] },
                Output = file,
            }).RunAsync(ct: ct);
            var exported = File.ReadAllLines(file).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("value"))
                .Where(v => events.Contains(v.GetProperty("eventId").GetString()!))
                .GroupBy(v => v.GetProperty("outcome").GetString()!).ToDictionary(g => g.Key, g => g.Count());
            // The email channel's rows: the API's "accepted" rows are the log's own and never on the status topic.
            var logged = (await Log()).Where(e => e.Channel == "email").GroupBy(e => e.Outcome).ToDictionary(g => g.Key, g => g.Count());
            Assert.Equal(logged.OrderBy(kv => kv.Key), exported.OrderBy(kv => kv.Key));
        }
        finally
        {
            File.Delete(file);
        }
    }
}
