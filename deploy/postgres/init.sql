-- One database per service, owned by that service's own role, so no service can
-- read or change another's tables. The postgres image runs this once, when its
-- data volume is empty (docker-compose.yml mounts it into
-- /docker-entrypoint-initdb.d). The passwords are development ones, the same as
-- in deploy/env/<service>.env; a managed PostgreSQL in production gets the same
-- layout from its operator.
--
-- `python -m <service> migrate` then finds its database (it creates one only if
-- it is missing) and runs the service's Alembic migrations as the owner.

CREATE ROLE intake LOGIN PASSWORD 'intake-dev-password';
CREATE DATABASE chancery_intake OWNER intake;
REVOKE ALL ON DATABASE chancery_intake FROM PUBLIC;

CREATE ROLE routing LOGIN PASSWORD 'routing-dev-password';
CREATE DATABASE chancery_routing OWNER routing;
REVOKE ALL ON DATABASE chancery_routing FROM PUBLIC;

CREATE ROLE protocol_events LOGIN PASSWORD 'protocol-events-dev-password';
CREATE DATABASE chancery_protocol_events OWNER protocol_events;
REVOKE ALL ON DATABASE chancery_protocol_events FROM PUBLIC;

CREATE ROLE foreign_relations LOGIN PASSWORD 'foreign-relations-dev-password';
CREATE DATABASE chancery_foreign_relations OWNER foreign_relations;
REVOKE ALL ON DATABASE chancery_foreign_relations FROM PUBLIC;

CREATE ROLE notifications LOGIN PASSWORD 'notifications-dev-password';
CREATE DATABASE chancery_notifications OWNER notifications;
REVOKE ALL ON DATABASE chancery_notifications FROM PUBLIC;
