"""Real package indexes on loopback for the dependency hooks' tests: a `pypiserver`
process holding tiny wheels built here, and a deliberately broken Simple API server."""
from __future__ import annotations

import contextlib
import http.server
import json
import os
import socket
import subprocess
import sys
import textwrap
import threading
import time
import zipfile
from pathlib import Path
from typing import Any, Callable, Iterator


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def make_wheel(
    directory: str, name: str, version: str, top_level: str | None = None,
    members: list[str] | None = None, requires: list[str] | None = None, tag: str = "py3-none-any",
) -> str:
    """A minimal valid wheel: one package (or the given `members`, empty files) plus
    METADATA (with `Requires-Dist` lines), WHEEL and RECORD in .dist-info."""
    dist = name.replace("-", "_")
    path = os.path.join(directory, f"{dist}-{version}-{tag}.whl")
    info = f"{dist}-{version}.dist-info"
    module = top_level or dist.lower()
    requirements = "".join(f"Requires-Dist: {r}\n" for r in requires or ())
    files = {
        **{member: "" for member in members or [f"{module}/__init__.py"]},
        f"{info}/METADATA": f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n{requirements}",
        f"{info}/WHEEL": "Wheel-Version: 1.0\nGenerator: driftgate-tests\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
    }
    with zipfile.ZipFile(path, "w") as archive:
        for member, text in files.items():
            archive.writestr(member, text)
        archive.writestr(f"{info}/RECORD", "".join(f"{m},,\n" for m in files) + f"{info}/RECORD,,\n")
    return path


class PypiServer:
    """`pypiserver` in a subprocess on a free loopback port (fallback to the public index
    disabled, so an unknown name is a plain 404)."""

    def __init__(self, packages_dir: str, htpasswd: str | None = None) -> None:
        self.packages_dir = packages_dir
        self.port = free_port()
        cmd = [sys.executable, "-m", "pypiserver", "run", "-p", str(self.port), "-i", "127.0.0.1",
               "--disable-fallback"]
        if htpasswd:
            cmd += ["-P", htpasswd, "-a", "list,download,update"]
        self.proc = subprocess.Popen(cmd + [packages_dir], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        self._wait()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/simple/"

    def _wait(self) -> None:
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"pypiserver exited: {self.proc.stderr.read().decode()[-500:]}")
            with contextlib.suppress(OSError):
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return
            time.sleep(0.05)
        raise RuntimeError("pypiserver did not start")

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=10)


class BrokenIndex:
    """A Simple API server whose behaviour depends on the first path segment:
    /500/ errors, /hang/ never answers in time, /close/ drops the connection, /garbage/
    sends non-HTML bytes, /badjson/ sends broken PEP 691 JSON, /json/ serves `projects`
    as valid PEP 691 JSON (PEP 700 fields included). Faults of issue 10: /trickle/ sends a
    byte every 0.2 s, /truncated/ stops short of its Content-Length, /garbagehtml/ and
    /plaintext/ answer 200 text/html that is no page, /slow/ takes 0.25 s per 404; any
    other first segment answers 404 for everything, the root included."""

    def __init__(self) -> None:
        self.projects: dict[str, dict[str, Any]] = {}
        self.requests: list[str] = []
        self.client_ports: list[int] = []  # one per request: how many connections were used
        handler = self._handler()
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.server.daemon_threads = True
        # a client that gave up (the point of the fault modes) is no error to print
        self.server.handle_error = lambda request, client_address: None  # type: ignore[method-assign]
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def url(self, mode: str) -> str:
        return f"http://127.0.0.1:{self.port}/{mode}/"

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def _handler(self) -> type:
        owner = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:  # http.server's method name
                owner.requests.append(self.path)
                owner.client_ports.append(self.client_address[1])
                mode, _, rest = self.path.strip("/").partition("/")
                action: Callable[[str], None] = getattr(self, f"mode_{mode}", self.mode_404)
                action(rest.strip("/"))

            def send(self, status: int, ctype: str, body: bytes) -> None:
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def mode_404(self, name: str) -> None:
                self.send(404, "text/plain", b"not found")

            def mode_500(self, name: str) -> None:
                self.send(500, "text/plain", b"internal error")

            def mode_hang(self, name: str) -> None:
                time.sleep(3)

            def mode_close(self, name: str) -> None:
                self.close_connection = True
                self.connection.shutdown(socket.SHUT_RDWR)

            def mode_trickle(self, name: str) -> None:
                """A valid-looking page sent one byte every 0.2 s (bounded: 200 bytes)."""
                body = b"<html><body>" + b" " * 180 + b"</body></html>"
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                for byte in body[:200]:
                    try:
                        self.wfile.write(bytes([byte]))
                        self.wfile.flush()
                    except OSError:
                        return  # the client gave up: the point of the test
                    time.sleep(0.2)

            def mode_truncated(self, name: str) -> None:
                """Content-Length promises 5000 bytes; the connection ends after 60."""
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.send_header("Content-Length", "5000")
                self.end_headers()
                self.wfile.write(b"<html><body><a href='x-1.0.tar.gz'>x-1.0.tar.gz</a>"[:60])
                self.wfile.flush()
                self.close_connection = True

            def mode_garbagehtml(self, name: str) -> None:
                self.send(200, "text/html", bytes(range(256)) * 4)

            def mode_plaintext(self, name: str) -> None:
                self.send(200, "text/html; charset=utf-8", b"Service temporarily in maintenance mode")

            def mode_slow(self, name: str) -> None:
                """Every answer (a 404) takes 0.25 s: each request is fine, many are not."""
                time.sleep(0.25)
                self.send(404, "text/plain", b"not found")

            def mode_garbage(self, name: str) -> None:
                self.send(200, "application/octet-stream", bytes(range(256)))

            def mode_badjson(self, name: str) -> None:
                self.send(200, "application/vnd.pypi.simple.v1+json", b'{"files": [tru')

            def mode_json(self, name: str) -> None:
                if not name:  # the index root: the project list, as real indexes serve it
                    listing = {"meta": {"api-version": "1.0"}, "projects": [{"name": n} for n in owner.projects]}
                    self.send(200, "application/vnd.pypi.simple.v1+json", json.dumps(listing).encode())
                    return
                project = owner.projects.get(name)
                if project is None:
                    self.send(404, "application/vnd.pypi.simple.v1+json", b'{"detail": "not found"}')
                    return
                body = json.dumps(project).encode()
                self.send(200, "application/vnd.pypi.simple.v1+json", body)

        return Handler


def json_project(name: str, releases: dict[str, str]) -> dict[str, Any]:
    """A PEP 691 + PEP 700 project page: version -> upload time (ISO 8601)."""
    dist = name.replace("-", "_")
    return {
        "meta": {"api-version": "1.1"},
        "name": name,
        "versions": list(releases),
        "files": [
            {"filename": f"{dist}-{v}-py3-none-any.whl", "url": f"../../files/{dist}-{v}.whl",
             "hashes": {}, "upload-time": t}
            for v, t in releases.items()
        ],
    }


class BasicAuthProxy:
    """A password-protected index on loopback: HTTP Basic auth in front of a real pypiserver,
    the way a reverse proxy (nginx, Artifactory) guards a private index. pypiserver's own
    `-P htpasswd` needs passlib, which needs `crypt`, gone in Python 3.13; this needs nothing."""

    def __init__(self, upstream: PypiServer, user: str, password: str) -> None:
        import base64

        self.upstream = upstream
        self.expected = "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode("ascii")
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/simple/"

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def _handler(self) -> type:
        owner = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:  # http.server's method name
                import http.client

                if self.headers.get("Authorization") != owner.expected:
                    body = b"authentication required"
                    self.send_response(401)
                    self.send_header("WWW-Authenticate", 'Basic realm="pypi"')
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                    return
                conn = http.client.HTTPConnection("127.0.0.1", owner.upstream.port, timeout=10)
                try:
                    conn.request("GET", self.path, headers={"Accept": self.headers.get("Accept", "*/*")})
                    answer = conn.getresponse()
                    body = answer.read()
                finally:
                    conn.close()
                self.send_response(answer.status)
                for name in ("Content-Type", "Location"):
                    if answer.getheader(name):
                        self.send_header(name, answer.getheader(name))
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        return Handler


@contextlib.contextmanager
def guarded_pypiserver(directory: str, user: str, password: str) -> Iterator[BasicAuthProxy]:
    """pypiserver behind Basic auth (see BasicAuthProxy)."""
    with pypiserver(directory) as upstream:
        proxy = BasicAuthProxy(upstream, user, password)
        try:
            yield proxy
        finally:
            proxy.stop()


@contextlib.contextmanager
def pypiserver(directory: str, htpasswd: str | None = None) -> Iterator[PypiServer]:
    server = PypiServer(directory, htpasswd)
    try:
        yield server
    finally:
        server.stop()


def isolated_env(monkeypatch: Any, tmp_path: Any) -> None:
    """No pip config, PIP_* variable, netrc or cache from this machine leaks into a test."""
    for key in list(os.environ):
        if key.startswith("PIP_"):
            monkeypatch.delenv(key)
    monkeypatch.setenv("PIP_CONFIG_FILE", os.devnull)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("DRIFTGATE_CACHE_DIR", str(tmp_path / "cache"))
    (tmp_path / "home").mkdir(exist_ok=True)


def write(name: str, text: str) -> str:
    """Write dedented `text` to `name` (relative to the cwd), making its folders."""
    path = Path(name)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return name
