using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Confluent.Kafka;
using Confluent.SchemaRegistry;
using Microsoft.Extensions.Logging;
using Spectre.Console;
using Streaming.Api;
using Streaming.Contracts;
using Streaming.Hosting;
using Streaming.LocalStack;
using Streaming.Monitoring;

namespace Streaming.Cli;

/// <summary>`streaming up`: the local stack, demo data and traffic, the live view, --until-drained and the summary.</summary>
internal sealed class LocalStackRunner(UpOptions options)
{
    // Process-wide and never disposed: Streamiz keeps the logger factory of the first topology in a static, so a
    // second run in the same process (tests) would otherwise log through a disposed factory and crash.
    private static readonly ILoggerFactory Loggers = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning)
        .AddFilter("Microsoft.AspNetCore", LogLevel.Error)); // e.g. Kestrel's note that h2c needs prior knowledge

    private readonly Stopwatch uptime = Stopwatch.StartNew();
    private readonly Dictionary<string, long> maxLag = new(StringComparer.Ordinal);
    private long sent;
    private long accepted;
    private long rejected;
    private long failed;

    public async Task<int> RunAsync(CancellationToken ct)
    {
        using var signals = new StopSignals(ct); // Ctrl+C / SIGTERM stop the stack in order (see StopSignals)
        ct = signals.Token;
        var loggers = Loggers;
        // One meter provider for every part running in this process (the hosts' own telemetry setup is off).
        using var meters = StreamingTelemetry.CreateMeterProvider(new TelemetryOptions { PrometheusPort = options.MetricsPort }, "streaming-local");
        await using var stack = await LocalPlatform.StartAsync(new LocalPlatformSettings
        {
            ApiPort = options.ApiPort,
            RegistryPort = options.RegistryPort,
            ProviderFaults = options.ProviderFaults,
        }, loggers, async (s, token) =>
        {
            var seeded = await DemoData.SeedAsync(s.Contacts, options.Users, token);
            Say($"Seeded {options.Users} demo users ({seeded} contact records: profiles, devices (some with invalid tokens), preferences (some opted out, unsubscribed or in quiet hours)).");
        }, ct);

        PrintAddresses(stack);

        using var registry = new CachedSchemaRegistryClient(new SchemaRegistryConfig { Url = stack.Registry.UrlString });
        using var tracker = new OutcomeTracker(stack.Cluster.BootstrapServers, registry);
        using var lag = new LagMonitor(stack.Cluster.BootstrapServers, PlatformGroups.Default(stack.ProcessorApplicationId), new LagMonitorOptions { WindowSamples = 5 });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        using var http = new HttpClient { BaseAddress = new Uri(stack.ApiUrl) };
        http.DefaultRequestHeaders.Add(ApiKeyAuthenticator.HeaderName, stack.DemoApiKey);
        var traffic = Task.Run(() => DriveTrafficAsync(http, tracker, stop.Token), CancellationToken.None);

        var exitCode = 0;
        try
        {
            exitCode = options.Plain
                ? await PlainViewAsync(stack, tracker, lag, traffic, stop.Token)
                : await LiveViewAsync(stack, tracker, lag, traffic, stop.Token);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Ctrl+C: a normal way to stop the local stack.
        }

        await stop.CancelAsync();
        await traffic.ContinueWith(_ => { }, CancellationToken.None);
        var final = tracker.Snapshot();
        if (options.Summary is { } file)
        {
            await WriteSummaryAsync(file, stack, final);
        }

        // Stopped by a signal, the requests without a final outcome are the ones still in flight (the embedded cluster
        // stops with the process, so they stay that way); after --until-drained gave up, they are the missing ones.
        var notFinal = ct.IsCancellationRequested ? "in flight at stop" : "lost";
        Say($"requested {final.Accepted}, final {final.Final}, held {final.Held}, {notFinal} {final.Pending.Count}, duplicates at provider {stack.Fakes.Duplicates}");
        return exitCode;
    }

    private static void Say(string text) => AnsiConsole.MarkupLine("[grey]" + Markup.Escape(text) + "[/]");

    private void PrintAddresses(LocalPlatform stack)
    {
        var table = new Table().Border(TableBorder.Rounded).Title("[bold]Streaming local stack[/]");
        table.AddColumn("component").AddColumn("address");
        table.AddRow("Kafka bootstrap (embedded)", stack.Cluster.BootstrapServers);
        table.AddRow("Schema registry", stack.Registry.UrlString);
        table.AddRow("Notification API", stack.ApiUrl);
        table.AddRow("OpenAPI document", stack.ApiUrl + "/openapi/v1.json");
        table.AddRow("Demo API key (X-Api-Key)", stack.DemoApiKey);
        table.AddRow("Prometheus metrics", options.MetricsPort > 0 ? $"http://localhost:{options.MetricsPort}/metrics" : "off");
        table.AddRow("Provider fakes (APNs, FCM, Twilio, SendGrid)", stack.Fakes.BaseUrl.ToString().TrimEnd('/') + (string.IsNullOrEmpty(options.ProviderFaults) ? "" : $"  faults: {options.ProviderFaults}"));
        table.AddRow("Delivery log (SQLite)", stack.DeliveryLogPath);
        table.AddRow("Running", "topology (1 thread), senders apns/fcm/sms/email, demo traffic");
        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine($"[grey]Try: streaming lag --bootstrap {Markup.Escape(stack.Cluster.BootstrapServers)} --watch[/]");
    }

    private async Task DriveTrafficAsync(HttpClient http, OutcomeTracker tracker, CancellationToken ct)
    {
        // Open-loop load: requests are issued on schedule, not after the previous answer, with bounded concurrency.
        const int concurrency = 64;
        using var inFlight = new SemaphoreSlim(concurrency);
        var clock = Stopwatch.StartNew();
        var i = 0;
        try
        {
            while (!ct.IsCancellationRequested && (options.Events == 0 || i < options.Events))
            {
                var due = (long)(clock.Elapsed.TotalSeconds * options.Rate);
                if (i >= due)
                {
                    await Task.Delay(5, ct).ConfigureAwait(false);
                    continue;
                }

                await inFlight.WaitAsync(ct).ConfigureAwait(false);
                var body = DemoData.Request(i++, options.Users);
                Interlocked.Increment(ref sent);
                _ = SendOneAsync(http, body, tracker, inFlight, ct);
            }
        }
        catch (OperationCanceledException)
        {
            // stopping
        }

        for (var k = 0; k < concurrency; k++)
        {
            await inFlight.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }

    private async Task SendOneAsync(HttpClient http, object body, OutcomeTracker tracker, SemaphoreSlim inFlight, CancellationToken ct)
    {
        try
        {
            using var response = await http.PostAsJsonAsync("/v1/notifications", body, ct).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            if (status == 202)
            {
                var answer = await response.Content.ReadFromJsonAsync<AcceptedNotification>(ct).ConfigureAwait(false);
                tracker.Accepted(answer!.EventId);
                Interlocked.Increment(ref accepted);
            }
            else
            {
                Interlocked.Increment(ref status < 500 ? ref rejected : ref failed);
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
        {
            Interlocked.Increment(ref failed);
        }
        finally
        {
            inFlight.Release();
        }
    }

    private IReadOnlyList<GroupLag> RecordLag(IReadOnlyList<GroupLag> sample)
    {
        foreach (var g in sample)
        {
            maxLag[g.Group] = Math.Max(maxLag.GetValueOrDefault(g.Group), g.TotalLag);
        }

        return sample;
    }

    private int drainedChecks;

    /// <summary>Null while the run goes on; otherwise the exit code.</summary>
    private int? CheckDrained(TrackerSnapshot s, IReadOnlyList<GroupLag> lags, Task traffic, LocalPlatform stack)
    {
        if (!options.UntilDrained || !traffic.IsCompleted)
        {
            return null;
        }

        // Drained: every accepted request is final or held, and no group has anything left to read
        // (including retry topics), seen twice in a row so a record in flight between topics is not missed.
        var quiet = s.Pending.Count == 0 && lags.All(g => g.TotalLag == 0);
        drainedChecks = quiet ? drainedChecks + 1 : 0;
        if (drainedChecks >= 2)
        {
            return 0;
        }

        if (uptime.Elapsed > options.Timeout)
        {
            var missing = string.Join(", ", s.Pending.Take(10));
            var behind = string.Join(", ", lags.Where(g => g.TotalLag > 0).Select(g => $"{g.Group} lag {g.TotalLag}"));
            AnsiConsole.MarkupLine(Markup.Escape($"Not drained after {options.Timeout.TotalSeconds:0} s: {s.Pending.Count} of {s.Accepted} requests have no final outcome (e.g. {missing}); {behind}; sender stats: "
                + string.Join("; ", stack.Senders.Select(x => $"{x.Channel} {x.Stats}"))));
            return 1;
        }

        return null;
    }

    private sealed record Frame(TimeSpan Now, long Sent, double RequestsPerSecond, TrackerSnapshot Snapshot, IReadOnlyList<GroupLag> Lags);

    private long lastSent;
    private TimeSpan lastFrameAt;

    /// <summary>Waits one refresh interval and gathers what both views show.</summary>
    private async Task<Frame> NextFrameAsync(TimeSpan interval, OutcomeTracker tracker, LagMonitor lag, CancellationToken ct)
    {
        await Task.Delay(interval, ct);
        var now = uptime.Elapsed;
        var s = Interlocked.Read(ref sent);
        var rps = (s - lastSent) / (now - lastFrameAt).TotalSeconds;
        (lastSent, lastFrameAt) = (s, now);
        return new Frame(now, s, rps, tracker.Snapshot(), RecordLag(await lag.SampleAsync(ct)));
    }

    private async Task<int> PlainViewAsync(LocalPlatform stack, OutcomeTracker tracker, LagMonitor lag, Task traffic, CancellationToken ct)
    {
        while (true)
        {
            var (now, s, rps, snapshot, lags) = await NextFrameAsync(TimeSpan.FromSeconds(2), tracker, lag, ct);
            var outcomes = string.Join(" ", snapshot.Outcomes.Select(kv => $"{kv.Key}={kv.Value}"));
            var lagText = string.Join(" ", lags.Select(g => $"{g.Group}={g.TotalLag}/{g.Status.ToString().ToUpperInvariant()}"));
            Console.WriteLine($"[{now:hh\\:mm\\:ss}] sent={s} accepted={accepted} rejected={rejected} failed={failed} req/s={rps:0} | final={snapshot.Final} held={snapshot.Held} pending={snapshot.Pending.Count} | {outcomes} | e2e ms p50={snapshot.Latency.P50} p99={snapshot.Latency.P99} | lag {lagText}");
            if (CheckDrained(snapshot, lags, traffic, stack) is { } code)
            {
                return code;
            }
        }
    }

    private async Task<int> LiveViewAsync(LocalPlatform stack, OutcomeTracker tracker, LagMonitor lag, Task traffic, CancellationToken ct)
    {
        var exit = 0;
        await AnsiConsole.Live(new Markup("starting…")).StartAsync(async ctx =>
        {
            while (true)
            {
                var (now, s, rps, snapshot, lags) = await NextFrameAsync(TimeSpan.FromSeconds(1), tracker, lag, ct);

                var requests = new Table().Border(TableBorder.Rounded).Title($"[bold]Requests[/] (up {now:hh\\:mm\\:ss})");
                requests.AddColumns("sent", "accepted", "rejected (4xx)", "failed", "req/s", "final", "held", "in flight", "e2e p50 / p95 / p99 ms");
                requests.AddRow($"{s}", $"[green]{accepted}[/]", $"[yellow]{rejected}[/]", $"[red]{failed}[/]", $"{rps:0}", $"{snapshot.Final}", $"{snapshot.Held}", $"{snapshot.Pending.Count}",
                    $"{snapshot.Latency.P50} / {snapshot.Latency.P95} / {snapshot.Latency.P99}");

                string[] columns = [Outcomes.Delivered, Outcomes.Suppressed, Outcomes.Failed, Outcomes.Retrying, Outcomes.DeadLettered, Outcomes.Expired];
                var channels = new Table().Border(TableBorder.Rounded).Title("[bold]Outcomes per channel[/] (latest per message)");
                channels.AddColumns(["channel", .. columns, "messages on topic"]);
                foreach (var (channel, outcomes) in snapshot.ByChannel)
                {
                    channels.AddRow([channel, .. columns.Select(c => $"{outcomes.GetValueOrDefault(c)}"), $"{stack.Cluster.RecordCount(Topics.ForChannel(channel))}"]);
                }

                var requestLevel = string.Join("  ", snapshot.Outcomes.Where(kv => kv.Key is Outcomes.Suppressed or Outcomes.Deferred or Outcomes.Duplicate or Outcomes.DeadLettered or Outcomes.Expired).Select(kv => $"{kv.Key} {kv.Value}"));
                var groups = new Table().Border(TableBorder.Rounded).Title("[bold]Consumer lag[/]");
                groups.AddColumns("group", "status", "lag (messages)", "lag (s)");
                foreach (var g in lags)
                {
                    var color = g.Status switch { GroupStatus.Ok => "green", GroupStatus.Warn => "yellow", GroupStatus.Stop => "grey", _ => "red" };
                    groups.AddRow(Markup.Escape(g.Group), $"[{color}]{g.Status.ToString().ToUpperInvariant()}[/]", $"{g.TotalLag}", $"{g.MaxLagSeconds:0.0}");
                }

                ctx.UpdateTarget(new Rows(requests, channels, new Markup($"[grey]all outcomes: {Markup.Escape(requestLevel)}  |  provider duplicates: {stack.Fakes.Duplicates}  |  DLQ records: {stack.Cluster.RecordCount(Topics.DeadLetter)}[/]"), groups, new Markup("[grey]Ctrl+C to stop.[/]")));
                if (CheckDrained(snapshot, lags, traffic, stack) is { } code)
                {
                    exit = code;
                    return;
                }
            }
        });
        return exit;
    }

    private async Task WriteSummaryAsync(FileInfo file, LocalPlatform stack, TrackerSnapshot s)
    {
        string[] reported = [Outcomes.Delivered, Outcomes.Suppressed, Outcomes.Failed, Outcomes.DeadLettered, Outcomes.Expired, Outcomes.Deferred, Outcomes.Duplicate];
        var summary = new Dictionary<string, object>
        {
            ["requested"] = s.Accepted,
            ["rejected_by_api"] = Interlocked.Read(ref rejected),
            ["outcomes"] = reported.ToDictionary(o => o, o => s.Outcomes.GetValueOrDefault(o)),
            ["by_channel"] = s.ByChannel,
            ["request_level_reasons"] = s.RequestLevelReasons,
            ["lost"] = s.Pending.Count,
            ["held"] = s.Held,
            ["duplicates_at_provider"] = stack.Fakes.Duplicates,
            ["latency_ms"] = new { p50 = s.Latency.P50, p95 = s.Latency.P95, p99 = s.Latency.P99, max = s.Latency.Max },
            ["max_lag"] = maxLag,
            ["elapsed_s"] = Math.Round(uptime.Elapsed.TotalSeconds, 1),
        };
        await File.WriteAllTextAsync(file.FullName, JsonSerializer.Serialize(summary, new JsonSerializerOptions { WriteIndented = true }));
        Say($"Summary written to {file.FullName}");
    }
}
