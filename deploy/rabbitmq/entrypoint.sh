#!/bin/sh
# The compose broker's entry point: writes definitions.json with each user's password taken
# from the container's environment (docker-compose.yml passes them from `.env`), where
# rabbitmq.conf loads it, then runs the image's own entry point. The tracked file holds
# only `${NAME}` references, so no password is in git.
set -eu
template=/etc/rabbitmq/chancery/definitions.json
rendered=/tmp/chancery-definitions.json
umask 077
cp "$template" "$rendered.new"
for name in $(grep -o '\${[A-Z][A-Z0-9_]*}' "$template" | tr -d '${}' | sort -u); do
  value=$(printenv "$name" || true)
  if [ -z "$value" ]; then
    echo "entrypoint: $name is not set (set it in .env: make secrets)" >&2
    exit 1
  fi
  # Unescaped in JSON and in the services' URLs: refuse anything but URL-safe characters.
  case $value in
    *[!A-Za-z0-9._~-]*)
      echo "entrypoint: $name may hold only letters, digits and -._~" >&2
      exit 1 ;;
  esac
  sed -i "s|\${$name}|$value|g" "$rendered.new"
done
mv "$rendered.new" "$rendered"
# The image's entry point starts as root and continues as the rabbitmq user.
if [ "$(id -u)" = 0 ]; then
  chown rabbitmq:rabbitmq "$rendered"
fi
exec docker-entrypoint.sh "$@"
