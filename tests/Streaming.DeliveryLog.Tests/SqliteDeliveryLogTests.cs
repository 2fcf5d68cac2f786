using Streaming.DeliveryLog;

namespace Streaming.DeliveryLog.Tests;

public sealed class SqliteDeliveryLogTests
{
    [Fact]
    public async Task was_delivered_answers_from_committed_delivered_rows_only_while_appends_and_lookups_interleave()
    {
        var ct = TestContext.Current.CancellationToken;
        var directory = Path.Combine(Path.GetTempPath(), "senders-tests", Guid.NewGuid().ToString("N"));
        try
        {
            await using var log = new SqliteDeliveryLog(new DeliveryLogOptions { Path = Path.Combine(directory, "log.db"), BatchSize = 16 });
            await log.AppendAsync(new DeliveryLogEntry("e-1", "sms", "+15550001", "delivered", 1, "u-1"), ct);
            await log.AppendAsync(new DeliveryLogEntry("e-2", "sms", "+15550002", "retrying", 1, "u-2"), ct);

            Assert.True(await log.WasDeliveredAsync("e-1", "sms", "+15550001", ct));
            Assert.False(await log.WasDeliveredAsync("e-1", "email", "+15550001", ct)); // another channel
            Assert.False(await log.WasDeliveredAsync("e-1", "sms", "+15550009", ct)); // another target
            Assert.False(await log.WasDeliveredAsync("e-2", "sms", "+15550002", ct)); // not a delivery

            // Many lookups and appends at once (they share the writer's queue): every appended delivery is found after
            // its append completed, and a key never appended is never found.
            var work = Enumerable.Range(0, 300).Select(async i =>
            {
                await log.AppendAsync(new DeliveryLogEntry($"c-{i}", "email", $"u{i}@example.com", "delivered", 1, $"u-{i}"), ct);
                return (await log.WasDeliveredAsync($"c-{i}", "email", $"u{i}@example.com", ct), await log.WasDeliveredAsync($"c-{i}", "email", "nobody@example.com", ct));
            });
            var answers = await Task.WhenAll(work);
            Assert.All(answers, a => Assert.Equal((true, false), a));
            Assert.Equal(302, (await log.ReadAllAsync(ct)).Count);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(directory, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
