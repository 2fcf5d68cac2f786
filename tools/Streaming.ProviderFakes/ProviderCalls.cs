using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace Streaming.ProviderFakes;

/// <summary>
/// What every fake endpoint does with one provider request besides speaking its protocol: wait the injected latency,
/// decide the fault, count the call and journal it.
/// </summary>
internal sealed class ProviderCalls(FaultInjector faults, CallCounters counters, RequestJournal journal)
{
    public CallCounters Counters => counters;

    /// <summary>False when nothing is journaled: endpoints then skip collecting <see cref="FakeRequest.Details"/>.</summary>
    public bool Journaling => journal.IsOn;

    /// <summary>The fault this request gets; <paramref name="details"/> go into the journal with it.</summary>
    public async Task<ProviderFault> DecideAsync(string channel, string? eventId, string target, CancellationToken ct, Dictionary<string, string>? details = null)
    {
        var f = faults.Current;
        if (f.Latency > TimeSpan.Zero)
        {
            await Task.Delay(f.Latency, ct).ConfigureAwait(false);
        }

        var id = eventId ?? "";
        var key = CallCounters.KeyOf(channel, id, target);
        var fault = FaultInjector.Decide(f, target, counters.CountCall(key));
        if (fault == ProviderFault.None)
        {
            counters.CountAccepted(key, channel, id, target);
        }

        counters.CountAnswered();
        if (journal.IsOn)
        {
            journal.Add(new FakeRequest(channel, eventId, target, DateTimeOffset.UtcNow, fault switch
            {
                ProviderFault.None => 200,
                ProviderFault.Invalid => 400,
                ProviderFault.TooMany => 429,
                _ => 503,
            }) { Details = details ?? [] });
        }

        return fault;
    }

    /// <summary>A 429 with the current Retry-After and the provider's own <paramref name="body"/>.</summary>
    public IResult TooMany(HttpContext ctx, object body)
    {
        var retryAfter = faults.Current.RetryAfter;
        // Retry-After in whole seconds is the HTTP standard; x-retry-after-ms lets short test delays be honoured exactly.
        ctx.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        ctx.Response.Headers["x-retry-after-ms"] = ((long)retryAfter.TotalMilliseconds).ToString(CultureInfo.InvariantCulture);
        return Results.Json(body, statusCode: 429);
    }
}
