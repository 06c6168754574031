// Invalid examples of intrathecal pump therapy (same convention as examples-invalid.fsh: base resource,
// meta.profile = the claimed profile, exactly one broken rule named in the Description and narrative).
// Cross-resource rules (reprogramming while implanted, fill <= reservoir) resolve a contained pump.

Instance: pump-explanted-inline
InstanceOf: Device
Usage: #inline
Description: "An explanted 20 mL pump, contained by the invalid examples that need one."
* status = #inactive
* statusReason = ItpDeviceStatusReason#explanted
* property[0].type = ItpDeviceProperty#reservoir-volume
* property[0].valueQuantity = 20 'mL' "mL"

Instance: invalid-pump-reservoir-60ml
InstanceOf: Device
Usage: #example
Description: "INVALID: a 60 mL reservoir exceeds the 40 mL pumps (itp-reservoir)."
* insert Invalid(itp-pump, a 60 mL reservoir exceeds the 40 mL pumps [itp-reservoir])
* udiCarrier.deviceIdentifier = "00643169007222"
* udiCarrier.issuer = "http://hl7.org/fhir/NamingSystem/gs1-di"
* udiCarrier.carrierHRF = "(01)00643169007222(17)211231(10)LOT8637A(21)NGP900001H"
* status = #active
* manufacturer = "Medtronic"
* serialNumber = "NGP900001H"
* lotNumber = "LOT8637A"
* modelNumber = "8637-40"
* type = $sct#360041000 "Implanted drug delivery system"
* patient = Reference(Patient/patient-p101)
* property[0].type = ItpDeviceProperty#reservoir-volume
* property[0].valueQuantity = 60 'mL' "mL"

Instance: invalid-catheter-no-parent
InstanceOf: Device
Usage: #example
Description: "INVALID: a catheter must name the pump it feeds (parent 1..1)."
* insert Invalid(itp-catheter, a catheter must name the pump it feeds [parent 1..1])
* status = #active
* lotNumber = "CATH8709"
* modelNumber = "8709SC"
* type = $sct#35870000 "Cerebrospinal catheter, device"
* patient = Reference(Patient/patient-p101)

Instance: invalid-fill-baclofen-1500
InstanceOf: Medication
Usage: #example
Description: "INVALID: baclofen is not made at 1500 ug/mL (itp-fill-baclofen-concentration)."
* insert Invalid(itp-pump-fill, baclofen is not made at 1500 ug/mL [itp-fill-baclofen-concentration])
* code = $sct#387342009 "Baclofen"
* status = #active
* form = $sct#385229008 "Infusion solution"
* batch.lotNumber = "BAC-2019-04"
* ingredient.itemCodeableConcept = $sct#387342009 "Baclofen"
* ingredient.isActive = true
* ingredient.strength.numerator = 1500 'ug' "ug"
* ingredient.strength.denominator = 1 'mL' "mL"

Instance: invalid-implant-pump-only
InstanceOf: Procedure
Usage: #example
Description: "INVALID: an implant records both the pump and the catheter (focalDevice 2..*)."
* insert Invalid(itp-implant, an implant records both the pump and the catheter [focalDevice 2..*])
* status = #completed
* code = ItpProcedureCodes#implant
* subject = Reference(Patient/patient-p101)
* performedDateTime = "2019-03-04"
* focalDevice.action = $sct#257867005 "Insertion - action"
* focalDevice.manipulated = Reference(Device/pump-p101)

Instance: invalid-refill-no-fill
InstanceOf: Procedure
Usage: #example
Description: "INVALID: a refill names the fill it used (usedReference 1..*)."
* insert Invalid(itp-refill, a refill names the fill it used [usedReference 1..*])
* status = #completed
* code = ItpProcedureCodes#refill
* subject = Reference(Patient/patient-p101)
* performedDateTime = "2019-05-02"
* focalDevice.action = $sct#129426002 "Adjustment - action"
* focalDevice.manipulated = Reference(Device/pump-p101)

Instance: invalid-reprogramming-explanted-pump
InstanceOf: Procedure
Usage: #example
Description: "INVALID: an explanted pump cannot be reprogrammed (itp-reprogram-implanted)."
* insert Invalid(itp-interrogation, an explanted pump cannot be reprogrammed [itp-reprogram-implanted])
* contained[0] = pump-explanted-inline
* status = #completed
* code = ItpProcedureCodes#reprogramming
* subject = Reference(Patient/patient-p101)
* performedDateTime = "2024-04-01"
* focalDevice.action = $sct#129426002 "Adjustment - action"
* focalDevice.manipulated = Reference(pump-explanted-inline)

Instance: invalid-revision-refill-code
InstanceOf: Procedure
Usage: #example
Description: "INVALID: a refill is not a revision (code binding ItpRevisionVS)."
* insert Invalid(itp-revision, a refill is not a revision [code binding])
* status = #completed
* code = ItpProcedureCodes#refill
* subject = Reference(Patient/patient-p101)
* performedDateTime = "2020-01-15"
* focalDevice.action = $sct#360146007 "Repositioning - action"
* focalDevice.manipulated = Reference(Device/catheter-p101)

Instance: invalid-explant-insertion
InstanceOf: Procedure
Usage: #example
Description: "INVALID: an explant removes devices (focalDevice.action = removal)."
* insert Invalid(itp-explant, an explant removes devices [focalDevice.action])
* status = #completed
* code = ItpProcedureCodes#explant
* subject = Reference(Patient/patient-p101)
* performedDateTime = "2024-03-01"
* focalDevice.action = $sct#257867005 "Insertion - action"
* focalDevice.manipulated = Reference(Device/pump-p101)

Instance: invalid-pump-condition-migraine
InstanceOf: Condition
Usage: #example
Description: "INVALID: migraine is not an indication for pump therapy (code binding)."
* insert Invalid(itp-condition, migraine is not an indication for pump therapy [code binding])
* clinicalStatus = $cond-clin#active
* verificationStatus = $cond-ver#confirmed
* category = $cond-cat#problem-list-item
* code = $sct#37796009 "Migraine"
* subject = Reference(Patient/patient-p101)

Instance: invalid-trial-baclofen-150
InstanceOf: MedicationAdministration
Usage: #example
Description: "INVALID: a baclofen screening bolus above 100 ug (itp-trial-baclofen)."
* insert Invalid(itp-trial-bolus, a baclofen screening bolus above 100 ug [itp-trial-baclofen])
* identifier.system = $reg-pump
* identifier.value = "P101-T9"
* status = #completed
* medicationCodeableConcept = $sct#387342009 "Baclofen"
* subject = Reference(Patient/patient-p101)
* effectiveDateTime = "2019-02-13"
* dosage.route = $v3-route#ITINJ "Injection, intrathecal"
* dosage.method = $sct#397801003 "Single bolus"
* dosage.dose = 150 'ug' "ug"

RuleSet: InvalidProgramme
* identifier.system = $reg-pump
* identifier.value = "P101-PRG9"
* status = #active
* intent = #order
* medicationCodeableConcept = $sct#387342009 "Baclofen"
* subject = Reference(Patient/patient-p101)
* dosageInstruction.route = $v3-route#IT "Infusion, intrathecal"
* dosageInstruction.method = ItpInfusionMode#simple-continuous

Instance: invalid-programme-baclofen-2500
InstanceOf: MedicationRequest
Usage: #example
Description: "INVALID: 2500 ug/d baclofen exceeds the labelled 2003 ug/d (itp-prog-baclofen)."
* insert Invalid(itp-programme, 2500 ug/d baclofen exceeds the labelled 2003 ug/d [itp-prog-baclofen])
* extension[0].url = Canonical(itp-concentration)
* extension[0].valueQuantity = 2000 'ug/mL' "ug/mL"
* insert InvalidProgramme
* authoredOn = "2019-06-03"
* supportingInformation = Reference(Device/pump-p101)
* dosageInstruction.doseAndRate.rateQuantity = 2500 'ug/d' "ug/d"

Instance: invalid-programme-explanted-pump
InstanceOf: MedicationRequest
Usage: #example
Description: "INVALID: a programme for an explanted pump (itp-reprogram-on-implanted-pump)."
* insert Invalid(itp-programme, a programme for an explanted pump [itp-reprogram-on-implanted-pump])
* contained[0] = pump-explanted-inline
* extension[0].url = Canonical(itp-concentration)
* extension[0].valueQuantity = 2000 'ug/mL' "ug/mL"
* insert InvalidProgramme
* authoredOn = "2024-04-01"
* supportingInformation = Reference(pump-explanted-inline)
* dosageInstruction.doseAndRate.rateQuantity = 400 'ug/d' "ug/d"

Instance: invalid-segment-ziconotide-25
InstanceOf: MedicationAdministration
Usage: #example
Description: "INVALID: 25 ug/d ziconotide exceeds the labelled 19.2 ug/d (itp-seg-ziconotide)."
* insert Invalid(itp-delivery-segment, 25 ug/d ziconotide exceeds the labelled 19.2 ug/d [itp-seg-ziconotide])
* extension[0].url = Canonical(itp-concentration)
* extension[0].valueQuantity = 100 'ug/mL' "ug/mL"
* identifier.system = $reg-pump
* identifier.value = "P101-SEG9"
* status = #in-progress
* medicationCodeableConcept = $atc#N02BG08 "ziconotide"
* subject = Reference(Patient/patient-p101)
* effectivePeriod.start = "2019-03-04"
* request = Reference(MedicationRequest/programme-p101-1)
* device = Reference(Device/pump-p101)
* dosage.route = $v3-route#IT "Infusion, intrathecal"
* dosage.method = ItpInfusionMode#simple-continuous
* dosage.rateQuantity = 25 'ug/d' "ug/d"

Instance: invalid-refill-reading-overfill
InstanceOf: Observation
Usage: #example
Description: "INVALID: 40 mL filled into a 20 mL reservoir (itp-refill-reservoir)."
* insert Invalid(itp-refill-reading, 40 mL filled into a 20 mL reservoir [itp-refill-reservoir])
* contained[0] = pump-explanted-inline
* status = #final
* category = $obs-cat#procedure
* code = ItpObservationCodes#refill-reading
* subject = Reference(Patient/patient-p101)
* effectiveDateTime = "2019-05-02"
* device = Reference(pump-explanted-inline)
* partOf = Reference(Procedure/refill-p101-r1)
* component[0].code = ItpObservationCodes#reservoir-volume-expected
* component[0].valueQuantity = 4.1 'mL' "mL"
* component[1].code = ItpObservationCodes#reservoir-volume-aspirated
* component[1].valueQuantity = 3.9 'mL' "mL"
* component[2].code = ItpObservationCodes#fill-volume
* component[2].valueQuantity = 40 'mL' "mL"

Instance: invalid-interrogation-reading-no-eri
InstanceOf: Observation
Usage: #example
Description: "INVALID: an interrogation reading states the elective replacement indicator (component:eri 1..1)."
* insert Invalid(itp-interrogation-reading, an interrogation reading states the elective replacement indicator [component:eri 1..1])
* status = #final
* category = $obs-cat#procedure
* code = ItpObservationCodes#interrogation-reading
* subject = Reference(Patient/patient-p101)
* effectiveDateTime = "2019-06-03"
* device = Reference(Device/pump-p101)
* partOf = Reference(Procedure/interrogation-p101-i1)
* component[0].code = ItpObservationCodes#alarm-event
* component[0].valueCodeableConcept = ItpAlarm#low-reservoir

Instance: invalid-mas-no-muscle
InstanceOf: Observation
Usage: #example
Description: "INVALID: a MAS grade names its muscle group (bodySite 1..1)."
* insert Invalid(itp-mas, a MAS grade names its muscle group [bodySite 1..1])
* status = #final
* category = $obs-cat#exam
* code = ItpObservationCodes#mas
* subject = Reference(Patient/patient-p101)
* effectiveDateTime = "2019-06-03"
* valueCodeableConcept = MasGrade#2
* component.code = ItpObservationCodes#laterality
* component.valueCodeableConcept = $sct#24028007 "Right"

Instance: invalid-penn-5
InstanceOf: Observation
Usage: #example
Description: "INVALID: Penn spasm frequency 5 is off the 0-4 scale (itp-penn-range)."
* insert Invalid(itp-penn, Penn spasm frequency 5 is off the 0-4 scale [itp-penn-range])
* status = #final
* category = $obs-cat#survey
* code = ItpObservationCodes#penn-spasm-frequency
* subject = Reference(Patient/patient-p101)
* effectiveDateTime = "2019-06-03"
* valueInteger = 5

Instance: invalid-odi-120
InstanceOf: Observation
Usage: #example
Description: "INVALID: ODI 120% is above 100% (itp-odi-range)."
* insert Invalid(itp-odi, ODI 120% is above 100% [itp-odi-range])
* status = #final
* category = $obs-cat#survey
* code = $loinc#97908-8 "Oswestry Disability Index"
* subject = Reference(Patient/patient-p101)
* effectiveDateTime = "2019-06-03"
* valueQuantity = 120 '%' "%"

Instance: invalid-device-event-headache
InstanceOf: AdverseEvent
Usage: #example
Description: "INVALID: headache is not a pump complication (event binding ItpComplicationVS)."
* insert Invalid(itp-device-event, headache is not a pump complication [event binding])
* actuality = #actual
* event = $sct#25064002 "Headache"
* subject = Reference(Patient/patient-p101)
* date = "2020-01-10"
* severity = $ae-severity#mild
* outcome = $ae-outcome#resolved
* suspectEntity.instance = Reference(Device/catheter-p101)

Instance: invalid-trial-response-as-text
InstanceOf: Observation
Usage: #example
Description: "INVALID: the trial response is yes or no (value only boolean)."
* insert Invalid(itp-trial-response, the trial response is yes or no [value only boolean])
* status = #final
* code = ItpObservationCodes#trial-response
* subject = Reference(Patient/patient-p101)
* effectiveDateTime = "2019-02-11"
* partOf = Reference(MedicationAdministration/trial-p101-t1)
* valueString = "good"
