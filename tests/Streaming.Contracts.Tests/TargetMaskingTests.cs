namespace Streaming.Contracts.Tests;

/// <summary>The one masking of targets, used by log lines and the status API alike.</summary>
public sealed class TargetMaskingTests
{
    [Fact]
    public void targets_are_masked_in_logs()
    {
        Assert.Equal("j***@example.com", Pii.Mask("jane.doe@example.com"));
        Assert.Equal("+49*********78", Pii.Mask("+4915112345678"));
        Assert.Equal("a0b1c2…(24)", Pii.Mask("a0b1c2d3e4f5a0b1c2d3e4f5"));
    }

    [Theory]
    [InlineData("abcd1234", true)]
    [InlineData("3f2b8c1e-9a7d-4e5f-8b6a-1c2d3e4f5a6b", true)]
    [InlineData("evt_2024_x", true)]
    [InlineData("short", false)]
    [InlineData("has space-1234", false)]
    [InlineData("../../etc/passwd", false)]
    [InlineData("a.b.c.d.e.f.g", false)]
    public void event_ids_are_8_to_64_letters_digits_dashes_and_underscores(string eventId, bool valid)
        => Assert.Equal(valid, EventIds.IsValid(eventId));
}
