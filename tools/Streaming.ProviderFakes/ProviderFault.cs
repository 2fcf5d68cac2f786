namespace Streaming.ProviderFakes;

/// <summary>How a fake answers one provider request; each fake maps it to its provider's own status and body.</summary>
internal enum ProviderFault
{
    None,
    Invalid,
    TooMany,
    Error,
}
