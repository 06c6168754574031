using System.Globalization;
using FhirIntrathecal.Domain;
using FhirIntrathecal.Domain.Pump;
using static FhirIntrathecal.Mapping.RegistryFiles.RowFormatters;

namespace FhirIntrathecal.Mapping.RegistryFiles.Pump;

/// <summary>
/// One table per pump registry file: its columns, and how a row becomes a record and back. Rows are read through the
/// shared <see cref="FieldReader"/> (first bad field = the row's located error), so CSV and JSON read alike.
/// </summary>
internal sealed record PumpTable<T>(string File, string Section, string[] Columns, Func<FieldReader, T> Parse, Func<T, string[]> Format)
{
    /// <summary>How a record of this table is named in diagnostics (<c>refill P001-I1-R02</c>): the section, singular.</summary>
    public string Kind => Section[..^1];

    /// <summary>The table as a registry section: its own id (first column) is the record's name and must be unique.</summary>
    public RegistrySection<T> AsSection() => new(Kind, Columns[0], Columns, Parse, row => Format(row)[0]);
}

internal static class PumpRows
{
    public static readonly PumpTable<PumpPatientRecord> Patients = new(
        "patients.csv", "patients", ["patient_id", "sex", "birth_year", "indication", "indication_onset_year"],
        r => new(r.Id("patient_id"), r.Enum("sex", Codes.Sex), r.Int("birth_year"), r.Enum("indication", PumpCodes.Indication), r.OptionalInt("indication_onset_year")),
        p => [p.RegistryId, Codes.Sex.Format(p.Sex), S(p.BirthYear), PumpCodes.Indication.Format(p.Indication), S(p.OnsetYear)]);

    public static readonly PumpTable<TrialRecord> Trials = new(
        "trials.csv", "trials", ["trial_id", "patient_id", "date", "drug", "dose_ug", "positive"],
        r => new(r.Id("trial_id"), r.Text("patient_id"), r.Date("date"), r.Enum("drug", PumpCodes.Drug), r.Decimal("dose_ug"), r.OptionalBool("positive")),
        t => [t.Id, t.PatientId, S(t.Date), PumpCodes.Drug.Format(t.Drug), S(t.DoseUg), S(t.Positive)]);

    public static readonly PumpTable<ImplantRecord> Implants = new(
        "implants.csv", "implants",
        [
            "implant_id", "patient_id", "date", "pump_udi_di", "pump_udi_carrier", "pump_serial", "pump_lot", "pump_model", "pump_manufacturer",
            "reservoir_ml", "catheter_model", "catheter_lot", "catheter_tip_level", "explant_date", "explant_reason", "catheter_kept",
        ],
        Implant,
        i =>
        [
            i.Id, i.PatientId, S(i.Date), i.Pump.UdiDeviceIdentifier, i.Pump.UdiCarrier, i.Pump.SerialNumber, i.Pump.LotNumber, i.Pump.Model,
            i.Pump.Manufacturer, S(i.Pump.ReservoirMl), i.Catheter.Model, i.Catheter.LotNumber, i.Catheter.TipLevel is { } l ? PumpCodes.Level.Format(l) : string.Empty,
            S(i.Explant?.Date), i.Explant is { } x ? PumpCodes.ExplantReason.Format(x.Reason) : string.Empty, S(i.Explant?.CatheterKept),
        ]);

    public static readonly PumpTable<ProgrammeRecord> Programmes = new(
        "programmes.csv", "programmes",
        ["programme_id", "implant_id", "start", "end", "drug", "concentration_ug_ml", "mode", "basal_ug_d", "flex_steps", "ptm_bolus_ug", "ptm_lockout_min", "ptm_max_per_day"],
        Programme,
        p =>
        [
            p.Id, p.ImplantId, S(p.Start), S(p.End), PumpCodes.Drug.Format(p.Drug), S(p.ConcentrationUgPerMl), PumpCodes.Mode.Format(p.Mode), S(p.BasalUgPerDay),
            string.Join(';', p.FlexSteps.Select(s => $"{s.Start.ToString("HH:mm", CultureInfo.InvariantCulture)}={S(s.RateUgPerDay)}")),
            S(p.Ptm?.BolusUg), S(p.Ptm?.LockoutMinutes), S(p.Ptm?.MaxBolusesPerDay),
        ]);

    public static readonly PumpTable<RefillRecord> Refills = new(
        "refills.csv", "refills",
        ["refill_id", "implant_id", "date", "expected_ml", "aspirated_ml", "fill_ml", "drug", "concentration_ug_ml", "lot", "low_reservoir_date"],
        r => new(
            r.Id("refill_id"), r.Text("implant_id"), r.Date("date"), r.Decimal("expected_ml"), r.Decimal("aspirated_ml"), r.Decimal("fill_ml"),
            r.Enum("drug", PumpCodes.Drug), r.Decimal("concentration_ug_ml"), r.Text("lot"), r.OptionalDate("low_reservoir_date")),
        f => [f.Id, f.ImplantId, S(f.Date), S(f.ExpectedMl), S(f.AspiratedMl), S(f.FillMl), PumpCodes.Drug.Format(f.Drug), S(f.ConcentrationUgPerMl), f.LotNumber, S(f.LowReservoirDate)]);

    public static readonly PumpTable<InterrogationRecord> Interrogations = new(
        "interrogations.csv", "interrogations", ["interrogation_id", "implant_id", "date", "reprogrammed", "alarms", "eri", "expected_ml"],
        r => new(
            r.Id("interrogation_id"), r.Text("implant_id"), r.Date("date"), Required(r, "reprogrammed"),
            List<PumpAlarm>(r, "alarms", "alarm codes", PumpCodes.Alarm.TryParse, PumpCodes.Alarm.Allowed),
            Required(r, "eri"), r.OptionalDecimal("expected_ml")),
        q => [q.Id, q.ImplantId, S(q.Date), S(q.Reprogrammed), string.Join(';', q.Alarms.Select(PumpCodes.Alarm.Format)), S(q.ElectiveReplacement), S(q.ExpectedMl)]);

    public static readonly PumpTable<OutcomeRecord> Outcomes = new(
        "outcomes.csv", "outcomes", ["outcome_id", "patient_id", "date", "mas", "penn_frequency", "penn_severity", "pain_nrs", "odi_pct"],
        r => new(
            r.Id("outcome_id"), r.Text("patient_id"), r.Date("date"),
            List<MasScore>(r, "mas", "muscle:side:grade items", TryMas, $"{PumpCodes.Muscle.Allowed} : {PumpCodes.Side.Allowed} : {PumpCodes.Mas.Allowed}"),
            r.OptionalInt("penn_frequency"), r.OptionalInt("penn_severity"), r.OptionalInt("pain_nrs"), r.OptionalDecimal("odi_pct")),
        o =>
        [
            o.Id, o.PatientId, S(o.Date),
            string.Join(';', o.Mas.Select(m => $"{PumpCodes.Muscle.Format(m.Muscle)}:{PumpCodes.Side.Format(m.Side)}:{PumpCodes.Mas.Format(m.Grade)}")),
            S(o.PennFrequency), S(o.PennSeverity), S(o.PainNrs), S(o.OdiPercent),
        ]);

    public static readonly PumpTable<PumpEventRecord> Events = new(
        "events.csv", "events", ["event_id", "patient_id", "implant_id", "date", "kind", "severity", "outcome"],
        r => new(
            r.Id("event_id"), r.Text("patient_id"), r.OptionalText("implant_id"), r.Date("date"), r.Enum("kind", PumpCodes.Complication),
            r.Enum("severity", Codes.Severity), r.Enum("outcome", Codes.AeOutcome)),
        e => [e.Id, e.PatientId, e.ImplantId ?? string.Empty, S(e.Date), PumpCodes.Complication.Format(e.Kind), Codes.Severity.Format(e.Severity), Codes.AeOutcome.Format(e.Outcome)]);

    private static ImplantRecord Implant(FieldReader r)
    {
        var id = r.Id("implant_id");
        var patient = r.Text("patient_id");
        var date = r.Date("date");
        var pump = new PumpDevice(r.Text("pump_udi_di"), r.Text("pump_udi_carrier"), r.Text("pump_serial"), r.Text("pump_lot"), r.Text("pump_model"), r.Text("pump_manufacturer"), r.Decimal("reservoir_ml"));
        var catheter = new CatheterDevice(r.Text("catheter_model"), r.Text("catheter_lot"), r.OptionalEnum("catheter_tip_level", PumpCodes.Level));
        var explantDate = r.OptionalDate("explant_date");
        var reason = r.OptionalEnum("explant_reason", PumpCodes.ExplantReason);
        var kept = r.OptionalBool("catheter_kept");
        var explant = r.AllOrNone("explant_date", "explant_date, explant_reason and catheter_kept are given together or not at all", () => new Explant(explantDate!.Value, reason!.Value, kept!.Value), explantDate, reason, kept);
        return new ImplantRecord(id, patient, date, pump, catheter, explant);
    }

    private static ProgrammeRecord Programme(FieldReader r)
    {
        var id = r.Id("programme_id");
        var implant = r.Text("implant_id");
        var start = r.Date("start");
        var end = r.OptionalDate("end");
        var drug = r.Enum("drug", PumpCodes.Drug);
        var concentration = r.Decimal("concentration_ug_ml");
        var mode = r.Enum("mode", PumpCodes.Mode);
        var basal = r.Decimal("basal_ug_d");
        var steps = List<FlexStep>(r, "flex_steps", "HH:mm=rate items", TryFlexStep, "HH:mm=ug/d");
        var bolus = r.OptionalDecimal("ptm_bolus_ug");
        var lockout = r.OptionalInt("ptm_lockout_min");
        var max = r.OptionalInt("ptm_max_per_day");
        var ptm = r.AllOrNone("ptm_bolus_ug", "ptm_bolus_ug, ptm_lockout_min and ptm_max_per_day are given together or not at all", () => new PtmSettings(bolus!.Value, lockout!.Value, max!.Value), bolus, lockout, max);
        return new ProgrammeRecord(id, implant, start, end, drug, concentration, mode, basal, steps, ptm);
    }

    private static bool TryFlexStep(string item, out FlexStep step)
    {
        step = null!;
        if (item.Split('=') is [var time, var rate]
            && TimeOnly.TryParseExact(time.Trim(), "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var t)
            && decimal.TryParse(rate.Trim(), NumberStyles.Number, CultureInfo.InvariantCulture, out var d))
        {
            step = new FlexStep(t, d);
        }

        return step is not null;
    }

    private static bool TryMas(string item, out MasScore score)
    {
        score = null!;
        if (item.Split(':') is [var muscle, var side, var grade]
            && PumpCodes.Muscle.TryParse(muscle, out var m) && PumpCodes.Side.TryParse(side, out var s) && PumpCodes.Mas.TryParse(grade, out var g))
        {
            score = new MasScore(m, s, g);
        }

        return score is not null;
    }

    private delegate bool TryParseItem<T>(string item, out T value);

    /// <summary>A ';'-separated list column; an item that does not parse fails the row, naming the item and the expected form.</summary>
    private static ValueList<T> List<T>(FieldReader r, string column, string what, TryParseItem<T> parse, string allowed)
    {
        var items = new List<T>();
        foreach (var item in (r.OptionalText(column) ?? string.Empty).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (parse(item, out var value))
            {
                items.Add(value);
            }
            else
            {
                r.Fail(column, $"'{item}' is not one of the {what} ({allowed})", 0);
            }
        }

        return new(items);
    }

    private static bool Required(FieldReader r, string column) => r.OptionalBool(column) ?? r.Fail(column, "is required (yes|no)", false);
}
