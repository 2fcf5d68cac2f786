using Microsoft.Extensions.Logging;
using Streaming.DeliveryLog;
using Streaming.LocalCql.Server;

namespace Streaming.LocalStack;

/// <summary>
/// The delivery log of a local run: a SQLite file in the run's folder, or the Cassandra store on a local CQL server
/// started for the run (schema created by the store, as a first deployment would with CreateSchema).
/// </summary>
public sealed class LocalDeliveryLog : IAsyncDisposable
{
    private readonly LocalCqlServer? server;

    private LocalDeliveryLog(string store, IDeliveryLog log, string location, LocalCqlServer? server)
    {
        Store = store;
        Log = log;
        Location = location;
        this.server = server;
    }

    /// <summary><see cref="DeliveryLogOptions.SqliteStore"/> or <see cref="DeliveryLogOptions.CassandraStore"/>.</summary>
    public string Store { get; }

    public IDeliveryLog Log { get; }

    /// <summary>The SQLite file, or the CQL server's address (host:port) with the keyspace.</summary>
    public string Location { get; }

    /// <summary>The local CQL server when the store is Cassandra (tests start more sender instances against it).</summary>
    public LocalCqlServer? CqlServer => server;

    /// <summary>The Cassandra store's settings for another client of the same local server (a second sender instance, the API).</summary>
    public CassandraDeliveryLogOptions CassandraOptions() => new()
    {
        ContactPoints = [server?.Address ?? throw new InvalidOperationException("This local run uses the SQLite store.")],
        LocalDatacenter = "datacenter1",
    };

    public static async Task<LocalDeliveryLog> StartAsync(string store, string workDirectory, int cqlPort, ILoggerFactory loggers, CancellationToken ct)
    {
        if (!store.Equals(DeliveryLogOptions.CassandraStore, StringComparison.OrdinalIgnoreCase))
        {
            var path = Path.Combine(workDirectory, "delivery-log.db");
            return new LocalDeliveryLog(DeliveryLogOptions.SqliteStore, new SqliteDeliveryLog(new DeliveryLogOptions { Path = path }), path, null);
        }

        var server = await LocalCqlServer.StartAsync(cqlPort, logger: loggers.CreateLogger("Streaming.LocalCql"));
        try
        {
            var log = new CassandraDeliveryLog(new CassandraDeliveryLogOptions { ContactPoints = [server.Address], LocalDatacenter = "datacenter1", CreateSchema = true }, loggers);
            await log.WaitUntilReadyAsync(ct);
            return new LocalDeliveryLog(DeliveryLogOptions.CassandraStore, log, $"{server.Address} (keyspace streaming)", server);
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Log.DisposeAsync();
        if (server is not null)
        {
            await server.DisposeAsync();
        }
    }
}
