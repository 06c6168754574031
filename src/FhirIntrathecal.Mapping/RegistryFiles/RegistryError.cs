namespace FhirIntrathecal.Mapping.RegistryFiles;

/// <summary>
/// A located problem in a registry file: file, 1-based line, the column or JSON property name, the message; for JSON
/// also the 1-based character <see cref="Position"/> in the line and the field <see cref="Path"/>
/// (e.g. <c>administrations[3].dose_mg</c>, 0-based indexes).
/// </summary>
public sealed record RegistryError(string File, int Line, string Column, string Message)
{
    /// <summary>1-based character position of the offending value in its line; 0 = not known (CSV: whole row).</summary>
    public int Position { get; init; }

    /// <summary>The field path in a JSON registry, e.g. <c>patients[0].sex</c>; null for CSV.</summary>
    public string? Path { get; init; }

    public override string ToString() => Position > 0
        ? $"{File}:{Line}:{Position}: field '{Column}': {Message}"
        : $"{File}:{Line}: column '{Column}': {Message}";
}

/// <summary>What a reader returns: the rows that parsed, and an error for each row that did not.</summary>
public sealed record RegistryReadResult(FhirIntrathecal.Domain.Registry Registry, IReadOnlyList<RegistryError> Errors);
