using Streaming.Contracts;

namespace Streaming.Senders.Providers;

/// <summary>One provider adapter (one file each). Adapters classify HTTP answers; exceptions are classified by <see cref="DeliveryPipeline"/>.</summary>
public interface INotificationProvider : IDisposable
{
    /// <summary>apns, fcm, twilio, sendgrid.</summary>
    string Name { get; }

    Task<ProviderResult> SendAsync(ChannelNotification notification, CancellationToken cancellationToken);
}
