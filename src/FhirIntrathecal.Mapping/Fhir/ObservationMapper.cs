using System.Globalization;
using FhirIntrathecal.Domain;
using FhirIntrathecal.Fhir.Model;
using static FhirIntrathecal.Mapping.Fhir.Itm;

namespace FhirIntrathecal.Mapping.Fhir;

/// <summary>The observations that follow one administration (sedation, NRS, relief, responder, duration, neurotoxicity).</summary>
internal static class ObservationMapper
{
    public static readonly CodeableConcept Survey = Concept("http://terminology.hl7.org/CodeSystem/observation-category", "survey", "Survey");

    public static void Add(ResourceBuilder b, AdministrationRecord a, Reference patient, Reference admin, FhirDateTime date)
    {
        Reference Put(Observation o, string suffix)
        {
            o.Identifier.Add(Id("observation", $"{a.Id}-{suffix}"));
            return b.Add(o, "observation", $"{a.Id}-{suffix}");
        }

        Observation Obs(string profile, CodeableConcept code, FhirDateTime when, DataType? value) => AdministrationMapper.Obs(a, profile, code, patient, when, admin, value);

        if (a.Sedation is { } s)
        {
            var o = Obs("itm-sedation", Concept(ObsCs, "sedation-score"), date, Concept(CodeSystem("sedation-4pt"), s.Score.ToString(CultureInfo.InvariantCulture)));
            o.Category.Add(Survey);
            Put(o, "sedation");
        }

        if (a.Pain is { } pain)
        {
            var nrsCode = Concept(Loinc, "72514-3", "Pain severity - 0-10 verbal numeric rating [Score] - Reported");
            var baseline = Obs("itm-pain-nrs", nrsCode, date, new Integer(pain.NrsBaseline));
            baseline.Category.Add(Survey);
            var baselineRef = Put(baseline, "nrs-baseline");
            if (pain.FollowUp is { } f)
            {
                var when = new FhirDateTime(f.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                var follow = Obs("itm-pain-nrs", Concept(Loinc, "72514-3", "Pain severity - 0-10 verbal numeric rating [Score] - Reported"), when, new Integer(f.Nrs));
                follow.Category.Add(Survey);
                if (f.FunctionImproved is { } better)
                {
                    follow.Component.Add(FunctionImproved(better));
                }

                var followRef = Put(follow, "nrs-followup");
                if (pain.ReliefPercent is { } pct)
                {
                    var relief = Obs("itm-pain-relief", Concept(ObsCs, "pain-relief-pct"), when, Qty(pct, "%"));
                    relief.DerivedFrom.Add(baselineRef.Clone());
                    relief.DerivedFrom.Add(followRef.Clone());
                    var reliefRef = Put(relief, "relief");
                    if (pain.Responder is { } responder)
                    {
                        var r = Obs("itm-responder", Concept(ObsCs, "responder"), when, new FhirBoolean(responder));
                        r.DerivedFrom.Add(reliefRef.Clone());
                        r.Component.Add(FunctionImproved(f.FunctionImproved!.Value));
                        Put(r, "responder");
                    }
                }
            }
        }

        var duration = Obs("itm-analgesia-duration", Concept(ObsCs, "analgesia-duration"), date, null);
        if (a.Outcome.KnownWeeks is { } weeks)
        {
            duration.Value = Qty(weeks, "wk");
        }
        else
        {
            duration.DataAbsentReason = Concept("http://terminology.hl7.org/CodeSystem/data-absent-reason", "unknown", "Unknown");
        }

        Put(duration, "duration");
        if (a.Neurotoxicity is { } n)
        {
            var o = Obs("itm-neurotox-screen", Concept(ObsCs, "neurotox-screen"), date, null);
            o.Category.Add(Concept("http://terminology.hl7.org/CodeSystem/observation-category", "exam", "Exam"));
            o.Component.Add(Presence("bladder-dysfunction", n.BladderDysfunction));
            o.Component.Add(Presence("bowel-dysfunction", n.BowelDysfunction));
            o.Component.Add(Presence("new-radiculopathy", n.NewRadiculopathy));
            Put(o, "neurotox");
        }
    }

    private static Observation.ComponentComponent FunctionImproved(bool better) =>
        new() { Code = Concept(ObsCs, "function-improved"), Value = new FhirBoolean(better) };

    private static Observation.ComponentComponent Presence(string code, bool present) => new()
    {
        Code = Concept(ObsCs, code),
        Value = present ? Concept(Sct, "52101004", "Present") : Concept(Sct, "2667000", "Absent"),
    };
}
