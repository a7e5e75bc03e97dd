#!/usr/bin/env bash
# The release build (server binary and site), redone only when what it is made from changed:
# `make run` and `make test` with nothing changed start at once instead of spending about a
# minute in cargo-leptos's JavaScript/WebAssembly step, which runs again even when cargo has
# nothing to compile. The key is a hash of the inputs, written beside both outputs: a binary
# or a site built from other sources (another checkout sharing CARGO_TARGET_DIR) is rebuilt.
set -euo pipefail
cd "$(dirname "$0")/.."
binary="${CARGO_TARGET_DIR:-target}/release/concerts"
# Beside the site root, not in it: every file in it is served.
site_key=target/site.key
key=$(
  {
    sha256sum Cargo.toml Cargo.lock build.rs
    find src style public migrations vendor -type f -print0 | sort -z | xargs -0 sha256sum
  } | sha256sum | cut -c1-32
)
if [ -x "$binary" ] && [ "$(cat "$binary.key" 2>/dev/null)" = "$key" ] &&
  [ "$(cat "$site_key" 2>/dev/null)" = "$key" ] && [ -d target/site/pkg ]; then
  echo "release build up to date ($key)"
  exit 0
fi
rm -f "$binary.key" "$site_key"
# --precompress writes a gzip and a brotli copy beside each static file, served as they are.
# --split cuts the islands marked `lazy` (the editors, the open conversation) out of the
# WebAssembly every member's page loads, into chunks fetched when such an island hydrates.
cargo leptos build --release --precompress --split
echo "$key" >"$binary.key"
echo "$key" >"$site_key"
