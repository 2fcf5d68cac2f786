using Streaming.Cql.Protocol;
using Streaming.Cql.Tests.Support;
using Streaming.Cql.Types;

namespace Streaming.Cql.Tests.Codec;

public class TimeUuidTests
{
    [Fact]
    public void the_unix_epoch_has_the_rfc4122_time_fields_13814000_1dd2_11b2()
    {
        // 0x01B21DD213814000 intervals of 100 ns lie between 1582-10-15 and 1970-01-01.
        var uuid = TimeUuid.Create(DateTimeOffset.UnixEpoch);
        Assert.StartsWith("13814000-1dd2-11b2-", uuid.ToString(), StringComparison.Ordinal);
        var bytes = CqlValueCodec.Encode(uuid, CqlType.Timeuuid);
        Hex.Equal("13 81 40 00 1D D2 11 B2", bytes.AsSpan(0, 8));
        Assert.Equal(0x80, bytes[8] & 0xC0);
    }

    [Fact]
    public void version_1_uuids_carry_their_timestamp_to_100_ns_and_differ_for_the_same_instant()
    {
        var instant = new DateTimeOffset(2024, 5, 6, 7, 8, 9, TimeSpan.Zero).AddTicks(1234567);
        var a = TimeUuid.Create(instant);
        var b = TimeUuid.Create(instant);
        Assert.Equal(1, a.Version);
        Assert.Equal(instant, TimeUuid.GetTimestamp(a));
        Assert.NotEqual(a, b);
        Assert.Throws<ArgumentException>(() => TimeUuid.GetTimestamp(Guid.NewGuid()));
    }
}
