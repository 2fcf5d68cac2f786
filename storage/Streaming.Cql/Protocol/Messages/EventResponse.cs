using System.Net;

namespace Streaming.Cql.Protocol;

/// <summary>The event type names of section 4.2.6, as REGISTER and EVENT spell them.</summary>
public static class CqlEventType
{
    public const string TopologyChange = "TOPOLOGY_CHANGE";
    public const string StatusChange = "STATUS_CHANGE";
    public const string SchemaChange = "SCHEMA_CHANGE";
}

/// <summary>A server-pushed event (section 4.2.6).</summary>
public abstract record CqlEvent
{
    /// <summary>The event type [string] that starts the body.</summary>
    public abstract string EventType { get; }
}

/// <summary>TOPOLOGY_CHANGE: NEW_NODE or REMOVED_NODE and the node's address.</summary>
public sealed record TopologyChangeEvent(string Change, IPEndPoint Address) : CqlEvent
{
    public override string EventType => CqlEventType.TopologyChange;
}

/// <summary>STATUS_CHANGE: UP or DOWN and the node's address.</summary>
public sealed record StatusChangeEvent(string Change, IPEndPoint Address) : CqlEvent
{
    public override string EventType => CqlEventType.StatusChange;
}

/// <summary>SCHEMA_CHANGE: what changed.</summary>
public sealed record SchemaChangeEvent(SchemaChange Change) : CqlEvent
{
    public override string EventType => CqlEventType.SchemaChange;
}

/// <summary>EVENT (4.2.6): sent on stream -1 to connections that REGISTERed for the type.</summary>
public sealed record EventResponse(CqlEvent Event) : CqlMessage
{
    public override CqlOpcode Opcode => CqlOpcode.Event;

    public override void Encode(CqlWriter writer)
    {
        writer.WriteString(Event.EventType);
        switch (Event)
        {
            case TopologyChangeEvent topology:
                writer.WriteString(topology.Change);
                writer.WriteInet(topology.Address);
                break;
            case StatusChangeEvent status:
                writer.WriteString(status.Change);
                writer.WriteInet(status.Address);
                break;
            case SchemaChangeEvent schema:
                schema.Change.Encode(writer);
                break;
        }
    }

    public static EventResponse Decode(CqlReader reader)
    {
        var type = reader.ReadString();
        CqlEvent @event = type switch
        {
            CqlEventType.TopologyChange => new TopologyChangeEvent(reader.ReadString(), reader.ReadInet()),
            CqlEventType.StatusChange => new StatusChangeEvent(reader.ReadString(), reader.ReadInet()),
            CqlEventType.SchemaChange => new SchemaChangeEvent(SchemaChange.Decode(reader)),
            _ => throw new CqlProtocolException($"Unknown event type '{type}'."),
        };
        return new EventResponse(@event);
    }
}
