using Streaming.Contracts;
using Streamiz.Kafka.Net.Processors.Public;
using Streamiz.Kafka.Net.State;

namespace Streaming.Processors;

/// <summary>
/// Lookups in the four GlobalKTables. Every instance holds all of them, so a lookup is local whatever the partition.
/// Devices and topic templates are keyed "{userId}/{token}" and "{templateId}/{locale}", so a user's devices or a
/// template's locales are one prefix scan.
/// </summary>
internal sealed class GlobalTables(ProcessorContext<string, Routed> context)
{
    private readonly ITimestampedKeyValueStore<string, UserProfile> users = Store<UserProfile>(context, NotificationTopology.UsersStore);
    private readonly ITimestampedKeyValueStore<string, UserDevice> devices = Store<UserDevice>(context, NotificationTopology.DevicesStore);
    private readonly ITimestampedKeyValueStore<string, UserPreferences> preferences = Store<UserPreferences>(context, NotificationTopology.PreferencesStore);
    private readonly ITimestampedKeyValueStore<string, NotificationTemplate> templates = Store<NotificationTemplate>(context, NotificationTopology.TemplatesStore);

    public UserProfile? Profile(string userId) => users.Get(userId)?.Value;

    public UserPreferences? Preferences(string userId) => preferences.Get(userId)?.Value;

    /// <summary>Every device of <paramref name="userId"/>; a removed device is a tombstone, so it is simply gone.</summary>
    public List<DeviceToken> Devices(string userId)
        => [.. StoreRanges.WithPrefix(devices, userId + "/").Select(d => new DeviceToken { token = d.token, platform = d.platform, app = d.app, lastSeenAt = d.lastSeenAt })];

    /// <summary>A template published on the templates topic, by "{templateId}/{locale}".</summary>
    public NotificationTemplate? Template(string key) => templates.Get(key)?.Value;

    /// <summary>The category of a template known only from the templates topic (any locale), or null.</summary>
    public string? TopicTemplateCategory(string templateId)
        => StoreRanges.WithPrefix(templates, templateId + "/").FirstOrDefault()?.category;

    private static ITimestampedKeyValueStore<string, V> Store<V>(ProcessorContext<string, Routed> context, string name)
        => (ITimestampedKeyValueStore<string, V>)context.GetStateStore(name);
}
