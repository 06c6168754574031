// Intrathecal pump therapy (issue 15): indication, screening trial, programme, delivery, readings,
// outcomes and device adverse events. Labelled daily-dose limits (ug/d; the domain's PumpDrugs table
// holds the same numbers): baclofen 12-2003, ziconotide up to 19.2, morphine up to 20000, hydromorphone
// up to 10000.

Extension: ItpConcentration
Id: itp-concentration
Title: "Drug concentration in the reservoir"
Description: "Concentration of the pump drug in ug/mL, so rate rules can be checked on the programme and each delivered segment alone."
* ^context[0].type = #element
* ^context[0].expression = "MedicationRequest"
* ^context[1].type = #element
* ^context[1].expression = "MedicationAdministration"
* value[x] only Quantity
* valueQuantity 1..1
* valueQuantity = $ucum#ug/mL "ug/mL"
* valueQuantity.value 1..1

Extension: ItpPtmLockout
Id: itp-ptm-lockout
Title: "Patient-activated bolus lockout"
Description: "Shortest time between two patient-activated boluses (R4 has no dosage-minimumGapBetweenDose)."
* ^context[0].type = #element
* ^context[0].expression = "Dosage"
* value[x] only Duration
* valueDuration 1..1
* valueDuration = $ucum#min "min"
* valueDuration.value 1..1

Profile: ItpCondition
Parent: Condition
Id: itp-condition
Title: "Indication for intrathecal pump therapy"
Description: "The diagnosis for which the pump is implanted."
* clinicalStatus 1..1
* verificationStatus 1..1
* category 1..*
* code 1..1
* code from ItpIndicationVS (required)
* subject only Reference(ItmPatient)

Profile: ItpTrialBolus
Parent: MedicationAdministration
Id: itp-trial-bolus
Title: "Screening trial bolus"
Description: "A test dose by lumbar puncture or temporary catheter before an implant (baclofen 50, 75 then 100 ug)."
* identifier 1..*
* medication[x] only CodeableConcept
* medicationCodeableConcept from ItpDrugVS (required)
* subject only Reference(ItmPatient)
* effective[x] only dateTime
* reasonReference only Reference(ItpCondition)
* dosage 1..1
* dosage.route 1..1
* dosage.route = $v3-route#ITINJ "Injection, intrathecal"
* dosage.method 1..1
* dosage.method = $sct#397801003 "Single bolus"
* dosage.dose 1..1
* dosage.dose.value 1..1
* dosage.dose = $ucum#ug "ug"
* dosage.rate[x] 0..0
* obeys itp-trial-baclofen

Invariant: itp-trial-baclofen
Description: "A baclofen screening bolus is at most 100 ug (no implant if 100 ug fails)."
Expression: "(medication as CodeableConcept).coding.where(code = '387342009').exists() implies dosage.dose.value <= 100"
Severity: #error

Profile: ItpProgramme
Parent: MedicationRequest
Id: itp-programme
Title: "Pump programme"
Description: "The prescribed programme: a basal rate (simple continuous), flex steps (sequence and time of day) and patient-activated boluses (asNeeded, dose, maximum per period). Rates in ug/d. Reprogramming = a new request with priorPrescription; the pump it runs on is in supportingInformation."
* extension contains ItpConcentration named concentration 1..1
* identifier 1..*
* status 1..1
* intent = #order
* medication[x] only CodeableConcept
* medicationCodeableConcept from ItpDrugVS (required)
* subject only Reference(ItmPatient)
* authoredOn 1..1
* reasonReference only Reference(ItpCondition)
* supportingInformation 1..*
* supportingInformation only Reference(ItpPump)
* priorPrescription only Reference(ItpProgramme)
* dosageInstruction 1..*
* dosageInstruction.route 1..1
* dosageInstruction.route = $v3-route#IT "Infusion, intrathecal"
* dosageInstruction.method 1..1
* dosageInstruction.method from ItpInfusionModeVS (required)
* dosageInstruction.extension contains ItpPtmLockout named ptmLockout 0..1
* dosageInstruction.doseAndRate 1..1
* dosageInstruction.doseAndRate.dose[x] only SimpleQuantity
* dosageInstruction.doseAndRate.doseQuantity = $ucum#ug "ug"
* dosageInstruction.doseAndRate.rate[x] only SimpleQuantity
* dosageInstruction.doseAndRate.rateQuantity = $ucum#ug/d "ug/d"
* obeys itp-prog-shape and itp-prog-baclofen and itp-prog-ziconotide and itp-prog-morphine and itp-prog-hydromorphone and itp-baclofen-concentration and itp-reprogram-on-implanted-pump

Invariant: itp-prog-shape
Description: "A patient-activated bolus (asNeeded) has a dose and no rate; every other dosage has a rate and no dose."
Expression: "dosageInstruction.all(iif((asNeeded as boolean) = true, doseAndRate.dose.exists() and doseAndRate.rate.empty(), doseAndRate.rate.exists() and doseAndRate.dose.empty()))"
Severity: #error

Invariant: itp-prog-baclofen
Description: "Baclofen basal and flex rates lie within the labelled 12-2003 ug/d (a stopped pump runs at 0)."
Expression: "(medication as CodeableConcept).coding.where(code = '387342009').exists() implies (dosageInstruction.where(method.coding.code != 'stopped').doseAndRate.rate.ofType(Quantity)).all(value >= 12 and value <= 2003)"
Severity: #error

Invariant: itp-prog-ziconotide
Description: "Ziconotide rates are at most the labelled 19.2 ug/d."
Expression: "(medication as CodeableConcept).coding.where(code = 'N02BG08').exists() implies (dosageInstruction.where(method.coding.code != 'stopped').doseAndRate.rate.ofType(Quantity)).all(value <= 19.2)"
Severity: #error

Invariant: itp-prog-morphine
Description: "Morphine rates are at most 20 mg/d (20000 ug/d)."
Expression: "(medication as CodeableConcept).coding.where(code = '373529000').exists() implies (dosageInstruction.where(method.coding.code != 'stopped').doseAndRate.rate.ofType(Quantity)).all(value <= 20000)"
Severity: #error

Invariant: itp-prog-hydromorphone
Description: "Hydromorphone rates are at most 10 mg/d (10000 ug/d)."
Expression: "(medication as CodeableConcept).coding.where(code = '44508008').exists() implies (dosageInstruction.where(method.coding.code != 'stopped').doseAndRate.rate.ofType(Quantity)).all(value <= 10000)"
Severity: #error

Invariant: itp-baclofen-concentration
Description: "Baclofen is filled at 50, 500, 1000 or 2000 ug/mL."
Expression: "(medication as CodeableConcept).coding.where(code = '387342009').exists() implies (extension.where(url.endsWith('/itp-concentration')).value as Quantity).value.all($this in (50 | 500 | 1000 | 2000))"
Severity: #error

Invariant: itp-reprogram-on-implanted-pump
Description: "A programme is written only for an implanted pump (status active)."
Expression: "supportingInformation.resolve().all(status = 'active')"
Severity: #error

Profile: ItpDeliverySegment
Parent: MedicationAdministration
Id: itp-delivery-segment
Title: "Delivered pump segment"
Description: "What the pump delivered under one programme, from its programming to the next change or the explant: rate in ug/d, device = pump and catheter. Each rate change is a new segment."
* extension contains ItpConcentration named concentration 1..1
* identifier 1..*
* medication[x] only CodeableConcept
* medicationCodeableConcept from ItpDrugVS (required)
* subject only Reference(ItmPatient)
* effective[x] only Period
* effectivePeriod.start 1..1
* request 1..1
* request only Reference(ItpProgramme)
* device 1..*
* device only Reference(ItpPump or ItpCatheter)
* dosage 1..1
* dosage.route 1..1
* dosage.route = $v3-route#IT "Infusion, intrathecal"
* dosage.method 1..1
* dosage.method from ItpInfusionModeVS (required)
* dosage.rate[x] 1..1
* dosage.rate[x] only SimpleQuantity
* dosage.rateQuantity = $ucum#ug/d "ug/d"
* dosage.dose = $ucum#ug "ug"
* obeys itp-seg-baclofen and itp-seg-ziconotide and itp-seg-morphine and itp-seg-hydromorphone and itp-baclofen-concentration

Invariant: itp-seg-baclofen
Description: "A baclofen segment runs within the labelled 12-2003 ug/d, unless the pump is stopped."
Expression: "(medication as CodeableConcept).coding.where(code = '387342009').exists() and dosage.method.coding.code != 'stopped' implies dosage.rate.ofType(Quantity).all(value >= 12 and value <= 2003)"
Severity: #error

Invariant: itp-seg-ziconotide
Description: "A ziconotide segment runs at most at the labelled 19.2 ug/d."
Expression: "(medication as CodeableConcept).coding.where(code = 'N02BG08').exists() and dosage.method.coding.code != 'stopped' implies dosage.rate.ofType(Quantity).all(value <= 19.2)"
Severity: #error

Invariant: itp-seg-morphine
Description: "A morphine segment runs at most at 20 mg/d (20000 ug/d)."
Expression: "(medication as CodeableConcept).coding.where(code = '373529000').exists() and dosage.method.coding.code != 'stopped' implies dosage.rate.ofType(Quantity).all(value <= 20000)"
Severity: #error

Invariant: itp-seg-hydromorphone
Description: "A hydromorphone segment runs at most at 10 mg/d (10000 ug/d)."
Expression: "(medication as CodeableConcept).coding.where(code = '44508008').exists() and dosage.method.coding.code != 'stopped' implies dosage.rate.ofType(Quantity).all(value <= 10000)"
Severity: #error

RuleSet: ItpReading
* insert ItmObservation
* category 1..*
* category = $obs-cat#procedure
* device 1..1
* device only Reference(ItpPump)
* value[x] 0..0
* component ^slicing.discriminator.type = #pattern
* component ^slicing.discriminator.path = "code"
* component ^slicing.rules = #open
* component.value[x] 1..1

Profile: ItpRefillReading
Parent: Observation
Id: itp-refill-reading
Title: "Refill reading"
Description: "Expected and aspirated residual volume (their difference is the key malfunction check) and the fill volume, which cannot exceed the pump's reservoir."
* insert ItpReading
* code = ItpObservationCodes#refill-reading
* partOf 1..1
* partOf only Reference(ItpRefill)
* component contains expected 1..1 and aspirated 1..1 and fill 1..1 and lowReservoirDate 0..1
* component[expected].code = ItpObservationCodes#reservoir-volume-expected
* component[expected].value[x] only Quantity
* component[expected].valueQuantity = $ucum#mL "mL"
* component[aspirated].code = ItpObservationCodes#reservoir-volume-aspirated
* component[aspirated].value[x] only Quantity
* component[aspirated].valueQuantity = $ucum#mL "mL"
* component[fill].code = ItpObservationCodes#fill-volume
* component[fill].value[x] only Quantity
* component[fill].valueQuantity = $ucum#mL "mL"
* component[lowReservoirDate].code = ItpObservationCodes#low-reservoir-alarm-date
* component[lowReservoirDate].value[x] only dateTime
* obeys itp-volumes-non-negative and itp-refill-reservoir

Invariant: itp-volumes-non-negative
Description: "Volumes are not negative."
Expression: "component.value.ofType(Quantity).all(value >= 0)"
Severity: #error

Invariant: itp-refill-reservoir
Description: "The fill volume is at most the pump's reservoir volume."
Expression: "device.resolve().property.where(type.coding.code = 'reservoir-volume').valueQuantity.all(value >= (%resource.component.where(code.coding.code = 'fill-volume').value as Quantity).value)"
Severity: #error

Profile: ItpInterrogationReading
Parent: Observation
Id: itp-interrogation-reading
Title: "Interrogation reading"
Description: "What telemetry shows: logged alarms, the elective replacement indicator, the expected reservoir volume and the low-reservoir alarm date."
* insert ItpReading
* code = ItpObservationCodes#interrogation-reading
* partOf 1..1
* partOf only Reference(ItpInterrogation or ItpRefill)
* component contains eri 1..1 and alarm 0..* and expected 0..1 and lowReservoirDate 0..1
* component[eri].code = ItpObservationCodes#eri-status
* component[eri].value[x] only boolean
* component[alarm].code = ItpObservationCodes#alarm-event
* component[alarm].value[x] only CodeableConcept
* component[alarm].valueCodeableConcept from ItpAlarmVS (required)
* component[expected].code = ItpObservationCodes#reservoir-volume-expected
* component[expected].value[x] only Quantity
* component[expected].valueQuantity = $ucum#mL "mL"
* component[lowReservoirDate].code = ItpObservationCodes#low-reservoir-alarm-date
* component[lowReservoirDate].value[x] only dateTime
* obeys itp-volumes-non-negative

Profile: ItpMas
Parent: Observation
Id: itp-mas
Title: "Modified Ashworth Scale, one muscle group and side"
Description: "MAS grade (0, 1, 1+, 2, 3, 4) of one muscle group (bodySite) on one side (component laterality)."
* insert ItmObservation
* category 1..*
* category = $obs-cat#exam
* code = ItpObservationCodes#mas
* bodySite 1..1
* bodySite from ItpMuscleGroupVS (required)
* value[x] 1..1
* value[x] only CodeableConcept
* valueCodeableConcept from MasGradeVS (required)
* component 1..1
* component.code = ItpObservationCodes#laterality
* component.value[x] 1..1
* component.value[x] only CodeableConcept
* component.valueCodeableConcept from LateralityVS (required)

Profile: ItpPenn
Parent: Observation
Id: itp-penn
Title: "Penn Spasm Frequency Scale"
Description: "Spasm frequency 0 (none) to 4 (more than 10 an hour), with the severity 1-3 as a component when spasms occur."
* insert ItmObservation
* category 1..*
* category = $obs-cat#survey
* code = ItpObservationCodes#penn-spasm-frequency
* value[x] 1..1
* value[x] only integer
* component 0..1
* component.code = ItpObservationCodes#penn-spasm-severity
* component.value[x] 1..1
* component.value[x] only integer
* obeys itp-penn-range

Invariant: itp-penn-range
Description: "Frequency 0-4; severity 1-3, and only when spasms occur."
Expression: "(value as integer) >= 0 and (value as integer) <= 4 and (component.value as integer).all($this >= 1 and $this <= 3) and ((value as integer) = 0 implies component.empty())"
Severity: #error

Profile: ItpOdi
Parent: Observation
Id: itp-odi
Title: "Oswestry Disability Index"
Description: "ODI in percent (0-100)."
* insert ItmObservation
* category 1..*
* category = $obs-cat#survey
* code = $loinc#97908-8 "Oswestry Disability Index"
* value[x] 1..1
* value[x] only Quantity
* valueQuantity = $ucum#% "%"
* valueQuantity.value 1..1
* obeys itp-odi-range

Invariant: itp-odi-range
Description: "ODI lies between 0 and 100%."
Expression: "(value as Quantity).value >= 0 and (value as Quantity).value <= 100"
Severity: #error

Profile: ItpDeviceEvent
Parent: AdverseEvent
Id: itp-device-event
Title: "Pump or catheter complication"
Description: "An actual device complication or drug event (withdrawal, overdose) of intrathecal pump therapy, with the suspected device, delivered segment or trial bolus when known."
* actuality = #actual
* event 1..1
* event from ItpComplicationVS (required)
* subject only Reference(ItmPatient)
* date 1..1
* severity 1..1
* outcome 1..1
* suspectEntity.instance only Reference(ItpPump or ItpCatheter or ItpDeliverySegment or ItpRefill or ItpImplant or ItpTrialBolus)

Profile: ItpTrialResponse
Parent: Observation
Id: itp-trial-response
Title: "Screening trial response"
Description: "Whether the screening bolus gave an adequate response (the decision to implant)."
* insert ItmObservation
* code = ItpObservationCodes#trial-response
* partOf 1..1
* partOf only Reference(ItpTrialBolus)
* value[x] 1..1
* value[x] only boolean
