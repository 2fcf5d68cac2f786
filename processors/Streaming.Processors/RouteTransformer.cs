using System.Text;
using Confluent.Kafka;
using Streaming.Contracts;
using Streamiz.Kafka.Net;
using Streamiz.Kafka.Net.Processors;
using Streamiz.Kafka.Net.Processors.Public;
using Streamiz.Kafka.Net.State;
using static Streaming.Processors.NotificationPolicy;

namespace Streaming.Processors;

/// <summary>
/// The routing step: runs each request through the steps of <see cref="NotificationTopology"/> in order, each step a
/// room of its own (dedup index, held-request schedule, target resolution, channel messages, outputs). One instance per
/// stream task (Streamiz creates it with the settings); state lives in the two connected stores, the contact tables in
/// the global stores.
/// </summary>
internal sealed class RouteTransformer : ITransformer<byte[], byte[], string, Routed>
{
    private readonly TopologySettings settings;
    private DedupIndex dedup = null!;
    private HeldRequestSchedule schedule = null!;
    private GlobalTables tables = null!;
    private TargetResolver targets = null!;
    private ChannelMessages messages = null!;
    private RouteOutputs outputs = null!;
    private AvroSerDes<NotificationRequested> requests = null!;

    /// <summary>Only for the prototype TransformerBuilder requires (new() constraint); Streamiz builds the working instances with the settings.</summary>
    public RouteTransformer() => settings = null!;

    public RouteTransformer(TopologySettings settings) => this.settings = settings;

    private NotificationCatalog Catalog => settings.Catalog;

    private DateTimeOffset Now => settings.Time.GetUtcNow();

    public void Init(ProcessorContext<string, Routed> context)
    {
        dedup = new DedupIndex((IKeyValueStore<string, long>)context.GetStateStore(NotificationTopology.DedupStore), settings.DedupHorizon, settings.MaxPerPunctuation);
        schedule = new HeldRequestSchedule((IKeyValueStore<string, byte[]>)context.GetStateStore(NotificationTopology.ScheduleStore), context.Id.Partition, settings.MaxPerPunctuation);
        tables = new GlobalTables(context);
        targets = new TargetResolver(Catalog, tables);
        messages = new ChannelMessages(settings.Templates, tables);
        outputs = new RouteOutputs(context, settings.Logger, settings.Time);
        requests = new AvroSerDes<NotificationRequested>(settings.Registry, autoRegister: false);

        // Wall-clock punctuators: held requests must go out when due even if no new request arrives on this partition.
        context.Schedule(settings.ReleaseInterval, PunctuationType.PROCESSING_TIME, _ => ReleaseDue());
        context.Schedule(settings.DedupPurgeInterval, PunctuationType.PROCESSING_TIME, _ => dedup.Purge(Now));
    }

    public Record<string, Routed> Process(Record<byte[], byte[]> record)
    {
        var tpo = record.TopicPartitionOffset;
        var origin = new Origin(tpo?.Topic ?? Topics.Requested, tpo?.Partition.Value ?? -1, tpo?.Offset.Value ?? -1, record.Key, record.Value, record.Headers ?? []);
        var key = record.Key is null ? null : Encoding.UTF8.GetString(record.Key);
        ProcessorMetrics.Request();
        using var span = RouteTrace.StartSpan(origin.Headers, "route");

        // 1. Deserialize (poison bytes → DLQ, never a stopped partition).
        if (Deserialize(origin) is not { } request)
        {
            return null!;
        }

        // 2. Validate what needs no user data.
        if (Validate(request, key, Catalog, tables.TopicTemplateCategory) is { } invalid)
        {
            outputs.DeadLetter(origin, request, invalid.Reason, Stages.Validate, invalid.Error);
            return null!;
        }

        // 3. Drop duplicates within the horizon, recording them.
        var now = Now;
        if (dedup.IsDuplicate(request.eventId, now))
        {
            ProcessorMetrics.Duplicate();
            outputs.Status(request, Outcomes.NoChannel, null, Outcomes.Duplicate, Reasons.Duplicate, RouteTrace.Derive(origin.Headers, request.eventId), now);
            return null!;
        }

        // 4-7. Policy, enrichment, rendering, outputs.
        Route(request, origin, now);
        return null!; // every output was forwarded on the context
    }

    public void Close()
    {
    }

    private NotificationRequested? Deserialize(Origin origin)
    {
        if (origin.Value is null)
        {
            outputs.DeadLetter(origin, null, Reasons.DeserializationFailed, Stages.Validate, "Null value (tombstone) on the requests topic.");
            return null;
        }

        try
        {
            return requests.Deserialize(origin.Value, new SerializationContext(MessageComponentType.Value, Topics.Requested, origin.Headers));
        }
        catch (Exception ex) when (!TransientErrors.IsTransient(ex))
        {
            outputs.DeadLetter(origin, null, Reasons.DeserializationFailed, Stages.Validate, $"{ex.GetType().Name}: {ex.Message}");
            return null;
        }
    }

    /// <summary>Everything after dedup; also what a held request goes through again when it is released.</summary>
    private void Route(NotificationRequested request, Origin origin, DateTimeOffset now)
    {
        var headers = RouteTrace.Derive(origin.Headers, request.eventId);

        // Expired before it could be sent.
        if (request.expiresAt is { } expiresAt && Utc(expiresAt) <= now)
        {
            outputs.Status(request, Outcomes.NoChannel, null, Outcomes.Expired, Reasons.Expired, headers, now);
            return;
        }

        // Scheduled for later: hold until sendAt.
        if (request.sendAt is { } sendAt && Utc(sendAt) > now)
        {
            Hold(request, origin, Utc(sendAt), Outcomes.Scheduled, Reasons.SendAt, headers, now);
            return;
        }

        // Enrich, and resolve channels → targets.
        if (tables.Profile(request.userId) is not { } profile)
        {
            Reject(origin, request, Reasons.UnknownRecipient, Stages.Enrich, $"No profile for user '{request.userId}' on the users topic.");
            return;
        }

        var prefs = tables.Preferences(request.userId);
        var mandatory = Catalog.Categories[request.category].Mandatory;
        var resolved = targets.Resolve(request, profile, prefs, mandatory);
        if (resolved.Targets.Count == 0)
        {
            var asked = request.channels is { Count: > 0 } ? string.Join(", ", request.channels) : "any channel";
            Reject(origin, request, Reasons.NoRecipientAddress, Stages.Enrich, $"User '{request.userId}' has no address for {asked}.");
            return;
        }

        // Quiet hours: non-urgent requests wait for the window's end. Checked before opt-outs, so a deferred request
        // meets the preferences of the moment it is released.
        if (!IsUrgent(request.priority) && QuietHoursEnd(prefs?.quietHours, profile.timeZone, now) is { } quietEnd)
        {
            Hold(request, origin, quietEnd, Outcomes.Deferred, Reasons.QuietHours, headers, now);
            return;
        }

        var (rendered, error) = messages.Render(request, profile);
        if (rendered is null)
        {
            Reject(origin, request, Reasons.TemplateError, Stages.Render, error!);
            return;
        }

        // A requested channel without an address fails on its own; the others still go out.
        foreach (var channel in resolved.Missing)
        {
            outputs.Status(request, channel, null, Outcomes.Failed, Reasons.NoAddress, headers, now);
        }

        // Opt-outs per target, then one message per target.
        foreach (var target in resolved.Targets)
        {
            if (OptOutReason(prefs, request.category, target.RequestChannel, mandatory) is { } reason)
            {
                outputs.Status(request, target.Channel, target.Address, Outcomes.Suppressed, reason, headers, now);
                continue;
            }

            outputs.Channel(request, ChannelMessages.For(request, target, rendered, now), headers, now);
        }
    }

    /// <summary>
    /// Dead-letters a request the data could not serve yet (unknown user, no address, broken template) and forgets its
    /// event ID: once the data is fixed, the same request is re-published from the DLQ and must go through, while a
    /// request that got an outcome stays remembered and its duplicates dropped.
    /// </summary>
    private void Reject(Origin origin, NotificationRequested request, string reason, string stage, string error)
    {
        outputs.DeadLetter(origin, request, reason, stage, error);
        dedup.Forget(request.eventId);
    }

    private void Hold(NotificationRequested request, Origin origin, DateTimeOffset dueAt, string outcome, string reason, Headers headers, DateTimeOffset now)
    {
        schedule.Hold(origin, request.eventId, dueAt, reason);
        outputs.Status(request, Outcomes.NoChannel, null, outcome, reason, headers, now);
    }

    /// <summary>Re-runs every due held request through <see cref="Route"/>, as of one instant.</summary>
    private void ReleaseDue()
    {
        var now = Now;
        schedule.ReleaseDue(
            now,
            (origin, kind) =>
            {
                using var span = RouteTrace.StartSpan(origin.Headers, "release");
                if (Deserialize(origin) is { } request)
                {
                    ProcessorMetrics.Release(kind);
                    Route(request, origin, now);
                }
            },
            stored => outputs.DeadLetter(stored, null, Reasons.HeldRequestUnreadable, Stages.Release, "Held request in an unknown format."));
    }
}
