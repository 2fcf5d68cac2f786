using Streaming.DeliveryLog;
using Streaming.LocalCql.Server;

namespace Streaming.DeliveryLog.Tests;

/// <summary>A fresh log of each store: SQLite in a temporary folder, Cassandra on a local CQL server (schema created by the store).</summary>
internal sealed class LogStore : IAsyncDisposable
{
    private readonly string? directory;
    private readonly LocalCqlServer? server;

    private LogStore(IDeliveryLog log, string? directory, LocalCqlServer? server)
    {
        Log = log;
        this.directory = directory;
        this.server = server;
    }

    public IDeliveryLog Log { get; }

    public LocalCqlServer? Server => server;

    public static async Task<LogStore> StartAsync(string store, Action<CassandraDeliveryLogOptions>? configure = null, LocalCqlServer? existing = null)
    {
        if (store == DeliveryLogOptions.SqliteStore)
        {
            var dir = Path.Combine(Path.GetTempPath(), "delivery-log-tests", Guid.NewGuid().ToString("N"));
            return new LogStore(new SqliteDeliveryLog(new DeliveryLogOptions { Path = Path.Combine(dir, "log.db"), BatchSize = 16 }), dir, null);
        }

        var server = existing ?? await LocalCqlServer.StartAsync();
        var options = Cassandra(server.Address);
        configure?.Invoke(options);
        var log = new CassandraDeliveryLog(options);
        await log.WaitUntilReadyAsync(TestContext.Current.CancellationToken);
        return new LogStore(log, null, existing is null ? server : null);
    }

    public static CassandraDeliveryLogOptions Cassandra(string contactPoint) => new()
    {
        ContactPoints = [contactPoint],
        Keyspace = "streaming",
        LocalDatacenter = "datacenter1",
        CreateSchema = true,
        RequestTimeout = TimeSpan.FromSeconds(5),
    };

    public async ValueTask DisposeAsync()
    {
        await Log.DisposeAsync();
        if (server is not null)
        {
            await server.DisposeAsync();
        }

        if (directory is not null)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(directory, recursive: true);
            }
            catch (IOException)
            {
                // a file still held by the OS: the temp folder is cleaned eventually
            }
        }
    }
}
