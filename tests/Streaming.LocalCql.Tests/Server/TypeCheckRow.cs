using Streaming.Cql.Results;
using Streaming.Cql.Statements;

namespace Streaming.LocalCql.Tests.Server;

/// <summary>
/// A row with every column type the delivery log uses (text, int, bigint, timestamp, uuid, timeuuid, boolean,
/// map&lt;text, text&gt;) and nullable cells, written and read by both our client and the DataStax Python driver.
/// </summary>
internal sealed record TypeCheckRow(
    string Id, int Seq, long Big, DateTimeOffset At, Guid U, Guid Tu, bool Flag, IReadOnlyDictionary<string, string>? Attrs, string? Note)
{
    public const string Table = """
        CREATE TABLE streaming.type_check (id text, seq int, big bigint, at timestamp, u uuid, tu timeuuid, flag boolean,
          attrs map<text, text>, note text, PRIMARY KEY ((id), seq))
        """;

    public const string Insert = "INSERT INTO type_check (id, seq, big, at, u, tu, flag, attrs, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";

    public const string Select = "SELECT id, seq, big, at, u, tu, flag, attrs, note FROM type_check WHERE id = ?";

    /// <summary>Rows under <paramref name="id"/> covering extremes, unicode, empty and null cells; timestamps at whole milliseconds.</summary>
    public static List<TypeCheckRow> Samples(string id, DateTimeOffset around) =>
    [
        new(id, 1, long.MaxValue, around, Guid.NewGuid(), Cql.Types.TimeUuid.Create(around), true,
            new Dictionary<string, string> { ["channel"] = "sms", ["ünï"] = "cödé ✓", ["empty"] = "" }, "first"),
        new(id, 2, long.MinValue, around.AddDays(-40_000), Guid.Empty, Cql.Types.TimeUuid.Create(around.AddYears(-3)), false, null, null),
        new(id, -7, 0, DateTimeOffset.UnixEpoch, Guid.Parse("00112233-4455-6677-8899-aabbccddeeff"), Cql.Types.TimeUuid.Create(around.AddMilliseconds(1)), true,
            new Dictionary<string, string>(), ""),
    ];

    public BoundStatement Bind(PreparedStatement insert) =>
        insert.Bind(Id, Seq, Big, At, U, Tu, Flag, Attrs is null ? null : new Dictionary<string, string>(Attrs), Note);

    /// <summary>The row as our client reads it. An empty map reads as null: CQL does not tell them apart.</summary>
    public static TypeCheckRow From(Row row) => new(
        row.GetString("id")!,
        row.GetInt32("seq"),
        row.GetInt64("big"),
        row.GetDateTimeOffset("at"),
        row.GetGuid("u"),
        row.GetGuid("tu"),
        row.GetBoolean("flag"),
        row.IsNull("attrs") ? null : row.GetDictionary<string, string>("attrs"),
        row.GetString("note"));

    /// <summary>
    /// Every value in one comparable line: timestamps as epoch milliseconds, map entries sorted, an empty map as null
    /// (CQL does not tell them apart), null text apart from empty text.
    /// </summary>
    public string Canonical =>
        string.Join(" | ", Id, Seq, Big, At.ToUnixTimeMilliseconds(), U, Tu, Flag,
            Attrs is { Count: > 0 } attrs ? string.Join(", ", attrs.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => $"{e.Key}={e.Value}")) : "<null map>",
            Note ?? "<null>");
}
