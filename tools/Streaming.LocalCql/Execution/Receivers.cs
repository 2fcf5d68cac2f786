using Streaming.Cql.Protocol;
using Streaming.LocalCql.Schema;

namespace Streaming.LocalCql.Execution;

/// <summary>
/// What each term of a statement is bound to, named as Cassandra names bind variables: the column itself,
/// <c>[ttl]</c>, <c>[timestamp]</c>, <c>[limit]</c>, or <c>in(col)</c> for <c>col IN ?</c>.
/// </summary>
internal static class Receivers
{
    public static ColumnSpec Column(TableDefinition table, ColumnDefinition column) => table.Spec(column);

    public static ColumnSpec Ttl(TableDefinition table) => table.Spec("[ttl]", CqlType.Int);

    public static ColumnSpec Timestamp(TableDefinition table) => table.Spec("[timestamp]", CqlType.Bigint);

    public static ColumnSpec Limit(TableDefinition table) => table.Spec("[limit]", CqlType.Int);

    public static ColumnSpec InList(TableDefinition table, ColumnDefinition column) => table.Spec($"in({column.Name})", CqlType.ListOf(column.Type));
}
