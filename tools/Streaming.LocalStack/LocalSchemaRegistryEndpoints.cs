using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Logging;

namespace Streaming.LocalStack;

/// <summary>The REST surface of <see cref="LocalSchemaRegistry"/>, route for route as Confluent spells it.</summary>
internal static class LocalSchemaRegistryEndpoints
{
    private const string ContentType = "application/vnd.schemaregistry.v1+json";
    private static readonly LocalSchemaRegistryJson Json = LocalSchemaRegistryJson.Default;

    public static void Map(WebApplication app, LocalSchemaRegistryStore store, ILogger logger)
    {
        app.Use((context, next) => Pipeline(context, next, logger));

        app.MapGet("/", () => Ok(new EmptyResponse(), Json.EmptyResponse));
        app.MapGet("/schemas/types", () => Ok<IReadOnlyList<string>>(["AVRO"], Json.IReadOnlyListString));

        // The association API (Confluent Cloud / Platform 8) is not served. Since client 2.14 the default
        // subject-name strategy probes it and falls back to the topic strategy on any 404.
        app.Map("/associations/{**rest}", IResult (string? rest) => throw new LocalSchemaRegistryException(404, 40401,
            $"No association found for '{rest}'; this registry has no association API."));

        app.MapGet("/subjects", () => Ok(store.Subjects(), Json.IReadOnlyListString));

        // "normalize" is accepted and ignored: identity is always decided on Apache.Avro's canonical form.
        app.MapPost("/subjects/{subject}/versions", async (string subject, HttpRequest request) =>
        {
            subject = Subject(subject);
            var body = await ReadBody(request).ConfigureAwait(false);
            try
            {
                var registration = store.Register(subject, body);
                if (registration.Created)
                {
                    logger.SchemaRegistered(subject, registration.Version.Version, registration.Version.Schema.Id);
                }

                var version = registration.Version;
                return Ok(new RegisterResponse(version.Schema.Id, version.Version, version.Schema.Guid), Json.RegisterResponse);
            }
            catch (LocalSchemaRegistryException e) when (e.ErrorCode == 409)
            {
                logger.SchemaRejected(subject, store.GetLevel(subject, defaultToGlobal: true).ToWire(), e.Message);
                throw;
            }
        });

        app.MapPost("/subjects/{subject}", async (string subject, HttpRequest request) =>
            Ok(ToResponse(store.Lookup(Subject(subject), await ReadBody(request).ConfigureAwait(false))), Json.SubjectSchemaResponse));

        app.MapDelete("/subjects/{subject}", (string subject) =>
        {
            subject = Subject(subject);
            var versions = store.DeleteSubject(subject);
            logger.SubjectDeleted(subject, string.Join(",", versions));
            return Ok(versions, Json.IReadOnlyListInt32);
        });

        app.MapGet("/subjects/{subject}/versions", (string subject) => Ok(store.Versions(Subject(subject)), Json.IReadOnlyListInt32));

        app.MapGet("/subjects/{subject}/versions/{version}", (string subject, string version) =>
            Ok(ToResponse(store.GetVersion(Subject(subject), version)), Json.SubjectSchemaResponse));

        app.MapGet("/subjects/{subject}/versions/{version}/schema", (string subject, string version) =>
            Results.Text(store.GetVersion(Subject(subject), version).Schema.Text, ContentType));

        app.MapGet("/schemas/ids/{id:int}", (int id) => Ok(new SchemaByIdResponse(store.SchemaById(id).Text), Json.SchemaByIdResponse));

        app.MapGet("/schemas/ids/{id:int}/schema", (int id) => Results.Text(store.SchemaById(id).Text, ContentType));

        app.MapGet("/schemas/ids/{id:int}/versions", (int id) =>
            Ok<IReadOnlyList<SubjectVersionResponse>>([.. store.UsesOf(id).Select(v => new SubjectVersionResponse(v.Subject, v.Version))], Json.IReadOnlyListSubjectVersionResponse));

        app.MapGet("/schemas/ids/{id:int}/subjects", (int id) =>
            Ok<IReadOnlyList<string>>([.. store.UsesOf(id).Select(v => v.Subject).Distinct()], Json.IReadOnlyListString));

        app.MapGet("/schemas/guids/{guid}", (string guid) => Ok(new SchemaByIdResponse(store.SchemaByGuid(guid).Text), Json.SchemaByIdResponse));

        app.MapPost("/compatibility/subjects/{subject}/versions/{version}", async (string subject, string version, HttpRequest request) =>
        {
            var verdict = store.TestCompatibility(Subject(subject), version, await ReadBody(request).ConfigureAwait(false));
            return Ok(new CompatibilityResponse(verdict.IsCompatible, verdict.Messages), Json.CompatibilityResponse);
        });

        app.MapGet("/config", () => Ok(new ConfigResponse(store.GetLevel(null, false).ToWire()), Json.ConfigResponse));
        app.MapPut("/config", (HttpRequest request) => SetLevel(store, logger, null, request));

        // Like Confluent, a subject without its own level is 40408 unless the caller asks for the global fallback.
        app.MapGet("/config/{subject}", (string subject, bool? defaultToGlobal) =>
            Ok(new ConfigResponse(store.GetLevel(Subject(subject), defaultToGlobal ?? false).ToWire()), Json.ConfigResponse));
        app.MapPut("/config/{subject}", (string subject, HttpRequest request) => SetLevel(store, logger, Subject(subject), request));
        app.MapDelete("/config/{subject}", (string subject) =>
            Ok(new ConfigUpdate(store.DeleteLevel(Subject(subject)).ToWire()), Json.ConfigUpdate));
    }

    /// <summary>
    /// Confluent-style error bodies for every failure (handler errors, unknown routes, wrong methods),
    /// plus a debug line per request.
    /// </summary>
    private static async Task Pipeline(HttpContext context, Func<Task> next, ILogger logger)
    {
        var request = context.Request;
        try
        {
            await next().ConfigureAwait(false);
            if (!context.Response.HasStarted && context.Response.StatusCode >= 400 && context.Response.ContentLength is null)
            {
                var status = context.Response.StatusCode;
                await WriteError(context, status, status, $"HTTP {status} {ReasonPhrases.GetReasonPhrase(status)}").ConfigureAwait(false);
            }
        }
        catch (LocalSchemaRegistryException e)
        {
            logger.ErrorAnswered(request.Method, request.Path, e.HttpStatus, e.ErrorCode, e.Message);
            await WriteError(context, e.HttpStatus, e.ErrorCode, e.Message).ConfigureAwait(false);
        }
        catch (Exception e) when (!context.RequestAborted.IsCancellationRequested)
        {
            logger.RequestFailed(e, request.Method, request.Path);
            await WriteError(context, 500, 50001, $"Error in the local schema registry: {e.Message}").ConfigureAwait(false);
        }

        logger.Request(request.Method, request.Path, request.QueryString.Value ?? "", context.Response.StatusCode);
    }

    private static async Task WriteError(HttpContext context, int status, int errorCode, string message)
    {
        if (context.Response.HasStarted)
        {
            return;
        }

        context.Response.StatusCode = status;
        context.Response.ContentType = ContentType;
        await JsonSerializer.SerializeAsync(context.Response.Body, new ErrorBody(errorCode, message), Json.ErrorBody, context.RequestAborted).ConfigureAwait(false);
    }

    private static async Task<IResult> SetLevel(LocalSchemaRegistryStore store, ILogger logger, string? subject, HttpRequest request)
    {
        var update = await ReadJson(request, Json.ConfigUpdate).ConfigureAwait(false);
        var level = CompatibilityLevels.Parse(update.Compatibility);
        store.SetLevel(subject, level);
        logger.CompatibilitySet(subject ?? "the registry", level.ToWire());
        return Ok(new ConfigUpdate(level.ToWire()), Json.ConfigUpdate);
    }

    private static Task<SchemaRequestBody> ReadBody(HttpRequest request) => ReadJson(request, Json.SchemaRequestBody);

    private static async Task<T> ReadJson<T>(HttpRequest request, JsonTypeInfo<T> type)
        where T : class
    {
        try
        {
            return await JsonSerializer.DeserializeAsync(request.Body, type, request.HttpContext.RequestAborted).ConfigureAwait(false)
                ?? throw new LocalSchemaRegistryException(422, 422, "The request body is empty.");
        }
        catch (JsonException e)
        {
            throw new LocalSchemaRegistryException(400, 400, $"Unparseable request body: {e.Message}");
        }
    }

    private static SubjectSchemaResponse ToResponse(SubjectVersion version) =>
        new(version.Subject, version.Version, version.Schema.Id, version.Schema.Guid, version.Schema.Text);

    // Routing leaves an escaped slash (%2F) escaped inside a segment; clients escape subjects with Uri.EscapeDataString.
    private static string Subject(string routeValue) => Uri.UnescapeDataString(routeValue);

    private static IResult Ok<T>(T value, JsonTypeInfo<T> type) => Results.Json(value, type, ContentType);
}
