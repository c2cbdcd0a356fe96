#!/bin/sh
# One database per service, owned by that service's own role, so no service can read or
# change another's tables. The postgres image runs this once, when its data volume is empty
# (docker-compose.yml mounts it into /docker-entrypoint-initdb.d and passes each role's
# password from `.env`, deploy/env.example); no password is written here. A managed
# PostgreSQL in production gets the same layout from its operator (deploy/k8s/platform).
#
# `python -m <service> migrate` then finds its database (it creates one only if it is
# missing) and runs the service's Alembic migrations as the owner.

role() {  # role database password
  psql -v ON_ERROR_STOP=1 --username "${POSTGRES_USER:-postgres}" --dbname postgres \
    -v role="$1" -v database="$2" -v password="$3" <<'SQL' || exit 1
CREATE ROLE :"role" LOGIN PASSWORD :'password';
CREATE DATABASE :"database" OWNER :"role";
REVOKE ALL ON DATABASE :"database" FROM PUBLIC;
SQL
}

role intake chancery_intake "${INTAKE_DB_PASSWORD:?set it in .env (make secrets)}"
role routing chancery_routing "${ROUTING_DB_PASSWORD:?set it in .env (make secrets)}"
role protocol_events chancery_protocol_events \
  "${PROTOCOL_EVENTS_DB_PASSWORD:?set it in .env (make secrets)}"
role foreign_relations chancery_foreign_relations \
  "${FOREIGN_RELATIONS_DB_PASSWORD:?set it in .env (make secrets)}"
role notifications chancery_notifications \
  "${NOTIFICATIONS_DB_PASSWORD:?set it in .env (make secrets)}"
