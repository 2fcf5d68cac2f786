namespace Streaming.Senders.Tests;

public sealed class TargetMaskingTests
{
    [Fact]
    public void targets_are_masked_in_logs()
    {
        Assert.Equal("j***@example.com", Pii.Mask("jane.doe@example.com"));
        Assert.Equal("+49*********78", Pii.Mask("+4915112345678"));
        Assert.Equal("a0b1c2…(24)", Pii.Mask("a0b1c2d3e4f5a0b1c2d3e4f5"));
    }
}
