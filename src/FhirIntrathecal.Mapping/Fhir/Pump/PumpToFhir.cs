using System.Globalization;
using FhirIntrathecal.Domain.Pump;
using FhirIntrathecal.Fhir.Model;
using static FhirIntrathecal.Mapping.Fhir.Itm;

namespace FhirIntrathecal.Mapping.Fhir.Pump;

/// <summary>
/// Pump registry → FHIR resources conforming to the pump profiles of the IG, one patient at a time, with the same
/// stable ids, conditional creates and reference styles as the single-shot mapping (<see cref="DomainToFhir"/>).
/// Per implant: pump and catheter Devices (inactive once explanted: the explant Procedure says why; a local statusReason
/// would draw the base extensible-binding warning), implant (and explant) Procedures; per programme: the MedicationRequest and
/// its delivered segment; per refill: Procedure, fill Medication and reading; per interrogation: Procedure and reading;
/// outcomes as MAS/Penn/NRS/ODI Observations; events as AdverseEvents. <see cref="FhirToPump"/> reads them back.
/// </summary>
public static class PumpToFhir
{
    /// <summary>Every resource type the pump mapping writes (what a pull must ask for to read pump data back).</summary>
    public static IReadOnlyList<string> ResourceTypes { get; } =
        ["Patient", "Condition", "Device", "Procedure", "MedicationRequest", "MedicationAdministration", "Medication", "Observation", "AdverseEvent"];

    public static IEnumerable<Bundle> TransactionBundles(PumpRegistry registry, ExportOptions options) => PatientBundles(registry, options).Select(p => p.Bundle);

    /// <summary>One transaction Bundle per patient, paired with that patient's registry id (urn:uuid references, conditional creates).</summary>
    public static IEnumerable<(string PatientId, Bundle Bundle)> PatientBundles(PumpRegistry registry, ExportOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return Patients(registry, options with { References = ReferenceStyle.UrnUuid }).Select(m => (m.PatientId, DomainToFhir.ToBundle(m.Resources)));
    }

    /// <summary>All resources of all patients (references per <see cref="ExportOptions.References"/>).</summary>
    public static IEnumerable<PlannedResource> AllResources(PumpRegistry registry, ExportOptions options) => Patients(registry, options).SelectMany(m => m.Resources);

    /// <summary>Each patient with its mapped resources, each resource attributed to its registry record (<c>refill P001-I1-R02</c>).</summary>
    public static IEnumerable<MappedPatient> Patients(PumpRegistry registry, ExportOptions options)
    {
        ArgumentNullException.ThrowIfNull(registry);
        var implants = registry.Implants.ToLookup(i => i.PatientId, StringComparer.Ordinal);
        var byImplant = registry.Implants.ToDictionary(i => i.Id, i => i.PatientId, StringComparer.Ordinal);
        string PatientOf(string implantId) => byImplant.GetValueOrDefault(implantId) ?? string.Empty;
        var programmes = registry.Programmes.ToLookup(p => PatientOf(p.ImplantId), StringComparer.Ordinal);
        var refills = registry.Refills.ToLookup(r => PatientOf(r.ImplantId), StringComparer.Ordinal);
        var interrogations = registry.Interrogations.ToLookup(q => PatientOf(q.ImplantId), StringComparer.Ordinal);
        var trials = registry.Trials.ToLookup(t => t.PatientId, StringComparer.Ordinal);
        var outcomes = registry.Outcomes.ToLookup(o => o.PatientId, StringComparer.Ordinal);
        var events = registry.Events.ToLookup(e => e.PatientId, StringComparer.Ordinal);
        foreach (var p in registry.Patients)
        {
            var id = p.RegistryId;
            yield return new MappedPatient(id, Resources(p, new PumpRegistry(
                new([p]), new(trials[id]), new(implants[id]), new(programmes[id]), new(refills[id]), new(interrogations[id]), new(outcomes[id]), new(events[id])), options));
        }
    }

    /// <summary>The resources of one patient; <paramref name="records"/> holds only that patient's records.</summary>
    internal static IReadOnlyList<PlannedResource> Resources(PumpPatientRecord patient, PumpRegistry records, ExportOptions options)
    {
        var b = new ResourceBuilder(options.References);
        var patientRef = b.Add(DomainToFhir.PatientResource(patient.RegistryId, patient.Sex, patient.BirthYear), "patient", patient.RegistryId);
        var condition = b.Add(ConditionResource(patient, patientRef), "pump-condition", patient.RegistryId);
        b.Attribute(0, Name(RegistryFiles.RegistryRecords.Patient, patient.RegistryId));
        var ctx = new PumpContext(b, patientRef, condition);

        // Each record's resources are attributed to it, so a finding on a resource points at its row.
        void Each<T>(IEnumerable<T> rows, string kind, Func<T, string> id, Action<T> add)
        {
            foreach (var row in rows)
            {
                var from = b.Planned.Count;
                add(row);
                b.Attribute(from, Name(kind, id(row)));
            }
        }

        Each(records.Trials, "trial", t => t.Id, t =>
        {
            ctx.Trials[t.Id] = b.Add(TrialResource(t, ctx), "pump-trial", t.Id);
            PumpObservations.AddTrialResponse(ctx, t);
        });
        Each(records.Implants, "implant", i => i.Id, i => AddImplant(ctx, i));
        foreach (var group in records.Programmes.GroupBy(p => p.ImplantId, StringComparer.Ordinal))
        {
            Reference? prior = null;
            Each(group.OrderBy(p => p.Start), "programme", p => p.Id, p => prior = AddProgramme(ctx, p, prior));
        }

        Each(records.Refills, "refill", r => r.Id, r => AddRefill(ctx, r));
        Each(records.Interrogations, "interrogation", q => q.Id, q => AddInterrogation(ctx, q));
        Each(records.Outcomes, "outcome", o => o.Id, o => PumpObservations.AddOutcomes(ctx, [o]));
        Each(records.Events, "event", e => e.Id, e => PumpObservations.AddEvents(ctx, [e]));
        return b.Planned;
    }

    private static Condition ConditionResource(PumpPatientRecord p, Reference patient) => new()
    {
        Meta = Meta("itp-condition"),
        Identifier = [Id("pump-condition", p.RegistryId)],
        ClinicalStatus = Concept("http://terminology.hl7.org/CodeSystem/condition-clinical", "active"),
        VerificationStatus = Concept("http://terminology.hl7.org/CodeSystem/condition-ver-status", "confirmed"),
        Category = [Concept("http://terminology.hl7.org/CodeSystem/condition-category", "problem-list-item")],
        Code = PumpTerms.Indication.Concept(p.Indication),
        Subject = patient.Clone(),
        Onset = p.OnsetYear is { } y ? new FhirDateTime(y.ToString("0000", CultureInfo.InvariantCulture)) : null,
    };

    private static MedicationAdministration TrialResource(TrialRecord t, PumpContext ctx)
    {
        var ma = new MedicationAdministration
        {
            Meta = Meta("itp-trial-bolus"),
            Identifier = [Id("pump-trial", t.Id)],
            Status = "completed",
            Medication = PumpTerms.DrugConcept(t.Drug),
            Subject = ctx.Patient.Clone(),
            Effective = Day(t.Date),
            ReasonReference = [ctx.Condition.Clone()],
            Dosage = new MedicationAdministration.DosageComponent
            {
                Route = Concept(PumpTerms.V3Route, "ITINJ", "Injection, intrathecal"),
                Method = Concept(Sct, "397801003", "Single bolus"),
                Dose = Qty(t.DoseUg, "ug"),
            },
        };
        return ma;
    }

    private static void AddImplant(PumpContext ctx, ImplantRecord i)
    {
        var pump = new Device
        {
            Meta = Meta("itp-pump"),
            Identifier = [Id("pump-device", i.Id)],
            UdiCarrier = [new Device.UdiCarrierComponent { DeviceIdentifier = i.Pump.UdiDeviceIdentifier, Issuer = "http://hl7.org/fhir/NamingSystem/gs1-di", CarrierHRF = i.Pump.UdiCarrier }],
            Status = i.Explant is null ? "active" : "inactive",
            Manufacturer = i.Pump.Manufacturer,
            LotNumber = i.Pump.LotNumber,
            SerialNumber = i.Pump.SerialNumber,
            ModelNumber = i.Pump.Model,
            Type = Concept(Sct, "360041000", "Implanted drug delivery system"),
            Patient = ctx.Patient.Clone(),
            Property = [new Device.PropertyComponent { Type = Concept(PumpTerms.PropertyCs, "reservoir-volume"), ValueQuantity = [Qty(i.Pump.ReservoirMl, "mL")] }],
        };
        var pumpRef = ctx.Builder.Add(pump, "pump-device", i.Id);
        var catheterGone = i.Explant is { CatheterKept: false };
        var catheter = new Device
        {
            Meta = Meta("itp-catheter"),
            Identifier = [Id("pump-catheter", i.Id)],
            Status = catheterGone ? "inactive" : "active",
            LotNumber = i.Catheter.LotNumber,
            ModelNumber = i.Catheter.Model,
            Type = Concept(Sct, "35870000", "Cerebrospinal catheter, device"),
            Patient = ctx.Patient.Clone(),
            Parent = pumpRef.Clone(),
            Property = i.Catheter.TipLevel is { } level ? [new Device.PropertyComponent { Type = Concept(PumpTerms.PropertyCs, "catheter-tip-level"), ValueCode = [PumpTerms.Level.Concept(level)] }] : [],
        };
        var catheterRef = ctx.Builder.Add(catheter, "pump-catheter", i.Id);
        ctx.Implants[i.Id] = (pumpRef, catheterRef);
        ctx.Builder.Add(Procedure("itp-implant", "pump-implant", i.Id, "implant", i.Date, ctx, (Insertion, pumpRef), (Insertion, catheterRef)), "pump-implant", i.Id);
        if (i.Explant is { } x)
        {
            var removed = x.CatheterKept ? new[] { (Removal, pumpRef) } : [(Removal, pumpRef), (Removal, catheterRef)];
            var explant = Procedure("itp-explant", "pump-explant", i.Id, "explant", x.Date, ctx, removed);
            explant.ReasonCode.Add(PumpTerms.ExplantReasonCode.Concept(x.Reason));
            ctx.Builder.Add(explant, "pump-explant", i.Id);
        }
    }

    private static Reference AddProgramme(PumpContext ctx, ProgrammeRecord p, Reference? prior)
    {
        var (pump, catheter) = ctx.Implant(p.ImplantId, p.Id);
        var concentration = new Extension { Url = Ext("itp-concentration"), Value = Qty(p.ConcentrationUgPerMl, "ug/mL") };
        var dosages = new List<Dosage> { Dosage(PumpTerms.Mode.Concept(p.Mode), rate: p.BasalUgPerDay) };
        dosages.AddRange(p.FlexSteps.Select(s => Dosage(PumpTerms.Mode.Concept(InfusionMode.Flex), rate: s.RateUgPerDay, timing: new Timing
        {
            Repeat = new Timing.RepeatComponent { TimeOfDay = [s.Start.ToString("HH:mm:ss", CultureInfo.InvariantCulture)] },
        })));
        if (p.Ptm is { } ptm)
        {
            var bolus = Dosage(Concept(CodeSystem("itp-infusion-mode"), PumpTerms.PtmBolusMode), dose: ptm.BolusUg, timing: new Timing
            {
                Repeat = new Timing.RepeatComponent { Frequency = ptm.MaxBolusesPerDay, Period = 1m, PeriodUnit = "d" },
            });
            bolus.AsNeeded = new FhirBoolean(true);
            bolus.MaxDosePerPeriod = new Ratio { Numerator = Qty(ptm.BolusUg * ptm.MaxBolusesPerDay, "ug"), Denominator = Qty(1m, "d") };
            bolus.Extension.Add(new Extension { Url = Ext("itp-ptm-lockout"), Value = new Duration { Value = ptm.LockoutMinutes, Unit = "min", System = Ucum, Code = "min" } });
            dosages.Add(bolus);
        }

        var request = new MedicationRequest
        {
            Meta = Meta("itp-programme"),
            Extension = [concentration],
            Identifier = [Id("pump-programme", p.Id)],
            Status = p.End is null ? "active" : "completed",
            Intent = "order",
            Medication = PumpTerms.DrugConcept(p.Drug),
            Subject = ctx.Patient.Clone(),
            AuthoredOn = Day(p.Start),
            ReasonReference = [ctx.Condition.Clone()],
            SupportingInformation = [pump.Clone()],
            PriorPrescription = prior?.Clone(),
            DosageInstruction = dosages,
        };
        var requestRef = ctx.Builder.Add(request, "pump-programme", p.Id);
        var segment = new MedicationAdministration
        {
            Meta = Meta("itp-delivery-segment"),
            Extension = [new Extension { Url = concentration.Url, Value = Qty(p.ConcentrationUgPerMl, "ug/mL") }],
            Identifier = [Id("pump-segment", p.Id)],
            Status = p.End is null ? "in-progress" : "completed",
            Medication = PumpTerms.DrugConcept(p.Drug),
            Subject = ctx.Patient.Clone(),
            Effective = new Period { Start = Day(p.Start), End = p.End is { } end ? Day(end) : null },
            Request = requestRef.Clone(),
            Device = [pump.Clone(), catheter.Clone()],
            Dosage = new MedicationAdministration.DosageComponent
            {
                Route = Concept(PumpTerms.V3Route, "IT", "Infusion, intrathecal"),
                Method = PumpTerms.Mode.Concept(p.Mode),
                Rate = Qty(p.MeanUgPerDay, "ug/d"),
            },
        };
        ctx.Builder.Add(segment, "pump-segment", p.Id);
        return requestRef;
    }

    private static Dosage Dosage(CodeableConcept method, decimal? rate = null, decimal? dose = null, Timing? timing = null) => new()
    {
        Timing = timing,
        Route = Concept(PumpTerms.V3Route, "IT", "Infusion, intrathecal"),
        Method = method,
        DoseAndRate = [new Dosage.DoseAndRateComponent { Rate = rate is { } r ? Qty(r, "ug/d") : null, Dose = dose is { } d ? Qty(d, "ug") : null }],
    };

    private static void AddRefill(PumpContext ctx, RefillRecord r)
    {
        var (pump, _) = ctx.Implant(r.ImplantId, r.Id);
        var fill = ctx.Builder.Add(
            new Medication
            {
                Meta = Meta("itp-pump-fill"),
                Identifier = [Id("pump-fill", r.Id)],
                Code = PumpTerms.DrugConcept(r.Drug),
                Status = "active",
                Form = Concept(Sct, "385229008", "Infusion solution"),
                Ingredient = [new Medication.IngredientComponent { Item = PumpTerms.DrugConcept(r.Drug), IsActive = true, Strength = new Ratio { Numerator = Qty(r.ConcentrationUgPerMl, "ug"), Denominator = Qty(1m, "mL") } }],
                Batch = new Medication.BatchComponent { LotNumber = r.LotNumber },
            },
            "pump-fill",
            r.Id);
        var procedure = Procedure("itp-refill", "pump-refill", r.Id, "refill", r.Date, ctx, (Adjustment, pump));
        procedure.UsedReference.Add(fill.Clone());
        var refill = ctx.Builder.Add(procedure, "pump-refill", r.Id);
        ctx.Refills[r.Id] = refill;
        PumpObservations.AddRefillReading(ctx, r, pump, refill);
    }

    private static void AddInterrogation(PumpContext ctx, InterrogationRecord q)
    {
        var (pump, _) = ctx.Implant(q.ImplantId, q.Id);
        var procedure = ctx.Builder.Add(Procedure("itp-interrogation", "pump-interrogation", q.Id, q.Reprogrammed ? "reprogramming" : "interrogation", q.Date, ctx, (Adjustment, pump)), "pump-interrogation", q.Id);
        PumpObservations.AddInterrogationReading(ctx, q, pump, procedure);
    }

    private static readonly CodeableConcept Insertion = Concept(Sct, "257867005", "Insertion - action");
    private static readonly CodeableConcept Removal = Concept(Sct, "129303008", "Removal - action");
    private static readonly CodeableConcept Adjustment = Concept(Sct, "129426002", "Adjustment - action");

    private static Procedure Procedure(string profile, string kind, string id, string code, DateOnly date, PumpContext ctx, params (CodeableConcept Action, Reference Device)[] devices) => new()
    {
        Meta = Meta(profile),
        Identifier = [Id(kind, id)],
        Status = "completed",
        Code = Concept(PumpTerms.ProcedureCs, code),
        Subject = ctx.Patient.Clone(),
        Performed = Day(date),
        FocalDevice = devices.Select(d => new Procedure.FocalDeviceComponent { Action = Concept(d.Action.Coding[0].System!.Value!, d.Action.Coding[0].Code!.Value!, d.Action.Coding[0].Display?.Value), Manipulated = d.Device.Clone() }).ToList(),
    };

    private static string Name(string kind, string id) => RegistryFiles.RegistryRecords.Name(kind, id);

    internal static FhirDateTime Day(DateOnly d) => new(d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
}

/// <summary>One patient's mapping state: the builder, the patient and condition, and the references handed out so far.</summary>
internal sealed class PumpContext(ResourceBuilder builder, Reference patient, Reference condition)
{
    public ResourceBuilder Builder { get; } = builder;

    public Reference Patient { get; } = patient;

    public Reference Condition { get; } = condition;

    public Dictionary<string, Reference> Trials { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, (Reference Pump, Reference Catheter)> Implants { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, Reference> Refills { get; } = new(StringComparer.Ordinal);

    public (Reference Pump, Reference Catheter) Implant(string implantId, string recordId) =>
        Implants.TryGetValue(implantId, out var devices) ? devices
        : throw new InvalidDataException($"{recordId}: implant {implantId} is not one of this patient's implants (run PumpRules.Check first)");
}
