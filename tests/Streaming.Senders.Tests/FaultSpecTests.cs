using Streaming.ProviderFakes;

namespace Streaming.Senders.Tests;

/// <summary>The provider fakes' fault spec, the language every fault test configures them in.</summary>
public sealed class FaultSpecTests
{
    [Fact]
    public void fault_spec_parses_rates_durations_switches_and_rejects_unknown_keys()
    {
        var f = FaultSpec.Parse("error=0.2, latency=50ms, 429=0.05, retry-after=2s, outage=on, fail-first=3, invalid-prefix=bad");
        Assert.Equal((0.2, 0.05, TimeSpan.FromMilliseconds(50), TimeSpan.FromSeconds(2), true, 3, "bad"),
            (f.ErrorRate, f.TooManyRequestsRate, f.Latency, f.RetryAfter, f.Outage, f.FailFirst, f.InvalidPrefix));
        Assert.Equal(0, FaultSpec.Parse("none").ErrorRate);
        Assert.Throws<FormatException>(() => FaultSpec.Parse("errors=0.1"));
        Assert.Throws<FormatException>(() => FaultSpec.Parse("error=2"));
    }
}
