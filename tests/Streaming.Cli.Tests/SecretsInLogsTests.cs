using System.Collections.Concurrent;
using System.Net.Http.Json;
using Microsoft.Extensions.Logging;
using Streaming.LocalStack;
using Streaming.Api;
using Streaming.Contracts;

namespace Streaming.Cli.Tests;

/// <summary>
/// Runs the whole stack with every log category at Trace, pushes traffic through every provider (including
/// invalid tokens and transient errors), and scans everything that was logged for credentials and raw PII.
/// </summary>
public sealed class SecretsInLogsTests
{
    [Fact]
    public async Task no_credential_api_key_or_raw_contact_detail_appears_in_any_log_line()
    {
        var ct = TestContext.Current.CancellationToken;
        var twilioToken = "tw-SECRET-" + Guid.NewGuid().ToString("N");
        var sendGridKey = "SG.SECRET-" + Guid.NewGuid().ToString("N");
        var capture = new CapturingLoggerProvider();
        // Not disposed: Streamiz keeps the factory of the last topology in a static that a later topology in this test
        // process may still read before its own configuration applies.
        var loggers = LoggerFactory.Create(b => b.AddProvider(capture).SetMinimumLevel(LogLevel.Trace));
        await using (var stack = await LocalPlatform.StartAsync(new LocalPlatformSettings
        {
            ApiPort = 0,
            ProviderFaults = "error=0.2",
            ConfigureProviders = p =>
            {
                p.Twilio.AuthToken = twilioToken;
                p.SendGrid.ApiKey = sendGridKey;
            },
        }, loggers, (s, token) => DemoData.SeedAsync(s.Contacts, 40, token), ct))
        {
            using var http = new HttpClient { BaseAddress = new Uri(stack.ApiUrl) };
            http.DefaultRequestHeaders.Add(ApiKeyAuthenticator.HeaderName, stack.DemoApiKey);
            for (var i = 0; i < 120; i++)
            {
                (await http.PostAsJsonAsync("/v1/notifications", DemoData.Request(i, 40), ct)).Dispose();
            }

            // Wait until every channel has called its provider, failures and invalid tokens included.
            await Streaming.Testing.Eventually.TrueAsync(
                () => Topics.SenderChannels.All(c => stack.Fakes.Requests.Any(r => r.Channel == c || (c == "sms" && r.Channel == "sms"))) && stack.Fakes.Requests.Count > 100,
                TimeSpan.FromSeconds(60), "provider calls on every channel");

            var secrets = new List<string>
            {
                twilioToken, sendGridKey, stack.DemoApiKey, ApiClient.HashKey(stack.DemoApiKey),
                PemBody(stack.Providers.Apns.PrivateKeyPem!), "fake-fcm-access-token",
            };
            var fcmKey = System.Text.Json.JsonDocument.Parse(stack.Providers.Fcm.ServiceAccountJson!).RootElement.GetProperty("private_key").GetString()!;
            secrets.Add(PemBody(fcmKey));

            var lines = capture.Lines.ToArray();
            Assert.True(lines.Length > 50, $"expected plenty of log lines at Trace, got {lines.Length}");
            foreach (var secret in secrets)
            {
                Assert.DoesNotContain(lines, l => l.Contains(secret, StringComparison.Ordinal));
            }

            // Raw PII of the demo population: emails user{i}@example.com, phones +1415555{i:D4}, device tokens.
            var pii = Enumerable.Range(0, 40).SelectMany(i => new[] { $"user{i}@example.com", $"+1415555{i:D4}" })
                .Concat(stack.Fakes.Requests.Where(r => r.Channel is "apns" or "fcm").Select(r => r.Target)).Distinct().ToList();
            var leaks = pii.Where(p => lines.Any(l => l.Contains(p, StringComparison.Ordinal))).ToList();
            Assert.True(leaks.Count == 0, "raw PII in logs: " + string.Join(", ", leaks.Take(5)) + " e.g. in: " + lines.FirstOrDefault(l => leaks.Any(p => l.Contains(p, StringComparison.Ordinal))));
        }
    }

    private static string PemBody(string pem)
        => string.Concat(pem.Split('\n').Where(l => !l.StartsWith("-----", StringComparison.Ordinal)).Select(l => l.Trim())).Replace("\\n", "", StringComparison.Ordinal)[..40];

    private sealed class CapturingLoggerProvider : ILoggerProvider
    {
        public ConcurrentQueue<string> Lines { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Capturing(categoryName, Lines);

        public void Dispose()
        {
        }

        private sealed class Capturing(string category, ConcurrentQueue<string> lines) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull
            {
                lines.Enqueue($"{category} scope: {state}");
                return null;
            }

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
                => lines.Enqueue($"{category} {logLevel}: {formatter(state, exception)} {exception}");
        }
    }
}
