using System.Text.RegularExpressions;

namespace Streaming.Contracts;

/// <summary>The shape of an event ID, as the API, the client library and the topology check it.</summary>
public static partial class EventIds
{
    /// <summary>What <see cref="IsValid"/> accepts, for error messages.</summary>
    public const string Rule = "eventId must be 8-64 characters of letters, digits, - and _.";

    /// <summary>8-64 characters of ASCII letters, digits, '-' and '_': safe in a URL path, a Kafka key and a log line.</summary>
    public static bool IsValid(string? eventId) => eventId is not null && Pattern().IsMatch(eventId);

    [GeneratedRegex("^[A-Za-z0-9_-]{8,64}$")]
    private static partial Regex Pattern();
}
