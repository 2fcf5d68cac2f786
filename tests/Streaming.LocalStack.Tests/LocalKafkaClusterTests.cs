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

    [Fact]
    public async Task the_trimmer_deletes_only_what_every_watched_group_committed_past_but_the_last_record()
    {
        const string topic = "trimmed";
        using var cluster = LocalKafkaCluster.Start(brokers: 1, topics: [topic]);
        Assert.True(cluster.CanDeleteRecords(out var why), why);
        var p0 = new TopicPartition(topic, 0);
        using (var producer = new ProducerBuilder<Null, string>(new ProducerConfig { BootstrapServers = cluster.BootstrapServers }).Build())
        {
            for (var i = 0; i < 100; i++)
            {
                producer.Produce(p0, new Message<Null, string> { Value = $"v{i}" });
                if (i % 10 == 9)
                {
                    Assert.Equal(0, producer.Flush(TimeSpan.FromSeconds(10))); // ten batches of ten
                }
            }
        }

        void Commit(string group, long offset)
        {
            using var c = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig { BootstrapServers = cluster.BootstrapServers, GroupId = group }).Build();
            c.Commit([new TopicPartitionOffset(p0, offset)]);
        }

        using var watermarks = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig { BootstrapServers = cluster.BootstrapServers, GroupId = "probe" }).Build();
        long Start(int partition) => watermarks.QueryWatermarkOffsets(new TopicPartition(topic, partition), TimeSpan.FromSeconds(5)).Low.Value;

        Commit("ahead", 60);
        Commit("behind", 40);
        await using var trimmer = new ConsumedRecordsTrimmer(cluster, [new("ahead", [topic]), new("behind", [topic])], TimeSpan.FromHours(1));
        await trimmer.TrimAsync(TestContext.Current.CancellationToken);
        Assert.Equal(39, Start(0)); // the slower group holds the partition back; the last record it consumed stays
        Assert.Equal(0, Start(1)); // nothing committed there: left alone
        Assert.Equal(39, trimmer.RecordsDeleted);

        // A newly watched group that has not committed holds everything still there.
        trimmer.Watch("new", [topic]);
        Commit("behind", 100);
        await trimmer.TrimAsync(TestContext.Current.CancellationToken);
        Assert.Equal(39, Start(0));

        Commit("new", 70);
        await trimmer.TrimAsync(TestContext.Current.CancellationToken);
        Assert.Equal(59, Start(0));
        Assert.Equal(100, watermarks.QueryWatermarkOffsets(p0, TimeSpan.FromSeconds(5)).High.Value); // high watermarks stay

        // A reader from the beginning starts at the new start offset and still gets everything after it.
        using var reader = new ConsumerBuilder<Ignore, string>(new ConsumerConfig { BootstrapServers = cluster.BootstrapServers, GroupId = "reader" }).Build();
        reader.Assign(new TopicPartitionOffset(p0, Offset.Beginning));
        var read = new List<(long Offset, string Value)>();
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (read.Count < 41 && DateTime.UtcNow < deadline)
        {
            if (reader.Consume(TimeSpan.FromMilliseconds(100)) is { Message: not null } r)
            {
                read.Add((r.Offset.Value, r.Message.Value));
            }
        }

        Assert.Equal(Enumerable.Range(59, 41).Select(i => ((long)i, $"v{i}")), read);
    }
}
