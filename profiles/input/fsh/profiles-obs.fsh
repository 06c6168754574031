RuleSet: ItmObservation
* subject 1..1
* subject only Reference(ItmPatient)
* effective[x] 1..1
* effective[x] only dateTime

Profile: ItmBodyWeight
Parent: Observation
Id: itm-body-weight
Title: "Body weight at administration"
Description: "Body weight used to check the dose per kg (0.02–0.06 mg/kg)."
* insert ItmObservation
* code = $loinc#29463-7 "Body weight"
* value[x] 1..1
* value[x] only Quantity
* valueQuantity = $ucum#kg "kg"

Profile: ItmSedation
Parent: Observation
Id: itm-sedation
Title: "Sedation score after administration"
Description: "Sedation on the 4-point scale, part of the administration."
* insert ItmObservation
* category 1..*
* category = $obs-cat#survey
* code = ItmObservationCodes#sedation-score
* partOf 1..1
* partOf only Reference(ItmAdministration)
* value[x] 1..1
* value[x] only CodeableConcept
* valueCodeableConcept from SedationScaleVS (required)

Profile: ItmPainNrs
Parent: Observation
Id: itm-pain-nrs
Title: "Pain intensity (NRS 0–10)"
Description: "Numeric rating scale, before the administration (baseline) or at follow-up."
* insert ItmObservation
* category 1..*
* category = $obs-cat#survey
* code = $loinc#72514-3 "Pain severity - 0-10 verbal numeric rating [Score] - Reported"
* partOf 0..1
* partOf only Reference(ItmAdministration)
* value[x] 1..1
* value[x] only integer
* obeys itm-nrs-range

Invariant: itm-nrs-range
Description: "NRS is an integer from 0 to 10."
Expression: "(value as integer) >= 0 and (value as integer) <= 10"
Severity: #error

Profile: ItmPainRelief
Parent: Observation
Id: itm-pain-relief
Title: "Pain relief (%)"
Description: "Percent reduction of NRS from baseline, derived from the baseline and follow-up NRS observations."
* insert ItmObservation
* code = ItmObservationCodes#pain-relief-pct
* partOf 1..1
* partOf only Reference(ItmAdministration)
* derivedFrom 2..2
* derivedFrom only Reference(ItmPainNrs)
* value[x] 1..1
* value[x] only Quantity
* valueQuantity = $ucum#% "%"
* obeys itm-relief-range

Invariant: itm-relief-range
Description: "Relief is at most 100%."
Expression: "(value as Quantity).value <= 100"
Severity: #error

Profile: ItmResponder
Parent: Observation
Id: itm-responder
Title: "Responder"
Description: "Responder = at least 50% pain relief with better quality of life and function. The function judgement is a component."
* insert ItmObservation
* code = ItmObservationCodes#responder
* partOf 1..1
* partOf only Reference(ItmAdministration)
* derivedFrom 1..*
* value[x] 1..1
* value[x] only boolean
* component 1..1
* component.code = ItmObservationCodes#function-improved
* component.value[x] 1..1
* component.value[x] only boolean

Profile: ItmAnalgesiaDuration
Parent: Observation
Id: itm-analgesia-duration
Title: "Duration of analgesia"
Description: "Weeks of relief after one administration: 0 when there was no or negligible effect, dataAbsentReason=unknown when the outcome is unknown."
* insert ItmObservation
* code = ItmObservationCodes#analgesia-duration
* partOf 1..1
* partOf only Reference(ItmAdministration)
* value[x] only Quantity
* valueQuantity = $ucum#wk "wk"
* dataAbsentReason from http://hl7.org/fhir/ValueSet/data-absent-reason (required)
* obeys itm-duration

Invariant: itm-duration
Description: "Either a non-negative duration in weeks or a dataAbsentReason, not both."
Expression: "(value.exists() and dataAbsentReason.empty() and (value as Quantity).value >= 0) or (value.empty() and dataAbsentReason.exists())"
Severity: #error

Profile: ItmNeurotoxScreen
Parent: Observation
Id: itm-neurotox-screen
Title: "Neurotoxicity screen"
Description: "Bladder or bowel dysfunction and new radiculopathy, each present or absent (AdverseEvent cannot say 'absent')."
* insert ItmObservation
* category 1..*
* category = $obs-cat#exam
* code = ItmObservationCodes#neurotox-screen
* partOf 1..1
* partOf only Reference(ItmAdministration)
* value[x] 0..0
* component ^slicing.discriminator.type = #pattern
* component ^slicing.discriminator.path = "code"
* component ^slicing.rules = #closed
* component contains bladder 1..1 and bowel 1..1 and radiculopathy 1..1
* component[bladder].code = ItmObservationCodes#bladder-dysfunction
* component[bowel].code = ItmObservationCodes#bowel-dysfunction
* component[radiculopathy].code = ItmObservationCodes#new-radiculopathy
* component.value[x] 1..1
* component.value[x] only CodeableConcept
* component.valueCodeableConcept from PresenceAbsence (required)
