using FhirIntrathecal.Domain;
using FhirIntrathecal.Fhir.Model;
using FhirIntrathecal.Fhir.Serialization.Json;
using FhirIntrathecal.Mapping.Fhir;
using FsCheck;
using FsCheck.Fluent;

namespace FhirIntrathecal.Mapping.Tests;

/// <summary>domain → FHIR (JSON text) → domain is lossless, for arbitrary valid registries.</summary>
public class RoundTripTests
{
    private static readonly ExportOptions Options = new("registry", new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    private static Gen<T> OneOf<T>(params T[] values) => Gen.Elements(values);

    private static Gen<T?> Maybe<T>(Gen<T> gen)
        where T : class => Gen.Frequency((1, Gen.Constant<T?>(null)), (3, gen.Select(v => (T?)v)));

    private static Gen<bool?> MaybeBool => OneOf<bool?>(null, true, false);

    private static readonly Gen<decimal> Dose = OneOf(2m, 2.5m, 3m, 3.25m, 4m, 5m, 5.00m);

    private static Gen<AdministrationRecord> Administration(string id, string patient) =>
        from day in Gen.Choose(0, 3000)
        from dose in Dose
        from product in OneOf("Midazolam 1 mg/mL", "Dormicum 5 mg/mL, ampoule")
        from lot in OneOf<string?>(null, "LOT-1", "A/7")
        from diluent in OneOf(Enum.GetValues<Diluent>())
        from volume in OneOf(0.5m, 1m, 1.5m, 2.25m, 3m)
        from gauge in OneOf(22, 25, 27)
        from position in OneOf(Enum.GetValues<PatientPosition>())
        from level in OneOf(Enum.GetValues<LumbarLevel>())
        from bedRest in OneOf(2m, 3m, 3.5m)
        from stage in OneOf(Enum.GetValues<TreatmentStage>())
        from weight in OneOf<decimal?>(null, 55m, 72.5m, 110m)
        from sedation in Maybe(Gen.Choose(0, 3).Select(s => new Sedation(s)))
        from pain in Maybe(Pain(day))
        from outcome in Gen.OneOf(Gen.Constant(ReliefOutcome.Unknown), Gen.Constant(ReliefOutcome.NoEffect), Gen.Choose(1, 60).Select(ReliefOutcome.ForWeeks))
        from neuro in Maybe(from a in Gen.Elements(true, false) from b in Gen.Elements(true, false) from c in Gen.Elements(true, false) select new NeurotoxicityScreen(a, b, c))
        from events in Gen.SubListOf(Enum.GetValues<AdverseEventKind>())
        from severity in OneOf(Enum.GetValues<Severity>())
        from aeOutcome in OneOf(Enum.GetValues<AdverseEventOutcome>())
        select new AdministrationRecord(
            id, patient, new DateOnly(2003, 1, 1).AddDays(day), dose, new Injectate(product, lot, diluent, volume), gauge, position, level, bedRest, stage, weight,
            sedation, pain, outcome, neuro, new(events.Select(k => new AdverseEventRecord(k, severity, aeOutcome))));

    private static Gen<PainAssessment> Pain(int day) =>
        from baseline in Gen.Choose(0, 10)
        from follow in Maybe(from later in Gen.Choose(0, 90) from nrs in Gen.Choose(0, 10) from better in MaybeBool
                             select new FollowUp(new DateOnly(2003, 1, 1).AddDays(day + later), nrs, better))
        select new PainAssessment(baseline, follow);

    private static Gen<Registry> RegistryGen =>
        from counts in Gen.ListOf(Gen.Choose(0, 4)).Select(l => l.Take(4).ToArray())
        from patients in Gen.CollectToSequence(counts.Select((n, i) => PatientWithAdmins($"P{i:00}", n)))
        select new Registry(new(patients.Select(p => p.Patient)), new(patients.SelectMany(p => p.Admins)));

    private static Gen<(PatientRecord Patient, List<AdministrationRecord> Admins)> PatientWithAdmins(string id, int n) =>
        from sex in OneOf(Enum.GetValues<Sex>())
        from year in Gen.Choose(1920, 1995)
        from kind in OneOf(Enum.GetValues<DiagnosisKind>())
        from onset in OneOf<int?>(null, 1999, 2008)
        from admins in Gen.CollectToSequence(Enumerable.Range(1, n).Select(k => Administration($"{id}-A{k:00}", id)))
        select (new PatientRecord(id, sex, year, new Diagnosis(kind, onset)), admins.ToList());

    private static Registry ThroughFhir(Registry registry, ReferenceStyle style)
    {
        var resources = style == ReferenceStyle.UrnUuid
            ? ThroughJson.Read(DomainToFhir.TransactionBundles(registry, Options).Select(p => p.Bundle))
            : ThroughJson.Read(DomainToFhir.AllResources(registry, Options with { References = ReferenceStyle.Relative }));
        return FhirToDomain.Read(resources);
    }

    [Theory]
    [InlineData(ReferenceStyle.UrnUuid)]
    [InlineData(ReferenceStyle.Relative)]
    public void Domain_to_fhir_to_domain_is_lossless(ReferenceStyle style)
    {
        Prop.ForAll(Arb.From(RegistryGen), registry =>
        {
            var back = ThroughFhir(registry, style);
            return back.Patients.Equals(registry.Patients) && back.Administrations.Equals(registry.Administrations);
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Bundles_use_conditional_creates_on_business_identifiers_and_urn_uuid_references()
    {
        var registry = Cohort.CohortGenerator.Generate(1);
        var bundle = DomainToFhir.TransactionBundles(registry, Options).First().Bundle;
        Assert.Equal("transaction", bundle.Type?.Value);
        var fullUrls = bundle.Entry.Select(e => e.FullUrl!.Value!).ToHashSet(StringComparer.Ordinal);
        Assert.All(bundle.Entry, e => Assert.StartsWith("urn:uuid:", e.FullUrl!.Value, StringComparison.Ordinal));
        Assert.All(bundle.Entry.Where(e => e.Resource is not Provenance), e => Assert.StartsWith("identifier=", e.Request!.IfNoneExist!.Value, StringComparison.Ordinal));
        var json = FhirJsonSerializer.SerializeToString(bundle);
        foreach (System.Text.RegularExpressions.Match m in System.Text.RegularExpressions.Regex.Matches(json, "\"reference\":\"([^\"]+)\""))
        {
            Assert.Contains(m.Groups[1].Value, fullUrls);
        }

        // Stable: the same registry gives the same ids.
        Assert.Equal(json, FhirJsonSerializer.SerializeToString(DomainToFhir.TransactionBundles(registry, Options).First().Bundle));
    }
}
