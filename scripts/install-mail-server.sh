#!/usr/bin/env bash
# Debian's aiosmtpd: the real SMTP server the e-mail tests start on a free port.
set -euo pipefail
if /usr/bin/python3 -c "import aiosmtpd" 2>/dev/null; then exit 0; fi
echo "==> installing Debian's python3-aiosmtpd"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
if ! { $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq python3-aiosmtpd; }; then
  echo "aiosmtpd could not be installed: apt-get install python3-aiosmtpd" >&2
  exit 1
fi
