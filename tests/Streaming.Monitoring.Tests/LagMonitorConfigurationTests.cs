using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Streaming.Contracts;
using Streaming.Monitoring;
using Streaming.Senders.Recording;
using Streaming.Testing;

namespace Streaming.Monitoring.Tests;

public sealed class LagMonitorConfigurationTests(LocalStackFixture fx)
{
    [Fact(Timeout = TestLimits.TimeoutMs)]
    public async Task configured_groups_are_the_ones_watched_and_sampled()
    {
        var topic = fx.NewTopic("lagcfg");
        await using var services = Build(new()
        {
            ["LagMonitor:Groups:0:Group"] = "billing-consumers",
            ["LagMonitor:Groups:0:Topics:0"] = topic,
            ["LagMonitor:Interval"] = "00:00:02",
            ["LagMonitor:WindowSamples"] = "3",
        });

        var monitor = services.GetRequiredService<LagMonitor>();
        var watched = Assert.Single(monitor.Groups);
        Assert.Equal("billing-consumers", watched.Group);
        Assert.Equal([topic], watched.Topics);
        Assert.Equal(TimeSpan.FromSeconds(2), services.GetRequiredService<IOptions<LagMonitorOptions>>().Value.Interval);

        var sample = await monitor.SampleAsync(TestContext.Current.CancellationToken);
        Assert.Equal("billing-consumers", Assert.Single(sample).Group);
        Assert.Contains(services.GetServices<IHostedService>(), s => s is LagMonitorService);
    }

    [Fact]
    public async Task without_configured_groups_the_platforms_own_groups_are_watched()
    {
        await using var services = Build([]);
        var watched = services.GetRequiredService<LagMonitor>().Groups.Select(g => g.Group).ToList();
        Assert.Equal(PlatformGroups.Default().Select(g => g.Group), watched);
    }

    [Fact]
    public void the_default_watch_list_shows_the_status_recorders_lag_on_the_status_topic()
    {
        var recorder = Assert.Single(PlatformGroups.Default(), g => g.Group == StatusRecorderOptions.DefaultGroupId);
        Assert.Equal([Topics.DeliveryStatus], recorder.Topics);
    }

    [Fact]
    public async Task a_configured_group_without_topics_fails_validation_with_the_setting_named()
    {
        await using var services = Build(new() { ["LagMonitor:Groups:0:Group"] = "orphan" });
        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<LagMonitorOptions>>().Value);
        Assert.Contains("LagMonitor:Groups", error.Message, StringComparison.Ordinal);
    }

    private ServiceProvider Build(Dictionary<string, string?> settings)
    {
        settings["Kafka:BootstrapServers"] = fx.BootstrapServers;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new ServiceCollection().AddLogging().AddLagMonitor(configuration).BuildServiceProvider();
    }
}
