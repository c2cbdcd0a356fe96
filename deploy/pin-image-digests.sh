#!/usr/bin/env bash
# Pins every third-party image of docker-compose.yml to the digest its tag has now:
#
#   deploy/pin-image-digests.sh [compose-file]      # default: docker-compose.yml
#
# For each `image: name:tag` (or `name:tag@sha256:...`) not built here (chancery/...), the
# digest of what the registry serves for the tag (the multi-platform index, so every
# platform still pulls its own image), from skopeo (the raw manifest's sha256), crane, or
# `docker pull` and the image's RepoDigests, whichever is installed; then the line becomes
# `image: name:tag@sha256:<digest>`. Needs a reachable registry; changes nothing when a tag
# cannot be resolved. Review the diff, then commit it with the date in the message.
set -euo pipefail
FILE="${1:-$(dirname "$0")/../docker-compose.yml}"

resolve() {  # name:tag -> sha256:<hex>
  local ref="$1" digest=""
  if command -v skopeo >/dev/null 2>&1; then
    digest="sha256:$(skopeo inspect --raw "docker://$ref" | sha256sum | cut -d' ' -f1)"
  elif command -v crane >/dev/null 2>&1; then
    digest=$(crane digest "$ref")
  elif command -v docker >/dev/null 2>&1; then
    docker pull -q "$ref" >/dev/null
    local name="${ref%:*}"
    digest=$(docker image inspect --format '{{range .RepoDigests}}{{println .}}{{end}}' "$ref" \
             | awk -v name="$name" -F@ '$1 == name || $1 == "docker.io/" name \
                                        || $1 == "docker.io/library/" name {print $2; exit}')
  else
    echo "no skopeo, crane or docker to ask a registry" >&2
    return 1
  fi
  [[ "$digest" =~ ^sha256:[0-9a-f]{64}$ ]] || { echo "$ref: no digest (got '$digest')" >&2; return 1; }
  echo "$digest"
}

refs=$(sed -nE 's/^[[:space:]]+image:[[:space:]]+([^[:space:]#]+).*/\1/p' "$FILE" \
       | grep -v '^chancery/' | sort -u)
pinned="$FILE.pinning"
cp "$FILE" "$pinned"
trap 'rm -f "$pinned"' EXIT
for ref in $refs; do
  tagged="${ref%@*}"
  case "$tagged" in
    *:*) ;;
    *) echo "$tagged: no tag; name a release (name:tag) first" >&2; exit 1 ;;
  esac
  digest=$(resolve "$tagged")
  echo "$tagged@$digest"
  # `|` cannot occur in an image reference.
  sed -i -E "s|^([[:space:]]+image:[[:space:]]+)${ref//./\\.}([[:space:]]*)$|\1$tagged@$digest\2|" \
    "$pinned"
done
mv "$pinned" "$FILE"
trap - EXIT
