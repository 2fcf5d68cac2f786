namespace Streaming.DeliveryLog;

/// <summary>Where the delivery log lives, bound from "DeliveryLog".</summary>
public sealed class DeliveryLogOptions
{
    public const string Section = "DeliveryLog";

    /// <summary>SQLite file (the embedded default store).</summary>
    public string Path { get; set; } = "delivery-log.db";

    /// <summary>Rows written per transaction at most (group commit).</summary>
    public int BatchSize { get; set; } = 512;

    /// <summary>SQLite synchronous mode: NORMAL survives a process crash in WAL mode; FULL also a power loss.</summary>
    public string Synchronous { get; set; } = "NORMAL";
}
