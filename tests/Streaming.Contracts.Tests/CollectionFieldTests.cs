using Avro;
using Avro.Specific;
using Streaming.Contracts;

namespace Streaming.Contracts.Tests;

public class CollectionFieldTests
{
    // Avro's reader fills a collection field in place when the record already holds one, and otherwise rebuilds the
    // collection type by reflection on every read (see CollectionFields.cs). A new schema with an array or map field
    // needs its constructor there too.
    [Fact]
    public void every_array_and_map_field_of_a_new_record_starts_empty_not_null()
    {
        var records = typeof(NotificationRequested).Assembly.GetTypes()
            .Where(t => typeof(ISpecificRecord).IsAssignableFrom(t) && t is { IsClass: true, IsAbstract: false })
            .ToList();
        Assert.Contains(typeof(ChannelNotification), records);
        var checkedFields = 0;
        foreach (var type in records)
        {
            var record = (ISpecificRecord)Activator.CreateInstance(type)!;
            foreach (var field in ((RecordSchema)record.Schema).Fields.Where(f => f.Schema.Tag is Schema.Type.Array or Schema.Type.Map))
            {
                checkedFields++;
                var value = record.Get(field.Pos);
                Assert.True(value is System.Collections.ICollection { Count: 0 }, $"{type.Name}.{field.Name} of a new record is {value ?? "null"}, not an empty collection: add it to CollectionFields.cs");
            }
        }

        Assert.Equal(6, checkedFields);
    }

    [Fact]
    public void a_record_read_back_holds_what_was_written_not_what_the_reused_collection_held()
    {
        var written = new NotificationRequested
        {
            eventId = "e-1",
            userId = "u-1",
            category = "social",
            priority = "normal",
            channels = ["push", "email"],
            templateId = "new-comment",
            templateParameters = new Dictionary<string, string> { ["author"] = "Sam" },
            sourceService = "test",
            createdAt = new DateTime(2026, 11, 27, 0, 0, 0, DateTimeKind.Utc),
        };
        using var stream = new MemoryStream();
        new SpecificWriter<NotificationRequested>(written.Schema).Write(written, new Avro.IO.BinaryEncoder(stream));

        var reader = new SpecificReader<NotificationRequested>(written.Schema, written.Schema);
        stream.Position = 0;
        var first = reader.Read(null!, new Avro.IO.BinaryDecoder(stream));
        stream.Position = 0;
        var second = reader.Read(null!, new Avro.IO.BinaryDecoder(stream));

        Assert.Equal(["push", "email"], first.channels);
        Assert.Equal("Sam", first.templateParameters["author"]);
        Assert.NotSame(first.channels, second.channels); // each read fills its own record's collections
        Assert.Equal(first.channels, second.channels);
    }
}
