"""DG390 for environment files: judged by what they hold, not only by their name.

An env file whose values are all public (empty, placeholders such as `change-me`, booleans,
numbers, ports, host names, URLs, `NEXT_PUBLIC_*`) is configuration and may be committed.
Two kinds of env file document configuration on purpose and are read by check-env-vars as
declarations: files a tracked compose file loads with `env_file:`, and per-stage files
(`.env.development`, `.env.production`, ...). They are fine unless a value in them is a
credential (a credential's name with a long random value), and then the advice is to replace
that value, never to untrack the file. Any other env file (`.env`, `.env.local`, `prod.env`)
is reported when a value may be a secret (a credential's name with a value that is not
public, or a random value), with the advice to untrack it or replace the value.
"""
from __future__ import annotations

import os
import posixpath
import re

from hooks._core.files import to_posix

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (~3 ms)
if TYPE_CHECKING:
    from typing import Iterator

# Per-stage env files that frameworks load and check-env-vars reads as declarations.
STAGE_PARTS = frozenset(
    {"development", "dev", "production", "prod", "staging", "stage", "test", "testing", "ci",
     "preview", "docker", "compose", "devcontainer", "defaults"}
)
_COMPOSE = re.compile(r"(?:docker-)?compose(?:[.-][\w.-]+)?\.ya?ml\Z")

_targets: dict[str, dict[str, str]] = {}  # repo root -> {env file (posix, root-relative): compose file}


def is_stage_file(name: str) -> bool:
    """`.env.production`, `.env.development.local` is not (`.local` files are personal)."""
    parts = name.lower().split(".")
    return parts[-1] != "local" and bool(STAGE_PARTS.intersection(parts[2:] if name.startswith(".env.") else ()))


def env_file_targets(root: str) -> dict[str, str]:
    """Env files that tracked compose files load with `env_file:` -> the compose file."""
    if root not in _targets:
        _targets[root] = dict(_scan_compose_files(root))
    return _targets[root]


def _scan_compose_files(root: str) -> Iterator[tuple[str, str]]:
    from hooks._core.findings import HookError
    from hooks._core.git import tracked_files

    try:
        files = tracked_files(root)
    except HookError:
        return
    for compose in files:
        if _COMPOSE.match(compose.rsplit("/", 1)[-1]):
            for target in _compose_env_files(os.path.join(root, compose)):
                yield posixpath.normpath(posixpath.join(posixpath.dirname(compose), target)), compose


def _compose_env_files(path: str) -> list[str]:
    """The `env_file:` entries of every service (string, list, or `{path: ...}` forms)."""
    import yaml

    try:
        with open(path, "rb") as handle:
            document = yaml.safe_load(handle)
    except (OSError, yaml.YAMLError, ValueError, RecursionError):
        return []  # a broken compose file is not check-secrets' to report
    if not isinstance(document, dict):
        return []
    services = document.get("services", document)
    targets: list[str] = []
    for service in services.values() if isinstance(services, dict) else ():
        value = service.get("env_file") if isinstance(service, dict) else None
        for item in value if isinstance(value, list) else [value]:
            target = item.get("path") if isinstance(item, dict) else item
            if isinstance(target, str):
                targets.append(target)
    return targets


def loading_compose_file(path: str) -> str | None:
    """The tracked compose file that loads `path` with `env_file:`, or None."""
    from hooks._core.git import repo_root

    root = repo_root(os.path.dirname(os.path.abspath(path)) or ".")
    if root is None:
        return None
    relative = to_posix(os.path.relpath(os.path.abspath(path), root))
    return env_file_targets(root).get(relative)


def judge(path: str, text: str) -> str | None:
    """The DG390 message for an env file, or None when its content may be committed."""
    from hooks.check_secrets.generic import credential_lines, possible_secret_lines

    name = to_posix(path).rsplit("/", 1)[-1]
    loader = None
    credentials = credential_lines(text)
    if not is_stage_file(name):
        # the most convincing evidence first: a random value under a credential's name
        candidates = credentials + [c for c in possible_secret_lines(text) if c not in credentials]
        if not candidates:
            return None
        loader = loading_compose_file(path)
        if loader is None:
            return (
                f"`{name}` should never be committed (it holds {_where(candidates)}): "
                "`git rm --cached` it and add it to `.gitignore` (commit a template such as "
                "`.env.example` with placeholders instead), or replace the value with a "
                "placeholder and read the real one from the environment, or list it in `allow-files`"
            )
    if not credentials:
        return None
    why = f"loaded by `env_file:` in `{loader}`" if loader else "per-stage configuration"
    return (
        f"`{name}` ({why}) holds a credential ({_where(credentials)}): keep the file, replace "
        "the value with a placeholder and supply the real one from the deployment's environment "
        "or a secret store, or list the file in `allow-files`"
    )


def _where(lines: list[tuple[int, str]]) -> str:
    number, name = lines[0]
    more = f" and {len(lines) - 1} more" if len(lines) > 1 else ""
    return f"`{name}` on line {number}{more}"
