namespace Streaming.Cql.Protocol;

/// <summary>The error codes of an ERROR message (native protocol v4, section 9); <see cref="ErrorDetails"/> has the extra fields some carry.</summary>
public enum CqlErrorCode
{
    /// <summary>0x0000: something unexpected happened on the server.</summary>
    ServerError = 0x0000,

    /// <summary>0x000A: the request broke the protocol (a wrong version, an undecodable paging state).</summary>
    ProtocolError = 0x000A,

    /// <summary>0x0100: authentication failed (bad credentials).</summary>
    AuthenticationError = 0x0100,

    /// <summary>0x1000: not enough replicas alive. Details: <see cref="UnavailableDetails"/>.</summary>
    Unavailable = 0x1000,

    /// <summary>0x1001: the coordinator is overloaded.</summary>
    Overloaded = 0x1001,

    /// <summary>0x1002: the coordinator is bootstrapping.</summary>
    IsBootstrapping = 0x1002,

    /// <summary>0x1003: a truncation failed.</summary>
    TruncateError = 0x1003,

    /// <summary>0x1100: replicas did not acknowledge a write in time. Details: <see cref="WriteTimeoutDetails"/>.</summary>
    WriteTimeout = 0x1100,

    /// <summary>0x1200: replicas did not answer a read in time. Details: <see cref="ReadTimeoutDetails"/>.</summary>
    ReadTimeout = 0x1200,

    /// <summary>0x1300: a replica failed a read. Details: <see cref="ReadFailureDetails"/>.</summary>
    ReadFailure = 0x1300,

    /// <summary>0x1400: a user function failed. Details: <see cref="FunctionFailureDetails"/>.</summary>
    FunctionFailure = 0x1400,

    /// <summary>0x1500: a replica failed a write. Details: <see cref="WriteFailureDetails"/>.</summary>
    WriteFailure = 0x1500,

    /// <summary>0x1600: a write to a CDC-enabled table was refused (newer servers).</summary>
    CdcWriteFailure = 0x1600,

    /// <summary>0x1700: the outcome of a lightweight transaction is unknown (newer servers).</summary>
    CasWriteUnknown = 0x1700,

    /// <summary>0x2000: the query text does not parse, or uses syntax the server does not have.</summary>
    SyntaxError = 0x2000,

    /// <summary>0x2100: the statement is not allowed (e.g. writing to a system keyspace).</summary>
    Unauthorized = 0x2100,

    /// <summary>0x2200: the statement parses but is invalid, or uses a feature the server does not support.</summary>
    Invalid = 0x2200,

    /// <summary>0x2300: a configuration problem, e.g. an unknown replication strategy.</summary>
    ConfigError = 0x2300,

    /// <summary>0x2400: the keyspace or table to create exists. Details: <see cref="AlreadyExistsDetails"/>.</summary>
    AlreadyExists = 0x2400,

    /// <summary>0x2500: the prepared id is unknown to this node. Details: <see cref="UnpreparedDetails"/>.</summary>
    Unprepared = 0x2500,
}
