using Streaming.Contracts;
using static Streaming.Processors.NotificationPolicy;

namespace Streaming.Processors;

/// <summary>One place a rendered message can go: a sender channel (apns, fcm, sms, email) and its address.</summary>
/// <param name="RequestChannel">The channel as users and requests name it (push, sms, email): what opt-outs are about.</param>
internal sealed record Target(string RequestChannel, string Channel, string Address, string? Platform = null, string? App = null);

/// <summary>The targets of a request, and the requested channels that have no address for this user.</summary>
internal sealed record ResolvedTargets(IReadOnlyList<Target> Targets, IReadOnlyList<string> Missing);

/// <summary>
/// Where a request goes: every address of each requested channel, or, when it names none, the first channel in the
/// user's (else the platform's) order that has an address and is not opted out. Opt-outs of requested channels are
/// applied later, per target, so they are reported as suppressed statuses.
/// </summary>
internal sealed class TargetResolver(NotificationCatalog catalog, GlobalTables tables)
{
    public ResolvedTargets Resolve(NotificationRequested request, UserProfile profile, UserPreferences? prefs, bool mandatory)
    {
        // The device view costs a range scan: only build it when push is a candidate.
        List<DeviceToken>? devices = null;
        List<Target> TargetsOf(string channel)
            => TargetsFor(channel, request, profile, channel == Channels.Push ? devices ??= tables.Devices(request.userId) : []);

        if (request.channels is { Count: > 0 } requested)
        {
            var targets = new List<Target>();
            var missing = new List<string>();
            foreach (var channel in requested.Distinct())
            {
                var found = TargetsOf(channel);
                if (found.Count == 0)
                {
                    missing.Add(channel);
                }

                targets.AddRange(found);
            }

            return new ResolvedTargets(targets, missing);
        }

        var order = prefs?.channelOrder is { Count: > 0 } own ? own : catalog.DefaultChannelOrder;
        List<Target>? firstReachable = null;
        foreach (var channel in order)
        {
            var found = TargetsOf(channel);
            if (found.Count == 0)
            {
                continue;
            }

            firstReachable ??= found;
            if (OptOutReason(prefs, request.category, channel, mandatory) is null)
            {
                return new ResolvedTargets(found, []);
            }
        }

        // Every reachable channel is opted out: report the first as suppressed rather than send nothing silently.
        return new ResolvedTargets(firstReachable ?? [], []);
    }
}
