using System.Globalization;
using FhirIntrathecal.Domain;
using FhirIntrathecal.Domain.Pump;
using FhirIntrathecal.Fhir.Model;
using FhirIntrathecal.Mapping.Fhir;
using FhirIntrathecal.Mapping.Fhir.Pump;

namespace FhirIntrathecal.Exchange;

/// <summary>
/// A registry made ready for a sink: the accepted patients with their mapped, validated resources (<c>Type/id</c>
/// references, ids = stable uuids), the names of accepted and refused records, and every diagnostic, sorted by place.
/// A pump registry's accepted records are in <see cref="Pump"/> (its <see cref="Registry"/> is then empty); sinks ask
/// for <see cref="TransactionBundles"/> and never need to know the modality.
/// </summary>
public sealed record PreparedRegistry(
    IReadOnlyList<MappedPatient> Patients,
    IReadOnlyList<string> Accepted,
    IReadOnlyList<string> Refused,
    IReadOnlyList<Diagnostic> Diagnostics,
    Registry Registry,
    ExportOptions Options)
{
    /// <summary>How many diagnostics came from reading (a record that does not parse, or no registry at all), before any rule or validation.</summary>
    public int ReadErrors { get; init; }

    /// <summary>The accepted pump records when the input was a pump registry; null for a single-shot one.</summary>
    public PumpRegistry? Pump { get; init; }

    /// <summary>One transaction Bundle per accepted patient (urn:uuid references, conditional creates), whichever the modality.</summary>
    public IEnumerable<(string PatientId, Bundle Bundle)> TransactionBundles() => Pump is { } pump
        ? PumpToFhir.PatientBundles(pump, Options)
        : DomainToFhir.TransactionBundles(Registry, Options).Select(p => (p.Patient.RegistryId, p.Bundle));

    /// <summary>What was accepted, for a summary line: <c>3 patients, 12 administrations</c> (pump: implants, programmes, refills).</summary>
    public string Summary => Pump is { } pump
        ? string.Create(CultureInfo.InvariantCulture, $"{Patients.Count} patients, {pump.Implants.Count} implants, {pump.Programmes.Count} programmes, {pump.Refills.Count} refills")
        : string.Create(CultureInfo.InvariantCulture, $"{Patients.Count} patients, {Registry.Administrations.Count} administrations");

    public int Errors => Diagnostics.Count(d => d.IsError);

    public int Warnings => Diagnostics.Count(d => !d.IsError);

    /// <summary>Every accepted resource once (shared ones such as the ResearchStudy appear in each patient's set).</summary>
    public IEnumerable<Resource> Resources =>
        Patients.SelectMany(p => p.Resources).Select(r => r.Resource).DistinctBy(r => (r.TypeInfo.Name, r.Id));
}
