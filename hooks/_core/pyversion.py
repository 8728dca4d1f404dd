"""The Python version a project targets, so that code written for a newer Python than the one
running a hook is not reported as a syntax error.

Read from the repository root (the hook's working directory, as pre-commit runs it), first
found wins: `requires-python` in pyproject.toml (its lowest allowed 3.x), `[tool.ruff]
target-version` (`py312`), `.python-version` (`3.12.1`). Read once per process.
"""
from __future__ import annotations

import os
import re
import sys

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (~3 ms)
if TYPE_CHECKING:
    from typing import Optional

_MAX_MINOR = 40  # a lower bound above 3.40 is not a real constraint we can act on

_cache: dict[str, Optional[tuple[tuple[int, int], str]]] = {}


def _lowest_allowed(spec: str) -> Optional[tuple[int, int]]:
    from packaging.specifiers import InvalidSpecifier, SpecifierSet

    try:
        allowed = SpecifierSet(spec)
    except InvalidSpecifier:
        return None
    for minor in range(0, _MAX_MINOR):
        # a release of each minor: ">=3.12" admits 3.12.0, "~=3.12.1" admits 3.12.99
        if any(allowed.contains(f"3.{minor}.{patch}", prereleases=True) for patch in (0, 99)):
            return (3, minor)
    return None


def _from_pyproject(path: str) -> Optional[tuple[tuple[int, int], str]]:
    from hooks._core.config import load_toml
    from hooks._core.findings import HookError

    try:
        data = load_toml(path)
    except HookError:
        return None  # the config reader reports a broken pyproject; here it only means "unknown"
    project = data.get("project")
    spec = project.get("requires-python") if isinstance(project, dict) else None
    if isinstance(spec, str):
        version = _lowest_allowed(spec)
        if version:
            return version, f'requires-python = "{spec}" in pyproject.toml'
    tool = data.get("tool")
    ruff = tool.get("ruff") if isinstance(tool, dict) else None
    target = ruff.get("target-version") if isinstance(ruff, dict) else None
    if isinstance(target, str):
        match = re.fullmatch(r"py3(\d+)", target.strip())
        if match:
            return (3, int(match.group(1))), f'[tool.ruff] target-version = "{target}" in pyproject.toml'
    return None


def _from_python_version_file(path: str) -> Optional[tuple[tuple[int, int], str]]:
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            first = handle.readline(200).strip()
    except OSError:
        return None
    match = re.match(r"(?:cpython-|python)?3\.(\d+)", first)
    return ((3, int(match.group(1))), f"{first} in .python-version") if match else None


def project_target(root: str = ".") -> Optional[tuple[tuple[int, int], str]]:
    """The lowest Python the project says it runs on, and where that is written."""
    key = os.path.abspath(root)
    if key not in _cache:
        found = None
        pyproject = os.path.join(root, "pyproject.toml")
        if os.path.isfile(pyproject):
            found = _from_pyproject(pyproject)
        if found is None and os.path.isfile(os.path.join(root, ".python-version")):
            found = _from_python_version_file(os.path.join(root, ".python-version"))
        _cache[key] = found
    return _cache[key]


def newer_than_running(root: str = ".") -> Optional[tuple[tuple[int, int], str]]:
    """The project's target when it is newer than the interpreter running the hook."""
    target = project_target(root)
    if target is not None and target[0] > sys.version_info[:2]:
        return target
    return None
