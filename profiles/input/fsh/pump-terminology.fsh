// Intrathecal pump therapy (issue 15): aliases, local CodeSystems and ValueSets.
// Codes follow ../shared/docs/pump-therapy-terminology.md; a local code is used only where the
// brief found no verified standard code.
Alias: $v3-route = http://terminology.hl7.org/CodeSystem/v3-RouteOfAdministration
Alias: $atc = http://www.whocc.no/atc
Alias: $ae-severity = http://terminology.hl7.org/CodeSystem/adverse-event-severity
Alias: $ae-outcome = http://terminology.hl7.org/CodeSystem/adverse-event-outcome
Alias: $ae-category = http://terminology.hl7.org/CodeSystem/adverse-event-category
Alias: $gs1-di = http://hl7.org/fhir/NamingSystem/gs1-di
Alias: $reg-pump = https://fhirintrathecal.example.org/fhir/sid/registry-pump-record

CodeSystem: ItpObservationCodes
Id: itp-observation
Title: "Intrathecal pump observation codes"
Description: "Pump readings and spasticity outcomes for which no LOINC or SNOMED term was found (brief §4)."
* ^caseSensitive = true
* ^content = #complete
* #refill-reading "Pump refill reading (expected, aspirated and fill volumes)"
* #reservoir-volume-expected "Expected residual reservoir volume"
* #reservoir-volume-aspirated "Aspirated residual reservoir volume"
* #fill-volume "Volume filled into the reservoir"
* #low-reservoir-alarm-date "Date the low-reservoir alarm will sound"
* #interrogation-reading "Pump interrogation reading"
* #alarm-event "Alarm logged by the pump"
* #eri-status "Elective replacement indicator shown"
* #mas "Modified Ashworth Scale grade of one muscle group and side"
* #laterality "Side of the body"
* #penn-spasm-frequency "Penn Spasm Frequency Scale (0-4)"
* #penn-spasm-severity "Penn spasm severity (1-3)"
* #trial-response "Adequate response to the screening bolus"

CodeSystem: ItpProcedureCodes
Id: itp-procedure
Title: "Intrathecal pump procedures"
Description: "No SNOMED concept for pump refill, interrogation or reprogramming was found (brief §1), so the pump procedures are local; a SNOMED or CPT coding may be added beside the local one."
* ^caseSensitive = true
* ^content = #complete
* #implant "Implantation of an intrathecal pump and catheter"
* #refill "Refill of an intrathecal pump reservoir"
* #interrogation "Interrogation of an intrathecal pump"
* #reprogramming "Interrogation and reprogramming of an intrathecal pump"
* #catheter-revision "Revision of an intrathecal catheter"
* #pump-replacement "Replacement of an intrathecal pump"
* #explant "Explantation of an intrathecal pump"

CodeSystem: ItpInfusionMode
Id: itp-infusion-mode
Title: "Intrathecal pump infusion mode"
Description: "Programming modes of an implanted pump (Dosage.method is example-bound)."
* ^caseSensitive = true
* ^content = #complete
* #simple-continuous "Simple continuous"
* #flex "Flex (up to 13 steps a day)"
* #single-bolus "Single bolus"
* #minimum-rate "Minimum rate"
* #stopped "Stopped"
* #ptm-bolus "Patient-activated bolus (Personal Therapy Manager)"

CodeSystem: ItpAlarm
Id: itp-alarm
Title: "Intrathecal pump alarms"
Description: "Alarms an implanted pump logs."
* ^caseSensitive = true
* ^content = #complete
* #low-reservoir "Low reservoir"
* #eri "Elective replacement indicator"
* #end-of-service "End of service"
* #motor-stall "Motor stall"
* #critical "Critical alarm"

CodeSystem: MasGrade
Id: mas-grade
Title: "Modified Ashworth Scale grade"
Description: "0, 1, 1+, 2, 3, 4; the core ordinalValue extension carries 0, 1, 1.5, 2, 3, 4 (as the CPRN registry codes 1+)."
* ^caseSensitive = true
* ^content = #complete
* #0 "No increase in muscle tone"
  * ^extension[0].url = $ordinalValue
  * ^extension[0].valueDecimal = 0
* #1 "Slight increase, catch and release or minimal resistance at the end of the range"
  * ^extension[0].url = $ordinalValue
  * ^extension[0].valueDecimal = 1
* #1+ "Slight increase, catch followed by minimal resistance through less than half the range"
  * ^extension[0].url = $ordinalValue
  * ^extension[0].valueDecimal = 1.5
* #2 "Marked increase through most of the range, part easily moved"
  * ^extension[0].url = $ordinalValue
  * ^extension[0].valueDecimal = 2
* #3 "Considerable increase, passive movement difficult"
  * ^extension[0].url = $ordinalValue
  * ^extension[0].valueDecimal = 3
* #4 "Affected part rigid in flexion or extension"
  * ^extension[0].url = $ordinalValue
  * ^extension[0].valueDecimal = 4

CodeSystem: ItpMuscleGroup
Id: itp-muscle-group
Title: "Muscle groups assessed with the Modified Ashworth Scale"
Description: "The muscle groups the registry records; SNOMED body structures for muscle groups could not be verified."
* ^caseSensitive = true
* ^content = #complete
* #elbow-flexors "Elbow flexors"
* #wrist-flexors "Wrist flexors"
* #hip-adductors "Hip adductors"
* #knee-flexors "Knee flexors"
* #knee-extensors "Knee extensors"
* #ankle-plantarflexors "Ankle plantar flexors"

CodeSystem: ItpComplication
Id: itp-complication
Title: "Intrathecal pump complications without a SNOMED disorder concept"
Description: "Catheter kink, occlusion, fracture and disconnection have only the grouper 19220005; granuloma, pocket fill and motor stall have none (brief §1)."
* ^caseSensitive = true
* ^content = #complete
* #catheter-kink "Catheter kink"
* #catheter-occlusion "Catheter occlusion"
* #catheter-fracture "Catheter fracture"
* #catheter-disconnection "Catheter disconnection"
* #granuloma "Catheter-tip granuloma"
* #pocket-fill "Refill into the pump pocket"
* #motor-stall "Pump motor stall"

CodeSystem: ItpDeviceProperty
Id: itp-device-property
Title: "Intrathecal pump device properties"
Description: "Device.property types (the element is unbound)."
* ^caseSensitive = true
* ^content = #complete
* #reservoir-volume "Reservoir volume"
* #catheter-tip-level "Vertebral level of the catheter tip"

CodeSystem: SpinalLevel
Id: spinal-level
Title: "Vertebral level"
Description: "Vertebral levels for the catheter tip; SNOMED vertebral-level concepts could not be verified (brief §4)."
* ^caseSensitive = true
* ^content = #complete
* #C1 "C1"
* #C2 "C2"
* #C3 "C3"
* #C4 "C4"
* #C5 "C5"
* #C6 "C6"
* #C7 "C7"
* #T1 "T1"
* #T2 "T2"
* #T3 "T3"
* #T4 "T4"
* #T5 "T5"
* #T6 "T6"
* #T7 "T7"
* #T8 "T8"
* #T9 "T9"
* #T10 "T10"
* #T11 "T11"
* #T12 "T12"
* #L1 "L1"
* #L2 "L2"
* #L3 "L3"

CodeSystem: ItpDeviceStatusReason
Id: itp-device-status-reason
Title: "Implanted device status reason"
Description: "R4's device-status-reason codes are operational; an explanted device is inactive with this reason (brief §2)."
* ^caseSensitive = true
* ^content = #complete
* #explanted "Explanted"

CodeSystem: ItpExplantReason
Id: itp-explant-reason
Title: "Why an intrathecal pump was removed"
Description: "Replacement (end of battery life or failure, a new pump the same day), infection, no longer needed, death, other."
* ^caseSensitive = true
* ^content = #complete
* #replacement "Replacement by a new pump"
* #infection "Infection"
* #no-longer-needed "Therapy no longer needed"
* #death "Death"
* #other "Other"

ValueSet: ItpExplantReasonVS
Id: itp-explant-reason
Title: "Explant reasons"
Description: "All local explant reasons."
* include codes from system ItpExplantReason

ValueSet: ItpDeviceStatusReasonVS
Id: itp-device-status-reason
Title: "Device status reasons, with explanted"
Description: "R4's operational device status reasons plus the local explanted."
* include codes from system http://terminology.hl7.org/CodeSystem/device-status-reason
* include codes from system ItpDeviceStatusReason

ValueSet: ItpDrugVS
Id: itp-drug
Title: "Drugs given by intrathecal pump"
Description: "Baclofen for spasticity; morphine, hydromorphone, ziconotide, bupivacaine, clonidine for pain. Ziconotide has no SNOMED concept in the brief, so its ATC code is used."
* $sct#387342009 "Baclofen"
* $sct#373529000 "Morphine"
* $sct#44508008 "Hydromorphone"
* $atc#N02BG08 "ziconotide"
* $sct#387150008 "Bupivacaine"
* $sct#372805007 "Clonidine"

ValueSet: ItpIndicationVS
Id: itp-indication
Title: "Indications for intrathecal pump therapy"
Description: "Severe spasticity of spinal or cerebral origin, dystonia, and chronic pain."
* $sct#221360009 "Spasticity"
* $sct#90584004 "Spinal cord injury"
* $sct#127295002 "Traumatic brain injury"
* $sct#128188000 "Cerebral palsy"
* $sct#24700007 "Multiple sclerosis"
* $sct#230690007 "Cerebrovascular accident"
* $sct#15802004 "Dystonia"
* $sct#82423001 "Chronic pain"

ValueSet: ItpInfusionModeVS
Id: itp-infusion-mode
Title: "Infusion modes"
Description: "All local infusion modes."
* include codes from system ItpInfusionMode

ValueSet: ItpAlarmVS
Id: itp-alarm
Title: "Pump alarms"
Description: "All local pump alarms."
* include codes from system ItpAlarm

ValueSet: MasGradeVS
Id: mas-grade
Title: "Modified Ashworth Scale grades"
Description: "All MAS grades."
* include codes from system MasGrade

ValueSet: ItpMuscleGroupVS
Id: itp-muscle-group
Title: "Muscle groups"
Description: "All local muscle groups."
* include codes from system ItpMuscleGroup

ValueSet: LateralityVS
Id: itp-laterality
Title: "Side"
Description: "Left or right."
* $sct#7771000 "Left"
* $sct#24028007 "Right"

ValueSet: SpinalLevelVS
Id: spinal-level
Title: "Vertebral levels"
Description: "All local vertebral levels."
* include codes from system SpinalLevel

ValueSet: ItpInterrogationVS
Id: itp-interrogation
Title: "Interrogation procedures"
Description: "Interrogation alone or with reprogramming."
* ItpProcedureCodes#interrogation
* ItpProcedureCodes#reprogramming

ValueSet: ItpRevisionVS
Id: itp-revision
Title: "Revision procedures"
Description: "Catheter revision or pump replacement."
* ItpProcedureCodes#catheter-revision
* ItpProcedureCodes#pump-replacement

ValueSet: ItpDeviceActionVS
Id: itp-device-action
Title: "Device actions in a revision"
Description: "SNOMED actions from R4's device-action ValueSet."
* $sct#257867005 "Insertion - action"
* $sct#129303008 "Removal - action"
* $sct#282089006 "Replacement - action"
* $sct#360146007 "Repositioning - action"
* $sct#129426002 "Adjustment - action"

ValueSet: ItpComplicationVS
Id: itp-complication
Title: "Intrathecal pump complications and device adverse events"
Description: "SNOMED where the brief verified a concept; local codes for the mechanical catheter and pump problems."
* include codes from system ItpComplication
* $sct#363101005 "Drug withdrawal"
* $sct#55680006 "Drug overdose"
* $sct#31871009 "Infection AND/OR inflammatory reaction due to internal prosthetic device"
* $sct#7180009 "Meningitis"
* $sct#230744007 "Cerebrospinal fluid leak"
* $sct#370512004 "Migration of implant or internal device"
