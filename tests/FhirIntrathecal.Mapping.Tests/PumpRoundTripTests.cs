using FhirIntrathecal.Domain;
using FhirIntrathecal.Domain.Pump;
using FhirIntrathecal.Fhir.Model;
using FhirIntrathecal.Fhir.Serialization.Json;
using FhirIntrathecal.Mapping.Fhir;
using FhirIntrathecal.Mapping.Fhir.Pump;
using FsCheck;
using FsCheck.Fluent;

namespace FhirIntrathecal.Mapping.Tests;

/// <summary>Pump records → FHIR (JSON text) → pump records is lossless, for arbitrary registries (FsCheck) and the sample.</summary>
public class PumpRoundTripTests
{
    private static readonly ExportOptions Options = new("pump-registry", new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private static readonly DateOnly Epoch = new(2010, 1, 1);

    private static Gen<T> OneOf<T>(params T[] values) => Gen.Elements(values);

    private static Gen<T?> Maybe<T>(Gen<T> gen)
        where T : class => Gen.Frequency((1, Gen.Constant<T?>(null)), (3, gen.Select(v => (T?)v)));

    private static Gen<DateOnly> Day => Gen.Choose(0, 5000).Select(Epoch.AddDays);

    private static readonly Gen<decimal> Rate = OneOf(12m, 50m, 337.5m, 400m, 800.25m, 2003m, 0.5m, 19.2m);

    private static Gen<ImplantRecord> Implant(string id, string patient) =>
        from day in Day
        from reservoir in OneOf(10m, 20m, 40m, 20.0m)
        from model in OneOf("8637-40", "8637-20", "13827")
        from tip in OneOf<SpinalLevel?>(null, SpinalLevel.T10, SpinalLevel.C5, SpinalLevel.L1)
        from explant in Maybe(from later in Gen.Choose(1, 2500) from reason in OneOf(Enum.GetValues<ExplantReason>()) from kept in OneOf(true, false) select new Explant(day.AddDays(later), reason, kept))
        select new ImplantRecord(id, patient, day, new PumpDevice($"0064316900{day.DayNumber % 10000:0000}", $"(01)00643169007222(21){id}", $"SN-{id}", "LOT/1", model, "Medtronic", reservoir), new CatheterDevice("8709SC", $"C-{id}", tip), explant);

    private static Gen<ProgrammeRecord> Programme(string id, string implant) =>
        from start in Day
        from end in OneOf<int?>(null, 30, 365).Select(d => d is { } n ? start.AddDays(n) : (DateOnly?)null)
        from drug in OneOf(Enum.GetValues<PumpDrug>())
        from concentration in OneOf(50m, 500m, 2000m, 25m, 1000.0m)
        from mode in OneOf(Enum.GetValues<InfusionMode>())
        from basal in Rate
        from steps in Gen.ListOf(from h in Gen.Choose(0, 23) from r in Rate select new FlexStep(new TimeOnly(h, 30), r)).Select(l => l.Take(3).ToArray())
        from ptm in Maybe(from b in OneOf(10m, 25m, 12.5m) from l in OneOf(60, 120) from m in Gen.Choose(1, 8) select new PtmSettings(b, l, m))
        select new ProgrammeRecord(id, implant, start, end, drug, concentration, mode, basal, new(steps), ptm);

    private static Gen<RefillRecord> Refill(string id, string implant) =>
        from day in Day
        from expected in OneOf(0m, 2.5m, 4.1m)
        from aspirated in OneOf(0m, 3.9m, 6.25m)
        from fill in OneOf(18.5m, 20m, 40m)
        from drug in OneOf(Enum.GetValues<PumpDrug>())
        from concentration in OneOf(500m, 2000m)
        from low in OneOf<int?>(null, 55).Select(d => d is { } n ? day.AddDays(n) : (DateOnly?)null)
        select new RefillRecord(id, implant, day, expected, aspirated, fill, drug, concentration, $"LOT-{id}", low);

    private static Gen<InterrogationRecord> Interrogation(string id, string implant) =>
        from day in Day
        from reprogrammed in OneOf(true, false)
        from alarms in Gen.SubListOf(Enum.GetValues<PumpAlarm>())
        from eri in OneOf(true, false)
        from expected in OneOf<decimal?>(null, 22.5m, 0m)
        select new InterrogationRecord(id, implant, day, reprogrammed, new(alarms), eri, expected);

    private static readonly (MuscleGroup, Side)[] Sites = Enum.GetValues<MuscleGroup>().SelectMany(m => new[] { (m, Side.Left), (m, Side.Right) }).ToArray();

    private static Gen<OutcomeRecord> Outcome(string id, string patient) =>
        from day in Day
        from sites in Gen.SubListOf(Sites)
        from grades in Gen.ListOf(OneOf(Enum.GetValues<MasGrade>())).Select(l => l.ToArray())
        from penn in OneOf<int?>(null, 0, 2, 4)
        from severity in OneOf<int?>(null, 1, 3)
        from nrs in OneOf<int?>(null, 0, 7)
        from odi in OneOf<decimal?>(null, 0m, 38.5m, 100m)
        let mas = sites.Select((s, i) => new MasScore(s.Item1, s.Item2, grades.Length == 0 ? MasGrade.Grade2 : grades[i % grades.Length])).ToArray()
        // An outcome visit without any score has nothing to map: give it at least the NRS.
        select new OutcomeRecord(id, patient, day, new(mas), penn, penn is > 0 ? severity : null, mas.Length == 0 && penn is null && odi is null ? nrs ?? 5 : nrs, odi);

    private static Gen<PumpRegistry> PatientGen(string p) =>
        from sex in OneOf(Enum.GetValues<Sex>())
        from year in Gen.Choose(1930, 2015)
        from indication in OneOf(Enum.GetValues<PumpIndication>())
        from onset in OneOf<int?>(null, 2001)
        from trials in Gen.ListOf(from day in Day from drug in OneOf(Enum.GetValues<PumpDrug>()) from dose in OneOf(50m, 75m, 100m, 2.5m) from positive in OneOf<bool?>(null, true, false) select (day, drug, dose, positive)).Select(l => l.Take(3).ToArray())
        from implantCount in Gen.Choose(0, 2)
        from implants in Gen.CollectToSequence(Enumerable.Range(1, implantCount).Select(k => Implant($"{p}-I{k}", p)))
        from programmes in Gen.CollectToSequence(implants.SelectMany(i => Enumerable.Range(1, 2).Select(k => Programme($"{i.Id}-G{k}", i.Id))))
        from refills in Gen.CollectToSequence(implants.Select(i => Refill($"{i.Id}-R1", i.Id)))
        from interrogations in Gen.CollectToSequence(implants.Select(i => Interrogation($"{i.Id}-Q1", i.Id)))
        from outcomes in Gen.CollectToSequence(Enumerable.Range(1, 2).Select(k => Outcome($"{p}-O{k}", p)))
        from kinds in Gen.SubListOf(Enum.GetValues<PumpComplication>()).Select(l => l.Take(3).ToArray())
        from severity in OneOf(Enum.GetValues<Severity>())
        from aeOutcome in OneOf(Enum.GetValues<AdverseEventOutcome>())
        from eventDay in Day
        let implantIds = implants.Select(i => (string?)i.Id).Append(null).ToArray()
        select new PumpRegistry(
            new([new PumpPatientRecord(p, sex, year, indication, onset)]),
            new(trials.Select((t, k) => new TrialRecord($"{p}-T{k}", p, t.day, t.drug, t.dose, t.positive))),
            new(implants), new(programmes), new(refills), new(interrogations), new(outcomes),
            new(kinds.Select((kind, k) => new PumpEventRecord($"{p}-E{k}", p, implantIds[k % implantIds.Length], eventDay, kind, severity, aeOutcome))));

    private static Gen<PumpRegistry> RegistryGen =>
        from n in Gen.Choose(0, 3)
        from patients in Gen.CollectToSequence(Enumerable.Range(1, n).Select(i => PatientGen($"P{i:00}")))
        select new PumpRegistry(
            new(patients.SelectMany(x => x.Patients)), new(patients.SelectMany(x => x.Trials)), new(patients.SelectMany(x => x.Implants)),
            new(patients.SelectMany(x => x.Programmes)), new(patients.SelectMany(x => x.Refills)), new(patients.SelectMany(x => x.Interrogations)),
            new(patients.SelectMany(x => x.Outcomes)), new(patients.SelectMany(x => x.Events)));

    /// <summary>Record order in a registry is not data: compare each list by id.</summary>
    private static PumpRegistry Normal(PumpRegistry r) => new(
        new(r.Patients.OrderBy(x => x.RegistryId, StringComparer.Ordinal)), new(r.Trials.OrderBy(x => x.Id, StringComparer.Ordinal)),
        new(r.Implants.OrderBy(x => x.Id, StringComparer.Ordinal)), new(r.Programmes.OrderBy(x => x.Id, StringComparer.Ordinal)),
        new(r.Refills.OrderBy(x => x.Id, StringComparer.Ordinal)), new(r.Interrogations.OrderBy(x => x.Id, StringComparer.Ordinal)),
        new(r.Outcomes.OrderBy(x => x.Id, StringComparer.Ordinal)), new(r.Events.OrderBy(x => x.Id, StringComparer.Ordinal)));

    private static PumpRegistry ThroughFhir(PumpRegistry registry, ReferenceStyle style)
    {
        var resources = style == ReferenceStyle.UrnUuid
            ? ThroughJson.Read(PumpToFhir.TransactionBundles(registry, Options))
            : ThroughJson.Read(PumpToFhir.AllResources(registry, Options with { References = ReferenceStyle.Relative }));
        return FhirToPump.Read(resources);
    }

    [Theory]
    [InlineData(ReferenceStyle.UrnUuid)]
    [InlineData(ReferenceStyle.Relative)]
    public void Pump_records_to_fhir_and_back_are_lossless(ReferenceStyle style)
    {
        Prop.ForAll(Arb.From(RegistryGen), registry => Normal(ThroughFhir(registry, style)).Equals(Normal(registry))).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void The_sample_registry_comes_back_equal_field_by_field()
    {
        var sample = PumpSamples.Registry();
        var back = Normal(ThroughFhir(sample, ReferenceStyle.UrnUuid));
        var expected = Normal(sample);
        Assert.Equal(expected.Patients, back.Patients);
        Assert.Equal(expected.Trials, back.Trials);
        Assert.Equal(expected.Implants, back.Implants);
        Assert.Equal(expected.Programmes, back.Programmes);
        Assert.Equal(expected.Refills, back.Refills);
        Assert.Equal(expected.Interrogations, back.Interrogations);
        Assert.Equal(expected.Outcomes, back.Outcomes);
        Assert.Equal(expected.Events, back.Events);
    }
}
