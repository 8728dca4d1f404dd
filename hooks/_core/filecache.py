"""Per-file results kept on disk between runs, as ruff's cache keeps them: a warm run reads
and hashes each file, and reuses what a hook found in it last time when nothing it depends
on has changed.

An entry is only ever used for the exact bytes it was computed from: each file's entry holds
the hash of its content, checked on every read. Everything else a result depends on is in
the name of the pack that holds it: driftgate's version and code (the size and mtime of
every module of the package, so an upgrade or an edited checkout starts afresh), the hook,
its settings, the repository root and whatever context the hook names (a baseline's
content, the installed distributions, the manifests). Change any of them and the run looks
in another pack.

A pack is one JSON file per (hook, key): `{path: [content hash, value]}`, read once per
process and written back merged with what is on disk (write_atomic: the parallel processes
pre-commit starts may write it at the same time; the last one wins and the entries the other
computed are recomputed next time, never wrong). A damaged, unreadable or unwritable pack is
an empty one: the cache only ever costs or saves time.

Where it lives: `<user cache dir>/files-v1/` (see hooks._core.cache.user_cache_dir, or
DRIFTGATE_CACHE_DIR); deleting that directory clears it.
"""
from __future__ import annotations

import os

from hooks._core.cache import digest as _hash

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (~3 ms)
if TYPE_CHECKING:
    from typing import Any, List, Optional, Tuple

FORMAT = "files-v1"

_code_fingerprint: Optional[str] = None
# path -> ((size, mtime_ns, inode), content hash): each file is hashed once per process
_digests: dict[str, tuple[tuple[int, int, int], Optional[str]]] = {}


def code_fingerprint() -> str:
    """driftgate's version and the size and mtime of every module of the package."""
    global _code_fingerprint
    if _code_fingerprint is None:
        import hooks

        package = os.path.dirname(os.path.abspath(hooks.__file__))
        import sys

        # the running Python too: `ast` and the standard library differ between versions
        parts = [getattr(hooks, "__version__", ""), sys.version]
        for directory, dirnames, filenames in os.walk(package):
            dirnames[:] = sorted(d for d in dirnames if d != "__pycache__")
            for name in sorted(filenames):
                if name.endswith(".py"):
                    path = os.path.join(directory, name)
                    try:
                        stat = os.stat(path)
                    except OSError:
                        continue
                    parts.append(f"{os.path.relpath(path, package)}:{stat.st_size}:{stat.st_mtime_ns}")
        _code_fingerprint = _hash("\0".join(parts).encode("utf-8", "surrogateescape"))
    return _code_fingerprint


def forget_digests() -> None:
    """Called as a command starts: a file is hashed at most once per command, and a file
    rewritten between two commands of one process (same size, same coarse mtime) is hashed
    again."""
    _digests.clear()


def file_digest(path: str) -> Optional[str]:
    """The hash of the file's bytes, or None when it is not a regular readable file (such
    files are never cached: the hook reports them itself). Hashed once per process while
    the file's size, mtime and inode stay the same."""
    from hooks._core.files import MAX_FILE_BYTES, read_bytes

    try:
        stat = os.stat(path)
    except OSError:
        return None
    signature = (stat.st_size, stat.st_mtime_ns, stat.st_ino)
    known = _digests.get(path)
    if known is not None and known[0] == signature:
        return known[1]
    digest: Optional[str] = None
    if stat.st_size <= MAX_FILE_BYTES:
        try:
            digest = _hash(read_bytes(path))
        except OSError:
            digest = None
    _digests[path] = (signature, digest)
    return digest


def settings_key(settings: dict[str, Any]) -> str:
    import json

    return json.dumps(settings, sort_keys=True, default=repr)


# A stat signature (size, mtime, inode, ctime) stands for the content only when the file's
# mtime is this much older than the moment the entry is written: a file rewritten within one
# tick of a coarse filesystem clock keeps its mtime, so a younger signature is never trusted
# and such files are hashed (git's "racily clean" rule). 3 s covers 2 s FAT timestamps.
_SETTLED_NS = 3_000_000_000

# What `lookup` saw of a file: its content hash and stat signature.
if TYPE_CHECKING:
    Token = Tuple[str, List[int]]


def _signature(path: str) -> Optional[list[int]]:
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return [stat.st_size, stat.st_mtime_ns, stat.st_ino, stat.st_ctime_ns]


class Pack:
    """The cached values of one hook under one key, by path. An entry is
    `[content hash, value, stat signature or None, extra]`."""

    def __init__(self, name: str, *key_parts: str) -> None:
        from hooks._core.cache import user_cache_dir

        key = _hash("\0".join((code_fingerprint(), name, *key_parts)).encode("utf-8", "surrogateescape"))
        self.path = os.path.join(user_cache_dir(), FORMAT, name, key + ".json")
        self._entries = _load(self.path)
        self._new: dict[str, list[Any]] = {}

    def lookup(self, path: str, extra: str = "") -> tuple[Any, Optional[Token]]:
        """The value stored for `path` with exactly its current content (and `extra`, what
        else the file's result depends on), else None; and the token to `put` a value with
        (None: the file cannot be cached). A settled stat signature that matches spares
        reading the file; otherwise its bytes are hashed and compared."""
        signature = _signature(path)
        if signature is None:
            return None, None
        entry = self._entries.get(path)
        valid = isinstance(entry, list) and len(entry) == 4 and entry[3] == extra
        if valid and entry[2] == signature and isinstance(entry[0], str):
            return entry[1], (entry[0], signature)
        digest = file_digest(path)
        if digest is None:
            return None, None
        if valid and entry[0] == digest:
            if entry[2] != signature:
                self._new[path] = self._entry(path, digest, entry[1], signature, extra)  # settle it
            return entry[1], (digest, signature)
        return None, (digest, signature)

    def put(self, path: str, token: Optional[Token], value: Any, extra: str = "") -> None:
        """Store `value` for the content `lookup` saw (nothing when the file changed since)."""
        if token is None:
            return
        digest, signature = token
        if _signature(path) == signature:
            self._new[path] = self._entry(path, digest, value, signature, extra)

    @staticmethod
    def _entry(path: str, digest: str, value: Any, signature: list[int], extra: str) -> list[Any]:
        import time

        settled = signature[1] < time.time_ns() - _SETTLED_NS
        return [digest, value, signature if settled else None, extra]

    def save(self) -> None:
        """Merge this run's entries into the pack on disk."""
        if not self._new:
            return
        import json

        from hooks._core.cache import write_atomic

        merged = _load(self.path)
        merged.update(self._new)
        self._entries.update(self._new)
        self._new = {}
        try:
            payload = json.dumps(merged, separators=(",", ":"))
        except (TypeError, ValueError):
            return  # a value JSON cannot hold: not cached
        write_atomic(self.path, payload)


def _load(path: str) -> dict[str, Any]:
    from hooks._core.cache import read_json

    data = read_json(path)
    return data if isinstance(data, dict) else {}


class FileFacts:
    """Per-file facts (what a hook extracts from a file: its imports, its reads) for hooks
    whose findings aggregate across files and so cannot cache findings. Keyed like a Pack;
    the facts must depend only on the file's bytes and path, the root and `context`."""

    def __init__(self, name: str, root: str, *context: str) -> None:
        self.pack = Pack(name, os.path.abspath(root), *context)
        self._tokens: dict[str, Optional[Token]] = {}

    def get(self, path: str) -> Any:
        """The facts stored for this file's current content, else None."""
        value, self._tokens[path] = self.pack.lookup(path)
        return value

    def put(self, path: str, value: Any) -> None:
        """Store facts computed from the content `get` saw (nothing when it changed since)."""
        self.pack.put(path, self._tokens.get(path), value)

    def save(self) -> None:
        self.pack.save()
