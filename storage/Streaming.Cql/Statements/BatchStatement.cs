namespace Streaming.Cql.Statements;

/// <summary>
/// Several DML statements, simple and bound, sent as one BATCH (section 4.1.7). Unlogged batches are the group
/// commit of independent idempotent writes; logged batches go through the batch log. Unless set, a batch is
/// idempotent when all its statements are (and it is not a counter batch).
/// </summary>
public sealed class BatchStatement(BatchType type = BatchType.Logged) : Statement
{
    private readonly List<Statement> _statements = [];

    public BatchType Type { get; } = type;

    public IReadOnlyList<Statement> Statements => _statements;

    /// <summary>Adds a <see cref="SimpleStatement"/> or <see cref="BoundStatement"/>.</summary>
    public BatchStatement Add(Statement statement)
    {
        if (statement is not (SimpleStatement or BoundStatement))
        {
            throw new ArgumentException($"A batch holds simple and bound statements, not a {statement.GetType().Name}.", nameof(statement));
        }

        if (statement is SimpleStatement { ValueNames: not null })
        {
            throw new ArgumentException("Named values cannot be sent in a batch (the protocol's names-for-values flag does not work in BATCH); use positional values.", nameof(statement));
        }

        if (_statements.Count == ushort.MaxValue)
        {
            throw new InvalidOperationException($"A batch holds at most {ushort.MaxValue} statements.");
        }

        _statements.Add(statement);
        return this;
    }

    public BatchStatement AddRange(IEnumerable<Statement> statements)
    {
        foreach (var statement in statements)
        {
            Add(statement);
        }

        return this;
    }
}
