# shellcheck shell=bash
# Shared by scripts/run and scripts/test: prerequisites and the locally installed tools.
set -euo pipefail

REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

die() { echo "error: $*" >&2; exit 1; }

require_tools() {
  command -v dotnet >/dev/null || die "the .NET 10 SDK is required (dotnet not on PATH): https://dot.net"
  dotnet --list-sdks | grep -q '^10\.' || die "the .NET 10 SDK is required; found: $(dotnet --list-sdks | tr '\n' ' ')"
  command -v node >/dev/null || die "Node.js 20 or newer is required (node not on PATH)"
  [ "$(node -p 'process.versions.node.split(".")[0]')" -ge 20 ] || die "Node.js 20 or newer is required; found $(node --version)"
  command -v npm >/dev/null || die "npm is required (it ships with Node.js)"
}

# npm ci, skipped when the lockfile has not changed since the last install.
npm_install() {
  local dir=$1 stamp="$1/node_modules/.canarydemo-lock"
  if [ -f "$stamp" ] && cmp -s "$dir/package-lock.json" "$stamp"; then return; fi
  echo "installing npm packages in ${dir#"$REPO_ROOT"/}"
  npm ci --prefix "$dir" --no-audit --no-fund --loglevel=error
  cp "$dir/package-lock.json" "$stamp"
}
