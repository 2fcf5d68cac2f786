using Confluent.Kafka;
using Streaming.Testing;

namespace Streaming.Senders.Tests;

public sealed class HangWatchTests(LocalStackFixture fx)
{
    [Fact(Timeout = TestLimits.TimeoutMs)]
    public void a_hang_report_names_the_librdkafka_call_a_thread_is_stuck_in()
    {
        var topic = fx.NewTopic("hangwatch");
        using var consumer = new ConsumerBuilder<string, string>(new ConsumerConfig { BootstrapServers = fx.BootstrapServers, GroupId = "hangwatch-" + Guid.NewGuid().ToString("N") }).Build();
        consumer.Assign(new TopicPartitionOffset(topic, 0, Offset.End));
        using var stop = new CancellationTokenSource();
        var stuck = new Thread(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                consumer.Consume(TimeSpan.FromSeconds(2)); // an empty partition: the thread waits inside librdkafka
            }
        }) { IsBackground = true };
        stuck.Start();
        try
        {
            string? stacks = null, why = "";
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
            while (DateTime.UtcNow < deadline && (stacks is null || !HangWatch.Condense(stacks).Contains("rd_kafka_q_serve", StringComparison.Ordinal)))
            {
                stacks = HangWatch.NativeStacks(out why);
                if (stacks is null && why.Contains("could not run", StringComparison.Ordinal))
                {
                    Assert.Skip(why); // no gdb on this machine: the report falls back to test names only
                }
            }

            Assert.True(stacks is not null, why);
            var condensed = HangWatch.Condense(stacks);
            Assert.Contains("rd_kafka_q_serve", condensed, StringComparison.Ordinal); // named frames: gdb found the libraries
            Assert.DoesNotContain("\"rdk:", condensed, StringComparison.Ordinal); // librdkafka's own idle threads left out
        }
        finally
        {
            stop.Cancel();
            stuck.Join(TimeSpan.FromSeconds(10));
        }
    }
}
