using System.Globalization;

namespace Streaming.Cql.Cluster;

/// <summary>A host and port to connect to, parsed from "host", "host:port" or "[ipv6]:port".</summary>
public sealed record CqlEndpoint(string Host, int Port)
{
    public static CqlEndpoint Parse(string text, int defaultPort)
    {
        var value = text.Trim();
        if (value.StartsWith('['))
        {
            var close = value.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
            {
                throw new FormatException($"'{text}' opens '[' without closing it.");
            }

            var host = value[1..close];
            return value.Length > close + 1 && value[close + 1] == ':'
                ? new CqlEndpoint(host, ParsePort(value[(close + 2)..], text))
                : new CqlEndpoint(host, defaultPort);
        }

        var colon = value.LastIndexOf(':');
        if (colon > 0 && value.IndexOf(':', StringComparison.Ordinal) == colon)
        {
            return new CqlEndpoint(value[..colon], ParsePort(value[(colon + 1)..], text));
        }

        return value.Length > 0 ? new CqlEndpoint(value, defaultPort) : throw new FormatException("An empty contact point.");
    }

    public override string ToString() => Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]:{Port}" : $"{Host}:{Port}";

    private static int ParsePort(string port, string text)
        => int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value is > 0 and < 65536
            ? value
            : throw new FormatException($"'{text}' has no valid port.");
}
