#!/usr/bin/env bash
# Points one environment's overlays at a released version, pinned by digest:
#
#   .github/scripts/bump-overlay.sh <environment> <version> <image-prefix> --digests <dir>
#   .github/scripts/bump-overlay.sh <environment> <version> <image-prefix> --from <environment>
#
# The digest of each service comes from a trusted record, never from a tag (anyone who may
# push to the package may move a tag): --digests reads <dir>/<service>, the digest the
# release run pushed (image.yml's image-digest-<service> artifact of the same run); --from
# copies what another environment's overlay runs, and only if it runs exactly <version>
# (production is promoted from staging). For each service it checks that
# <image-prefix>/<service>@<digest> exists, runs
# `kustomize edit set image <image-prefix>/<service>:<version>@<digest>` in
# manifests-microservices/kustomize/<service>/overlays/<environment> (the tag is for
# people; the digest is what runs), and renders the overlay to prove the Deployment now
# uses that image (an images: entry whose name matches no container would otherwise be a
# silent no-op). Needs kustomize, docker (logged in to the registry when packages are
# private), node and jq.
set -euo pipefail

usage() {
  echo "usage: $0 <environment> <version> <image-prefix> (--digests <dir> | --from <environment>)" >&2
  exit 2
}

if [ $# -ne 5 ]; then usage; fi
environment="$1"
version="$2"
prefix="$3"
source_kind="$4"
source="$5"
case "$source_kind" in --digests | --from) ;; *) usage ;; esac

overlay_of() { echo "manifests-microservices/kustomize/$1/overlays/$2"; }

# The image the Deployment of <service> renders in <overlay>.
rendered_image() {
  kustomize build "$1" | awk -v want="$prefix/$2" '
    { line = $0; sub(/^[ \t-]*/, "", line) }
    line ~ /^image: / { image = substr(line, 8); if (index(image, want ":") == 1 || index(image, want "@") == 1) print image }'
}

for service in $(node .github/scripts/services.mjs names | jq -r '.[]'); do
  overlay="$(overlay_of "$service" "$environment")"
  if [ ! -f "$overlay/kustomization.yaml" ]; then
    echo "::error::$overlay/kustomization.yaml not found"
    exit 1
  fi
  if [ "$source_kind" = --digests ]; then
    digest="$(cat "$source/$service" 2>/dev/null || true)"
  else
    from="$(rendered_image "$(overlay_of "$service" "$source")" "$service")"
    if [[ "$from" != "$prefix/$service:$version@"* ]]; then
      echo "::error::$source runs '${from:-no $prefix/$service image}', not $prefix/$service:$version: promote only what it runs"
      exit 1
    fi
    digest="${from##*@}"
  fi
  if ! [[ "$digest" =~ ^sha256:[0-9a-f]{64}$ ]]; then
    echo "::error::no digest of $service for $version (got '$digest')"
    exit 1
  fi
  image="$prefix/$service:$version@$digest"
  if ! docker buildx imagetools inspect "$prefix/$service@$digest" >/dev/null; then
    echo "::error::$prefix/$service@$digest does not exist"
    exit 1
  fi
  (cd "$overlay" && kustomize edit set image "$image")
  if [ "$(rendered_image "$overlay" "$service")" != "$image" ]; then
    echo "::error::$overlay does not render image $image: its containers must use the image '$prefix/$service' (replace the registry placeholder)"
    exit 1
  fi
  echo "$overlay -> $image"
done
