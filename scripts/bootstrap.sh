#!/usr/bin/env bash
# Installs what the project needs beyond the .NET SDK: Node.js + npm (FHIR package restore, the sandbox server, SUSHI).
# Idempotent; uses Debian's packages only when something is missing.
set -euo pipefail
need_node=0
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  need_node=1
elif [ "$(node -p 'process.versions.node.split(".")[0]')" -lt 20 ]; then
  echo "bootstrap: node $(node --version) is older than 20; the sandbox server needs Node 20+" >&2
fi
if [ "$need_node" = 1 ]; then
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    echo "bootstrap: installing nodejs and npm from Debian's packages" >&2
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null
  else
    echo "bootstrap: Node.js 20+ and npm are required (not found, and cannot apt-get install as non-root)" >&2
    exit 1
  fi
fi
command -v dotnet >/dev/null 2>&1 || { echo "bootstrap: the .NET 10 SDK is required" >&2; exit 1; }
