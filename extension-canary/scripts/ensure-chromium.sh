#!/usr/bin/env bash
# Makes sure Debian's chromium is installed for the end-to-end tests (never a downloaded browser).
exec "$(dirname "$0")/../../scripts/apt-ensure" chromium:/usr/bin/chromium
