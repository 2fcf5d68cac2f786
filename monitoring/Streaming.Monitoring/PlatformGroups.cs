using Streaming.Contracts;

namespace Streaming.Monitoring;

/// <summary>The platform's own consumer groups and what they read: the default watch list of the lag monitor.</summary>
public static class PlatformGroups
{
    public const string Processor = "streaming-processor";

    /// <summary>The status recorder's default group (StatusRecorderOptions.DefaultGroupId), reading the status topic.</summary>
    public const string StatusRecorder = "delivery-log-recorder";

    /// <summary>The senders' default group (ChannelSenderOptions.ResolvedGroupId).</summary>
    public static string Sender(string channel) => $"senders-{channel}";

    /// <summary>
    /// The processor's group, each sender's (with the channel topic and the retry tier topics of <paramref name="retryDelays"/>,
    /// default: the platform's tiers) and the status recorder's.
    /// </summary>
    public static IReadOnlyList<MonitoredGroup> Default(string processorApplicationId = Processor, IEnumerable<TimeSpan>? retryDelays = null) =>
    [
        new() { Group = processorApplicationId, Topics = [Topics.Requested] },
        .. Topics.SenderChannels.Select(c => new MonitoredGroup { Group = Sender(c), Topics = [Topics.ForChannel(c), .. Topics.RetryTopics(c, retryDelays)] }),
        new() { Group = StatusRecorder, Topics = [Topics.DeliveryStatus] },
    ];

    /// <summary>Parses "group=topic1,topic2".</summary>
    public static MonitoredGroup Parse(string spec)
        => TryParse(spec, out var group) ? group : throw new FormatException($"'{spec}' is not group=topic[,topic...]");

    public static bool TryParse(string spec, out MonitoredGroup group)
    {
        var parts = spec.Split('=', 2);
        var topics = parts.Length == 2 ? parts[1].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) : [];
        group = new MonitoredGroup { Group = parts[0].Trim(), Topics = [.. topics] };
        return group.Group.Length > 0 && topics.Length > 0;
    }
}
