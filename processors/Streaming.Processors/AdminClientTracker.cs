using System.Reflection;
using Confluent.Kafka;
using Streamiz.Kafka.Net;
using Streamiz.Kafka.Net.Kafka;
using Streamiz.Kafka.Net.Metrics;

namespace Streaming.Processors;

/// <summary>
/// Streamiz's own client supplier, plus a record of the admin clients it hands out, so that the runner can dispose what
/// a disposed <see cref="KafkaStream"/> left open.
/// </summary>
/// <remarks>
/// Streamiz 1.8 gives the global-table thread an admin client (for the tables' partition metadata) that nothing
/// disposes, so every instance (start, start retry, restart) would leave a librdkafka handle, its threads and a broker
/// connection behind for the life of the process. The admin clients are handed out behind a proxy whose Dispose runs
/// once, because Confluent's AdminClient throws on a second Dispose and Streamiz does dispose the others.
/// </remarks>
internal sealed class AdminClientTracker(IKafkaSupplier inner) : IKafkaSupplier
{
    private readonly List<OnceDisposedAdminClient> admins = [];

    public StreamMetricsRegistry MetricsRegistry
    {
        get => inner.MetricsRegistry;
        set => inner.MetricsRegistry = value;
    }

    /// <summary>Admin clients handed out and not disposed yet.</summary>
    public int Open
    {
        get
        {
            lock (admins)
            {
                return admins.Count(a => !a.Disposed);
            }
        }
    }

    public IAdminClient GetAdmin(AdminClientConfig config)
    {
        var proxy = DispatchProxy.Create<IAdminClient, OnceDisposedAdminClient>();
        var tracked = (OnceDisposedAdminClient)(object)proxy;
        tracked.Target = inner.GetAdmin(config);
        lock (admins)
        {
            admins.Add(tracked);
        }

        return proxy;
    }

    public IConsumer<byte[], byte[]> GetConsumer(ConsumerConfig config, IConsumerRebalanceListener rebalanceListener) => inner.GetConsumer(config, rebalanceListener);

    public IProducer<byte[], byte[]> GetProducer(ProducerConfig config) => inner.GetProducer(config);

    public IConsumer<byte[], byte[]> GetRestoreConsumer(ConsumerConfig config) => inner.GetRestoreConsumer(config);

    public IConsumer<byte[], byte[]> GetGlobalConsumer(ConsumerConfig config) => inner.GetGlobalConsumer(config);

    /// <summary>Disposes every admin client still open; call once the KafkaStream has been disposed.</summary>
    public void DisposeLeftovers()
    {
        List<OnceDisposedAdminClient> open;
        lock (admins)
        {
            open = [.. admins.Where(a => !a.Disposed)];
        }

        foreach (var admin in open)
        {
            admin.DisposeOnce();
        }
    }
}
