namespace FhirIntrathecal.Mapping.Fhir;

/// <summary>How references are written: <c>urn:uuid:</c> inside a transaction Bundle, <c>Type/id</c> in NDJSON.</summary>
public enum ReferenceStyle { UrnUuid, Relative }

/// <param name="Source">Registry file or folder named in each Provenance.</param>
/// <param name="Recorded">Import time for Provenance.recorded (passed in so output is reproducible).</param>
public sealed record ExportOptions(string Source, DateTimeOffset Recorded, ReferenceStyle References = ReferenceStyle.UrnUuid);

/// <summary>
/// One resource to create: its stable id, the search that makes the create conditional, and the registry record it
/// comes from (<c>patient P001</c>, <c>administration P001-A05</c>), so a finding on the resource points at its row.
/// </summary>
public sealed record PlannedResource(FhirIntrathecal.Fhir.Model.Resource Resource, string Uuid, string? IfNoneExist)
{
    public string Record { get; init; } = string.Empty;
}

/// <summary>One patient of a registry (by registry id; either modality) and everything mapped from it (patient-level resources, then per record, then the Provenance).</summary>
public sealed record MappedPatient(string PatientId, IReadOnlyList<PlannedResource> Resources);
