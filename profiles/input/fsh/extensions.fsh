Extension: PreservativeFree
Id: preservative-free
Title: "Preservative-free"
Description: "True when the preparation contains no preservative. No code exists for the absence of a preservative, hence an extension."
* ^context[0].type = #element
* ^context[0].expression = "Medication"
* value[x] only boolean

Extension: InjectateVolume
Id: injectate-volume
Title: "Injectate volume"
Description: "Total volume injected intrathecally, in mL (at most 3 mL). Medication.amount is a poor semantic fit."
* ^context[0].type = #element
* ^context[0].expression = "Medication"
* value[x] only Quantity
* valueQuantity 1..1
* valueQuantity = $ucum#mL "mL"
* valueQuantity.value 1..1
* obeys itm-volume

Invariant: itm-volume
Description: "The injectate volume is more than 0 and at most 3 mL."
Expression: "(value as Quantity).value > 0 and (value as Quantity).value <= 3"
Severity: #error

Extension: NeedleGauge
Id: needle-gauge
Title: "Spinal needle gauge"
Description: "Gauge (G) of the spinal needle, e.g. 22 or 25. UCUM has no gauge unit, so a plain integer."
* ^context[0].type = #element
* ^context[0].expression = "MedicationAdministration"
* value[x] only integer
* obeys itm-gauge

Invariant: itm-gauge
Description: "Needle gauge between 18 and 30."
Expression: "(value as integer) >= 18 and (value as integer) <= 30"
Severity: #error

Extension: PatientPosition
Id: patient-position
Title: "Patient position"
Description: "Body position during the puncture (observation-bodyPosition is Observation-only)."
* ^context[0].type = #element
* ^context[0].expression = "MedicationAdministration"
* value[x] only CodeableConcept
* valueCodeableConcept from ItmPatientPosition (required)

Extension: LumbarInterspaceLevel
Id: lumbar-interspace
Title: "Lumbar interspace"
Description: "Interspace at which the needle entered."
* ^context[0].type = #element
* ^context[0].expression = "MedicationAdministration"
* value[x] only CodeableConcept
* valueCodeableConcept from LumbarInterspaceVS (required)

Extension: BedRest
Id: bed-rest
Title: "Bed rest after the administration"
Description: "Duration of bed rest after the injection (about 3 h)."
* ^context[0].type = #element
* ^context[0].expression = "MedicationAdministration"
* value[x] only Quantity
* valueQuantity = $ucum#h "h"

Extension: TreatmentStageExt
Id: treatment-stage
Title: "Treatment stage"
Description: "Stage in the three-step algorithm at which this administration was given."
* ^context[0].type = #element
* ^context[0].expression = "MedicationAdministration"
* value[x] only CodeableConcept
* valueCodeableConcept from TreatmentStageVS (required)
