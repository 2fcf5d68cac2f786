using Streaming.LocalCql.Storage;

namespace Streaming.LocalCql.Execution;

/// <summary>
/// The validated effect of INSERT, UPDATE or DELETE, ready to apply. Statements are planned before anything is applied,
/// so a batch with one invalid entry changes nothing.
/// </summary>
internal sealed record WritePlan(TableStore Store, IReadOnlyList<RowWrite> Writes, IReadOnlyList<RowDeletion> Deletions)
{
    public void Apply(long nowSecond)
    {
        foreach (var write in Writes)
        {
            Store.Apply(write, nowSecond);
        }

        foreach (var deletion in Deletions)
        {
            Store.Apply(deletion);
        }
    }
}
