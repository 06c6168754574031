using System.Globalization;
using FhirIntrathecal.Domain;
using FhirIntrathecal.Fhir.Model;
using static FhirIntrathecal.Mapping.Fhir.Itm;

namespace FhirIntrathecal.Mapping.Fhir;

/// <summary>One administration → Medication, MedicationAdministration, its Observations and AdverseEvents.</summary>
internal static class AdministrationMapper
{
    /// <summary>Observation business-id suffixes; FHIR → domain reads them back by code, not by suffix.</summary>
    public static void Add(ResourceBuilder b, AdministrationRecord a, Reference patient, Reference condition, Reference study)
    {
        var date = new FhirDateTime(a.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        var medication = b.Add(MedicationResource(a), "medication", a.Id);
        Reference? weight = null;
        if (a.WeightKg is { } kg)
        {
            weight = b.Add(Obs(a, "itm-body-weight", Concept(Loinc, "29463-7", "Body weight"), patient, date, null, Qty(kg, "kg")), "observation", $"{a.Id}-weight");
        }

        var ma = new MedicationAdministration
        {
            Meta = Meta("itm-administration"),
            Extension =
            [
                new Extension { Url = Ext("needle-gauge"), Value = new Integer(a.NeedleGauge) },
                new Extension { Url = Ext("patient-position"), Value = Terms.Position.Concept(a.Position) },
                new Extension { Url = Ext("lumbar-interspace"), Value = Terms.Level.Concept(a.Level) },
                new Extension { Url = Ext("bed-rest"), Value = Qty(a.BedRestHours, "h") },
                new Extension { Url = Ext("treatment-stage"), Value = Terms.Stage.Concept(a.Stage) },
            ],
            Identifier = [Id("administration", a.Id)],
            Status = "completed",
            Medication = medication,
            Subject = patient,
            Effective = date,
            ReasonReference = [condition.Clone()],
            Dosage = new MedicationAdministration.DosageComponent
            {
                Site = Concept(Sct, "122496007", "Structure of lumbar vertebral column"),
                Route = Concept(Sct, "72607000", "Intrathecal route"),
                Method = Concept(Sct, "422145002", "Inject"),
                Dose = Qty(a.DoseMg, "mg"),
            },
        };
        if (weight is not null)
        {
            ma.SupportingInformation.Add(weight.Clone());
        }

        var admin = b.Add(ma, "administration", a.Id);
        ObservationMapper.Add(b, a, patient, admin, date);
        foreach (var e in a.AdverseEvents)
        {
            b.Add(
                new AdverseEvent
                {
                    Meta = Meta("itm-adverse-event"),
                    Identifier = Id("adverse-event", $"{a.Id}-{e.Kind}"),
                    Actuality = "actual",
                    Event = Terms.AdverseEvent.Concept(e.Kind),
                    Subject = patient.Clone(),
                    Date = date,
                    Severity = Terms.Severity.Concept(e.Severity),
                    Outcome = Terms.AeOutcome.Concept(e.Outcome),
                    SuspectEntity = [new AdverseEvent.SuspectEntityComponent { Instance = admin.Clone() }],
                    Study = [study.Clone()],
                },
                "adverse-event",
                $"{a.Id}-{e.Kind}");
        }
    }

    private static Medication MedicationResource(AdministrationRecord a)
    {
        var inj = a.Injectate;
        return new Medication
        {
            Meta = Meta("itm-midazolam"),
            Extension =
            [
                new Extension { Url = Ext("preservative-free"), Value = new FhirBoolean(true) },
                new Extension { Url = Ext("injectate-volume"), Value = Qty(inj.VolumeMl, "mL") },
            ],
            Identifier = [Id("medication", a.Id)],
            Code = new CodeableConcept { Coding = [Coding(Sct, "26800000", "Product containing midazolam")], Text = inj.Product },
            Status = "active",
            Form = Concept(Sct, "385219001", "Injection solution"),
            Ingredient =
            [
                new Medication.IngredientComponent
                {
                    Item = Concept(Sct, "373476007", "Midazolam"),
                    IsActive = true,
                    // Strength as dose per total volume, exactly (no division), so FHIR → domain is lossless.
                    Strength = new Ratio { Numerator = Qty(a.DoseMg, "mg"), Denominator = Qty(inj.VolumeMl, "mL") },
                },
                new Medication.IngredientComponent { Item = Terms.Diluent.Concept(inj.Diluent), IsActive = false },
            ],
            Batch = inj.LotNumber is { } lot ? new Medication.BatchComponent { LotNumber = lot } : null,
        };
    }

    internal static Observation Obs(AdministrationRecord a, string profile, CodeableConcept code, Reference patient, FhirDateTime date, Reference? partOf, DataType? value)
    {
        var o = new Observation
        {
            Meta = Meta(profile),
            Status = "final",
            Code = code,
            Subject = patient.Clone(),
            Effective = new FhirDateTime(date.Value),
            Value = value,
        };
        if (partOf is not null)
        {
            o.PartOf.Add(partOf.Clone());
        }

        _ = a;
        return o;
    }
}
