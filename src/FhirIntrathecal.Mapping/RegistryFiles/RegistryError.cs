namespace FhirIntrathecal.Mapping.RegistryFiles;

/// <summary>A located problem in a registry file: file, 1-based line, column (header name or JSON path).</summary>
public sealed record RegistryError(string File, int Line, string Column, string Message)
{
    public override string ToString() => $"{File}:{Line}: column '{Column}': {Message}";
}

/// <summary>What a reader returns: the rows that parsed, and an error for each row that did not.</summary>
public sealed record RegistryReadResult(FhirIntrathecal.Domain.Registry Registry, IReadOnlyList<RegistryError> Errors);
