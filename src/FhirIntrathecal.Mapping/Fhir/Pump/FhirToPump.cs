using System.Globalization;
using FhirIntrathecal.Domain;
using FhirIntrathecal.Domain.Pump;
using FhirIntrathecal.Fhir.Model;

namespace FhirIntrathecal.Mapping.Fhir.Pump;

/// <summary>
/// FHIR resources written by <see cref="PumpToFhir"/> (from a Bundle, NDJSON or a server) → the pump registry. Resources
/// are recognised by their business identifier's namespace (<see cref="Itm.Sid"/>), references resolved through one
/// dictionary keyed by fullUrl and <c>Type/id</c>, and children grouped by parent in one pass, so the import is linear.
/// Something a record needs and cannot be found is an <see cref="InvalidDataException"/> naming the record.
/// </summary>
public static class FhirToPump
{
    /// <param name="resources">Resources with the fullUrl they had in a Bundle (null when read from NDJSON or a server).</param>
    public static PumpRegistry Read(IEnumerable<(Resource Resource, string? FullUrl)> resources)
    {
        ArgumentNullException.ThrowIfNull(resources);
        var r = new Index(resources);
        var patients = r.Of<Condition>("pump-condition").Select(c => ReadPatient(r, c)).ToList();
        var trials = r.Of<MedicationAdministration>("pump-trial").Select(ma => ReadTrial(r, ma)).ToList();
        var implants = r.Of<Device>("pump-device").Select(d => ReadImplant(r, d)).ToList();
        var programmes = r.Of<MedicationRequest>("pump-programme").Select(mr => ReadProgramme(r, mr)).ToList();
        var refills = r.Of<Procedure>("pump-refill").Select(p => ReadRefill(r, p)).ToList();
        var interrogations = r.Of<Procedure>("pump-interrogation").Select(p => ReadInterrogation(r, p)).ToList();
        var outcomes = ReadOutcomes(r).ToList();
        var events = r.Of<AdverseEvent>("pump-event").Select(e => ReadEvent(r, e)).ToList();
        return new PumpRegistry(new(patients), new(trials), new(implants), new(programmes), new(refills), new(interrogations), new(outcomes), new(events));
    }

    private static PumpPatientRecord ReadPatient(Index r, Condition c)
    {
        var patient = r.Resolve<Patient>(c.Subject) ?? throw Missing(c, "its Patient");
        var id = Index.BusinessId(patient, "patient") ?? throw Missing(c, "the Patient's registry identifier");
        return new PumpPatientRecord(
            id,
            patient.Gender?.Value == "male" ? Sex.Male : Sex.Female,
            int.Parse(patient.BirthDate?.Value?[..4] ?? throw Missing(c, "the birth year"), CultureInfo.InvariantCulture),
            PumpTerms.Indication.From(c.Code) ?? throw Missing(c, "a known indication code"),
            c.Onset is FhirDateTime { Value.Length: >= 4 } onset ? int.Parse(onset.Value[..4], CultureInfo.InvariantCulture) : null);
    }

    private static TrialRecord ReadTrial(Index r, MedicationAdministration ma)
    {
        var id = Index.BusinessId(ma, "pump-trial")!;
        var response = r.Children(ma).OfType<Observation>().FirstOrDefault(o => Index.BusinessId(o, "pump-trial-response") is not null);
        return new TrialRecord(id, r.PatientId(ma.Subject, id), Day(ma.Effective, id), Drug(ma.Medication, id), ma.Dosage?.Dose?.Value?.Value ?? throw Missing(ma, "the dose"), (response?.Value as FhirBoolean)?.Value);
    }

    private static ImplantRecord ReadImplant(Index r, Device pump)
    {
        var id = Index.BusinessId(pump, "pump-device")!;
        var catheter = r.Of<Device>("pump-catheter").FirstOrDefault(d => Index.BusinessId(d, "pump-catheter") == id) ?? throw Missing(pump, "its catheter");
        var implant = r.Of<Procedure>("pump-implant").FirstOrDefault(p => Index.BusinessId(p, "pump-implant") == id) ?? throw Missing(pump, "its implant Procedure");
        var explant = r.Of<Procedure>("pump-explant").FirstOrDefault(p => Index.BusinessId(p, "pump-explant") == id);
        var udi = pump.UdiCarrier.FirstOrDefault();
        var reservoir = pump.Property.FirstOrDefault(p => p.Type?.Coding.Any(c => c.Code?.Value == "reservoir-volume") == true)?.ValueQuantity.FirstOrDefault()?.Value?.Value;
        var tip = catheter.Property.FirstOrDefault(p => p.Type?.Coding.Any(c => c.Code?.Value == "catheter-tip-level") == true)?.ValueCode.FirstOrDefault();
        return new ImplantRecord(
            id,
            r.PatientId(pump.Patient, id),
            Day(implant.Performed, id),
            new PumpDevice(Text(udi?.DeviceIdentifier, pump, "the UDI-DI"), Text(udi?.CarrierHRF, pump, "the UDI carrier"), Text(pump.SerialNumber, pump, "the serial number"), Text(pump.LotNumber, pump, "the lot"), Text(pump.ModelNumber, pump, "the model"), Text(pump.Manufacturer, pump, "the manufacturer"), reservoir ?? throw Missing(pump, "the reservoir volume")),
            new CatheterDevice(Text(catheter.ModelNumber, catheter, "the model"), Text(catheter.LotNumber, catheter, "the lot"), tip is null ? null : PumpTerms.Level.From(tip)),
            explant is null ? null : new Explant(
                Day(explant.Performed, id),
                PumpTerms.ExplantReasonCode.From(explant.ReasonCode.FirstOrDefault()) ?? throw Missing(explant, "the explant reason"),
                !explant.FocalDevice.Any(f => r.Resolve<Device>(f.Manipulated) == catheter)));
    }

    private static ProgrammeRecord ReadProgramme(Index r, MedicationRequest mr)
    {
        var id = Index.BusinessId(mr, "pump-programme")!;
        var pump = mr.SupportingInformation.Select(r.Resolve<Device>).FirstOrDefault(d => d is not null) ?? throw Missing(mr, "its pump");
        var segment = r.Children(mr).OfType<MedicationAdministration>().FirstOrDefault() ?? throw Missing(mr, "its delivered segment");
        var basal = mr.DosageInstruction.FirstOrDefault(d => d.AsNeeded is null && d.Timing is null) ?? throw Missing(mr, "the basal dosage");
        var steps = mr.DosageInstruction.Where(d => d.Timing?.Repeat?.TimeOfDay.Count > 0 && d.AsNeeded is null)
            .Select(d => new FlexStep(TimeOnly.ParseExact(d.Timing!.Repeat!.TimeOfDay[0].Value!, "HH:mm:ss", CultureInfo.InvariantCulture), Rate(d, mr)));
        var ptm = mr.DosageInstruction.FirstOrDefault(d => d.AsNeeded is FhirBoolean { Value: true }) is { } bolus
            ? new PtmSettings(
                (bolus.DoseAndRate.FirstOrDefault()?.Dose as Quantity)?.Value?.Value ?? throw Missing(mr, "the PTM bolus dose"),
                (int)((bolus.Extension.FirstOrDefault(e => e.Url?.EndsWith("/itp-ptm-lockout", StringComparison.Ordinal) == true)?.Value as Quantity)?.Value?.Value ?? throw Missing(mr, "the PTM lockout")),
                bolus.Timing?.Repeat?.Frequency?.Value ?? throw Missing(mr, "the PTM boluses per day"))
            : null;
        var concentration = (mr.Extension.FirstOrDefault(e => e.Url?.EndsWith("/itp-concentration", StringComparison.Ordinal) == true)?.Value as Quantity)?.Value?.Value ?? throw Missing(mr, "the concentration");
        var period = segment.Effective as Period ?? throw Missing(segment, "the effective period");
        return new ProgrammeRecord(
            id,
            Index.BusinessId(pump, "pump-device") ?? throw Missing(mr, "the pump's implant id"),
            Day(mr.AuthoredOn, id),
            period.End is null ? null : Day(period.End, id),
            Drug(mr.Medication, id),
            concentration,
            PumpTerms.Mode.From(basal.Method) ?? throw Missing(mr, "the infusion mode"),
            Rate(basal, mr),
            new(steps),
            ptm);
    }

    private static RefillRecord ReadRefill(Index r, Procedure p)
    {
        var id = Index.BusinessId(p, "pump-refill")!;
        var fill = p.UsedReference.Select(r.Resolve<Medication>).FirstOrDefault(m => m is not null) ?? throw Missing(p, "its fill Medication");
        var reading = r.Children(p).OfType<Observation>().FirstOrDefault() ?? throw Missing(p, "its refill reading");
        return new RefillRecord(
            id,
            ImplantOf(r, p),
            Day(p.Performed, id),
            Volume(reading, "reservoir-volume-expected") ?? throw Missing(reading, "the expected volume"),
            Volume(reading, "reservoir-volume-aspirated") ?? throw Missing(reading, "the aspirated volume"),
            Volume(reading, "fill-volume") ?? throw Missing(reading, "the fill volume"),
            PumpTerms.Drug(fill.Code) ?? throw Missing(fill, "a known drug code"),
            fill.Ingredient.FirstOrDefault()?.Strength?.Numerator?.Value?.Value ?? throw Missing(fill, "the concentration"),
            Text(fill.Batch?.LotNumber, fill, "the lot"),
            Component(reading, "low-reservoir-alarm-date") is FhirDateTime low ? Day(low, id) : null);
    }

    private static InterrogationRecord ReadInterrogation(Index r, Procedure p)
    {
        var id = Index.BusinessId(p, "pump-interrogation")!;
        var reading = r.Children(p).OfType<Observation>().FirstOrDefault() ?? throw Missing(p, "its interrogation reading");
        var alarms = reading.Component.Where(c => c.Code?.Coding.Any(x => x.Code?.Value == "alarm-event") == true)
            .Select(c => PumpTerms.Alarm.From(c.Value as CodeableConcept) ?? throw Missing(reading, "a known alarm code"));
        return new InterrogationRecord(
            id,
            ImplantOf(r, p),
            Day(p.Performed, id),
            p.Code?.Coding.Any(c => c.Code?.Value == "reprogramming") == true,
            new(alarms),
            (Component(reading, "eri-status") as FhirBoolean)?.Value ?? throw Missing(reading, "the ERI status"),
            Volume(reading, "reservoir-volume-expected"));
    }

    private static IEnumerable<OutcomeRecord> ReadOutcomes(Index r)
    {
        // One visit = the observations whose business id starts with "{outcome id}#", in the order they were written.
        foreach (var visit in r.Of<Observation>(PumpObservations.OutcomeKind).GroupBy(o => Index.BusinessId(o, PumpObservations.OutcomeKind)!.Split('#')[0], StringComparer.Ordinal))
        {
            var first = visit.First();
            var parts = visit.ToLookup(o => Index.BusinessId(o, PumpObservations.OutcomeKind)!.Split('#')[1].Split(':')[0], StringComparer.Ordinal);
            var mas = parts["mas"].Select(o => new MasScore(
                PumpTerms.Muscle.From(o.BodySite) ?? throw Missing(o, "a known muscle group"),
                PumpTerms.Side.From(o.Component.FirstOrDefault()?.Value as CodeableConcept) ?? throw Missing(o, "the side"),
                PumpTerms.Mas.From(o.Value as CodeableConcept) ?? throw Missing(o, "a known MAS grade")));
            var penn = parts["penn"].FirstOrDefault();
            yield return new OutcomeRecord(
                visit.Key,
                r.PatientId(first.Subject, visit.Key),
                Day(first.Effective, visit.Key),
                new(mas),
                (penn?.Value as Integer)?.Value,
                (penn?.Component.FirstOrDefault()?.Value as Integer)?.Value,
                (parts["nrs"].FirstOrDefault()?.Value as Integer)?.Value,
                (parts["odi"].FirstOrDefault()?.Value as Quantity)?.Value?.Value);
        }
    }

    private static PumpEventRecord ReadEvent(Index r, AdverseEvent e)
    {
        var id = Index.BusinessId(e, "pump-event")!;
        var suspect = e.SuspectEntity.Select(s => r.Resolve<Device>(s.Instance)).FirstOrDefault(d => d is not null);
        return new PumpEventRecord(
            id,
            r.PatientId(e.Subject, id),
            suspect is null ? null : Index.BusinessId(suspect, "pump-device") ?? Index.BusinessId(suspect, "pump-catheter"),
            Day(e.Date, id),
            PumpTerms.Complication(e.Event) ?? throw Missing(e, "a known complication code"),
            Terms.Severity.From(e.Severity) ?? throw Missing(e, "the severity"),
            Terms.AeOutcome.From(e.Outcome) ?? throw Missing(e, "the outcome"));
    }

    private static string ImplantOf(Index r, Procedure p) =>
        p.FocalDevice.Select(f => r.Resolve<Device>(f.Manipulated)).OfType<Device>().Select(d => Index.BusinessId(d, "pump-device")).FirstOrDefault(i => i is not null)
        ?? throw Missing(p, "its pump");

    private static decimal Rate(Dosage d, Resource owner) => (d.DoseAndRate.FirstOrDefault()?.Rate as Quantity)?.Value?.Value ?? throw Missing(owner, "a rate");

    private static DataType? Component(Observation o, string code) => o.Component.FirstOrDefault(c => c.Code?.Coding.Any(x => x.Code?.Value == code) == true)?.Value;

    private static decimal? Volume(Observation o, string code) => (Component(o, code) as Quantity)?.Value?.Value;

    private static PumpDrug Drug(DataType? medication, string id) => PumpTerms.Drug(medication as CodeableConcept) ?? throw new InvalidDataException($"{id}: no known pump drug code");

    private static DateOnly Day(DataType? value, string id) =>
        value is FhirDateTime { Value: { Length: >= 10 } s } && DateOnly.TryParseExact(s[..10], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)
            ? d : throw new InvalidDataException($"{id}: no date (yyyy-MM-dd)");

    private static string Text(FhirString? value, Resource owner, string what) => value?.Value ?? throw Missing(owner, what);

    private static InvalidDataException Missing(Resource r, string what) =>
        new($"{r.TypeInfo.Name} {r.Id ?? "(no id)"}: {what} is missing or unreadable");

    /// <summary>The resources by key and by business-identifier kind, and each resource's children (partOf, request).</summary>
    private sealed class Index
    {
        private readonly ReferenceIndex _index;
        private readonly Dictionary<string, List<Resource>> _byKind = new(StringComparer.Ordinal);
        private readonly Dictionary<Resource, List<Resource>> _children = new(ReferenceEqualityComparer.Instance);

        public Index(IEnumerable<(Resource Resource, string? FullUrl)> resources)
        {
            _index = new ReferenceIndex(resources);
            foreach (var r in _index.All)
            {
                if (Kind(r) is { } kind)
                {
                    Add(_byKind, kind, r);
                }

                var parents = r switch
                {
                    Observation o => o.PartOf,
                    MedicationAdministration { Request: { } request } => [request],
                    _ => [],
                };
                foreach (var parent in parents.Select(Resolve<Resource>).OfType<Resource>())
                {
                    Add(_children, parent, r);
                }
            }
        }

        public IEnumerable<T> Of<T>(string kind)
            where T : Resource => _byKind.GetValueOrDefault(kind)?.OfType<T>() ?? [];

        public List<Resource> Children(Resource parent) => _children.GetValueOrDefault(parent) ?? [];

        public T? Resolve<T>(Reference? reference)
            where T : Resource => _index.Resolve<T>(reference);

        public string PatientId(Reference? subject, string recordId) =>
            Resolve<Patient>(subject) is { } p && BusinessId(p, "patient") is { } id ? id : throw new InvalidDataException($"{recordId}: no resolvable registry patient");

        public static string? BusinessId(Resource r, string kind)
        {
            var system = Itm.Sid(kind);
            return IdentifiersOf(r).FirstOrDefault(i => i.System?.Value == system)?.Value?.Value;
        }

        private static List<Identifier> IdentifiersOf(Resource r) => r switch
        {
            Patient p => p.Identifier,
            Condition c => c.Identifier,
            Device d => d.Identifier,
            Procedure p => p.Identifier,
            MedicationRequest m => m.Identifier,
            MedicationAdministration m => m.Identifier,
            Medication m => m.Identifier,
            Observation o => o.Identifier,
            AdverseEvent { Identifier: { } one } => [one],
            _ => [],
        };

        private static string? Kind(Resource r)
        {
            var prefix = Itm.Sid("pump-");
            return IdentifiersOf(r).Select(i => i.System?.Value).FirstOrDefault(s => s?.StartsWith(prefix, StringComparison.Ordinal) == true)?[(prefix.Length - "pump-".Length)..];
        }

        private static void Add<TKey>(Dictionary<TKey, List<Resource>> map, TKey key, Resource r)
            where TKey : notnull
        {
            if (!map.TryGetValue(key, out var list))
            {
                map[key] = list = [];
            }

            list.Add(r);
        }
    }
}
