#!/usr/bin/env bash
# Debian's PostgreSQL server programs and nginx, for the scale-out tests and benchmarks: they
# start a throwaway cluster (scripts/with-postgres.sh) and nginx on free ports themselves.
# And wrk, the load generator of the page benchmark.
# Nothing is configured or started here.
set -euo pipefail
missing=()
if ! compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null; then missing+=(postgresql); fi
if [ ! -x /usr/sbin/nginx ]; then missing+=(nginx-light); fi
if ! command -v wrk >/dev/null; then missing+=(wrk); fi
if [ ${#missing[@]} -eq 0 ]; then exit 0; fi
echo "==> installing Debian's ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
if ! { $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}"; }; then
  echo "Could not install ${missing[*]}: apt-get install ${missing[*]}" >&2
  exit 1
fi
