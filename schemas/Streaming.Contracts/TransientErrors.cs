using Confluent.SchemaRegistry;

namespace Streaming.Contracts;

/// <summary>
/// Tells an infrastructure hiccup (registry down, connection reset, timeout) from a record's own fault. A transient error
/// is retried with the record held back; any other error while reading a record dead-letters it.
/// </summary>
public static class TransientErrors
{
    public static bool IsTransient(Exception? exception) => exception switch
    {
        null => false,
        // SchemaRegistryException derives from HttpRequestException: a 4xx (unknown schema ID) is the record's fault.
        SchemaRegistryException sre => (int)sre.Status >= 500,
        HttpRequestException or TaskCanceledException or TimeoutException => true,
        _ => IsTransient(exception.InnerException),
    };
}
