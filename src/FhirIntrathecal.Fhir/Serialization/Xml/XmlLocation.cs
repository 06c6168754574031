using System.Text;

namespace FhirIntrathecal.Fhir.Serialization.Xml;

/// <summary>
/// The FHIRPath-like location of the element being read (<c>Patient.name[0].given[1]</c>), kept as a stack of
/// segments so that the string is only built when an issue is reported, not for every element.
/// </summary>
internal sealed class XmlLocation
{
    private readonly List<(string Name, int Index)> _segments = new(32);

    public int Depth => _segments.Count;

    /// <summary>Enters a child element; <paramref name="index"/> is its position when the element repeats, else -1.</summary>
    public void Push(string name, int index = -1) => _segments.Add((name, index));

    public void Pop() => _segments.RemoveAt(_segments.Count - 1);

    /// <summary>The location of a child of the current element, without entering it.</summary>
    public string Child(string name, int index = -1)
    {
        Push(name, index);
        var s = ToString();
        Pop();
        return s;
    }

    public override string ToString()
    {
        var sb = new StringBuilder(64);
        foreach (var (name, index) in _segments)
        {
            if (sb.Length > 0)
            {
                sb.Append('.');
            }

            sb.Append(name);
            if (index >= 0)
            {
                sb.Append('[').Append(index).Append(']');
            }
        }

        return sb.ToString();
    }
}
