namespace Streaming.Bench;

/// <summary>What one `streaming bench` run measures: sizes, the stages to run and the pipeline's settings.</summary>
public sealed record BenchOptions(int Events, FileInfo? Json, int LatencySeconds, int LatencyRate, int StreamThreads, int[] TopologyThreads, string[] Stages, int Brokers, double LingerMs, int Warmup, bool TrimConsumed);
