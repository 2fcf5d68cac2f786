using System.Text.RegularExpressions;

namespace Streaming.Cql.Requests;

/// <summary>Names as CQL text: unquoted when CQL would not fold them, double-quoted otherwise.</summary>
internal static partial class CqlIdentifier
{
    public static string Quote(string name) => Plain().IsMatch(name) ? name : $"\"{name.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";

    [GeneratedRegex("^[a-z][a-z0-9_]*$")]
    private static partial Regex Plain();
}
