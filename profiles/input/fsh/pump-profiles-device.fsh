// Intrathecal pump therapy (issue 15): the devices, the drug fill and the procedures on the pump.

Profile: ItpPump
Parent: Device
Id: itp-pump
Title: "Implanted intrathecal pump"
Description: "A programmable implanted drug pump with its UDI, serial, lot, model and reservoir volume. Explanted = status inactive with statusReason explanted."
* udiCarrier 1..1
* udiCarrier.deviceIdentifier 1..1
* udiCarrier.issuer = "http://hl7.org/fhir/NamingSystem/gs1-di"
* udiCarrier.carrierHRF 1..1
* status 1..1
* statusReason 0..1
* statusReason from ItpDeviceStatusReasonVS (extensible)
* manufacturer 1..1
* serialNumber 1..1
* lotNumber 1..1
* modelNumber 1..1
* type 1..1
* type = $sct#360041000 "Implanted drug delivery system"
* patient 1..1
* patient only Reference(ItmPatient)
* parent 0..0
* property ^slicing.discriminator.type = #pattern
* property ^slicing.discriminator.path = "type"
* property ^slicing.rules = #open
* property contains reservoir 1..1
* property[reservoir].type = ItpDeviceProperty#reservoir-volume
* property[reservoir].valueQuantity 1..1
* property[reservoir].valueQuantity = $ucum#mL "mL"
* property[reservoir].valueQuantity.value 1..1
* property[reservoir].valueCode 0..0
* obeys itp-reservoir and itp-explanted

Invariant: itp-reservoir
Description: "The reservoir holds more than 0 and at most 40 mL (SynchroMed II and Prometra II: 20 or 40 mL)."
Expression: "property.where(type.coding.code = 'reservoir-volume').valueQuantity.all(value > 0 and value <= 40)"
Severity: #error

Invariant: itp-explanted
Description: "An explanted device is inactive."
Expression: "statusReason.coding.where(code = 'explanted').exists() implies status = 'inactive'"
Severity: #error

Profile: ItpCatheter
Parent: Device
Id: itp-catheter
Title: "Intrathecal catheter"
Description: "The tunnelled intrathecal catheter; parent is the pump it feeds (re-pointed when the pump is replaced)."
* status 1..1
* statusReason from ItpDeviceStatusReasonVS (extensible)
* lotNumber 1..1
* modelNumber 1..1
* type 1..1
* type = $sct#35870000 "Cerebrospinal catheter, device"
* patient 1..1
* patient only Reference(ItmPatient)
* parent 1..1
* parent only Reference(ItpPump)
* property ^slicing.discriminator.type = #pattern
* property ^slicing.discriminator.path = "type"
* property ^slicing.rules = #open
* property contains tipLevel 0..1
* property[tipLevel].type = ItpDeviceProperty#catheter-tip-level
* property[tipLevel].valueCode 1..1
* property[tipLevel].valueCode from SpinalLevelVS (required)
* property[tipLevel].valueQuantity 0..0
* obeys itp-explanted

Profile: ItpPumpFill
Parent: Medication
Id: itp-pump-fill
Title: "Intrathecal pump fill"
Description: "The drug solution put into the reservoir: drug, concentration (ug per mL) and lot. The fill volume is an Observation of the refill, not Medication.amount."
* code 1..1
* code from ItpDrugVS (required)
* status 1..1
* form = $sct#385229008 "Infusion solution"
* batch 1..1
* batch.lotNumber 1..1
* ingredient 1..*
* ingredient.item[x] only CodeableConcept
* ingredient.itemCodeableConcept from ItpDrugVS (required)
* ingredient.isActive 1..1
* ingredient.strength 1..1
* ingredient.strength.numerator 1..1
* ingredient.strength.numerator = $ucum#ug "ug"
* ingredient.strength.denominator 1..1
* ingredient.strength.denominator = $ucum#mL "mL"
* obeys itp-fill-baclofen-concentration

Invariant: itp-fill-baclofen-concentration
Description: "Baclofen comes at 50, 500, 1000 or 2000 ug/mL."
Expression: "ingredient.where(item.coding.code = '387342009').all(strength.numerator.value / strength.denominator.value in (50 | 500 | 1000 | 2000))"
Severity: #error

RuleSet: ItpProcedure
* status 1..1
* code 1..1
* subject only Reference(ItmPatient)
* performed[x] 1..1
* performed[x] only dateTime
* focalDevice 1..*
* focalDevice.action 1..1
* focalDevice.manipulated only Reference(ItpPump or ItpCatheter)

Profile: ItpImplant
Parent: Procedure
Id: itp-implant
Title: "Pump and catheter implant"
Description: "Implantation of the pump (abdominal pocket) and the intrathecal catheter: both devices in focalDevice with action insertion."
* insert ItpProcedure
* code = ItpProcedureCodes#implant
* focalDevice 2..*
* focalDevice.action = $sct#257867005 "Insertion - action"

Profile: ItpRefill
Parent: Procedure
Id: itp-refill
Title: "Pump refill"
Description: "Reservoir puncture, aspiration of the residual and refill; usedReference is the fill (drug and lot)."
* insert ItpProcedure
* code = ItpProcedureCodes#refill
* focalDevice 1..1
* focalDevice.action = $sct#129426002 "Adjustment - action"
* focalDevice.manipulated only Reference(ItpPump)
* usedReference 1..*
* usedReference only Reference(ItpPumpFill)

Profile: ItpInterrogation
Parent: Procedure
Id: itp-interrogation
Title: "Pump interrogation or reprogramming"
Description: "Telemetry read-out of the pump, with or without a new programme. Reprogramming is possible only while the pump is implanted (itp-reprogram-implanted)."
* insert ItpProcedure
* code from ItpInterrogationVS (required)
* focalDevice 1..1
* focalDevice.action = $sct#129426002 "Adjustment - action"
* focalDevice.manipulated only Reference(ItpPump)
* obeys itp-reprogram-implanted

Invariant: itp-reprogram-implanted
Description: "A pump is reprogrammed only while it is implanted (status active)."
Expression: "code.coding.where(code = 'reprogramming').exists() implies focalDevice.manipulated.resolve().all(status = 'active')"
Severity: #error

Profile: ItpRevision
Parent: Procedure
Id: itp-revision
Title: "Catheter revision or pump replacement"
Description: "Surgical revision: catheter repositioned, replaced or removed, or the pump replaced (end of battery life, failure)."
* insert ItpProcedure
* code from ItpRevisionVS (required)
* focalDevice.action from ItpDeviceActionVS (required)
* complicationDetail 0..*

Profile: ItpExplant
Parent: Procedure
Id: itp-explant
Title: "Pump explant"
Description: "Removal of the pump (and the catheter, unless it is kept)."
* insert ItpProcedure
* code = ItpProcedureCodes#explant
* focalDevice.action = $sct#129303008 "Removal - action"
* reasonCode 0..1
* reasonCode from ItpExplantReasonVS (required)
