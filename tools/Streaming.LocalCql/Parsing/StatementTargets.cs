namespace Streaming.LocalCql.Parsing;

/// <summary>The tables a statement reads or writes, as written (possibly without keyspace).</summary>
internal static class StatementTargets
{
    public static IReadOnlyList<QualifiedName> Tables(CqlStatement statement) => statement switch
    {
        SelectStatement s => [s.Table],
        ModificationStatement m => [m.Table],
        BatchStatement b => [.. b.Statements.Select(s => s.Table)],
        TruncateStatement t => [t.Table],
        CreateTableStatement c => [c.Table],
        DropTableStatement d => [d.Table],
        _ => [],
    };
}
