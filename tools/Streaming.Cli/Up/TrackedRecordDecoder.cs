using Confluent.Kafka;
using Confluent.SchemaRegistry;
using Streaming.Contracts;

namespace Streaming.Cli;

/// <summary>Decodes one record of a tracked topic and tells the ledger what it means.</summary>
internal sealed class TrackedRecordDecoder(ISchemaRegistryClient registry)
{
    private readonly IDeserializer<NotificationRequested> requests = AvroSerdes.Deserializer<NotificationRequested>(registry);
    private readonly IDeserializer<DeliveryStatus> statuses = AvroSerdes.Deserializer<DeliveryStatus>(registry);
    private readonly IDeserializer<ChannelNotification> messages = AvroSerdes.Deserializer<ChannelNotification>(registry);

    public void Apply(ConsumeResult<string?, byte[]?> r, RequestLedger ledger)
    {
        switch (r.Topic)
        {
            case Topics.Requested:
                var request = Decode(requests, r);
                ledger.Requested(request?.eventId, r.Partition.Value, r.Offset.Value, request?.sourceService);
                break;
            case Topics.DeliveryStatus:
                if (Decode(statuses, r) is { } status)
                {
                    ledger.Status(status);
                }

                break;
            case Topics.DeadLetter:
                if (DeadLetterHeaders.OriginOf(r.Message.Headers) is { Topic: Topics.Requested } origin)
                {
                    ledger.DeadLetteredAtIntake(origin.Partition, origin.Offset, DeadLetterHeaders.Reason(r.Message.Headers) ?? "unknown");
                }

                break;
            default:
                if (Decode(messages, r) is { } message)
                {
                    ledger.Routed(message.eventId, message.channel, message.target);
                }

                break;
        }
    }

    // Bad records are not this tracker's to judge: the stage reading them dead-letters and counts them.
    private static T? Decode<T>(IDeserializer<T> deserializer, ConsumeResult<string?, byte[]?> r)
        where T : class
    {
        if (r.Message.Value is not { } bytes)
        {
            return null;
        }

        try
        {
            return deserializer.Deserialize(bytes, false, new SerializationContext(MessageComponentType.Value, r.Topic));
        }
        catch (Exception ex) when (ex is Avro.AvroException or InvalidDataException or AggregateException)
        {
            return null;
        }
    }
}
