using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Streaming.Contracts;

namespace Streaming.Processors.Tests;

/// <summary>The policy rules on their own, and the configuration surface of the processor.</summary>
public sealed class PolicyTests
{
    private static UserPreferences Prefs(params (string Category, string Channel, bool OptedIn)[] rules) => new()
    {
        userId = "u",
        channelOrder = [],
        rules = rules.Select(r => new ChannelRule { category = r.Category, channel = r.Channel, optedIn = r.OptedIn }).ToList(),
    };

    [Fact]
    public void most_specific_rule_wins_and_wildcards_fill_in()
    {
        var prefs = Prefs(("*", "*", false), ("social", "*", true), ("social", "sms", false), ("*", "email", true));

        Assert.Equal("opted-out", NotificationPolicy.OptOutReason(prefs, "social", "sms", mandatory: false));
        Assert.Null(NotificationPolicy.OptOutReason(prefs, "social", "push", mandatory: false)); // social/* beats */*
        Assert.Null(NotificationPolicy.OptOutReason(prefs, "marketing", "email", mandatory: false)); // */email beats */*
        Assert.Equal("opted-out", NotificationPolicy.OptOutReason(prefs, "marketing", "push", mandatory: false));
        Assert.Null(NotificationPolicy.OptOutReason(prefs, "marketing", "push", mandatory: true));
        Assert.Null(NotificationPolicy.OptOutReason(null, "marketing", "push", mandatory: false));
    }

    [Fact]
    public void quiet_hours_spanning_midnight_end_the_next_morning_in_the_users_zone()
    {
        var quiet = new QuietHours { start = "22:00", end = "07:00", timeZone = "Europe/Berlin" };

        // 23:30 Berlin (CET, UTC+1) on 2 March → ends 07:00 Berlin on 3 March = 06:00 UTC.
        Assert.Equal(new DateTimeOffset(2026, 3, 3, 6, 0, 0, TimeSpan.Zero), NotificationPolicy.QuietHoursEnd(quiet, "UTC", new DateTimeOffset(2026, 3, 2, 22, 30, 0, TimeSpan.Zero)));
        // 05:00 Berlin → same morning.
        Assert.Equal(new DateTimeOffset(2026, 3, 3, 6, 0, 0, TimeSpan.Zero), NotificationPolicy.QuietHoursEnd(quiet, "UTC", new DateTimeOffset(2026, 3, 3, 4, 0, 0, TimeSpan.Zero)));
        // 07:00 Berlin exactly is outside: the window is [start, end).
        Assert.Null(NotificationPolicy.QuietHoursEnd(quiet, "UTC", new DateTimeOffset(2026, 3, 3, 6, 0, 0, TimeSpan.Zero)));
        Assert.Null(NotificationPolicy.QuietHoursEnd(quiet, "UTC", new DateTimeOffset(2026, 3, 3, 12, 0, 0, TimeSpan.Zero)));
    }

    [Fact]
    public void quiet_hours_use_the_profile_zone_when_theirs_is_unknown_and_survive_a_dst_gap()
    {
        var noZone = new QuietHours { start = "01:00", end = "03:00", timeZone = "Not/AZone" };
        // 01:30 New York (EST) = 06:30 UTC; ends 03:00 EST = 08:00 UTC.
        Assert.Equal(new DateTimeOffset(2026, 3, 2, 8, 0, 0, TimeSpan.Zero), NotificationPolicy.QuietHoursEnd(noZone, "America/New_York", new DateTimeOffset(2026, 3, 2, 6, 30, 0, TimeSpan.Zero)));

        // 8 March 2026, New York skips 02:00-03:00: a window ending at 02:30 ends an hour later in local terms (03:30 EDT = 07:30 UTC).
        var inGap = new QuietHours { start = "01:00", end = "02:30", timeZone = "America/New_York" };
        Assert.Equal(new DateTimeOffset(2026, 3, 8, 7, 30, 0, TimeSpan.Zero), NotificationPolicy.QuietHoursEnd(inGap, null, new DateTimeOffset(2026, 3, 8, 6, 30, 0, TimeSpan.Zero)));
    }

    [Fact]
    public void locale_falls_back_to_language_then_catalogue_default()
    {
        var template = NotificationCatalog.Demo().Templates["login-alert"];

        Assert.Equal("de", TemplateRenderer.ResolveLocale(template, "de-AT", "en"));
        Assert.Equal("de", TemplateRenderer.ResolveLocale(template, "DE", "en"));
        Assert.Equal("en", TemplateRenderer.ResolveLocale(template, "fr-FR", "en"));
        Assert.Equal("en", TemplateRenderer.ResolveLocale(template, null, "en"));
    }

    [Fact]
    public void a_broken_template_in_the_catalogue_fails_at_start_not_per_request()
    {
        var catalog = NotificationCatalog.Demo();
        catalog.Templates["new-comment"].Locales["en"].Body = "{% if %}";

        var ex = Assert.Throws<InvalidOperationException>(() => new TemplateRenderer(catalog));
        Assert.Contains("new-comment", ex.Message);
    }

    [Fact]
    public void internal_topics_are_the_two_store_changelogs_of_the_application()
        => Assert.Equal(
            ["app-1-dedup-store-changelog", "app-1-schedule-store-changelog"],
            NotificationTopology.InternalTopics("app-1"));

    [Fact]
    public void options_bind_from_processor_kafka_registry_and_catalog_sections()
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Kafka:BootstrapServers"] = "broker-1:9092",
            ["SchemaRegistry:Url"] = "http://registry:8081",
            ["Processor:NumStreamThreads"] = "2",
            ["Processor:DedupHorizon"] = "02:00:00",
            ["Processor:Guarantee"] = "ExactlyOnce",
            ["Processor:OnProductionError"] = "Continue",
            ["Catalog:Categories:alerts:Mandatory"] = "true",
            ["Catalog:Templates:t1:Category"] = "alerts",
            ["Catalog:Templates:t1:Locales:en:Body"] = "Hello {{ user.name }}",
        }).Build();
        using var services = new ServiceCollection().AddLogging().AddNotificationTopology(config).BuildServiceProvider();

        var o = services.GetRequiredService<IOptions<ProcessorOptions>>().Value;
        var streamConfig = NotificationTopologyRunner.CreateStreamConfig(o);

        Assert.Equal(("broker-1:9092", "http://registry:8081", "streaming-processor"), (o.BootstrapServers, o.SchemaRegistry.Url, o.ApplicationId));
        Assert.Equal((2, TimeSpan.FromHours(2)), (o.NumStreamThreads, o.DedupHorizon));
        Assert.True(o.Catalog.Categories["alerts"].Mandatory);
        Assert.Equal(Streamiz.Kafka.Net.ProcessingGuarantee.EXACTLY_ONCE, streamConfig.Guarantee);
        Assert.Equal(("streaming-processor", 2, 1000L), (streamConfig.ApplicationId, streamConfig.NumStreamThreads, streamConfig.CommitIntervalMs));
        Assert.Equal((8, TimeSpan.FromSeconds(60)), (o.RocksDbWriteBufferMb, o.StallRestartAfter)); // the defaults
        // The memtable bound applies through Streamiz's RocksDB options (a binding missing in RocksDbSharp would throw here).
        var rocks = (Streamiz.Kafka.Net.State.RocksDbOptions)Activator.CreateInstance(
            typeof(Streamiz.Kafka.Net.State.RocksDbOptions), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance,
            null, [new RocksDbSharp.DbOptions(), new RocksDbSharp.ColumnFamilyOptions()], null)!;
        streamConfig.RocksDbConfigHandler("dedup-store", rocks);
    }

    [Fact]
    public void missing_configuration_is_reported_with_the_setting_names()
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>()).Build();
        using var services = new ServiceCollection().AddLogging().AddNotificationTopology(config).BuildServiceProvider();

        var ex = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<ProcessorOptions>>().Value);
        Assert.Contains("Kafka:BootstrapServers", ex.Message);
        Assert.Contains("SchemaRegistry:Url", ex.Message);
        Assert.Contains("Catalog", ex.Message);
    }
}
