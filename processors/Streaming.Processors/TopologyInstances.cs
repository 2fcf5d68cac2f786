using System.Runtime.CompilerServices;
using Confluent.SchemaRegistry;
using Microsoft.Extensions.Logging;
using Streamiz.Kafka.Net;
using Streamiz.Kafka.Net.Kafka;
using Streamiz.Kafka.Net.Kafka.Internal;

namespace Streaming.Processors;

/// <summary>
/// Makes the topology instances of one runner (a <see cref="KafkaStream"/> with the topology, its stream configuration and
/// a client supplier that records the admin clients Streamiz hands out) and stops them, disposing the admin clients
/// Streamiz left open (see <see cref="AdminClientTracker"/>).
/// </summary>
internal sealed class TopologyInstances(ISchemaRegistryClient registry, TimeProvider time, ILoggerFactory loggerFactory, ILogger logger, string applicationId)
{
    private static readonly TimeSpan StopDeadline = TimeSpan.FromSeconds(30);

    // Keyed weakly, so an abandoned instance is not kept alive by this table.
    private readonly ConditionalWeakTable<KafkaStream, AdminClientTracker> clients = new();

    public KafkaStream Create(ProcessorOptions options)
    {
        var builder = new StreamBuilder();
        NotificationTopology.Build(builder, TopologySettings.From(options, registry, time, loggerFactory));
        var config = TopologyStreamConfig.Create(options, loggerFactory);
        var supplier = new AdminClientTracker(new DefaultKafkaClientSupplier(new KafkaLoggerAdapter(config), config));
        var created = new KafkaStream(builder.Build(), config, supplier);
        clients.Add(created, supplier);
        return created;
    }

    /// <summary>Stops <paramref name="instance"/>, however long its threads take to commit, flush their stores and stop.</summary>
    public async Task StopAsync(KafkaStream instance)
    {
        await Task.Run(instance.Dispose).ConfigureAwait(false);
        DisposeLeftoverClients(instance);
    }

    /// <summary>
    /// Stops an instance being replaced. KafkaStream.Dispose blocks until the threads have committed, flushed their stores
    /// and stopped; a stalled one may never get there, so it is abandoned (with its clients) after a deadline.
    /// </summary>
    public async Task StopWithinDeadlineAsync(KafkaStream instance)
    {
        var disposing = Task.Run(instance.Dispose);
        if (await Task.WhenAny(disposing, Task.Delay(StopDeadline)).ConfigureAwait(false) != disposing)
        {
            ProcessorLog.StalledInstanceAbandoned(logger, applicationId, StopDeadline.TotalSeconds);
            return;
        }

        await disposing.ConfigureAwait(false);
        DisposeLeftoverClients(instance);
    }

    /// <summary>Admin clients handed to Streamiz and not disposed, over the instances still alive.</summary>
    public int OpenAdminClients() => clients.Sum(c => c.Value.Open);

    private void DisposeLeftoverClients(KafkaStream instance)
    {
        if (clients.TryGetValue(instance, out var tracker))
        {
            tracker.DisposeLeftovers();
        }
    }
}
