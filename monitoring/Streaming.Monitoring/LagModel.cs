namespace Streaming.Monitoring;

/// <summary>Burrow-style evaluation of a consumer group over the evaluation window.</summary>
public enum GroupStatus
{
    /// <summary>Lag is zero or not growing.</summary>
    Ok = 0,

    /// <summary>Lag grew across the whole window although the group is committing.</summary>
    Warn = 1,

    /// <summary>The group stopped committing while it has lag.</summary>
    Stall = 2,

    /// <summary>The group is gone: no committed offset on any partition it should consume.</summary>
    Stop = 3,

    /// <summary>The monitor could not read the group's offsets.</summary>
    Err = 4,
}

/// <summary>What a group consumes; group names come from configuration because listing groups is not possible on every cluster.</summary>
public sealed class MonitoredGroup
{
    public string Group { get; set; } = "";

    public List<string> Topics { get; set; } = [];
}

/// <summary>Lag of one partition at one instant.</summary>
public sealed record PartitionLag(
    string Topic,
    int Partition,
    long Committed,
    long HighWatermark,
    long LagMessages,
    double LagSeconds);

/// <summary>Lag of one group at one instant, with its evaluated status.</summary>
public sealed record GroupLag(
    string Group,
    GroupStatus Status,
    string Reason,
    long TotalLag,
    double MaxLagSeconds,
    IReadOnlyList<PartitionLag> Partitions,
    DateTimeOffset At);

/// <summary>Settings of the lag monitor ("LagMonitor" section).</summary>
public sealed class LagMonitorOptions
{
    public const string Section = "LagMonitor";

    /// <summary>Groups to watch and their topics.</summary>
    public List<MonitoredGroup> Groups { get; set; } = [];

    /// <summary>How often offsets and watermarks are sampled.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Samples in the evaluation window (Burrow's window); statuses need this many before they leave OK.</summary>
    public int WindowSamples { get; set; } = 6;

    /// <summary>Watermark samples kept per partition to estimate lag in seconds.</summary>
    public int HistorySamples { get; set; } = 120;
}
