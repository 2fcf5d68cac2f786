namespace Streaming.ProviderFakes;

/// <summary>Holds the current <see cref="FaultSpec"/> (changeable while requests run) and decides the fault of each request.</summary>
internal sealed class FaultInjector(FaultSpec initial)
{
    // Replaced whole, never mutated: a request reads one consistent spec.
    private volatile FaultSpec spec = initial.Clone();

    /// <summary>The spec in force; callers must not change it (<see cref="Set"/> takes a new one).</summary>
    public FaultSpec Current => spec;

    public void Set(FaultSpec value) => spec = value.Clone();

    public void SetOutage(bool on)
    {
        var changed = spec.Clone();
        changed.Outage = on;
        spec = changed;
    }

    /// <summary>
    /// The fault for the <paramref name="callNumber"/>-th request (1-based) of one (channel, eventId, target) under
    /// <paramref name="f"/>: outage, then invalid targets, then fail-first counts, then random rates.
    /// </summary>
    public static ProviderFault Decide(FaultSpec f, string target, int callNumber)
        => f.Outage ? ProviderFault.Error
            : target.StartsWith(f.InvalidPrefix, StringComparison.Ordinal) && f.InvalidPrefix.Length > 0 ? ProviderFault.Invalid
            : callNumber <= f.TooManyRequestsFirst && target.StartsWith(f.TooManyRequestsFirstPrefix, StringComparison.Ordinal) ? ProviderFault.TooMany
            : callNumber <= f.FailFirst && target.StartsWith(f.FailFirstPrefix, StringComparison.Ordinal) ? ProviderFault.Error
            : f.TooManyRequestsRate > 0 && Random.Shared.NextDouble() < f.TooManyRequestsRate ? ProviderFault.TooMany
            : f.ErrorRate > 0 && Random.Shared.NextDouble() < f.ErrorRate ? ProviderFault.Error
            : ProviderFault.None;
}
