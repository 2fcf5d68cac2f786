using System.Text.Json;
using System.Text.Json.Serialization;

namespace Streaming.LocalStack;

// Wire shapes of Confluent Schema Registry's REST API. Property names are spelled out because
// Confluent mixes conventions (error_code / is_compatible next to compatibilityLevel / schemaType).

/// <summary>Body of register, lookup and compatibility calls. Unknown members (metadata, ruleSet) are ignored.</summary>
internal sealed record SchemaRequestBody(
    [property: JsonPropertyName("schema")] string? Schema,
    [property: JsonPropertyName("schemaType")] string? SchemaType,
    [property: JsonPropertyName("references")] IReadOnlyList<JsonElement>? References);

internal sealed record ErrorBody(
    [property: JsonPropertyName("error_code")] int ErrorCode,
    [property: JsonPropertyName("message")] string Message);

internal sealed record RegisterResponse(
    [property: JsonPropertyName("id")] int Id,
    [property: JsonPropertyName("version")] int Version,
    [property: JsonPropertyName("guid")] string Guid);

/// <summary>A subject's version. schemaType is left out for Avro, exactly like Confluent does.</summary>
internal sealed record SubjectSchemaResponse(
    [property: JsonPropertyName("subject")] string Subject,
    [property: JsonPropertyName("version")] int Version,
    [property: JsonPropertyName("id")] int Id,
    [property: JsonPropertyName("guid")] string Guid,
    [property: JsonPropertyName("schema")] string Schema);

internal sealed record SchemaByIdResponse(
    [property: JsonPropertyName("schema")] string Schema);

internal sealed record SubjectVersionResponse(
    [property: JsonPropertyName("subject")] string Subject,
    [property: JsonPropertyName("version")] int Version);

internal sealed record CompatibilityResponse(
    [property: JsonPropertyName("is_compatible")] bool IsCompatible,
    [property: JsonPropertyName("messages")] IReadOnlyList<string> Messages);

/// <summary>What GET config answers.</summary>
internal sealed record ConfigResponse(
    [property: JsonPropertyName("compatibilityLevel")] string CompatibilityLevel);

/// <summary>What PUT config takes and answers.</summary>
internal sealed record ConfigUpdate(
    [property: JsonPropertyName("compatibility")] string? Compatibility);

internal sealed record EmptyResponse;

[JsonSourceGenerationOptions(
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    PropertyNameCaseInsensitive = true)]
[JsonSerializable(typeof(SchemaRequestBody))]
[JsonSerializable(typeof(ErrorBody))]
[JsonSerializable(typeof(RegisterResponse))]
[JsonSerializable(typeof(SubjectSchemaResponse))]
[JsonSerializable(typeof(SchemaByIdResponse))]
[JsonSerializable(typeof(IReadOnlyList<SubjectVersionResponse>))]
[JsonSerializable(typeof(CompatibilityResponse))]
[JsonSerializable(typeof(ConfigResponse))]
[JsonSerializable(typeof(ConfigUpdate))]
[JsonSerializable(typeof(EmptyResponse))]
[JsonSerializable(typeof(IReadOnlyList<string>))]
[JsonSerializable(typeof(IReadOnlyList<int>))]
internal sealed partial class LocalSchemaRegistryJson : JsonSerializerContext;

/// <summary>
/// A Confluent error response (HTTP status + error_code + message). Thrown by the store and turned
/// into the JSON error body by the pipeline, so every handler stays a straight line.
/// </summary>
internal sealed class LocalSchemaRegistryException(int httpStatus, int errorCode, string message) : Exception(message)
{
    public int HttpStatus { get; } = httpStatus;

    public int ErrorCode { get; } = errorCode;

    public static LocalSchemaRegistryException SubjectNotFound(string subject) =>
        new(404, 40401, $"Subject '{subject}' not found.");

    public static LocalSchemaRegistryException VersionNotFound(int version) =>
        new(404, 40402, $"Version {version} not found.");

    public static LocalSchemaRegistryException SchemaIdNotFound(int id) =>
        new(404, 40403, $"Schema {id} not found");

    public static LocalSchemaRegistryException SchemaNotFound() =>
        new(404, 40403, "Schema not found");

    public static LocalSchemaRegistryException SubjectConfigNotFound(string subject) =>
        new(404, 40408, $"Subject '{subject}' does not have subject-level compatibility configured");

    public static LocalSchemaRegistryException InvalidSchema(string detail) =>
        new(422, 42201, $"Invalid schema: {detail}");

    public static LocalSchemaRegistryException InvalidVersion(string version) =>
        new(422, 42202, $"The specified version '{version}' is not a valid version id. Allowed values are between [1, 2^31-1] and the string \"latest\"");

    public static LocalSchemaRegistryException InvalidCompatibilityLevel(string? level) =>
        new(422, 42203, $"Invalid compatibility level '{level}'. Valid values are none, backward, forward, full, backward_transitive, forward_transitive, and full_transitive");

    public static LocalSchemaRegistryException Incompatible(string subject, IEnumerable<string> details) =>
        new(409, 409, $"Schema being registered is incompatible with an earlier schema for subject \"{subject}\", details: [{string.Join(", ", details)}]");
}
