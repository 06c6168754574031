Profile: ItmAdverseEvent
Parent: AdverseEvent
Id: itm-adverse-event
Title: "Adverse event after intrathecal midazolam"
Description: "An actual side effect, suspected to be caused by one administration."
* actuality = #actual
* event 1..1
* event from ItmAdverseEventVS (required)
* subject only Reference(ItmPatient)
* date 1..1
* severity 1..1
* outcome 1..1
* suspectEntity 1..*
* suspectEntity.instance only Reference(ItmAdministration)
* study only Reference(ItmRegistryStudy)

Profile: ItmRegistryStudy
Parent: ResearchStudy
Id: itm-registry-study
Title: "Intrathecal midazolam registry"
Description: "The registry (observational study) the records belong to."
* identifier 1..*
* identifier.system 1..1
* identifier.value 1..1
* title 1..1
* condition 1..*
* condition from ItmDiagnosisVS (required)

Profile: ItmRegistrySubject
Parent: ResearchSubject
Id: itm-registry-subject
Title: "Registry enrolment"
Description: "A patient's enrolment in the registry."
* study only Reference(ItmRegistryStudy)
* individual only Reference(ItmPatient)

Profile: ItmImportProvenance
Parent: Provenance
Id: itm-import-provenance
Title: "Registry import provenance"
Description: "One per import: which registry file the targets came from and which tool created them."
* activity 1..1
* activity = $v3-DataOperation#CREATE
* agent 1..*
* agent.type 1..1
* agent.type = $provenance-agent-type#assembler
* entity 1..*
* entity.role = #source
* entity.what.display 1..1
