namespace Streaming.Contracts;

// Every array and map field of the generated records starts out empty rather than null.
//
// Why: Avro's SpecificDefaultReader fills such a field in place when the record it reads into already holds a collection
// (Clear, then Add). When the field is null it builds the collection type from the schema instead, on every read: a type
// name assembled as a string, then MakeGenericType and Activator. The topology reads a NotificationRequested (two
// such fields) and the senders a ChannelNotification (one) per request, so that was reflection on every hop.
// The fields are non-null in every schema, so an empty collection is also what a writer would have had to set anyway.

public partial class NotificationRequested
{
    public NotificationRequested()
    {
        channels = new List<string>();
        templateParameters = new Dictionary<string, string>();
    }
}

public partial class ChannelNotification
{
    public ChannelNotification()
    {
        data = new Dictionary<string, string>();
    }
}

public partial class UserDevices
{
    public UserDevices()
    {
        devices = new List<DeviceToken>();
    }
}

public partial class UserPreferences
{
    public UserPreferences()
    {
        channelOrder = new List<string>();
        rules = new List<ChannelRule>();
    }
}
