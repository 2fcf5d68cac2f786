using Microsoft.Extensions.Logging;
using Streaming.Cql;
using Streaming.Cql.Protocol;

namespace Streaming.LocalCql.Server;

/// <summary>
/// Answers QUERY, PREPARE, EXECUTE and BATCH (native protocol v4, sections 4.1.4-4.1.7) with the engine, in the
/// connection's session. Every failure becomes an ERROR: the engine's own with its code, message and details, anything
/// else ServerError, so a client never waits on a request the server dropped.
/// </summary>
internal sealed class StatementResponder(CqlEngine engine, string endpoint, ILogger logger)
{
    /// <summary>True for the messages this class answers.</summary>
    public static bool Handles(CqlMessage message) => message is QueryRequest or PrepareRequest or ExecuteRequest or BatchRequest;

    public CqlMessage Answer(CqlMessage request, EngineSession session)
    {
        try
        {
            return request switch
            {
                QueryRequest query => Shape(engine.Execute(query.Query, query.Parameters, session), query.Parameters),
                PrepareRequest prepare => engine.Prepare(prepare.Query, session.Keyspace),
                ExecuteRequest execute => Shape(engine.Execute(execute.Id, execute.Parameters, session), execute.Parameters),
                BatchRequest batch => engine.ExecuteBatch(batch, session),
                _ => throw new ArgumentException($"{request.Opcode} is not a statement.", nameof(request)),
            };
        }
        catch (CqlEngineException error)
        {
            ServerLog.RequestFailed(logger, endpoint, request.Opcode.ToString(), error.Code.ToString(), error.Message);
            return new ErrorResponse(error.Code, error.Message, error.Details);
        }
        catch (Exception unexpected) when (unexpected is not OutOfMemoryException)
        {
            return Crashed(request, unexpected);
        }
    }

    /// <summary>
    /// Encodes an answer as a response frame. An answer that cannot be encoded (error details that do not fit the code,
    /// a body over the frame limit) goes out as ServerError instead.
    /// </summary>
    public byte[] Encode(short stream, CqlMessage request, CqlMessage answer)
    {
        try
        {
            return FrameCodec.EncodeResponse(stream, answer);
        }
        catch (Exception unencodable) when (unencodable is ArgumentException or CqlProtocolException)
        {
            return FrameCodec.EncodeResponse(stream, Crashed(request, unencodable));
        }
    }

    /// <summary>Rows without column specs when the client asked to skip them (flag 0x02): it has them from PREPARE.</summary>
    private static ResultResponse Shape(ResultResponse result, QueryParameters parameters) =>
        result is RowsResult rows && parameters.SkipMetadata && rows.Metadata.Columns is not null
            ? rows with { Metadata = RowsMetadata.WithoutColumns(rows.Metadata.ColumnCount, rows.Metadata.PagingState) }
            : result;

    private ErrorResponse Crashed(CqlMessage request, Exception exception)
    {
        ServerLog.RequestCrashed(logger, endpoint, request.Opcode.ToString(), exception);
        return new ErrorResponse(CqlErrorCode.ServerError, $"{exception.GetType().Name}: {exception.Message}");
    }
}
