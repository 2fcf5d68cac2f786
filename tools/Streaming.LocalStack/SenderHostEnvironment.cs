using System.Globalization;
using Streaming.Contracts;
using Streaming.DeliveryLog;
using Streaming.Senders;

namespace Streaming.LocalStack;

/// <summary>
/// The environment one more senders host needs to join a running local platform: its brokers, registry, delivery log,
/// provider fakes (with their credentials as files) and the local profile's client settings and retry tiers, written as
/// a shell file: <c>set -a &amp;&amp; . sender-host.env &amp;&amp; set +a &amp;&amp; dotnet run --project senders/Streaming.Senders.Host</c>.
/// </summary>
public static class SenderHostEnvironment
{
    public const string FileName = "sender-host.env";

    /// <summary>Writes the file (and the key files it names) into the run's folder; returns its path.</summary>
    public static async Task<string> WriteAsync(LocalPlatform platform)
    {
        var dir = platform.Settings.WorkDirectory;
        var apnsKey = Path.Combine(dir, "apns.p8");
        var fcmAccount = Path.Combine(dir, "fcm-service-account.json");
        await File.WriteAllTextAsync(apnsKey, platform.Providers.Apns.PrivateKeyPem);
        await File.WriteAllTextAsync(fcmAccount, platform.Providers.Fcm.ServiceAccountJson);
        var path = Path.Combine(dir, FileName);
        var lines = Settings(platform, apnsKey, fcmAccount).Select(s => $"{s.Key.Replace(":", "__", StringComparison.Ordinal)}='{s.Value}'");
        await File.WriteAllLinesAsync(path, ["# One more senders host for this local stack (see docs/operations.md):", $"#   set -a && . {path} && set +a && dotnet run --project senders/Streaming.Senders.Host", .. lines]);
        return path;
    }

    /// <summary>Configuration keys and values, as the host binds them.</summary>
    public static IEnumerable<(string Key, string Value)> Settings(LocalPlatform platform, string apnsKeyFile, string fcmAccountFile)
    {
        var bootstrap = platform.Cluster.BootstrapServers;
        var p = platform.Providers;
        (string, string)[] fixedSettings =
        [
            ("Senders:Channels", "all"), ("Telemetry:Enabled", "false"), ("StatusRecorder:Enabled", "false"),
            ("Kafka:Consumer:BootstrapServers", bootstrap), ("Kafka:Consumer:AutoOffsetReset", "Error"),
            ("Kafka:Consumer:SessionTimeoutMs", Text(LocalProfile.SessionTimeoutMs)), ("Kafka:Consumer:HeartbeatIntervalMs", Text(LocalProfile.HeartbeatIntervalMs)),
            ("Kafka:Consumer:FetchWaitMaxMs", Text(LocalProfile.FetchWaitMaxMs)),
            ("Kafka:Producer:BootstrapServers", bootstrap), ("Kafka:Producer:LingerMs", Text(platform.Settings.LingerMs)),
            ("SchemaRegistry:Url", platform.Registry.UrlString),
            ("Providers:Apns:BaseUrl", p.Apns.BaseUrl), ("Providers:Apns:TeamId", p.Apns.TeamId), ("Providers:Apns:KeyId", p.Apns.KeyId),
            ("Providers:Apns:PrivateKeyFile", apnsKeyFile), ("Providers:Apns:DefaultTopic", p.Apns.DefaultTopic),
            ("Providers:Fcm:BaseUrl", p.Fcm.BaseUrl), ("Providers:Fcm:ServiceAccountFile", fcmAccountFile),
            ("Providers:Fcm:TokenEndpoint", p.Fcm.TokenEndpoint ?? ""), ("Providers:Fcm:WebLink", p.Fcm.WebLink ?? ""),
            ("Providers:Twilio:BaseUrl", p.Twilio.BaseUrl), ("Providers:Twilio:AccountSid", p.Twilio.AccountSid),
            ("Providers:Twilio:AuthToken", p.Twilio.AuthToken), ("Providers:Twilio:From", p.Twilio.From ?? ""),
            ("Providers:SendGrid:BaseUrl", p.SendGrid.BaseUrl), ("Providers:SendGrid:ApiKey", p.SendGrid.ApiKey),
            ("Providers:SendGrid:FromEmail", p.SendGrid.FromEmail),
        ];
        foreach (var setting in fixedSettings)
        {
            yield return setting;
        }

        foreach (var channel in Topics.SenderChannels)
        {
            yield return ($"{ChannelSenderOptions.Section}:{channel}:RatePerSecond", Text(platform.Settings.SenderRatePerSecond));
            foreach (var (i, delay) in platform.Settings.RetryDelays.Index())
            {
                yield return ($"{ChannelSenderOptions.Section}:{channel}:RetryDelays:{i}", delay.ToString("c", CultureInfo.InvariantCulture));
            }
        }

        var log = platform.DeliveryLog;
        if (log.CqlServer is { } cql)
        {
            yield return ("DeliveryLog:Store", DeliveryLogOptions.CassandraStore);
            yield return ("DeliveryLog:Cassandra:ContactPoints:0", cql.Address);
            yield return ("DeliveryLog:Cassandra:LocalDatacenter", "datacenter1");
        }
        else
        {
            // One machine only: SQLite in WAL mode takes writers from several processes, one at a time.
            yield return ("DeliveryLog:Store", DeliveryLogOptions.SqliteStore);
            yield return ("DeliveryLog:Path", log.Location);
        }
    }

    private static string Text(double value) => value.ToString(CultureInfo.InvariantCulture);
}
