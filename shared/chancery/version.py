"""The version a service reports, read once from its installed distribution.

``/healthz``, the OpenAPI document's ``info.version`` and the
``chancery_build_info`` metric all come from here, so the three cannot
disagree and a release changes one number: the ``version`` in the service's
``pyproject.toml`` (see ``CHANGELOG.md``).
"""

from __future__ import annotations

from importlib import metadata

from chancery.metrics import BUILD_INFO

SHARED_DISTRIBUTION = "chancery"


def distribution_name(service: str) -> str:
    """The distribution a service is installed from (``routing`` -> ``chancery-routing``)."""
    return f"{SHARED_DISTRIBUTION}-{service}"


def service_version(service: str) -> str:
    """The installed version of ``service``'s distribution.

    A process that is no installed service (a test app, the ``chancery``
    command) reports the shared library's version instead.
    """
    try:
        return metadata.version(distribution_name(service))
    except metadata.PackageNotFoundError:
        return metadata.version(SHARED_DISTRIBUTION)


def announce_build(service: str) -> str:
    """Publish ``chancery_build_info{service,version} 1`` and give the version."""
    version = service_version(service)
    BUILD_INFO.labels(service, version).set(1)
    return version
