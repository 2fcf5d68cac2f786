using Confluent.Kafka;
using Confluent.SchemaRegistry;
using Streaming.Contracts;
using Streaming.LocalStack;

namespace Streaming.Cli;

/// <summary>
/// Follows what happened to every request that went through the stack, whoever sent it (the demo generator, curl, a
/// service using the client library), by reading the topics the way a data team would: notifications.requested, the
/// channel topics, notifications.delivery-status and notifications.dlq. The state lives in a <see cref="RequestLedger"/>.
/// </summary>
internal sealed class OutcomeTracker : IDisposable
{
    private readonly RequestLedger ledger = new();
    private readonly CancellationTokenSource stop = new();
    private readonly Task reader;

    public OutcomeTracker(string bootstrapServers, ISchemaRegistryClient registry)
    {
        var decoder = new TrackedRecordDecoder(registry);
        reader = Task.Factory.StartNew(() => Read(bootstrapServers, decoder), TaskCreationOptions.LongRunning);
    }

    public TrackerSnapshot Snapshot() => ledger.Snapshot();

    private void Read(string bootstrap, TrackedRecordDecoder decoder)
    {
        using var consumer = new ConsumerBuilder<string?, byte[]?>(new ConsumerConfig
        {
            BootstrapServers = bootstrap,
            GroupId = "streaming-cli-outcomes", // assigned, never joined: no rebalance, no commits
            EnableAutoCommit = false,
        }).Build();
        string[] topics = [Topics.Requested, Topics.DeliveryStatus, Topics.DeadLetter, .. Topics.SenderChannels.Select(Topics.ForChannel)];
        consumer.Assign(topics.SelectMany(t => Enumerable.Range(0, LocalKafkaCluster.PartitionsPerTopic).Select(p => new TopicPartitionOffset(t, p, Offset.Beginning))));
        while (!stop.IsCancellationRequested)
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(200)) is { Message: not null } r)
            {
                decoder.Apply(r, ledger);
            }
        }

        consumer.Close();
    }

    public void Dispose()
    {
        stop.Cancel();
        reader.Wait(TimeSpan.FromSeconds(10));
        stop.Dispose();
    }
}
