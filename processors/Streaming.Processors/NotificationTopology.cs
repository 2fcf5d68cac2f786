using System.Diagnostics;
using System.Text;
using Confluent.Kafka;
using Confluent.SchemaRegistry;
using Streaming.Contracts;
using Streamiz.Kafka.Net;
using Streamiz.Kafka.Net.Processors;
using Streamiz.Kafka.Net.Processors.Public;
using Streamiz.Kafka.Net.SerDes;
using Streamiz.Kafka.Net.State;
using Streamiz.Kafka.Net.Stream;
using Streamiz.Kafka.Net.Table;
using static Streaming.Processors.NotificationPolicy;

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
    /// building the whole admin configuration each time (~11 % of the stream thread's CPU in the bench).
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

/// <summary>What "route" emits: a channel message, a status, or a dead letter, each with the headers it must carry.</summary>
internal abstract record Routed(Headers Headers);

internal sealed record ChannelOutput(ChannelNotification Message, Headers Headers) : Routed(Headers);

internal sealed record StatusOutput(DeliveryStatus Status, Headers Headers) : Routed(Headers);

internal sealed record DeadLetterOutput(byte[]? Key, byte[]? Value, Headers Headers) : Routed(Headers);

/// <summary>Where a request came from: enough to dead-letter it with its original bytes and coordinates, or to hold it.</summary>
internal sealed record Origin(string Topic, int Partition, long Offset, byte[]? Key, byte[]? Value, Headers Headers);

/// <summary>
/// The routing step. One instance per stream task (Streamiz creates it with the settings); state lives in the two
/// connected stores, the contact tables in the global stores.
/// </summary>
internal sealed class RouteTransformer : ITransformer<byte[], byte[], string, Routed>
{
    private readonly TopologySettings settings;
    private ProcessorContext<string, Routed> context = null!;
    private IKeyValueStore<string, long> dedup = null!;
    private IKeyValueStore<string, byte[]> held = null!;
    private ITimestampedKeyValueStore<string, UserProfile> users = null!;
    private ITimestampedKeyValueStore<string, UserDevice> devices = null!;
    private ITimestampedKeyValueStore<string, UserPreferences> preferences = null!;
    private ITimestampedKeyValueStore<string, NotificationTemplate> templates = null!;
    private AvroSerDes<NotificationRequested> requests = null!;

    /// <summary>Only for the prototype TransformerBuilder requires (new() constraint); Streamiz builds the working instances with the settings.</summary>
    public RouteTransformer() => settings = null!;

    public RouteTransformer(TopologySettings settings) => this.settings = settings;

    private NotificationCatalog Catalog => settings.Catalog;

    private DateTimeOffset Now => settings.Time.GetUtcNow();

    public void Init(ProcessorContext<string, Routed> context)
    {
        this.context = context;
        dedup = (IKeyValueStore<string, long>)context.GetStateStore(NotificationTopology.DedupStore);
        held = (IKeyValueStore<string, byte[]>)context.GetStateStore(NotificationTopology.ScheduleStore);
        users = (ITimestampedKeyValueStore<string, UserProfile>)context.GetStateStore(NotificationTopology.UsersStore);
        devices = (ITimestampedKeyValueStore<string, UserDevice>)context.GetStateStore(NotificationTopology.DevicesStore);
        preferences = (ITimestampedKeyValueStore<string, UserPreferences>)context.GetStateStore(NotificationTopology.PreferencesStore);
        templates = (ITimestampedKeyValueStore<string, NotificationTemplate>)context.GetStateStore(NotificationTopology.TemplatesStore);
        requests = new AvroSerDes<NotificationRequested>(settings.Registry, autoRegister: false);

        // Wall-clock punctuators: held requests must go out when due even if no new request arrives on this partition.
        context.Schedule(settings.ReleaseInterval, PunctuationType.PROCESSING_TIME, _ => ReleaseDue());
        context.Schedule(settings.DedupPurgeInterval, PunctuationType.PROCESSING_TIME, _ => PurgeDedup());
    }

    public Record<string, Routed> Process(Record<byte[], byte[]> record)
    {
        var tpo = record.TopicPartitionOffset;
        var origin = new Origin(tpo?.Topic ?? Topics.Requested, tpo?.Partition.Value ?? -1, tpo?.Offset.Value ?? -1, record.Key, record.Value, record.Headers ?? []);
        var key = record.Key is null ? null : Encoding.UTF8.GetString(record.Key);
        ProcessorMetrics.Request();
        using var activity = StartActivity(origin.Headers, "route");

        // 1. Deserialize (poison bytes → DLQ, never a stopped partition).
        if (Deserialize(origin) is not { } request)
        {
            return null!;
        }

        // 2. Validate what needs no user data.
        if (Validate(request, key, Catalog, TopicTemplateCategory) is { } invalid)
        {
            DeadLetter(origin, request, invalid.Reason, Stages.Validate, invalid.Error);
            return null!;
        }

        // 3. Drop duplicates within the horizon, recording them.
        var now = Now;
        if (IsDuplicate(request.eventId, now))
        {
            ProcessorMetrics.Duplicate();
            Status(request, Outcomes.NoChannel, null, Outcomes.Duplicate, Reasons.Duplicate, Derive(origin.Headers, request.eventId), now);
            return null!;
        }

        // 4-7. Policy, enrichment, rendering, outputs.
        Route(request, origin, now);
        return null!; // every output was forwarded by Route
    }

    public void Close()
    {
    }

    private NotificationRequested? Deserialize(Origin origin)
    {
        if (origin.Value is null)
        {
            DeadLetter(origin, null, Reasons.DeserializationFailed, Stages.Validate, "Null value (tombstone) on the requests topic.");
            return null;
        }

        try
        {
            return requests.Deserialize(origin.Value, new SerializationContext(MessageComponentType.Value, Topics.Requested, origin.Headers));
        }
        catch (Exception ex) when (!TransientErrors.IsTransient(ex))
        {
            DeadLetter(origin, null, Reasons.DeserializationFailed, Stages.Validate, $"{ex.GetType().Name}: {ex.Message}");
            return null;
        }
    }

    private bool IsDuplicate(string eventId, DateTimeOffset now)
    {
        var nowMs = now.ToUnixTimeMilliseconds();
        var seen = dedup.Get("id:" + eventId); // 0 when absent
        if (seen > 0 && nowMs - seen < (long)settings.DedupHorizon.TotalMilliseconds)
        {
            return true;
        }

        dedup.Put("id:" + eventId, nowMs);
        dedup.Put($"at:{FormatMs(nowMs)}:{eventId}", nowMs);
        return false;
    }

    /// <summary>Everything after dedup; also what a held request goes through again when it is released.</summary>
    private void Route(NotificationRequested request, Origin origin, DateTimeOffset now)
    {
        var headers = Derive(origin.Headers, request.eventId);

        // Expired before it could be sent.
        if (request.expiresAt is { } expiresAt && Utc(expiresAt) <= now)
        {
            Status(request, Outcomes.NoChannel, null, Outcomes.Expired, Reasons.Expired, headers, now);
            return;
        }

        // Scheduled for later: hold until sendAt.
        if (request.sendAt is { } sendAt && Utc(sendAt) > now)
        {
            Hold(request, origin, Utc(sendAt), Outcomes.Scheduled, Reasons.SendAt, headers, now);
            return;
        }

        // Enrich.
        if (users.Get(request.userId)?.Value is not { } profile)
        {
            DeadLetter(origin, request, Reasons.UnknownRecipient, Stages.Enrich, $"No profile for user '{request.userId}' on the users topic.");
            return;
        }

        var prefs = preferences.Get(request.userId)?.Value;
        // The device view costs a range scan: only build it when push is a candidate.
        UserDevices? userDevices = null;
        IReadOnlyList<DeviceToken> Devices(string channel)
            => channel == Channels.Push ? (userDevices ??= DevicesOf(request.userId)).devices.ToList() : [];
        var mandatory = Catalog.Categories[request.category].Mandatory;

        // Resolve channels → targets.
        var targets = new List<Target>();
        var missing = new List<string>();
        if (request.channels is { Count: > 0 } requested)
        {
            foreach (var channel in requested.Distinct())
            {
                var found = TargetsFor(channel, request, profile, Devices(channel));
                if (found.Count == 0)
                {
                    missing.Add(channel);
                }

                targets.AddRange(found);
            }
        }
        else
        {
            // Automatic: the first channel in the user's (else the platform's) order that has an address and is allowed.
            var order = prefs?.channelOrder is { Count: > 0 } own ? own : Catalog.DefaultChannelOrder;
            List<Target>? firstReachable = null;
            foreach (var channel in order)
            {
                var found = TargetsFor(channel, request, profile, Devices(channel));
                if (found.Count == 0)
                {
                    continue;
                }

                firstReachable ??= found;
                if (OptOutReason(prefs, request.category, channel, mandatory) is null)
                {
                    targets = found;
                    break;
                }
            }

            // Every reachable channel is opted out: report the first as suppressed below rather than send nothing silently.
            if (targets.Count == 0 && firstReachable is not null)
            {
                targets = firstReachable;
            }
        }

        if (targets.Count == 0)
        {
            var asked = request.channels is { Count: > 0 } ? string.Join(", ", request.channels) : "any channel";
            DeadLetter(origin, request, Reasons.NoRecipientAddress, Stages.Enrich, $"User '{request.userId}' has no address for {asked}.");
            return;
        }

        // Quiet hours: non-urgent requests wait for the window's end. Checked before opt-outs, so a deferred request
        // meets the preferences of the moment it is released.
        if (!IsUrgent(request.priority) && QuietHoursEnd(prefs?.quietHours, profile.timeZone, now) is { } quietEnd)
        {
            Hold(request, origin, quietEnd, Outcomes.Deferred, Reasons.QuietHours, headers, now);
            return;
        }

        // Render for the request's (else the profile's) locale.
        RenderedTemplate? rendered;
        try
        {
            rendered = settings.Templates.Render(request.templateId, request.locale ?? profile.locale, profile.displayName, request.templateParameters ?? new Dictionary<string, string>(), k => templates.Get(k)?.Value);
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or FormatException or Fluid.ParseException)
        {
            DeadLetter(origin, request, Reasons.TemplateError, Stages.Render, ex.Message);
            return;
        }

        if (rendered is null)
        {
            DeadLetter(origin, request, Reasons.TemplateError, Stages.Render, $"Template '{request.templateId}' has no text.");
            return;
        }

        // A requested channel without an address fails on its own; the others still go out.
        foreach (var channel in missing)
        {
            Status(request, channel, null, Outcomes.Failed, Reasons.NoAddress, headers, now);
        }

        // Opt-outs per target, then one message per target.
        foreach (var target in targets)
        {
            if (OptOutReason(prefs, request.category, target.RequestChannel, mandatory) is { } reason)
            {
                Status(request, target.Channel, target.Address, Outcomes.Suppressed, reason, headers, now);
                continue;
            }

            ProcessorMetrics.Route(target.Channel, (now - Utc(request.createdAt)).TotalMilliseconds);
            context.Forward(request.userId, new ChannelOutput(ToMessage(request, target, rendered, now), headers));
        }
    }

    // Category of a template known only from the templates topic (any locale), or null.
    private string? TopicTemplateCategory(string templateId)
    {
        var prefix = templateId + "/";
        using var range = templates.Range(prefix, prefix + '\uffff');
        while (range.MoveNext())
        {
            if (range.Current is { } kv && kv.Key.StartsWith(prefix, StringComparison.Ordinal) && kv.Value?.Value is { } t)
            {
                return t.category;
            }
        }

        return null;
    }

    private UserDevices DevicesOf(string userId)
    {
        var view = new UserDevices { userId = userId, devices = [] };
        var prefix = userId + "/";
        using var range = devices.Range(prefix, prefix + '\uffff');
        while (range.MoveNext())
        {
            if (range.Current is { } kv && kv.Key.StartsWith(prefix, StringComparison.Ordinal) && kv.Value?.Value is { } d)
            {
                view.devices.Add(new DeviceToken { token = d.token, platform = d.platform, app = d.app, lastSeenAt = d.lastSeenAt });
            }
        }

        return view;
    }

    private static ChannelNotification ToMessage(NotificationRequested request, Target target, RenderedTemplate rendered, DateTimeOffset now) => new()
    {
        eventId = request.eventId,
        userId = request.userId,
        channel = target.Channel,
        target = target.Address,
        platform = target.Platform,
        app = target.App,
        category = request.category,
        priority = request.priority,
        locale = rendered.Locale,
        templateId = request.templateId,
        title = target.RequestChannel == Channels.Push ? rendered.Title : null,
        subject = target.Channel == Channels.Email ? rendered.Subject : null,
        body = rendered.Body,
        data = new Dictionary<string, string> { ["eventId"] = request.eventId, ["category"] = request.category, ["templateId"] = request.templateId },
        expiresAt = request.expiresAt,
        sourceService = request.sourceService,
        requestedAt = request.createdAt,
        routedAt = now.UtcDateTime,
    };

    private void Hold(NotificationRequested request, Origin origin, DateTimeOffset dueAt, string outcome, string reason, Headers headers, DateTimeOffset now)
    {
        var key = $"{FormatMs(dueAt.ToUnixTimeMilliseconds())}:{origin.Offset:D19}:{request.eventId}";
        held.Put(key, HeldRequest.Encode(origin, reason));
        Status(request, Outcomes.NoChannel, null, outcome, reason, headers, now);
    }

    private void ReleaseDue()
    {
        var now = Now;
        var due = new List<string>();
        using (var range = held.Range("0", FormatMs(now.ToUnixTimeMilliseconds()) + ";"))
        {
            while (due.Count < settings.MaxPerPunctuation && range.MoveNext())
            {
                if (range.Current is { } kv)
                {
                    due.Add(kv.Key);
                }
            }
        }

        foreach (var key in due)
        {
            var stored = held.Get(key);
            if (!HeldRequest.TryDecode(stored, out var origin, out var kind))
            {
                // Never loop on (or silently drop) a stored entry this version cannot read: dead-letter its bytes.
                DeadLetter(new Origin(NotificationTopology.ScheduleStore, context.Id.Partition, -1, Encoding.UTF8.GetBytes(key), stored, []), null, Reasons.HeldRequestUnreadable, Stages.Release, "Held request in an unknown format.");
                held.Delete(key);
                continue;
            }

            using var activity = StartActivity(origin.Headers, "release");
            if (Deserialize(origin) is { } request)
            {
                ProcessorMetrics.Release(kind);
                Route(request, origin, now);
            }

            // Deleted only once routed: a crash before this releases it again, and the senders' (eventId, channel, target)
            // check drops the repeat.
            held.Delete(key);
        }
    }

    private void PurgeDedup()
    {
        var cutoff = Now.ToUnixTimeMilliseconds() - (long)settings.DedupHorizon.TotalMilliseconds;
        var expired = new List<string>();
        using (var range = dedup.Range("at:", $"at:{FormatMs(cutoff)};"))
        {
            while (expired.Count < settings.MaxPerPunctuation && range.MoveNext())
            {
                if (range.Current is { } kv)
                {
                    expired.Add(kv.Key);
                }
            }
        }

        foreach (var key in expired)
        {
            dedup.Delete(key);
            var id = "id:" + key[17..]; // "at:" + 13 digits + ":"
            if (dedup.Get(id) is var seen && seen > 0 && seen <= cutoff)
            {
                dedup.Delete(id);
            }
        }
    }

    private void Status(NotificationRequested request, string channel, string? target, string outcome, string reason, Headers headers, DateTimeOffset now)
    {
        ProcessorMetrics.Status(outcome, reason);
        context.Forward(request.eventId, new StatusOutput(
            new DeliveryStatus
            {
                eventId = request.eventId,
                userId = request.userId,
                channel = channel,
                target = target,
                outcome = outcome,
                reason = reason,
                category = request.category,
                attempt = 0,
                requestedAt = request.createdAt,
                occurredAt = now.UtcDateTime,
            },
            headers));
    }

    private void DeadLetter(Origin origin, NotificationRequested? request, string reason, string stage, string error)
    {
        ProcessorMetrics.DeadLetter(reason, stage);
        ProcessorLog.DeadLettered(settings.Logger, origin.Topic, origin.Partition, origin.Offset, reason, stage, error);

        var headers = DeadLetterHeaders.For(origin.Headers, reason, stage, error, new DeadLetterOrigin(origin.Topic, origin.Partition, origin.Offset));
        context.Forward(request?.userId ?? "", new DeadLetterOutput(origin.Key, origin.Value, headers));

        // The delivery log explains what happened to every request it can name.
        if (request is not null && reason != Reasons.InvalidEventId)
        {
            Status(request, Outcomes.NoChannel, null, Outcomes.DeadLettered, reason, Derive(origin.Headers, request.eventId), Now);
        }
    }

    /// <summary>
    /// Headers of a derived record: the trace context and source of the request, plus x-event-id. When the routing span
    /// is recorded, traceparent names it, so the sender's span becomes its child.
    /// </summary>
    private static Headers Derive(Headers input, string eventId)
    {
        var headers = new Headers();
        foreach (var name in HeldRequest.PropagatedHeaders)
        {
            if (name == HeaderNames.TraceParent && Activity.Current is { Source.Name: ProcessorMetrics.MeterName, IdFormat: ActivityIdFormat.W3C } span)
            {
                headers.Add(name, Encoding.ASCII.GetBytes(span.Id!));
            }
            else if (input.TryGetLastBytes(name, out var value))
            {
                headers.Add(name, value);
            }
        }

        headers.Add(HeaderNames.EventId, Encoding.UTF8.GetBytes(eventId));
        return headers;
    }

    // A span per routed request, child of the request's traceparent; null (and free) when nobody listens.
    private static Activity? StartActivity(Headers headers, string name)
    {
        ActivityContext parent = default;
        if (headers.TryGetLastBytes(HeaderNames.TraceParent, out var tp))
        {
            string? state = headers.TryGetLastBytes(HeaderNames.TraceState, out var ts) ? Encoding.ASCII.GetString(ts) : null;
            ActivityContext.TryParse(Encoding.ASCII.GetString(tp), state, out parent);
        }

        return ProcessorMetrics.ActivitySource.StartActivity($"notification.{name}", ActivityKind.Consumer, parent);
    }

    private static DateTimeOffset Utc(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));
}
