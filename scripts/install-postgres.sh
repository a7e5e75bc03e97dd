#!/usr/bin/env bash
# Debian's PostgreSQL server programs: the test suite and the benchmarks start their own
# throwaway cluster with them (scripts/with-postgres.sh). No cluster is created here.
set -euo pipefail
if compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null; then exit 0; fi
echo "==> installing Debian's postgresql"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
if ! { $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq postgresql; }; then
  echo "PostgreSQL could not be installed: apt-get install postgresql" >&2
  exit 1
fi
