using Microsoft.Extensions.Time.Testing;

namespace Streaming.LocalCql.Tests;

/// <summary>One engine node on a fake clock and one client session on it, with shorthands for running CQL.</summary>
internal sealed class EngineHarness
{
    public EngineHarness(CqlEngineOptions? options = null)
    {
        Engine = new CqlEngine(options, Time);
    }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2025, 3, 1, 12, 0, 0, TimeSpan.Zero));

    public CqlEngine Engine { get; }

    public EngineSession Session { get; } = new();

    /// <summary>A keyspace <c>ks</c> in use, with the given table definitions created in it.</summary>
    public static EngineHarness WithKeyspace(params string[] tables)
    {
        var harness = new EngineHarness();
        harness.Run("CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
        harness.Run("USE ks");
        foreach (var table in tables)
        {
            harness.Run(table);
        }

        return harness;
    }

    public ResultResponse Run(string cql, params CqlValue[] values) => Engine.Execute(cql, Parameters(values), Session);

    public RowsResult Rows(string cql, params CqlValue[] values) => Assert.IsType<RowsResult>(Run(cql, values));

    public RowsResult Page(string cql, int pageSize, ReadOnlyMemory<byte>? pagingState, params CqlValue[] values) =>
        Assert.IsType<RowsResult>(Engine.Execute(cql, Parameters(values) with { PageSize = pageSize, PagingState = pagingState }, Session));

    /// <summary>A BATCH frame's statements at consistency ONE.</summary>
    public ResultResponse Batch(BatchType type, params BatchQuery[] queries) =>
        Engine.ExecuteBatch(new BatchRequest(type, queries, CqlConsistency.One), Session);

    /// <summary>Positional values at consistency ONE, as a request carries them.</summary>
    public static QueryParameters Parameters(params CqlValue[] values) => new() { Consistency = CqlConsistency.One, Values = values };

    /// <summary>The error a statement fails with.</summary>
    public CqlEngineException Fails(string cql, params CqlValue[] values) => Assert.Throws<CqlEngineException>(() => Run(cql, values));

    /// <summary>The text values of one column over all result rows.</summary>
    public List<string> TextColumn(string cql, params CqlValue[] values) => [.. Rows(cql, values).Rows.Select(r => Bytes.AsText(r[0]))];
}
