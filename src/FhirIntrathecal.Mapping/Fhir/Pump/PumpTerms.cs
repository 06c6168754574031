using FhirIntrathecal.Domain.Pump;

namespace FhirIntrathecal.Mapping.Fhir.Pump;

/// <summary>Pump enum ⇄ code tables (profiles/input/fsh/pump-terminology.fsh), one place for both directions.</summary>
internal static class PumpTerms
{
    public const string V3Route = "http://terminology.hl7.org/CodeSystem/v3-RouteOfAdministration";
    public const string Atc = "http://www.whocc.no/atc";
    public static readonly string ObsCs = Itm.CodeSystem("itp-observation");
    public static readonly string ProcedureCs = Itm.CodeSystem("itp-procedure");
    public static readonly string PropertyCs = Itm.CodeSystem("itp-device-property");

    public static readonly CodeMap<PumpIndication> Indication = new(Itm.Sct,
        (PumpIndication.SpinalCordInjury, "90584004", "Spinal cord injury"), (PumpIndication.TraumaticBrainInjury, "127295002", "Traumatic brain injury"),
        (PumpIndication.CerebralPalsy, "128188000", "Cerebral palsy"), (PumpIndication.MultipleSclerosis, "24700007", "Multiple sclerosis"),
        (PumpIndication.Stroke, "230690007", "Cerebrovascular accident"), (PumpIndication.Dystonia, "15802004", "Dystonia"), (PumpIndication.ChronicPain, "82423001", "Chronic pain"));

    /// <summary>Ziconotide has no SNOMED concept in the brief, so it is coded in ATC; <see cref="DrugConcept"/> picks the system.</summary>
    private static readonly CodeMap<PumpDrug> SnomedDrug = new(Itm.Sct,
        (PumpDrug.Baclofen, "387342009", "Baclofen"), (PumpDrug.Morphine, "373529000", "Morphine"), (PumpDrug.Hydromorphone, "44508008", "Hydromorphone"),
        (PumpDrug.Bupivacaine, "387150008", "Bupivacaine"), (PumpDrug.Clonidine, "372805007", "Clonidine"));

    private static readonly CodeMap<PumpDrug> AtcDrug = new(Atc, (PumpDrug.Ziconotide, "N02BG08", "ziconotide"));

    public static FhirIntrathecal.Fhir.Model.CodeableConcept DrugConcept(PumpDrug drug) => drug == PumpDrug.Ziconotide ? AtcDrug.Concept(drug) : SnomedDrug.Concept(drug);

    public static PumpDrug? Drug(FhirIntrathecal.Fhir.Model.CodeableConcept? concept) => SnomedDrug.From(concept) ?? AtcDrug.From(concept);

    public static readonly CodeMap<InfusionMode> Mode = new(Itm.CodeSystem("itp-infusion-mode"),
        (InfusionMode.SimpleContinuous, "simple-continuous", null), (InfusionMode.Flex, "flex", null), (InfusionMode.SingleBolus, "single-bolus", null),
        (InfusionMode.MinimumRate, "minimum-rate", null), (InfusionMode.Stopped, "stopped", null));

    public const string PtmBolusMode = "ptm-bolus";

    public static readonly CodeMap<SpinalLevel> Level = new(Itm.CodeSystem("spinal-level"), Enum.GetValues<SpinalLevel>().Select(l => (l, l.ToString(), (string?)null)).ToArray());

    public static readonly CodeMap<PumpAlarm> Alarm = new(Itm.CodeSystem("itp-alarm"),
        (PumpAlarm.LowReservoir, "low-reservoir", null), (PumpAlarm.ElectiveReplacement, "eri", null), (PumpAlarm.EndOfService, "end-of-service", null),
        (PumpAlarm.MotorStall, "motor-stall", null), (PumpAlarm.Critical, "critical", null));

    public static readonly CodeMap<MuscleGroup> Muscle = new(Itm.CodeSystem("itp-muscle-group"),
        (MuscleGroup.ElbowFlexors, "elbow-flexors", null), (MuscleGroup.WristFlexors, "wrist-flexors", null), (MuscleGroup.HipAdductors, "hip-adductors", null),
        (MuscleGroup.KneeFlexors, "knee-flexors", null), (MuscleGroup.KneeExtensors, "knee-extensors", null), (MuscleGroup.AnklePlantarflexors, "ankle-plantarflexors", null));

    public static readonly CodeMap<Side> Side = new(Itm.Sct, (Domain.Pump.Side.Left, "7771000", "Left"), (Domain.Pump.Side.Right, "24028007", "Right"));

    public static readonly CodeMap<MasGrade> Mas = new(Itm.CodeSystem("mas-grade"),
        (MasGrade.Grade0, "0", null), (MasGrade.Grade1, "1", null), (MasGrade.Grade1Plus, "1+", null), (MasGrade.Grade2, "2", null), (MasGrade.Grade3, "3", null), (MasGrade.Grade4, "4", null));

    private static readonly CodeMap<PumpComplication> LocalComplication = new(Itm.CodeSystem("itp-complication"),
        (PumpComplication.CatheterKink, "catheter-kink", null), (PumpComplication.CatheterOcclusion, "catheter-occlusion", null),
        (PumpComplication.CatheterFracture, "catheter-fracture", null), (PumpComplication.CatheterDisconnection, "catheter-disconnection", null),
        (PumpComplication.Granuloma, "granuloma", null), (PumpComplication.PocketFill, "pocket-fill", null), (PumpComplication.MotorStall, "motor-stall", null));

    private static readonly CodeMap<PumpComplication> SnomedComplication = new(Itm.Sct,
        (PumpComplication.Withdrawal, "363101005", "Drug withdrawal"), (PumpComplication.Overdose, "55680006", "Drug overdose"),
        (PumpComplication.DeviceInfection, "31871009", "Infection AND/OR inflammatory reaction due to internal prosthetic device"),
        (PumpComplication.Meningitis, "7180009", "Meningitis"), (PumpComplication.CsfLeak, "230744007", "Cerebrospinal fluid leak"),
        (PumpComplication.CatheterMigration, "370512004", "Migration of implant or internal device"));

    public static FhirIntrathecal.Fhir.Model.CodeableConcept ComplicationConcept(PumpComplication kind) =>
        LocalComplication.Has(kind) ? LocalComplication.Concept(kind) : SnomedComplication.Concept(kind);

    public static PumpComplication? Complication(FhirIntrathecal.Fhir.Model.CodeableConcept? concept) => LocalComplication.From(concept) ?? SnomedComplication.From(concept);

    /// <summary>Catheter complications name the catheter as the suspect; the others the pump.</summary>
    public static bool IsCatheterComplication(PumpComplication kind) => kind is PumpComplication.CatheterKink or PumpComplication.CatheterOcclusion
        or PumpComplication.CatheterFracture or PumpComplication.CatheterDisconnection or PumpComplication.CatheterMigration or PumpComplication.Granuloma;

    public static readonly CodeMap<ExplantReason> ExplantReasonCode = new(Itm.CodeSystem("itp-explant-reason"),
        (ExplantReason.Replacement, "replacement", null), (ExplantReason.Infection, "infection", null), (ExplantReason.NoLongerNeeded, "no-longer-needed", null),
        (ExplantReason.Death, "death", null), (ExplantReason.Other, "other", null));
}
