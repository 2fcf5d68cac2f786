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

    public static Table Render(NotificationStatus s)
    {
        var table = new Table().Border(TableBorder.Rounded)
            .Title($"[bold]{Markup.Escape(s.EventId)}[/]: {Markup.Escape(s.State)}")
            .Caption(Markup.Escape(string.Join("  ", Summary(s).Skip(2).Select(p => $"{p.Label}: {p.Value}"))));
        table.AddColumns("channel", "target", "outcome", "reason", "provider", "attempts", "last at", "provider message id");
        foreach (var t in s.Targets)
        {
            table.AddRow(Markup.Escape(t.Channel), Markup.Escape(t.Target), Markup.Escape(t.Outcome), Markup.Escape(t.Reason ?? "-"),
                Markup.Escape(t.Provider ?? "-"), $"{t.Attempts}", Time(t.LastAt), Markup.Escape(t.ProviderMessageId ?? "-"));
        }

        return table;
    }
}
