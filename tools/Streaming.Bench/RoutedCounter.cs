using System.Diagnostics.Metrics;
using Streaming.Processors;

namespace Streaming.Bench;

/// <summary>
/// Channel messages the topology routed in this process, read from its own <see cref="ProcessorMetrics.Routed"/> counter
/// through a <see cref="MeterListener"/>: the topology stage's progress without asking the brokers.
/// </summary>
internal sealed class RoutedCounter : IDisposable
{
    private readonly MeterListener listener = new();
    private long routed;

    public RoutedCounter()
    {
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == ProcessorMetrics.MeterName && instrument.Name == ProcessorMetrics.Routed)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref routed, value));
        listener.Start();
    }

    public long Routed => Interlocked.Read(ref routed);

    public void Dispose() => listener.Dispose();
}
