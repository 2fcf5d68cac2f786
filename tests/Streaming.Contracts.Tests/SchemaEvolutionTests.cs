using Avro;
using Avro.Generic;
using Avro.IO;
using Avro.Specific;
using Streaming.Contracts;

namespace Streaming.Contracts.Tests;

/// <summary>
/// A changed contract stays readable both ways against its previous version (kept in PreviousSchemas/): consumers on the
/// new schema read records of old producers, and consumers still on the old schema read records of new producers.
/// </summary>
public sealed class SchemaEvolutionTests
{
    private static readonly Schema Previous = Evolution.PreviousSchema(nameof(NotificationRequested));

    [Fact]
    public void a_request_from_a_producer_on_the_previous_schema_reads_with_no_collapse_key()
    {
        var old = new GenericRecord((RecordSchema)Previous);
        foreach (var (name, value) in Fields())
        {
            old.Add(name, value);
        }

        var bytes = Evolution.Write(new GenericDatumWriter<GenericRecord>(Previous), old);
        var read = new SpecificDatumReader<NotificationRequested>(Previous, NotificationRequested._SCHEMA).Read(null!, new BinaryDecoder(new MemoryStream(bytes)));

        Assert.Equal(("evt-old-0001", "u-1"), (read.eventId, read.userId));
        Assert.Null(read.collapseKey);
    }

    [Fact]
    public void a_request_with_a_collapse_key_reads_on_the_previous_schema()
    {
        var current = new NotificationRequested { eventId = "evt-new-0001", userId = "u-1", category = "social", priority = "normal", templateId = "new-comment", sourceService = "svc", createdAt = DateTime.UtcNow, collapseKey = "chat-42" };

        var bytes = Evolution.Write(new SpecificDatumWriter<NotificationRequested>(NotificationRequested._SCHEMA), current);
        var read = new GenericDatumReader<GenericRecord>(NotificationRequested._SCHEMA, Previous).Read(null!, new BinaryDecoder(new MemoryStream(bytes)));

        Assert.Equal("evt-new-0001", read["eventId"]);
        Assert.False(read.TryGetValue("collapseKey", out _));
    }

    private static IEnumerable<(string, object?)> Fields() =>
    [
        ("eventId", "evt-old-0001"), ("userId", "u-1"), ("category", "social"), ("priority", "normal"), ("channels", Array.Empty<object>()),
        ("templateId", "new-comment"), ("templateParameters", new Dictionary<string, object>()), ("locale", null), ("email", null), ("phone", null),
        ("sendAt", null), ("expiresAt", null), ("sourceService", "svc"), ("createdAt", DateTime.UtcNow),
    ];
}
