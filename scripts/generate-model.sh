#!/usr/bin/env bash
# Regenerates src/FhirIntrathecal.Fhir/Model/Generated from the R4 StructureDefinitions in the FHIR package cache.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet run --project src/FhirIntrathecal.Cli -- packages restore >/dev/null
cache="${FHIR_PACKAGE_CACHE:-$HOME/.fhir/packages}"
dotnet run --project tools/FhirIntrathecal.ModelGen -- "$cache/hl7.fhir.r4.core#4.0.1/package" src/FhirIntrathecal.Fhir/Model/Generated
