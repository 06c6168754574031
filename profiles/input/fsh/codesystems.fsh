CodeSystem: SedationScale
Id: sedation-4pt
Title: "Sedation score after intrathecal midazolam (4-point)"
Description: "0 wide awake and alert; 1 at times drowsy but easily aroused; 2 somnolent but easily aroused; 3 somnolent and difficult to arouse. No LOINC answer list fits this scale, so it is local; each concept carries the core ordinalValue extension."
* ^caseSensitive = true
* ^content = #complete
* #0 "Wide awake and alert"
  * ^extension[0].url = $ordinalValue
  * ^extension[0].valueDecimal = 0
* #1 "At times drowsy but easily aroused"
  * ^extension[0].url = $ordinalValue
  * ^extension[0].valueDecimal = 1
* #2 "Somnolent but easily aroused"
  * ^extension[0].url = $ordinalValue
  * ^extension[0].valueDecimal = 2
* #3 "Somnolent and difficult to arouse"
  * ^extension[0].url = $ordinalValue
  * ^extension[0].valueDecimal = 3

CodeSystem: ItmObservationCodes
Id: itm-observation
Title: "Intrathecal registry observation codes"
Description: "Observations for which no LOINC or SNOMED term was found."
* ^caseSensitive = true
* ^content = #complete
* #pain-relief-pct "Pain relief (percent reduction of NRS from baseline)"
* #analgesia-duration "Duration of analgesia after a single intrathecal administration"
* #responder "Responder: at least 50% pain relief with better quality of life and function"
* #function-improved "Quality of life and function improved"
* #sedation-score "Sedation score (4-point scale)"
* #neurotox-screen "Neurotoxicity screen"
* #bladder-dysfunction "Bladder dysfunction"
* #bowel-dysfunction "Bowel dysfunction"
* #new-radiculopathy "New radiculopathy"

CodeSystem: TreatmentStage
Id: treatment-stage
Title: "Stage in the three-step treatment algorithm"
Description: "Local injections, then epidural steroids, then single-shot intrathecal midazolam."
* ^caseSensitive = true
* ^content = #complete
* #local-injection "Local injections (trigger points, facet or sacroiliac joints)"
* #epidural-steroid "Epidural steroid injection"
* #intrathecal-midazolam "Single-shot intrathecal midazolam"

CodeSystem: LumbarInterspace
Id: lumbar-interspace
Title: "Lumbar interspace"
Description: "Puncture level. SNOMED has a concept for L5 (565008) but the other levels could not be verified, so the levels are local."
* ^caseSensitive = true
* ^content = #complete
* #L1-L2 "L1-L2 interspace"
* #L2-L3 "L2-L3 interspace"
* #L3-L4 "L3-L4 interspace"
* #L4-L5 "L4-L5 interspace"
* #L5-S1 "L5-S1 interspace"
