using Confluent.Kafka;
using Streaming.Contracts;

namespace Streaming.Replay;

/// <summary>
/// Writes replayed records through the normal path: same key and value, the original's headers without its DLQ and
/// retry headers (so it starts afresh), plus where it was replayed from and, with --force, the force mark.
/// </summary>
internal sealed class Republisher(string bootstrapServers, bool force) : IDisposable
{
    private static readonly string[] DroppedHeaders =
    [
        HeaderNames.DlqReason, HeaderNames.DlqError, HeaderNames.DlqStage, HeaderNames.OriginalTopic,
        HeaderNames.OriginalPartition, HeaderNames.OriginalOffset, HeaderNames.Attempt, HeaderNames.NotBefore,
        HeaderNames.ReplayedFrom, HeaderNames.ReplayForce,
    ];

    private readonly IProducer<byte[]?, byte[]?> producer = new ProducerBuilder<byte[]?, byte[]?>(new ProducerConfig
    {
        BootstrapServers = bootstrapServers,
        EnableIdempotence = true,
        Acks = Acks.All,
        LingerMs = 5,
    }).Build();

    private readonly List<string> errors = [];

    public void Produce(string destination, ConsumeResult<byte[]?, byte[]?> r)
    {
        var headers = KafkaHeaders.CopyExcept(r.Message.Headers, DroppedHeaders);
        ReplayHeaders.Mark(headers, r.TopicPartitionOffset, force);

        producer.Produce(destination, new Message<byte[]?, byte[]?> { Key = r.Message.Key, Value = r.Message.Value, Headers = headers }, report =>
        {
            if (report.Error.IsError)
            {
                lock (errors)
                {
                    errors.Add($"{report.TopicPartitionOffset}: {report.Error.Reason}");
                }
            }
        });
    }

    /// <summary>Waits for every acknowledgement; throws when one is missing or failed, so a replay never half-succeeds silently.</summary>
    public void Complete()
    {
        if (producer.Flush(TimeSpan.FromSeconds(30)) > 0)
        {
            throw new InvalidOperationException("Some re-published records were not acknowledged within 30 s.");
        }

        lock (errors)
        {
            if (errors.Count > 0)
            {
                throw new InvalidOperationException($"{errors.Count} re-published records failed, e.g. {errors[0]}");
            }
        }
    }

    public void Dispose() => producer.Dispose();
}
