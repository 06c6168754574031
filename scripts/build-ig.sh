#!/usr/bin/env bash
# Compiles profiles/input/fsh with the pinned SUSHI (tools/sushi), fully offline, and
# assembles profiles/package/ (the FHIR package: package.json, .index.json, conformance
# resources, example/) and profiles/examples-invalid/. See tools/sushi/README.md.
#   scripts/build-ig.sh          rebuild and overwrite the committed output
#   scripts/build-ig.sh --check  rebuild in a temp folder; exit 1 if the committed output drifted
# Dependencies come from the FHIR package cache ($FHIR_PACKAGE_CACHE or ~/.fhir/packages):
# run `dotnet run --project src/FhirIntrathecal.Cli -- packages restore` first.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
sushi_dir="$root/tools/sushi"
if [[ ! -x "$sushi_dir/node_modules/.bin/sushi" ]]; then
  (cd "$sushi_dir" && npm ci --no-audit --no-fund --loglevel=error >&2)
fi
# fhir-package-loader reads $HOME/.fhir/packages; point HOME at the cache's grand-parent.
if [[ -n "${FHIR_PACKAGE_CACHE:-}" ]]; then
  HOME="$(dirname "$(dirname "$FHIR_PACKAGE_CACHE")")"
  export HOME
fi
# Belt and braces: any HTTP client that slips past offline.js meets a closed loopback port.
export HTTP_PROXY=http://127.0.0.1:9 HTTPS_PROXY=http://127.0.0.1:9 FPL_REGISTRY=http://127.0.0.1:9
build() { # $1 = folder holding sushi-config.yaml + input/, $2 = output folder
  rm -rf "$1/fsh-generated"
  (cd "$sushi_dir" && node -r ./offline.js node_modules/fsh-sushi/dist/app.js build "$1" --log-level warn) > "$1/sushi.log" 2>&1 \
    || { cat "$1/sushi.log" >&2; return 1; }
  if grep -Eq "^(warn|error)" "$1/sushi.log"; then cat "$1/sushi.log" >&2; return 1; fi
  node "$sushi_dir/make-package.js" "$1" "$2"
  rm -rf "$1/fsh-generated" "$1/sushi.log"
}
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
cp -r "$root/profiles/input" "$root/profiles/sushi-config.yaml" "$tmp/"
if [[ "${1:-}" == "--check" ]]; then
  build "$tmp" "$tmp/out"
  status=0
  for d in package examples-invalid; do
    diff -r "$root/profiles/$d" "$tmp/out/$d" > "$tmp/diff-$d.txt" || { status=1; head -40 "$tmp/diff-$d.txt" >&2; }
  done
  if [[ $status -ne 0 ]]; then
    echo "DRIFT: profiles/package or profiles/examples-invalid differ from profiles/input/fsh; run scripts/build-ig.sh and commit" >&2
    exit 1
  fi
  echo "profiles/package is up to date with profiles/input/fsh"
else
  build "$tmp" "$root/profiles"
fi
