namespace Streaming.Processors;

/// <summary>Why the topology dead-letters a request (x-dlq-reason), and the reasons of the statuses it writes itself.</summary>
internal static class Reasons
{
    public const string DeserializationFailed = "deserialization-failed";
    public const string InvalidEventId = "invalid-event-id";
    public const string MissingRecipient = "missing-recipient";
    public const string KeyMismatch = "key-mismatch";
    public const string UnknownCategory = "unknown-category";
    public const string UnknownTemplate = "unknown-template";
    public const string TemplateCategoryMismatch = "template-category-mismatch";
    public const string InvalidPriority = "invalid-priority";
    public const string UnknownChannel = "unknown-channel";
    public const string UnknownRecipient = "unknown-recipient";
    public const string NoRecipientAddress = "no-recipient-address";
    public const string TemplateError = "template-error";
    public const string HeldRequestUnreadable = "held-request-unreadable";

    // DeliveryStatus reasons (not DLQ)
    public const string Expired = "expired";
    public const string Duplicate = "duplicate-event-id";
    public const string Unsubscribed = "unsubscribed";
    public const string OptedOut = "opted-out";
    public const string QuietHours = "quiet-hours";
    public const string SendAt = "send-at";
    public const string NoAddress = "no-address";
}

/// <summary>The step of the topology that dead-lettered a request (x-dlq-stage).</summary>
internal static class Stages
{
    public const string Validate = "validate";
    public const string Enrich = "enrich";
    public const string Render = "render";
    public const string Release = "release";
}
