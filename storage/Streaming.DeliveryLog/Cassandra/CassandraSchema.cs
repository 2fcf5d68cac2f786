using System.Text.RegularExpressions;
using Streaming.Cql;

namespace Streaming.DeliveryLog;

/// <summary>
/// schemas/delivery_log.cql (embedded in this assembly), applied statement by statement for a configured keyspace. The
/// statements are IF NOT EXISTS, so several instances starting together leave one schema.
/// </summary>
internal static partial class CassandraSchema
{
    private const string FileKeyspace = "streaming";

    /// <summary>The schema file's statements with its keyspace renamed to <paramref name="keyspace"/>.</summary>
    public static IReadOnlyList<string> Statements(string keyspace)
    {
        using var stream = typeof(CassandraSchema).Assembly.GetManifestResourceStream("delivery_log.cql")
            ?? throw new InvalidOperationException("delivery_log.cql is not embedded in Streaming.DeliveryLog.");
        var text = LineComment().Replace(new StreamReader(stream).ReadToEnd(), "");
        return text.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(s => KeyspaceName().Replace(s, keyspace))
            .ToList();
    }

    public static async Task ApplyAsync(CqlSession session, string keyspace, CancellationToken ct)
    {
        foreach (var statement in Statements(keyspace))
        {
            await session.ExecuteAsync(statement, ct).ConfigureAwait(false);
        }
    }

    [GeneratedRegex("--[^\n]*")]
    private static partial Regex LineComment();

    // The keyspace as a name (after KEYSPACE IF NOT EXISTS, or before ".table"), not inside other words.
    [GeneratedRegex($@"\b{FileKeyspace}\b(?=\s*(\.|$|\s+WITH))", RegexOptions.Multiline)]
    private static partial Regex KeyspaceName();
}
