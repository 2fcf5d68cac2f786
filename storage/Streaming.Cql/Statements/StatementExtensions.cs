namespace Streaming.Cql.Statements;

/// <summary>Fluent setters that keep the statement's own type: <c>p.Bind(a, b).WithConsistency(...).WithIdempotence(true)</c>.</summary>
public static class StatementExtensions
{
    public static T WithConsistency<T>(this T statement, CqlConsistency consistency) where T : Statement
    {
        statement.Consistency = consistency;
        return statement;
    }

    public static T WithSerialConsistency<T>(this T statement, CqlConsistency serialConsistency) where T : Statement
    {
        statement.SerialConsistency = serialConsistency;
        return statement;
    }

    public static T WithPageSize<T>(this T statement, int pageSize) where T : Statement
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);
        statement.PageSize = pageSize;
        return statement;
    }

    public static T WithPagingState<T>(this T statement, byte[]? pagingState) where T : Statement
    {
        statement.PagingState = pagingState;
        return statement;
    }

    public static T WithTimeout<T>(this T statement, TimeSpan timeout) where T : Statement
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero);
        statement.Timeout = timeout;
        return statement;
    }

    public static T WithIdempotence<T>(this T statement, bool idempotent) where T : Statement
    {
        statement.IsIdempotent = idempotent;
        return statement;
    }

    public static T WithTimestamp<T>(this T statement, long microsecondsSinceEpoch) where T : Statement
    {
        statement.Timestamp = microsecondsSinceEpoch;
        return statement;
    }
}
