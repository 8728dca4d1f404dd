"""Ask package indexes which projects and versions exist, through the Simple Repository
API: PEP 691 JSON when the index speaks it, PEP 503 HTML otherwise, PEP 700 fields
(`versions`, `upload-time`) when present, and file:// trees.

Which indexes: explicit URLs first, then pip's own configuration (PIP_* environment and
pip's config files, read with pip's code), and last pip's default index, read from pip at
run time: no index host is written here. Credentials come from the URL or ~/.netrc and are
never printed (`Index.display`). Answers are cached on disk per user, one small JSON file
per (index, project), written atomically so pre-commit's parallel processes can share it.

stdlib only (http.client keeps connections alive per thread, a thread pool runs lookups in
parallel): requests would add a dependency and its import time to every commit.
"""
from __future__ import annotations

import base64
import functools
import hashlib
import json
import os
import re
import sys
import threading
import time
from hooks._core.lazyre import lazy
from hooks._core.record import dataclass, field
from urllib.parse import unquote, urljoin, urlsplit, urlunsplit

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (~3 ms)
if TYPE_CHECKING:
    from typing import Any, Iterable, Sequence

JSON_ACCEPT = "application/vnd.pypi.simple.v1+json"
ACCEPT = f"{JSON_ACCEPT}, application/vnd.pypi.simple.v1+html;q=0.2, text/html;q=0.1"
FOUND_TTL = 24 * 3600.0  # a project's releases rarely matter within a day...
MISSING_TTL = 3600.0  # ...but a missing name may be published any minute (private indexes)
CACHE_FORMAT = 1
USER_AGENT = "driftgate (Simple Repository API client)"
MAX_ANSWER_BYTES = 256 * 1024 * 1024  # the largest real project pages are tens of MB
# The whole run's time on the network: this many times --timeout (each request, from
# connect to its last byte, is bounded by --timeout itself). Past it, names still waiting
# are an index error, so no index, however slow, holds a commit longer than this.
RUN_BUDGET_TIMEOUTS = 6
MAX_CACHE_ENTRY_BYTES = 4 * 1024 * 1024  # an entry is a summary: names, versions, a date
CLOCK_SKEW = 300.0  # seconds a cache entry's dates may lie in the future (clock changes)


class IndexUnavailable(Exception):
    """An index could not answer; the message is one line and contains no credentials."""


@dataclass(frozen=True)
class Index:
    url: str  # as configured, possibly with user:password@

    @property
    def base(self) -> str:
        return self.url.rstrip("/") + "/"

    @functools.cached_property
    def display(self) -> str:
        """The URL without credentials: the only form ever printed or used as a cache key."""
        parts = urlsplit(self.url)
        host = parts.hostname or ""
        if parts.port:
            host = f"{host}:{parts.port}"
        return urlunsplit((parts.scheme, host, parts.path.rstrip("/"), "", ""))


@dataclass
class Project:
    """What one index says about one project name."""

    found: bool
    versions: tuple[str, ...] = ()
    first_upload: float | None = None  # epoch seconds, when the index tells (PEP 700)
    files: int = 0
    tracks: tuple[str, ...] = ()  # PEP 708

    def to_json(self) -> dict[str, Any]:
        return {
            "found": self.found, "versions": list(self.versions), "first_upload": self.first_upload,
            "files": self.files, "tracks": list(self.tracks),
        }

    @classmethod
    def from_json(cls, data: Any, now: float | None = None) -> Project:
        """The project a cache entry holds; ValueError when the entry is not exactly what
        to_json writes (hand-edited, another version's, damaged): a miss, never a verdict."""
        if not isinstance(data, dict) or not isinstance(data.get("found"), bool):
            raise ValueError("not a cached project")
        versions, tracks = data.get("versions", []), data.get("tracks", [])
        first, files = data.get("first_upload"), data.get("files", 0)
        if not (_strings(versions) and _strings(tracks)):
            raise ValueError("versions and tracks must be lists of strings")
        if first is not None and not (_finite(first) and (now is None or first <= now + CLOCK_SKEW)):
            raise ValueError("first_upload must be a past time")
        if not (isinstance(files, int) and not isinstance(files, bool) and files >= 0):
            raise ValueError("files must be a count")
        return cls(data["found"], tuple(versions), None if first is None else float(first), files, tuple(tracks))


def _strings(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


def _finite(value: Any) -> bool:
    import math

    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


_SEPARATORS = lazy(r"[-_.]+")
_NAME = lazy(r"^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?$")  # PEP 508 names
MAX_NAME_CHARS = 200  # longer is no project name on any index


@functools.lru_cache(maxsize=8192)
def normalize(name: str) -> str:
    """PEP 503 normalized project name."""
    return _SEPARATORS.sub("-", name).lower()


# --- which indexes ------------------------------------------------------------------


_PIP_KEYS = ("index-url", "extra-index-url", "cert")


def pip_settings() -> tuple[dict[str, str], list[str] | None]:
    """pip's merged configuration (config files + PIP_* env), keyed like `global.index-url`,
    and the config files pip looked at (None when pip is not importable).

    Uses pip's own Configuration class so every file pip reads is honoured the way pip does.
    Importing it costs ~60 ms, so its answer is remembered on disk together with what it
    depends on (pip's version, the PIP_* environment, the stat of every file pip looked at).
    """
    try:
        from pip._internal.configuration import Configuration
    except ImportError:
        return _pip_env_only(), None
    try:
        conf = Configuration(isolated=False)
        conf.load()
        merged: dict[str, str] = {}
        for key, value in conf.items():
            # pip >= 24 yields (file, {key: value}) per file, older pip the merged pairs
            if isinstance(value, dict):
                merged.update(value)
            else:
                merged[key] = value
        files = [path for _, paths in conf.iter_config_files() for path in paths]
    except Exception as exc:  # pip's ConfigurationError and parse errors
        raise IndexUnavailable(f"cannot read pip's configuration: {exc}") from None
    return merged, files


def pip_settings_cached(cache_root: str | None = None) -> dict[str, str]:
    """pip_settings(), answered from the disk cache while nothing it depends on changed."""
    return _pip_answers(cache_root)[0]


def _pip_answers(cache_root: str | None = None) -> tuple[dict[str, str], str | None]:
    """pip's settings and pip's default index (None when pip cannot tell), from the disk
    cache while nothing they depend on changed (pip's version is part of the fingerprint):
    importing pip for either costs 30 to 100 ms of a commit."""
    path = os.path.join(cache_root or user_cache_dir(), _pip_config_cache_name())
    from hooks._core.cache import read_json

    try:
        saved = read_json(path, MAX_CACHE_ENTRY_BYTES)
        settings, default = saved["settings"], saved["default_index"]
        if (
            isinstance(settings, dict) and all(isinstance(v, str) for v in settings.values())
            and (default is None or isinstance(default, str))
            and saved["fingerprint"] == _pip_fingerprint(saved["files"])
        ):
            return dict(settings), default
    except (OSError, ValueError, KeyError, TypeError):
        pass
    merged, files = pip_settings()
    if files is None:  # no pip: environment only, nothing worth caching
        return merged, None
    default = _pip_default_or_none()
    wanted = {k: v for k, v in merged.items() if k.split(".", 1)[-1] in _PIP_KEYS}
    if any(_has_credentials(v) for v in wanted.values()):
        _unlink(path)  # credentials are never written to disk: pip is asked on each run
        return wanted, default
    entry = {"files": files, "fingerprint": _pip_fingerprint(files), "settings": wanted, "default_index": default}
    _write_atomic(path, json.dumps(entry))
    return wanted, default


def _pip_default_or_none() -> str | None:
    try:
        return pip_default_index()
    except IndexUnavailable:
        return None


def _has_credentials(value: str) -> bool:
    return any("@" in urlsplit(url).netloc for url in value.split() if "://" in url)


def _without_credentials(value: str) -> str:
    """`value` with the user:password@ of every URL in it removed (for fingerprints)."""
    return " ".join(Index(url).display if "://" in url else url for url in value.split())


def _pip_config_cache_name() -> str:
    """One answer file per interpreter: pre-commit's hook venv, a project venv and the system
    Python (each with its own pip) share one cache directory, and one shared file would be
    thrown away at every switch (re-importing pip's configuration costs ~110 ms)."""
    digest = hashlib.sha256(sys.executable.encode("utf-8", "surrogateescape")).hexdigest()[:16]
    return f"pip-config-{digest}.json"


def _pip_fingerprint(files: Sequence[str]) -> str:
    # hashed without credentials: not even a hash of a password is written to disk
    pip_env = sorted((k, _without_credentials(v)) for k, v in os.environ.items() if k.startswith("PIP_"))
    parts: list[Any] = [_pip_version_source(), sys.executable, pip_env]
    for path in files:
        try:
            info = os.stat(path)
            parts.append((path, info.st_mtime_ns, info.st_size))
        except OSError:
            parts.append((path, None))
    return hashlib.sha256(json.dumps(parts).encode()).hexdigest()


def _pip_version_source() -> str:
    """The text of pip's `__init__.py`, which holds its version: what the fingerprint keeps of
    pip, found without importing pip (that import is ~1.5 ms of every commit); "none" when
    pip is not installed (or not readable)."""
    import importlib.util

    try:
        spec = importlib.util.find_spec("pip")
        if spec is None or not spec.origin:
            return "none"
        with open(spec.origin, "rb") as handle:
            return handle.read(1 << 20).decode("utf-8", "replace")
    except (ImportError, ValueError, OSError):
        return "none"


def _write_atomic(path: str, payload: str) -> None:
    from hooks._core.cache import write_atomic

    write_atomic(path, payload)


def _pip_env_only() -> dict[str, str]:
    return {f":env:.{k[4:].lower().replace('_', '-')}": v for k, v in os.environ.items() if k.startswith("PIP_")}


def pip_option(settings: dict[str, str], name: str) -> str | None:
    for section in (":env:", "install", "global"):
        value = settings.get(f"{section}.{name}")
        if value:
            return value
    return None


def url_to_path(url_path: str) -> str:
    """urllib.request.url2pathname (the path of a file: URL as a local path) without
    importing urllib.request, which brings email and http.client (~10 ms)."""
    if os.name == "nt":
        from nturl2path import url2pathname

        return url2pathname(url_path)
    return unquote(url_path)


def pip_default_index() -> str:
    """pip's built-in default index URL, read from the installed pip."""
    try:
        from pip._internal.models.index import PyPI
    except ImportError:
        raise IndexUnavailable(
            "pip is not importable here, so its default index is unknown; pass --index-url"
        ) from None
    return str(PyPI.simple_url)


@dataclass
class IndexChoice:
    indexes: list[Index]
    public: str  # display URL of the public index (dependency-confusion reference)
    cert: str | None = None


def choose_indexes(
    sources: Sequence[tuple[str | None, Sequence[str]]], public_url: str | None = None
) -> IndexChoice:
    """`sources` are (index-url, extra-index-urls) pairs, most important first (flags,
    config file, requirements files). pip's env/config and pip's default come after them.
    The first index-url found wins; extra indexes from every source are added, in order."""
    primary = next((url for url, _ in sources if url), None)
    extras = [url for _, urls in sources for url in urls]
    settings, pip_default = _pip_answers()  # for its extra indexes and `cert` even with a primary
    if primary is None:
        primary = pip_option(settings, "index-url")
    extras += (pip_option(settings, "extra-index-url") or "").split()
    default = None
    if primary is None or not public_url:
        default = pip_default or pip_default_index()  # the latter: its one-line error
    primary = primary or default
    seen: dict[str, Index] = {}
    for url in [primary, *extras]:
        index = Index(str(url))
        seen.setdefault(index.display, index)
    public = Index(public_url or str(default)).display
    return IndexChoice(list(seen.values()), public, pip_option(settings, "cert"))


# --- the disk cache -----------------------------------------------------------------


def user_cache_dir() -> str:
    from hooks._core.cache import user_cache_dir as shared

    return shared()


class DiskCache:
    """One JSON file per (index, project). Readers treat a damaged file as a miss; writers
    write a temp file in the same directory and os.replace it (atomic on POSIX and Windows)."""

    def __init__(self, root: str | None = None) -> None:
        self.root = os.path.join(root or user_cache_dir(), f"index-v{CACHE_FORMAT}")

    def path(self, index: Index, name: str) -> str:
        return os.path.join(self.root, _index_key(index.display), normalize(name) + ".json")

    def get(self, index: Index, name: str, now: float, any_age: bool = False) -> Project | None:
        """The cached answer, or None: expired, or anything but a regular, small, well-formed
        entry fetched in the past (a damaged or doctored entry is a miss, never a verdict)."""
        from hooks._core.cache import read_json

        try:
            data = read_json(self.path(index, name), MAX_CACHE_ENTRY_BYTES)
            fetched, ttl = data["fetched"], data["ttl"]
            if not (_finite(fetched) and _finite(ttl) and fetched <= now + CLOCK_SKEW and 0 <= ttl <= FOUND_TTL):
                return None
            if not any_age and now - fetched > ttl:
                return None
            return Project.from_json(data["project"], now)
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def drop(self, index: Index, name: str) -> None:
        _unlink(self.path(index, name))

    def put(self, index: Index, name: str, project: Project, now: float) -> None:
        ttl = FOUND_TTL if project.found else MISSING_TTL
        payload = json.dumps({"fetched": now, "ttl": ttl, "project": project.to_json()})
        _write_atomic(self.path(index, name), payload)


@functools.lru_cache(maxsize=64)
def _index_key(display: str) -> str:
    return hashlib.sha256(display.encode()).hexdigest()[:20]


def _unlink(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


# --- parsing answers ----------------------------------------------------------------

_HREF = lazy(r"<a\s[^>]*?href\s*=\s*[\"']([^\"']*)[\"'][^>]*>(.*?)</a>", re.I | re.S)
_META_TRACKS = lazy(r"<meta\s+name=[\"']pypi:tracks[\"']\s+content=[\"']([^\"']*)", re.I)
_ARCHIVE = lazy(r"\.(whl|tar\.gz|zip|tar\.bz2|tar\.xz|tgz|tar|egg|exe|msi|rpm|dmg)$", re.I)


def version_from_filename(project: str, filename: str) -> str | None:
    """The version in a distribution file name (wheel, sdist, egg, ...), or None."""
    base = _ARCHIVE.sub("", filename)
    if filename.endswith(".whl"):
        parts = base.split("-")
        return parts[1] if len(parts) >= 5 else None
    stem = normalize(project)
    # sdists and eggs: `<name>-<version>[-pyX.Y...]`; the name may contain dashes itself
    pieces = base.split("-")
    for cut in range(1, len(pieces)):
        if normalize("-".join(pieces[:cut])) == stem:
            return pieces[cut]
    return None


def _parse_time(value: Any) -> float | None:
    if not isinstance(value, str):
        return None
    from datetime import datetime

    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()
    except ValueError:
        return None


def parse_json_answer(name: str, body: bytes) -> Project:
    data = json.loads(body.decode("utf-8"))
    if not isinstance(data, dict) or not isinstance(data.get("files"), list):
        raise ValueError("not a PEP 691 project page")
    files = [f for f in data["files"] if isinstance(f, dict)]
    versions = data.get("versions")
    if not isinstance(versions, list):
        versions = [version_from_filename(name, str(f.get("filename", ""))) for f in files]
    times = [t for t in (_parse_time(f.get("upload-time")) for f in files) if t is not None]
    meta = data.get("meta")
    tracks = meta.get("tracks") if isinstance(meta, dict) else None
    return Project(
        True, _unique(v for v in versions if v and isinstance(v, str)), min(times) if times else None,
        len(files), tuple(str(t) for t in tracks) if isinstance(tracks, list) else (),
    )


_HTML_TAG = lazy(r"<(?:!doctype|html|head|body|a|meta|title)[\s>]", re.I)


def parse_html_answer(name: str, body: bytes) -> Project:
    """A PEP 503 page; ValueError for anything else (binary or cut bytes, plain text): a
    page that is not a project page must never read as "a project with no releases"."""
    text = body.decode("utf-8")  # PEP 503 pages are UTF-8; anything else is not one
    if not _HTML_TAG.search(text):
        raise ValueError("not an HTML project page")
    filenames = [unquote(re.sub(r"<[^>]+>", "", label)).strip() for _, label in _HREF.findall(text)]
    filenames = [f or "" for f in filenames]
    versions = [version_from_filename(name, f) for f in filenames]
    return Project(
        True, _unique(v for v in versions if v), None, len(filenames),
        tuple(_META_TRACKS.findall(text)),
    )


def _unique(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(values))


# --- fetching -----------------------------------------------------------------------


@dataclass
class Response:
    status: int
    content_type: str
    body: bytes
    location: str = ""


class Client:
    """Looks names up on indexes: cache first, then the network, many names in parallel."""

    def __init__(
        self, timeout: float = 10.0, offline: bool = False, cache: DiskCache | None = None,
        cert: str | None = None, workers: int = 8,
    ) -> None:
        self.timeout = timeout
        self.offline = offline
        self.cache = cache or DiskCache()
        self.cert = cert
        self.workers = workers
        self._local = threading.local()
        self._ssl_context: Any = None
        self._lock = threading.Lock()
        self.fetched: set[tuple[Index, str]] = set()  # asked over the network in this process
        self._all_conns: list[dict[tuple[str, str], Any]] = []
        # a timeout too large for the socket layer (1e300) means "as long as allowed"
        self.timeout = min(self.timeout, 3600.0)
        self.budget = self.timeout * RUN_BUDGET_TIMEOUTS
        self._run_deadline = time.monotonic() + self.budget
        self._roots: dict[str, IndexUnavailable | None] = {}  # index display -> root check
        self._tree_answers: dict[tuple[Index, str], Project | IndexUnavailable] = {}  # file: answers

    # public API
    def lookup_many(
        self, pairs: Sequence[tuple[Index, str]], fresh: frozenset[tuple[Index, str]] = frozenset()
    ) -> dict[tuple[Index, str], Project | IndexUnavailable | None]:
        """Each (index, name) -> its Project, the IndexUnavailable that stopped it, or None
        when offline and not cached. `fresh` pairs skip the cache (a pin the cache lacks)."""
        now = time.time()
        results: dict[tuple[Index, str], Project | IndexUnavailable | None] = {}
        todo: list[tuple[Index, str]] = []
        for pair in dict.fromkeys(pairs):
            if pair[0].url.startswith("file:"):
                # reading the tree is as cheap as the cache: here, once per process, and
                # without a thread (a thread's start costs more than reading a small page)
                if pair not in self._tree_answers:
                    self._tree_answers[pair] = self._fetch_safely(*pair)
                results[pair] = self._tree_answers[pair]
                continue
            cached = None if pair in fresh else self.cache.get(*pair, now, any_age=self.offline)
            if cached is not None:
                results[pair] = cached
            elif self.offline:
                results[pair] = None
            else:
                todo.append(pair)
        if len(todo) == 1:
            results[todo[0]] = self._fetch_safely(*todo[0])
        elif todo:
            from concurrent.futures import ThreadPoolExecutor

            with ThreadPoolExecutor(max_workers=min(self.workers, len(todo))) as pool:
                for pair, answer in zip(todo, pool.map(lambda p: self._fetch_safely(*p), todo)):
                    results[pair] = answer
            self.close()
        return results

    def close(self) -> None:
        with self._lock:
            for conns in self._all_conns:
                for conn in conns.values():
                    conn.close()
                conns.clear()

    # internals
    def _fetch_safely(self, index: Index, name: str) -> Project | IndexUnavailable:
        try:
            project = self.fetch(index, name)
        except IndexUnavailable as exc:
            return exc
        self.fetched.add((index, name))
        if not index.url.startswith("file:"):
            self.cache.put(index, name, project, time.time())
        return project

    def fetch(self, index: Index, name: str) -> Project:
        if len(name) > MAX_NAME_CHARS or not _NAME.match(name):
            # no index has such a project; asking would only earn a 414 blamed on the index
            return Project(False)
        url = urljoin(index.base, normalize(name) + "/")
        if url.startswith("file:"):
            return self._fetch_file(index, name, url)
        response = self._get(index, url)
        ctype = response.content_type
        try:
            if response.status == 404 or response.status == 410:
                return Project(False)
            if response.status in (401, 403):
                raise IndexUnavailable(
                    f"index {index.display} refused access (HTTP {response.status}); put the "
                    "credentials in the index URL or in ~/.netrc"
                )
            if response.status != 200:
                raise IndexUnavailable(f"index {index.display} answered HTTP {response.status} for `{name}`")
            if "json" in ctype:
                return parse_json_answer(name, response.body)
            if "html" in ctype:
                return parse_html_answer(name, response.body)
        except (ValueError, UnicodeDecodeError) as exc:
            raise IndexUnavailable(
                f"index {index.display} sent an unreadable answer for `{name}` ({exc.__class__.__name__})"
            ) from None
        raise IndexUnavailable(
            f"index {index.display} sent `{ctype or 'no content type'}` for `{name}`, "
            "not a Simple Repository API page; check the index URL"
        )

    def _fetch_file(self, index: Index, name: str, url: str) -> Project:
        directory = url_to_path(urlsplit(url).path)
        if not os.path.isdir(directory):
            if not os.path.isdir(os.path.dirname(directory.rstrip("/\\"))):
                raise IndexUnavailable(f"index {index.display} is not a directory")
            return Project(False)
        page = os.path.join(directory, "index.html")
        try:
            with open(page, "rb") as handle:
                return parse_html_answer(name, handle.read())
        except FileNotFoundError:
            listing = sorted(os.listdir(directory))
            versions = (version_from_filename(name, f) for f in listing)
            return Project(True, _unique(v for v in versions if v), None, len(listing))
        except (OSError, ValueError) as exc:
            raise IndexUnavailable(f"index {index.display}: cannot read {page}: {exc}") from None

    def _get(self, index: Index, url: str, redirects: int = 5, body: bool = True) -> Response:
        for _ in range(redirects + 1):
            response = self._request(index, url, body)
            if response.status in (301, 302, 303, 307, 308) and response.location:
                url = urljoin(url, response.location)
                continue
            return response
        raise IndexUnavailable(f"index {index.display}: too many redirects")

    def _request(self, index: Index, url: str, body: bool = True) -> Response:
        """One GET, bounded as a whole by --timeout (connect, headers and every byte of the
        body: a server trickling a byte a second is cut off) and by the run's budget.
        `body=False` reads the status and headers only (the connection is then dropped)."""
        import http.client

        parts = urlsplit(url)
        if parts.scheme not in ("http", "https"):
            raise IndexUnavailable(f"index {index.display}: unsupported URL scheme {parts.scheme!r}")
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        headers = {"Accept": ACCEPT, "User-Agent": USER_AGENT}
        auth = self._auth(parts)
        if auth:
            headers["Authorization"] = auth
        netloc = parts.netloc.rsplit("@", 1)[-1]
        last: Exception | None = None
        for _attempt in range(2):  # a kept-alive connection the server closed: retry once
            remaining = self._run_deadline - time.monotonic()
            if remaining <= 0:
                raise self._budget_spent(index)
            limit = min(self.timeout, remaining)
            conn = self._connection(parts.scheme, netloc)
            watchdog = _Watchdog(conn, limit)
            try:
                conn.timeout = limit
                if conn.sock is not None:
                    conn.sock.settimeout(limit)
                conn.request("GET", path or "/", headers=headers)
                watchdog.hold()
                raw = conn.getresponse()
                data = self._read_body(raw, watchdog, index, path) if body else b""
                if watchdog.fired:
                    raise TimeoutError("timed out")
                if not body or raw.getheader("Connection", "").lower() == "close":
                    self._drop(parts.scheme, netloc)
                return Response(
                    raw.status, (raw.getheader("Content-Type") or "").lower(), data,
                    raw.getheader("Location") or "",
                )
            except (OSError, http.client.HTTPException) as exc:
                self._drop(parts.scheme, netloc)
                last = TimeoutError("timed out") if watchdog.fired else exc
                if isinstance(last, TimeoutError) or "timed out" in str(last):
                    break
            finally:
                watchdog.cancel()
        if watchdog.fired and limit < self.timeout:
            raise self._budget_spent(index)
        raise IndexUnavailable(f"cannot reach index {index.display}: {_describe(last)}")

    def _budget_spent(self, index: Index) -> IndexUnavailable:
        return IndexUnavailable(
            f"cannot reach index {index.display}: timed out (the run's {self.budget:g} s "
            f"network budget, {RUN_BUDGET_TIMEOUTS} x --timeout, is spent)"
        )

    def _read_body(self, raw: Any, watchdog: _Watchdog, index: Index, path: str) -> bytes:
        """The whole body, in pieces so the watchdog can stop a trickle; fewer bytes than
        Content-Length said is an error, never a shorter page."""
        import http.client

        chunks: list[bytes] = []
        size = 0
        while True:
            chunk = raw.read(64 * 1024)  # the watchdog ends a read that waits too long
            if not chunk or watchdog.fired:
                break
            size += len(chunk)
            if size > MAX_ANSWER_BYTES:
                raise IndexUnavailable(f"index {index.display}: answer for {path} is too large")
            chunks.append(chunk)
        data = b"".join(chunks)
        declared = raw.getheader("Content-Length")
        if declared and declared.strip().isdigit() and len(data) < int(declared) and not watchdog.fired:
            raise http.client.IncompleteRead(data, int(declared) - len(data))
        return data

    def check_root(self, index: Index) -> IndexUnavailable | None:
        """Once per index and process: does the index's root answer? When every name is
        "not found", a root that is not found either means a wrong index URL, not a
        requirements file full of hallucinations."""
        if index.display not in self._roots:
            problem: IndexUnavailable | None = None
            try:
                response = self._get(index, index.base, body=False)
                if response.status in (401, 403):
                    problem = IndexUnavailable(
                        f"index {index.display} refused access (HTTP {response.status}); put the "
                        "credentials in the index URL or in ~/.netrc"
                    )
                elif response.status != 200:
                    problem = IndexUnavailable(
                        f"index {index.display} has none of the names and its root answers HTTP "
                        f"{response.status} too: the index URL looks wrong (a Simple API URL usually ends in /simple/)"
                    )
            except IndexUnavailable as exc:
                problem = exc
            self._roots[index.display] = problem
        return self._roots[index.display]

    def _connection(self, scheme: str, netloc: str) -> Any:
        import http.client

        conns = getattr(self._local, "conns", None)
        if conns is None:
            conns = self._local.conns = {}
            with self._lock:
                self._all_conns.append(conns)  # so close() reaches the pool threads' too
        conn = conns.get((scheme, netloc))
        if conn is None:
            if scheme == "https":
                conn = http.client.HTTPSConnection(netloc, timeout=self.timeout, context=self._ssl())
            else:
                conn = http.client.HTTPConnection(netloc, timeout=self.timeout)
            conns[(scheme, netloc)] = conn
        return conn

    def _drop(self, scheme: str, netloc: str) -> None:
        conn = getattr(self._local, "conns", {}).pop((scheme, netloc), None)
        if conn is not None:
            conn.close()

    def _ssl(self) -> Any:
        with self._lock:
            if self._ssl_context is None:
                import ssl

                cafile = self.cert if self.cert and os.path.isfile(self.cert) else None
                self._ssl_context = ssl.create_default_context(cafile=cafile)
            return self._ssl_context

    def _auth(self, parts: Any) -> str | None:
        user, password = parts.username, parts.password
        if user is None:
            user, password = netrc_credentials(parts.hostname or "")
        if user is None:
            return None
        token = f"{unquote(user)}:{unquote(password or '')}".encode()
        return "Basic " + base64.b64encode(token).decode("ascii")


class _Watchdog:
    """Shuts a connection's socket down when its request's time is up: socket timeouts
    bound each read, and only this bounds the whole request (a server that sends one byte
    every second never trips a 10 s read timeout)."""

    def __init__(self, conn: Any, seconds: float) -> None:
        self.conn = conn
        self.sock: Any = None
        self.fired = False
        self._timer = threading.Timer(seconds, self._fire)
        self._timer.daemon = True
        self._timer.start()

    def _fire(self) -> None:
        import socket

        self.fired = True
        sock = self.sock or getattr(self.conn, "sock", None)
        if sock is not None:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def hold(self) -> None:
        """Keep the request's socket: http.client hands it to the response and forgets it
        (`conn.sock = None`) when the server will close the connection (HTTP/1.0)."""
        self.sock = getattr(self.conn, "sock", None)

    def cancel(self) -> None:
        self._timer.cancel()


def netrc_credentials(host: str) -> tuple[str | None, str | None]:
    import netrc

    try:
        entry = netrc.netrc().authenticators(host)
    except (OSError, netrc.NetrcParseError):
        return None, None
    if not entry:
        return None, None
    return entry[0] or None, entry[2]


def _describe(exc: Exception | None) -> str:
    if exc is None:
        return "no answer"
    if isinstance(exc, TimeoutError) or "timed out" in str(exc):
        return "timed out"
    text = str(exc).strip() or exc.__class__.__name__
    if isinstance(exc, ConnectionRefusedError):
        text = "connection refused"
    return text.splitlines()[0]


def _check_roots(
    client: Client, indexes: Sequence[Index], answers: dict[tuple[Index, str], Project | IndexUnavailable | None]
) -> None:
    """An http(s) index that has none of the names gets its root checked once; when the
    root fails too, each of its "not found" answers becomes that index error (and leaves
    the cache): a wrong index URL must not read as every name hallucinated."""
    for index in indexes:
        if client.offline or index.url.startswith("file:"):
            continue
        mine = [(pair, answer) for pair, answer in answers.items() if pair[0] == index]
        if not mine or not all(isinstance(a, Project) and not a.found for _, a in mine):
            continue
        problem = client.check_root(index)
        if problem is None:
            continue
        for pair, _ in mine:
            answers[pair] = problem
            client.cache.drop(*pair)


@dataclass
class Lookup:
    """One name's answers across every configured index."""

    name: str
    answers: dict[str, Project] = field(default_factory=dict)  # index display -> answer
    errors: list[IndexUnavailable] = field(default_factory=list)
    unchecked: bool = False  # offline and not cached
    _versions: tuple[str, ...] | None = None

    @property
    def found_on(self) -> list[str]:
        return [url for url, project in self.answers.items() if project.found]

    @property
    def versions(self) -> tuple[str, ...]:
        """Releases across every index (computed once: answers are complete by then)."""
        if self._versions is None:
            self._versions = _unique(v for p in self.answers.values() for v in p.versions)
        return self._versions

    @property
    def first_upload(self) -> float | None:
        times = [p.first_upload for p in self.answers.values() if p.first_upload is not None]
        return min(times) if times else None


def lookup_names(
    client: Client, indexes: Sequence[Index], names: Iterable[str],
    fresh: frozenset[tuple[Index, str]] = frozenset(),
) -> dict[str, Lookup]:
    """Every name on every index, in parallel; keyed by normalized name."""
    wanted = list(dict.fromkeys(normalize(n) for n in names))
    pairs = [(index, name) for name in wanted for index in indexes]
    answers = client.lookup_many(pairs, fresh)
    _check_roots(client, indexes, answers)
    out = {name: Lookup(name) for name in wanted}
    for (index, name), answer in answers.items():
        lookup = out[name]
        if isinstance(answer, IndexUnavailable):
            lookup.errors.append(answer)
        elif answer is None:
            lookup.unchecked = True
        else:
            lookup.answers[index.display] = answer
    return out
