using Confluent.Kafka;
using Streaming.Contracts;

namespace Streaming.Processors;

/// <summary>What "route" emits: a channel message, a status, or a dead letter, each with the headers it must carry.</summary>
internal abstract record Routed(Headers Headers);

internal sealed record ChannelOutput(ChannelNotification Message, Headers Headers) : Routed(Headers);

internal sealed record StatusOutput(DeliveryStatus Status, Headers Headers) : Routed(Headers);

internal sealed record DeadLetterOutput(byte[]? Key, byte[]? Value, Headers Headers) : Routed(Headers);
