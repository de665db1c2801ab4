#!/usr/bin/env bash
# Points one environment's overlays at a released image version:
#
#   .github/scripts/bump-overlay.sh <staging|production|integration-001> <version> <image-prefix>
#
# For each service it checks that <image-prefix>/<service>:<version> exists, runs
# `kustomize edit set image <image-prefix>/<service>:<version>` (the tag of the overlay's
# `images:` entry named <image-prefix>/<service>) in
# manifests-microservices/kustomize/<service>/overlays/<environment>, and renders the
# overlay to prove the Deployment now uses that image (an images: entry whose name
# matches no container would otherwise be a silent no-op). Needs kustomize, docker
# (logged in to the registry when packages are private), node and jq.
set -euo pipefail

if [ $# -ne 3 ]; then
  echo "usage: $0 <environment> <version> <image-prefix>" >&2
  exit 2
fi
environment="$1"
version="$2"
prefix="$3"

for service in $(node .github/scripts/services.mjs names | jq -r '.[]'); do
  overlay="manifests-microservices/kustomize/$service/overlays/$environment"
  image="$prefix/$service:$version"
  if [ ! -f "$overlay/kustomization.yaml" ]; then
    echo "::error::$overlay/kustomization.yaml not found"
    exit 1
  fi
  if ! docker buildx imagetools inspect "$image" >/dev/null; then
    echo "::error::$image does not exist; release.yml publishes it for tag v$version"
    exit 1
  fi
  (cd "$overlay" && kustomize edit set image "$image")
  if ! kustomize build "$overlay" \
    | awk -v want="image: $image" '{ sub(/^[ \t-]*/, "") } $0 == want { found = 1 } END { exit !found }'; then
    echo "::error::$overlay does not render image $image: its containers must use the image '$prefix/$service' (replace the registry placeholder)"
    exit 1
  fi
  echo "$overlay -> $image"
done
