#!/usr/bin/env bash
# Ours beside Firely's SDK (and System.Text.Json as the limit reference), BenchmarkDotNet, same input in the same run;
# prints one table of ratios at the end. Usage: scripts/bench.sh ['*Json*' ...]   (default: every suite)
# Absolute figures depend on the machine and its load; the ratios within one run are what compares.
set -euo pipefail
cd "$(dirname "$0")/.."
artifacts=bench/results
filters=("$@")
[ ${#filters[@]} -eq 0 ] && filters=('*JsonBenchmarks*' '*BundleBenchmarks*' '*XmlBenchmarks*' '*FhirPathBenchmarks*' '*ValidationBenchmarks*')
dotnet run -c Release --project bench/FhirIntrathecal.Benchmarks -- --filter "${filters[@]}" --exporters github --artifacts "$artifacts" --buildTimeout 1800

echo
echo "== Time relative to ours (BenchmarkDotNet Ratio = mean / our mean: 2.00 means twice our time, 0.50 half) =="
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), load average $(cut -d' ' -f1-3 /proc/loadavg), $(dotnet --version)"
for report in "$artifacts"/results/*-report-github.md; do
  awk -F'|' '
    function trim(s) { gsub(/^[ \t*]+|[ \t*]+$/, "", s); return s }
    /^\|/ && !header { for (i = 2; i < NF; i++) col[trim($i)] = i; header = 1; next }
    /^\|[-: |]+\|$/ { next }
    /^\|/ && header {
      m = trim($col["Method"]); r = trim($col["Ratio"]); c = ("Categories" in col) ? trim($col["Categories"]) : ""
      p = ("Resource" in col) ? " [" trim($col["Resource"]) "]" : ""
      mb = ("MB/s" in col) ? trim($col["MB/s"]) : "-"; bib = ("B/input B" in col) ? trim($col["B/input B"]) : "-"
      if (r != "" && r != "?") {
        printf "%-28s %-32s mean %-13s MB/s %-8s B/input-B %-6s ratio %s\n", c p, m, trim($col["Mean"]), mb, bib, r
      }
    }' "$report"
done

# BenchmarkDotNet runs each benchmark in its own process, one after another; the parse ratios are also measured paired
# (ours, JsonDocument.Parse and Firely Ostrich in turn in one process), which a machine whose speed drifts cannot skew.
if printf '%s\n' "${filters[@]}" | grep -q 'Json'; then
  echo
  echo "== JSON parse ratios, paired in one process (bench/FhirIntrathecal.Benchmarks/ParsePaired.cs) =="
  dotnet run -c Release --no-build --project bench/FhirIntrathecal.Benchmarks -- parse-paired | tail -1
fi
