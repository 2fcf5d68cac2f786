using System.CommandLine;
using Streaming.Contracts;

namespace Streaming.Cli;

/// <summary>`streaming status EVENT_ID`: what happened to one notification, asked of the API's status read.</summary>
internal static class StatusCommand
{
    public const string DefaultApi = "http://127.0.0.1:5080";

    public static Command Create()
    {
        var eventId = new Argument<string>("EVENT_ID") { Description = "The event ID the API answered the request with." };
        eventId.Validators.Add(r =>
        {
            var value = r.Tokens.Count == 0 ? "" : r.Tokens[^1].Value;
            if (!EventIds.IsValid(value))
            {
                r.AddError($"EVENT_ID: '{value}' is not accepted; {EventIds.Rule}");
            }
        });
        var api = CliOptions.Text("--api", $"Base URL of the notification API (default: $STREAMING_API or {DefaultApi}).",
            v => Uri.TryCreate(v, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" ? null : "use an absolute http:// or https:// URL");
        var key = CliOptions.Text("--key", "API key of the client that sent the notification, or of one that may read every status (default: $STREAMING_API_KEY).",
            v => v.Length > 0 ? null : "use the client's API key");
        var json = new Option<bool>("--json") { Description = "Print the API's answer as JSON." };
        var command = new Command("status", "Show what happened to one notification: its state, and the latest outcome per channel and target. "
            + "Exit 0 when found, 1 when unknown (or sent by another client), 3 when the API could not answer.")
        {
            eventId, api, key, json,
        };
        CliOptions.Require(command, r => !string.IsNullOrEmpty(r.GetValue(key) ?? Environment.GetEnvironmentVariable("STREAMING_API_KEY")),
            "--key: no API key given; pass --key or set STREAMING_API_KEY");
        command.SetAction(async (result, ct) =>
        {
            var target = new StatusQuery(
                new Uri(result.GetValue(api) ?? Environment.GetEnvironmentVariable("STREAMING_API") ?? DefaultApi),
                result.GetValue(key) ?? Environment.GetEnvironmentVariable("STREAMING_API_KEY")!);
            var format = result.GetValue(json) ? StatusFormat.Json : Console.IsOutputRedirected ? StatusFormat.Plain : StatusFormat.Table;
            return await target.RunAsync(result.GetValue(eventId)!, format, Console.Out, Console.Error, ct);
        });
        return command;
    }
}
