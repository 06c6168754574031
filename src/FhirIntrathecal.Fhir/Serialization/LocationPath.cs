using System.Text;

namespace FhirIntrathecal.Fhir.Serialization;

/// <summary>
/// The current position in an instance as a stack of segments, turned into a FHIRPath-like string
/// (<c>Patient.name[0].given[1]</c>) only when an issue needs it, so reading pays nothing for locations.
/// </summary>
internal sealed class LocationPath
{
    private readonly List<(string Name, string? ChoiceType, int Index)> _segments = new(32);

    public int Depth => _segments.Count;

    /// <summary>Enters an element; for a choice, the chosen type renders as <c>value.ofType(Quantity)</c>.</summary>
    public void Push(string name, string? choiceType = null) => _segments.Add((name, choiceType, -1));

    public void SetIndex(int index) => _segments[^1] = (_segments[^1].Name, _segments[^1].ChoiceType, index);

    public void Pop() => _segments.RemoveAt(_segments.Count - 1);

    public override string ToString()
    {
        var sb = new StringBuilder();
        foreach (var (name, choiceType, index) in _segments)
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
}
