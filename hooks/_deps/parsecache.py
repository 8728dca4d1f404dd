"""What the dependency hooks parse out of a project's configuration files, remembered on disk
between commits: setup.cfg's declared dependencies (hooks._deps.manifests) and the source
roots that setup.cfg, pytest.ini, tox.ini, mypy.ini and setup.py name (hooks._deps.roots).

A commit that changes only requirements.txt still reads the rest of its directory's manifests
(a file's scope is all of them) and the project's configured source roots: importing
configparser, parsing setup.cfg twice, locating each of its declared names and parsing
setup.py cost ~5 ms of such a commit in a setup.cfg project (httpie, issue 15). Those files
rarely change, so each answer is kept per (kind, path), keyed by:

- the content of every file it was computed from (bytes, or absent), so an edit is a miss
  whatever its timestamps say;
- driftgate's version and the size and mtime of the module that computes it (and of this one).

Entries are written atomically (hooks._core.cache.write_atomic); a missing, damaged or foreign
entry, or one whose value does not have the expected shape, is a miss.
"""
from __future__ import annotations

import json
import os

from hooks._core.cache import digest

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (~3 ms)
if TYPE_CHECKING:
    from typing import Any, Callable, Optional, Sequence, TypeVar

    T = TypeVar("T")

CACHE_FORMAT = 1
MAX_ENTRY_BYTES = 16 * 1024 * 1024


def read_inputs(paths: Sequence[str], limit: int = MAX_ENTRY_BYTES) -> Optional[list[Optional[bytes]]]:
    """Each file's bytes (None: absent), or None when one cannot be read whole (too large,
    not a regular file, no permission): then the answer is computed, not remembered."""
    from hooks._core.files import read_bytes

    out: list[Optional[bytes]] = []
    for path in paths:
        try:
            out.append(read_bytes(path, limit))
        except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
            out.append(None)
        except (OSError, ValueError):
            return None
    return out


def remembered(
    kind: str, path: str, inputs: Optional[Sequence[Optional[bytes]]], code_file: str,
    compute: Callable[[], T], dump: Callable[[T], Any], load: Callable[[Any], T],
) -> T:
    """compute(), or its answer saved by an earlier process for the same `kind`, `path`,
    input contents (None: not known, compute) and code. `dump` makes the answer JSON; `load`
    rebuilds it and raises ValueError, TypeError or KeyError on a value of the wrong shape
    (then a miss)."""
    from hooks._core.cache import read_json, user_cache_dir, write_atomic

    if inputs is None:
        return compute()
    key = _key(kind, path, inputs, code_file)
    name = digest(f"{kind}\0{os.path.abspath(path)}".encode("utf-8", "surrogateescape"))[:24]
    entry_path = os.path.join(user_cache_dir(), f"parsed-v{CACHE_FORMAT}", f"{kind}-{name}.json")
    saved = read_json(entry_path, MAX_ENTRY_BYTES)
    if isinstance(saved, dict) and saved.get("key") == key and "value" in saved:
        try:
            return load(saved["value"])
        except (ValueError, TypeError, KeyError, AttributeError):
            pass  # damaged or foreign: computed again and rewritten
    value = compute()
    write_atomic(entry_path, json.dumps({"key": key, "value": dump(value)}))
    return value


def _key(kind: str, path: str, inputs: Sequence[Optional[bytes]], code_file: str) -> str:
    from hooks import __version__

    parts = [part.encode("utf-8", "surrogateescape") + b"\0" for part in (
        kind, path, os.path.abspath(path), __version__, _stamp(code_file), _stamp(__file__))]
    parts.extend(b"-\0" if data is None else b"+%d\0" % len(data) + data for data in inputs)
    return f"{CACHE_FORMAT}:{digest(b''.join(parts))}"


def _stamp(path: str) -> str:
    try:
        info = os.stat(path)
    except OSError:
        return "absent"
    return f"{info.st_size}:{info.st_mtime_ns}"
