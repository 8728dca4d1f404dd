"""A real virtual environment for the API tests: three small distributions written here as
real wheels and installed by pip from a local directory (--no-index: never the public
index), built once per test session and shared by the index and hook tests."""
from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import textwrap
import zipfile
from pathlib import Path
from typing import Mapping

# A compiled extension's file name for the running interpreter (its content is never
# loaded: the index only sees that a compiled module is there).
EXT_SUFFIX = sysconfig.get_config_var("EXT_SUFFIX") or ".so"

MINIREQ = {
    "minireq/__init__.py": """
        from .sessions import Session, session
        from .api import get, post
        from . import adapters
        __version__ = "2.32.3"
    """,
    "minireq/api.py": """
        def get(url, params=None, *, timeout=None, headers=None):
            return None

        def post(url, data=None, json=None, **kwargs):
            return None
    """,
    "minireq/sessions.py": """
        from .adapters import HTTPAdapter

        class SessionRedirectMixin:
            def get_redirect_target(self, resp):
                return None

        class Session(SessionRedirectMixin):
            def __init__(self):
                self.headers = {}

            def get(self, url, params=None, timeout=None):
                return None

            def close(self):
                self.adapter = HTTPAdapter()

            @classmethod
            def from_env(cls, prefix):
                return cls()

        def session():
            return Session()
    """,
    "minireq/adapters.py": """
        class HTTPAdapter:
            def send(self, request, stream=False):
                return None
    """,
    "minireq/lazy.py": """
        def known():
            return 1

        def __getattr__(name):
            return name
    """,
    "minireq/dynamic.py": """
        class Meta(type):
            pass

        class Proxy:
            def __getattr__(self, name):
                return name

        class WithMeta(metaclass=Meta):
            pass

        class Plain:
            pass

        for _name in ("alpha", "beta"):
            globals()[_name] = _name
    """,
    "minireq/guarded.py": """
        try:
            from ._speedups import fast_parse
        except ImportError:
            def fast_parse(text):
                return text
    """,
    f"minireq/_speedups{EXT_SUFFIX}": b"\x7fELF not really loaded",
    # a module __getattr__ that provably answers two names only (as click and flask have)
    "minireq/compat.py": """
        def current():
            return 1

        def __getattr__(name):
            if name == "old_current":
                return current
            if name in ("legacy", "older"):
                return current
            raise AttributeError(name)
    """,
    # overloads, **kwargs: Unpack[TypedDict], an alias and a stub-like declared instance
    "minireq/typed.py": """
        from typing import TypedDict, overload
        from typing_extensions import Unpack

        class _Options(TypedDict, total=False):
            verify: bool
            cert: str

        @overload
        def fetch(url: str) -> str: ...
        @overload
        def fetch(url: str, retries: int, *, stream: bool = ...) -> bytes: ...
        def fetch(url, retries=0, *, stream=False):
            return url

        def configure(name, **options: Unpack[_Options]):
            return options

        fetch_alias = fetch
    """,
}

FASTMATH = {
    f"fastmath{EXT_SUFFIX}": b"\x7fELF not really loaded",
    "fastmath.pyi": """
        def add(a: int, b: int) -> int: ...
        class Vector:
            def __init__(self, x: float, y: float) -> None: ...
            def norm(self) -> float: ...
            def scale(self, factor: float) -> Vector: ...
        _unit: Vector
        scale = _unit.scale
    """,
    f"opaquemath{EXT_SUFFIX}": b"\x7fELF not really loaded",
}

MOVEDLIB = {
    "movedlib/__init__.py": "",
    "movedlib/llms.py": """
        from movedlib.base import BaseLLM
    """,
    "movedlib/base.py": """
        class BaseLLM:
            def invoke(self, prompt):
                return prompt
    """,
}

MOVEDLIB_COMMUNITY = {
    "movedlib_community/__init__.py": "",
    "movedlib_community/llms/__init__.py": """
        from movedlib_community.llms.openai import OpenAI
    """,
    "movedlib_community/llms/openai.py": """
        from movedlib.base import BaseLLM

        class OpenAI(BaseLLM):
            def __init__(self, model="small", temperature=0.0):
                self.model = model
    """,
}

# **kwargs passed on (issue 11: json.loads' `cls` pattern, requests 2.32's get -> request ->
# `with Session() as session: session.request(...)`), and the uses that make them uncertain
FWDLIB = {
    "fwdlib/__init__.py": """
        from .api import get, request
        from .sessions import Session
    """,
    "fwdlib/api.py": """
        from . import sessions

        def request(method, url, **kwargs):
            with sessions.Session() as session:
                return session.request(method=method, url=url, **kwargs)

        def get(url, params=None, **kwargs):
            return request("get", url, params=params, **kwargs)

        def fetch(url, **kwargs):
            with sessions.Opener() as opener:
                return opener.request("get", url, **kwargs)

        def patched(url, **kwargs):
            session = sessions.Session()
            session.request = make_request
            return session.request("get", url, **kwargs)

        def make_request(*args, **kwargs):
            return None

        def assigned(url, **kwargs):
            session = sessions.Session()
            return session.request("get", url, **kwargs)

        def quietly(url, **kwargs):
            with sessions.Quiet() as quiet:
                return quiet.request("get", url, **kwargs)
    """,
    "fwdlib/sessions.py": """
        class Session:
            def __enter__(self):
                return self

            def __exit__(self, *args):
                self.close()

            def close(self):
                pass

            def request(self, method, url, params=None, timeout=None, headers=None):
                return None

            def get(self, url, **kwargs):
                kwargs.setdefault("timeout", 5)
                return self.request("get", url, **kwargs)

        class Proxied(Session):
            # overrides the method Session.get passes its keywords to
            def request(self, method, url, **options):
                return options

        class Client:
            def __init__(self, **kw):
                self.configure(**kw)

            def configure(self, retries=0, backoff=1.0):
                self.retries = retries

        class AnyClient(Client):
            def configure(self, **kw):
                self.options = kw

        class Opener:
            # `with Opener() as o` binds what __enter__ returns: not certainly an Opener
            def __enter__(self):
                return make_opener()

            def __exit__(self, *args):
                pass

            def request(self, method, url, timeout=None):
                return None

        class Quiet:
            def __enter__(self):
                return self

            def __exit__(self, *args):
                return True  # swallows the with body's exceptions (a rejected keyword too)

            def request(self, method, url, timeout=None):
                return None

        def make_opener():
            return None
    """,
    "fwdlib/decoders.py": """
        class Decoder:
            def __init__(self, *, strict=True, hook=None):
                self.strict = strict

            def decode(self, s):
                return s

        class Loose:
            def __init__(self, **options):
                self.options = options

        def loads(s, *, cls=None, hook=None, **kw):
            if not kw and cls is None and hook is None:
                return Decoder().decode(s)
            if cls is None:
                cls = Decoder
            if hook is not None:
                kw["hook"] = hook
            return cls(**kw).decode(s)

        def load(fp, *, cls=None, **kw):
            return loads(fp.read(), cls=cls, **kw)

        def preset(fp, cls=Loose, **kw):
            return loads(fp.read(), cls=cls, **kw)

        def chosen(s, **kw):
            return loads(s, cls=Loose, **kw)

        def through_class(s, **kw):
            return Decoder(**kw).decode(s)

        def twice_removed(s, level=0, **kw):
            return through_class(s, **kw)

        def to_loose(s, **kw):
            return Loose(**kw)

        def popping(s, **kw):
            kw.pop("verbose", None)
            return Decoder(**kw).decode(s)

        def reading(s, **kw):
            if kw["strict"]:
                pass
            return Decoder(**kw).decode(s)

        def two_callees(s, **kw):
            Decoder(**kw)
            return Loose(**kw)

        def merged(s, **kw):
            return Decoder(**{**kw, "strict": False})

        def nested(s, **kw):
            def later():
                return Decoder(**kw)
            return later

        def tolerant(s, **kw):
            try:
                return Decoder(**kw)
            except TypeError:
                return Decoder()

        def ping(n, **kw):
            return pong(n, **kw)

        def pong(n, **kw):
            return ping(n, **kw)

        def itself(n, **kw):
            return itself(n - 1, **kw)
    """,
}

DISTRIBUTIONS: dict[tuple[str, str], Mapping[str, "str | bytes"]] = {
    ("minireq", "2.32.3"): MINIREQ,
    ("fastmath", "1.4.0"): FASTMATH,
    ("movedlib", "0.3.0"): MOVEDLIB,
    ("movedlib-community", "0.3.1"): MOVEDLIB_COMMUNITY,
    ("fwdlib", "1.0.0"): FWDLIB,
}


def make_wheel(directory: Path, name: str, version: str, files: Mapping[str, "str | bytes"]) -> Path:
    """A valid wheel holding `files` plus METADATA, WHEEL and RECORD."""
    dist = name.replace("-", "_")
    path = directory / f"{dist}-{version}-py3-none-any.whl"
    info = f"{dist}-{version}.dist-info"
    members: dict[str, bytes] = {}
    for member, content in files.items():
        members[member] = content if isinstance(content, bytes) else textwrap.dedent(content).lstrip().encode()
    members[f"{info}/METADATA"] = f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n".encode()
    members[f"{info}/WHEEL"] = (
        b"Wheel-Version: 1.0\nGenerator: driftgate-tests\nRoot-Is-Purelib: true\nTag: py3-none-any\n")
    with zipfile.ZipFile(path, "w") as archive:
        for member, data in members.items():
            archive.writestr(member, data)
        archive.writestr(f"{info}/RECORD", "".join(f"{m},,\n" for m in members) + f"{info}/RECORD,,\n")
    return path


def build_venv(base: Path) -> Path:
    """`base/venv` with the distributions installed (built once; reused when present)."""
    venv = base / "venv"
    marker = venv / "installed.ok"
    if marker.exists():
        return venv
    wheels = base / "wheels"
    wheels.mkdir(parents=True, exist_ok=True)
    for (name, version), files in DISTRIBUTIONS.items():
        make_wheel(wheels, name, version, files)
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, capture_output=True)
    python = venv_python(venv)
    subprocess.run(
        [python, "-m", "pip", "install", "-q", "--no-index", "--find-links", str(wheels),
         "--disable-pip-version-check", *[f"{n}=={v}" for n, v in DISTRIBUTIONS]],
        check=True, capture_output=True, env={**os.environ, "PIP_NO_INPUT": "1"},
    )
    marker.write_text("ok\n")
    return venv


def venv_python(venv: Path) -> str:
    if os.name == "nt":
        return str(venv / "Scripts" / "python.exe")
    return str(venv / "bin" / "python")
