namespace FhirIntrathecal.Mapping.Fhir;

/// <summary>How references are written: <c>urn:uuid:</c> inside a transaction Bundle, <c>Type/id</c> in NDJSON.</summary>
public enum ReferenceStyle { UrnUuid, Relative }

/// <param name="Source">Registry file or folder named in each Provenance.</param>
/// <param name="Recorded">Import time for Provenance.recorded (passed in so output is reproducible).</param>
public sealed record ExportOptions(string Source, DateTimeOffset Recorded, ReferenceStyle References = ReferenceStyle.UrnUuid);

/// <summary>One resource to create: its stable id and the search that makes the create conditional.</summary>
public sealed record PlannedResource(FhirIntrathecal.Fhir.Model.Resource Resource, string Uuid, string? IfNoneExist);
