#!/usr/bin/env bash
# Runs every test: restores NuGet and FHIR packages, builds, runs all test projects, prints the official-suite figures
# and ends with "N passed, M failed". Full log: TestResults/test.log
set -uo pipefail
cd "$(dirname "$0")"
./scripts/bootstrap.sh || exit 1
./scripts/ensure-postgres.sh >/dev/null || exit 1
mkdir -p TestResults
log=TestResults/test.log
set -e
dotnet build FhirIntrathecal.sln -c Release -v quiet -nologo | tail -n 3
dotnet run --project src/FhirIntrathecal.Cli -c Release --no-build -- packages restore
set +e
dotnet test FhirIntrathecal.sln -c Release --no-build --logger "console;verbosity=detailed" >"$log" 2>&1
status=$?
echo "== official suites and measured figures"
# Suite runners print one summary line each ("FHIRPath R4 suite: 907 passed, 5 failed", "crash-recovery: lost=0 ...").
grep -hE '^ *[A-Za-z][^:]{2,80}: ([0-9]+ (passed|matched|valid|refused|constraint|runs|attacks|resources;|audit events)|lost=|SKIPPED)' "$log" | sed 's/^ *//' | sort -u
echo "== failed tests"
grep -E '^\s+Failed ' "$log" | sed 's/^ *//' | head -n 100
echo "== per project"
grep -E '^(Test Run (Successful|Failed|Aborted)|Total tests:|\s+(Passed|Failed|Skipped): [0-9]+$)' "$log" | sed 's/^ */  /'
# The plain closing line CI reads: totals over every test project.
awk '/^ +Passed: [0-9]+$/ { p += $2 } /^ +Failed: [0-9]+$/ { f += $2 } /^ +Skipped: [0-9]+$/ { s += $2 }
     END { printf "%d passed, %d failed, %d skipped\n", p, f, s }' "$log"
if [ $status -ne 0 ] && ! grep -qE '^Total tests:' "$log"; then
  tail -n 40 "$log"
fi
exit $status
