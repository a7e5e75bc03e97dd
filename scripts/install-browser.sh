#!/usr/bin/env bash
# Debian's Chromium for Playwright (Playwright's own browser download is not reachable here).
set -euo pipefail
if [ -x /usr/bin/chromium ]; then exit 0; fi
echo "==> installing Debian's chromium"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
if ! { $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium; }; then
  echo "Chromium could not be installed. Install Debian's 'chromium' package (apt-get install chromium)," >&2
  echo "or run 'make lint rust-tests' to skip the browser tests." >&2
  exit 1
fi
