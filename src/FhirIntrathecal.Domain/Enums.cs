namespace FhirIntrathecal.Domain;

public enum Sex { Male, Female }

public enum DiagnosisKind { ChronicLowBackPain, FailedBackSurgerySyndrome }

public enum Diluent { Glucose5Percent, Saline09Percent }

public enum PatientPosition { Recumbent, Supine }

public enum LumbarLevel { L1L2, L2L3, L3L4, L4L5, L5S1 }

/// <summary>Stage in the three-step algorithm: local injections → epidural steroids → intrathecal midazolam.</summary>
public enum TreatmentStage { LocalInjection = 1, EpiduralSteroid = 2, IntrathecalMidazolam = 3 }

public enum AdverseEventKind { Drowsiness, Headache, Nausea, PainWorsening, PostDuralPunctureHeadache, BladderDysfunction, BowelDysfunction, Radiculopathy }

public enum Severity { Mild, Moderate, Severe }

public enum AdverseEventOutcome { Resolved, Recovering, Ongoing, ResolvedWithSequelae, Unknown }

/// <summary>How an administration's relief ended up: a duration, no (or negligible) effect, or unknown.</summary>
public enum ReliefKind { Relief, NoEffect, Unknown }
