// Valid examples of intrathecal pump therapy: one baclofen patient from screening to refill.

Instance: patient-p101
InstanceOf: ItmPatient
Usage: #example
Description: "Valid: pseudonymous pump patient, birth year only."
* identifier[registry].system = $reg-patient
* identifier[registry].value = "P101"
* gender = #male
* birthDate = "1972"

Instance: condition-p101-sci
InstanceOf: ItpCondition
Usage: #example
Description: "Valid: spasticity after spinal cord injury."
* clinicalStatus = $cond-clin#active
* verificationStatus = $cond-ver#confirmed
* category = $cond-cat#problem-list-item
* code = $sct#90584004 "Spinal cord injury"
* subject = Reference(patient-p101)

Instance: trial-p101-t1
InstanceOf: ItpTrialBolus
Usage: #example
Description: "Valid: 50 ug baclofen screening bolus by lumbar puncture."
* identifier.system = $reg-pump
* identifier.value = "P101-T1"
* status = #completed
* medicationCodeableConcept = $sct#387342009 "Baclofen"
* subject = Reference(patient-p101)
* effectiveDateTime = "2019-02-11"
* reasonReference = Reference(condition-p101-sci)
* dosage.route = $v3-route#ITINJ "Injection, intrathecal"
* dosage.method = $sct#397801003 "Single bolus"
* dosage.dose = 50 'ug' "ug"

Instance: trial-response-p101-t1
InstanceOf: ItpTrialResponse
Usage: #example
Description: "Valid: the 50 ug bolus gave an adequate response."
* status = #final
* code = ItpObservationCodes#trial-response
* subject = Reference(patient-p101)
* effectiveDateTime = "2019-02-11"
* partOf = Reference(trial-p101-t1)
* valueBoolean = true

Instance: pump-p101
InstanceOf: ItpPump
Usage: #example
Description: "Valid: a 40 mL programmable pump, implanted."
* udiCarrier.deviceIdentifier = "00643169007222"
* udiCarrier.issuer = "http://hl7.org/fhir/NamingSystem/gs1-di"
* udiCarrier.carrierHRF = "(01)00643169007222(17)211231(10)LOT8637A(21)NGP123456H"
* status = #active
* manufacturer = "Medtronic"
* serialNumber = "NGP123456H"
* lotNumber = "LOT8637A"
* modelNumber = "8637-40"
* type = $sct#360041000 "Implanted drug delivery system"
* patient = Reference(patient-p101)
* property[reservoir].type = ItpDeviceProperty#reservoir-volume
* property[reservoir].valueQuantity = 40 'mL' "mL"

Instance: catheter-p101
InstanceOf: ItpCatheter
Usage: #example
Description: "Valid: the intrathecal catheter, tip at T10, fed by the pump."
* status = #active
* lotNumber = "CATH8709"
* modelNumber = "8709SC"
* type = $sct#35870000 "Cerebrospinal catheter, device"
* patient = Reference(patient-p101)
* parent = Reference(pump-p101)
* property[tipLevel].type = ItpDeviceProperty#catheter-tip-level
* property[tipLevel].valueCode = SpinalLevel#T10

Instance: implant-p101
InstanceOf: ItpImplant
Usage: #example
Description: "Valid: pump and catheter implanted."
* status = #completed
* code = ItpProcedureCodes#implant
* subject = Reference(patient-p101)
* performedDateTime = "2019-03-04"
* focalDevice[0].action = $sct#257867005 "Insertion - action"
* focalDevice[0].manipulated = Reference(pump-p101)
* focalDevice[1].action = $sct#257867005 "Insertion - action"
* focalDevice[1].manipulated = Reference(catheter-p101)

Instance: fill-p101-r1
InstanceOf: ItpPumpFill
Usage: #example
Description: "Valid: baclofen 2000 ug/mL, lot given."
* code = $sct#387342009 "Baclofen"
* status = #active
* form = $sct#385229008 "Infusion solution"
* batch.lotNumber = "BAC-2019-04"
* ingredient.itemCodeableConcept = $sct#387342009 "Baclofen"
* ingredient.isActive = true
* ingredient.strength.numerator = 2000 'ug' "ug"
* ingredient.strength.denominator = 1 'mL' "mL"

Instance: refill-p101-r1
InstanceOf: ItpRefill
Usage: #example
Description: "Valid: refill with the baclofen fill."
* status = #completed
* code = ItpProcedureCodes#refill
* subject = Reference(patient-p101)
* performedDateTime = "2019-05-02"
* focalDevice.action = $sct#129426002 "Adjustment - action"
* focalDevice.manipulated = Reference(pump-p101)
* usedReference = Reference(fill-p101-r1)

Instance: refill-reading-p101-r1
InstanceOf: ItpRefillReading
Usage: #example
Description: "Valid: 4.1 mL expected, 3.9 mL aspirated, 40 mL filled."
* status = #final
* category = $obs-cat#procedure
* code = ItpObservationCodes#refill-reading
* subject = Reference(patient-p101)
* effectiveDateTime = "2019-05-02"
* device = Reference(pump-p101)
* partOf = Reference(refill-p101-r1)
* component[expected].code = ItpObservationCodes#reservoir-volume-expected
* component[expected].valueQuantity = 4.1 'mL' "mL"
* component[aspirated].code = ItpObservationCodes#reservoir-volume-aspirated
* component[aspirated].valueQuantity = 3.9 'mL' "mL"
* component[fill].code = ItpObservationCodes#fill-volume
* component[fill].valueQuantity = 40 'mL' "mL"
* component[lowReservoirDate].code = ItpObservationCodes#low-reservoir-alarm-date
* component[lowReservoirDate].valueDateTime = "2019-07-01"

Instance: interrogation-p101-i1
InstanceOf: ItpInterrogation
Usage: #example
Description: "Valid: reprogramming of the implanted pump."
* status = #completed
* code = ItpProcedureCodes#reprogramming
* subject = Reference(patient-p101)
* performedDateTime = "2019-06-03"
* focalDevice.action = $sct#129426002 "Adjustment - action"
* focalDevice.manipulated = Reference(pump-p101)

Instance: interrogation-reading-p101-i1
InstanceOf: ItpInterrogationReading
Usage: #example
Description: "Valid: no ERI, one low-reservoir alarm logged."
* status = #final
* category = $obs-cat#procedure
* code = ItpObservationCodes#interrogation-reading
* subject = Reference(patient-p101)
* effectiveDateTime = "2019-06-03"
* device = Reference(pump-p101)
* partOf = Reference(interrogation-p101-i1)
* component[eri].code = ItpObservationCodes#eri-status
* component[eri].valueBoolean = false
* component[alarm].code = ItpObservationCodes#alarm-event
* component[alarm].valueCodeableConcept = ItpAlarm#low-reservoir
* component[expected].code = ItpObservationCodes#reservoir-volume-expected
* component[expected].valueQuantity = 22.5 'mL' "mL"

Instance: programme-p101-1
InstanceOf: ItpProgramme
Usage: #example
Description: "Valid: baclofen 2000 ug/mL, 400 ug/d basal, a flex step and PTM boluses."
* extension[concentration].valueQuantity = 2000 'ug/mL' "ug/mL"
* identifier.system = $reg-pump
* identifier.value = "P101-PRG1"
* status = #active
* intent = #order
* medicationCodeableConcept = $sct#387342009 "Baclofen"
* subject = Reference(patient-p101)
* authoredOn = "2019-06-03"
* reasonReference = Reference(condition-p101-sci)
* supportingInformation = Reference(pump-p101)
* dosageInstruction[0].sequence = 1
* dosageInstruction[0].route = $v3-route#IT "Infusion, intrathecal"
* dosageInstruction[0].method = ItpInfusionMode#flex
* dosageInstruction[0].timing.repeat.timeOfDay = "06:00:00"
* dosageInstruction[0].doseAndRate.rateQuantity = 400 'ug/d' "ug/d"
* dosageInstruction[1].sequence = 2
* dosageInstruction[1].route = $v3-route#IT "Infusion, intrathecal"
* dosageInstruction[1].method = ItpInfusionMode#flex
* dosageInstruction[1].timing.repeat.timeOfDay = "22:00:00"
* dosageInstruction[1].doseAndRate.rateQuantity = 300 'ug/d' "ug/d"
* dosageInstruction[2].route = $v3-route#IT "Infusion, intrathecal"
* dosageInstruction[2].method = ItpInfusionMode#ptm-bolus
* dosageInstruction[2].extension[ptmLockout].valueDuration = 120 'min' "min"
* dosageInstruction[2].asNeededBoolean = true
* dosageInstruction[2].timing.repeat.frequency = 4
* dosageInstruction[2].timing.repeat.period = 1
* dosageInstruction[2].timing.repeat.periodUnit = #d
* dosageInstruction[2].doseAndRate.doseQuantity = 25 'ug' "ug"
* dosageInstruction[2].maxDosePerPeriod.numerator = 100 'ug' "ug"
* dosageInstruction[2].maxDosePerPeriod.denominator = 1 'd' "d"

Instance: segment-p101-1
InstanceOf: ItpDeliverySegment
Usage: #example
Description: "Valid: 400 ug/d baclofen delivered from the implant to the reprogramming."
* extension[concentration].valueQuantity = 2000 'ug/mL' "ug/mL"
* identifier.system = $reg-pump
* identifier.value = "P101-SEG1"
* status = #completed
* medicationCodeableConcept = $sct#387342009 "Baclofen"
* subject = Reference(patient-p101)
* effectivePeriod.start = "2019-03-04"
* effectivePeriod.end = "2019-06-03"
* request = Reference(programme-p101-1)
* device[0] = Reference(pump-p101)
* device[1] = Reference(catheter-p101)
* dosage.route = $v3-route#IT "Infusion, intrathecal"
* dosage.method = ItpInfusionMode#simple-continuous
* dosage.rateQuantity = 400 'ug/d' "ug/d"
* dosage.dose = 36400 'ug' "ug"

Instance: mas-p101-knee-ext-left
InstanceOf: ItpMas
Usage: #example
Description: "Valid: MAS 1+ of the left knee extensors."
* status = #final
* category = $obs-cat#exam
* code = ItpObservationCodes#mas
* subject = Reference(patient-p101)
* effectiveDateTime = "2019-06-03"
* bodySite = ItpMuscleGroup#knee-extensors
* valueCodeableConcept = MasGrade#1+
* component.code = ItpObservationCodes#laterality
* component.valueCodeableConcept = $sct#7771000 "Left"

Instance: penn-p101
InstanceOf: ItpPenn
Usage: #example
Description: "Valid: Penn frequency 2, severity 2."
* status = #final
* category = $obs-cat#survey
* code = ItpObservationCodes#penn-spasm-frequency
* subject = Reference(patient-p101)
* effectiveDateTime = "2019-06-03"
* valueInteger = 2
* component.code = ItpObservationCodes#penn-spasm-severity
* component.valueInteger = 2

Instance: odi-p101
InstanceOf: ItpOdi
Usage: #example
Description: "Valid: ODI 38%."
* status = #final
* category = $obs-cat#survey
* code = $loinc#97908-8 "Oswestry Disability Index"
* subject = Reference(patient-p101)
* effectiveDateTime = "2019-06-03"
* valueQuantity = 38 '%' "%"

Instance: revision-p101
InstanceOf: ItpRevision
Usage: #example
Description: "Valid: catheter repositioned after migration."
* status = #completed
* code = ItpProcedureCodes#catheter-revision
* subject = Reference(patient-p101)
* performedDateTime = "2020-01-15"
* focalDevice.action = $sct#360146007 "Repositioning - action"
* focalDevice.manipulated = Reference(catheter-p101)

Instance: device-event-p101-migration
InstanceOf: ItpDeviceEvent
Usage: #example
Description: "Valid: catheter migration, moderate, resolved by revision."
* actuality = #actual
* event = $sct#370512004 "Migration of implant or internal device"
* subject = Reference(patient-p101)
* date = "2020-01-10"
* severity = $ae-severity#moderate
* outcome = $ae-outcome#resolved
* suspectEntity.instance = Reference(catheter-p101)

Instance: explant-p101
InstanceOf: ItpExplant
Usage: #example
Description: "Valid: pump and catheter removed."
* status = #completed
* code = ItpProcedureCodes#explant
* subject = Reference(patient-p101)
* performedDateTime = "2024-03-01"
* reasonCode = ItpExplantReason#no-longer-needed
* focalDevice[0].action = $sct#129303008 "Removal - action"
* focalDevice[0].manipulated = Reference(pump-p101)
* focalDevice[1].action = $sct#129303008 "Removal - action"
* focalDevice[1].manipulated = Reference(catheter-p101)
