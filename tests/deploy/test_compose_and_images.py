"""The deployment files agree with the code: compose, images, env files, broker, Kubernetes.

Static and fast: nothing here needs Docker, a cluster, RabbitMQ or PostgreSQL.
What the code reads is learnt by running each service's ``load_settings``
on a mapping that records every name asked for, so a new setting in a
``config.py`` fails these tests until the env files carry it.
"""

from __future__ import annotations

import base64
import hashlib
import importlib
import importlib.util
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

from chancery.config import DEV_JWT_SECRET
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


def variables_read(definition: ServiceDefinition, env: Mapping[str, str]) -> set[str]:
    """The environment variables ``definition``'s settings read, given ``env``."""
    recorder = _ReadRecorder(env)
    _load_settings(definition, recorder)
    return recorder.read


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


def service_env(definition: ServiceDefinition) -> dict[str, str]:
    """What a container of ``definition`` gets: common.env, then its own file."""
    return {**read_env_file(DEPLOY / "env" / "common.env"),
            **read_env_file(DEPLOY / "env" / f"{definition.name}.env")}


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
        "generate_definitions", DEPLOY / "rabbitmq" / "generate_definitions.py")
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
        "intake", "routing", "protocol-events", "foreign-relations", "notifications"]
    expected = {f"{d.name}-{p}" for d in SERVICES for p in PROCESSES} | set(INFRASTRUCTURE)
    assert set(compose["services"]) == expected | set(STAFF_WEB)


@pytest.mark.parametrize("definition", SERVICES, ids=_ids)
def test_each_process_runs_the_service_image_with_its_command(
        compose: dict[str, Any], definition: ServiceDefinition) -> None:
    for process in PROCESSES:
        entry = compose["services"][f"{definition.name}-{process}"]
        assert entry["image"] == f"chancery/{definition.name}:dev"
        assert entry["build"] == {"context": ".", "dockerfile": "deploy/Dockerfile",
                                  "args": {"SERVICE": definition.name}}
        assert entry["env_file"] == ["deploy/env/common.env",
                                     f"deploy/env/{definition.name}.env"]
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
def test_web_publishes_the_services_own_port(compose: dict[str, Any],
                                             definition: ServiceDefinition) -> None:
    assert compose["services"][f"{definition.name}-web"]["ports"] == [
        f"{definition.port}:{definition.port}"]


@pytest.mark.parametrize("definition", SERVICES, ids=_ids)
def test_processes_start_after_migration_on_healthy_infrastructure(
        compose: dict[str, Any], definition: ServiceDefinition) -> None:
    services = compose["services"]
    migrate = services[f"{definition.name}-migrate"]
    assert migrate["depends_on"] == {"postgres": {"condition": "service_healthy"}}
    assert migrate["restart"] == "no"
    for process in ("web", "worker", "relay"):
        entry = services[f"{definition.name}-{process}"]
        depends = entry["depends_on"]
        assert depends[f"{definition.name}-migrate"] == {
            "condition": "service_completed_successfully"}
        assert depends["postgres"] == depends["rabbitmq"] == {"condition": "service_healthy"}
        assert entry["restart"] == "unless-stopped"
    for infrastructure in ("rabbitmq", "postgres"):
        assert "test" in services[infrastructure]["healthcheck"]


def test_infrastructure_images_and_ports(compose: dict[str, Any]) -> None:
    services = compose["services"]
    assert services["rabbitmq"]["image"] == "rabbitmq:3.13-management"
    assert services["postgres"]["image"] == "postgres:16"
    assert services["jaeger"]["image"].startswith("jaegertracing/all-in-one:")
    assert services["jaeger"]["environment"]["COLLECTOR_OTLP_ENABLED"] == "true"
    assert "16686:16686" in services["jaeger"]["ports"]
    assert services["mailpit"]["image"].startswith("axllent/mailpit:")
    assert "8025:8025" in services["mailpit"]["ports"]
    prometheus = services["prometheus"]
    assert prometheus["image"].startswith("prom/prometheus:v")
    assert {"./deploy/observability/prometheus.yml:/etc/prometheus/prometheus.yml:ro",
            "./deploy/observability/alerts.yml:/etc/prometheus/alerts.yml:ro"} <= set(
        prometheus["volumes"]), "Prometheus with the shipped rules"


def test_every_path_compose_names_exists(compose: dict[str, Any]) -> None:
    for name, entry in compose["services"].items():
        for env_file in entry.get("env_file", []):
            assert (ROOT / env_file).is_file(), f"{name}: {env_file}"
        if "build" in entry:
            assert (ROOT / entry["build"]["context"] / entry["build"]["dockerfile"]).is_file()
            assert (ROOT / "services" / entry["build"]["args"]["SERVICE"]
                    / "pyproject.toml").is_file()
        for volume in entry.get("volumes", []):
            source = volume.split(":", 1)[0]
            if source.startswith("."):
                assert (ROOT / source).exists(), f"{name}: {source}"
            else:
                assert source in compose["volumes"], f"{name}: undeclared volume {source}"


def test_broker_mounts_the_files_its_configuration_names(compose: dict[str, Any]) -> None:
    mounts = dict(volume.split(":")[:2] for volume in compose["services"]["rabbitmq"]["volumes"])
    conf = (DEPLOY / "rabbitmq" / "rabbitmq.conf").read_text()
    loaded = re.search(r"^definitions\.local\.path\s*=\s*(\S+)$", conf, re.MULTILINE)
    assert loaded is not None
    assert mounts["./deploy/rabbitmq/definitions.json"] == loaded.group(1)
    assert mounts["./deploy/rabbitmq/enabled_plugins"] == "/etc/rabbitmq/enabled_plugins"
    assert "rabbitmq_management" in (DEPLOY / "rabbitmq" / "enabled_plugins").read_text()


@pytest.mark.skipif(shutil.which("docker-compose") is None,
                    reason="docker-compose is not installed (optional: apt-get install "
                           "docker-compose); the YAML checks above still ran")
def test_docker_compose_validates_the_file() -> None:
    result = subprocess.run(["docker-compose", "-f", str(COMPOSE_FILE), "config", "-q"],
                            cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr


# ---- environment files


@pytest.mark.parametrize("definition", SERVICES, ids=_ids)
def test_env_files_hold_exactly_the_variables_the_code_reads(
        definition: ServiceDefinition) -> None:
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


def _init_sql_roles() -> dict[str, tuple[str, str]]:
    """database -> (owner, password) from deploy/postgres/init.sql."""
    sql = (DEPLOY / "postgres" / "init.sql").read_text()
    passwords = dict(re.findall(r"CREATE ROLE (\w+) LOGIN PASSWORD '([^']+)';", sql))
    owners = re.findall(r"CREATE DATABASE (\w+) OWNER (\w+);", sql)
    revoked = set(re.findall(r"REVOKE ALL ON DATABASE (\w+) FROM PUBLIC;", sql))
    assert {database for database, _ in owners} == revoked
    return {database: (owner, passwords[owner]) for database, owner in owners}


def test_every_service_has_its_own_database_and_role() -> None:
    databases = _init_sql_roles()
    seen = set()
    for definition in SERVICES:
        url = urlsplit(service_env(definition)["DATABASE_URL"])
        database = url.path.lstrip("/")
        assert databases[database] == (url.username, url.password), definition.name
        seen.add(database)
    assert seen == set(databases)


def _rabbit_password_matches(password_hash: str, password: str) -> bool:
    raw = base64.b64decode(password_hash)
    salt, digest = raw[:4], raw[4:]
    return hashlib.sha256(salt + password.encode()).digest() == digest


@pytest.mark.parametrize("definition", SERVICES, ids=_ids)
def test_every_service_uses_its_own_broker_user(definition: ServiceDefinition,
                                                definitions: dict[str, Any]) -> None:
    url = urlsplit(service_env(definition)["BROKER_URL"])
    assert url.username == definition.name
    assert url.path == "/chancery"
    users = {user["name"]: user for user in definitions["users"]}
    assert _rabbit_password_matches(users[definition.name]["password_hash"], url.password or "")
    assert users[definition.name]["tags"] == []


# ---- the broker's definitions


def test_definitions_json_is_fresh(generator: ModuleType) -> None:
    committed = (DEPLOY / "rabbitmq" / "definitions.json").read_text(encoding="utf-8")
    assert committed == generator.render(), (
        "deploy/rabbitmq/definitions.json is stale: run "
        ".venv/bin/python deploy/rabbitmq/generate_definitions.py")


def test_delivery_limit_is_the_same_everywhere(definitions: dict[str, Any],
                                              manifests: list[dict[str, Any]]) -> None:
    limits = {queue["arguments"]["x-delivery-limit"] for queue in definitions["queues"]
              if queue["name"].endswith(".messages")}
    common_env = read_env_file(DEPLOY / "env" / "common.env")
    common_k8s = _of_kind(manifests, "ConfigMap")["chancery-common"]["data"]
    assert limits == {int(common_env["DELIVERY_LIMIT"])} == {int(common_k8s["DELIVERY_LIMIT"])}


def test_services_may_publish_only_their_own_events(definitions: dict[str, Any]) -> None:
    permissions = {entry["user"]: entry for entry in definitions["permissions"]}
    for definition in SERVICES:
        write = re.compile(permissions[definition.name]["write"])
        for other in SERVICES:
            assert bool(write.match(f"{other.name}.events")) == (other is definition
                                                                 and other.name != "notifications")
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
        compose: dict[str, Any], manifests: list[dict[str, Any]], dockerfile: str,
        name: str) -> None:
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
    env_file = {line.split("=", 1)[0] for line in (DEPLOY / "env" / "staff-web.env").read_text(
        ).splitlines() if line and not line.startswith("#")}
    configured = set(_of_kind(manifests, "ConfigMap")["staff-web-config"]["data"])
    assert env_file <= recorder.read
    assert configured <= recorder.read


# ---- Kubernetes


def test_manifests_cover_every_service(manifests: list[dict[str, Any]]) -> None:
    deployments = _of_kind(manifests, "Deployment")
    assert set(deployments) == {f"{d.name}-{p}" for d in SERVICES
                                for p in ("web", "worker", "relay")} | set(STAFF_WEB)
    assert set(_of_kind(manifests, "Job")) == {f"{d.name}-migrate" for d in SERVICES}
    assert set(_of_kind(manifests, "Service")) == {f"{d.name}-web" for d in SERVICES} | set(
        STAFF_WEB)
    assert set(_of_kind(manifests, "PodDisruptionBudget")) == set(deployments)
    autoscalers = _of_kind(manifests, "HorizontalPodAutoscaler")
    assert {a["spec"]["scaleTargetRef"]["name"] for a in autoscalers.values()} == {
        f"{d.name}-web" for d in SERVICES}


def _containers(workload: dict[str, Any]) -> list[dict[str, Any]]:
    return workload["spec"]["template"]["spec"]["containers"]


def test_every_workload_has_resources_and_runs_as_non_root(
        manifests: list[dict[str, Any]]) -> None:
    for workload in [*_of_kind(manifests, "Deployment").values(),
                     *_of_kind(manifests, "Job").values()]:
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
                "annotations", {})
            assert has_probe or annotated, name


def test_prometheus_discovers_every_pod_that_serves_metrics(
        manifests: list[dict[str, Any]]) -> None:
    for name, deployment in _of_kind(manifests, "Deployment").items():
        assert "prometheus.io/scrape" not in deployment["metadata"].get("annotations", {}), (
            f"{name}: Prometheus reads annotations of pods, not of Deployments")
        pod = deployment["spec"]["template"]["metadata"].get("annotations", {})
        assert pod.get("prometheus.io/scrape") == "true", name
        ports = {str(p["containerPort"]) for c in _containers(deployment)
                 for p in c.get("ports", [])}
        assert pod["prometheus.io/port"] in ports | {"9100"}, name


def test_kustomize_sets_every_image_it_deploys(manifests: list[dict[str, Any]]) -> None:
    kustomization = yaml.safe_load((DEPLOY / "k8s" / "kustomization.yaml").read_text())
    set_by_kustomize = {entry["name"] for entry in kustomization["images"]}
    used = {c["image"].split(":")[0] for kind in ("Deployment", "Job")
            for workload in _of_kind(manifests, kind).values() for c in _containers(workload)}
    assert used <= set_by_kustomize


@pytest.mark.parametrize("definition", SERVICES, ids=_ids)
def test_manifests_agree_with_compose(manifests: list[dict[str, Any]], compose: dict[str, Any],
                                      definition: ServiceDefinition) -> None:
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
def test_kubernetes_config_holds_what_the_code_reads(manifests: list[dict[str, Any]],
                                                     definition: ServiceDefinition) -> None:
    maps = _of_kind(manifests, "ConfigMap")
    configured = {**maps["chancery-common"]["data"], **maps[f"{definition.name}-config"]["data"]}
    # The connection strings and the secrets come from Secrets (secrets.example.yaml).
    secret = {"DATABASE_URL", "BROKER_URL", "JWT_SECRET", "SMTP_USERNAME", "SMTP_PASSWORD",
              "SMS_API_KEY"}
    read = variables_read(definition, {})
    assert set(configured) <= read
    assert read - set(configured) <= secret
    for workload in _of_kind(manifests, "Deployment").values():
        for source in _containers(workload)[0]["envFrom"]:
            if "configMapRef" in source:
                assert source["configMapRef"]["name"] in maps


@pytest.mark.skipif(shutil.which("kubectl") is None, reason="kubectl is not installed")
def test_kustomize_renders_the_manifests() -> None:
    result = subprocess.run(["kubectl", "kustomize", str(DEPLOY / "k8s")], capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 0, result.stderr
