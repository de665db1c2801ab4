#!/usr/bin/env bash
# Makes sure Debian's chromium is installed for the end-to-end tests.
# Never downloads a browser build: it only uses the distribution's package.
set -euo pipefail

CHROMIUM=/usr/bin/chromium

if [[ -x "$CHROMIUM" ]]; then
  exit 0
fi

if [[ "$(id -u)" -ne 0 ]]; then
  echo "ensure-chromium: $CHROMIUM is missing. Install Debian's chromium package as root" >&2
  echo "  (sudo apt-get update && sudo apt-get install -y chromium), then run the tests again." >&2
  exit 1
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "ensure-chromium: $CHROMIUM is missing and apt-get is not available on this machine." >&2
  echo "  Install a Chromium at $CHROMIUM with your system's package manager, then run the tests again." >&2
  exit 1
fi

echo "ensure-chromium: installing Debian's chromium package with apt-get" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends chromium >/dev/null

if [[ ! -x "$CHROMIUM" ]]; then
  echo "ensure-chromium: apt-get finished but $CHROMIUM is still missing." >&2
  exit 1
fi
echo "ensure-chromium: $("$CHROMIUM" --version)" >&2
