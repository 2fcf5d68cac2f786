using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using Streaming.Replay;

namespace Streaming.Cli;

/// <summary>`streaming replay`: export or re-publish a slice of a topic, for any cluster.</summary>
internal static class ReplayCommand
{
    public static Command Create()
    {
        var bootstrap = new Option<string>("--bootstrap") { Description = "Bootstrap servers (default: $STREAMING_BOOTSTRAP or localhost:9092).", DefaultValueFactory = _ => Environment.GetEnvironmentVariable("STREAMING_BOOTSTRAP") ?? "localhost:9092" };
        var registry = new Option<string?>("--registry") { Description = "Schema registry URL for decoding (default: $STREAMING_REGISTRY).", DefaultValueFactory = _ => Environment.GetEnvironmentVariable("STREAMING_REGISTRY") };
        var topic = new Option<string>("--topic") { Description = "Topic to read, e.g. notifications.delivery-status, notifications.sms, notifications.dlq.", Required = true };
        var from = new Option<DateTimeOffset?>("--from") { Description = "Start instant (ISO 8601), inclusive." };
        var to = new Option<DateTimeOffset?>("--to") { Description = "End instant (ISO 8601), exclusive; default: the end of the topic when the replay starts." };
        var fromOffset = new Option<string[]>("--from-offset") { Description = "partition:offset start, repeatable (overrides --from for that partition)." };
        var toOffset = new Option<string[]>("--to-offset") { Description = "partition:offset end (exclusive), repeatable." };
        var partition = new Option<int[]>("--partition") { Description = "Only these partitions; repeatable." };
        var outcome = new Option<string[]>("--outcome") { Description = "Filter: outcome (delivered, failed, suppressed, …; DLQ entries: dlq:<reason>); repeatable." };
        var channel = new Option<string[]>("--channel") { Description = "Filter: channel (apns, fcm, sms, email); repeatable." };
        var category = new Option<string[]>("--category") { Description = "Filter: category; repeatable." };
        var user = new Option<string[]>("--user") { Description = "Filter: user ID; repeatable." };
        var output = new Option<string?>("--output", "-o") { Description = "Write matching records to this file ('-' = stdout)." };
        var format = new Option<ReplayFormat>("--format") { Description = "jsonlines or csv.", DefaultValueFactory = _ => ReplayFormat.JsonLines };
        var republish = new Option<bool>("--republish") { Description = "Re-publish matching records through the normal path (channel topic, or a DLQ entry's original topic). Already delivered messages are still skipped by the senders." };
        var toTopic = new Option<string?>("--to-topic") { Description = "Destination for --republish instead of the natural one." };
        var force = new Option<bool>("--force") { Description = "With --republish: deliver even what the delivery log says was delivered. The only way around the duplicate check." };
        var dryRun = new Option<bool>("--dry-run") { Description = "Count matching records per outcome; write and publish nothing." };

        var command = new Command("replay", "Read a topic between two timestamps or offsets, filter it, and export it (JSON Lines / CSV) or re-publish it.")
        {
            bootstrap, registry, topic, from, to, fromOffset, toOffset, partition, outcome, channel, category, user, output, format, republish, toTopic, force, dryRun,
        };
        foreach (var offsets in new[] { fromOffset, toOffset })
        {
            offsets.Validators.Add(r =>
            {
                foreach (var spec in r.Tokens.Select(t => t.Value).Where(v => !TryParseOffset(v, out _, out _)))
                {
                    r.AddError($"{offsets.Name}: '{spec}' is not accepted; use partition:offset with whole numbers, e.g. 2:1500");
                }
            });
        }

        CliOptions.Require(command, r => !r.GetValue(force) || r.GetValue(republish), "--force: only applies with --republish (it re-publishes what the delivery log says was delivered)");
        CliOptions.Require(command, r => r.GetValue(dryRun) || r.GetValue(republish) || r.GetValue(output) is not null, "replay: nothing to do; pass --output FILE (or - for stdout), --republish or --dry-run");
        command.SetAction(async (r, ct) =>
        {
            var options = new ReplayOptions
            {
                BootstrapServers = r.GetValue(bootstrap)!,
                RegistryUrl = r.GetValue(registry),
                Topic = r.GetValue(topic)!,
                From = r.GetValue(from),
                To = r.GetValue(to),
                FromOffsets = ParseOffsets(r.GetValue(fromOffset)),
                ToOffsets = ParseOffsets(r.GetValue(toOffset)),
                Partitions = r.GetValue(partition) ?? [],
                Filter = new ReplayFilter
                {
                    Outcomes = r.GetValue(outcome) ?? [],
                    Channels = r.GetValue(channel) ?? [],
                    Categories = r.GetValue(category) ?? [],
                    Users = r.GetValue(user) ?? [],
                },
                Output = r.GetValue(output),
                Format = r.GetValue(format),
                Republish = r.GetValue(republish),
                RepublishTopic = r.GetValue(toTopic),
                Force = r.GetValue(force),
                DryRun = r.GetValue(dryRun),
            };

            var job = new ReplayJob(options);
            ReplayResult result;
            var toStdout = options.Output == "-";
            if (Console.IsErrorRedirected || toStdout)
            {
                result = await job.RunAsync(null, ct);
            }
            else
            {
                result = null!;
                await AnsiConsole.Progress()
                    .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
                    .StartAsync(async ctx =>
                    {
                        var task = ctx.AddTask($"replay {options.Topic}");
                        result = await job.RunAsync(new Progress<ReplayProgress>(p =>
                        {
                            task.MaxValue = Math.Max(1, p.Total);
                            task.Value = p.Read;
                        }), ct);
                        task.Value = task.MaxValue;
                    });
            }

            var summary = $"read {result.Read}, matched {result.Matched}, written {result.Written}, re-published {result.Republished}, undecodable {result.Undecodable}";
            var outcomes = string.Join(", ", result.ByOutcome.Select(kv => $"{kv.Key}={kv.Value}"));
            Console.Error.WriteLine(summary);
            Console.Error.WriteLine("by outcome: " + (outcomes.Length == 0 ? "none" : outcomes));
            return 0;
        });
        return command;
    }

    private static Dictionary<int, long> ParseOffsets(string[]? specs)
    {
        var result = new Dictionary<int, long>();
        foreach (var spec in specs ?? [])
        {
            if (TryParseOffset(spec, out var p, out var o))
            {
                result[p] = o;
            }
        }

        return result;
    }

    private static bool TryParseOffset(string spec, out int partition, out long offset)
    {
        var parts = spec.Split(':');
        offset = 0;
        partition = 0;
        return parts.Length == 2 && int.TryParse(parts[0], CultureInfo.InvariantCulture, out partition) && partition >= 0
            && long.TryParse(parts[1], CultureInfo.InvariantCulture, out offset) && offset >= 0;
    }
}
