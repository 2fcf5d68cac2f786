using Microsoft.Extensions.Logging;

namespace Streaming.LocalStack;

internal static partial class LocalSchemaRegistryLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Local schema registry listening on {Url}")]
    public static partial void Started(this ILogger logger, string url);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Local schema registry on {Url} stopped")]
    public static partial void Stopped(this ILogger logger, string url);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "Registered schema id {SchemaId} as version {Version} of subject {Subject}")]
    public static partial void SchemaRegistered(this ILogger logger, string subject, int version, int schemaId);

    [LoggerMessage(EventId = 4, Level = LogLevel.Warning, Message = "Rejected schema for subject {Subject} under {Compatibility}: {Details}")]
    public static partial void SchemaRejected(this ILogger logger, string subject, string compatibility, string details);

    [LoggerMessage(EventId = 5, Level = LogLevel.Information, Message = "Compatibility of {Scope} set to {Compatibility}")]
    public static partial void CompatibilitySet(this ILogger logger, string scope, string compatibility);

    [LoggerMessage(EventId = 6, Level = LogLevel.Information, Message = "Deleted subject {Subject} (versions {Versions})")]
    public static partial void SubjectDeleted(this ILogger logger, string subject, string versions);

    // Debug level: it shows exactly which REST calls a client makes, which is how client upgrades get diagnosed.
    [LoggerMessage(EventId = 7, Level = LogLevel.Debug, Message = "{Method} {Path}{Query} -> {StatusCode}")]
    public static partial void Request(this ILogger logger, string method, string path, string query, int statusCode);

    [LoggerMessage(EventId = 8, Level = LogLevel.Debug, Message = "{Method} {Path} answered {StatusCode}/{ErrorCode}: {Message}")]
    public static partial void ErrorAnswered(this ILogger logger, string method, string path, int statusCode, int errorCode, string message);

    [LoggerMessage(EventId = 9, Level = LogLevel.Error, Message = "{Method} {Path} failed")]
    public static partial void RequestFailed(this ILogger logger, Exception exception, string method, string path);
}
