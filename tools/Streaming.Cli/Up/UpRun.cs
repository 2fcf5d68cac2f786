using Confluent.SchemaRegistry;
using Microsoft.Extensions.Logging;
using Streaming.Api;
using Streaming.Hosting;
using Streaming.LocalStack;
using Streaming.Monitoring;

namespace Streaming.Cli;

/// <summary>`streaming up`: the local platform, demo data and traffic, the live (or plain) view, --until-drained and the summary.</summary>
internal sealed class UpRun(UpOptions options)
{
    // Process-wide and never disposed: Streamiz keeps the logger factory of the first topology in a static, so a
    // second run in the same process (tests) would otherwise log through a disposed factory and crash.
    private static readonly ILoggerFactory Loggers = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning)
        .AddFilter("Microsoft.AspNetCore", LogLevel.Error)); // e.g. Kestrel's note that h2c needs prior knowledge

    public async Task<int> RunAsync(CancellationToken ct)
    {
        using var signals = new StopSignals(ct); // Ctrl+C / SIGTERM stop the stack in order (see StopSignals)
        ct = signals.Token;
        // One meter provider for every part running in this process (the hosts' own telemetry setup is off).
        using var meters = StreamingTelemetry.CreateMeterProvider(new TelemetryOptions { PrometheusPort = options.MetricsPort }, "streaming-local");
        await using var platform = await LocalPlatform.StartAsync(new LocalPlatformSettings
        {
            ApiPort = options.ApiPort,
            RegistryPort = options.RegistryPort,
            ProviderFaults = options.ProviderFaults,
            DeliveryLogStore = options.DeliveryLogStore,
            CqlPort = options.CqlPort,
        }, Loggers, async (p, token) =>
        {
            var seeded = await DemoData.SeedAsync(p.Contacts, options.Users, token);
            Say($"Seeded {options.Users} demo users ({seeded} contact records: profiles, devices (some with invalid tokens), preferences (some opted out, unsubscribed or in quiet hours)).");
        }, ct);

        var addresses = StackAddresses.Of(platform, options, await SenderHostEnvironment.WriteAsync(platform));
        await addresses.WriteAsync(StackAddresses.AddressFile(platform.Settings.WorkDirectory));
        if (options.Addresses is { } addressFile)
        {
            await addresses.WriteAsync(addressFile.FullName);
        }
        addresses.Print(Console.Out);

        using var registry = new CachedSchemaRegistryClient(new SchemaRegistryConfig { Url = platform.Registry.UrlString });
        using var tracker = new OutcomeTracker(platform.Cluster.BootstrapServers, registry);
        using var lag = new LagMonitor(platform.Cluster.BootstrapServers, PlatformGroups.Default(platform.ProcessorApplicationId, platform.Settings.RetryDelays), new LagMonitorOptions { WindowSamples = 5 });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        using var http = new HttpClient { BaseAddress = new Uri(platform.ApiUrl) };
        http.DefaultRequestHeaders.Add(ApiKeyAuthenticator.HeaderName, platform.DemoApiKey);
        var demo = new DemoTraffic(http, options.Rate, options.Events, options.Users);
        var traffic = Task.Run(() => demo.RunAsync(stop.Token), CancellationToken.None);
        var frames = new UpFrames(demo, tracker, lag);
        var drain = options.UntilDrained ? new DrainCheck(options.Timeout) : null;

        var exitCode = 0;
        try
        {
            exitCode = options.Plain
                ? await PlainView.RunAsync(frames, drain, traffic, stop.Token)
                : await LiveView.RunAsync(frames, platform, drain, traffic, stop.Token);
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
            await RunSummary.WriteAsync(file, RunSummary.Of(final, demo.Counts, PlatformCounts.Of(platform), frames.MaxLag, addresses, frames.Uptime));
            Say($"Summary written to {file.FullName}");
        }

        // Stopped by a signal, the requests without a final outcome are the ones still in flight (the embedded cluster
        // stops with the process, so they stay that way); after --until-drained gave up, they are the missing ones.
        var notFinal = ct.IsCancellationRequested ? "in flight at stop" : "lost";
        Say($"requested {final.Requested} (demo {demo.Counts.Accepted}), final {final.Final}, held {final.Held}, {notFinal} {final.Pending.Count}, duplicates at provider {platform.Fakes.Duplicates}");
        return exitCode;
    }

    // Plain lines, never wrapped at the terminal's width: logs and CI read them.
    private static void Say(string text) => Console.Out.WriteLine(text);
}
