using Confluent.Kafka;

namespace Streaming.Senders.Tests;

public sealed class ClientTeardownTests
{
    [Fact]
    public void a_call_that_does_not_return_is_abandoned_at_the_deadline_on_a_background_thread()
    {
        using var release = new ManualResetEventSlim();
        var background = false;
        var watch = System.Diagnostics.Stopwatch.StartNew();

        var finished = ClientTeardown.Run(() =>
        {
            background = Thread.CurrentThread.IsBackground;
            release.Wait(TimeSpan.FromSeconds(30));
        }, TimeSpan.FromMilliseconds(300), "test-teardown");

        watch.Stop();
        release.Set();
        Assert.False(finished);
        Assert.InRange(watch.Elapsed, TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(20));
        Assert.True(background, "an abandoned call on a foreground thread would keep the process from exiting");
    }

    [Fact]
    public void a_call_that_returns_in_time_reports_it_and_its_exception_reaches_the_caller()
    {
        var ran = 0;
        Assert.True(ClientTeardown.Run(() => ran++, TimeSpan.FromSeconds(20), "test-teardown"));
        Assert.Equal(1, ran);

        var e = Assert.Throws<KafkaException>(() => ClientTeardown.Run(
            () => throw new KafkaException(ErrorCode.Local_Fail), TimeSpan.FromSeconds(20), "test-teardown"));
        Assert.Equal(ErrorCode.Local_Fail, e.Error.Code);
    }
}
