namespace Streaming.DeliveryLog;

/// <summary>Which store holds the delivery log and how to reach it, bound from "DeliveryLog".</summary>
public sealed class DeliveryLogOptions
{
    public const string Section = "DeliveryLog";

    /// <summary>The SQLite store: one file, for one process on one machine (the embedded default).</summary>
    public const string SqliteStore = "sqlite";

    /// <summary>The Cassandra store: shared by every sender and API instance of a fleet.</summary>
    public const string CassandraStore = "cassandra";

    /// <summary><see cref="SqliteStore"/> or <see cref="CassandraStore"/>.</summary>
    public string Store { get; set; } = SqliteStore;

    public bool IsCassandra => Store.Equals(CassandraStore, StringComparison.OrdinalIgnoreCase);

    /// <summary>SQLite file.</summary>
    public string Path { get; set; } = "delivery-log.db";

    /// <summary>SQLite: rows written per transaction at most (group commit).</summary>
    public int BatchSize { get; set; } = 512;

    /// <summary>SQLite synchronous mode: NORMAL survives a process crash in WAL mode; FULL also a power loss.</summary>
    public string Synchronous { get; set; } = "NORMAL";

    /// <summary>The Cassandra store's settings ("DeliveryLog:Cassandra").</summary>
    public CassandraDeliveryLogOptions Cassandra { get; set; } = new();

    /// <summary>What is wrong with these settings, one line each; empty when they are usable.</summary>
    public IEnumerable<string> Problems()
    {
        if (!IsCassandra && !Store.Equals(SqliteStore, StringComparison.OrdinalIgnoreCase))
        {
            yield return $"DeliveryLog:Store is '{Store}'; use {SqliteStore} or {CassandraStore}.";
        }
        else if (IsCassandra)
        {
            foreach (var problem in Cassandra.Problems())
            {
                yield return problem;
            }
        }
        else if (string.IsNullOrWhiteSpace(Path))
        {
            yield return "DeliveryLog:Path (the SQLite file) is required.";
        }
    }
}
