using Avro;
using Avro.IO;
using Avro.Specific;
using Streaming.Contracts;

namespace Streaming.Contracts.Tests;

/// <summary><see cref="PrimitiveFastWriter"/> must write exactly what Apache.Avro's own writer writes, and fail where it fails.</summary>
public class SchemaWriterTests
{
    private static readonly DateTime At = new(2026, 11, 27, 9, 30, 0, 123, DateTimeKind.Utc);

    public static TheoryData<string, ISpecificRecord> Records() => new()
    {
        { "request, every optional field set", new NotificationRequested
        {
            eventId = "e-1", userId = "u-1", category = "social", priority = "high", channels = ["push", "email"],
            templateId = "new-comment", templateParameters = new Dictionary<string, string> { ["author"] = "Sam", ["snippet"] = "Grüße ✓" },
            locale = "de-DE", sourceService = "test", createdAt = At,
        } },
        { "request, optional fields null, empty collections", new NotificationRequested
        {
            eventId = "e-2", userId = "u-2", category = "billing", priority = "normal", templateId = "invoice-ready", sourceService = "test", createdAt = At,
        } },
        { "channel message", new ChannelNotification
        {
            eventId = "e-3", userId = "u-3", channel = "apns", target = "token", platform = "ios", category = "social", priority = "normal", locale = "en",
            templateId = "new-comment", title = "Hi", body = "Body", data = new Dictionary<string, string> { ["k"] = "v" }, expiresAt = At.AddHours(1),
            sourceService = "test", requestedAt = At, routedAt = At.AddSeconds(1),
        } },
        { "status with nulls", new DeliveryStatus
        {
            eventId = "e-4", userId = "u-4", channel = "email", outcome = "delivered", attempt = 2, requestedAt = At, occurredAt = At.AddSeconds(2),
        } },
        { "preferences, nested records and a union record", new UserPreferences
        {
            userId = "u-5", unsubscribedAll = true, channelOrder = ["sms", "email"],
            rules = [new ChannelRule { category = "marketing", channel = "*", optedIn = false }],
            quietHours = new QuietHours { start = "22:00", end = "07:00", timeZone = "Europe/Berlin" }, updatedAt = At,
        } },
    };

    [Theory]
    [MemberData(nameof(Records))]
    public void writes_the_same_bytes_as_the_stock_writer(string name, ISpecificRecord record)
    {
        Assert.Equal(Write(new SpecificDefaultWriter(record.Schema), record), Write(new PrimitiveFastWriter(record.Schema), record));
        Assert.NotEmpty(name);
    }

    [Fact]
    public void fails_where_the_stock_writer_fails()
    {
        var missing = new DeliveryStatus { eventId = "e-5", userId = null!, channel = "sms", outcome = "failed", requestedAt = At, occurredAt = At };
        var stock = Assert.ThrowsAny<AvroException>(() => Write(new SpecificDefaultWriter(missing.Schema), missing));
        var fast = Assert.ThrowsAny<AvroException>(() => Write(new PrimitiveFastWriter(missing.Schema), missing));
        Assert.Contains("userId", stock.Message);
        Assert.Contains("userId", fast.Message);
    }

    private static byte[] Write(SpecificDefaultWriter writer, ISpecificRecord record)
    {
        using var stream = new MemoryStream();
        writer.Write(record, new BinaryEncoder(stream));
        return stream.ToArray();
    }
}
