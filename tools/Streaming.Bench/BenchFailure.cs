namespace Streaming.Bench;

/// <summary>A stage found records it produced that were never consumed (or counts that differ): the bench fails.</summary>
internal sealed class BenchFailure(string message) : Exception(message);
