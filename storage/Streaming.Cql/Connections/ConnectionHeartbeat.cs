using Streaming.Cql.Protocol;

namespace Streaming.Cql.Connections;

/// <summary>
/// Sends OPTIONS on a connection that has read nothing for an interval and closes it when no answer comes within the
/// timeout. This finds connections a hung node or a dropped route left half-open, which TCP keep-alive would only
/// notice after hours; requests that merely time out do not close a connection.
/// </summary>
internal static class ConnectionHeartbeat
{
    public static async Task RunAsync(CqlConnection connection, TimeSpan interval, TimeSpan timeout, CancellationToken closing)
    {
        using var timer = new PeriodicTimer(interval);
        try
        {
            while (await timer.WaitForNextTickAsync(closing).ConfigureAwait(false))
            {
                if (connection.IdleFor < interval)
                {
                    continue;
                }

                try
                {
                    await connection.SendAsync(new OptionsRequest(), timeout, closing).ConfigureAwait(false);
                }
                catch (CqlRequestTimeoutException e)
                {
                    connection.Close(new CqlException($"no answer to a heartbeat within {timeout.TotalMilliseconds:F0} ms", e));
                    return;
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or CqlConnectionClosedException)
        {
            // The connection closed; nothing left to watch.
        }
    }
}
