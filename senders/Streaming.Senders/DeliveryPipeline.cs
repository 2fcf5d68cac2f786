using Microsoft.Extensions.Logging;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;
using Streaming.Contracts;
using Streaming.Senders.Providers;

namespace Streaming.Senders;

/// <summary>
/// The retry policy, in one place. Around every provider call (rate-limited and paused for Retry-After by
/// <see cref="ThrottledProvider"/>), Polly: in-place retries with jittered exponential backoff (honouring Retry-After up to
/// <see cref="ChannelSenderOptions.MaxInPlaceDelay"/>) → circuit breaker → per-call timeout. Exceptions become transient
/// results (timeouts, connection errors). What happens after the in-place retries (retry topic tiers, DLQ) is decided by
/// <see cref="Tier"/>.
/// </summary>
public sealed class DeliveryPipeline : IDisposable
{
    private readonly INotificationProvider provider;
    private readonly TimeProvider time;
    private readonly ThrottledProvider throttled;
    private readonly ResiliencePipeline<ProviderResult> pipeline;
    private readonly CircuitBreakerStateProvider breakerState = new();
    private readonly KeyValuePair<string, object?> channelTag;
    private long circuitOpened;
    private long inPlaceRetries;
    private long circuitClosed;

    public DeliveryPipeline(INotificationProvider provider, ChannelSenderOptions options, ILogger logger, TimeProvider? time = null)
    {
        this.provider = provider;
        this.time = time ?? TimeProvider.System;
        throttled = new ThrottledProvider(provider, options, this.time);
        channelTag = new("channel", options.Channel);

        static bool Transient(Outcome<ProviderResult> o) => o.Result?.Outcome == ProviderOutcome.Transient || o.Exception is TimeoutRejectedException;
        var providerTag = new KeyValuePair<string, object?>("provider", provider.Name);
        pipeline = new ResiliencePipelineBuilder<ProviderResult>()
            .AddRetry(new RetryStrategyOptions<ProviderResult>
            {
                MaxRetryAttempts = Math.Max(1, options.InPlaceRetries),
                // An open circuit is not retried in place: that would burn retries during an outage.
                ShouldHandle = args => ValueTask.FromResult(options.InPlaceRetries > 0 && Transient(args.Outcome)
                    && !(args.Outcome.Result?.RetryAfter > options.MaxInPlaceDelay)),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.InPlaceBaseDelay,
                MaxDelay = options.MaxInPlaceDelay,
                DelayGenerator = args => ValueTask.FromResult(args.Outcome.Result?.RetryAfter),
                OnRetry = _ =>
                {
                    Interlocked.Increment(ref inPlaceRetries);
                    SenderMetrics.RetriesCounter.Add(1, channelTag, new("kind", "in_place"));
                    return ValueTask.CompletedTask;
                },
            })
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions<ProviderResult>
            {
                FailureRatio = options.BreakerFailureRatio,
                MinimumThroughput = Math.Max(2, options.BreakerMinimumThroughput),
                SamplingDuration = options.BreakerSamplingDuration,
                BreakDuration = options.BreakerBreakDuration,
                // Rate limiting is the provider protecting itself, not an outage: it pauses via Retry-After instead.
                ShouldHandle = args => ValueTask.FromResult(Transient(args.Outcome) && args.Outcome.Result?.Reason != "rate-limited"),
                StateProvider = breakerState,
                OnOpened = _ =>
                {
                    Interlocked.Increment(ref circuitOpened);
                    SenderMetrics.CircuitTransitionsCounter.Add(1, channelTag, providerTag, new("state", "open"));
                    SenderLog.Circuit(logger, provider.Name, "open");
                    return ValueTask.CompletedTask;
                },
                OnHalfOpened = _ =>
                {
                    SenderMetrics.CircuitTransitionsCounter.Add(1, channelTag, providerTag, new("state", "half_open"));
                    return ValueTask.CompletedTask;
                },
                OnClosed = _ =>
                {
                    Interlocked.Increment(ref circuitClosed);
                    SenderMetrics.CircuitTransitionsCounter.Add(1, channelTag, providerTag, new("state", "closed"));
                    SenderLog.Circuit(logger, provider.Name, "closed");
                    return ValueTask.CompletedTask;
                },
            })
            .AddTimeout(options.AttemptTimeout)
            .Build();
    }

    public string ProviderName => provider.Name;

    public CircuitState CircuitState => breakerState.CircuitState;

    public long CircuitOpenedCount => Interlocked.Read(ref circuitOpened);

    /// <summary>Provider calls repeated in place (before any retry topic).</summary>
    public long InPlaceRetryCount => Interlocked.Read(ref inPlaceRetries);

    public long CircuitClosedCount => Interlocked.Read(ref circuitClosed);

    /// <summary>
    /// One delivery attempt with in-place retries. While the circuit is open the call waits (without using up retries)
    /// until it half-opens; <paramref name="cancellationToken"/> ends the wait.
    /// </summary>
    public async Task<ProviderResult> SendAsync(ChannelNotification notification, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                return await pipeline.ExecuteAsync(
                    static async (state, ct) => await state.throttled.SendAsync(state.notification, ct).ConfigureAwait(false),
                    (throttled, notification),
                    cancellationToken).ConfigureAwait(false);
            }
            catch (BrokenCircuitException e)
            {
                var wait = e.RetryAfter ?? TimeSpan.FromMilliseconds(100);
                await Task.Delay(wait < TimeSpan.FromMilliseconds(20) ? TimeSpan.FromMilliseconds(20) : wait, time, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutRejectedException e)
            {
                return ProviderResult.Transient("timeout", e.Message);
            }
        }
    }

    /// <summary>
    /// What to do after attempt <paramref name="attempt"/> (1-based) failed transiently: the retry-topic delay, or null
    /// when the attempts are used up (dead letter).
    /// </summary>
    public static TimeSpan? Tier(ChannelSenderOptions options, int attempt)
        => attempt >= 1 && attempt <= options.RetryDelays.Length ? options.RetryDelays[attempt - 1] : null;

    public void Dispose() => throttled.Dispose();
}
