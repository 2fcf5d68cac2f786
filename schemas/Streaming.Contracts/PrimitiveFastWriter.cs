using Avro;
using Avro.IO;
using Avro.Specific;

namespace Streaming.Contracts;

/// <summary>
/// Apache.Avro's <see cref="SpecificDefaultWriter"/> with the per-field allocations taken out; the bytes it writes are
/// the same (see SchemaWriterTests).
/// </summary>
/// <remarks>
/// Why: the stock writer turns the encoder method into a new delegate for every primitive field it writes
/// (<c>Write&lt;string&gt;(value, tag, encoder.WriteString)</c>), walks a record's fields through a boxed enumerator and
/// a map's entries as boxed <c>DictionaryEntry</c>s, and the platform writes three records of ~15 fields per
/// notification (request, channel message, status). Anything this class does not recognise (logical types, enums, unions, a value of an unexpected
/// type) goes to the stock writer, so it fails with the stock writer's error.
/// </remarks>
public sealed class PrimitiveFastWriter(Schema schema) : SpecificDefaultWriter(schema)
{
    public override void Write(Schema schema, object value, Encoder encoder)
    {
        switch (schema.Tag)
        {
            case Schema.Type.String when value is string s:
                encoder.WriteString(s);
                return;
            case Schema.Type.Long when value is long l:
                encoder.WriteLong(l);
                return;
            case Schema.Type.Int when value is int i:
                encoder.WriteInt(i);
                return;
            case Schema.Type.Boolean when value is bool b:
                encoder.WriteBoolean(b);
                return;
            case Schema.Type.Double when value is double d:
                encoder.WriteDouble(d);
                return;
            case Schema.Type.Null when value is null:
                return; // nothing on the wire, as the stock writer

            default:
                base.Write(schema, value, encoder);
                return;
        }
    }

    protected override void WriteRecord(RecordSchema schema, object value, Encoder encoder)
    {
        if (value is not ISpecificRecord record)
        {
            base.WriteRecord(schema, value, encoder); // the stock error
            return;
        }

        var fields = schema.Fields;
        for (var i = 0; i < fields.Count; i++)
        {
            var field = fields[i];
            try
            {
                Write(field.Schema, record.Get(field.Pos), encoder);
            }
            catch (Exception e)
            {
                throw new AvroException(e.Message + " in field " + field.Name, e);
            }
        }
    }

    protected override void WriteMap(MapSchema schema, object value, Encoder encoder)
    {
        if (value is not Dictionary<string, string> map)
        {
            base.WriteMap(schema, value, encoder);
            return;
        }

        encoder.WriteMapStart();
        encoder.SetItemCount(map.Count);
        foreach (var (key, item) in map) // the struct enumerator: no allocation
        {
            encoder.StartItem();
            encoder.WriteString(key);
            Write(schema.ValueSchema, item, encoder);
        }

        encoder.WriteMapEnd();
    }
}
