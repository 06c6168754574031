using FhirIntrathecal.Domain.Pump;
using FhirIntrathecal.Fhir.Model;
using static FhirIntrathecal.Mapping.Fhir.Itm;

namespace FhirIntrathecal.Mapping.Fhir.Pump;

/// <summary>
/// Pump readings, trial responses, outcomes and events → Observations and AdverseEvents. Outcome observations carry the
/// business id <c>{outcome id}#{part}</c> (<c>#mas:muscle:side</c>, <c>#penn</c>, <c>#nrs</c>, <c>#odi</c>) so
/// <see cref="FhirToPump"/> regroups them into one visit.
/// </summary>
internal static class PumpObservations
{
    public const string OutcomeKind = "pump-outcome";

    public static void AddTrialResponse(PumpContext ctx, TrialRecord t)
    {
        if (t.Positive is { } positive)
        {
            var o = Obs("itp-trial-response", "pump-trial-response", t.Id, Concept(PumpTerms.ObsCs, "trial-response"), ctx, t.Date);
            o.PartOf = [ctx.Trials[t.Id].Clone()];
            o.Value = new FhirBoolean(positive);
            ctx.Builder.Add(o, "pump-trial-response", t.Id);
        }
    }

    public static void AddRefillReading(PumpContext ctx, RefillRecord r, Reference pump, Reference refill)
    {
        var o = Obs("itp-refill-reading", "pump-refill-reading", r.Id, Concept(PumpTerms.ObsCs, "refill-reading"), ctx, r.Date);
        Reading(o, pump, refill);
        o.Component.Add(Component("reservoir-volume-expected", Qty(r.ExpectedMl, "mL")));
        o.Component.Add(Component("reservoir-volume-aspirated", Qty(r.AspiratedMl, "mL")));
        o.Component.Add(Component("fill-volume", Qty(r.FillMl, "mL")));
        if (r.LowReservoirDate is { } low)
        {
            o.Component.Add(Component("low-reservoir-alarm-date", PumpToFhir.Day(low)));
        }

        ctx.Builder.Add(o, "pump-refill-reading", r.Id);
    }

    public static void AddInterrogationReading(PumpContext ctx, InterrogationRecord q, Reference pump, Reference procedure)
    {
        var o = Obs("itp-interrogation-reading", "pump-interrogation-reading", q.Id, Concept(PumpTerms.ObsCs, "interrogation-reading"), ctx, q.Date);
        Reading(o, pump, procedure);
        o.Component.Add(Component("eri-status", new FhirBoolean(q.ElectiveReplacement)));
        foreach (var alarm in q.Alarms)
        {
            o.Component.Add(Component("alarm-event", PumpTerms.Alarm.Concept(alarm)));
        }

        if (q.ExpectedMl is { } expected)
        {
            o.Component.Add(Component("reservoir-volume-expected", Qty(expected, "mL")));
        }

        ctx.Builder.Add(o, "pump-interrogation-reading", q.Id);
    }

    public static void AddOutcomes(PumpContext ctx, IEnumerable<OutcomeRecord> outcomes)
    {
        foreach (var v in outcomes)
        {
            foreach (var m in v.Mas)
            {
                var id = $"{v.Id}#mas:{PumpTerms.Muscle.Concept(m.Muscle).Coding[0].Code!.Value}:{PumpTerms.Side.Concept(m.Side).Coding[0].Display!.Value}";
                var o = Obs("itp-mas", OutcomeKind, id, Concept(PumpTerms.ObsCs, "mas"), ctx, v.Date, "exam");
                o.BodySite = PumpTerms.Muscle.Concept(m.Muscle);
                o.Value = PumpTerms.Mas.Concept(m.Grade);
                o.Component.Add(Component("laterality", PumpTerms.Side.Concept(m.Side)));
                ctx.Builder.Add(o, OutcomeKind, id);
            }

            if (v.PennFrequency is { } frequency)
            {
                var o = Obs("itp-penn", OutcomeKind, $"{v.Id}#penn", Concept(PumpTerms.ObsCs, "penn-spasm-frequency"), ctx, v.Date, "survey");
                o.Value = new Integer(frequency);
                if (v.PennSeverity is { } severity)
                {
                    o.Component.Add(Component("penn-spasm-severity", new Integer(severity)));
                }

                ctx.Builder.Add(o, OutcomeKind, $"{v.Id}#penn");
            }

            if (v.PainNrs is { } nrs)
            {
                var o = Obs("itm-pain-nrs", OutcomeKind, $"{v.Id}#nrs", Concept(Loinc, "72514-3", "Pain severity - 0-10 verbal numeric rating [Score] - Reported"), ctx, v.Date, "survey");
                o.Value = new Integer(nrs);
                ctx.Builder.Add(o, OutcomeKind, $"{v.Id}#nrs");
            }

            if (v.OdiPercent is { } odi)
            {
                var o = Obs("itp-odi", OutcomeKind, $"{v.Id}#odi", Concept(Loinc, "97908-8", "Oswestry Disability Index"), ctx, v.Date, "survey");
                o.Value = Qty(odi, "%");
                ctx.Builder.Add(o, OutcomeKind, $"{v.Id}#odi");
            }
        }
    }

    public static void AddEvents(PumpContext ctx, IEnumerable<PumpEventRecord> events)
    {
        foreach (var e in events)
        {
            var ae = new AdverseEvent
            {
                Meta = Meta("itp-device-event"),
                Identifier = Id("pump-event", e.Id),
                Actuality = "actual",
                Event = PumpTerms.ComplicationConcept(e.Kind),
                Subject = ctx.Patient.Clone(),
                Date = PumpToFhir.Day(e.Date),
                Severity = Terms.Severity.Concept(e.Severity),
                Outcome = Terms.AeOutcome.Concept(e.Outcome),
            };
            if (e.ImplantId is { } implant)
            {
                var (pump, catheter) = ctx.Implant(implant, e.Id);
                ae.SuspectEntity.Add(new AdverseEvent.SuspectEntityComponent { Instance = (PumpTerms.IsCatheterComplication(e.Kind) ? catheter : pump).Clone() });
            }

            ctx.Builder.Add(ae, "pump-event", e.Id);
        }
    }

    private static void Reading(Observation o, Reference pump, Reference procedure)
    {
        o.Category = [Concept("http://terminology.hl7.org/CodeSystem/observation-category", "procedure")];
        o.Device = pump.Clone();
        o.PartOf = [procedure.Clone()];
    }

    private static Observation Obs(string profile, string kind, string id, CodeableConcept code, PumpContext ctx, DateOnly date, string? category = null) => new()
    {
        Meta = Meta(profile),
        Identifier = [Id(kind, id)],
        Status = "final",
        Category = category is null ? [] : [Concept("http://terminology.hl7.org/CodeSystem/observation-category", category)],
        Code = code,
        Subject = ctx.Patient.Clone(),
        Effective = PumpToFhir.Day(date),
    };

    private static Observation.ComponentComponent Component(string code, DataType value) => new() { Code = Concept(PumpTerms.ObsCs, code), Value = value };
}
