using FhirIntrathecal.Domain;
using FhirIntrathecal.Domain.Pump;

namespace FhirIntrathecal.Mapping.Tests;

/// <summary>A small hand-written pump registry: one baclofen patient from screening to a replaced pump, every record kind used.</summary>
internal static class PumpSamples
{
    private static readonly DateOnly Implanted = new(2019, 3, 4);

    public static PumpRegistry Registry() => new(
        new([new PumpPatientRecord("P101", Sex.Male, 1972, PumpIndication.SpinalCordInjury, 2015), new PumpPatientRecord("P102", Sex.Female, 1985, PumpIndication.MultipleSclerosis, null)]),
        new([new TrialRecord("P101-T1", "P101", Implanted.AddDays(-30), PumpDrug.Baclofen, 50m, true), new TrialRecord("P102-T1", "P102", Implanted.AddDays(-10), PumpDrug.Baclofen, 75m, null)]),
        new(
        [
            new ImplantRecord("P101-I1", "P101", Implanted, new PumpDevice("00643169007222", "(01)00643169007222(21)NGP123456H", "NGP123456H", "LOT8637A", "8637-40", "Medtronic", 40m), new CatheterDevice("8709SC", "CATH8709", SpinalLevel.T10), new Explant(new DateOnly(2025, 2, 1), ExplantReason.Replacement, true)),
            new ImplantRecord("P101-I2", "P101", new DateOnly(2025, 2, 1), new PumpDevice("00643169007239", "(01)00643169007239(21)NGP222222H", "NGP222222H", "LOT8637B", "8637-20", "Medtronic", 20m), new CatheterDevice("8709SC", "CATH8709", SpinalLevel.T10), null),
            new ImplantRecord("P102-I1", "P102", Implanted.AddDays(20), new PumpDevice("00811111000012", "(01)00811111000012(21)PR2-0001", "PR2-0001", "PRL-1", "13827", "Flowonix", 20m), new CatheterDevice("PC-1", "PCL-9", null), null),
        ]),
        new(
        [
            new ProgrammeRecord("P101-G1", "P101-I1", Implanted, new DateOnly(2019, 6, 3), PumpDrug.Baclofen, 2000m, InfusionMode.SimpleContinuous, 400m, new([]), null),
            new ProgrammeRecord("P101-G2", "P101-I1", new DateOnly(2019, 6, 3), new DateOnly(2025, 2, 1), PumpDrug.Baclofen, 2000m, InfusionMode.Flex, 350m, new([new FlexStep(new TimeOnly(6, 0), 450m), new FlexStep(new TimeOnly(22, 0), 300m)]), new PtmSettings(25m, 120, 4)),
            new ProgrammeRecord("P101-G3", "P101-I2", new DateOnly(2025, 2, 1), null, PumpDrug.Baclofen, 2000m, InfusionMode.SimpleContinuous, 420.5m, new([]), null),
            new ProgrammeRecord("P102-G1", "P102-I1", Implanted.AddDays(20), null, PumpDrug.Baclofen, 500m, InfusionMode.SimpleContinuous, 150m, new([]), null),
        ]),
        new(
        [
            new RefillRecord("P101-R1", "P101-I1", Implanted, 0m, 0m, 40m, PumpDrug.Baclofen, 2000m, "BAC-2019-03", new DateOnly(2019, 9, 10)),
            new RefillRecord("P101-R2", "P101-I1", new DateOnly(2019, 8, 20), 9.1m, 8.8m, 40m, PumpDrug.Baclofen, 2000m, "BAC-2019-08", null),
            new RefillRecord("P102-R1", "P102-I1", Implanted.AddDays(80), 4.5m, 4.0m, 18.5m, PumpDrug.Baclofen, 500m, "BAC-2019-05", null),
        ]),
        new([new InterrogationRecord("P101-Q1", "P101-I1", new DateOnly(2019, 6, 3), true, new([PumpAlarm.LowReservoir]), false, 22.5m), new InterrogationRecord("P101-Q2", "P101-I1", new DateOnly(2024, 12, 1), false, new([PumpAlarm.ElectiveReplacement, PumpAlarm.LowReservoir]), true, null)]),
        new([new OutcomeRecord("P101-O1", "P101", Implanted.AddDays(-30), new([new MasScore(MuscleGroup.KneeExtensors, Side.Left, MasGrade.Grade3), new MasScore(MuscleGroup.KneeExtensors, Side.Right, MasGrade.Grade1Plus)]), 3, 2, 6, 48m), new OutcomeRecord("P101-O2", "P101", new DateOnly(2019, 9, 1), new([new MasScore(MuscleGroup.HipAdductors, Side.Left, MasGrade.Grade1)]), 0, null, null, 30.5m)]),
        new([new PumpEventRecord("P101-E1", "P101", "P101-I1", new DateOnly(2020, 1, 10), PumpComplication.CatheterMigration, Severity.Moderate, AdverseEventOutcome.Resolved), new PumpEventRecord("P102-E1", "P102", null, Implanted.AddDays(-9), PumpComplication.Overdose, Severity.Mild, AdverseEventOutcome.Resolved)]));
}
