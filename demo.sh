#!/usr/bin/env bash
# The main job: see README.md.
set -euo pipefail
cd "$(dirname "$0")"
./scripts/bootstrap.sh
dotnet build src/FhirIntrathecal.Cli -c Release -v quiet -nologo | tail -n 2
exec dotnet src/FhirIntrathecal.Cli/bin/Release/net10.0/fhir-intrathecal.dll demo "$@"
