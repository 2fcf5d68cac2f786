namespace Streaming.LocalCql.Testing;

/// <summary>The kinds of request <see cref="CqlTestControl"/> counts and injects faults into.</summary>
public enum CqlStatementKind
{
    /// <summary>A PREPARE request.</summary>
    Prepare,

    /// <summary>SELECT.</summary>
    Select,

    /// <summary>INSERT.</summary>
    Insert,

    /// <summary>UPDATE.</summary>
    Update,

    /// <summary>DELETE.</summary>
    Delete,

    /// <summary>A BATCH frame or BEGIN BATCH text.</summary>
    Batch,

    /// <summary>USE.</summary>
    Use,

    /// <summary>CREATE/DROP of keyspaces and tables.</summary>
    Schema,

    /// <summary>TRUNCATE.</summary>
    Truncate,
}
