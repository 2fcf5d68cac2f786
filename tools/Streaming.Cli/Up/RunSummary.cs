using System.Text.Json;
using Streaming.Contracts;

namespace Streaming.Cli;

/// <summary>
/// The summary of an <c>up</c> run, computed from what the topics say happened to every request that went through the
/// stack, with the demo generator's own counts as one part of it.
/// </summary>
internal static class RunSummary
{
    private static readonly string[] Reported = [Outcomes.Delivered, Outcomes.Suppressed, Outcomes.Failed, Outcomes.DeadLettered, Outcomes.Expired, Outcomes.Deferred, Outcomes.Duplicate];

    public static Dictionary<string, object?> Of(TrackerSnapshot s, DemoCounts demo, PlatformCounts platform, IReadOnlyDictionary<string, long> maxLag, StackAddresses addresses, TimeSpan elapsed) => new()
    {
        ["delivery_log_store"] = addresses.DeliveryLogStore,
        ["requested"] = s.Requested,
        ["by_source"] = s.BySource,
        ["demo"] = new { sent = demo.Sent, accepted = demo.Accepted, rejected_by_api = demo.Rejected, failed = demo.Failed },
        ["outcomes"] = Reported.ToDictionary(o => o, o => s.Outcomes.GetValueOrDefault(o)),
        ["by_channel"] = s.ByChannel,
        ["request_level_reasons"] = s.RequestLevelReasons,
        ["lost"] = s.Pending.Count,
        ["held"] = s.Held,
        ["duplicates_at_provider"] = platform.ProviderDuplicates,
        ["provider"] = new { requests = platform.ProviderRequests, transient_faults_injected = platform.TransientFaults },
        ["retries"] = new { in_place = platform.RetriedInPlace, via_retry_topics = platform.RetriedViaTopics },
        ["latency_ms"] = new { p50 = s.Latency.P50, p95 = s.Latency.P95, p99 = s.Latency.P99, max = s.Latency.Max },
        ["max_lag"] = maxLag,
        ["elapsed_s"] = Math.Round(elapsed.TotalSeconds, 1),
        ["addresses"] = addresses,
    };

    public static Task WriteAsync(FileInfo file, Dictionary<string, object?> summary)
        => File.WriteAllTextAsync(file.FullName, JsonSerializer.Serialize(summary, StackAddresses.Json));
}

/// <summary>What the platform's parts counted themselves: calls at the provider fakes and the senders' retries.</summary>
internal sealed record PlatformCounts(long ProviderRequests, long ProviderDuplicates, long TransientFaults, long RetriedInPlace, long RetriedViaTopics)
{
    public static PlatformCounts Of(Streaming.LocalStack.LocalPlatform platform) => new(
        platform.Fakes.RequestCount, platform.Fakes.Duplicates, platform.Fakes.TransientFaults,
        platform.Senders.Sum(s => s.Stats.RetriedInPlace), platform.Senders.Sum(s => s.Stats.Retried));
}
