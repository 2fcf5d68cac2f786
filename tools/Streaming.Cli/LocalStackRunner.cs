using System.Diagnostics;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Confluent.Kafka;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Spectre.Console;
using Streaming.Api;
using Streaming.Contracts;
using Streaming.Hosting;
using Streaming.LocalStack;
using Streaming.Monitoring;
using Streaming.Producers;

namespace Streaming.Cli;

/// <summary>Runs the local stack: embedded cluster, registry, API, demo data and traffic, and the live view.</summary>
internal sealed class LocalStackRunner(UpOptions options)
{
    private readonly Stopwatch uptime = Stopwatch.StartNew();
    private long sent;
    private long accepted;
    private long rejected;
    private long failed;

    public async Task<int> RunAsync(CancellationToken ct)
    {
        using var loggers = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning));
        // One meter provider for every part running in this process (the hosts' own telemetry setup is off).
        using var meters = StreamingTelemetry.CreateMeterProvider(new TelemetryOptions { PrometheusPort = options.MetricsPort }, "streaming-local");
        using var cluster = LocalKafkaCluster.Start(logger: loggers.CreateLogger("Streaming.LocalKafka"));
        await using var registry = await LocalSchemaRegistry.StartAsync(options.RegistryPort, loggers, ct);

        var demoKey = "demo-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var api = NotificationApi.Build([], builder =>
        {
            builder.WebHost.UseUrls($"http://127.0.0.1:{options.ApiPort}");
            builder.Logging.ClearProviders().AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning);
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Kafka:Producer:BootstrapServers"] = cluster.BootstrapServers,
                ["SchemaRegistry:Url"] = registry.UrlString,
                ["NotificationPublisher:SourceService"] = "notification-api",
                ["Telemetry:Enabled"] = "false",
                ["Logging:LogLevel:Default"] = "Warning",
            });
            builder.Services.PostConfigure<NotificationPublisherOptions>(o => o.Catalog = NotificationCatalog.Demo());
            builder.Services.PostConfigure<ApiOptions>(o => o.Clients.Add(new ApiClient
            {
                Name = "demo-traffic",
                KeySha256 = [ApiClient.HashKey(demoKey)],
                Categories = ["*"],
                CanWriteContacts = true,
            }));
        });
        await api.StartAsync(ct);
        var apiUrl = NotificationApi.Urls(api).First();

        PrintAddresses(cluster, registry, apiUrl, demoKey, options.MetricsPort);
        using var lag = new LagMonitor(cluster.BootstrapServers, PlatformGroups.Default());

        var seeded = await DemoData.SeedAsync(api.Services.GetRequiredService<ContactInfoPublisher>(), options.Users, ct);
        AnsiConsole.MarkupLine($"[grey]Seeded {options.Users} demo users ({seeded} contact records).[/]");

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        using var http = new HttpClient { BaseAddress = new Uri(apiUrl) };
        http.DefaultRequestHeaders.Add(ApiKeyAuthenticator.HeaderName, demoKey);
        var traffic = Task.Run(() => DriveTrafficAsync(http, stop.Token), CancellationToken.None);
        using var counts = new TopicCounter(cluster.BootstrapServers);

        var exitCode = 0;
        try
        {
            exitCode = options.Plain
                ? await PlainViewAsync(counts, lag, traffic, stop.Token)
                : await LiveViewAsync(counts, lag, traffic, stop.Token);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Ctrl+C: a normal way to stop the local stack.
        }

        await stop.CancelAsync();
        await traffic.ContinueWith(_ => { }, CancellationToken.None);
        if (options.Summary is { } file)
        {
            await WriteSummaryAsync(file, counts);
        }

        await api.StopAsync(CancellationToken.None);
        await api.DisposeAsync();
        return exitCode;
    }

    private static void PrintAddresses(LocalKafkaCluster cluster, LocalSchemaRegistry registry, string apiUrl, string demoKey, int metricsPort)
    {
        var table = new Table().Border(TableBorder.Rounded).Title("[bold]Streaming local stack[/]");
        table.AddColumn("component").AddColumn("address");
        table.AddRow("Kafka bootstrap (embedded)", cluster.BootstrapServers);
        table.AddRow("Schema registry", registry.UrlString);
        table.AddRow("Notification API", apiUrl);
        table.AddRow("OpenAPI document", apiUrl + "/openapi/v1.json");
        table.AddRow("Demo API key (X-Api-Key)", demoKey);
        table.AddRow("Prometheus metrics", metricsPort > 0 ? $"http://localhost:{metricsPort}/metrics" : "off");
        table.AddRow("Running", "cluster, registry, API, demo traffic (the topology and senders join in later issues)");
        AnsiConsole.Write(table);
    }

    private async Task DriveTrafficAsync(HttpClient http, CancellationToken ct)
    {
        // Open-loop load: requests are issued on schedule, not after the previous answer, with bounded concurrency.
        using var inFlight = new SemaphoreSlim(64);
        var clock = Stopwatch.StartNew();
        var i = 0;
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
            _ = SendOneAsync(http, body, inFlight, ct);
        }

        for (var k = 0; k < 64; k++)
        {
            await inFlight.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }

    private async Task SendOneAsync(HttpClient http, object body, SemaphoreSlim inFlight, CancellationToken ct)
    {
        try
        {
            using var response = await http.PostAsJsonAsync("/v1/notifications", body, ct).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            Interlocked.Increment(ref status == 202 ? ref accepted : ref status < 500 ? ref rejected : ref failed);
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

    private bool SendingDone(Task traffic) => traffic.IsCompleted;

    /// <summary>Null while the run goes on; otherwise the exit code.</summary>
    private int? CheckDrained(TopicCounter counts, Task traffic)
    {
        if (!options.UntilDrained || !SendingDone(traffic))
        {
            return null;
        }

        var onTopic = counts.Count(Topics.Requested);
        if (onTopic >= Interlocked.Read(ref accepted))
        {
            return 0;
        }

        if (uptime.Elapsed > options.Timeout)
        {
            AnsiConsole.MarkupLine($"[red]Not drained after {options.Timeout.TotalSeconds:0} s: {Interlocked.Read(ref accepted) - onTopic} accepted requests missing from {Topics.Requested}.[/]");
            return 1;
        }

        return null;
    }

    private async Task<int> PlainViewAsync(TopicCounter counts, LagMonitor lag, Task traffic, CancellationToken ct)
    {
        var last = 0L;
        var lastAt = TimeSpan.Zero;
        while (true)
        {
            await Task.Delay(TimeSpan.FromSeconds(2), ct);
            var now = uptime.Elapsed;
            var s = Interlocked.Read(ref sent);
            var rps = (s - last) / (now - lastAt).TotalSeconds;
            (last, lastAt) = (s, now);
            var topics = string.Join(" ", Topics.All.Select(t => $"{t}={counts.Count(t)}"));
            var lags = string.Join(" ", (await lag.SampleAsync(ct)).Select(g => $"{g.Group}={g.TotalLag}/{g.Status.ToString().ToUpperInvariant()}"));
            Console.WriteLine($"[{now:hh\\:mm\\:ss}] sent={s} accepted={accepted} rejected={rejected} failed={failed} req/s={rps:0} | {topics} | lag {lags}");
            if (CheckDrained(counts, traffic) is { } code)
            {
                return code;
            }
        }
    }

    private async Task<int> LiveViewAsync(TopicCounter counts, LagMonitor lag, Task traffic, CancellationToken ct)
    {
        var exit = 0;
        var last = 0L;
        var lastAt = TimeSpan.Zero;
        await AnsiConsole.Live(new Markup("starting…")).StartAsync(async ctx =>
        {
            while (true)
            {
                await Task.Delay(TimeSpan.FromSeconds(1), ct);
                var now = uptime.Elapsed;
                var s = Interlocked.Read(ref sent);
                var rps = (s - last) / (now - lastAt).TotalSeconds;
                (last, lastAt) = (s, now);

                var requests = new Table().Border(TableBorder.Rounded).Title($"[bold]Requests[/] (up {now:hh\\:mm\\:ss})");
                requests.AddColumns("sent", "accepted", "rejected (4xx)", "failed", "req/s");
                requests.AddRow($"{s}", $"[green]{accepted}[/]", $"[yellow]{rejected}[/]", $"[red]{failed}[/]", $"{rps:0}");
                var topics = new Table().Border(TableBorder.Rounded).Title("[bold]Records per topic[/]");
                topics.AddColumns("topic", "records");
                foreach (var t in Topics.All)
                {
                    topics.AddRow(t, counts.Count(t).ToString(System.Globalization.CultureInfo.InvariantCulture));
                }

                var groups = new Table().Border(TableBorder.Rounded).Title("[bold]Consumer lag[/]");
                groups.AddColumns("group", "status", "lag (messages)", "lag (s)");
                foreach (var g in await lag.SampleAsync(ct))
                {
                    groups.AddRow(Markup.Escape(g.Group), g.Status.ToString().ToUpperInvariant(), $"{g.TotalLag}", $"{g.MaxLagSeconds:0.0}");
                }

                ctx.UpdateTarget(new Rows(requests, topics, groups, new Markup("[grey]Ctrl+C to stop.[/]")));
                if (CheckDrained(counts, traffic) is { } code)
                {
                    exit = code;
                    return;
                }
            }
        });
        return exit;
    }

    private async Task WriteSummaryAsync(FileInfo file, TopicCounter counts)
    {
        var summary = new Dictionary<string, object>
        {
            ["requested"] = Interlocked.Read(ref sent),
            ["accepted"] = Interlocked.Read(ref accepted),
            ["rejected"] = Interlocked.Read(ref rejected),
            ["failed"] = Interlocked.Read(ref failed),
            ["topics"] = Topics.All.ToDictionary(t => t, counts.Count),
            ["elapsed_s"] = Math.Round(uptime.Elapsed.TotalSeconds, 1),
        };
        await File.WriteAllTextAsync(file.FullName, JsonSerializer.Serialize(summary, new JsonSerializerOptions { WriteIndented = true }));
        AnsiConsole.MarkupLine($"[grey]Summary written to {file.FullName}[/]");
    }
}

/// <summary>Counts records per topic from high watermarks (the local cluster has no retention, so this is everything written).</summary>
internal sealed class TopicCounter(string bootstrapServers) : IDisposable
{
    private readonly IConsumer<Ignore, Ignore> consumer = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig
    {
        BootstrapServers = bootstrapServers,
        GroupId = "streaming-cli-watermarks",
    }).Build();

    public long Count(string topic)
    {
        long total = 0;
        for (var p = 0; p < LocalKafkaCluster.PartitionsPerTopic; p++)
        {
            total += consumer.QueryWatermarkOffsets(new TopicPartition(topic, p), TimeSpan.FromSeconds(5)).High.Value;
        }

        return total;
    }

    public void Dispose() => consumer.Dispose();
}
