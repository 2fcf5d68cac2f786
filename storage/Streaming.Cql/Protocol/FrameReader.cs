namespace Streaming.Cql.Protocol;

/// <summary>
/// Reads whole frames from a stream: the 9-byte header, a check of version, direction and the 256 MB limit
/// (before any body byte is read), then the body. A clean end of stream between frames yields null.
/// </summary>
public sealed class FrameReader(Stream stream, bool readsResponses)
{
    private readonly byte[] _header = new byte[FrameHeader.Size];

    /// <summary>The next frame, or null when the peer closed the stream at a frame boundary.</summary>
    public async ValueTask<RawFrame?> ReadAsync(CancellationToken cancellationToken)
    {
        var read = await stream.ReadAtLeastAsync(_header, _header.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        if (read == 0)
        {
            return null;
        }

        if (read < _header.Length)
        {
            throw new EndOfStreamException($"The stream ended inside a frame header ({read} of {FrameHeader.Size} bytes).");
        }

        var header = FrameHeader.Read(_header);
        header.Validate(readsResponses);
        var body = new byte[header.BodyLength];
        await stream.ReadExactlyAsync(body, cancellationToken).ConfigureAwait(false);
        return new RawFrame(header, body);
    }
}
