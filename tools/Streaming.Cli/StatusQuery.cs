using System.Net;
using System.Text.Json;
using Streaming.Api;

namespace Streaming.Cli;

/// <summary>How <see cref="StatusQuery"/> prints a found notification.</summary>
internal enum StatusFormat
{
    /// <summary>The API's answer as it came.</summary>
    Json,

    /// <summary>Aligned lines for pipes and files.</summary>
    Plain,

    /// <summary>A table for a terminal.</summary>
    Table,
}

/// <summary>Asks the API's status read (GET /v1/notifications/{eventId}) and prints the answer.</summary>
internal sealed class StatusQuery(Uri api, string key)
{
    public const int Found = 0;
    public const int Unknown = 1;
    public const int Unanswered = 3;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Prints the status of <paramref name="eventId"/> to <paramref name="output"/>, or one line to <paramref name="errors"/>; returns the exit code.</summary>
    public async Task<int> RunAsync(string eventId, StatusFormat format, TextWriter output, TextWriter errors, CancellationToken ct)
    {
        using var http = new HttpClient { BaseAddress = api, Timeout = TimeSpan.FromSeconds(10) };
        http.DefaultRequestHeaders.Add(ApiKeyAuthenticator.HeaderName, key);
        HttpResponseMessage response;
        try
        {
            response = await http.GetAsync($"v1/notifications/{Uri.EscapeDataString(eventId)}", ct);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            await errors.WriteLineAsync($"streaming: the API at {api} did not answer: {e.Message}");
            return Unanswered;
        }

        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(ct);
            switch (response.StatusCode)
            {
                case HttpStatusCode.OK:
                    await PrintAsync(body, format, output);
                    return Found;
                case HttpStatusCode.NotFound:
                    await errors.WriteLineAsync($"streaming: notification '{eventId}' is unknown (or was sent by another client)");
                    return Unknown;
                default:
                    await errors.WriteLineAsync($"streaming: the API answered {(int)response.StatusCode}: {Detail(body) ?? response.ReasonPhrase}");
                    return Unanswered;
            }
        }
    }

    private static async Task PrintAsync(string body, StatusFormat format, TextWriter output)
    {
        if (format == StatusFormat.Json)
        {
            await output.WriteLineAsync(body);
            return;
        }

        var status = JsonSerializer.Deserialize<NotificationStatus>(body, Json)!;
        if (format == StatusFormat.Table)
        {
            Spectre.Console.AnsiConsole.Write(StatusTable.Render(status));
            return;
        }

        foreach (var (label, value) in StatusTable.Summary(status))
        {
            await output.WriteLineAsync($"{label,-10} {value}");
        }

        await output.WriteLineAsync();
        await output.WriteLineAsync(Line(StatusTable.Columns.Select(c => c.Name.ToUpperInvariant().Replace(' ', '_')).ToArray()));
        foreach (var t in status.Targets)
        {
            await output.WriteLineAsync(Line(StatusTable.Cells(t)));
        }
    }

    /// <summary>Cells padded to their column's width, one space apart.</summary>
    private static string Line(string[] cells)
        => string.Join(' ', cells.Select((cell, i) => StatusTable.Columns[i].Width switch
        {
            0 => cell,
            < 0 and var w => cell.PadRight(-w),
            var w => cell.PadLeft(w),
        }));

    private static string? Detail(string body)
    {
        try
        {
            return JsonDocument.Parse(body).RootElement.TryGetProperty("detail", out var d) ? d.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
