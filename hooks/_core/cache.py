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


def write_atomic(path: str, payload: str) -> None:
    """Write `payload` to `path` through a temp file and os.replace; mkstemp makes it readable
    by its owner only. A cache that cannot be written only costs speed, so OSError is quiet."""
    import tempfile

    directory = os.path.dirname(path)
    try:
        os.makedirs(directory, exist_ok=True)
        fd, temp = tempfile.mkstemp(dir=directory, prefix=".tmp-", suffix=".tmp")
    except OSError:
        return
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(payload)
        os.replace(temp, path)
    except BaseException:
        try:
            os.unlink(temp)
        except OSError:
            pass
        if not isinstance(sys.exc_info()[1], OSError):
            raise
