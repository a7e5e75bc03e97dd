#!/usr/bin/env bash
# make lighthouse: Lighthouse on the release build with demo content, in a throwaway folder (the
# server is stopped afterwards): public pages as a visitor, then a member's pages with the demo
# host's session and an artist's editor with a demo artist's. Installs Lighthouse 12.2.3 once.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
bin="${CONCERTS_SERVER_BIN:-$root/target/release/concerts}"
# Installed from the lock file, like end2end/ (node_modules is not committed).
if [ ! -d "$here/lighthouse/node_modules/lighthouse" ] \
  || [ "$here/lighthouse/package-lock.json" -nt "$here/lighthouse/node_modules/.package-lock.json" ]; then
  (cd "$here/lighthouse" && npm ci --no-audit --no-fund)
fi
data="$(mktemp -d -t concerts-lighthouse-XXXXXX)"
port="${LIGHTHOUSE_PORT:-3200}"
DATABASE_URL="sqlite://$data/site.db" MEDIA_DIR="$data/media" SITE_ADDR="127.0.0.1:$port" \
  LEPTOS_SITE_ROOT="$root/target/site" DEMO_CONTENT=true LOG_LEVEL=warn "$bin" >"$data/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$data"' EXIT
for _ in $(seq 100); do
  if curl -fs "http://127.0.0.1:$port/healthz" >/dev/null; then break; fi
  sleep 0.2
done
profile="$(curl -fs "http://127.0.0.1:$port/artistes" | grep -o 'href="/artistes/[a-z0-9-]*"' | head -1 | cut -d'"' -f2)"
# A demo account's session cookie (`session=…`), signed in through the API.
session_of() {
  curl -fs -o /dev/null -D - -H "origin: http://127.0.0.1:$port" -H "accept: application/json" \
    --data-urlencode "email=$1" --data-urlencode "password=concert-demo-2026" \
    "http://127.0.0.1:$port/api/sign_in" | grep -io '^set-cookie: session=[^;]*' | cut -d' ' -f2
}
host="$(session_of demo.hote1@example.org)"
artist="$(session_of demo.artiste01@example.org)"
cd "$here/lighthouse"
export BASE_URL="http://127.0.0.1:$port"
WHO=visitor node run.mjs / /artistes "/recherche?type=jazz&ville=Lyon" "$profile" /connexion
WHO="member (demo host)" COOKIE="$host" node run.mjs /messages /profil
WHO="member (demo artist)" COOKIE="$artist" node run.mjs /profil
