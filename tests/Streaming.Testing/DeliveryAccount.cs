namespace Streaming.Testing;

/// <summary>
/// What became of a sender test's traffic. Lost: published events without a final outcome in the delivery log or
/// without a final status on the status topic; provider duplicates: sends the fakes saw more than once.
/// </summary>
public sealed record DeliveryAccount(int Published, int LostInLog, int LostOnStatusTopic, int DoubleFinalOutcomes, int ProviderDuplicates, IReadOnlyList<string> DuplicateKeys)
{
    public int Lost => Math.Max(LostInLog, LostOnStatusTopic);

    public override string ToString()
        => $"published={Published} lost={Lost} (log {LostInLog}, status topic {LostOnStatusTopic}) double-final={DoubleFinalOutcomes} provider-duplicates={ProviderDuplicates}";
}
