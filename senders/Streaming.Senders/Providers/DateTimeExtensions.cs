namespace Streaming.Senders.Providers;

internal static class DateTimeExtensions
{
    /// <summary>Avro timestamp-millis come back as UTC DateTimes; treat an unspecified kind as UTC too.</summary>
    public static DateTimeOffset AsUtc(this DateTime d)
        => new(d.Kind switch
        {
            DateTimeKind.Local => d.ToUniversalTime(),
            DateTimeKind.Unspecified => DateTime.SpecifyKind(d, DateTimeKind.Utc),
            _ => d,
        });
}
