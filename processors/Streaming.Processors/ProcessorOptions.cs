using System.ComponentModel.DataAnnotations;
using Streaming.Contracts;

namespace Streaming.Processors;

/// <summary>
/// Settings of the notification topology, bound from the "Processor" section. The broker list comes from
/// "Kafka:BootstrapServers" (a Streamiz app is producer and consumer at once, so it reads the one shared key
/// rather than "Kafka:Producer"/"Kafka:Consumer"), the registry from "SchemaRegistry", the catalogue from "Catalog".
/// </summary>
public sealed class ProcessorOptions
{
    public const string Section = "Processor";

    /// <summary>Kafka Streams application ID: consumer group, prefix of internal topics and of the state folder.</summary>
    [Required, RegularExpression("^[A-Za-z0-9._-]{1,200}$")]
    public string ApplicationId { get; set; } = "streaming-processor";

    /// <summary>Broker list; bound from "Kafka:BootstrapServers", not from this section.</summary>
    [Required(ErrorMessage = "Kafka:BootstrapServers is not configured.")]
    public string BootstrapServers { get; set; } = "";

    /// <summary>AtLeastOnce (default; duplicates after a crash are dropped by the eventId dedup) or ExactlyOnce (needs transactions on the brokers).</summary>
    public ProcessingGuaranteeOption Guarantee { get; set; } = ProcessingGuaranteeOption.AtLeastOnce;

    /// <summary>Stream threads of this instance; tasks (one per input partition) are spread over them.</summary>
    [Range(1, 64)]
    public int NumStreamThreads { get; set; } = 1;

    /// <summary>How often offsets are committed and state stores flushed.</summary>
    [Range(10, 600_000)]
    public long CommitIntervalMs { get; set; } = 1000;

    /// <summary>
    /// Folder of the RocksDB state stores (dedup, schedule, global tables); empty means {temp}/streaming-processor.
    /// In a container mount a volume here, so a restart reopens the stores instead of replaying the changelogs.
    /// </summary>
    public string StateDir { get; set; } = "";

    /// <summary><see cref="StateDir"/>, or the default folder when it is empty.</summary>
    public string EffectiveStateDir => string.IsNullOrWhiteSpace(StateDir) ? Path.Combine(Path.GetTempPath(), "streaming-processor") : StateDir;

    /// <summary>How long an eventId is remembered for deduplication; default 24 h.</summary>
    public TimeSpan DedupHorizon { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How often remembered eventIds older than the horizon are purged.</summary>
    public TimeSpan DedupPurgeInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How often held (scheduled / quiet-hours) requests are checked and released when due; the release delay is at most this.</summary>
    public TimeSpan ReleaseInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Most held requests released (or eventIds purged) by one punctuation, so a backlog cannot stall the stream thread.</summary>
    [Range(1, 1_000_000)]
    public int MaxPerPunctuation { get; set; } = 5000;

    /// <summary>
    /// Where a consumer with no committed offset starts: Earliest (default), Latest, or Error (the local profile's choice,
    /// so that records the embedded cluster dropped surface as an error instead of a silent skip).
    /// </summary>
    public Confluent.Kafka.AutoOffsetReset AutoOffsetReset { get; set; } = Confluent.Kafka.AutoOffsetReset.Earliest;

    /// <summary>
    /// Consumer group session timeout; null keeps librdkafka's 45 s. A member that vanishes without leaving (a crash,
    /// or a restart on the embedded cluster, where the leave is not honoured) holds its partitions this long.
    /// </summary>
    [Range(1000, 300_000)]
    public int? SessionTimeoutMs { get; set; }

    /// <summary>
    /// fetch.wait.max.ms of the topology's consumers; null keeps librdkafka's 500 ms. A real broker answers a fetch as soon
    /// as data arrives, so this only bounds idle fetches there; the embedded cluster answers an empty fetch only after the
    /// full wait, even when records arrive meanwhile, so every hop would add up to this much latency (the local profile uses 20).
    /// </summary>
    [Range(0, 300_000)]
    public int? FetchWaitMaxMs { get; set; }

    /// <summary>
    /// Memtable size of each RocksDB store (dedup, schedule and the global tables), in MB, at most two per store; 0 keeps
    /// RocksDB's 64 MB. The dedup stores take two small writes per request and at 64 MB would hold tens of megabytes
    /// each in memory before their first flush, so an instance's memory would grow with its traffic. Default 8.
    /// </summary>
    public int RocksDbWriteBufferMb { get; set; } = 8;

    /// <summary>
    /// linger.ms of the topology's producer (channel messages, statuses, changelogs); null keeps librdkafka's 5 ms. Larger
    /// batches cost each hop up to this much latency but fewer requests; on the embedded cluster also fewer batches per
    /// partition, which matters because the mock broker finds a fetch offset by walking the partition's batch list.
    /// </summary>
    public double? LingerMs { get; set; }

    /// <summary>
    /// Streamiz poll.ms; null keeps Streamiz's 100 ms. A stream thread keeps polling until this much time has passed or it
    /// holds max.poll.records (500) before it processes anything, so at low rates every request waits up to this long.
    /// </summary>
    [Range(1, 10_000)]
    public long? PollMs { get; set; }

    /// <summary>
    /// Restart the topology when its stream threads have not polled for this long while it reports RUNNING or REBALANCING;
    /// zero disables.
    /// Streamiz 1.8 can leave a stream thread alive but idle for good when its assignment is lost with uncommitted work
    /// (e.g. a broker outage longer than the session timeout): the commit in the revoke callback fails and the thread's
    /// "rebalance in progress" flag is never cleared. A restart reopens the stores in a fresh state folder (restored from
    /// the changelogs) and rejoins the group; the eventId dedup and the senders' delivery-log check absorb the re-routed
    /// requests. Keep it well above a normal rebalance (a few session timeouts). Default 60 s.
    /// </summary>
    public TimeSpan StallRestartAfter { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Undeserializable records on the contact tables (users, devices, preferences): Continue (default: logged and counted,
    /// the table keeps its previous value) or Fail. Requests never reach this handler: they are read as bytes and a
    /// poison request goes to the DLQ.
    /// </summary>
    public ErrorAction OnTableDeserializationError { get; set; } = ErrorAction.Continue;

    /// <summary>A record the producer could not write: Fail (default: stop rather than lose a notification) or Continue.</summary>
    public ErrorAction OnProductionError { get; set; } = ErrorAction.Fail;

    /// <summary>An unexpected exception inside the topology (e.g. the registry is down): Fail (default) or Continue.</summary>
    public ErrorAction OnProcessingError { get; set; } = ErrorAction.Fail;

    /// <summary>A copy of these options with another state folder (what a watchdog restart runs on).</summary>
    public ProcessorOptions WithStateDir(string stateDir)
    {
        var copy = (ProcessorOptions)MemberwiseClone();
        copy.StateDir = stateDir;
        return copy;
    }

    /// <summary>Schema registry location ("SchemaRegistry" section).</summary>
    public SchemaRegistryOptions SchemaRegistry { get; set; } = new();

    /// <summary>Categories and templates ("Catalog" section); must not be empty.</summary>
    public NotificationCatalog Catalog { get; set; } = new();
}

public enum ProcessingGuaranteeOption
{
    AtLeastOnce,
    ExactlyOnce,
}

public enum ErrorAction
{
    Fail,
    Continue,
}
