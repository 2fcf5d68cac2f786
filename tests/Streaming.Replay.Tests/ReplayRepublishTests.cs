using System.Text;
using Confluent.Kafka;
using Streaming.Contracts;
using Streaming.Testing;

namespace Streaming.Replay.Tests;

/// <summary>Re-publishing through the normal path: where records go and which headers they carry.</summary>
public sealed class ReplayRepublishTests(LocalStackFixture fx)
{
    [Fact(Timeout = TestLimits.TimeoutMs)]
    public async Task dlq_entries_republish_to_their_original_topic_without_dlq_headers_and_marked_as_replayed()
    {
        var original = fx.NewTopic("orig-sms");
        using (var producer = new ProducerBuilder<string, byte[]>(new ProducerConfig { BootstrapServers = fx.BootstrapServers }).Build())
        {
            for (var i = 0; i < 5; i++)
            {
                producer.Produce(Topics.DeadLetter, new Message<string, byte[]>
                {
                    Key = $"user-{i}",
                    Value = [1, 2, 3, (byte)i],
                    Headers = new Headers
                    {
                        { HeaderNames.DlqReason, "retries-exhausted"u8.ToArray() },
                        { HeaderNames.DlqStage, "sender-sms"u8.ToArray() },
                        { HeaderNames.OriginalTopic, Encoding.UTF8.GetBytes(original) },
                        { HeaderNames.Attempt, "4"u8.ToArray() },
                        { HeaderNames.TraceParent, "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"u8.ToArray() },
                    },
                });
            }

            producer.Flush(TimeSpan.FromSeconds(10));
        }

        var result = await new ReplayJob(new ReplayOptions
        {
            BootstrapServers = fx.BootstrapServers,
            Topic = Topics.DeadLetter,
            Filter = new ReplayFilter { Outcomes = ["dlq:retries-exhausted"] },
            Republish = true,
            Force = true,
        }).RunAsync(ct: TestContext.Current.CancellationToken);

        Assert.Equal(5, result.Republished);
        var replayed = fx.ReadRaw(original, 5);
        Assert.Equal(5, replayed.Count);
        Assert.All(replayed, r =>
        {
            Assert.False(r.Message.Headers.TryGetLastBytes(HeaderNames.DlqReason, out _));
            Assert.False(r.Message.Headers.TryGetLastBytes(HeaderNames.Attempt, out _));
            Assert.True(r.Message.Headers.TryGetLastBytes(HeaderNames.TraceParent, out _)); // the trace continues
            Assert.StartsWith(Topics.DeadLetter + "/", Encoding.UTF8.GetString(r.Message.Headers.GetLastBytes(HeaderNames.ReplayedFrom)));
            Assert.Equal("true", Encoding.UTF8.GetString(r.Message.Headers.GetLastBytes(HeaderNames.ReplayForce)));
        });
    }

    [Fact(Timeout = TestLimits.TimeoutMs)]
    public async Task a_topic_without_a_natural_destination_needs_an_explicit_one()
    {
        var topic = StatusTopic.Write(fx, out _);

        await Assert.ThrowsAsync<InvalidOperationException>(() => new ReplayJob(new ReplayOptions
        {
            BootstrapServers = fx.BootstrapServers,
            Topic = topic,
            Republish = true,
        }).RunAsync(ct: TestContext.Current.CancellationToken));
    }
}
