using System.Buffers.Binary;

namespace Streaming.Testing;

/// <summary>
/// Rewrites, in place, each broker's port in the responses that advertise brokers (Metadata, FindCoordinator,
/// DescribeCluster) to the proxy port that stands for it. The host stays 127.0.0.1, so no length changes.
/// </summary>
internal sealed class BrokerAddressRewriter(IReadOnlyDictionary<int, int> proxyPortByBrokerPort)
{
    private const short Metadata = 3;
    private const short FindCoordinator = 10;
    private const short DescribeCluster = 60;

    /// <summary>Rewrites every broker port in a Metadata, FindCoordinator or DescribeCluster response body; returns how many.</summary>
    public int Rewrite(byte[] frame, short apiKey, short version)
    {
        if (apiKey is not (Metadata or FindCoordinator or DescribeCluster))
        {
            return 0;
        }

        var flexible = apiKey switch
        {
            Metadata => version >= 9,
            FindCoordinator => version >= 3,
            _ => true,
        };
        var r = new KafkaWireReader(frame) { Position = 4 }; // correlation id
        if (flexible)
        {
            r.SkipTaggedFields(); // response header v1
        }

        var count = 0;
        switch (apiKey)
        {
            case Metadata:
                if (version >= 3)
                {
                    r.Skip(4); // throttle_time_ms
                }

                var brokers = flexible ? r.CompactArrayLength() : r.Int32();
                for (var i = 0; i < brokers; i++)
                {
                    r.Skip(4); // node_id
                    r.String(flexible);
                    count += Patch(frame, r.Position);
                    r.Skip(4); // port
                    if (version >= 1)
                    {
                        r.String(flexible); // rack
                    }

                    if (flexible)
                    {
                        r.SkipTaggedFields();
                    }
                }

                break;

            case FindCoordinator when version < 4:
                if (version >= 1)
                {
                    r.Skip(4); // throttle_time_ms
                }

                r.Skip(2); // error_code
                if (version >= 1)
                {
                    r.String(flexible); // error_message
                }

                r.Skip(4); // node_id
                r.String(flexible);
                count += Patch(frame, r.Position);
                break;

            case FindCoordinator:
                r.Skip(4); // throttle_time_ms
                var coordinators = r.CompactArrayLength();
                for (var i = 0; i < coordinators; i++)
                {
                    r.String(true); // key
                    r.Skip(4); // node_id
                    r.String(true); // host
                    count += Patch(frame, r.Position);
                    r.Skip(4 + 2); // port, error_code
                    r.String(true); // error_message
                    r.SkipTaggedFields();
                }

                break;

            default: // DescribeCluster
                r.Skip(4 + 2); // throttle_time_ms, error_code
                r.String(true); // error_message
                if (version >= 1)
                {
                    r.Skip(1); // endpoint_type
                }

                r.String(true); // cluster_id
                r.Skip(4); // controller_id
                var nodes = r.CompactArrayLength();
                for (var i = 0; i < nodes; i++)
                {
                    r.Skip(4); // broker_id
                    r.String(true);
                    count += Patch(frame, r.Position);
                    r.Skip(4);
                    r.String(true); // rack
                    r.SkipTaggedFields();
                }

                break;
        }

        return count;
    }

    private int Patch(byte[] frame, int portOffset)
    {
        var port = BinaryPrimitives.ReadInt32BigEndian(frame.AsSpan(portOffset));
        if (!proxyPortByBrokerPort.TryGetValue(port, out var proxyPort))
        {
            return 0; // e.g. -1 when no coordinator is available yet
        }

        BinaryPrimitives.WriteInt32BigEndian(frame.AsSpan(portOffset), proxyPort);
        return 1;
    }
}
