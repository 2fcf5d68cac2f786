using System.Globalization;

namespace Streaming.ProviderFakes;

/// <summary>
/// Faults the fakes inject, changeable at run time. Parsed from a spec string such as
/// <c>error=0.2,latency=50ms,429=0.05</c> (<see cref="Parse"/> lists every key).
/// </summary>
public sealed class FaultSpec
{
    /// <summary>Probability (0..1) that a request gets a transient 5xx.</summary>
    public double ErrorRate { get; set; }

    /// <summary>Probability (0..1) that a request gets 429 with <see cref="RetryAfter"/>.</summary>
    public double TooManyRequestsRate { get; set; }

    /// <summary>Retry-After sent with every 429.</summary>
    public TimeSpan RetryAfter { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Delay added before every answer.</summary>
    public TimeSpan Latency { get; set; }

    /// <summary>When on, every provider request gets 503 (the OAuth token endpoint keeps working).</summary>
    public bool Outage { get; set; }

    /// <summary>Targets starting with this are rejected permanently (APNs 410 Unregistered, FCM UNREGISTERED, Twilio 21211, SendGrid 400).</summary>
    public string InvalidPrefix { get; set; } = "invalid";

    /// <summary>Each (eventId, channel, target) gets a 503 for its first N requests, then the normal answer.</summary>
    public int FailFirst { get; set; }

    /// <summary>Each (eventId, channel, target) gets a 429 for its first N requests, then the normal answer.</summary>
    public int TooManyRequestsFirst { get; set; }

    /// <summary>Limits <see cref="FailFirst"/> to targets starting with this (empty = every target).</summary>
    public string FailFirstPrefix { get; set; } = "";

    /// <summary>Limits <see cref="TooManyRequestsFirst"/> to targets starting with this (empty = every target).</summary>
    public string TooManyRequestsFirstPrefix { get; set; } = "";

    public FaultSpec Clone() => (FaultSpec)MemberwiseClone();

    /// <summary>
    /// Parses <c>key=value</c> pairs separated by commas: <c>error</c>, <c>429</c> (rates 0..1),
    /// <c>retry-after</c>, <c>latency</c> (durations: <c>50ms</c>, <c>2s</c>, <c>1m</c>), <c>outage</c>
    /// (<c>on</c>/<c>off</c>), <c>invalid-prefix</c>, <c>fail-first</c>, <c>429-first</c> (counts per (eventId, channel, target)),
    /// <c>fail-first-prefix</c>, <c>429-first-prefix</c> (limit those two to targets with that prefix).
    /// An empty spec or <c>none</c> means no faults.
    /// </summary>
    public static FaultSpec Parse(string? spec)
    {
        var result = new FaultSpec();
        if (string.IsNullOrWhiteSpace(spec) || spec.Trim() == "none")
        {
            return result;
        }

        foreach (var part in spec.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            var key = (eq < 0 ? part : part[..eq]).Trim().ToLowerInvariant();
            var value = eq < 0 ? "on" : part[(eq + 1)..].Trim();
            switch (key)
            {
                case "error": result.ErrorRate = Rate(key, value); break;
                case "429": result.TooManyRequestsRate = Rate(key, value); break;
                case "retry-after": result.RetryAfter = Duration(key, value); break;
                case "latency": result.Latency = Duration(key, value); break;
                case "outage": result.Outage = value is "on" or "true" or "1"; break;
                case "invalid-prefix": result.InvalidPrefix = value; break;
                case "fail-first": result.FailFirst = Count(key, value); break;
                case "429-first": result.TooManyRequestsFirst = Count(key, value); break;
                case "fail-first-prefix": result.FailFirstPrefix = value; break;
                case "429-first-prefix": result.TooManyRequestsFirstPrefix = value; break;
                default: throw new FormatException($"Unknown fault '{key}' in '{spec}'. Known: error, 429, retry-after, latency, outage, invalid-prefix, fail-first, fail-first-prefix, 429-first, 429-first-prefix.");
            }
        }

        return result;
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"error={ErrorRate},429={TooManyRequestsRate},retry-after={RetryAfter.TotalMilliseconds}ms,latency={Latency.TotalMilliseconds}ms,outage={(Outage ? "on" : "off")},invalid-prefix={InvalidPrefix},fail-first={FailFirst},fail-first-prefix={FailFirstPrefix},429-first={TooManyRequestsFirst},429-first-prefix={TooManyRequestsFirstPrefix}");

    private static double Rate(string key, string value)
        => double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var r) && r is >= 0 and <= 1
            ? r
            : throw new FormatException($"Fault '{key}' needs a rate between 0 and 1, got '{value}'.");

    private static int Count(string key, string value)
        => int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n >= 0
            ? n
            : throw new FormatException($"Fault '{key}' needs a count, got '{value}'.");

    /// <summary>Parses 50ms, 2s, 1m or a plain number of milliseconds.</summary>
    public static TimeSpan Duration(string key, string value)
    {
        var (number, unit) = value.EndsWith("ms", StringComparison.OrdinalIgnoreCase) ? (value[..^2], 1.0)
            : value.EndsWith('s') ? (value[..^1], 1000.0)
            : value.EndsWith('m') ? (value[..^1], 60_000.0)
            : (value, 1.0);
        return double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) && n >= 0
            ? TimeSpan.FromMilliseconds(n * unit)
            : throw new FormatException($"Fault '{key}' needs a duration like 50ms, 2s or 1m, got '{value}'.");
    }
}
