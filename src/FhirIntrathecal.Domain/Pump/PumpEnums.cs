namespace FhirIntrathecal.Domain.Pump;

/// <summary>Why the pump is implanted (severe spasticity of spinal or cerebral origin, dystonia, chronic pain).</summary>
public enum PumpIndication { SpinalCordInjury, TraumaticBrainInjury, CerebralPalsy, MultipleSclerosis, Stroke, Dystonia, ChronicPain }

/// <summary>Drugs given by intrathecal pump (one drug per programme; admixtures are not modelled yet).</summary>
public enum PumpDrug { Baclofen, Morphine, Hydromorphone, Ziconotide, Bupivacaine, Clonidine }

/// <summary>Programming mode of the pump.</summary>
public enum InfusionMode { SimpleContinuous, Flex, SingleBolus, MinimumRate, Stopped }

/// <summary>Vertebral level of the catheter tip.</summary>
public enum SpinalLevel { C1, C2, C3, C4, C5, C6, C7, T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, L1, L2, L3 }

/// <summary>Alarms logged by the pump and read at interrogation.</summary>
public enum PumpAlarm { LowReservoir, ElectiveReplacement, EndOfService, MotorStall, Critical }

public enum MuscleGroup { ElbowFlexors, WristFlexors, HipAdductors, KneeFlexors, KneeExtensors, AnklePlantarflexors }

public enum Side { Left, Right }

/// <summary>Modified Ashworth Scale grade; 1+ sits between 1 and 2 (ordinal 1.5).</summary>
public enum MasGrade { Grade0, Grade1, Grade1Plus, Grade2, Grade3, Grade4 }

/// <summary>Device complications and drug events of pump therapy.</summary>
public enum PumpComplication
{
    CatheterKink,
    CatheterOcclusion,
    CatheterFracture,
    CatheterDisconnection,
    CatheterMigration,
    Granuloma,
    PocketFill,
    MotorStall,
    Withdrawal,
    Overdose,
    DeviceInfection,
    Meningitis,
    CsfLeak,
}

/// <summary>Why a pump was removed. <see cref="Replacement"/> = a new pump goes in the same day (end of battery life, failure).</summary>
public enum ExplantReason { Replacement, Infection, NoLongerNeeded, Death, Other }
