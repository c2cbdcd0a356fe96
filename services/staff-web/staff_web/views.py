"""How a desk's page is declared: one function shows it, and shows it again after a form.

A page that a form posts back to was written twice: the function that renders it (with
the form's errors and the status of the refusal) and a ``GET`` view that only called it.
:func:`page` serves the rendering function itself at ``GET``, so the refused form's view
calls the very function the page is served by.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask import Blueprint

from staff_web.security import signed_in

Page = TypeVar("Page", bound=Callable[..., Any])


def page(blueprint: Blueprint, rule: str, *roles: str, endpoint: str) -> Callable[[Page], Page]:
    """Serve the decorated function at ``GET rule`` to a signed-in person holding one of
    ``roles``, as ``endpoint``; the function stays as it is, for the views that show the
    page again (its arguments past the rule's are left to their defaults at ``GET``)."""

    def register(render: Page) -> Page:
        blueprint.add_url_rule(rule, endpoint, signed_in(*roles)(render), methods=["GET"])
        return render

    return register
