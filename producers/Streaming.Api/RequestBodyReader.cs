using System.Text.Json;
using System.Text.Json.Serialization;

namespace Streaming.Api;

/// <summary>
/// Reads a JSON request body within the size limit: the raw bytes (for the idempotency hash) and the parsed body, or the
/// problem answer that says what was wrong with it.
/// </summary>
internal static class RequestBodyReader
{
    /// <summary>Unknown members are errors: a misspelt field must not be dropped silently.</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static async Task<(T? Body, byte[] Raw, Rejection? Problem)> ReadAsync<T>(HttpContext http, int maxBytes)
        where T : class
    {
        if (http.Request.ContentLength > maxBytes)
        {
            return (null, [], Problems.TooLarge(maxBytes));
        }

        if (http.Request.ContentType is { } ct && !ct.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
        {
            return (null, [], Problems.Bad(StatusCodes.Status415UnsupportedMediaType, "unsupported-media-type", "Unsupported media type", "Send the body as application/json."));
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await http.Request.Body.ReadAsync(chunk, http.RequestAborted)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > maxBytes)
            {
                return (null, [], Problems.TooLarge(maxBytes));
            }
        }

        var raw = buffer.ToArray();
        if (raw.Length == 0)
        {
            return (null, raw, Problems.Bad(StatusCodes.Status400BadRequest, "missing-body", "Missing body", "The request needs a JSON body."));
        }

        try
        {
            var body = JsonSerializer.Deserialize<T>(raw, Json);
            return body is null
                ? (null, raw, Problems.Bad(StatusCodes.Status400BadRequest, "malformed-json", "Malformed JSON", "The body must be a JSON object."))
                : (body, raw, null);
        }
        catch (JsonException ex)
        {
            // System.Text.Json's message names the path ($.userId) and what was wrong; it never echoes the payload.
            return (null, raw, Problems.Bad(StatusCodes.Status400BadRequest, "malformed-json", "Malformed JSON", ex.Message));
        }
    }
}
