namespace Streaming.Producers;

/// <summary>Base of every error the producer library throws on purpose.</summary>
public abstract class NotificationPublisherException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>One reason a request was rejected.</summary>
/// <param name="Field">The request field at fault (camelCase, as in the HTTP API).</param>
/// <param name="Code">Stable machine-readable code, e.g. missing-recipient, unknown-category, invalid-phone.</param>
/// <param name="Message">Human-readable explanation.</param>
public sealed record ValidationError(string Field, string Code, string Message);

/// <summary>The request is invalid; nothing was sent. Retrying the same request will fail the same way.</summary>
public sealed class NotificationValidationException(IReadOnlyList<ValidationError> errors)
    : NotificationPublisherException("Invalid notification request: " + string.Join("; ", errors.Select(e => $"{e.Field}: {e.Message}")))
{
    /// <summary>Every problem found, not only the first.</summary>
    public IReadOnlyList<ValidationError> Errors { get; } = errors;
}

/// <summary>The request was valid but could not be written to Kafka (or its schema could not be registered).</summary>
public sealed class NotificationPublishException(string message, bool isRetriable, string? eventId, Exception? inner = null)
    : NotificationPublisherException(message, inner)
{
    /// <summary>True when the same call may succeed later (broker unavailable, timeout); the event ID is kept, so a retry is deduplicated downstream.</summary>
    public bool IsRetriable { get; } = isRetriable;

    /// <summary>The event ID the request was given, for retrying with the same ID.</summary>
    public string? EventId { get; } = eventId;
}
