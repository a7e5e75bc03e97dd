#!/usr/bin/env bash
# Runs a command beside a throwaway PostgreSQL server: a fresh cluster on a free port, with
# its socket and files in a temporary folder, stopped and removed when the command ends
# (whatever its outcome). The command finds it in TEST_POSTGRES_URL (superuser, no password).
#   scripts/with-postgres.sh cargo test --features ssr
set -euo pipefail
bin=$(compgen -G "/usr/lib/postgresql/*/bin" | sort -V | tail -n 1)
if [ -z "$bin" ]; then
  echo "PostgreSQL is not installed: run scripts/install-scale-out-tools.sh" >&2
  exit 1
fi
folder=$(mktemp -d /tmp/concerts-postgres.XXXXXX)
port=$(/usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
# PostgreSQL refuses to run as root: then the cluster belongs to Debian's postgres user.
as_owner=()
if [ "$(id -u)" -eq 0 ]; then
  chown postgres "$folder"
  as_owner=(runuser -u postgres --)
fi
stop() {
  "${as_owner[@]}" "$bin/pg_ctl" -D "$folder/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$folder"
}
trap stop EXIT INT TERM
"${as_owner[@]}" "$bin/initdb" -D "$folder/data" -U postgres --auth=trust -E UTF8 >"$folder/initdb.log" 2>&1 ||
  { cat "$folder/initdb.log" >&2; exit 1; }
# Durability is pointless for a cluster deleted within minutes: fsync off makes tests faster.
"${as_owner[@]}" "$bin/pg_ctl" -D "$folder/data" -l "$folder/server.log" -w -t 60 start -o \
  "-p $port -k $folder -c listen_addresses=127.0.0.1 -c max_connections=500 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" >/dev/null ||
  { cat "$folder/server.log" >&2; exit 1; }
echo "==> PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on port $port (throwaway cluster in $folder)"
export TEST_POSTGRES_URL="postgres://postgres@127.0.0.1:$port/postgres"
"$@"
