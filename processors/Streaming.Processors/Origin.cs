using Confluent.Kafka;

namespace Streaming.Processors;

/// <summary>Where a request came from: enough to dead-letter it with its original bytes and coordinates, or to hold it.</summary>
internal sealed record Origin(string Topic, int Partition, long Offset, byte[]? Key, byte[]? Value, Headers Headers);
