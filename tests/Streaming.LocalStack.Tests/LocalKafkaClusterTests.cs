using Confluent.Kafka;
using Streaming.Contracts;

namespace Streaming.LocalStack.Tests;

public sealed class LocalKafkaClusterTests
{
    [Fact]
    public void starts_three_brokers_and_creates_every_contract_topic_empty_with_four_partitions()
    {
        using var cluster = LocalKafkaCluster.Start();

        Assert.Equal(3, cluster.BootstrapServers.Split(',').Length);
        Assert.All(cluster.BootstrapServers.Split(','), b => Assert.StartsWith("127.0.0.1:", b));
        using var consumer = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig { BootstrapServers = cluster.BootstrapServers, GroupId = "probe" }).Build();
        foreach (var topic in Topics.All)
        {
            Assert.Equal(LocalKafkaCluster.PartitionsPerTopic, cluster.PartitionCount(topic));
            for (var p = 0; p < LocalKafkaCluster.PartitionsPerTopic; p++)
            {
                // Created by a metadata request, not by a placeholder record.
                Assert.Equal(0, consumer.QueryWatermarkOffsets(new TopicPartition(topic, p), TimeSpan.FromSeconds(5)).High.Value);
            }
        }
    }

    [Fact]
    public void an_idempotent_producer_and_a_consumer_group_with_commits_work_against_it()
    {
        using var cluster = LocalKafkaCluster.Start(topics: ["roundtrip"]);
        using (var producer = new ProducerBuilder<string, string>(new ProducerConfig
        {
            BootstrapServers = cluster.BootstrapServers,
            EnableIdempotence = true,
            Acks = Acks.All,
        }).Build())
        {
            for (var i = 0; i < 20; i++)
            {
                producer.Produce("roundtrip", new Message<string, string> { Key = $"k{i % 3}", Value = $"v{i}" });
            }

            Assert.Equal(0, producer.Flush(TimeSpan.FromSeconds(10)));
        }

        var config = new ConsumerConfig
        {
            BootstrapServers = cluster.BootstrapServers,
            GroupId = "roundtrip-group",
            AutoOffsetReset = AutoOffsetReset.Earliest,
            EnableAutoCommit = false,
        };
        var seen = new List<string>();
        using (var consumer = new ConsumerBuilder<string, string>(config).Build())
        {
            consumer.Subscribe("roundtrip");
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (seen.Count < 20 && DateTime.UtcNow < deadline)
            {
                var r = consumer.Consume(TimeSpan.FromMilliseconds(200));
                if (r?.Message is not null)
                {
                    seen.Add(r.Message.Value);
                    consumer.Commit(r);
                }
            }

            Assert.Equal(20, seen.Count);
            var committed = consumer.Committed(consumer.Assignment, TimeSpan.FromSeconds(5));
            Assert.Equal(20, committed.Where(c => c.Offset.Value >= 0).Sum(c => c.Offset.Value)); // partitions without records stay at Offset.Unset
            consumer.Close();
        }
    }

    [Fact]
    public void create_topics_is_idempotent_and_reports_partitions()
    {
        using var cluster = LocalKafkaCluster.Start(brokers: 1, topics: []);

        cluster.CreateTopics(["a.b", "a.b", "c"]);
        cluster.CreateTopics(["a.b"]);

        Assert.Equal(4, cluster.PartitionCount("a.b"));
        Assert.Equal(4, cluster.PartitionCount("c"));
        Assert.Equal(0, cluster.PartitionCount("never-created"));
    }
}
