"""The services of this installation, found by importing their bootstrap modules."""

from __future__ import annotations

import importlib

from chancery.runtime import ServiceDefinition

SERVICE_MODULES = ("intake", "routing", "protocol_events", "foreign_relations", "notifications")


def installed_services() -> list[ServiceDefinition]:
    """Definitions of the services whose packages are installed, in port order."""
    found = []
    for module in SERVICE_MODULES:
        try:
            bootstrap = importlib.import_module(f"{module}.bootstrap")
        except ModuleNotFoundError as exc:
            if exc.name not in (module, f"{module}.bootstrap"):
                raise
            continue
        found.append(bootstrap.DEFINITION)
    return sorted(found, key=lambda definition: definition.port)
