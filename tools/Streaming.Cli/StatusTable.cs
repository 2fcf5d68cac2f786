using System.Globalization;
using Spectre.Console;
using Streaming.Api;

namespace Streaming.Cli;

/// <summary>The pieces of a status both printed forms share, and its terminal table.</summary>
internal static class StatusTable
{
    public static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);

    public static IEnumerable<(string Label, string Value)> Summary(NotificationStatus s)
    {
        yield return ("event", s.EventId);
        yield return ("state", s.State);
        yield return ("user", s.UserId);
        yield return ("category", s.Category ?? "-");
        yield return ("sent by", s.SourceService ?? "-");
        yield return ("requested", s.RequestedAt is { } at ? Time(at) : "-");
        if (s.Request is { } r)
        {
            yield return ("request", $"{r.Outcome}{(r.Reason is null ? "" : $" ({r.Reason})")} at {Time(r.At)}");
        }
    }

    /// <summary>The columns of the targets, with their width in plain lines (negative: left-aligned; 0: the rest of the line).</summary>
    public static readonly IReadOnlyList<(string Name, int Width)> Columns =
        [("channel", -8), ("target", -24), ("outcome", -14), ("reason", -22), ("provider", -9), ("attempts", 8), ("last at", -24), ("provider message id", 0)];

    /// <summary>One target's cells, in the order of <see cref="Columns"/>.</summary>
    public static string[] Cells(TargetStatus t)
        => [t.Channel, t.Target, t.Outcome, t.Reason ?? "-", t.Provider ?? "-", $"{t.Attempts}", Time(t.LastAt), t.ProviderMessageId ?? "-"];

    public static Table Render(NotificationStatus s)
    {
        var table = new Table().Border(TableBorder.Rounded)
            .Title($"[bold]{Markup.Escape(s.EventId)}[/]: {Markup.Escape(s.State)}")
            .Caption(Markup.Escape(string.Join("  ", Summary(s).Skip(2).Select(p => $"{p.Label}: {p.Value}"))));
        table.AddColumns([.. Columns.Select(c => c.Name)]);
        foreach (var t in s.Targets)
        {
            table.AddRow([.. Cells(t).Select(Markup.Escape)]);
        }

        return table;
    }
}
