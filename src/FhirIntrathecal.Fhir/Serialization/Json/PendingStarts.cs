using System.Text.Json;

namespace FhirIntrathecal.Fhir.Serialization.Json;

/// <summary>
/// The object and array starts of one <see cref="FhirJsonSerializer"/> call not written yet: each is written just before
/// the first member or item that goes inside it, and dropped at its end when nothing did (FHIR forbids empty objects and
/// arrays). So an element is written in one walk instead of a walk asking whether it has content, then another writing it.
/// One instance per call, passed down the calls, never kept.
/// </summary>
internal sealed class PendingStarts
{
    private Start[] _starts = new Start[8];
    private int _open;     // starts opened and not closed, innermost last
    private int _written;  // how many of those, from the outermost, are written

    /// <summary>Opens an object (or, with <paramref name="array"/>, an array) named <paramref name="name"/>; an unnamed one without a name.</summary>
    public void Open(JsonEncodedText name, bool named, bool array)
    {
        if (_open == _starts.Length)
        {
            Array.Resize(ref _starts, _open * 2);
        }

        _starts[_open++] = new Start(name, named, array);
    }

    /// <summary>Before writing anything: the starts it goes inside.</summary>
    public void WriteStarts(Utf8JsonWriter w)
    {
        if (_written < _open)
        {
            WriteAll(w);
        }
    }

    /// <summary>Closes the innermost start: its end is written if its start was; otherwise it is dropped.</summary>
    public void Close(Utf8JsonWriter w)
    {
        var start = _starts[--_open];
        _starts[_open] = default;
        if (_written > _open)
        {
            _written = _open;
            if (start.Array)
            {
                w.WriteEndArray();
            }
            else
            {
                w.WriteEndObject();
            }
        }
    }

    private void WriteAll(Utf8JsonWriter w)
    {
        for (; _written < _open; _written++)
        {
            var (name, named, array) = _starts[_written];
            if (array)
            {
                w.WriteStartArray(name);
            }
            else if (named)
            {
                w.WriteStartObject(name);
            }
            else
            {
                w.WriteStartObject();
            }
        }
    }

    private readonly record struct Start(JsonEncodedText Name, bool Named, bool Array);
}
