"""Templates: shipped YAML files, versioned rows, sandboxed rendering, a language fallback chain.

Texts are Jinja2 rendered in a sandbox (no attribute access to Python
internals) with strict undefined variables, the HTML part autoescaped, and
bounded: a part renders in at most a second into at most 100,000 characters,
and operands that would build more (``"x" * 10**9``, ``9**9**9``, a
million-wide format) are refused before they are computed. A
recipient's language falls back to the municipality's language and then to
English.
"""

from __future__ import annotations

import functools
import re
import time
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from jinja2 import StrictUndefined, TemplateError
from jinja2.sandbox import MAX_RANGE, SandboxedEnvironment

from chancery.errors import InvalidInput

SHIPPED = Path(__file__).parent.parent / "templates"
# What an operator may store per part, and what one rendering may produce and take.
MAX_SOURCE_CHARS = {"subject": 500, "text": 20_000, "html": 50_000}
MAX_OUTPUT_CHARS = 100_000
# Counted in the rendering thread's CPU time, not the wall clock: the bound stops a template
# that computes too much, and a busy machine (CI at load 13 failed a plain notice) must not.
MAX_RENDER_SECONDS = 1.0
_deadline: ContextVar[float] = ContextVar("template_deadline", default=float("inf"))


class RenderLimit(RuntimeError):
    """A rendering went past its bounds (output size, time, a huge operand)."""


def _check_size(value: Any) -> Any:
    if isinstance(value, str | list | tuple) and len(value) > MAX_OUTPUT_CHARS:
        raise RenderLimit(f"a value longer than {MAX_OUTPUT_CHARS} characters")
    return value


def _check_time() -> None:
    if time.thread_time() > _deadline.get():
        raise RenderLimit(f"rendering took more than {MAX_RENDER_SECONDS:g} s of CPU")


def _bounded_range(*args: int) -> Iterator[int]:
    numbers = range(*args)
    if len(numbers) > MAX_RANGE:
        raise RenderLimit(f"a range of more than {MAX_RANGE} numbers")
    # Every loop over a range looks at the clock, so even an empty nested loop ends.
    for number in numbers:
        _check_time()
        yield number


def _guarded_filter(function: Callable[..., Any]) -> Callable[..., Any]:
    # The value filtered (after the context Jinja may pass first) is data; its arguments
    # (a width, a count) are what could make the output explode.
    skip = 2 if getattr(function, "jinja_pass_arg", None) else 1

    @functools.wraps(function)  # keeps Jinja's pass_context/pass_environment marks
    def guarded(*args: Any, **kwargs: Any) -> Any:
        for value in (*args[skip:], *kwargs.values()):
            if (
                isinstance(value, int)
                and not isinstance(value, bool)
                and abs(value) > MAX_OUTPUT_CHARS
            ):
                raise RenderLimit(f"a filter argument above {MAX_OUTPUT_CHARS}")
        _check_time()
        return _check_size(function(*args, **kwargs))

    return guarded


class _BoundedSandbox(SandboxedEnvironment):
    """Jinja's sandbox with bounds on what a template can make the machine do."""

    intercepted_binops = frozenset({"*", "**", "%"})

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.globals["range"] = _bounded_range
        self.filters = {name: _guarded_filter(f) for name, f in self.filters.items()}

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        """``*`` may not build more than the output limit, ``**`` no huge numbers."""
        if (
            operator == "**"
            and isinstance(left, int)
            and isinstance(right, int)
            and abs(left) > 1
            and right * abs(left).bit_length() > 4096
        ):
            raise RenderLimit("a power too large")
        if operator == "*":
            for sequence, count in ((left, right), (right, left)):
                if (
                    isinstance(sequence, str | list | tuple)
                    and isinstance(count, int)
                    and len(sequence) * count > MAX_OUTPUT_CHARS
                ):
                    raise RenderLimit(f"a value longer than {MAX_OUTPUT_CHARS} characters")
        if operator == "%" and isinstance(left, str) and _WIDE_FORMAT.search(left):
            raise RenderLimit("a format width too large")
        return _check_size(super().call_binop(context, operator, left, right))

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        """``"{:>999999}".format(x)`` is refused before it builds its string."""
        owner = getattr(value, "__self__", None)
        if (
            isinstance(owner, str)
            and getattr(value, "__name__", "") in ("format", "format_map")
            and _WIDE_FORMAT.search(owner)
        ):
            raise RenderLimit("a format width too large")
        return super().wrap_str_format(value)

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805 - Jinja's signature
        """Every call looks at the clock and may not return more than the output limit."""
        _check_time()
        return _check_size(super().call(__context, __obj, *args, **kwargs))


# A width or precision of six digits or more in a format string.
_WIDE_FORMAT = re.compile(r"[%:{][^%}]*?\d{6,}")
_TEXT = _BoundedSandbox(undefined=StrictUndefined, autoescape=False)
_HTML = _BoundedSandbox(undefined=StrictUndefined, autoescape=True)


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
        kinds.append(
            ShippedKind(
                kind=raw["kind"],
                audience=raw["audience"],
                legal=bool(raw["legal"]),
                description=raw["description"],
                variables=tuple(raw["variables"]),
                languages=raw["languages"],
            )
        )
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


def render(
    subject: str,
    text: str,
    html: str,
    data: dict[str, Any],
    fields: tuple[str, str, str] = ("data", "data", "data"),
) -> Rendered:
    """Fill a template in; a missing variable, a template error or a bound is :class:`InvalidInput`.

    ``fields`` name the field each part's error is reported on (subject, text, html).
    Each part may take at most ``MAX_RENDER_SECONDS`` and produce at most
    ``MAX_OUTPUT_CHARS`` characters.
    """
    return Rendered(
        subject=" ".join(_fill(_TEXT, subject, data, fields[0]).split()),
        text=_fill(_TEXT, text, data, fields[1]),
        html=_fill(_HTML, html, data, fields[2]),
    )


def _fill(environment: SandboxedEnvironment, source: str, data: dict[str, Any], field: str) -> str:
    token = _deadline.set(time.thread_time() + MAX_RENDER_SECONDS)
    try:
        parts: list[str] = []
        produced = 0
        for chunk in environment.from_string(source).generate(data):
            produced += len(chunk)
            if produced > MAX_OUTPUT_CHARS:
                raise RenderLimit(f"more than {MAX_OUTPUT_CHARS} characters")
            _check_time()
            parts.append(chunk)
        return "".join(parts)
    except _FAILURES as exc:
        raise InvalidInput(
            f"The template cannot be filled in: {exc}", field=field, reason=str(exc)[:300]
        ) from exc
    finally:
        _deadline.reset(token)


def check_template(subject: str, text: str, html: str, variables: tuple[str, ...]) -> None:
    """Refuse a template that is too long or does not render with its own variables.

    Each error names the part (``subject``, ``text`` or ``html``).
    """
    for field, source in (("subject", subject), ("text", text), ("html", html)):
        if len(source) > MAX_SOURCE_CHARS[field]:
            raise InvalidInput(
                f"The {field} is longer than {MAX_SOURCE_CHARS[field]} characters.",
                field=field,
                reason=f"at most {MAX_SOURCE_CHARS[field]} characters",
            )
    render(
        subject,
        text,
        html,
        {name: f"<{name}>" for name in variables},
        fields=("subject", "text", "html"),
    )
