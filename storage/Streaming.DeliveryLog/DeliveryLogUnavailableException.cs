namespace Streaming.DeliveryLog;

/// <summary>
/// The store could not take or answer a request right now (disk error, lost connection, timeout). Every store wraps its
/// own failures in this type, so callers retry the same way whichever store is configured: the senders keep the record
/// and its offset until the write succeeds.
/// </summary>
public sealed class DeliveryLogUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
