using FhirIntrathecal.Domain;

namespace FhirIntrathecal.Mapping.RegistryFiles;

/// <summary>Registry rows (CSV columns or JSON properties, both by the same names) → domain records.</summary>
internal static class RowParsers
{
    public static PatientRecord Patient(FieldReader r) => new(
        r.Id("patient_id"),
        r.Enum("sex", Codes.Sex),
        r.Int("birth_year"),
        new Diagnosis(r.Enum("diagnosis", Codes.Diagnosis), r.OptionalInt("diagnosis_onset_year")));

    public static AdministrationRecord Administration(FieldReader r)
    {
        var id = r.Id("administration_id");
        var patient = r.Id("patient_id");
        var date = r.Date("date");
        var dose = r.Decimal("dose_mg");
        var injectate = new Injectate(r.Text("product"), r.OptionalText("lot"), r.Enum("diluent", Codes.Diluent), r.Decimal("volume_ml"));
        var gauge = r.Int("needle_gauge");
        var position = r.Enum("position", Codes.Position);
        var level = r.Enum("level", Codes.Level);
        var bedRest = r.Decimal("bed_rest_h");
        var stage = r.Enum("stage", Codes.Stage);
        var weight = r.OptionalDecimal("weight_kg");
        var sedation = r.OptionalInt("sedation") is { } s ? new Sedation(s) : null;
        var baseline = r.OptionalInt("nrs_baseline");
        var followUp = r.OptionalInt("nrs_followup");
        var followUpDate = r.OptionalDate("followup_date");
        var better = r.OptionalBool("function_improved");
        FollowUp? follow = null;
        if (followUp is { } nrs && followUpDate is { } when)
        {
            follow = new FollowUp(when, nrs, better);
        }
        else if ((followUp ?? (object?)followUpDate ?? better) is not null)
        {
            r.Fail(followUp is null ? "nrs_followup" : "followup_date", "nrs_followup and followup_date are given together (function_improved only with them)", 0);
        }

        var pain = baseline is { } b ? new PainAssessment(b, follow) : null;
        if (baseline is null && follow is not null)
        {
            r.Fail("nrs_baseline", "is required when follow-up values are given", 0);
        }

        var outcome = Outcome(r);
        var bladder = r.OptionalBool("neurotox_bladder");
        var bowel = r.OptionalBool("neurotox_bowel");
        var radic = r.OptionalBool("neurotox_radiculopathy");
        var neuro = r.AllOrNone("neurotox_bladder", "the three neurotox_* columns are given together or not at all", () => new NeurotoxicityScreen(bladder!.Value, bowel!.Value, radic!.Value), bladder, bowel, radic);

        var events = AdverseEvents(r);
        return new AdministrationRecord(id, patient, date, dose, injectate, gauge, position, level, bedRest, stage, weight, sedation, pain, outcome, neuro, events);
    }

    private static ReliefOutcome Outcome(FieldReader r)
    {
        var kind = r.Enum("relief", Codes.Relief);
        var weeks = r.OptionalInt("relief_weeks");
        return kind switch
        {
            ReliefKind.Relief when weeks is >= 1 => new ReliefOutcome(ReliefKind.Relief, weeks),
            ReliefKind.Relief => r.Fail("relief_weeks", "must be 1 or more when relief is 'weeks'", ReliefOutcome.Unknown),
            ReliefKind.NoEffect when weeks is null or 0 => ReliefOutcome.NoEffect,
            ReliefKind.Unknown when weeks is null => ReliefOutcome.Unknown,
            _ => r.Fail("relief_weeks", $"must be empty when relief is '{Codes.Relief.Format(kind)}'", ReliefOutcome.Unknown),
        };
    }

    /// <summary>Format: <c>kind:severity:outcome</c> items separated by ';', e.g. <c>drowsiness:mild:resolved;nausea:mild:resolved</c>.</summary>
    private static ValueList<AdverseEventRecord> AdverseEvents(FieldReader r)
    {
        var text = r.OptionalText("adverse_events");
        if (text is null)
        {
            return new([]);
        }

        var list = new List<AdverseEventRecord>();
        foreach (var item in text.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = item.Split(':');
            if (parts.Length == 3 && Codes.AdverseEvent.TryParse(parts[0], out var kind) && Codes.Severity.TryParse(parts[1], out var sev) && Codes.AeOutcome.TryParse(parts[2], out var outcome))
            {
                list.Add(new AdverseEventRecord(kind, sev, outcome));
            }
            else
            {
                r.Fail("adverse_events", $"an item is not kind:severity:outcome ({Codes.AdverseEvent.Allowed} : {Codes.Severity.Allowed} : {Codes.AeOutcome.Allowed})", 0, RegistryProblem.Format);
            }
        }

        return new(list);
    }
}
