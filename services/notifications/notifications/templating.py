"""Templates: shipped YAML files, versioned rows, sandboxed rendering, a language fallback chain.

Texts are Jinja2 rendered in a sandbox (no attribute access to Python
internals) with strict undefined variables, the HTML part autoescaped. A
recipient's language falls back to the municipality's language and then to
English.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from jinja2 import StrictUndefined, TemplateError
from jinja2.sandbox import SandboxedEnvironment

from chancery.errors import InvalidInput

SHIPPED = Path(__file__).parent / "templates"
_TEXT = SandboxedEnvironment(undefined=StrictUndefined, autoescape=False)
_HTML = SandboxedEnvironment(undefined=StrictUndefined, autoescape=True)


@dataclass(frozen=True)
class ShippedKind:
    """A notification kind as shipped: audience, legal flag, variables and texts per language."""

    kind: str
    audience: str
    legal: bool
    description: str
    variables: tuple[str, ...]
    languages: dict[str, dict[str, str]]


@dataclass(frozen=True)
class Rendered:
    """A template filled in."""

    subject: str
    text: str
    html: str


def shipped_kinds(folder: Path = SHIPPED) -> list[ShippedKind]:
    """Every shipped notification kind."""
    kinds = []
    for path in sorted(folder.glob("*.yaml")):
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        kinds.append(ShippedKind(kind=raw["kind"], audience=raw["audience"],
                                 legal=bool(raw["legal"]), description=raw["description"],
                                 variables=tuple(raw["variables"]),
                                 languages=raw["languages"]))
    return kinds


def fallback_chain(*languages: str | None) -> list[str]:
    """The languages to try in order, without repeats, ending in English."""
    chain: list[str] = []
    for language in (*languages, "en"):
        if language and language not in chain:
            chain.append(language)
    return chain


# Besides Jinja's own errors, a template can fail while it runs (a division by
# zero, a sandbox limit, adding a number to text): each is the template's fault.
_FAILURES = (TemplateError, ArithmeticError, LookupError, TypeError, ValueError, RuntimeError)


def render(subject: str, text: str, html: str, data: dict[str, Any],
           fields: tuple[str, str, str] = ("data", "data", "data")) -> Rendered:
    """Fill a template in; a missing variable or a template error is an :class:`InvalidInput`.

    ``fields`` name the field each part's error is reported on (subject, text, html).
    """
    return Rendered(subject=" ".join(_fill(_TEXT, subject, data, fields[0]).split()),
                    text=_fill(_TEXT, text, data, fields[1]),
                    html=_fill(_HTML, html, data, fields[2]))


def _fill(environment: SandboxedEnvironment, source: str, data: dict[str, Any],
          field: str) -> str:
    try:
        return environment.from_string(source).render(data)
    except _FAILURES as exc:
        raise InvalidInput(f"The template cannot be filled in: {exc}", field=field,
                           reason=str(exc)) from exc


def check_template(subject: str, text: str, html: str, variables: tuple[str, ...]) -> None:
    """Refuse a template that does not render with its own variables (naming the part)."""
    render(subject, text, html, {name: f"<{name}>" for name in variables},
           fields=("subject", "text", "html"))
