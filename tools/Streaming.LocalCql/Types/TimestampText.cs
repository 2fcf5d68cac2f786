using System.Globalization;
using System.Text.RegularExpressions;

namespace Streaming.LocalCql.Types;

/// <summary>
/// Timestamp literals as CQL accepts them: <c>'2024-05-01'</c>, <c>'2024-05-01 10:00'</c>,
/// <c>'2024-05-01T10:00:00.123+0200'</c> or with <c>Z</c>; without a zone the time is UTC (the local server's zone).
/// </summary>
internal static partial class TimestampText
{
    [GeneratedRegex(@"([+-]\d{2})(\d{2})$")]
    private static partial Regex CompactOffset();

    public static long ParseMillis(string text, string receiver)
    {
        var normalized = CompactOffset().Replace(text.Trim().Replace(' ', 'T'), "$1:$2");
        if (!DateTimeOffset.TryParse(normalized, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value))
        {
            throw CqlEngineException.Invalid($"Unable to coerce '{text}' to a formatted date (long) for {receiver}");
        }

        return value.ToUnixTimeMilliseconds();
    }
}
