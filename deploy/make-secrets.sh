#!/bin/sh
# Writes the compose stack's `.env` (or the file named as the first argument) with a fresh
# random value for every name in deploy/env.example; `make secrets` runs it. It never
# overwrites an existing file: delete it first to start over (the databases and the broker
# keep the passwords of their first start in their volumes: `docker compose down -v` too).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
target=${1:-"$here/../.env"}
if [ -e "$target" ]; then
  echo "$target exists; not overwritten (remove it to write new secrets)" >&2
  exit 1
fi
umask 077
written=$(mktemp "$target.XXXXXX")
trap 'rm -f "$written"' EXIT
printf '# Written by deploy/make-secrets.sh; never commit it (.gitignore).\n' > "$written"
for name in $(sed -n 's/^\([A-Z][A-Z0-9_]*\)=.*/\1/p' "$here/env.example"); do
  # 24 random bytes as 48 hex digits: URL-safe, and more than JWT_SECRET's 32 characters.
  value=$(od -An -N24 -tx1 /dev/urandom | tr -d ' \n')
  printf '%s=%s\n' "$name" "$value" >> "$written"
done
mv "$written" "$target"
trap - EXIT
echo "wrote $target"
