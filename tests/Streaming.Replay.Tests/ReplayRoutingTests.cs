using System.Text;
using Confluent.Kafka;
using Streaming.Contracts;

namespace Streaming.Replay.Tests;

/// <summary>Where a re-published record goes when the user names no topic, and that a named topic always wins.</summary>
public sealed class ReplayRoutingTests
{
    [Fact]
    public void channel_topic_and_requests_go_back_to_themselves()
    {
        Assert.Equal(Topics.Sms, Route(Topics.Sms));
        Assert.Equal(Topics.PushApns, Route(Topics.PushApns));
        Assert.Equal(Topics.Requested, Route(Topics.Requested));
    }

    [Fact]
    public void a_retry_topics_records_go_to_their_channel_topic_so_the_retry_schedule_starts_afresh()
    {
        Assert.Equal(Topics.Email, Route(Topics.Retry(Channels.Email)));
        Assert.Equal(Topics.PushFcm, Route(Topics.Retry(Channels.Fcm)));
    }

    [Fact]
    public void dead_letters_go_to_their_original_topic_and_a_retry_original_to_its_channel_topic()
    {
        Assert.Equal(Topics.Sms, Route(Topics.DeadLetter, original: Topics.Sms));
        Assert.Equal(Topics.Requested, Route(Topics.DeadLetter, original: Topics.Requested));
        Assert.Equal(Topics.Sms, Route(Topics.DeadLetter, original: Topics.Retry(Channels.Sms)));
    }

    [Fact]
    public void a_dead_letter_without_a_usable_original_topic_needs_an_explicit_destination()
    {
        var missing = Assert.Throws<InvalidOperationException>(() => Route(Topics.DeadLetter));
        Assert.Contains(HeaderNames.OriginalTopic, missing.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() => Route(Topics.DeadLetter, original: Topics.DeadLetter));
    }

    [Fact]
    public void other_topics_have_no_natural_destination()
    {
        Assert.Throws<InvalidOperationException>(() => Route(Topics.DeliveryStatus));
        Assert.Throws<InvalidOperationException>(() => Route(Topics.Users));
    }

    [Fact]
    public void an_explicit_destination_wins_for_every_source()
    {
        foreach (var source in new[] { Topics.Sms, Topics.Retry(Channels.Sms), Topics.DeadLetter, Topics.DeliveryStatus })
        {
            Assert.Equal("somewhere-else", Route(source, original: Topics.Email, explicitTopic: "somewhere-else"));
        }
    }

    private static string Route(string topic, string? original = null, string? explicitTopic = null)
    {
        var headers = new Headers();
        if (original is not null)
        {
            headers.Add(HeaderNames.OriginalTopic, Encoding.UTF8.GetBytes(original));
        }

        var record = new ConsumeResult<byte[]?, byte[]?>
        {
            Topic = topic,
            Partition = 0,
            Offset = 7,
            Message = new Message<byte[]?, byte[]?> { Headers = headers },
        };
        var options = new ReplayOptions { BootstrapServers = "unused:9092", Topic = topic, Republish = true, RepublishTopic = explicitTopic };
        return new ReplayRouting(options).Destination(record);
    }
}
