using System.Security.Cryptography;
using Confluent.Kafka;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Streaming.DeliveryLog;
using Streaming.Api;
using Streaming.Contracts;
using Streaming.LocalStack;
using Streaming.Processors;
using Streaming.Producers;
using Streaming.Senders;
using Streaming.Senders.Recording;
using Streaming.ProviderFakes;

namespace Streaming.LocalStack;

/// <summary>Settings of one local platform run.</summary>
public sealed record LocalPlatformSettings
{
    public int ApiPort { get; init; } = 5080;

    public int RegistryPort { get; init; }

    public string? ProviderFaults { get; init; }

    /// <summary>How many of their latest requests the provider fakes keep for inspection (<see cref="FakeProviders.Requests"/>); the bench keeps none.</summary>
    public int ProviderJournal { get; init; } = FakeProviders.DefaultJournalCapacity;

    /// <summary>Where the run keeps its files (delivery log, topology state); a fresh folder per run.</summary>
    public string WorkDirectory { get; init; } = Path.Combine(Path.GetTempPath(), "streaming-local", DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", System.Globalization.CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("N")[..6]);

    /// <summary>Retry tiers of the senders; shorter than production so a local run drains in seconds.</summary>
    public TimeSpan[] RetryDelays { get; init; } = LocalProfile.RetryDelays;

    public int StreamThreads { get; init; } = 1;

    /// <summary>Brokers of the embedded cluster (see <see cref="LocalProfile.Brokers"/>); the bench varies it.</summary>
    public int Brokers { get; init; } = LocalProfile.Brokers;

    /// <summary>linger.ms of every producer of the local stack: the API's publisher, the topology and the senders.</summary>
    public double LingerMs { get; init; } = LocalProfile.LingerMs;

    public double SenderRatePerSecond { get; init; } = 5000;

    /// <summary>The delivery log's store: sqlite (a file of this run) or cassandra (on a local CQL server).</summary>
    public string DeliveryLogStore { get; init; } = DeliveryLogOptions.SqliteStore;

    /// <summary>Port of the local CQL server when the store is cassandra (0 = any free port).</summary>
    public int CqlPort { get; init; }

    /// <summary>Last word on each sender's options (the bench sets its rate limit and in-flight window here).</summary>
    public Action<ChannelSenderOptions>? ConfigureSender { get; init; }

    /// <summary>Adjusts the provider settings (credentials, timeouts) before the senders start; tests use it.</summary>
    public Action<ProvidersOptions>? ConfigureProviders { get; init; }
}

/// <summary>
/// The whole platform in one process: embedded cluster, registry, provider fakes, topology, the four
/// senders, the status recorder and the API, wired exactly as their hosts wire them but with every endpoint local.
/// </summary>
public sealed class LocalPlatform : IAsyncDisposable
{
    private readonly List<Func<ValueTask>> disposers = [];

    private LocalPlatform(LocalPlatformSettings settings) => Settings = settings;

    public LocalPlatformSettings Settings { get; }

    public LocalKafkaCluster Cluster { get; private set; } = null!;

    public LocalSchemaRegistry Registry { get; private set; } = null!;

    public FakeProviders Fakes { get; private set; } = null!;

    public NotificationTopologyRunner Topology { get; private set; } = null!;

    public IReadOnlyList<ChannelSender> Senders { get; private set; } = [];

    /// <summary>Appends the topology's outcomes from notifications.delivery-status to the run's delivery log.</summary>
    public StatusRecorder Recorder { get; private set; } = null!;

    /// <summary>The run's delivery log (<see cref="LocalDeliveryLog.Log"/>), shared by the senders and the API.</summary>
    public LocalDeliveryLog DeliveryLog { get; private set; } = null!;

    public ProvidersOptions Providers { get; private set; } = null!;

    public WebApplication Api { get; private set; } = null!;

    public string ApiUrl { get; private set; } = "";

    /// <summary>A key generated for this run (client "demo-traffic", every category, contacts allowed).</summary>
    public string DemoApiKey { get; } = "demo-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    public string ProcessorApplicationId => LocalProfile.ProcessorApplicationId;

    public static async Task<LocalPlatform> StartAsync(LocalPlatformSettings settings, ILoggerFactory loggers, Func<LocalPlatform, CancellationToken, Task>? beforeProcessing, CancellationToken ct)
    {
        var stack = new LocalPlatform(settings);
        try
        {
            await stack.StartCoreAsync(loggers, beforeProcessing, ct);
            return stack;
        }
        catch
        {
            await stack.DisposeAsync();
            throw;
        }
    }

    private async Task StartCoreAsync(ILoggerFactory loggers, Func<LocalPlatform, CancellationToken, Task>? beforeProcessing, CancellationToken ct)
    {
        Directory.CreateDirectory(Settings.WorkDirectory);
        Cluster = LocalKafkaCluster.Start(Settings.Brokers, logger: loggers.CreateLogger("Streaming.LocalKafka"));
        disposers.Add(() => { Cluster.Dispose(); return ValueTask.CompletedTask; });
        Registry = await LocalSchemaRegistry.StartAsync(Settings.RegistryPort, loggers, ct);
        disposers.Add(Registry.DisposeAsync);
        // The fakes stand in for the providers: their own request logs (full device-token paths) are not the platform's.
        Fakes = await FakeProviders.StartAsync(0, Settings.ProviderFaults, Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance, ct, Settings.ProviderJournal);
        disposers.Add(Fakes.DisposeAsync);
        DeliveryLog = await LocalDeliveryLog.StartAsync(Settings.DeliveryLogStore, Settings.WorkDirectory, Settings.CqlPort, loggers, ct);
        disposers.Add(DeliveryLog.DisposeAsync);

        Api = NotificationApi.Build([], builder =>
        {
            builder.WebHost.UseUrls($"http://127.0.0.1:{Settings.ApiPort}");
            builder.Logging.ClearProviders().AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning);
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Kafka:Producer:BootstrapServers"] = Cluster.BootstrapServers,
                ["Kafka:Producer:LingerMs"] = Settings.LingerMs.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["SchemaRegistry:Url"] = Registry.UrlString,
                ["NotificationPublisher:SourceService"] = "notification-api",
                ["Telemetry:Enabled"] = "false", // the local stack exports for every part at once
                ["Logging:LogLevel:Default"] = "Warning",
            });
            builder.Services.AddSingleton(DeliveryLog.Log); // the API reads statuses from the run's log, which the platform disposes
            builder.Services.PostConfigure<NotificationPublisherOptions>(o => o.Catalog = NotificationCatalog.Demo());
            builder.Services.PostConfigure<ApiOptions>(o => o.Clients.Add(new ApiClient
            {
                Name = "demo-traffic",
                KeySha256 = [ApiClient.HashKey(DemoApiKey)],
                Categories = ["*"],
                CanWriteContacts = true,
            }));
        });
        await Api.StartAsync(ct);
        disposers.Add(async () =>
        {
            await Api.StopAsync(CancellationToken.None);
            await Api.DisposeAsync();
        });
        ApiUrl = NotificationApi.Urls(Api).First();

        // Contact data first: the topology's global tables load everything up to the end of their topics before its
        // stream thread processes the first request, so the demo's first requests already find their users.
        if (beforeProcessing is not null)
        {
            await beforeProcessing(this, ct);
        }

        // The embedded cluster cannot CreateTopics: the topology's changelogs exist before it starts.
        Cluster.CreateTopics(NotificationTopology.InternalTopics(ProcessorApplicationId));
        // auto.offset.reset=error everywhere in the local profile; new groups start from offset 0 explicitly.
        Cluster.InitializeGroupOffsets(ProcessorApplicationId, [Topics.Requested]);
        var topologyOptions = LocalProfile.Topology(Cluster.BootstrapServers, Registry.UrlString, Path.Combine(Settings.WorkDirectory, "topology-state"));
        topologyOptions.NumStreamThreads = Settings.StreamThreads;
        topologyOptions.LingerMs = Settings.LingerMs;
        Topology = await NotificationTopologyRunner.StartAsync(topologyOptions, loggers, cancellationToken: ct);
        disposers.Add(Topology.DisposeAsync);

        var providers = ProvidersOptions.ForBaseUrl(Fakes.BaseUrl, FakeProviders.ApnsPrivateKeyPem(), Fakes.FcmServiceAccountJson());
        Settings.ConfigureProviders?.Invoke(providers);
        Providers = providers;
        var senders = new List<ChannelSender>();
        foreach (var channel in Topics.SenderChannels)
        {
            var senderOptions = LocalProfile.Sender(channel, Cluster.BootstrapServers, Registry.UrlString);
            senderOptions.RetryDelays = Settings.RetryDelays;
            senderOptions.RatePerSecond = Settings.SenderRatePerSecond;
            senderOptions.Producer.LingerMs = Settings.LingerMs;
            Settings.ConfigureSender?.Invoke(senderOptions);
            Cluster.CreateTopics(senderOptions.ResolvedRetryTopics); // the local tiers are not the contract's defaults
            var sender = new ChannelSender(senderOptions, providers, DeliveryLog.Log, loggers);
            await sender.StartAsync(ct);
            senders.Add(sender);
            disposers.Add(sender.DisposeAsync);
        }

        Senders = senders;
        Recorder = new StatusRecorder(LocalProfile.StatusRecorder(Cluster.BootstrapServers, Registry.UrlString), DeliveryLog.Log, loggers);
        await Recorder.StartAsync(ct);
        disposers.Add(Recorder.DisposeAsync);

        await Topology.WaitUntilRunningAsync(TimeSpan.FromSeconds(60), ct);
        await Task.WhenAll([.. Senders.Select(s => s.Assigned), Recorder.Assigned]).WaitAsync(TimeSpan.FromSeconds(60), ct);
    }

    public ContactInfoPublisher Contacts => Api.Services.GetRequiredService<ContactInfoPublisher>();

    /// <summary>Stops in dependency order: API first (no new requests), then senders, topology, fakes, registry, cluster.</summary>
    public async ValueTask DisposeAsync()
    {
        for (var i = disposers.Count - 1; i >= 0; i--)
        {
            try
            {
                await disposers[i]();
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // Keep shutting the rest down; the run's result is already decided.
            }
        }
    }
}
