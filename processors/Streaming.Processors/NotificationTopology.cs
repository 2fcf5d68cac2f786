using Streaming.Contracts;
using Streamiz.Kafka.Net;
using Streamiz.Kafka.Net.Processors;
using Streamiz.Kafka.Net.Processors.Public;
using Streamiz.Kafka.Net.SerDes;
using Streamiz.Kafka.Net.State;
using Streamiz.Kafka.Net.Stream;
using Streamiz.Kafka.Net.Table;

namespace Streaming.Processors;

/// <summary>
/// The notification topology, read top to bottom:
/// <code>
/// notifications.requested (bytes) ─▶ route: deserialize → validate → dedup(eventId) → expired? → sendAt? → enrich(users, devices, preferences)
///                                    → resolve channels → quiet hours? → render (templates topic, else catalogue) → opt-outs → one output per target
///                                  ─▶ branch ─▶ notifications.push.apns | push.fcm | sms | email | delivery-status | dlq
/// </code>
/// Requests are read as bytes and deserialized inside "route", so poison bytes are dead-lettered instead of stopping the
/// stream (Streamiz's deserialization handler can only skip or fail). Held requests (sendAt in the future, quiet hours)
/// wait in a time-ordered store and a wall-clock punctuator re-runs them through the same steps when due.
/// <para>
/// "route" is <see cref="RouteTransformer"/>, which runs the steps in order; each step is a room of its own:
/// <see cref="DedupIndex"/> (dedup-store), <see cref="HeldRequestSchedule"/> (schedule-store), <see cref="GlobalTables"/>
/// (the contact and template tables), <see cref="TargetResolver"/> (channels → targets), <see cref="ChannelMessages"/>
/// (rendering, one message per target) and <see cref="RouteOutputs"/> (channel messages, statuses, dead letters); the
/// rules themselves are the pure functions of <see cref="NotificationPolicy"/>.
/// </para>
/// </summary>
public static class NotificationTopology
{
    /// <summary>eventId → first seen, plus a time index for purging; changelogged.</summary>
    public const string DedupStore = "dedup-store";

    /// <summary>Held requests keyed "{dueAt ms:D13}:{offset:D19}:{eventId}", so a range scan returns what is due, in order; changelogged.</summary>
    public const string ScheduleStore = "schedule-store";

    public const string UsersStore = "users-store";
    public const string DevicesStore = "devices-store";
    public const string PreferencesStore = "preferences-store";
    public const string TemplatesStore = "templates-store";

    /// <summary>
    /// Every internal topic the topology needs: the changelogs of the two routing stores, one partition per input partition.
    /// The contact and template tables are GlobalKTables, restored from their own (compacted) topics, so they need none, and nothing is
    /// repartitioned because requests are already keyed by userId. Create these before the first start on a cluster
    /// that cannot CreateTopics (the embedded one).
    /// </summary>
    public static IReadOnlyList<string> InternalTopics(string applicationId)
        => [$"{applicationId}-{DedupStore}-changelog", $"{applicationId}-{ScheduleStore}-changelog"];

    public static void Build(StreamBuilder builder, TopologySettings settings)
    {
        var strings = new StringSerDes();
        var bytes = new ByteArraySerDes();

        // Contact tables as GlobalKTables: every instance holds all users, so a lookup is local whatever the partition,
        // a device tombstone is a plain delete, and no internal topic is needed. Devices stay keyed "{userId}/{token}"
        // in RocksDB (ordered), and the per-user view is a range scan over "{userId}/" (see processors/README.md).
        builder.GlobalTable(Topics.Users, strings, new AvroSerDes<UserProfile>(settings.Registry), RocksDb.As<string, UserProfile>(UsersStore), "users-table");
        builder.GlobalTable(Topics.Devices, strings, new AvroSerDes<UserDevice>(settings.Registry), RocksDb.As<string, UserDevice>(DevicesStore), "devices-table");
        builder.GlobalTable(Topics.Preferences, strings, new AvroSerDes<UserPreferences>(settings.Registry), RocksDb.As<string, UserPreferences>(PreferencesStore), "preferences-table");
        // Templates published at run time ("{templateId}/{locale}") override the catalogue's texts for that locale.
        builder.GlobalTable(Topics.Templates, strings, new AvroSerDes<NotificationTemplate>(settings.Registry), RocksDb.As<string, NotificationTemplate>(TemplatesStore), "templates-table");

        builder.AddStateStore(Stores.KeyValueStoreBuilder(Stores.PersistentKeyValueStore(DedupStore), strings, new Int64SerDes())
            .WithLoggingEnabled(new Dictionary<string, string>())
            .WithCachingDisabled());
        builder.AddStateStore(Stores.KeyValueStoreBuilder(Stores.PersistentKeyValueStore(ScheduleStore), strings, bytes)
            .WithLoggingEnabled(new Dictionary<string, string>())
            .WithCachingDisabled());

        var routed = builder.Stream(Topics.Requested, bytes, bytes, "requested-source")
            .Transform(
                TransformerBuilder.New<byte[], byte[], string, Routed>().Transformer<RouteTransformer>(settings).Build(),
                "route",
                DedupStore,
                ScheduleStore);

        var branches = routed.Branch(
            "branch",
            (_, v, _) => v is ChannelOutput { Message.channel: Channels.Apns },
            (_, v, _) => v is ChannelOutput { Message.channel: Channels.Fcm },
            (_, v, _) => v is ChannelOutput { Message.channel: Channels.Sms },
            (_, v, _) => v is ChannelOutput { Message.channel: Channels.Email },
            (_, v, _) => v is StatusOutput,
            (_, v, _) => v is DeadLetterOutput);

        var channelSerdes = new AvroSerDes<ChannelNotification>(settings.Registry);
        ToTopic(branches[0], Topics.PushApns, v => ((ChannelOutput)v).Message, channelSerdes, "apns");
        ToTopic(branches[1], Topics.PushFcm, v => ((ChannelOutput)v).Message, channelSerdes, "fcm");
        ToTopic(branches[2], Topics.Sms, v => ((ChannelOutput)v).Message, channelSerdes, "sms");
        ToTopic(branches[3], Topics.Email, v => ((ChannelOutput)v).Message, channelSerdes, "email");
        ToTopic(branches[4], Topics.DeliveryStatus, v => ((StatusOutput)v).Status, new AvroSerDes<DeliveryStatus>(settings.Registry), "delivery-status");

        // The DLQ keeps the original key and value bytes, so a fixed record can be replayed as it was.
        branches[5]
            .Transform(
                TransformerBuilder.New<string, Routed, byte[], byte[]>()
                    .Transformer(r => Record<byte[], byte[]>.Create(((DeadLetterOutput)r.Value).Key!, ((DeadLetterOutput)r.Value).Value!, r.Value.Headers))
                    .Build(),
                "dlq-record")
            .To(new FixedTopic<byte[], byte[]>(Topics.DeadLetter), KeyPartitioned<byte[], byte[]>(), bytes, bytes, "dlq-sink");
    }

    /// <summary>
    /// No stream partitioner: the producer places each record by its key with the partitioner the publisher and the
    /// senders use (see <see cref="NotificationTopologyRunner.CreateStreamConfig"/>), so a status the topology writes
    /// lands on the same partition as the senders' statuses of that event. Streamiz's default stream partitioner would
    /// copy the input partition instead, and it asks the producer for the topic's partition count on every record,
    /// building the whole admin configuration each time.
    /// </summary>
    private static IStreamPartitioner<K, V> KeyPartitioned<K, V>() => null!;

    // Each output carries its own headers (trace context, x-event-id, DLQ reason): a transformer's returned Record sets
    // them on the record context, and the sink writes the record context's headers.
    private static void ToTopic<V>(IKStream<string, Routed> stream, string topic, Func<Routed, V> value, ISerDes<V> serdes, string name)
        => stream
            .Transform(
                TransformerBuilder.New<string, Routed, string, V>()
                    .Transformer(r => Record<string, V>.Create(r.Key, value(r.Value), r.Value.Headers))
                    .Build(),
                $"{name}-record")
            .To(new FixedTopic<string, V>(topic), KeyPartitioned<string, V>(), new StringSerDes(), serdes, $"{name}-sink");

    private sealed class FixedTopic<K, V>(string topic) : ITopicNameExtractor<K, V>
    {
        public string Extract(K key, V value, IRecordContext recordContext) => topic;
    }
}
