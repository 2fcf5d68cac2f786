using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Streaming.Processors;

/// <summary>Hosts the topology: starts it with the host and keeps it alive until shutdown; a failed topology stops the host.</summary>
public sealed class TopologyService(IOptions<ProcessorOptions> options, ILoggerFactory loggerFactory, TimeProvider? time = null) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await using var runner = await NotificationTopologyRunner.StartAsync(options.Value, loggerFactory, time, stoppingToken).ConfigureAwait(false);
        var stopped = Task.Delay(Timeout.Infinite, stoppingToken);
        if (await Task.WhenAny(stopped, runner.Failed).ConfigureAwait(false) == runner.Failed)
        {
            throw new InvalidOperationException($"Topology {options.Value.ApplicationId} stopped on an error; see the log above.");
        }
    }
}
