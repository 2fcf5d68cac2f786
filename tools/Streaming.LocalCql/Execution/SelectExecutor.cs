using Streaming.Cql.Protocol;
using Streaming.LocalCql.Parsing;
using Streaming.LocalCql.Storage;

namespace Streaming.LocalCql.Execution;

/// <summary>
/// SELECT: reads partitions in key order and rows in clustering order (or reversed by ORDER BY), applies LIMIT, and
/// pages by the requested page size with a paging state that resumes after the last row returned.
/// </summary>
internal static class SelectExecutor
{
    private const string PagedInOrderBy = "Cannot page queries with both ORDER BY and a IN restriction on the partition key; "
        + "you must either remove the ORDER BY or the IN and sort client side, or disable paging for this query";

    public static RowsResult Execute(SelectStatement statement, ExecutionContext context)
    {
        var table = context.Table(statement.Table);
        var projection = Projection.For(statement, table);
        var store = context.Rows(table);
        var plan = SelectPlan.Build(statement, table, context, store.PartitionOrder);
        var limit = TermBinder.OptionalInt(statement.Limit, Receivers.Limit(table), context);
        if (limit <= 0)
        {
            throw CqlEngineException.Invalid("LIMIT must be strictly positive");
        }

        var pageSize = context.Options.PageSize is > 0 and var size ? size : (int?)null;
        if (projection.IsCount)
        {
            var counted = store.Read(Request(plan, null, limit ?? int.MaxValue), context.NowSecond).Count;
            return ResultRows.Of(projection.Columns, [[Projection.Count(counted)]]);
        }

        if (plan.NeedsPostOrdering)
        {
            if (pageSize is { } page && (limit is null || limit > page))
            {
                throw CqlEngineException.Invalid(PagedInOrderBy);
            }

            var all = store.Read(Request(plan, null, int.MaxValue), context.NowSecond);
            var order = store.ClusteringOrder;
            all.Sort((a, b) => plan.Reversed ? order.Compare(b.Clustering, a.Clustering) : order.Compare(a.Clustering, b.Clustering));
            return Result(projection, all.Take(limit ?? int.MaxValue), context, null);
        }

        var resume = context.Options.PagingState is { } state ? PagingState.Decode(state.ToArray()) : null;
        var remaining = resume is null ? limit : resume.Remaining;
        var wanted = Math.Min(pageSize ?? int.MaxValue, remaining ?? int.MaxValue);
        var rows = store.Read(Request(plan, resume?.After, wanted == int.MaxValue ? wanted : wanted + 1), context.NowSecond);
        if (rows.Count <= wanted)
        {
            return Result(projection, rows, context, null);
        }

        rows.RemoveRange(wanted, rows.Count - wanted);
        var left = remaining - wanted;
        var next = left is null or > 0 ? new PagingState(rows[^1].Position, left).Encode() : null;
        return Result(projection, rows, context, next);
    }

    private static ReadRequest Request(SelectPlan plan, RowPosition? after, int maxRows) =>
        new(plan.Partitions, after, plan.Reversed, plan.Filter, maxRows);

    private static RowsResult Result(Projection projection, IEnumerable<RowView> rows, ExecutionContext context, byte[]? pagingState) =>
        ResultRows.Of(projection.Columns, rows.Select(r => projection.Row(r, context.NowSecond)), pagingState);
}
