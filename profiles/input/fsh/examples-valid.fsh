// Valid examples: one registry patient with one administration and everything around it.

Instance: patient-p001
InstanceOf: ItmPatient
Usage: #example
Description: "Valid: pseudonymous registry patient, birth year only."
* identifier[registry].system = $reg-patient
* identifier[registry].value = "P001"
* gender = #female
* birthDate = "1961"

Instance: condition-p001-fbss
InstanceOf: ItmCondition
Usage: #example
Description: "Valid: FBSS with an ICD-10 translation."
* clinicalStatus = $cond-clin#active
* verificationStatus = $cond-ver#confirmed
* category = $cond-cat#problem-list-item
* code.coding[0] = $sct#27151001 "Post-laminectomy syndrome"
* code.coding[1] = $icd10#M96.1 "Postlaminectomy syndrome, not elsewhere classified"
* subject = Reference(patient-p001)

Instance: medication-p001-a01
InstanceOf: ItmMidazolam
Usage: #example
Description: "Valid: 3 mg midazolam in 2 mL 5% glucose, preservative-free."
* extension[preservativeFree].valueBoolean = true
* extension[injectateVolume].valueQuantity = 2 'mL' "mL"
* status = #active
* code.text = "Midazolam 1 mg/mL, preservative-free"
* batch.lotNumber = "LOT-2010-17"
* ingredient[midazolam].isActive = true
* ingredient[midazolam].strength.numerator = 3 'mg' "mg"
* ingredient[midazolam].strength.denominator = 2 'mL' "mL"
* ingredient[diluent].itemCodeableConcept = $sct#67079006 "Glucose"
* ingredient[diluent].isActive = false

Instance: lumbar-puncture-p001-a01
InstanceOf: ItmLumbarPuncture
Usage: #example
Description: "Valid: the lumbar puncture of the administration."
* status = #completed
* subject = Reference(patient-p001)
* performedDateTime = "2010-03-04"

Instance: body-weight-p001-a01
InstanceOf: ItmBodyWeight
Usage: #example
Description: "Valid: 72 kg on the day of the administration."
* status = #final
* subject = Reference(patient-p001)
* effectiveDateTime = "2010-03-04"
* valueQuantity = 72 'kg' "kg"

Instance: administration-p001-a01
InstanceOf: ItmAdministration
Usage: #example
Description: "Valid: 3 mg intrathecal midazolam, 25G needle, recumbent, L3-L4."
* extension[needleGauge].valueInteger = 25
* extension[position].valueCodeableConcept = $sct#102538003 "Recumbent body position"
* extension[interspace].valueCodeableConcept = LumbarInterspace#L3-L4
* extension[bedRest].valueQuantity = 3 'h' "h"
* extension[stage].valueCodeableConcept = TreatmentStage#intrathecal-midazolam
* identifier.system = $reg-admin
* identifier.value = "P001-A01"
* partOf = Reference(lumbar-puncture-p001-a01)
* status = #completed
* medicationReference = Reference(medication-p001-a01)
* subject = Reference(patient-p001)
* effectiveDateTime = "2010-03-04"
* reasonReference = Reference(condition-p001-fbss)
* supportingInformation = Reference(body-weight-p001-a01)
* dosage.dose = 3 'mg' "mg"

Instance: sedation-p001-a01
InstanceOf: ItmSedation
Usage: #example
Description: "Valid: sedation score 1 after the administration."
* status = #final
* subject = Reference(patient-p001)
* effectiveDateTime = "2010-03-04"
* partOf = Reference(administration-p001-a01)
* valueCodeableConcept = SedationScale#1 "At times drowsy but easily aroused"

Instance: nrs-p001-a01-baseline
InstanceOf: ItmPainNrs
Usage: #example
Description: "Valid: NRS 8 before the administration."
* status = #final
* subject = Reference(patient-p001)
* effectiveDateTime = "2010-03-04"
* partOf = Reference(administration-p001-a01)
* valueInteger = 8

Instance: nrs-p001-a01-followup
InstanceOf: ItmPainNrs
Usage: #example
Description: "Valid: NRS 3 at follow-up."
* status = #final
* subject = Reference(patient-p001)
* effectiveDateTime = "2010-04-01"
* partOf = Reference(administration-p001-a01)
* valueInteger = 3

Instance: relief-p001-a01
InstanceOf: ItmPainRelief
Usage: #example
Description: "Valid: 62.5% relief from NRS 8 to 3."
* status = #final
* subject = Reference(patient-p001)
* effectiveDateTime = "2010-04-01"
* partOf = Reference(administration-p001-a01)
* derivedFrom[0] = Reference(nrs-p001-a01-baseline)
* derivedFrom[1] = Reference(nrs-p001-a01-followup)
* valueQuantity = 62.5 '%' "%"

Instance: responder-p001-a01
InstanceOf: ItmResponder
Usage: #example
Description: "Valid: responder (relief >= 50% and better function)."
* status = #final
* subject = Reference(patient-p001)
* effectiveDateTime = "2010-04-01"
* partOf = Reference(administration-p001-a01)
* derivedFrom = Reference(relief-p001-a01)
* valueBoolean = true
* component.code = ItmObservationCodes#function-improved
* component.valueBoolean = true

Instance: duration-p001-a01
InstanceOf: ItmAnalgesiaDuration
Usage: #example
Description: "Valid: 6 weeks of relief."
* status = #final
* subject = Reference(patient-p001)
* effectiveDateTime = "2010-04-15"
* partOf = Reference(administration-p001-a01)
* valueQuantity = 6 'wk' "wk"

Instance: duration-p001-a01-unknown
InstanceOf: ItmAnalgesiaDuration
Usage: #example
Description: "Valid: outcome unknown, recorded with dataAbsentReason."
* status = #final
* subject = Reference(patient-p001)
* effectiveDateTime = "2010-04-15"
* partOf = Reference(administration-p001-a01)
* dataAbsentReason = $dar#unknown

Instance: neurotox-p001-a01
InstanceOf: ItmNeurotoxScreen
Usage: #example
Description: "Valid: no neurotoxicity signs."
* status = #final
* category = $obs-cat#exam
* subject = Reference(patient-p001)
* effectiveDateTime = "2010-04-01"
* partOf = Reference(administration-p001-a01)
* component[bladder].valueCodeableConcept = $sct#2667000 "Absent"
* component[bowel].valueCodeableConcept = $sct#2667000 "Absent"
* component[radiculopathy].valueCodeableConcept = $sct#2667000 "Absent"

Instance: adverse-event-p001-a01-drowsy
InstanceOf: ItmAdverseEvent
Usage: #example
Description: "Valid: mild drowsiness, resolved."
* actuality = #actual
* event = $sct#271782001 "Drowsy"
* subject = Reference(patient-p001)
* date = "2010-03-04"
* severity = http://terminology.hl7.org/CodeSystem/adverse-event-severity#mild
* outcome = http://terminology.hl7.org/CodeSystem/adverse-event-outcome#resolved
* suspectEntity.instance = Reference(administration-p001-a01)
* study = Reference(registry-study)

Instance: registry-study
InstanceOf: ItmRegistryStudy
Usage: #example
Description: "Valid: the registry."
* identifier.system = $reg-study
* identifier.value = "ITM-REGISTRY"
* title = "Single-shot intrathecal midazolam registry"
* status = #active
* condition[0] = $sct#278860009 "Chronic low back pain"
* condition[1] = $sct#27151001 "Post-laminectomy syndrome"

Instance: registry-subject-p001
InstanceOf: ItmRegistrySubject
Usage: #example
Description: "Valid: P001 enrolled."
* status = #on-study
* study = Reference(registry-study)
* individual = Reference(patient-p001)

Instance: provenance-import-example
InstanceOf: ItmImportProvenance
Usage: #example
Description: "Valid: import of the registry file that created the administration."
* target[0] = Reference(administration-p001-a01)
* target[1] = Reference(patient-p001)
* recorded = "2026-11-21T20:00:00Z"
* activity = $v3-DataOperation#CREATE
* agent.type = $provenance-agent-type#assembler
* agent.who.display = "fhir-intrathecal convert"
* entity.role = #source
* entity.what.display = "registry/administrations.csv"
