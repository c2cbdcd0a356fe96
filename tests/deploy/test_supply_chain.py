"""The supply chain holds: what the code imports is declared, the lock covers the pins.

Static and fast: nothing here reaches a package index. Each distribution of
the repository (``shared/pyproject.toml``, ``shared/*/pyproject.toml`` and
every ``services/*/pyproject.toml``, so a new service is checked the day it
appears) is read from its own ``pyproject.toml``; its modules' imports are
read with :mod:`ast`, lazy imports inside functions included.
"""

from __future__ import annotations

import ast
import fnmatch
import re
import sys
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
REQUIREMENTS = ROOT / "requirements"
PYPROJECTS = sorted(
    [
        ROOT / "shared" / "pyproject.toml",
        *ROOT.glob("shared/*/pyproject.toml"),
        *ROOT.glob("services/*/pyproject.toml"),
    ]
)


@dataclass(frozen=True)
class Distribution:
    """One of the repository's distributions, as its pyproject describes it."""

    name: str
    folder: Path
    top_level: frozenset[str]
    declared: frozenset[str]
    license: str | None
    version: str = ""

    def modules(self) -> Iterator[Path]:
        """The Python files the distribution ships (its packages and single modules)."""
        for name in sorted(self.top_level):
            single = self.folder / f"{name}.py"
            if single.is_file():
                yield single
            else:
                yield from sorted((self.folder / name).rglob("*.py"))


def _read(pyproject: Path) -> Distribution:
    data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    project, setuptools = data["project"], data.get("tool", {}).get("setuptools", {})
    folder = pyproject.parent
    top_level = set(setuptools.get("py-modules", []))
    patterns = setuptools.get("packages", {}).get("find", {}).get("include", [])
    top_level |= {
        package.name
        for package in folder.iterdir()
        if (package / "__init__.py").is_file()
        and any(fnmatch.fnmatch(package.name, pattern) for pattern in patterns)
    }
    declared = {
        canonicalize_name(Requirement(line).name) for line in project.get("dependencies", [])
    }
    return Distribution(
        canonicalize_name(project["name"]),
        folder,
        frozenset(top_level),
        frozenset(declared),
        project.get("license"),
        project["version"],
    )


DISTRIBUTIONS = [_read(pyproject) for pyproject in PYPROJECTS]
FIRST_PARTY = {top: dist.name for dist in DISTRIBUTIONS for top in dist.top_level}


def _imported_modules(source: Path) -> Iterator[tuple[int, str]]:
    """Every absolute import in a file: (line, dotted name).

    ``from a import b`` gives ``a.b``: ``b`` may be a module of a namespace
    package (``from opentelemetry import trace``); :func:`_owner` falls back
    to ``a`` when it is not.
    """
    for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"), str(source))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            for alias in node.names:
                yield node.lineno, f"{node.module}.{alias.name}"


@cache
def _installed_files() -> dict[str, str]:
    """Installed file (as in a RECORD, e.g. ``opentelemetry/trace/__init__.py``) -> distribution."""
    owners: dict[str, str] = {}
    for dist in metadata.distributions():
        name = canonicalize_name(dist.metadata["Name"])
        for file in dist.files or ():
            owners.setdefault(file.as_posix(), name)
    return owners


def _owner(module: str) -> set[str]:
    """The distribution(s) that install a third-party module.

    By file first, so that a namespace package shared by many distributions
    (``opentelemetry``) names the one that installs the imported part.
    """
    parts = module.split(".")
    owners = _installed_files()
    for length in range(len(parts), 0, -1):
        path = "/".join(parts[:length])
        for candidate in (f"{path}/__init__.py", f"{path}.py"):
            if candidate in owners:
                return {owners[candidate]}
    return {canonicalize_name(name) for name in _top_level_owners().get(parts[0], ())}


@cache
def _top_level_owners() -> dict[str, list[str]]:
    return metadata.packages_distributions()


def undeclared_imports(dist: Distribution) -> list[str]:
    """``file:line module (installed by X)`` for every import the distribution does not declare."""
    problems = []
    for source in dist.modules():
        for line, module in _imported_modules(source):
            top = module.split(".")[0]
            if top in sys.stdlib_module_names:
                continue
            owners = {FIRST_PARTY[top]} if top in FIRST_PARTY else _owner(module)
            if not owners & (dist.declared | {dist.name}):
                where = source.relative_to(dist.folder).as_posix()
                problems.append(
                    f"{where}:{line} {module} (installed by "
                    f"{', '.join(sorted(owners)) or 'nothing installed'})"
                )
    return problems


def test_every_service_and_the_shared_libraries_are_checked() -> None:
    names = {dist.name for dist in DISTRIBUTIONS}
    assert {"chancery", "chancery-testing", "chancery-intake", "chancery-notifications"} <= names
    assert all(dist.top_level for dist in DISTRIBUTIONS), "a pyproject whose modules were not found"


@pytest.mark.parametrize("dist", DISTRIBUTIONS, ids=lambda dist: dist.name)
def test_every_import_is_declared_by_the_distribution_that_imports_it(dist: Distribution) -> None:
    assert undeclared_imports(dist) == []


def test_an_undeclared_import_is_found(tmp_path: Path) -> None:
    package = tmp_path / "sample"
    package.mkdir()
    (package / "__init__.py").write_text(
        "import json\nfrom chancery.db import new_id\n\n\ndef later():\n"
        "    import werkzeug.exceptions\n    from opentelemetry.sdk.trace import Tracer\n",
        encoding="utf-8",
    )
    dist = Distribution(
        "sample",
        tmp_path,
        frozenset({"sample"}),
        frozenset({"chancery", "opentelemetry-api"}),
        None,
    )
    assert undeclared_imports(dist) == [
        "sample/__init__.py:6 werkzeug.exceptions (installed by werkzeug)",
        "sample/__init__.py:7 opentelemetry.sdk.trace.Tracer (installed by opentelemetry-sdk)",
    ]


@pytest.mark.parametrize("dist", DISTRIBUTIONS, ids=lambda dist: dist.name)
def test_every_distribution_is_under_the_eupl(dist: Distribution) -> None:
    assert dist.license == "EUPL-1.2"


def test_every_distribution_carries_the_one_release_version() -> None:
    # Released together (CHANGELOG.md): a service reports the number of the release it is in.
    assert {dist.name: dist.version for dist in DISTRIBUTIONS} == {
        dist.name: metadata.version("chancery") for dist in DISTRIBUTIONS
    }


def test_the_changelog_has_an_unreleased_section_and_the_current_release() -> None:
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert "## [Unreleased]" in changelog
    assert f"## [{metadata.version('chancery')}] - " in changelog


def test_the_licence_is_the_whole_eupl_text() -> None:
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith(
        "EUROPEAN UNION PUBLIC LICENCE v. 1.2\nEUPL © the European Union 2007, 2016\n"
    )
    articles = re.findall(r"^(\d+)\.[A-Z]", text, re.MULTILINE)
    assert articles == [str(number) for number in range(1, 16)]
    assert "Appendix" in text
    assert "Compatible Licences" in text


# ---- the locks

RUNTIME_LOCK = REQUIREMENTS / "runtime.lock"
DEV_LOCK = REQUIREMENTS / "dev.lock"
REGENERATE = "run `make lock` (see CONTRIBUTING.md)"


def pins(requirements: Path) -> dict[str, str]:
    """Canonical name -> version of every ``name==version`` line, ``-r`` includes followed."""
    found: dict[str, str] = {}
    for raw in requirements.read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip()
        if line.startswith("-r "):
            found |= pins(requirements.parent / line[3:].strip())
        elif line:
            requirement = Requirement(line)
            (version,) = [spec.version for spec in requirement.specifier if spec.operator == "=="]
            found[canonicalize_name(requirement.name)] = version
    return found


def locked(lock: Path) -> dict[str, str]:
    """Canonical name -> version of a lock, checking that every entry carries a hash."""
    text = lock.read_text(encoding="utf-8")
    entry = (
        r"^([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?==(\S+)"  # name[extras]==version
        r"(?: ;[^\\\n]*?)?"  # an environment marker
        r"((?: \\\n +--hash=\S+)*)$"
    )  # the hashes, one a line
    entries = re.findall(entry, text, re.MULTILINE)
    unhashed = [name for name, _, hashes in entries if "--hash=sha256:" not in hashes]
    assert not unhashed, f"entries without a hash in {lock.name}: {unhashed}"
    return {canonicalize_name(name): version for name, version, _ in entries}


def missing_pins(inputs: dict[str, str], lock: dict[str, str]) -> list[str]:
    """The input's pins the lock does not hold at the same version."""
    return [
        f"{name}=={version} (locked: {lock.get(name, 'absent')})"
        for name, version in sorted(inputs.items())
        if lock.get(name) != version
    ]


@pytest.mark.parametrize(
    ("requirements", "lock"), [("runtime.txt", RUNTIME_LOCK), ("dev.txt", DEV_LOCK)]
)
def test_the_lock_holds_every_pin_of_its_input(requirements: str, lock: Path) -> None:
    assert missing_pins(pins(REQUIREMENTS / requirements), locked(lock)) == [], REGENERATE


def test_a_pin_the_lock_lacks_is_found(tmp_path: Path) -> None:
    (tmp_path / "base.txt").write_text("flask==3.1.3\n", encoding="utf-8")
    (tmp_path / "in.txt").write_text(
        "-r base.txt\n# a comment\nkombu==9.9.9  # newer\n", encoding="utf-8"
    )
    (tmp_path / "x.lock").write_text(
        "flask==3.1.3 \\\n    --hash=sha256:ab\n    # via x\n"
        "kombu==5.7.0 ; python_version >= '3.11' \\\n    --hash=sha256:cd\n",
        encoding="utf-8",
    )
    assert missing_pins(pins(tmp_path / "in.txt"), locked(tmp_path / "x.lock")) == [
        "kombu==9.9.9 (locked: 5.7.0)"
    ]


def test_a_locked_entry_without_a_hash_is_refused(tmp_path: Path) -> None:
    (tmp_path / "x.lock").write_text(
        "flask==3.1.3 \\\n    --hash=sha256:ab\namqp==5.4.2\n", encoding="utf-8"
    )
    with pytest.raises(AssertionError, match=r"\['amqp'\]"):
        locked(tmp_path / "x.lock")


def test_the_dev_lock_agrees_with_the_runtime_lock() -> None:
    runtime, dev = locked(RUNTIME_LOCK), locked(DEV_LOCK)
    assert {
        name: (version, dev.get(name))
        for name, version in runtime.items()
        if dev.get(name) != version
    } == {}, REGENERATE


@pytest.mark.parametrize("dist", DISTRIBUTIONS, ids=lambda dist: dist.name)
def test_every_declared_dependency_is_locked(dist: Distribution) -> None:
    lock = locked(DEV_LOCK if dist.name == "chancery-testing" else RUNTIME_LOCK)
    assert sorted(dist.declared - set(lock) - set(FIRST_PARTY.values())) == [], REGENERATE


# ---- the image


def test_the_image_installs_the_runtime_lock_with_hashes_and_no_test_helpers() -> None:
    dockerfile = (ROOT / "deploy" / "Dockerfile").read_text(encoding="utf-8")
    installs = re.findall(r"pip install[^\n]*(?:\\\n[^\n]*)*", dockerfile)
    locked_install = [command for command in installs if "requirements/runtime.lock" in command]
    assert locked_install
    assert all("--require-hashes" in command for command in locked_install)
    assert "runtime.txt" not in dockerfile
    assert "dev." not in dockerfile
    assert "testing" not in dockerfile
    assert "shared/testing" in (ROOT / ".dockerignore").read_text(encoding="utf-8").split()
