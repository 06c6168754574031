using System.Text;

namespace FhirIntrathecal.Fhir.Serialization;

/// <summary>
/// The current position in an instance as a stack of segments, turned into a FHIRPath-like string
/// (<c>Patient.name[0].given[1]</c>) only when an issue needs it, so reading pays nothing for locations.
/// </summary>
internal sealed class LocationPath
{
    // A stack as an array and a count: Push and Pop run for every element read, so no List bookkeeping (version, clearing).
    private Segment[] _segments = new Segment[32];
    private int _depth;

    public int Depth => _depth;

    /// <summary>Enters an element; for a choice, the chosen type renders as <c>value.ofType(Quantity)</c>.</summary>
    public void Push(string name, string? choiceType = null)
    {
        if (_depth == _segments.Length)
        {
            Array.Resize(ref _segments, _depth * 2);
        }

        _segments[_depth++] = new Segment(name, choiceType, -1);
    }

    public void SetIndex(int index) => _segments[_depth - 1].Index = index;

    /// <summary>Leaves the innermost element (its names are the model's own strings: nothing to release).</summary>
    public void Pop() => _depth--;

    public override string ToString()
    {
        var sb = new StringBuilder();
        foreach (var (name, choiceType, index) in _segments.AsSpan(0, _depth))
        {
            if (sb.Length > 0)
            {
                sb.Append('.');
            }

            sb.Append(name);
            if (choiceType is not null)
            {
                sb.Append(".ofType(").Append(choiceType).Append(')');
            }

            if (index >= 0)
            {
                sb.Append('[').Append(index).Append(']');
            }
        }

        return sb.ToString();
    }

    /// <summary>The location of a child without pushing it.</summary>
    public string With(string child)
    {
        var parent = ToString();
        return parent.Length == 0 ? child : parent + "." + child;
    }

    private record struct Segment(string Name, string? ChoiceType, int Index);
}
