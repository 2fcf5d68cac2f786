using System.Runtime.ExceptionServices;
using Microsoft.Extensions.Logging;
using Streaming.Cql.Cluster;
using Streaming.Cql.Connections;
using Streaming.Cql.Protocol;
using Streaming.Cql.Statements;

namespace Streaming.Cql.Requests;

/// <summary>
/// Runs one execution of a statement: walks the query plan, sends on the host's least busy connection, re-prepares
/// and re-sends once when the host answers UNPREPARED, and asks the retry policy after each failed attempt.
/// Server ERROR answers become <see cref="CqlServerException"/>; when the plan runs out the caller gets
/// <see cref="NoHostAvailableException"/> with each host's error.
/// </summary>
internal sealed class RequestHandler(CqlCluster cluster, IRetryPolicy policy, RequestBuilder builder, CqlClientOptions options, ILogger logger)
{
    public async Task<(ResponseFrame Answer, CqlHost Host)> ExecuteAsync(Statement statement, CqlMessage request, CancellationToken cancellationToken)
    {
        var timeout = statement.Timeout ?? options.RequestTimeout;
        var idempotent = builder.IsIdempotent(statement);
        var plan = cluster.Planner.NewPlan();
        var errors = new Dictionary<string, Exception>();
        var next = 0;
        var retries = 0;
        var host = next < plan.Count ? plan[next++] : null;
        while (host is not null)
        {
            if (cluster.PoolOf(host).PickConnection() is not { } connection)
            {
                errors[host.ToString()] = host.LastError ?? new CqlException("no open connection");
                host = next < plan.Count ? plan[next++] : null;
                continue;
            }

            Exception error;
            try
            {
                var answer = await SendAsync(connection, statement, request, timeout, cancellationToken).ConfigureAwait(false);
                if (answer.Message is not ErrorResponse serverError)
                {
                    WarnIfAsked(answer, connection.Host, statement);
                    return (answer, host);
                }

                CqlMetrics.Error(serverError.Code.ToString());
                error = CqlServerException.From(serverError, connection.Host);
            }
            catch (CqlConnectionClosedException e)
            {
                CqlMetrics.Error("connection_closed");
                error = e;
            }
            catch (CqlRequestTimeoutException e)
            {
                CqlMetrics.Error("timeout");
                error = e;
            }

            var decision = policy.Decide(new RetryContext(statement, error, retries, idempotent));
            if (decision == RetryDecision.Rethrow)
            {
                ExceptionDispatchInfo.Throw(error);
            }

            retries++;
            CqlMetrics.Retry(decision == RetryDecision.RetrySameHost ? "same_host" : "next_host");
            RequestLog.Retrying(logger, statement.ToString() ?? "", connection.Host, error.Message, retries, decision.ToString());
            if (decision == RetryDecision.RetryNextHost)
            {
                errors[host.ToString()] = error;
                host = next < plan.Count ? plan[next++] : null;
            }
        }

        foreach (var down in cluster.Hosts.Where(h => !h.IsUp))
        {
            errors.TryAdd(down.ToString(), down.LastError ?? new CqlException("down"));
        }

        throw new NoHostAvailableException(errors);
    }

    private async Task<ResponseFrame> SendAsync(CqlConnection connection, Statement statement, CqlMessage request, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (cluster.Keyspace is { } keyspace && connection.Keyspace != keyspace)
        {
            await ConnectionHandshake.UseAsync(connection, keyspace, timeout, cancellationToken).ConfigureAwait(false);
        }

        CqlMetrics.RequestStarted(request.Opcode.ToString());
        try
        {
            var answer = await connection.SendAsync(request, timeout, cancellationToken).ConfigureAwait(false);
            if (answer.Message is ErrorResponse { Code: CqlErrorCode.Unprepared } && PreparedIn(statement) is { Count: > 0 } prepared)
            {
                // The node lost the statement (restarted, or never saw it): prepare on this connection's node, then send once more.
                foreach (var statementToPrepare in prepared)
                {
                    var reprepared = await connection.SendAsync(new PrepareRequest(statementToPrepare.Query), timeout, cancellationToken).ConfigureAwait(false);
                    if (reprepared.Message is not PreparedResult result)
                    {
                        return reprepared;
                    }

                    CqlMetrics.Reprepare();
                    RequestLog.Reprepared(logger, connection.Host, statementToPrepare.Query);
                    if (!result.Id.Span.SequenceEqual(statementToPrepare.Id))
                    {
                        RequestLog.RepreparedIdChanged(logger, connection.Host, statementToPrepare.Query);
                    }
                }

                answer = await connection.SendAsync(request, timeout, cancellationToken).ConfigureAwait(false);
            }

            if (answer.Message is SetKeyspaceResult use)
            {
                cluster.Keyspace = connection.Keyspace = CqlIdentifier.Quote(use.Keyspace);
            }

            return answer;
        }
        finally
        {
            CqlMetrics.RequestEnded();
        }
    }

    private static List<PreparedStatement> PreparedIn(Statement statement) => statement switch
    {
        BoundStatement bound => [bound.Prepared],
        BatchStatement batch => batch.Statements.OfType<BoundStatement>().Select(b => b.Prepared).DistinctBy(p => Convert.ToHexString(p.Id)).ToList(),
        _ => [],
    };

    private void WarnIfAsked(ResponseFrame answer, string host, Statement statement)
    {
        if (answer.Warnings.Count > 0)
        {
            RequestLog.ServerWarnings(logger, host, statement.ToString() ?? "", string.Join(" | ", answer.Warnings));
        }
    }
}
