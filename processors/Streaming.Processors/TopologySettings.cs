using Confluent.SchemaRegistry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Streaming.Contracts;

namespace Streaming.Processors;

/// <summary>What <see cref="NotificationTopology.Build"/> needs besides the builder; tests pass a fake clock and a local registry.</summary>
public sealed class TopologySettings
{
    public TopologySettings(ISchemaRegistryClient registry, NotificationCatalog catalog, TimeProvider? time = null, ILoggerFactory? loggerFactory = null)
    {
        Registry = registry;
        Catalog = catalog;
        Time = time ?? TimeProvider.System;
        Logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("Streaming.Processors.NotificationTopology");
        // Parsing every template now turns a broken template in configuration into a start-up error, not a DLQ flood.
        Templates = new TemplateRenderer(catalog);
    }

    public ISchemaRegistryClient Registry { get; }

    public NotificationCatalog Catalog { get; }

    /// <summary>The clock of every policy decision (expiry, schedule, quiet hours, dedup horizon).</summary>
    public TimeProvider Time { get; }

    public TimeSpan DedupHorizon { get; init; } = TimeSpan.FromHours(24);

    public TimeSpan DedupPurgeInterval { get; init; } = TimeSpan.FromMinutes(1);

    public TimeSpan ReleaseInterval { get; init; } = TimeSpan.FromSeconds(1);

    public int MaxPerPunctuation { get; init; } = 5000;

    internal ILogger Logger { get; }

    internal TemplateRenderer Templates { get; }

    public static TopologySettings From(ProcessorOptions options, ISchemaRegistryClient registry, TimeProvider? time = null, ILoggerFactory? loggerFactory = null)
        => new(registry, options.Catalog, time, loggerFactory)
        {
            DedupHorizon = options.DedupHorizon,
            DedupPurgeInterval = options.DedupPurgeInterval,
            ReleaseInterval = options.ReleaseInterval,
            MaxPerPunctuation = options.MaxPerPunctuation,
        };
}
