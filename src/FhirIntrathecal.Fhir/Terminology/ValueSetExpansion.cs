namespace FhirIntrathecal.Fhir.Terminology;

/// <summary>
/// What a ValueSet contains as far as local content allows: enumerated codes per system, systems included whole that
/// cannot be enumerated here (UCUM, SNOMED CT, BCP-47...), and whether some part could not be expanded at all.
/// </summary>
public sealed class ValueSetExpansion
{
    internal Dictionary<string, HashSet<string>> Codes { get; } = new(StringComparer.Ordinal);

    /// <summary>Systems included without restriction that are not enumerable locally.</summary>
    internal HashSet<string> OpenSystems { get; } = new(StringComparer.Ordinal);

    /// <summary>True when a part could not be expanded (filter on a system we do not hold, unknown nested ValueSet...).</summary>
    public bool IsIncomplete { get; internal set; }

    /// <summary>Why the expansion is incomplete, for messages.</summary>
    public string? IncompleteReason { get; internal set; }

    public int Count => Codes.Values.Sum(c => c.Count);

    internal void Add(string system, string code)
    {
        if (!Codes.TryGetValue(system, out var set))
        {
            Codes[system] = set = new HashSet<string>(StringComparer.Ordinal);
        }

        set.Add(code);
    }

    internal void MarkIncomplete(string reason)
    {
        IsIncomplete = true;
        IncompleteReason ??= reason;
    }

    public bool ContainsCode(string system, string code) => Codes.TryGetValue(system, out var set) && set.Contains(code);

    /// <summary>For bare <c>code</c> elements: the code under any system of the expansion.</summary>
    public bool ContainsCodeInAnySystem(string code) => Codes.Values.Any(s => s.Contains(code));
}
