#!/usr/bin/env bash
# Starts the release server for the Playwright tests on a fresh SQLite database.
# A test may restart it: it writes `restart` into $E2E_CONTROL_DIR, then stops the server
# (its pid is in `server.pid` there); the same database is served again.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
bin="${E2E_SERVER_BIN:-$here/../target/release/concerts}"
data="$(mktemp -d -t concerts-e2e-XXXXXX)"
control="${E2E_CONTROL_DIR:-$data/control}"
mkdir -p "$control"
rm -f "$control/restart"
export DATABASE_URL="sqlite://$data/e2e.db"
# For the tests that run the binary's commands (`moderator grant`) on the same database.
echo "$DATABASE_URL" > "$control/database_url"
echo "$bin" > "$control/server_bin"
export SITE_ADDR="127.0.0.1:${E2E_PORT:-3100}"
export LEPTOS_SITE_ROOT="${E2E_SITE_ROOT:-$here/../target/site}"
export MEDIA_DIR="$data/media"
export LOG_LEVEL="${LOG_LEVEL:-warn}"
# The tests create the artists they look for.
export DEMO_CONTENT=false
# Every test signs in from 127.0.0.1: a per-address limit would only measure the suite.
export SIGN_IN_LIMIT_PER_IP=10000
export SIGN_UPS_PER_IP_PER_HOUR=10000
# The concert test moves a browser's clock past a concert's date (X-Test-Clock-Offset).
export TEST_CLOCK=true
# One test writes a long conversation at machine speed.
export MESSAGES_PER_MINUTE=1000
# A real SMTP server (Debian's aiosmtpd); the tests read what it receives in $control/maildir.
smtp_port=$(( ${E2E_PORT:-3100} + 1 ))
rm -rf "$control/maildir"
/usr/bin/python3 -m aiosmtpd -n -l "127.0.0.1:$smtp_port" -c aiosmtpd.handlers.Mailbox "$control/maildir" &
smtp=$!
export SMTP_URL="smtp://127.0.0.1:$smtp_port"
export MAIL_POLL_MS=200
server=""
trap 'kill $server $smtp 2>/dev/null; wait $server $smtp 2>/dev/null; rm -rf "$data"' EXIT INT TERM
while true; do
  "$bin" &
  server=$!
  echo "$server" > "$control/server.pid"
  wait "$server" || true
  if [[ -f "$control/restart" ]]; then
    rm -f "$control/restart"
  else
    break
  fi
done
