using Avro;
using Avro.Generic;
using Avro.IO;
using Avro.Specific;
using Streaming.Contracts;

namespace Streaming.Contracts.Tests;

/// <summary>
/// DeliveryStatus gained an optional sourceService: data teams' readers on the previous schema (PreviousSchemas/) read
/// new statuses, and the platform reads statuses written before the field existed.
/// </summary>
public sealed class StatusSchemaEvolutionTests
{
    private static readonly Schema Previous = Evolution.PreviousSchema(nameof(DeliveryStatus));

    [Fact]
    public void a_status_from_a_writer_on_the_previous_schema_reads_with_no_source_service()
    {
        var old = new GenericRecord((RecordSchema)Previous);
        foreach (var field in ((RecordSchema)Previous).Fields)
        {
            old.Add(field.Name, field.Name switch
            {
                "eventId" => "evt-old-0001",
                "userId" => "u-1",
                "channel" => Channels.Email,
                "outcome" => Outcomes.Delivered,
                "attempt" => 1,
                "requestedAt" or "occurredAt" => DateTime.UtcNow,
                _ => null,
            });
        }

        var bytes = Evolution.Write(new GenericDatumWriter<GenericRecord>(Previous), old);
        var read = new SpecificDatumReader<DeliveryStatus>(Previous, DeliveryStatus._SCHEMA).Read(null!, new BinaryDecoder(new MemoryStream(bytes)));

        Assert.Equal(("evt-old-0001", Outcomes.Delivered, 1), (read.eventId, read.outcome, read.attempt));
        Assert.Null(read.sourceService);
    }

    [Fact]
    public void a_status_with_a_source_service_reads_on_the_previous_schema()
    {
        var current = DeliveryStatuses.About(
            new NotificationRequested { eventId = "evt-new-0001", userId = "u-1", category = "billing", sourceService = "orders", createdAt = DateTime.UtcNow },
            Channels.Sms, "+4915112345678", Outcomes.Suppressed, "opted-out", DateTimeOffset.UtcNow);

        var bytes = Evolution.Write(new SpecificDatumWriter<DeliveryStatus>(DeliveryStatus._SCHEMA), current);
        var read = new GenericDatumReader<GenericRecord>(DeliveryStatus._SCHEMA, Previous).Read(null!, new BinaryDecoder(new MemoryStream(bytes)));

        Assert.Equal(("evt-new-0001", Outcomes.Suppressed, "opted-out"), (read["eventId"], read["outcome"], read["reason"]));
        Assert.False(read.TryGetValue("sourceService", out _));
    }
}
