"""Answers about version specifiers, remembered on disk (issue 15).

Which release of `name` a specifier picks, and whether any release satisfies it, depend only
on the specifier and the index's list of versions; yet answering them takes packaging's
SpecifierSet and Version (~6 ms to import, then ~50 `contains` calls per name: ~3,000 on
one real project's commit). A commit rarely changes either, so the answers are kept in one
small JSON file per user, keyed by the question, the specifier and a digest of the version
list (a new release on the index is a new key). New answers are written once, when the
process ends: merged into what is on disk then, written atomically (a temp file, then
os.replace); parallel hooks may still drop each other's entries, which costs only a
recomputation. A damaged file is a miss.
"""
from __future__ import annotations

import json
import os

from hooks._core.cache import digest, read_json, user_cache_dir, write_atomic

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (~3 ms)
if TYPE_CHECKING:
    from typing import Any, Callable, Sequence

FORMAT = 1
MAX_ENTRIES = 4096  # the oldest are dropped past this (a few hundred KB at most)

_loaded: dict[str, Any] | None = None
_path: str | None = None
_new: dict[str, Any] = {}
_flush_registered = False


def _file() -> str:
    return os.path.join(user_cache_dir(), f"specifiers-v{FORMAT}.json")


def _entries() -> dict[str, Any]:
    global _loaded, _path
    path = _file()
    if _loaded is None or _path != path:  # the cache directory can change (tests, settings)
        flush()
        _path, _loaded = path, _read(path)
    return _loaded


def _read(path: str) -> dict[str, Any]:
    data = read_json(path)
    return data if isinstance(data, dict) else {}


def flush() -> None:
    """Write this process's new answers (merged into the file as it is now)."""
    if not _new or _path is None:
        return
    entries = _read(_path)
    entries.update(_new)
    _new.clear()
    while len(entries) > MAX_ENTRIES:
        del entries[next(iter(entries))]
    write_atomic(_path, json.dumps(entries))


def remembered(question: str, spec: str, versions: Sequence[str], compute: Callable[[], Any]) -> Any:
    """compute()'s answer (JSON: a string, a bool or None) for `question` about `spec` and
    `versions`, from the disk when it was answered before for the same inputs."""
    listed = digest("\n".join(versions).encode("utf-8", "surrogateescape"))
    key = f"{question}\0{spec}\0{listed}"
    entries = _entries()
    if key in entries:
        return entries[key]
    answer = compute()
    entries[key] = answer
    global _flush_registered
    if not _flush_registered:
        import atexit

        atexit.register(flush)
        _flush_registered = True
    _new[key] = answer
    return answer
