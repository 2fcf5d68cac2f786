using System.Text;
using Streaming.Cql.Protocol;
using Streaming.Cql.Results;
using Streaming.Cql.Statements;
using Streaming.Cql.Tests.Support;
using Streaming.Cql.Types;

namespace Streaming.Cql.Tests;

public class PagingTests
{
    private static readonly string[] Letters = ["a", "b", "c", "d", "e"];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Serves <see cref="Letters"/> in pages of the requested size; the paging state is the next offset.</summary>
    private static Task ServeLetters(ServerRequest request)
    {
        var parameters = request.Parameters!;
        var offset = parameters.PagingState is { } state ? int.Parse(Encoding.ASCII.GetString(state.Span), System.Globalization.CultureInfo.InvariantCulture) : 0;
        var size = parameters.PageSize ?? Letters.Length;
        var page = Letters.Skip(offset).Take(size).Select(l => new string?[] { l }).ToArray();
        var next = offset + size < Letters.Length ? Encoding.ASCII.GetBytes((offset + size).ToString(System.Globalization.CultureInfo.InvariantCulture)) : null;
        return request.ReplyAsync(TestRows.Text(["letter"], page, next));
    }

    [Fact(Timeout = 30_000)]
    public async Task query_async_follows_the_paging_state_across_pages()
    {
        await using var server = new ScriptedCqlServer { Handler = ServeLetters };
        await using var session = await CqlSession.ConnectAsync(TestOptions.For(server), TestLoggerFactory.Instance, Ct);

        var letters = new List<string?>();
        await foreach (var row in session.QueryAsync(new SimpleStatement("SELECT letter FROM t"), pageSize: 2, Ct))
        {
            letters.Add(row.GetString("letter"));
        }

        Assert.Equal(Letters, letters);
        var requests = server.ReceivedOf<QueryRequest>().Select(r => r.Parameters!).ToList();
        Assert.All(requests, p => Assert.Equal(2, p.PageSize));
        Assert.Equal([null, "2", "4"], requests.Select(p => p.PagingState is { } s ? Encoding.ASCII.GetString(s.Span) : null));
    }

    [Fact(Timeout = 30_000)]
    public async Task one_page_exposes_its_paging_state_for_manual_paging()
    {
        await using var server = new ScriptedCqlServer { Handler = ServeLetters };
        await using var session = await CqlSession.ConnectAsync(TestOptions.For(server), TestLoggerFactory.Instance, Ct);

        var first = await session.ExecuteAsync(new SimpleStatement("SELECT letter FROM t").WithPageSize(3), Ct);
        var second = await session.ExecuteAsync(new SimpleStatement("SELECT letter FROM t").WithPageSize(3).WithPagingState(first.PagingState), Ct);

        Assert.Equal((3, true), (first.Count, first.HasMorePages));
        Assert.Equal(["d", "e"], second.Select(r => r.GetString(0)));
        Assert.False(second.HasMorePages);
        Assert.Null(second.PagingState);
    }

    [Fact]
    public void rows_give_typed_values_by_name_and_index_and_name_the_column_on_a_wrong_type()
    {
        var columns = new ColumnDefinitions(
        [
            new ColumnSpec("ks", "t", "event_id", CqlType.Text),
            new ColumnSpec("ks", "t", "attempt", CqlType.Int),
            new ColumnSpec("ks", "t", "offset", CqlType.Bigint),
            new ColumnSpec("ks", "t", "occurred_at", CqlType.Timestamp),
            new ColumnSpec("ks", "t", "id", CqlType.Uuid),
            new ColumnSpec("ks", "t", "ok", CqlType.Boolean),
            new ColumnSpec("ks", "t", "tags", CqlType.MapOf(CqlType.Text, CqlType.Text)),
            new ColumnSpec("ks", "t", "error", CqlType.Text),
            new ColumnSpec("ks", "t", "missing", CqlType.MapOf(CqlType.Text, CqlType.Text)),
        ]);
        var when = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000);
        var id = Guid.NewGuid();
        var values = new object?[] { "e1", 3, 42L, when, id, true, new Dictionary<string, string> { ["k"] = "v" }, null, null };
        var row = new Row(columns, values.Select((v, i) => v is null ? (ReadOnlyMemory<byte>?)null : CqlValueCodec.Encode(v, columns[i].Type)).ToArray());

        Assert.Equal("e1", row.GetString("event_id"));
        Assert.Equal(3, row.GetInt32(1));
        Assert.Equal(42L, row.GetInt64("OFFSET"));
        Assert.Equal(when, row.GetDateTimeOffset("occurred_at"));
        Assert.Equal(id, row.GetGuid("id"));
        Assert.True(row.GetBoolean("ok"));
        Assert.Equal("v", row.GetDictionary<string, string>("tags")["k"]);
        Assert.Empty(row.GetDictionary<string, string>("missing"));
        Assert.True(row.IsNull("error"));
        Assert.Null(row.GetString("error"));
        Assert.Equal(8, row.GetRaw("offset")!.Value.Length);

        var wrongType = Assert.Throws<InvalidCastException>(() => row.GetInt32("offset"));
        Assert.Contains("'offset'", wrongType.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidCastException>(() => row.GetInt32("error"));
        Assert.Contains("event_id", Assert.Throws<KeyNotFoundException>(() => row.GetString("nope")).Message, StringComparison.Ordinal);
    }
}
