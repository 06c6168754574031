using FhirIntrathecal.Domain.Pump;

namespace FhirIntrathecal.Mapping.RegistryFiles.Pump;

/// <summary>The pump registry's spellings of the pump enums (one table for reading and writing).</summary>
internal static class PumpCodes
{
    public static readonly Spelling<PumpIndication> Indication = new(
        ("sci", PumpIndication.SpinalCordInjury), ("tbi", PumpIndication.TraumaticBrainInjury), ("cp", PumpIndication.CerebralPalsy),
        ("ms", PumpIndication.MultipleSclerosis), ("stroke", PumpIndication.Stroke), ("dystonia", PumpIndication.Dystonia), ("chronic-pain", PumpIndication.ChronicPain));

    public static readonly Spelling<PumpDrug> Drug = new(
        ("baclofen", PumpDrug.Baclofen), ("morphine", PumpDrug.Morphine), ("hydromorphone", PumpDrug.Hydromorphone),
        ("ziconotide", PumpDrug.Ziconotide), ("bupivacaine", PumpDrug.Bupivacaine), ("clonidine", PumpDrug.Clonidine));

    public static readonly Spelling<InfusionMode> Mode = new(
        ("simple-continuous", InfusionMode.SimpleContinuous), ("flex", InfusionMode.Flex), ("single-bolus", InfusionMode.SingleBolus),
        ("minimum-rate", InfusionMode.MinimumRate), ("stopped", InfusionMode.Stopped));

    public static readonly Spelling<SpinalLevel> Level = new(Enum.GetValues<SpinalLevel>().Select(l => (l.ToString(), l)).ToArray());

    public static readonly Spelling<PumpAlarm> Alarm = new(
        ("low-reservoir", PumpAlarm.LowReservoir), ("eri", PumpAlarm.ElectiveReplacement), ("end-of-service", PumpAlarm.EndOfService),
        ("motor-stall", PumpAlarm.MotorStall), ("critical", PumpAlarm.Critical));

    public static readonly Spelling<MuscleGroup> Muscle = new(
        ("elbow-flexors", MuscleGroup.ElbowFlexors), ("wrist-flexors", MuscleGroup.WristFlexors), ("hip-adductors", MuscleGroup.HipAdductors),
        ("knee-flexors", MuscleGroup.KneeFlexors), ("knee-extensors", MuscleGroup.KneeExtensors), ("ankle-plantarflexors", MuscleGroup.AnklePlantarflexors));

    public static readonly Spelling<Side> Side = new(("left", Domain.Pump.Side.Left), ("right", Domain.Pump.Side.Right));

    public static readonly Spelling<MasGrade> Mas = new(
        ("0", MasGrade.Grade0), ("1", MasGrade.Grade1), ("1+", MasGrade.Grade1Plus), ("2", MasGrade.Grade2), ("3", MasGrade.Grade3), ("4", MasGrade.Grade4));

    public static readonly Spelling<PumpComplication> Complication = new(
        ("catheter-kink", PumpComplication.CatheterKink), ("catheter-occlusion", PumpComplication.CatheterOcclusion),
        ("catheter-fracture", PumpComplication.CatheterFracture), ("catheter-disconnection", PumpComplication.CatheterDisconnection),
        ("catheter-migration", PumpComplication.CatheterMigration), ("granuloma", PumpComplication.Granuloma), ("pocket-fill", PumpComplication.PocketFill),
        ("motor-stall", PumpComplication.MotorStall), ("withdrawal", PumpComplication.Withdrawal), ("overdose", PumpComplication.Overdose),
        ("device-infection", PumpComplication.DeviceInfection), ("meningitis", PumpComplication.Meningitis), ("csf-leak", PumpComplication.CsfLeak));

    public static readonly Spelling<ExplantReason> ExplantReason = new(
        ("replacement", Domain.Pump.ExplantReason.Replacement), ("infection", Domain.Pump.ExplantReason.Infection),
        ("no-longer-needed", Domain.Pump.ExplantReason.NoLongerNeeded), ("death", Domain.Pump.ExplantReason.Death), ("other", Domain.Pump.ExplantReason.Other));
}
