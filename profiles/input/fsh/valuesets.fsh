ValueSet: ItmDiagnosisVS
Id: itm-diagnosis
Title: "Indications for intrathecal midazolam"
Description: "Chronic low back pain and failed back surgery syndrome (post-laminectomy syndrome)."
* $sct#278860009 "Chronic low back pain"
* $sct#27151001 "Post-laminectomy syndrome"
* $sct#202725007 "Lumbar post-laminectomy syndrome"

ValueSet: SedationScaleVS
Id: sedation-4pt
Title: "Sedation score (4-point)"
Description: "All codes of the 4-point sedation scale."
* include codes from system SedationScale

ValueSet: ItmAdverseEventVS
Id: itm-adverse-event
Title: "Adverse events after intrathecal midazolam"
Description: "Side effects watched for after a single intrathecal administration."
* $sct#271782001 "Drowsy"
* $sct#25064002 "Headache"
* $sct#422587007 "Nausea"
* $sct#271299001 "Patient's condition worsened"
* $sct#398987004 "Headache following lumbar puncture"
* $sct#40492006 "Bladder dysfunction"
* $sct#235594008 "Bowel dysfunction"
* $sct#128196005 "Lumbar radiculopathy"
* $sct#192970008 "Cauda equina syndrome"

ValueSet: ItmDiluent
Id: itm-diluent
Title: "Diluents for intrathecal midazolam"
Description: "5% glucose or 0.9% sodium chloride."
* $sct#67079006 "Glucose"
* $sct#387390002 "Sodium chloride"

ValueSet: ItmPatientPosition
Id: itm-patient-position
Title: "Patient position during the puncture"
Description: "Recumbent or supine."
* $sct#102538003 "Recumbent body position"
* $sct#40199007 "Supine body position"

ValueSet: LumbarInterspaceVS
Id: lumbar-interspace
Title: "Lumbar interspace"
Description: "All lumbar puncture levels."
* include codes from system LumbarInterspace

ValueSet: TreatmentStageVS
Id: treatment-stage
Title: "Treatment stage"
Description: "All stages of the three-step algorithm."
* include codes from system TreatmentStage

ValueSet: PresenceAbsence
Id: presence-absence
Title: "Present or absent"
Description: "Finding present or absent (neurotoxicity screen)."
* $sct#52101004 "Present"
* $sct#2667000 "Absent"
