namespace Streaming.Cql.Tests.Support;

internal static class TestOptions
{
    /// <summary>One connection per host, quick reconnection, timeouts short enough for tests.</summary>
    public static CqlClientOptions For(params ScriptedCqlServer[] servers) => new()
    {
        ContactPoints = servers.Select(s => s.Endpoint).ToList(),
        ConnectionsPerHost = 1,
        ReconnectBaseDelay = TimeSpan.FromMilliseconds(50),
        ReconnectMaxDelay = TimeSpan.FromMilliseconds(200),
        ConnectTimeout = TimeSpan.FromSeconds(5),
        RequestTimeout = TimeSpan.FromSeconds(10),
    };
}
