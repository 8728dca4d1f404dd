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
from typing import Any, Optional

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


def _hash(data: bytes) -> str:
    import hashlib

    return hashlib.blake2b(data, digest_size=16).hexdigest()


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


class Pack:
    """The cached values of one hook under one key, by path."""

    def __init__(self, name: str, *key_parts: str) -> None:
        from hooks._core.cache import user_cache_dir

        key = _hash("\0".join((code_fingerprint(), name, *key_parts)).encode("utf-8", "surrogateescape"))
        self.path = os.path.join(user_cache_dir(), FORMAT, name, key + ".json")
        self._entries = _load(self.path)
        self._new: dict[str, list[Any]] = {}

    def get(self, path: str, digest: Optional[str]) -> Any:
        """The value stored for `path` with exactly this content, else None."""
        if digest is None:
            return None
        entry = self._entries.get(path)
        if isinstance(entry, list) and len(entry) == 2 and entry[0] == digest:
            return entry[1]
        return None

    def put(self, path: str, digest: Optional[str], value: Any) -> None:
        if digest is not None:
            self._new[path] = [digest, value]

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
    import json

    try:
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


class FileFacts:
    """Per-file facts (what a hook extracts from a file: its imports, its reads) for hooks
    whose findings aggregate across files and so cannot cache findings. Keyed like a Pack;
    the facts must depend only on the file's bytes and path, the root and `context`."""

    def __init__(self, name: str, root: str, *context: str) -> None:
        self.pack = Pack(name, os.path.abspath(root), *context)
        self._digests: dict[str, Optional[str]] = {}

    def get(self, path: str) -> Any:
        """The facts stored for this file's current content, else None."""
        digest = file_digest(path)
        self._digests[path] = digest
        return self.pack.get(path, digest)

    def put(self, path: str, value: Any) -> None:
        """Store facts computed from the content `get` saw (nothing when it changed since)."""
        digest = self._digests.get(path)
        if digest is not None and file_digest(path) == digest:
            self.pack.put(path, digest, value)

    def save(self) -> None:
        self.pack.save()
