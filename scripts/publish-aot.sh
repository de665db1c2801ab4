#!/bin/sh
# The one Native AOT publish command of this repository. The Dockerfiles and the
# test command's AOT smoke build both call it, so the binary that is tested is the
# binary that ships.
#
#   scripts/publish-aot.sh <Service> <out-dir> [rid]   restore + AOT publish into <out-dir>
#   scripts/publish-aot.sh --restore-only <Service> [rid]
#
# <Service> is a project folder (ApiService, StoreService). [rid] defaults to the
# Linux RID of this machine (linux-x64 or linux-arm64): Native AOT compiles for the
# architecture it runs on unless a cross toolchain is installed. Restore and publish
# share the same arguments, so the publish after a --restore-only step (the cached
# Docker layer) finds the assets up to date and downloads nothing.
# POSIX sh on purpose: the SDK image's /bin/sh is dash.
set -eu

usage() {
  echo "usage: $0 <Service> <out-dir> [rid] | $0 --restore-only <Service> [rid]" >&2
  exit 2
}

restore_only=false
if [ "${1:-}" = "--restore-only" ]; then
  restore_only=true
  shift
fi

service="${1:-}"
if [ -z "$service" ]; then usage; fi
if $restore_only; then
  if [ $# -gt 2 ]; then usage; fi
  rid="${2:-}"
else
  if [ $# -lt 2 ] || [ $# -gt 3 ]; then usage; fi
  out_dir="$2"
  rid="${3:-}"
fi

if [ -z "$rid" ]; then
  case "$(uname -m)" in
    x86_64 | amd64) rid=linux-x64 ;;
    aarch64 | arm64) rid=linux-arm64 ;;
    *) echo "publish-aot: no default RID for architecture $(uname -m); pass one" >&2; exit 2 ;;
  esac
fi

repo_root="$(cd "$(dirname "$0")/.." && pwd)"
project="$repo_root/$service/$service.csproj"
if [ ! -f "$project" ]; then
  echo "publish-aot: $project not found (expected ApiService or StoreService)" >&2
  exit 2
fi

if $restore_only; then
  exec dotnet restore "$project" -r "$rid" -p:PublishAot=true
fi

exec dotnet publish "$project" -c Release -r "$rid" -p:PublishAot=true -o "$out_dir"
