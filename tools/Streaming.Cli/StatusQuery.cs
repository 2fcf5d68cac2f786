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
        await output.WriteLineAsync($"{"CHANNEL",-8} {"TARGET",-24} {"OUTCOME",-14} {"REASON",-22} {"PROVIDER",-9} {"ATTEMPTS",8} {"LAST_AT",-24} PROVIDER_MESSAGE_ID");
        foreach (var t in status.Targets)
        {
            await output.WriteLineAsync($"{t.Channel,-8} {t.Target,-24} {t.Outcome,-14} {t.Reason ?? "-",-22} {t.Provider ?? "-",-9} {t.Attempts,8} {StatusTable.Time(t.LastAt),-24} {t.ProviderMessageId ?? "-"}");
        }
    }

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
