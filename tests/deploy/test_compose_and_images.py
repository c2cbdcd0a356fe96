"""The deployment files agree with the code: compose, images, env files, broker, Kubernetes.

Static and fast: nothing here needs Docker, a cluster, RabbitMQ or PostgreSQL.
What the code reads is learnt by running each service's ``load_settings``
on a mapping that records every name asked for, so a new setting in a
``config.py`` fails these tests until the env files carry it.
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.util
import os
import re
import shutil
import subprocess
from collections.abc import Iterator, Mapping
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml

from chancery.config import CLOCK_OFFSET_VARIABLE, DEV_JWT_SECRET
from chancery.runtime import ServiceDefinition
from chancery.services import installed_services

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
COMPOSE_FILE = ROOT / "docker-compose.yml"
DOCKERFILE = DEPLOY / "Dockerfile"
PROCESSES = ("migrate", "web", "worker", "relay")
INFRASTRUCTURE = ("rabbitmq", "postgres", "jaeger", "mailpit", "prometheus")
# The staff web app: no database, no queue; its staff pages and its public-only twin.
STAFF_WEB = {"staff-web-web": ("web", 8000), "staff-web-public": ("public", 8010)}
SERVICES = installed_services()


def _ids(definition: ServiceDefinition) -> str:
    return definition.name


class _ReadRecorder(Mapping[str, str]):
    """An environment that remembers every variable asked for (``get``, ``[]``, ``in``)."""

    def __init__(self, values: Mapping[str, str]) -> None:
        self._values = dict(values)
        self.read: set[str] = set()

    def __getitem__(self, name: str) -> str:
        self.read.add(name)
        return self._values[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)


def _load_settings(definition: ServiceDefinition, env: Mapping[str, str]) -> Any:
    return importlib.import_module(f"{definition.module}.config").load_settings(env)


# Read by every service but refused outside a development test run (decision 62): an
# operator's files must never set it.
TEST_RUN_ONLY = {CLOCK_OFFSET_VARIABLE}


def variables_read(definition: ServiceDefinition, env: Mapping[str, str]) -> set[str]:
    """The environment variables ``definition``'s settings read, given ``env``, apart from
    those only a test run may set."""
    recorder = _ReadRecorder(env)
    _load_settings(definition, recorder)
    return recorder.read - TEST_RUN_ONLY


def read_env_file(path: Path) -> dict[str, str]:
    """``NAME=value`` lines as compose reads them (no quotes or interpolation are used)."""
    values = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            name, separator, value = line.partition("=")
            assert separator, f"{path.name}: not NAME=value: {line!r}"
            assert name.strip() not in values, f"{path.name}: {name} twice"
            values[name.strip()] = value
    return values


# The secrets compose reads from .env (deploy/env.example), each with a sample value.
SECRETS = {
    name: f"{name.lower().replace('_', '-')}-0123456789abcdef0123456789abcdef"
    for name in read_env_file(DEPLOY / "env.example")
}
REQUIRED = re.compile(r"\$\{([A-Z][A-Z0-9_]*):\?set it in \.env \(make secrets\)\}")


def interpolate(value: str) -> str:
    """``value`` as compose passes it on with the sample secrets in ``.env``."""
    return REQUIRED.sub(lambda match: SECRETS[match.group(1)], value)


def compose_environment(entry: Mapping[str, Any]) -> dict[str, str]:
    """A compose service's ``environment``, interpolated with the sample secrets."""
    return {name: interpolate(str(value)) for name, value in entry.get("environment", {}).items()}


def service_env(definition: ServiceDefinition) -> dict[str, str]:
    """What a container of ``definition`` gets: common.env, then its own file, then the
    connections and the token key compose sets from .env."""
    compose = yaml.safe_load(COMPOSE_FILE.read_text(encoding="utf-8"))
    return {
        **read_env_file(DEPLOY / "env" / "common.env"),
        **read_env_file(DEPLOY / "env" / f"{definition.name}.env"),
        **compose_environment(compose["services"][f"{definition.name}-web"]),
    }


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    return yaml.safe_load(COMPOSE_FILE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def dockerfile() -> str:
    return DOCKERFILE.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def manifests() -> list[dict[str, Any]]:
    kustomization = yaml.safe_load((DEPLOY / "k8s" / "kustomization.yaml").read_text())
    documents = []
    for resource in kustomization["resources"]:
        path = DEPLOY / "k8s" / resource
        assert path.is_file(), f"kustomization names {resource}, which does not exist"
        documents += [doc for doc in yaml.safe_load_all(path.read_text()) if doc]
    return documents


@pytest.fixture(scope="module")
def generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "generate_definitions", DEPLOY / "rabbitmq" / "generate_definitions.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def definitions() -> dict[str, Any]:
    return yaml.safe_load((DEPLOY / "rabbitmq" / "definitions.json").read_text())


def _of_kind(manifests: list[dict[str, Any]], kind: str) -> dict[str, dict[str, Any]]:
    return {doc["metadata"]["name"]: doc for doc in manifests if doc["kind"] == kind}


# ---- compose


def test_every_installed_service_has_its_four_processes(compose: dict[str, Any]) -> None:
    assert [d.name for d in SERVICES] == [
        "intake",
        "routing",
        "protocol-events",
        "foreign-relations",
        "notifications",
    ]
    expected = {f"{d.name}-{p}" for d in SERVICES for p in PROCESSES} | set(INFRASTRUCTURE)
    assert set(compose["services"]) == expected | set(STAFF_WEB)


@pytest.mark.parametrize("definition", SERVICES, ids=_ids)
def test_each_process_runs_the_service_image_with_its_command(
    compose: dict[str, Any], definition: ServiceDefinition
) -> None:
    for process in PROCESSES:
        entry = compose["services"][f"{definition.name}-{process}"]
        assert entry["image"] == f"chancery/{definition.name}:dev"
        assert entry["build"] == {
            "context": ".",
            "dockerfile": "deploy/Dockerfile",
            "args": {"SERVICE": definition.name},
        }
        assert entry["env_file"] == ["deploy/env/common.env", f"deploy/env/{definition.name}.env"]
        # The passwords are compose's, from .env: the same for every process of a service.
        assert set(entry["environment"]) == {"DATABASE_URL", "BROKER_URL", "JWT_SECRET"}
        assert entry["environment"] == compose["services"][f"{definition.name}-web"]["environment"]
        assert entry["command"][0] == process
        if process == "web":
            assert entry["command"] == ["web", "--bind", f"0.0.0.0:{definition.port}"]
            assert entry["healthcheck"]["test"][0] == "CMD"
            assert f":{definition.port}/healthz" in " ".join(entry["healthcheck"]["test"])
        elif process == "migrate":
            assert entry["healthcheck"] == {"disable": True}, "a one-shot opens no port"
        else:
            # Workers and relays: /healthz on METRICS_PORT says whether their loop turns.
            assert ":9100/healthz" in " ".join(entry["healthcheck"]["test"])


@pytest.mark.parametrize("definition", SERVICES, ids=_ids)
def test_web_publishes_the_services_own_port(
    compose: dict[str, Any], definition: ServiceDefinition
) -> None:
    assert compose["services"][f"{definition.name}-web"]["ports"] == [
        f"{definition.port}:{definition.port}"
    ]


@pytest.mark.parametrize("definition", SERVICES, ids=_ids)
def test_processes_start_after_migration_on_healthy_infrastructure(
    compose: dict[str, Any], definition: ServiceDefinition
) -> None:
    services = compose["services"]
    migrate = services[f"{definition.name}-migrate"]
    assert migrate["depends_on"] == {"postgres": {"condition": "service_healthy"}}
    assert migrate["restart"] == "no"
    for process in ("web", "worker", "relay"):
        entry = services[f"{definition.name}-{process}"]
        depends = entry["depends_on"]
        assert depends[f"{definition.name}-migrate"] == {
            "condition": "service_completed_successfully"
        }
        assert depends["postgres"] == depends["rabbitmq"] == {"condition": "service_healthy"}
        assert entry["restart"] == "unless-stopped"
    for infrastructure in ("rabbitmq", "postgres"):
        assert "test" in services[infrastructure]["healthcheck"]


def test_infrastructure_images_and_ports(compose: dict[str, Any]) -> None:
    services = compose["services"]
    assert services["rabbitmq"]["image"].split("@")[0] == "rabbitmq:3.13-management"
    assert services["postgres"]["image"].split("@")[0] == "postgres:16"
    assert services["jaeger"]["image"].startswith("jaegertracing/all-in-one:")
    assert services["jaeger"]["environment"]["COLLECTOR_OTLP_ENABLED"] == "true"
    assert "16686:16686" in services["jaeger"]["ports"]
    assert services["mailpit"]["image"].startswith("axllent/mailpit:")
    assert "8025:8025" in services["mailpit"]["ports"]
    prometheus = services["prometheus"]
    assert prometheus["image"].startswith("prom/prometheus:v")
    assert {
        "./deploy/observability/prometheus.yml:/etc/prometheus/prometheus.yml:ro",
        "./deploy/observability/alerts.yml:/etc/prometheus/alerts.yml:ro",
    } <= set(prometheus["volumes"]), "Prometheus with the shipped rules"


# An official image as compose pulls it: a release tag and the digest it was published with.
PINNED = re.compile(r"^[a-z0-9][a-z0-9./_-]*:[A-Za-z0-9_][A-Za-z0-9._-]*@sha256:[0-9a-f]{64}$")


def _third_party(compose: dict[str, Any]) -> dict[str, str]:
    return {
        name: entry["image"] for name, entry in compose["services"].items() if "build" not in entry
    }


def test_every_third_party_image_is_pinned_by_digest(compose: dict[str, Any]) -> None:
    images = _third_party(compose)
    assert set(images) == set(INFRASTRUCTURE)
    for name, image in images.items():
        assert PINNED.match(image), (
            f"{name}: {image} is not name:tag@sha256:<64 hex> "
            "(deploy/pin-image-digests.sh pins it where a registry is reachable)"
        )
        assert image.split("@")[0].split(":")[-1] != "latest", f"{name}: a release, not latest"


def test_the_pinning_script_rewrites_each_image_line_and_nothing_else(
    compose: dict[str, Any], tmp_path: Path
) -> None:
    # A stand-in for skopeo (a registry's client), answering each reference's raw manifest.
    tools = tmp_path / "bin"
    tools.mkdir()
    (tools / "skopeo").write_text('#!/bin/sh\necho "manifest of $3"\n')
    (tools / "skopeo").chmod(0o755)
    original = COMPOSE_FILE.read_text(encoding="utf-8")
    unpinned = re.sub(r"(image: [^\s@]+)@sha256:[0-9a-f]{64}", r"\1", original)
    target = tmp_path / "docker-compose.yml"
    target.write_text(unpinned, encoding="utf-8")
    subprocess.run(
        ["bash", str(DEPLOY / "pin-image-digests.sh"), str(target)],
        check=True,
        capture_output=True,
        timeout=60,
        env={**os.environ, "PATH": f"{tools}{os.pathsep}{os.environ['PATH']}"},
    )
    rewritten = yaml.safe_load(target.read_text(encoding="utf-8"))
    for name, image in _third_party(compose).items():
        tagged = image.split("@")[0]
        digest = hashlib.sha256(f"manifest of docker://{tagged}\n".encode()).hexdigest()
        assert rewritten["services"][name]["image"] == f"{tagged}@sha256:{digest}"
    changed = [
        line
        for old, line in zip(
            unpinned.splitlines(), target.read_text(encoding="utf-8").splitlines(), strict=True
        )
        if old != line
    ]
    assert len(changed) == len(_third_party(compose))
    assert all(line.strip().startswith("image: ") for line in changed)


def test_every_path_compose_names_exists(compose: dict[str, Any]) -> None:
    for name, entry in compose["services"].items():
        for env_file in entry.get("env_file", []):
            assert (ROOT / env_file).is_file(), f"{name}: {env_file}"
        if "build" in entry:
            assert (ROOT / entry["build"]["context"] / entry["build"]["dockerfile"]).is_file()
            assert (
                ROOT / "services" / entry["build"]["args"]["SERVICE"] / "pyproject.toml"
            ).is_file()
        for volume in entry.get("volumes", []):
            source = volume.split(":", 1)[0]
            if source.startswith("."):
                assert (ROOT / source).exists(), f"{name}: {source}"
            else:
                assert source in compose["volumes"], f"{name}: undeclared volume {source}"


def test_broker_mounts_the_files_its_configuration_names(compose: dict[str, Any]) -> None:
    broker = compose["services"]["rabbitmq"]
    mounts = dict(volume.split(":")[:2] for volume in broker["volumes"])
    conf = (DEPLOY / "rabbitmq" / "rabbitmq.conf").read_text()
    loaded = re.search(r"^definitions\.local\.path\s*=\s*(\S+)$", conf, re.MULTILINE)
    assert loaded is not None
    # The entry point writes the file the configuration loads from the mounted one, with
    # the passwords of the container's environment.
    entrypoint = (DEPLOY / "rabbitmq" / "entrypoint.sh").read_text()
    assert broker["entrypoint"] == [mounts["./deploy/rabbitmq/entrypoint.sh"]]
    assert f"template={mounts['./deploy/rabbitmq/definitions.json']}" in entrypoint
    assert f"rendered={loaded.group(1)}" in entrypoint
    assert broker["command"] == ["rabbitmq-server"]
    assert mounts["./deploy/rabbitmq/enabled_plugins"] == "/etc/rabbitmq/enabled_plugins"
    assert "rabbitmq_management" in (DEPLOY / "rabbitmq" / "enabled_plugins").read_text()


@pytest.mark.skipif(
    shutil.which("docker-compose") is None,
    reason="docker-compose is not installed (optional: apt-get install "
    "docker-compose); the YAML checks above still ran",
)
def test_docker_compose_validates_the_file(tmp_path: Path) -> None:
    secrets = {**os.environ, **SECRETS}
    result = subprocess.run(
        ["docker-compose", "-f", str(COMPOSE_FILE), "config", "-q"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        env=secrets,
    )
    assert result.returncode == 0, result.stderr
    # Without .env (or with one secret missing) compose refuses, saying what to do.
    missing = {name: value for name, value in secrets.items() if name != "INTAKE_DB_PASSWORD"}
    empty = tmp_path / "empty.env"
    empty.write_text("")
    refused = subprocess.run(
        ["docker-compose", "-f", str(COMPOSE_FILE), "--env-file", str(empty), "config", "-q"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        env=missing,
    )
    assert refused.returncode != 0
    assert "set it in .env (make secrets)" in refused.stderr


# ---- environment files


@pytest.mark.parametrize("definition", SERVICES, ids=_ids)
def test_env_files_hold_exactly_the_variables_the_code_reads(definition: ServiceDefinition) -> None:
    env = service_env(definition)
    # Read twice: with nothing set (every default path) and with the files' values.
    read = variables_read(definition, {}) | variables_read(definition, env)
    assert set(env) - read == set(), "set but never read by the code"
    assert read - set(env) == set(), "read by the code but missing from deploy/env"


def test_common_env_holds_only_what_every_service_reads() -> None:
    common = set(read_env_file(DEPLOY / "env" / "common.env"))
    for definition in SERVICES:
        assert common <= variables_read(definition, {}), definition.name


@pytest.mark.parametrize("definition", SERVICES, ids=_ids)
def test_connections_point_at_the_stacks_own_servers(definition: ServiceDefinition) -> None:
    settings = _load_settings(definition, service_env(definition))
    common = settings.common
    database = urlsplit(common.database_url)
    assert (database.hostname, database.port) == ("postgres", 5432)
    assert common.broker_url.startswith("amqp://")
    assert urlsplit(common.broker_url).hostname == "rabbitmq"
    assert common.otel_endpoint == "http://jaeger:4318"
    assert common.otel_exporter == "otlp"
    assert common.jwt_secret != DEV_JWT_SECRET
    assert common.metrics_multiprocess
    if definition.name == "notifications":
        assert settings.smtp_url == "smtp://mailpit:1025"


def _init_roles() -> dict[str, tuple[str, str]]:
    """database -> (owner, password) from deploy/postgres/init.sh, as the postgres container
    runs it with the sample secrets."""
    script = (DEPLOY / "postgres" / "init.sh").read_text()
    for statement in (
        "CREATE ROLE :\"role\" LOGIN PASSWORD :'password';",
        'CREATE DATABASE :"database" OWNER :"role";',
        'REVOKE ALL ON DATABASE :"database" FROM PUBLIC;',
    ):
        assert statement in script
    compose = yaml.safe_load(COMPOSE_FILE.read_text(encoding="utf-8"))
    passed = compose_environment(compose["services"]["postgres"])
    roles = re.findall(r'^role (\w+) (\w+) \\?\s*"\$\{([A-Z_]+):\?[^}]*\}"', script, re.MULTILINE)
    return {database: (owner, passed[variable]) for owner, database, variable in roles}


def test_every_service_has_its_own_database_and_role() -> None:
    databases = _init_roles()
    seen = set()
    for definition in SERVICES:
        url = urlsplit(service_env(definition)["DATABASE_URL"])
        database = url.path.lstrip("/")
        assert databases[database] == (url.username, url.password), definition.name
        seen.add(database)
    assert seen == set(databases)
    assert len({password for _, password in databases.values()}) == len(databases)


@pytest.mark.parametrize("definition", SERVICES, ids=_ids)
def test_every_service_uses_its_own_broker_user(
    definition: ServiceDefinition, definitions: dict[str, Any]
) -> None:
    url = urlsplit(service_env(definition)["BROKER_URL"])
    assert url.username == definition.name
    assert url.path == "/chancery"
    users = {user["name"]: user for user in definitions["users"]}
    # The broker's entry point fills the reference in from what compose passes it.
    reference = re.fullmatch(r"\$\{([A-Z_]+)\}", users[definition.name]["password"])
    assert reference is not None
    compose = yaml.safe_load(COMPOSE_FILE.read_text(encoding="utf-8"))
    assert compose_environment(compose["services"]["rabbitmq"])[reference.group(1)] == (
        url.password
    )
    assert users[definition.name]["tags"] == []


# ---- the broker's definitions


def test_definitions_json_is_fresh(generator: ModuleType) -> None:
    committed = (DEPLOY / "rabbitmq" / "definitions.json").read_text(encoding="utf-8")
    assert committed == generator.render(), (
        "deploy/rabbitmq/definitions.json is stale: run "
        ".venv/bin/python deploy/rabbitmq/generate_definitions.py"
    )


def test_delivery_limit_is_the_same_everywhere(
    definitions: dict[str, Any], manifests: list[dict[str, Any]]
) -> None:
    limits = {
        queue["arguments"]["x-delivery-limit"]
        for queue in definitions["queues"]
        if queue["name"].endswith(".messages")
    }
    common_env = read_env_file(DEPLOY / "env" / "common.env")
    common_k8s = _of_kind(manifests, "ConfigMap")["chancery-common"]["data"]
    assert limits == {int(common_env["DELIVERY_LIMIT"])} == {int(common_k8s["DELIVERY_LIMIT"])}


def test_services_may_publish_only_their_own_events(definitions: dict[str, Any]) -> None:
    permissions = {entry["user"]: entry for entry in definitions["permissions"]}
    for definition in SERVICES:
        write = re.compile(permissions[definition.name]["write"])
        for other in SERVICES:
            assert bool(write.match(f"{other.name}.events")) == (
                other is definition and other.name != "notifications"
            )
        assert not write.match("amq.default")
        assert write.match("notifications.commands")


# ---- the image


def _stages(dockerfile: str) -> dict[str, str]:
    """Stage name -> its instructions (continuation lines joined)."""
    text = dockerfile.replace("\\\n", " ")
    stages: dict[str, str] = {}
    name = ""
    for line in text.splitlines():
        found = re.match(r"FROM \S+(?: AS (\S+))?$", line.strip())
        if found:
            name = found.group(1) or "final"
            stages[name] = ""
        elif name:
            stages[name] += line + "\n"
    return stages


def test_dockerfile_runtime_is_small_and_not_root(dockerfile: str) -> None:
    stages = _stages(dockerfile)
    # The slim Python image unless the build names another base (deploy/images/build-base.sh).
    assert "ARG BASE_IMAGE=python:3.11-slim" in dockerfile
    assert "FROM ${BASE_IMAGE} AS build" in dockerfile
    assert "FROM ${BASE_IMAGE} AS runtime" in dockerfile
    assert "FROM node" not in dockerfile, "one base image is all a build needs"
    runtime = stages["runtime"]
    user = re.search(r"^USER (\S+)$", runtime, re.MULTILINE)
    assert user is not None
    assert user.group(1).split(":")[0] not in ("root", "0")
    assert "COPY --from=build /venv /venv" in runtime
    # No package manager installs in the final image, so no compilers either.
    assert "apt-get" not in runtime
    assert "gcc" not in dockerfile
    assert dockerfile.rstrip().endswith("FROM service-${SERVICE}")


@pytest.mark.parametrize("definition", SERVICES, ids=_ids)
def test_dockerfile_stage_runs_the_service(dockerfile: str, definition: ServiceDefinition) -> None:
    stage = _stages(dockerfile)[f"service-{definition.name}"]
    assert f'ENTRYPOINT ["python", "-m", "{definition.module}"]' in stage
    assert f'CMD ["web", "--bind", "0.0.0.0:{definition.port}"]' in stage
    assert f"EXPOSE {definition.port}" in stage
    healthcheck = re.search(r"^HEALTHCHECK .*$", stage, re.MULTILINE)
    assert healthcheck is not None
    assert f"http://127.0.0.1:{definition.port}/healthz" in healthcheck.group(0)


def test_every_path_the_dockerfile_copies_exists(dockerfile: str) -> None:
    for source in re.findall(r"^COPY (?!--from)(\S+) ", dockerfile, re.MULTILINE):
        for definition in SERVICES:
            path = ROOT / source.replace("${SERVICE}", definition.name)
            assert path.exists(), source


def test_dockerignore_keeps_local_state_out_of_the_context() -> None:
    ignored = set((ROOT / ".dockerignore").read_text().split())
    assert {".venv", "var", "tests", "**/tests", "bench", ".git"} <= ignored
    assert not {"shared", "services", "requirements"} & ignored


@pytest.mark.parametrize("name", sorted(STAFF_WEB))
def test_the_staff_web_app_runs_its_image_in_compose_and_kubernetes(
    compose: dict[str, Any], manifests: list[dict[str, Any]], dockerfile: str, name: str
) -> None:
    process, port = STAFF_WEB[name]
    entry = compose["services"][name]
    assert entry["image"] == "chancery/staff-web:dev"
    assert entry["build"]["args"] == {"SERVICE": "staff-web"}
    assert entry["command"] == [process, "--bind", f"0.0.0.0:{port}"]
    assert entry["ports"] == [f"{port}:{port}"]
    assert f":{port}/healthz" in " ".join(entry["healthcheck"]["test"])
    container = _containers(_of_kind(manifests, "Deployment")[name])[0]
    assert container["image"] == entry["image"]
    assert container["args"][:3] == [process, "--bind", f"0.0.0.0:{port}"]
    assert container["ports"] == [{"name": "http", "containerPort": port}]
    assert _of_kind(manifests, "Service")[name]["spec"]["ports"][0]["port"] == port
    stage = _stages(dockerfile)["service-staff-web"]
    assert 'ENTRYPOINT ["python", "-m", "staff_web"]' in stage
    assert "COPY --from=staff-web-assets" in stage


def test_the_staff_web_settings_are_ones_it_reads(manifests: list[dict[str, Any]]) -> None:
    from staff_web.config import load_settings

    recorder = _ReadRecorder({"STAFF_WEB_DEV_SIGN_IN": "true", "OIDC_ISSUER": "http://idp"})
    load_settings(recorder)
    env_file = {
        line.split("=", 1)[0]
        for line in (DEPLOY / "env" / "staff-web.env").read_text().splitlines()
        if line and not line.startswith("#")
    }
    configured = set(_of_kind(manifests, "ConfigMap")["staff-web-config"]["data"])
    assert env_file <= recorder.read
    assert configured <= recorder.read


# ---- Kubernetes


def test_manifests_cover_every_service(manifests: list[dict[str, Any]]) -> None:
    deployments = _of_kind(manifests, "Deployment")
    assert set(deployments) == {
        f"{d.name}-{p}" for d in SERVICES for p in ("web", "worker", "relay")
    } | set(STAFF_WEB)
    assert set(_of_kind(manifests, "Job")) == {f"{d.name}-migrate" for d in SERVICES}
    assert set(_of_kind(manifests, "Service")) == {f"{d.name}-web" for d in SERVICES} | set(
        STAFF_WEB
    )
    assert set(_of_kind(manifests, "PodDisruptionBudget")) == set(deployments)
    autoscalers = _of_kind(manifests, "HorizontalPodAutoscaler")
    assert {a["spec"]["scaleTargetRef"]["name"] for a in autoscalers.values()} == {
        f"{d.name}-web" for d in SERVICES
    }


def _containers(workload: dict[str, Any]) -> list[dict[str, Any]]:
    return workload["spec"]["template"]["spec"]["containers"]


def test_every_workload_has_resources_and_runs_as_non_root(manifests: list[dict[str, Any]]) -> None:
    for workload in [
        *_of_kind(manifests, "Deployment").values(),
        *_of_kind(manifests, "Job").values(),
    ]:
        pod = workload["spec"]["template"]["spec"]
        assert pod["securityContext"]["runAsNonRoot"] is True
        for container in pod["containers"]:
            resources = container["resources"]
            assert set(resources) == {"requests", "limits"}, workload["metadata"]["name"]
            assert {"cpu", "memory"} <= set(resources["requests"]) & set(resources["limits"])


def test_deployments_have_replicas_and_probes(manifests: list[dict[str, Any]]) -> None:
    for name, deployment in _of_kind(manifests, "Deployment").items():
        assert deployment["spec"]["replicas"] >= 2, name
        container = _containers(deployment)[0]
        if name.endswith("-web"):
            assert container["readinessProbe"]["httpGet"]["path"] == "/readyz"
            assert container["livenessProbe"]["httpGet"]["path"] == "/healthz"
        else:
            # Workers and relays open no port; the manifest must say so, not forget it.
            has_probe = "livenessProbe" in container
            annotated = "chancery.example.org/probes" in deployment["metadata"].get(
                "annotations", {}
            )
            assert has_probe or annotated, name


def test_prometheus_discovers_every_pod_that_serves_metrics(
    manifests: list[dict[str, Any]],
) -> None:
    for name, deployment in _of_kind(manifests, "Deployment").items():
        assert "prometheus.io/scrape" not in deployment["metadata"].get("annotations", {}), (
            f"{name}: Prometheus reads annotations of pods, not of Deployments"
        )
        pod = deployment["spec"]["template"]["metadata"].get("annotations", {})
        assert pod.get("prometheus.io/scrape") == "true", name
        ports = {
            str(p["containerPort"]) for c in _containers(deployment) for p in c.get("ports", [])
        }
        assert pod["prometheus.io/port"] in ports | {"9100"}, name


def test_kustomize_sets_every_image_it_deploys(manifests: list[dict[str, Any]]) -> None:
    kustomization = yaml.safe_load((DEPLOY / "k8s" / "kustomization.yaml").read_text())
    set_by_kustomize = {entry["name"] for entry in kustomization["images"]}
    used = {
        c["image"].split(":")[0]
        for kind in ("Deployment", "Job")
        for workload in _of_kind(manifests, kind).values()
        for c in _containers(workload)
    }
    assert used <= set_by_kustomize


@pytest.mark.parametrize("definition", SERVICES, ids=_ids)
def test_manifests_agree_with_compose(
    manifests: list[dict[str, Any]], compose: dict[str, Any], definition: ServiceDefinition
) -> None:
    workloads = {**_of_kind(manifests, "Deployment"), **_of_kind(manifests, "Job")}
    for process in PROCESSES:
        container = _containers(workloads[f"{definition.name}-{process}"])[0]
        assert container["image"] == compose["services"][f"{definition.name}-{process}"]["image"]
        assert container["args"][0] == process
    web = _containers(workloads[f"{definition.name}-web"])[0]
    assert web["ports"] == [{"name": "http", "containerPort": definition.port}]
    assert web["args"][:3] == ["web", "--bind", f"0.0.0.0:{definition.port}"]
    service = _of_kind(manifests, "Service")[f"{definition.name}-web"]
    assert service["spec"]["ports"][0]["port"] == definition.port


@pytest.mark.parametrize("definition", SERVICES, ids=_ids)
def test_kubernetes_config_holds_what_the_code_reads(
    manifests: list[dict[str, Any]], definition: ServiceDefinition
) -> None:
    maps = _of_kind(manifests, "ConfigMap")
    configured = {**maps["chancery-common"]["data"], **maps[f"{definition.name}-config"]["data"]}
    # The connection strings and the secrets come from Secrets (secrets.example.yaml).
    secret = {
        "DATABASE_URL",
        "BROKER_URL",
        "JWT_SECRET",
        "SMTP_USERNAME",
        "SMTP_PASSWORD",
        "SMS_API_KEY",
    }
    read = variables_read(definition, {})
    assert set(configured) <= read
    assert read - set(configured) <= secret
    for workload in _of_kind(manifests, "Deployment").values():
        for source in _containers(workload)[0]["envFrom"]:
            if "configMapRef" in source:
                assert source["configMapRef"]["name"] in maps


@pytest.mark.skipif(shutil.which("kubectl") is None, reason="kubectl is not installed")
def test_kustomize_renders_the_manifests() -> None:
    result = subprocess.run(
        ["kubectl", "kustomize", str(DEPLOY / "k8s")], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.skipif(shutil.which("kubectl") is None, reason="kubectl is not installed")
def test_the_s3_component_moves_scans_from_the_shared_volume_to_a_bucket(tmp_path: Path) -> None:
    overlay = {
        "resources": [os.path.relpath(DEPLOY / "k8s", tmp_path)],
        "components": [os.path.relpath(DEPLOY / "k8s" / "components" / "s3-attachments", tmp_path)],
    }
    (tmp_path / "kustomization.yaml").write_text(yaml.safe_dump(overlay))
    result = subprocess.run(
        ["kubectl", "kustomize", str(tmp_path)], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    rendered = [doc for doc in yaml.safe_load_all(result.stdout) if doc]
    assert "PersistentVolumeClaim" not in {doc["kind"] for doc in rendered}
    for workload in _of_kind(rendered, "Deployment").values():
        spec = workload["spec"]["template"]["spec"]
        assert "attachments" not in {volume["name"] for volume in spec.get("volumes", [])}
        assert "attachments" not in {
            mount["name"]
            for container in spec["containers"]
            for mount in container.get("volumeMounts", [])
        }
    config = _of_kind(rendered, "ConfigMap")["intake-config"]["data"]
    assert config["INTAKE_ATTACHMENTS_STORE"] == "s3"
    [intake] = [definition for definition in SERVICES if definition.name == "intake"]
    read = variables_read(intake, config)
    assert set(config) - read == set(), "every S3 setting is one it reads"
    assert {"INTAKE_S3_ACCESS_KEY_ID", "INTAKE_S3_SECRET_ACCESS_KEY"} <= read - set(config), (
        "the keys come from intake-secrets"
    )
