"""Swagger UI at ``/docs`` from files installed with the project, so it works offline.

The Swagger UI distribution (JavaScript and CSS) comes from the
``flask-swagger-ui`` package, pinned and hash-locked like every dependency;
flask-smorest's page at ``/docs`` loads it from ``/docs/assets/``, the same
origin as the document it shows. No CDN is contacted: an office network
without internet sees the same page.
"""

from __future__ import annotations

from importlib import resources
from typing import Any

from flask import Flask, Response, send_from_directory

ASSETS_PATH = "/docs/assets/"
SWAGGER_UI_CONFIG: dict[str, Any] = {
    # Swagger UI would otherwise send the document to an online validator.
    "validatorUrl": None,
}


def swagger_ui_dist() -> str:
    """The folder of the installed Swagger UI distribution (``swagger-ui-bundle.js``, ...)."""
    return str(resources.files("flask_swagger_ui") / "dist")


def add_docs_assets(app: Flask) -> None:
    """Serve the Swagger UI files under :data:`ASSETS_PATH`."""
    folder = swagger_ui_dist()

    @app.get(f"{ASSETS_PATH}<path:name>")
    def docs_asset(name: str) -> Response:
        return send_from_directory(folder, name, max_age=86400)
