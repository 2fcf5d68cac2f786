namespace Streaming.Senders;

/// <summary>How a sender-side component refuses options that cannot work: at construction, every problem in one message.</summary>
internal static class OptionProblems
{
    /// <summary>Throws an <see cref="ArgumentException"/> naming every problem, when there is any.</summary>
    public static void ThrowIfAny(IEnumerable<string> problems, string paramName)
    {
        var list = problems.ToList();
        if (list.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", list), paramName);
        }
    }
}
