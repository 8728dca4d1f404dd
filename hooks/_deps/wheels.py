"""The exact import names a distribution installs, read from its wheel without installing it
and without downloading it: a wheel is a zip whose central directory (the file list, at
the end of the file) is usually a few KB, so it is fetched with HTTP range requests (the
last TAIL_BYTES first, more only for a larger directory), as pip's "lazy wheel" does, and `*.dist-info/METADATA` (one more small range) gives its
requirements. A server that ignores `Range` sends the whole wheel: it is read whole when it
is small enough (`MAX_WHOLE_BYTES`), else the names stay unknown.

What a wheel provides is a set of dotted prefixes: a top-level module or regular package
(`yaml`, `rest_framework`), or, under a PEP 420 namespace package that many distributions
share, the first level that is a real package or module (`google.protobuf`,
`opentelemetry.trace`, `llama_index.core`).

Answers are cached on disk per (index, distribution, version), written atomically like the
index client's cache: a release's files never change, so a wheel's answer never expires; a
release with no wheel (sdist only) is asked again after a day.
"""
from __future__ import annotations

import base64
import hashlib
import io
import json
import os
import re
import threading
import time
from hooks._core.record import dataclass
from urllib.parse import unquote, urljoin, urlsplit

from hooks._deps.pkgindex import (
    JSON_ACCEPT, USER_AGENT, Client, Index, IndexUnavailable, _Watchdog, _write_atomic, lookup_names,
    netrc_credentials, normalize, url_to_path, user_cache_dir,
)

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (~3 ms)
if TYPE_CHECKING:
    from typing import Any, Iterable, Sequence

CACHE_FORMAT = 1
TAIL_BYTES = 64 * 1024  # the central directory of nearly every wheel fits in this
CHUNK_BYTES = 16 * 1024  # smallest range asked for otherwise
MAX_WHOLE_BYTES = 32 * 1024 * 1024  # a server that ignores Range: read at most this
MAX_PAGE_BYTES = 64 * 1024 * 1024
SDIST_TTL = 24 * 3600.0
_MAX_DEPTH = 4  # dotted levels looked through under namespace packages


@dataclass(frozen=True)
class WheelNames:
    """What one release of a distribution installs, read from its wheel."""

    dist: str  # normalized name
    version: str
    provides: frozenset[str]  # dotted prefixes (see module docstring); empty for sdist-only
    requires: tuple[str, ...] = ()  # normalized names of its unconditional requirements
    has_wheel: bool = True
    on_index: bool = True  # False: no index has the project (it provides nothing)

    @property
    def known(self) -> bool:
        """The exact names are known (a wheel was read, or the project does not exist)."""
        return self.has_wheel or not self.on_index

    def to_json(self) -> dict[str, Any]:
        return {"dist": self.dist, "version": self.version, "provides": sorted(self.provides),
                "requires": list(self.requires), "has_wheel": self.has_wheel}

    @classmethod
    def from_json(cls, data: Any) -> WheelNames:
        if not isinstance(data, dict):
            raise ValueError("not a wheel entry")
        provides, requires = data["provides"], data["requires"]
        if not all(isinstance(v, str) for v in [*provides, *requires, data["dist"], data["version"]]):
            raise ValueError("not a wheel entry")
        return cls(data["dist"], data["version"], frozenset(provides), tuple(requires), bool(data["has_wheel"]))


def covers(provides: Iterable[str], module: str) -> bool:
    """Does a set of provided prefixes provide the dotted import path `module`? A namespace
    level above a provided package counts (`import google` when `google.protobuf` is)."""
    for prefix in provides:
        if module == prefix or module.startswith(prefix + ".") or prefix.startswith(module + "."):
            return True
    return False


# --- what a file list provides --------------------------------------------------------

_MODULE_SUFFIXES = (".py", ".pyi", ".so", ".pyd")


def provided_names(paths: Iterable[str]) -> frozenset[str]:
    """Dotted prefixes a wheel's (or an installed distribution's) file list provides."""
    packages: set[tuple[str, ...]] = set()  # directories with an __init__ file
    modules: set[tuple[str, ...]] = set()
    for raw in paths:
        parts = _install_parts(raw)
        if not parts or not parts[-1].endswith(_MODULE_SUFFIXES):
            continue
        stem = parts[-1].split(".", 1)[0]
        dirs = tuple(parts[:-1])
        if not stem.isidentifier() or not all(d.isidentifier() for d in dirs):
            continue
        if stem == "__init__":
            packages.add(dirs)
        else:
            modules.add((*dirs, stem))
    out = set()
    for dotted in (*packages, *modules):
        if not dotted:
            continue
        # the shortest prefix that is a regular package (or the module itself)
        for end in range(1, min(len(dotted), _MAX_DEPTH) + 1):
            if dotted[:end] in packages or end == len(dotted):
                out.add(".".join(dotted[:end]))
                break
    return frozenset(out)


def _install_parts(path: str) -> list[str]:
    """A wheel member's path as installed in site-packages ([] for metadata and scripts)."""
    parts = path.replace("\\", "/").split("/")
    first = parts[0]
    if first.endswith(".data"):  # <name>.data/purelib/... and platlib/... go to site-packages
        return parts[2:] if len(parts) > 2 and parts[1] in ("purelib", "platlib") else []
    if first.endswith((".dist-info", ".egg-info")) or first in ("..", "", "__pycache__"):
        return []
    return [p for p in parts if p != "__pycache__"]


_REQUIRES = re.compile(r"^Requires-Dist:\s*([A-Za-z0-9][A-Za-z0-9._-]*)([^;\n]*)(;[^\n]*)?$", re.M)


def requirements(metadata: str) -> tuple[str, ...]:
    """Normalized names a METADATA file requires outside extras."""
    names = []
    for name, _, marker in _REQUIRES.findall(metadata):
        if marker and "extra" in marker:
            continue
        names.append(normalize(name))
    return tuple(dict.fromkeys(names))


# --- choosing a release and its wheel -----------------------------------------------


def choose_version(versions: Sequence[str], spec: str = "") -> str | None:
    """The newest final release that satisfies `spec` (pre-releases only when nothing else);
    remembered on disk for the same spec and version list (hooks._deps.specmemo)."""
    from hooks._deps.specmemo import remembered

    return remembered("choose", spec, versions, lambda: _choose_version(versions, spec))


def _choose_version(versions: Sequence[str], spec: str) -> str | None:
    from packaging.specifiers import InvalidSpecifier, SpecifierSet
    from packaging.version import InvalidVersion, Version

    try:
        specifier = SpecifierSet(spec or "")
    except InvalidSpecifier:
        specifier = SpecifierSet("")
    parsed = []
    for raw in versions:
        try:
            parsed.append((Version(raw), raw))
        except InvalidVersion:
            continue
    for allow_pre in (False, True):
        fitting = [p for p in parsed if specifier.contains(p[0], prereleases=allow_pre)
                   and (allow_pre or not p[0].is_prerelease)]
        if fitting:
            return max(fitting)[1]
    return None


_HREF = re.compile(r"<a\s[^>]*?href\s*=\s*[\"']([^\"']*)[\"'][^>]*>(.*?)</a>", re.I | re.S)


def page_files(body: bytes, content_type: str, page_url: str) -> list[tuple[str, str]]:
    """(filename, absolute URL) of every file on a Simple API project page."""
    if "json" in content_type:
        data = json.loads(body.decode("utf-8"))
        files = data.get("files") if isinstance(data, dict) else None
        return [
            (str(f.get("filename", "")), urljoin(page_url, str(f.get("url", ""))))
            for f in files or () if isinstance(f, dict) and not f.get("yanked")
        ]
    text = body.decode("utf-8", errors="replace")
    out = []
    for href, label in _HREF.findall(text):
        name = unquote(re.sub(r"<[^>]+>", "", label)).strip() or unquote(href.split("#")[0].rsplit("/", 1)[-1])
        out.append((name, urljoin(page_url, href.replace("&amp;", "&"))))
    return out


def pick_wheel(files: Sequence[tuple[str, str]], dist: str, version: str) -> str | None:
    """The URL of a wheel of `dist==version`: a pure-Python one when there is one (smallest
    central directory, and what every platform installs), else any."""
    wheels = []
    for filename, url in files:
        if not filename.endswith(".whl"):
            continue
        parts = filename[:-4].split("-")
        if len(parts) < 5 or normalize(parts[0]) != dist or parts[1] != version:
            continue
        pure = parts[-1] == "any" and parts[-2] == "none"
        wheels.append((not pure, filename, url.split("#", 1)[0]))
    return min(wheels)[2] if wheels else None


# --- HTTP ---------------------------------------------------------------------------


class _Http:
    """GET with optional headers over http.client, one connection per thread and host.
    Credentials: those in the index URL for the index's host, else ~/.netrc for the host."""

    def __init__(self, timeout: float, cert: str | None, index: Index) -> None:
        self.timeout = timeout
        self.cert = cert
        self.index = index
        self._local = threading.local()
        self._ssl: Any = None
        self._lock = threading.Lock()

    def get(self, url: str, headers: dict[str, str], limit: int) -> tuple[int, dict[str, str], bytes]:
        for _ in range(6):
            status, answer, body = self._once(url, headers, limit)
            location = answer.get("location")
            if status in (301, 302, 303, 307, 308) and location:
                url = urljoin(url, location)
                continue
            return status, answer, body
        raise IndexUnavailable(f"index {self.index.display}: too many redirects")

    def _once(self, url: str, headers: dict[str, str], limit: int) -> tuple[int, dict[str, str], bytes]:
        import http.client

        parts = urlsplit(url)
        if parts.scheme not in ("http", "https"):
            raise IndexUnavailable(f"index {self.index.display}: unsupported URL scheme {parts.scheme!r}")
        netloc = parts.netloc.rsplit("@", 1)[-1]
        send = {"User-Agent": USER_AGENT, **headers}
        auth = self._auth(parts)
        if auth:
            send["Authorization"] = auth
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        for attempt in range(2):  # a kept-alive connection the server closed: retry once
            conn = self._connection(parts.scheme, netloc)
            # the socket timeout bounds each read; only the watchdog bounds the whole request
            # (a server sending a byte a second never trips a 10 s read timeout)
            watchdog = _Watchdog(conn, self.timeout)
            try:
                conn.request("GET", path, headers=send)
                watchdog.hold()
                raw = conn.getresponse()
                answer = {k.lower(): v for k, v in raw.getheaders()}
                declared = answer.get("content-length", "")
                if raw.status == 200 and declared.isdigit() and int(declared) > limit:
                    self._drop(parts.scheme, netloc)
                    raise IndexUnavailable(f"{self.index.display}: a file is too large to read whole")
                body = raw.read(limit + 1)
                if len(body) > limit:
                    self._drop(parts.scheme, netloc)
                    raise IndexUnavailable(f"{self.index.display}: a file is too large to read whole")
                if watchdog.fired:
                    raise OSError("the whole request took too long")
                if answer.get("connection", "").lower() == "close":
                    self._drop(parts.scheme, netloc)
                return raw.status, answer, body
            except (OSError, http.client.HTTPException) as exc:
                self._drop(parts.scheme, netloc)
                if watchdog.fired:
                    raise IndexUnavailable(
                        f"cannot read from {self.index.display}: no whole answer within {self.timeout:g} s"
                    ) from None
                if attempt or isinstance(exc, TimeoutError) or "timed out" in str(exc):
                    raise IndexUnavailable(f"cannot read from {self.index.display}: {exc.__class__.__name__}") from None
            finally:
                watchdog.cancel()
        raise IndexUnavailable(f"cannot read from {self.index.display}")  # pragma: no cover

    def _auth(self, parts: Any) -> str | None:
        index_parts = urlsplit(self.index.url)
        user, password = None, None
        if parts.username is not None:
            user, password = parts.username, parts.password
        elif index_parts.username is not None and index_parts.hostname == parts.hostname:
            user, password = index_parts.username, index_parts.password
        else:
            user, password = netrc_credentials(parts.hostname or "")
        if user is None:
            return None
        token = f"{unquote(user)}:{unquote(password or '')}".encode()
        return "Basic " + base64.b64encode(token).decode("ascii")

    def _connection(self, scheme: str, netloc: str) -> Any:
        import http.client

        conns = getattr(self._local, "conns", None)
        if conns is None:
            conns = self._local.conns = {}
        conn = conns.get((scheme, netloc))
        if conn is None:
            if scheme == "https":
                conn = http.client.HTTPSConnection(netloc, timeout=self.timeout, context=self._context())
            else:
                conn = http.client.HTTPConnection(netloc, timeout=self.timeout)
            conns[(scheme, netloc)] = conn
        return conn

    def _drop(self, scheme: str, netloc: str) -> None:
        conn = getattr(self._local, "conns", {}).pop((scheme, netloc), None)
        if conn is not None:
            conn.close()

    def _context(self) -> Any:
        with self._lock:
            if self._ssl is None:
                import ssl

                cafile = self.cert if self.cert and os.path.isfile(self.cert) else None
                self._ssl = ssl.create_default_context(cafile=cafile)
            return self._ssl


class _RangeFile:
    """A read-only, seekable file over HTTP range requests: what zipfile needs to read a
    wheel's central directory and one member without the rest of the file."""

    def __init__(self, http: _Http, url: str, size: int, tail: bytes) -> None:
        self.http, self.url, self.size = http, url, size
        self.pos = 0
        self.chunks: list[tuple[int, bytes]] = [(size - len(tail), tail)]
        self.requests = 1

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self.pos

    def seek(self, offset: int, whence: int = 0) -> int:
        base = {0: 0, 1: self.pos, 2: self.size}[whence]
        self.pos = max(0, min(self.size, base + offset))
        return self.pos

    def read(self, n: int = -1) -> bytes:
        end = self.size if n is None or n < 0 else min(self.size, self.pos + n)
        if end <= self.pos:
            return b""
        data = self._covered(self.pos, end)
        if data is None:
            start, stop = self.pos, max(end, min(self.size, self.pos + CHUNK_BYTES))
            status, headers, body = self.http.get(self.url, {"Range": f"bytes={start}-{stop - 1}"}, stop - start)
            self.requests += 1
            if status != 206 or len(body) != stop - start:
                raise OSError(f"range request answered HTTP {status}")
            self.chunks.append((start, body))
            data = body[: end - start]
        self.pos = end
        return data

    def _covered(self, start: int, end: int) -> bytes | None:
        for offset, chunk in self.chunks:
            if offset <= start and end <= offset + len(chunk):
                return chunk[start - offset: end - offset]
        return None


def read_wheel(http: _Http, url: str) -> tuple[list[str], str, bool]:
    """(file list, METADATA text, read by ranges) of the wheel at `url`."""
    import zipfile

    status, headers, body = http.get(url, {"Range": f"bytes=-{TAIL_BYTES}"}, MAX_WHOLE_BYTES)
    if status == 206:
        total = headers.get("content-range", "").rsplit("/", 1)[-1]
        if not total.isdigit():
            raise OSError("range answer without a total size")
        handle: Any = _RangeFile(http, url, int(total), body)
    elif status == 200:  # the server ignored Range: we have the whole wheel
        handle = io.BytesIO(body)
    else:
        raise OSError(f"HTTP {status}")
    try:
        with zipfile.ZipFile(handle) as archive:
            names = archive.namelist()
            meta = [n for n in names if n.count("/") == 1 and n.endswith(".dist-info/METADATA")]
            text = archive.read(meta[0]).decode("utf-8", errors="replace") if meta else ""
    except (zipfile.BadZipFile, KeyError, ValueError, EOFError) as exc:
        raise OSError(f"not a readable wheel: {exc}") from None
    return names, text, status == 206


# --- the reader ---------------------------------------------------------------------


class WheelReader:
    """Distribution name -> WheelNames for the release a project would install, from the
    disk cache, else the index (the index client's cached answers choose the version)."""

    def __init__(self, client: Client, indexes: Sequence[Index], cache_root: str | None = None) -> None:
        self.client = client
        self.indexes = list(indexes)
        self.root = os.path.join(cache_root or user_cache_dir(), f"wheels-v{CACHE_FORMAT}")
        self.memo: dict[str, WheelNames | None] = {}
        self.ranged = 0  # wheels read by range requests in this process
        self.whole = 0  # wheels read whole (server ignored Range)
        self._lock = threading.Lock()
        self._http: dict[Index, _Http] = {}

    def names(self, wanted: dict[str, str]) -> dict[str, WheelNames | None]:
        """{name: version spec} -> what each installs (None: unknown: offline, not on the
        index, the index or file unreadable)."""
        todo = {normalize(n): s for n, s in wanted.items() if normalize(n) not in self.memo}
        if todo:
            lookups = lookup_names(self.client, self.indexes, todo)
            jobs = []
            for name, spec in todo.items():
                lookup = lookups.get(name)
                found = [i for i in self.indexes if lookup and i.display in lookup.found_on]
                if lookup and lookup.answers and not found and not lookup.errors and not lookup.unchecked:
                    self.memo[name] = WheelNames(name, "", frozenset(), (), False, on_index=False)
                    continue
                version = choose_version(lookup.versions, spec) if lookup and found else None
                if version is None:
                    self.memo[name] = None
                    continue
                cached = self._cached(found[0], name, version)
                if cached is not None:
                    self.memo[name] = cached
                elif self.client.offline:
                    self.memo[name] = None
                else:
                    jobs.append((found, name, version))
            self._run(jobs)
        return {normalize(n): self.memo.get(normalize(n)) for n in wanted}

    def _run(self, jobs: list[tuple[list[Index], str, str]]) -> None:
        remote = []
        for job in jobs:
            if all(index.url.startswith("file:") for index in job[0]):
                self.memo[job[1]] = self._fetch(*job)  # a local file: no thread, no wait
            else:
                remote.append(job)
        jobs = remote
        if not jobs:
            return
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(max_workers=min(8, len(jobs))) as pool:
            for (_, name, _), answer in zip(jobs, pool.map(lambda job: self._fetch(*job), jobs)):
                self.memo[name] = answer

    def _fetch(self, indexes: list[Index], name: str, version: str) -> WheelNames | None:
        for index in indexes:
            try:
                answer = self._from_index(index, name, version)
            except (IndexUnavailable, OSError, ValueError, UnicodeDecodeError):
                continue
            if answer is not None:
                self._store(index, answer)
                return answer
        return None

    def _from_index(self, index: Index, name: str, version: str) -> WheelNames | None:
        page_url = urljoin(index.base, name + "/")
        if page_url.startswith("file:"):
            return self._from_tree(page_url, name, version)
        with self._lock:  # one per index: its connections are kept alive per thread
            http = self._http.setdefault(index, _Http(self.client.timeout, self.client.cert, index))
        accept = f"{JSON_ACCEPT}, text/html;q=0.1"
        status, headers, body = http.get(page_url, {"Accept": accept}, MAX_PAGE_BYTES)
        if status != 200:
            return None
        files = page_files(body, headers.get("content-type", "").lower(), page_url)
        url = pick_wheel(files, name, version)
        if url is None:
            return WheelNames(name, version, frozenset(), (), has_wheel=False)
        paths, metadata, ranged = read_wheel(http, url)
        with self._lock:
            if ranged:
                self.ranged += 1
            else:
                self.whole += 1
        return WheelNames(name, version, provided_names(paths), requirements(metadata))

    def _from_tree(self, page_url: str, name: str, version: str) -> WheelNames | None:
        import zipfile
        directory = url_to_path(urlsplit(page_url).path)
        try:
            listing = sorted(os.listdir(directory))
        except OSError:
            return None
        path = pick_wheel([(f, os.path.join(directory, f)) for f in listing], name, version)
        if path is None:
            return WheelNames(name, version, frozenset(), (), has_wheel=False)
        with zipfile.ZipFile(path) as archive:
            paths = archive.namelist()
            meta = [n for n in paths if n.count("/") == 1 and n.endswith(".dist-info/METADATA")]
            text = archive.read(meta[0]).decode("utf-8", errors="replace") if meta else ""
        return WheelNames(name, version, provided_names(paths), requirements(text))

    # cache
    def _path(self, index: Index, name: str, version: str) -> str:
        key = hashlib.sha256(index.display.encode()).hexdigest()[:20]
        safe = re.sub(r"[^A-Za-z0-9._+!-]", "_", version)
        return os.path.join(self.root, key, f"{name}-{safe}.json")

    def _cached(self, index: Index, name: str, version: str) -> WheelNames | None:
        if index.url.startswith("file:"):
            return None
        from hooks._core.cache import read_json

        try:
            data = read_json(self._path(index, name, version))
            answer = WheelNames.from_json(data["answer"])
            if answer.dist != name or answer.version != version:
                return None
            if not answer.has_wheel and time.time() - float(data["fetched"]) > SDIST_TTL:
                return None  # a wheel may have been uploaded since
            return answer
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def _store(self, index: Index, answer: WheelNames) -> None:
        if index.url.startswith("file:"):
            return
        payload = json.dumps({"fetched": time.time(), "answer": answer.to_json()})
        _write_atomic(self._path(index, answer.dist, answer.version), payload)
