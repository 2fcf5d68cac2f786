using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.WebUtilities;
using Streaming.Producers;

namespace Streaming.Api;

/// <summary>A request refused before it reached the handler's work: its status, stable code and problem answer.</summary>
internal readonly record struct Rejection(int Status, string Code, IResult Result);

/// <summary>
/// Every error answer of the API as RFC 9457 problem details with a stable "code" (also the type URI's last segment),
/// each counted in <see cref="ApiMetrics"/>.
/// </summary>
internal static class Problems
{
    public static IResult Unauthorized() => Count(StatusCodes.Status401Unauthorized, "unauthorized", Make(StatusCodes.Status401Unauthorized, "unauthorized", "Missing or unknown API key", $"Send a valid key in the {ApiKeyAuthenticator.HeaderName} header."));

    public static Rejection TooLarge(int max)
        => Bad(StatusCodes.Status413PayloadTooLarge, "body-too-large", "Body too large", $"The request body exceeds {max} bytes.");

    public static Rejection Bad(int status, string code, string title, string detail) => new(status, code, Count(status, code, Make(status, code, title, detail)));

    public static IResult Reject(ILogger logger, ApiClient client, int status, string code, string title, string detail)
    {
        ApiLog.Rejected(logger, client.Name, status, code);
        return Count(status, code, Make(status, code, title, detail));
    }

    public static IResult Invalid(ILogger logger, ApiClient client, IReadOnlyList<ValidationError> errors)
    {
        ApiLog.Rejected(logger, client.Name, StatusCodes.Status400BadRequest, errors[0].Code);
        return Count(StatusCodes.Status400BadRequest, errors[0].Code, Make(StatusCodes.Status400BadRequest, errors[0].Code, "Invalid request",
            string.Join(" ", errors.Select(e => e.Message)),
            errors.Select(e => new ApiError(e.Field, e.Code, e.Message)).ToList()));
    }

    public static IResult Unavailable(HttpContext http, string detail, string code = "kafka-unavailable", int retryAfterSeconds = 1)
    {
        http.Response.Headers.RetryAfter = retryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Count(StatusCodes.Status503ServiceUnavailable, code, Make(StatusCodes.Status503ServiceUnavailable, code, "Temporarily unavailable", detail));
    }

    /// <summary>A problem body for answers the framework produces without one (415 from the Accepts metadata, 404, 405).</summary>
    public static Task WriteStatusCodePage(StatusCodeContext context)
    {
        var status = context.HttpContext.Response.StatusCode;
        var code = status switch
        {
            StatusCodes.Status415UnsupportedMediaType => "unsupported-media-type",
            StatusCodes.Status404NotFound => "not-found",
            StatusCodes.Status405MethodNotAllowed => "method-not-allowed",
            _ => "http-" + status,
        };
        var detail = status == StatusCodes.Status415UnsupportedMediaType ? "Send the body as application/json." : ReasonPhrases.GetReasonPhrase(status);
        ApiMetrics.Rejected(status, code);
        return Make(status, code, ReasonPhrases.GetReasonPhrase(status), detail).ExecuteAsync(context.HttpContext);
    }

    private static IResult Count(int status, string code, IResult result)
    {
        ApiMetrics.Rejected(status, code);
        return result;
    }

    private static IResult Make(int status, string code, string title, string detail, List<ApiError>? errors = null)
    {
        var problem = new ProblemDetails
        {
            Status = status,
            Title = title,
            Detail = detail,
            Type = $"https://streaming.dev/problems/{code}",
        };
        problem.Extensions["code"] = code;
        if (errors is not null)
        {
            problem.Extensions["errors"] = errors;
        }

        return Results.Problem(problem);
    }
}
