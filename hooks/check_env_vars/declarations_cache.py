"""The declaration files' findings, remembered on disk between commits.

Reading every compose file, workflow, Dockerfile and documentation page of a repository (and
importing YAML to do it) is most of check-env-vars' cost on a commit that touches none of them.
What the collector found in them is written to the per-user cache, one entry per repository,
and used again while nothing it was computed from changed:

- the declaration files and their kinds (so the tracked-file list and `exclude`/
  `declaration-files` settings), the whole tracked-file list (env files are counted only
  when tracked), and driftgate's version and this collector's own source files;
- the path, size and mtime_ns of every file the collector read (an edit changes them).

A file modified in the last few seconds makes the entry unsafe (a second edit within the
file system's timestamp resolution could keep size and mtime), so nothing is written then.
The code's own writes (`os.environ["X"] = ...`) are never cached: they are read on every run.
Entries are written atomically (temp file + os.replace); a damaged or foreign entry is a miss.
"""
from __future__ import annotations

import hashlib
import json
import os
import time

from hooks.check_env_vars.model import Declaration

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (~3 ms)
if TYPE_CHECKING:
    from typing import Any, Sequence

CACHE_FORMAT = 1
MAX_ENTRY_BYTES = 64 * 1024 * 1024
RACY_SECONDS = 3.0  # an input this recent is not trusted to change its mtime on an edit


def cache_path(top: str, kind: str = "declarations") -> str:
    """One entry per repository and driftgate installation (pre-commit's hook environment
    and a project venv each keep their own, instead of overwriting one another's)."""
    from hooks._core.cache import user_cache_dir

    where = os.path.abspath(top) + "\0" + os.path.abspath(__file__)
    digest = hashlib.sha256(where.encode("utf-8", "surrogateescape")).hexdigest()[:24]
    return os.path.join(user_cache_dir(), f"env-{kind}-v{CACHE_FORMAT}", digest + ".json")


def key_of(top: str, files: Sequence[str], jobs: Sequence[tuple[str, str]]) -> str:
    """What the entry was computed from, besides the content of the files it read."""
    from hooks import __version__
    from hooks.check_env_vars import declarations

    tracked = hashlib.sha256("\0".join(files).encode("utf-8", "surrogateescape")).hexdigest()
    code = [_stamp(declarations.__file__), _stamp(__file__)]
    parts = [CACHE_FORMAT, __version__, code, os.path.abspath(top), tracked, [list(job) for job in jobs]]
    return hashlib.sha256(json.dumps(parts).encode("utf-8", "surrogateescape")).hexdigest()


def _stamp(path: str) -> list[Any]:
    """[size, mtime_ns] of `path`, [None, None] when it cannot be read (absent: a change too)."""
    try:
        info = os.stat(path)
    except OSError:
        return [None, None]
    return [info.st_size, info.st_mtime_ns]


def load(top: str, key: str) -> dict[str, Any] | None:
    """The saved collector state for `key` (sites, globs, errors, env_from, config_maps),
    or None: absent, damaged, computed from other inputs, or a file it read has changed."""
    from hooks._core.cache import read_json

    try:
        entry = read_json(cache_path(top), MAX_ENTRY_BYTES)
        if not isinstance(entry, dict) or entry["key"] != key:
            return None
        for path, size, mtime in entry["inputs"]:
            if _stamp(os.path.join(top, path)) != [size, mtime]:
                return None
        state = entry["state"]
        if not all(isinstance(e, str) for e in state["errors"]) or not all(
            isinstance(r, str) and isinstance(p, str) for r, p in state["env_from"]
        ):
            raise ValueError("errors or env_from")
        maps = state["config_maps"]
        return {
            "sites": _declarations(state["sites"]), "globs": _declarations(state["globs"]),
            "errors": list(state["errors"]), "env_from": [(r, p) for r, p in state["env_from"]],
            "config_maps": {str(name): _declarations(rows) for name, rows in maps.items()},
        }
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def save(top: str, key: str, read: Sequence[str], state: dict[str, Any]) -> None:
    """Remember `state`, computed from the files `read` (relative to `top`)."""
    from hooks._core.cache import write_atomic

    inputs = []
    fresh_after = (time.time() - RACY_SECONDS) * 1e9
    for path in sorted(set(read)):
        size, mtime = _stamp(os.path.join(top, path))
        if mtime is not None and mtime > fresh_after:
            return  # just edited: its next edit may keep size and mtime
        inputs.append([path, size, mtime])
    write_atomic(cache_path(top), json.dumps({"key": key, "inputs": inputs, "state": state}))


def dump_declarations(items: Sequence[Declaration]) -> list[list[Any]]:
    return [[d.name, d.path, d.line, d.col, d.kind, d.reportable, d.documentation] for d in items]


def _declarations(rows: Any) -> list[Declaration]:
    out = []
    for name, path, line, col, kind, reportable, documentation in rows:
        if not (isinstance(name, str) and isinstance(path, str) and isinstance(kind, str)
                and type(line) is int and type(col) is int
                and isinstance(reportable, bool) and isinstance(documentation, bool)):
            raise ValueError("not a declaration")
        out.append(Declaration(name, path, line, col, kind, reportable, documentation))
    return out


# --- the code's own writes (`os.environ["X"] = ...`): `git grep` answers, per file ---------

# A superset of the `git grep -E` pattern of declarations._WRITE_GREP, run over a whole file's
# bytes: git matches line by line, and `[^]]*` or `=[^=]` here may also run across a line end,
# so a file this finds nothing in is a file git grep finds nothing in.
_WRITES_SUPERSET = (
    rb"environb?(\[[^]]*\][ \t\n\r\f\v]*=[^=]|\.setdefault\(|\.update\()|putenv\("
    rb"|process\.env(\.[A-Za-z_$][A-Za-z0-9_$]*|\[[^]]*\])[ \t\n\r\f\v]*=[^=]"
)


def code_write_hits(
    top: str, code_files: Sequence[str], grep: Any,
) -> list[tuple[str, int, str]]:
    """`grep(top, None)` (git grep over every tracked code file), answered per file from the
    disk cache: a file whose size and mtime are unchanged keeps its answer; a changed file
    that cannot match (checked in Python) has none; only changed files that may match are
    searched by `grep(top, paths)`. Same answer as one git grep, without its process on a
    commit that adds no write (nearly all)."""
    import re

    from hooks._core.cache import read_json
    from hooks._core.files import read_bytes

    path = cache_path(top, "writes")
    saved = read_json(path, MAX_ENTRY_BYTES)
    if not isinstance(saved, dict) or saved.get("format") != CACHE_FORMAT or not isinstance(saved.get("files"), dict):
        saved = None
    stamps = {f: _stamp(os.path.join(top, f)) for f in code_files}
    if saved is None:
        hits = grep(top, None)
    else:
        hits, ask = [], []
        for f, stamp in stamps.items():
            entry = saved["files"].get(f)
            if _entry_holds(entry, stamp):
                hits += [(f, n, t) for n, t in entry[2]]
                continue
            try:
                data = read_bytes(os.path.join(top, f))
            except OSError:
                continue  # gone or unreadable: git grep has nothing to say about it either
            if re.search(_WRITES_SUPERSET, data):
                ask.append(f)
        if ask:
            hits += grep(top, ask)
        order = {f: i for i, f in enumerate(code_files)}
        hits.sort(key=lambda hit: (order.get(hit[0], len(order)), hit[1]))  # git grep's order
    _save_writes(path, stamps, hits)
    return hits


def _entry_holds(entry: Any, stamp: list[Any]) -> bool:
    """A well-formed entry for a file whose size and mtime are still `stamp`."""
    return (
        isinstance(entry, list) and len(entry) == 3 and None not in stamp and entry[:2] == stamp
        and isinstance(entry[2], list) and all(
            isinstance(hit, list) and len(hit) == 2 and type(hit[0]) is int and isinstance(hit[1], str)
            for hit in entry[2]
        )
    )


def _save_writes(path: str, stamps: dict[str, list[Any]], hits: list[tuple[str, int, str]]) -> None:
    from hooks._core.cache import write_atomic

    if any(f not in stamps for f, _, _ in hits):
        return  # git printed a path quoted (unusual characters): ask git grep every time

    fresh_after = (time.time() - RACY_SECONDS) * 1e9
    by_file: dict[str, list[list[Any]]] = {f: [] for f in stamps}
    for f, number, text in hits:
        by_file.setdefault(f, []).append([number, text])
    files = {
        f: [size, mtime, by_file.get(f, [])] for f, (size, mtime) in stamps.items()
        if mtime is not None and mtime <= fresh_after  # just edited: asked again next time
    }
    write_atomic(path, json.dumps({"format": CACHE_FORMAT, "files": files}))
