using System.Diagnostics;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;
using Streaming.Contracts;
using Streaming.Senders.Providers;

namespace Streaming.Senders;

/// <summary>
/// The retry policy, in one place. Around every provider call: a token-bucket rate limiter
/// (<see cref="ChannelSenderOptions.RatePerSecond"/>) plus a provider-wide pause while a Retry-After is in force, then
/// Polly: in-place retries with jittered exponential backoff (honouring Retry-After up to
/// <see cref="ChannelSenderOptions.MaxInPlaceDelay"/>) → circuit breaker → per-call timeout. Exceptions become transient
/// results (timeouts, connection errors). What happens after the in-place retries (retry topic tiers, DLQ) is decided by
/// <see cref="Tier"/>.
/// </summary>
public sealed class DeliveryPipeline : IDisposable
{
    private readonly INotificationProvider provider;
    private readonly ChannelSenderOptions options;
    private readonly TimeProvider time;
    private readonly RateLimiter? limiter;
    private readonly ResiliencePipeline<ProviderResult> pipeline;
    private readonly CircuitBreakerStateProvider breakerState = new();
    private readonly KeyValuePair<string, object?> channelTag;
    private long pausedUntilTicks;
    private long circuitOpened;
    private long circuitClosed;

    public DeliveryPipeline(INotificationProvider provider, ChannelSenderOptions options, ILogger logger, TimeProvider? time = null)
    {
        this.provider = provider;
        this.options = options;
        this.time = time ?? TimeProvider.System;
        channelTag = new("channel", options.Channel);
        if (options.RatePerSecond > 0)
        {
            // Refill every 10 ms so the rate is smooth rather than one burst per second.
            var perPeriod = Math.Max(1, (int)Math.Round(options.RatePerSecond / 100));
            limiter = new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
            {
                TokenLimit = Math.Max(perPeriod, (int)Math.Ceiling(options.RatePerSecond / 10)),
                TokensPerPeriod = perPeriod,
                ReplenishmentPeriod = TimeSpan.FromMilliseconds(10.0 * perPeriod / (options.RatePerSecond / 100)),
                QueueLimit = int.MaxValue,
                QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
                AutoReplenishment = true,
            });
        }

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
                    static async (state, ct) => await state.self.CallAsync(state.notification, ct).ConfigureAwait(false),
                    (self: this, notification),
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

    public void Dispose() => limiter?.Dispose();

    private async Task<ProviderResult> CallAsync(ChannelNotification notification, CancellationToken ct)
    {
        var pausedUntil = new DateTimeOffset(Interlocked.Read(ref pausedUntilTicks), TimeSpan.Zero);
        var now = time.GetUtcNow();
        if (pausedUntil > now)
        {
            await Task.Delay(pausedUntil - now, time, ct).ConfigureAwait(false);
        }

        if (limiter is not null)
        {
            using var lease = await limiter.AcquireAsync(1, ct).ConfigureAwait(false);
        }

        var started = Stopwatch.GetTimestamp();
        ProviderResult result;
        try
        {
            result = await provider.SendAsync(notification, ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            result = ProviderResult.Transient("timeout", "The provider call timed out.");
        }
        catch (HttpRequestException e)
        {
            result = ProviderResult.Transient("connection", e.Message);
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or Google.Apis.Auth.OAuth2.Responses.TokenResponseException)
        {
            result = ProviderResult.Transient("connection", e.Message);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // An SDK exception nobody classified: retry through the tiers, so it ends dead-lettered with a status and a
            // log row if it persists, instead of failing the record without an outcome.
            result = ProviderResult.Transient("provider-exception", $"{e.GetType().Name}: {e.Message}");
        }

        SenderMetrics.ProviderDurationHistogram.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds,
            channelTag, new("provider", provider.Name), new("result", result.Outcome.ToString().ToLowerInvariant()));
        if (result.RetryAfter is { } retryAfter && retryAfter > TimeSpan.Zero)
        {
            // Retry-After applies to the whole account, not this one message: hold every call until it has passed.
            var until = time.GetUtcNow().Add(retryAfter).UtcTicks;
            long current;
            while ((current = Interlocked.Read(ref pausedUntilTicks)) < until && Interlocked.CompareExchange(ref pausedUntilTicks, until, current) != current)
            {
            }
        }

        return result;
    }
}
