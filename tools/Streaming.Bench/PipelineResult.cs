namespace Streaming.Bench;

/// <summary>The pipeline stage's figures: throughput and its cost per request, then the latency run's percentiles.</summary>
internal sealed record PipelineResult(double PerSecond, long Requests, TimeSpan Elapsed, double CpuMicrosPerRequest, double AllocatedKbPerRequest, double GcPausePercent, double LatencyP50, double LatencyP99, long LatencySamples, double OfferedPerSecond, double RoutedP50, double RoutedP99, bool TrimmedConsumed);
