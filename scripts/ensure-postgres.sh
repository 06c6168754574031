#!/usr/bin/env bash
# Makes sure PostgreSQL server binaries (initdb, pg_ctl, postgres) are on this machine for the service tests, which
# start a throw-away cluster on 127.0.0.1 themselves. Installs Debian's postgresql package when none are found.
# As root it also creates the unprivileged 'fhirpg' user the tests run the server as (postgres refuses to run as root).
# Idempotent. Prints the directory holding the binaries (the tests look in the same places, or in $PG_BIN).
set -euo pipefail

find_bin() {
  local d
  for d in "${PG_BIN:-}" /usr/local/bin $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r) /usr/pgsql-*/bin; do
    if [ -n "$d" ] && [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && [ -x "$d/postgres" ]; then
      echo "$d"
      return 0
    fi
  done
  return 1
}

if ! dir=$(find_bin); then
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    echo "ensure-postgres: installing postgresql from Debian's packages" >&2
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
    # The Debian package starts a cluster of its own; the tests do not need it.
    (command -v service >/dev/null 2>&1 && service postgresql stop >/dev/null 2>&1) || true
  else
    echo "ensure-postgres: PostgreSQL binaries not found and cannot apt-get install as non-root; the PostgreSQL tests will skip" >&2
    exit 0
  fi
  dir=$(find_bin) || { echo "ensure-postgres: installed, but initdb/pg_ctl/postgres still not found" >&2; exit 1; }
fi

if [ "$(id -u)" = 0 ] && ! id fhirpg >/dev/null 2>&1; then
  useradd --system --no-create-home --shell /usr/sbin/nologin fhirpg 2>/dev/null || useradd -r -M fhirpg
fi
echo "$dir"
