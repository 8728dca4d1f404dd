"""The per-user disk cache every hook shares: where it is, and how an entry is written so that
the parallel processes pre-commit starts can share it (a temp file in the same directory, then
os.replace, which is atomic on POSIX and Windows). Readers treat a damaged entry as a miss."""
from __future__ import annotations

import os
import sys


def user_cache_dir() -> str:
    """`DRIFTGATE_CACHE_DIR`, else the platform's per-user cache directory + driftgate."""
    override = os.environ.get("DRIFTGATE_CACHE_DIR")
    if override:
        return override
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA") or os.path.expanduser("~\\AppData\\Local")
        return os.path.join(base, "driftgate", "Cache")
    if sys.platform == "darwin":
        return os.path.expanduser("~/Library/Caches/driftgate")
    return os.path.join(os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "driftgate")


_TEMP_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)


def _temp_file(directory: str) -> tuple[int, str]:
    """What tempfile.mkstemp does (a new random name, created exclusively, readable by its owner
    only), without importing tempfile: with shutil, bz2, lzma and random that is ~5 ms of every
    commit that writes a cache (issue 15)."""
    for _ in range(100):
        temp = os.path.join(directory, f".tmp-{os.urandom(8).hex()}.tmp")
        try:
            return os.open(temp, _TEMP_FLAGS, 0o600), temp
        except FileExistsError:
            continue
    raise FileExistsError(f"{directory}: no unused temporary file name")


def write_atomic(path: str, payload: str | bytes) -> None:
    """Write `payload` (text as UTF-8, or bytes) to `path` through a temp file and os.replace;
    the temp file is readable by its owner only. A cache that cannot be written only costs
    speed, so OSError is quiet."""
    directory = os.path.dirname(path)
    try:
        os.makedirs(directory, exist_ok=True)
        fd, temp = _temp_file(directory)
    except OSError:
        return
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload if isinstance(payload, bytes) else payload.encode("utf-8"))
        os.replace(temp, path)
    except BaseException:
        try:
            os.unlink(temp)
        except OSError:
            pass
        if not isinstance(sys.exc_info()[1], OSError):
            raise


def digest(data: bytes) -> str:
    """A 32-hex-digit blake2b of `data`: what cache keys and file contents are named by."""
    try:
        # hashlib's blake2b is this one; importing hashlib also loads OpenSSL's _hashlib (~3 ms)
        from _blake2 import blake2b
    except ImportError:  # an interpreter built without it
        from hashlib import blake2b

    return blake2b(data, digest_size=16).hexdigest()


def read_json(path: str, limit: int = 64 * 1024 * 1024) -> object:
    """The JSON value in the cache file at `path`, or None when it is missing, unreadable,
    over `limit` bytes or damaged (deeply nested garbage included, which the decoder answers
    with RecursionError): a cache miss, never an error. Callers check the value's shape."""
    import json

    from hooks._core.files import read_bytes

    try:
        return json.loads(read_bytes(path, limit).decode("utf-8"))
    except (OSError, ValueError, RecursionError):  # UnicodeDecodeError is a ValueError
        return None
