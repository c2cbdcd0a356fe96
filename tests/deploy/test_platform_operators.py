"""The broker and the database through their Kubernetes operators (deploy/k8s/platform)."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from typing import Any

import yaml

from chancery.services import installed_services

PLATFORM = Path(__file__).resolve().parents[2] / "deploy" / "k8s" / "platform"
DEFINITIONS = PLATFORM.parents[1] / "rabbitmq" / "definitions.json"


def _documents(name: str) -> list[dict[str, Any]]:
    return [d for d in yaml.safe_load_all((PLATFORM / name).read_text(encoding="utf-8")) if d]


def _generator() -> Any:
    spec = importlib.util.spec_from_file_location("platform_generate", PLATFORM / "generate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_broker_manifests_are_what_the_definitions_generate() -> None:
    assert (PLATFORM / "rabbitmq.yaml").read_text(encoding="utf-8") == _generator().render(), (
        "deploy/k8s/platform/rabbitmq.yaml is stale: run deploy/k8s/platform/generate.py"
    )


def test_every_service_has_a_broker_user_with_the_rights_compose_gives_it() -> None:
    docs = _documents("rabbitmq.yaml")
    users = {d["metadata"]["name"]: d for d in docs if d["kind"] == "User"}
    permissions = {
        d["spec"]["userReference"]["name"]: d["spec"] for d in docs if d["kind"] == "Permission"
    }
    definitions = json.loads(DEFINITIONS.read_text(encoding="utf-8"))
    for service in installed_services():
        if service.name == "staff-web":
            continue
        user = f"{service.name}-user"
        assert user in users, service.name
        assert users[user]["spec"]["importCredentialsSecret"]["name"] == (
            f"{service.name}-rabbitmq-credentials"
        ), "credentials from a Secret, never in git"
        [granted] = [p for p in definitions["permissions"] if p["user"] == service.name]
        assert permissions[user]["permissions"] == {
            key: granted[key] for key in ("configure", "write", "read")
        }
        assert permissions[user]["vhost"] == "chancery"
    clusters = {d["metadata"]["name"] for d in docs if d["kind"] == "RabbitmqCluster"}
    references = {
        d["spec"]["rabbitmqClusterReference"]["name"]
        for d in docs
        if d["kind"] != "RabbitmqCluster"
    }
    assert references == clusters == {"chancery-rabbitmq"}


def test_every_service_has_its_own_database_and_role_in_the_postgres_cluster() -> None:
    docs = _documents("postgres.yaml")
    [cluster] = [d for d in docs if d["kind"] == "Cluster"]
    roles = {r["name"]: r for r in cluster["spec"]["managed"]["roles"]}
    databases = {d["spec"]["name"]: d["spec"] for d in docs if d["kind"] == "Database"}
    for service in installed_services():
        if service.name == "staff-web":
            continue
        role = service.name.replace("-", "_")
        assert roles[role]["login"] is True
        assert roles[role]["passwordSecret"]["name"] == f"{service.name}-postgres-credentials"
        database = databases[f"chancery_{role}"]
        assert database["owner"] == role, "each service owns its database only"
        assert database["cluster"]["name"] == cluster["metadata"]["name"]
    assert all("password" not in role for role in roles.values()), "no password in git"


def test_the_platform_kustomization_lists_every_manifest() -> None:
    kustomization = yaml.safe_load((PLATFORM / "kustomization.yaml").read_text())
    assert sorted(kustomization["resources"]) == sorted(
        p.name for p in PLATFORM.glob("*.yaml") if p.name != "kustomization.yaml"
    )
