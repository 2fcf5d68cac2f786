using Microsoft.Extensions.Options;
using Streaming.Contracts;
using Streaming.Testing;

namespace Streaming.Producers.Tests;

/// <summary>ContactInfoPublisher: writes to the compacted contact tables keep their order per key.</summary>
public sealed class ContactInfoPublisherTests(LocalStackFixture fx)
{
    [Fact(Timeout = TestLimits.TimeoutMs)]
    public async Task a_device_put_followed_at_once_by_its_delete_ends_as_a_tombstone()
    {
        using var contacts = new ContactInfoPublisher(Options.Create(PublisherSamples.Options(fx, "unused")));
        var user = "order-dev-" + Guid.NewGuid().ToString("N")[..8];
        var writes = new List<Task>();
        for (var i = 0; i < 20; i++)
        {
            var token = $"token{i:D4}aabbccdd";
            writes.Add(contacts.PutDeviceAsync(user, token, new DeviceRegistration { Platform = "android", App = "com.example" }, TestContext.Current.CancellationToken));
            writes.Add(contacts.DeleteDeviceAsync(user, token, TestContext.Current.CancellationToken)); // not awaited in between
        }

        await Task.WhenAll(writes);

        var mine = fx.ReadRaw(Topics.Devices, int.MaxValue, TimeSpan.FromSeconds(3)).Where(r => r.Message.Key.StartsWith(user + "/", StringComparison.Ordinal)).ToList();
        Assert.Equal(40, mine.Count);
        Assert.All(mine.GroupBy(r => r.Message.Key), g => Assert.Null(g.OrderBy(r => r.Offset.Value).Last().Message.Value));
    }
}
