#!/usr/bin/env bash
# Runs every test: restores NuGet and FHIR packages, builds, runs all test projects, prints the official-suite figures
# and ends with "N passed, M failed". Full log: TestResults/test.log
set -uo pipefail
cd "$(dirname "$0")"
./scripts/bootstrap.sh || exit 1
mkdir -p TestResults
log=TestResults/test.log
set -e
dotnet build FhirIntrathecal.sln -c Release -v quiet -nologo | tail -n 3
dotnet run --project src/FhirIntrathecal.Cli -c Release --no-build -- packages restore
set +e
dotnet test FhirIntrathecal.sln -c Release --no-build --logger "console;verbosity=detailed" >"$log" 2>&1
status=$?
echo "== official suites and measured figures"
grep -hE '^\s*(R4 examples|FHIRPath R4 suite|R4 snapshot regeneration|R4 invariants|Every invariant|JSON.XML|crash-recovery|[A-Za-z0-9 ./-]+ suite:)' "$log" | sed 's/^ *//' | sort -u
echo "== failed tests"
grep -E '^\s+Failed ' "$log" | sed 's/^ *//' | head -n 100
echo "== per project"
grep -E '^(Passed!|Failed!)' "$log"
awk '/^(Passed!|Failed!)/ { for (i = 1; i <= NF; i++) { if ($i == "Failed:") f += $(i+1); if ($i == "Passed:") p += $(i+1); if ($i == "Skipped:") s += $(i+1) } }
     END { gsub(",", "", p); printf "%d passed, %d failed, %d skipped\n", p, f, s }' "$log"
if [ $status -ne 0 ] && ! grep -qE '^(Passed!|Failed!)' "$log"; then
  tail -n 40 "$log"
fi
exit $status
