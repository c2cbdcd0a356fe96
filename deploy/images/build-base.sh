#!/usr/bin/env bash
# A Debian base image built from Debian's packages, for machines that reach no image registry:
#
#   deploy/images/build-base.sh [tag]        # default tag: chancery/debian-base:bookworm
#
# debootstrap (minbase) + the packages every Chancery image needs, then `docker import`.
# The mirror is the one this machine's apt already uses (never a host written here).
# Skipped when the tag exists already; CHANCERY_REBUILD_BASE=1 forces a new one.
set -euo pipefail
TAG="${1:-chancery/debian-base:bookworm}"
SUITE=bookworm
PACKAGES=python3,python3-venv,python-is-python3,ca-certificates,passwd,tzdata

if [ -z "${CHANCERY_REBUILD_BASE:-}" ] && docker image inspect "$TAG" >/dev/null 2>&1; then
  echo "base image $TAG exists"
  exit 0
fi

mirror() {
  # deb822 sources first (Debian 12's default), then the one-line format.
  local found
  found=$(grep -hsE '^URIs:' /etc/apt/sources.list.d/*.sources 2>/dev/null \
          | awk '{print $2}' | grep -v security | head -n 1 || true)
  if [ -z "$found" ]; then
    found=$(grep -hsE '^deb ' /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null \
            | awk '{for (i = 2; i <= NF; i++) if ($i ~ /^[a-z]+:\/\//) {print $i; exit}}' \
            | grep -v security | head -n 1 || true)
  fi
  [ -n "$found" ] || { echo "no Debian mirror in this machine's apt sources" >&2; exit 1; }
  echo "$found"
}

ROOT=$(mktemp -d /tmp/chancery-base.XXXXXX)
trap 'rm -rf "$ROOT"' EXIT
MIRROR=$(mirror)
echo "debootstrap $SUITE from $MIRROR into $ROOT"
debootstrap --variant=minbase --include="$PACKAGES" "$SUITE" "$ROOT" "$MIRROR" >/dev/null
# The image trusts the certificate authorities this machine added to its own store (an
# office's TLS-inspecting proxy, say), so pip and npm reach the registries as the machine does.
if compgen -G "/usr/local/share/ca-certificates/*.crt" >/dev/null; then
  cp /usr/local/share/ca-certificates/*.crt "$ROOT/usr/local/share/ca-certificates/"
  chroot "$ROOT" update-ca-certificates >/dev/null
fi
# The image's apt uses the same mirror; no caches or logs in the layer.
echo "deb $MIRROR $SUITE main" > "$ROOT/etc/apt/sources.list"
rm -rf "$ROOT"/var/cache/apt/archives/*.deb "$ROOT"/var/lib/apt/lists/* "$ROOT"/var/log/*
tar -C "$ROOT" -c . | docker import \
  --change 'ENV LANG=C.UTF-8 PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'CMD ["bash"]' - "$TAG" >/dev/null
echo "built $TAG"
