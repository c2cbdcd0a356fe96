#!/bin/sh
# The broker with one user from RABBITMQ_USER / RABBITMQ_PASSWORD (required) on vhost "/".
set -eu
: "${RABBITMQ_USER:?RABBITMQ_USER is required}" "${RABBITMQ_PASSWORD:?RABBITMQ_PASSWORD is required}"
# No guest user: the only account is the one given.
printf 'loopback_users = none\ndefault_user = %s\ndefault_pass = %s\n' \
  "$RABBITMQ_USER" "$RABBITMQ_PASSWORD" > /tmp/rabbitmq.conf
export RABBITMQ_CONFIG_FILE=/tmp/rabbitmq.conf
# No plugins: a management or Prometheus listener would take the ports of the machine's own
# broker on the host's network.
printf '[].\n' > /tmp/enabled_plugins
export RABBITMQ_ENABLED_PLUGINS_FILE=/tmp/enabled_plugins
exec rabbitmq-server
