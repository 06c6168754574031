// Invalid examples. Each is an instance of the base resource claiming the profile in
// meta.profile, and breaks exactly one rule (named in the Description and narrative).
RuleSet: Invalid(profile, reason)
* meta.profile = Canonical({profile})
* text.status = #additional
* text.div = "<div xmlns=\"http://www.w3.org/1999/xhtml\">INVALID: {reason}</div>"

Instance: invalid-patient-with-name
InstanceOf: Patient
Usage: #example
Description: "INVALID: a pseudonymous registry patient must not carry a name (name 0..0)."
* insert Invalid(itm-patient, a pseudonymous registry patient must not carry a name [name 0..0])
* identifier.system = $reg-patient
* identifier.value = "P900"
* gender = #male
* birthDate = "1950"
* name.family = "Doe"

Instance: invalid-patient-full-birthdate
InstanceOf: Patient
Usage: #example
Description: "INVALID: birth date must have year precision only (itm-birth-year)."
* insert Invalid(itm-patient, birth date must have year precision only [itm-birth-year])
* identifier.system = $reg-patient
* identifier.value = "P901"
* gender = #male
* birthDate = "1950-06-01"

Instance: invalid-condition-wrong-code
InstanceOf: Condition
Usage: #example
Description: "INVALID: migraine is not in the required diagnosis ValueSet."
* insert Invalid(itm-condition, migraine is not in the required diagnosis ValueSet [code binding])
* clinicalStatus = $cond-clin#active
* verificationStatus = $cond-ver#confirmed
* category = $cond-cat#problem-list-item
* code = $sct#37796009 "Migraine"
* subject = Reference(Patient/patient-p001)

Instance: invalid-medication-no-volume
InstanceOf: Medication
Usage: #example
Description: "INVALID: the injectate volume extension is required (1..1)."
* insert Invalid(itm-midazolam, the injectate volume extension is required [extension:injectateVolume 1..1])
* extension[0].url = Canonical(preservative-free)
* extension[0].valueBoolean = true
* code = $sct#26800000 "Product containing midazolam"
* status = #active
* form = $sct#385219001 "Injection solution"
* ingredient[0].itemCodeableConcept = $sct#373476007 "Midazolam"
* ingredient[0].isActive = true
* ingredient[0].strength.numerator = 3 'mg' "mg"
* ingredient[0].strength.denominator = 2 'mL' "mL"
* ingredient[1].itemCodeableConcept = $sct#387390002 "Sodium chloride"
* ingredient[1].isActive = false

Instance: invalid-medication-volume-4ml
InstanceOf: Medication
Usage: #example
Description: "INVALID: 4 mL injectate exceeds the 3 mL limit (itm-volume)."
* insert Invalid(itm-midazolam, 4 mL injectate exceeds the 3 mL limit [itm-volume])
* extension[0].url = Canonical(preservative-free)
* extension[0].valueBoolean = true
* extension[1].url = Canonical(injectate-volume)
* extension[1].valueQuantity = 4 'mL' "mL"
* code = $sct#26800000 "Product containing midazolam"
* status = #active
* form = $sct#385219001 "Injection solution"
* ingredient[0].itemCodeableConcept = $sct#373476007 "Midazolam"
* ingredient[0].isActive = true
* ingredient[0].strength.numerator = 3 'mg' "mg"
* ingredient[0].strength.denominator = 4 'mL' "mL"
* ingredient[1].itemCodeableConcept = $sct#387390002 "Sodium chloride"
* ingredient[1].isActive = false

Instance: invalid-administration-dose-7mg
InstanceOf: MedicationAdministration
Usage: #example
Description: "INVALID: 7 mg is above the 5 mg ceiling (itm-dose-range)."
* insert Invalid(itm-administration, 7 mg is above the 5 mg ceiling [itm-dose-range])
* extension[0].url = Canonical(needle-gauge)
* extension[0].valueInteger = 25
* identifier.system = $reg-admin
* identifier.value = "P001-A99"
* status = #completed
* medicationReference = Reference(Medication/medication-p001-a01)
* subject = Reference(Patient/patient-p001)
* effectiveDateTime = "2010-05-04"
* reasonReference = Reference(Condition/condition-p001-fbss)
* dosage.route = $sct#72607000 "Intrathecal route"
* dosage.method = $sct#422145002 "Inject"
* dosage.site = $sct#122496007 "Structure of lumbar vertebral column"
* dosage.dose = 7 'mg' "mg"

Instance: invalid-administration-epidural-route
InstanceOf: MedicationAdministration
Usage: #example
Description: "INVALID: the route must be intrathecal (SNOMED 72607000), not epidural."
* insert Invalid(itm-administration, the route must be intrathecal [dosage.route pattern 72607000])
* extension[0].url = Canonical(needle-gauge)
* extension[0].valueInteger = 22
* identifier.system = $reg-admin
* identifier.value = "P001-A98"
* status = #completed
* medicationReference = Reference(Medication/medication-p001-a01)
* subject = Reference(Patient/patient-p001)
* effectiveDateTime = "2010-05-04"
* reasonReference = Reference(Condition/condition-p001-fbss)
* dosage.route = $sct#404820008 "Epidural route"
* dosage.method = $sct#422145002 "Inject"
* dosage.site = $sct#122496007 "Structure of lumbar vertebral column"
* dosage.dose = 3 'mg' "mg"

Instance: invalid-lumbar-puncture-wrong-code
InstanceOf: Procedure
Usage: #example
Description: "INVALID: the procedure code must be lumbar puncture (277762005)."
* insert Invalid(itm-lumbar-puncture, the procedure code must be lumbar puncture [code pattern 277762005])
* status = #completed
* code = $sct#18629005 "Administration of drug or medicament"
* subject = Reference(Patient/patient-p001)
* performedDateTime = "2010-03-04"

Instance: invalid-body-weight-in-pounds
InstanceOf: Observation
Usage: #example
Description: "INVALID: body weight must be in UCUM kg."
* insert Invalid(itm-body-weight, body weight must be in UCUM kg [valueQuantity pattern])
* status = #final
* code = $loinc#29463-7 "Body weight"
* subject = Reference(Patient/patient-p001)
* effectiveDateTime = "2010-03-04"
* valueQuantity = 160 '[lb_av]' "lb"

Instance: invalid-sedation-score-4
InstanceOf: Observation
Usage: #example
Description: "INVALID: 4 is not a code of the 4-point sedation scale (0-3, required binding)."
* insert Invalid(itm-sedation, 4 is not a code of the 0-3 sedation scale [required binding])
* status = #final
* category = $obs-cat#survey
* code = ItmObservationCodes#sedation-score
* subject = Reference(Patient/patient-p001)
* effectiveDateTime = "2010-03-04"
* partOf = Reference(MedicationAdministration/administration-p001-a01)
* valueCodeableConcept.coding.system = Canonical(SedationScale)
* valueCodeableConcept.coding.code = #4

Instance: invalid-nrs-11
InstanceOf: Observation
Usage: #example
Description: "INVALID: NRS 11 is outside 0-10 (itm-nrs-range)."
* insert Invalid(itm-pain-nrs, NRS 11 is outside 0-10 [itm-nrs-range])
* status = #final
* category = $obs-cat#survey
* code = $loinc#72514-3 "Pain severity - 0-10 verbal numeric rating [Score] - Reported"
* subject = Reference(Patient/patient-p001)
* effectiveDateTime = "2010-03-04"
* valueInteger = 11

Instance: invalid-relief-150pct
InstanceOf: Observation
Usage: #example
Description: "INVALID: relief above 100% (itm-relief-range)."
* insert Invalid(itm-pain-relief, relief above 100% [itm-relief-range])
* status = #final
* code = ItmObservationCodes#pain-relief-pct
* subject = Reference(Patient/patient-p001)
* effectiveDateTime = "2010-04-01"
* partOf = Reference(MedicationAdministration/administration-p001-a01)
* derivedFrom[0] = Reference(Observation/nrs-p001-a01-baseline)
* derivedFrom[1] = Reference(Observation/nrs-p001-a01-followup)
* valueQuantity = 150 '%' "%"

Instance: invalid-responder-no-function
InstanceOf: Observation
Usage: #example
Description: "INVALID: the function-improved component is required (component 1..1)."
* insert Invalid(itm-responder, the function-improved component is required [component 1..1])
* status = #final
* code = ItmObservationCodes#responder
* subject = Reference(Patient/patient-p001)
* effectiveDateTime = "2010-04-01"
* partOf = Reference(MedicationAdministration/administration-p001-a01)
* derivedFrom = Reference(Observation/relief-p001-a01)
* valueBoolean = true

Instance: invalid-duration-value-and-absent
InstanceOf: Observation
Usage: #example
Description: "INVALID: a duration and a dataAbsentReason together (itm-duration, obs-6)."
* insert Invalid(itm-analgesia-duration, a duration and a dataAbsentReason together [itm-duration / obs-6])
* status = #final
* code = ItmObservationCodes#analgesia-duration
* subject = Reference(Patient/patient-p001)
* effectiveDateTime = "2010-04-15"
* partOf = Reference(MedicationAdministration/administration-p001-a01)
* valueQuantity = 6 'wk' "wk"
* dataAbsentReason = $dar#unknown

Instance: invalid-neurotox-missing-bowel
InstanceOf: Observation
Usage: #example
Description: "INVALID: the bowel component is required (component:bowel 1..1)."
* insert Invalid(itm-neurotox-screen, the bowel component is required [component:bowel 1..1])
* status = #final
* category = $obs-cat#exam
* code = ItmObservationCodes#neurotox-screen
* subject = Reference(Patient/patient-p001)
* effectiveDateTime = "2010-04-01"
* partOf = Reference(MedicationAdministration/administration-p001-a01)
* component[0].code = ItmObservationCodes#bladder-dysfunction
* component[0].valueCodeableConcept = $sct#2667000 "Absent"
* component[1].code = ItmObservationCodes#new-radiculopathy
* component[1].valueCodeableConcept = $sct#2667000 "Absent"

Instance: invalid-adverse-event-no-suspect
InstanceOf: AdverseEvent
Usage: #example
Description: "INVALID: suspectEntity (the administration) is required."
* insert Invalid(itm-adverse-event, suspectEntity [the administration] is required [suspectEntity 1..*])
* actuality = #actual
* event = $sct#25064002 "Headache"
* subject = Reference(Patient/patient-p001)
* date = "2010-03-04"
* severity = http://terminology.hl7.org/CodeSystem/adverse-event-severity#mild
* outcome = http://terminology.hl7.org/CodeSystem/adverse-event-outcome#resolved

Instance: invalid-adverse-event-potential
InstanceOf: AdverseEvent
Usage: #example
Description: "INVALID: only actual events are registered (actuality fixed to actual)."
* insert Invalid(itm-adverse-event, only actual events are registered [actuality pattern actual])
* actuality = #potential
* event = $sct#422587007 "Nausea"
* subject = Reference(Patient/patient-p001)
* date = "2010-03-04"
* severity = http://terminology.hl7.org/CodeSystem/adverse-event-severity#mild
* outcome = http://terminology.hl7.org/CodeSystem/adverse-event-outcome#resolved
* suspectEntity.instance = Reference(MedicationAdministration/administration-p001-a01)

Instance: invalid-registry-study-no-title
InstanceOf: ResearchStudy
Usage: #example
Description: "INVALID: the registry needs a title (title 1..1)."
* insert Invalid(itm-registry-study, the registry needs a title [title 1..1])
* identifier.system = $reg-study
* identifier.value = "ITM-REGISTRY"
* status = #active
* condition = $sct#278860009 "Chronic low back pain"

Instance: invalid-registry-subject-group
InstanceOf: ResearchSubject
Usage: #example
Description: "INVALID: enrolled-maybe is not a ResearchSubject status (required binding)."
* insert Invalid(itm-registry-subject, status is not a ResearchSubject status [required binding])
* status = #enrolled-maybe
* study = Reference(ResearchStudy/registry-study)
* individual = Reference(Patient/patient-p001)

Instance: invalid-provenance-no-entity
InstanceOf: Provenance
Usage: #example
Description: "INVALID: an import provenance must name its source entity (entity 1..*)."
* insert Invalid(itm-import-provenance, an import provenance must name its source entity [entity 1..*])
* target = Reference(MedicationAdministration/administration-p001-a01)
* recorded = "2026-11-21T20:00:00Z"
* activity = $v3-DataOperation#CREATE
* agent.type = $provenance-agent-type#assembler
* agent.who.display = "fhir-intrathecal convert"
