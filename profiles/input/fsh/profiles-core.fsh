Profile: ItmPatient
Parent: Patient
Id: itm-patient
Title: "Registry patient (pseudonymous)"
Description: "A patient known to the registry only by a pseudonymous registry identifier, sex and year of birth. Direct identifiers (name, contact details, address, photo) are prohibited."
* identifier 1..*
* identifier ^slicing.discriminator.type = #value
* identifier ^slicing.discriminator.path = "system"
* identifier ^slicing.rules = #open
* identifier contains registry 1..1
* identifier[registry].system 1..1
* identifier[registry].system = $reg-patient (exactly)
* identifier[registry].value 1..1
* gender 1..1
* birthDate 1..1
* birthDate obeys itm-birth-year
* name 0..0
* telecom 0..0
* address 0..0
* photo 0..0
* contact 0..0

Invariant: itm-birth-year
Description: "Birth date is recorded to year precision only (pseudonymisation)."
Expression: "toString().length() = 4"
Severity: #error

Profile: ItmCondition
Parent: Condition
Id: itm-condition
Title: "Indication: chronic low back pain or FBSS"
Description: "The diagnosis for which intrathecal midazolam is given. One SNOMED code from the ValueSet is required; ICD-10 translations may be added as further codings."
* clinicalStatus 1..1
* verificationStatus 1..1
* category 1..*
* code 1..1
* code from ItmDiagnosisVS (required)
* subject only Reference(ItmPatient)

Profile: ItmMidazolam
Parent: Medication
Id: itm-midazolam
Title: "Preservative-free midazolam injectate"
Description: "The prepared injectate: midazolam (active; strength = dose per total volume) in a diluent (inactive), preservative-free, with its injectate volume."
* extension contains PreservativeFree named preservativeFree 1..1 and InjectateVolume named injectateVolume 1..1
* extension[preservativeFree].valueBoolean = true
* code 1..1
* code = $sct#26800000 "Product containing midazolam"
* status 1..1
* form = $sct#385219001 "Injection solution"
* ingredient 2..*
* ingredient ^slicing.discriminator.type = #value
* ingredient ^slicing.discriminator.path = "isActive"
* ingredient ^slicing.rules = #open
* ingredient contains midazolam 1..1 and diluent 1..1
* ingredient[midazolam].item[x] only CodeableConcept
* ingredient[midazolam].itemCodeableConcept = $sct#373476007 "Midazolam"
* ingredient[midazolam].isActive 1..1
* ingredient[midazolam].isActive = true
* ingredient[midazolam].strength 1..1
* ingredient[midazolam].strength.numerator = $ucum#mg "mg"
* ingredient[midazolam].strength.denominator = $ucum#mL "mL"
* ingredient[diluent].item[x] only CodeableConcept
* ingredient[diluent].itemCodeableConcept from ItmDiluent (required)
* ingredient[diluent].isActive 1..1
* ingredient[diluent].isActive = false

Profile: ItmAdministration
Parent: MedicationAdministration
Id: itm-administration
Title: "Single-shot intrathecal midazolam administration"
Description: "One lumbar intrathecal injection of 2–5 mg preservative-free midazolam."
* extension contains NeedleGauge named needleGauge 1..1 and PatientPosition named position 0..1 and LumbarInterspaceLevel named interspace 0..1 and BedRest named bedRest 0..1 and TreatmentStageExt named stage 0..1
* identifier 1..*
* partOf only Reference(ItmLumbarPuncture)
* medication[x] only Reference(ItmMidazolam)
* subject only Reference(ItmPatient)
* effective[x] only dateTime
* reasonReference 1..*
* reasonReference only Reference(ItmCondition)
* supportingInformation only Reference(ItmBodyWeight)
* dosage 1..1
* dosage.route 1..1
* dosage.route = $sct#72607000 "Intrathecal route"
* dosage.method 1..1
* dosage.method = $sct#422145002 "Inject"
* dosage.site 1..1
* dosage.site = $sct#122496007 "Structure of lumbar vertebral column"
* dosage.dose 1..1
* dosage.dose.value 1..1
* dosage.dose = $ucum#mg "mg"
* dosage.rate[x] 0..0
* obeys itm-dose-range

Invariant: itm-dose-range
Description: "The intrathecal midazolam dose is between 2 and 5 mg."
Expression: "dosage.dose.value >= 2 and dosage.dose.value <= 5"
Severity: #error

Profile: ItmLumbarPuncture
Parent: Procedure
Id: itm-lumbar-puncture
Title: "Lumbar puncture"
Description: "The lumbar puncture through which the intrathecal injection is given."
* code 1..1
* code = $sct#277762005 "Lumbar puncture"
* subject only Reference(ItmPatient)
* performed[x] 1..1
* performed[x] only dateTime
