"""hooks._api: the static API index, on a real venv holding small real distributions, the
running interpreter's standard library, and a local package written by the test."""
from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from hooks._api import FOUND, MISSING, UNKNOWN, ApiIndex, index_for_interpreter
from hooks._core.interpreter import project_interpreter
from _apis_support import build_venv, venv_python

PY = f"Python {sys.version_info[0]}.{sys.version_info[1]}"


@pytest.fixture(scope="session")
def api_venv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_venv(tmp_path_factory.getbasetemp() / "apis")


@pytest.fixture()
def index(api_venv: Path, tmp_path: Path) -> ApiIndex:
    interpreter = project_interpreter(str(tmp_path), venv_python(api_venv))
    return index_for_interpreter(interpreter, cache_dir=str(tmp_path / "cache"), executable=interpreter.executable)


# (dotted name, expected status) on the installed distributions
LIBRARY_TABLE = [
    ("minireq.Session", FOUND),
    ("minireq.Session.close", FOUND),
    ("minireq.Session.get_redirect_target", FOUND),  # inherited
    ("minireq.Session.headers", FOUND),  # instance attribute set in __init__
    ("minireq.Session.adapter", FOUND),  # instance attribute set in another method
    ("minireq.Session.__name__", FOUND),  # every class has it
    ("minireq.adapters", FOUND),  # submodule
    ("minireq.sessions.HTTPAdapter.send", FOUND),  # imported name, then its member
    ("minireq.Session.close_all", MISSING),
    ("minireq.get_all", MISSING),
    ("minireq.sessions.Sesion", MISSING),
    ("minireq.lazy.known", FOUND),
    ("minireq.lazy.anything", UNKNOWN),  # module __getattr__
    ("minireq.dynamic.alpha", UNKNOWN),  # globals()[...] = ...
    ("minireq.dynamic.Proxy.anything", UNKNOWN),  # class __getattr__
    ("minireq.dynamic.WithMeta.anything", UNKNOWN),  # metaclass
    ("minireq.dynamic.Plain.anything", MISSING),
    ("minireq.guarded.fast_parse", FOUND),  # defined in one branch or the other
    ("minireq._speedups.anything", UNKNOWN),  # compiled, no stub
    ("fastmath.add", FOUND),  # from the stub next to the compiled module
    ("fastmath.Vector.norm", FOUND),
    ("fastmath.Vector.length", MISSING),
    ("fastmath.sub", MISSING),
    ("opaquemath.anything", UNKNOWN),
    ("movedlib_community.llms.OpenAI.invoke", FOUND),  # inherited across distributions
    ("movedlib.llms.OpenAI", MISSING),
    ("notinstalled.anything", UNKNOWN),
]


@pytest.mark.parametrize(("dotted", "status"), LIBRARY_TABLE)
def test_library_names(index: ApiIndex, dotted: str, status: str) -> None:
    assert index.resolve(dotted).status == status


def test_missing_names_carry_version_nearest_and_new_home(index: ApiIndex) -> None:
    missing = index.resolve("minireq.Session.close_all")
    # parent is where the class is defined, whatever path the caller walked
    assert (missing.owner, missing.parent, missing.name) == ("minireq 2.32.3", "minireq.sessions.Session", "close_all")
    assert missing.nearest[0] == "close"
    moved = index.resolve("movedlib.llms.OpenAI")
    assert moved.owner == "movedlib 0.3.0"
    assert "movedlib_community.llms" in moved.elsewhere
    assert index.resolve("notinstalled.x").installed is False


def test_signatures(index: ApiIndex) -> None:
    get = index.signature("minireq.get")
    assert get is not None and get.max_positional == 2 and "timeout" in get.keyword_names()
    assert not get.takes_var_keyword
    assert index.signature("minireq.post").takes_var_keyword
    # a class's signature is its __init__'s without self; inherited from object: none
    assert index.signature("minireq.Session").params == ()
    vector = index.signature("fastmath.Vector")
    assert vector is not None and [p.name for p in vector.params] == ["x", "y"]
    assert index.signature("minireq.Session.from_env").max_positional == 1  # cls dropped
    assert index.call_kind("minireq.Session.get") == "method"
    assert index.signature("minireq.dynamic.WithMeta") is None


def test_forwarded_keywords(index: ApiIndex) -> None:
    """**kwargs passed on to one callee the index resolves: the keywords the call may pass
    are the function's own plus the callee's, recursively; otherwise any (None)."""
    def accepted(dotted: str, *passed: str) -> "set[str] | None":
        signature = index.signature(dotted)
        assert signature is not None and signature.takes_var_keyword
        keywords = signature.accepted_keywords(passed, 1, False)
        return None if keywords is None else set(keywords)

    # get -> request -> `with Session() as session: session.request(...)`
    assert accepted("fwdlib.get") == {"url", "params", "method", "timeout", "headers"}
    # json.loads' pattern: cls=None, `if cls is None: cls = Decoder`, cls(**kw)
    assert accepted("fwdlib.decoders.loads") == {"s", "cls", "hook", "strict"}
    assert accepted("fwdlib.decoders.loads", "cls") is None  # the call chooses the class
    # json.load's pattern: its own cls passed on as cls=cls decides loads' class
    assert accepted("fwdlib.decoders.load") == {"fp", "cls", "s", "hook", "strict"}
    assert accepted("fwdlib.decoders.load", "cls") is None
    assert accepted("fwdlib.decoders.chosen") is None  # loads(s, cls=Loose, **kw)
    assert accepted("fwdlib.decoders.preset") is None  # its cls defaults to Loose, not None
    assert accepted("fwdlib.decoders.twice_removed") == {"s", "level", "strict", "hook"}
    for uncertain in ("to_loose", "popping", "reading", "two_callees", "merged", "nested", "tolerant",
                      "ping", "pong", "itself"):
        assert accepted(f"fwdlib.decoders.{uncertain}") is None, uncertain
    assert accepted("fwdlib.api.fetch") is None  # __enter__ does not return self
    assert accepted("fwdlib.api.quietly") is None  # __exit__ swallows the TypeError
    assert accepted("fwdlib.api.patched") is None  # the instance's method is replaced
    assert accepted("fwdlib.api.assigned") == {"url", "method", "params", "timeout", "headers"}
    # self.meth(**kw): only where the instance's class is certain (and setdefault adds one)
    session_get = index.signature("fwdlib.Session.get", "fwdlib.Session")
    assert session_get is not None and set(session_get.accepted_keywords((), 1, False) or ()) == {
        "url", "method", "params", "timeout", "headers"}
    assert accepted("fwdlib.Session.get") is None  # a subclass instance may override request
    proxied = index.signature("fwdlib.sessions.Proxied.get", "fwdlib.sessions.Proxied")
    assert proxied is not None and proxied.accepted_keywords((), 1, False) is None
    client = index.signature("fwdlib.sessions.Client")  # __init__ -> self.configure(**kw)
    assert client is not None and set(client.accepted_keywords((), 0, False) or ()) == {"retries", "backoff"}
    assert index.signature("fwdlib.sessions.AnyClient").accepted_keywords((), 0, False) is None
    loads = accepted("json.loads")
    assert loads is not None and {"object_hook", "strict", "cls"} <= loads and "encoding" not in loads


def test_module_status(index: ApiIndex) -> None:
    assert index.module_status("minireq.sessions").status == FOUND
    absent = index.module_status("minireq.sesions")
    assert absent.status == MISSING and absent.nearest == ("sessions",)
    assert index.module_status("notinstalled.sub").installed is False


STDLIB_TABLE = [
    ("os.path.exists", FOUND),
    ("os.path.existz", MISSING),
    ("os.getcwd", FOUND),  # os re-exports the compiled posix/nt module
    ("os.getcwdd", MISSING),
    ("json.loads", FOUND),
    ("json.dumpz", MISSING),
    ("math.sqrt", FOUND),  # compiled: listed by the interpreter itself
    ("math.sqroot", MISSING),
    ("pathlib.Path.read_text", FOUND),
    ("pathlib.Path.read_txt", MISSING),
    # the Python class, replaced under try by the compiled one: missing only if both lack it
    ("collections.OrderedDict.move_to_end", FOUND),
    ("collections.OrderedDict.move_to_front", MISSING),
    ("typing.Lisst", MISSING),
    ("enum.Enum.anything", UNKNOWN),  # metaclass
]


@pytest.mark.parametrize(("dotted", "status"), STDLIB_TABLE)
def test_stdlib_of_the_target_interpreter(index: ApiIndex, dotted: str, status: str) -> None:
    result = index.resolve(dotted)
    assert result.status == status
    if status == MISSING:
        assert result.owner == PY


def test_local_source_roots(tmp_path: Path) -> None:
    """check-doc-drift's use: the repository's own packages, no interpreter, no cache."""
    src = tmp_path / "src" / "myapp"
    src.mkdir(parents=True)
    (src / "__init__.py").write_text("from myapp.core import run\n")
    (src / "core.py").write_text(textwrap.dedent("""
        def run(config, *, dry_run=False):
            return config

        class Engine:
            def start(self):
                return None
    """))
    index = ApiIndex([str(tmp_path / "src")], sys.version_info[:3], cache_dir=None)
    assert index.resolve("myapp.run").status == FOUND
    assert index.resolve("myapp.core.Engine.start").status == FOUND
    assert index.resolve("myapp.core.Engine.stop").status == MISSING
    assert index.owner("myapp.core") == "myapp"
    sig = index.signature("myapp.run")
    assert sig is not None and sig.keyword_names() == ("config", "dry_run")


def test_warm_cache_reads_no_library_source(index: ApiIndex, api_venv: Path, tmp_path: Path) -> None:
    index.resolve("minireq.Session.close")
    cache = tmp_path / "cache"
    files = sorted(p.relative_to(cache).as_posix() for p in cache.rglob("*.json"))
    assert any(f.startswith("api-v3/minireq-2.32.3-py") and f.endswith("/minireq.sessions.json") for f in files)
    # a second process, with the module's source emptied, still answers from the cache
    sessions = next(api_venv.rglob("minireq/sessions.py"))
    original = sessions.read_bytes()
    sessions.write_text("")
    try:
        code = textwrap.dedent(f"""
            from hooks._api import ApiIndex
            ix = ApiIndex({json.dumps(list(index.finder.search_paths))}, {list(index.python_version)},
                          cache_dir={str(cache)!r}, stdlib={index.stdlib!r})
            print(ix.resolve("minireq.Session.close_all").status, ix.resolve("minireq.Session.close").status)
        """)
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                             cwd=Path(__file__).resolve().parents[1], check=True).stdout.split()
    finally:
        sessions.write_bytes(original)
    assert out == [MISSING, FOUND]


def test_damaged_cache_file_is_rebuilt(index: ApiIndex, tmp_path: Path, api_venv: Path) -> None:
    index.resolve("minireq.Session.close")
    cache_file = next((tmp_path / "cache").rglob("minireq.sessions.json"))
    cache_file.write_text("{not json")
    interpreter = project_interpreter(str(tmp_path), venv_python(api_venv))
    fresh = index_for_interpreter(interpreter, cache_dir=str(tmp_path / "cache"))
    assert fresh.resolve("minireq.Session.close_all").status == MISSING
    assert json.loads(cache_file.read_text())["format"] == 3


def _fresh_index(api_venv: Path, tmp_path: Path) -> ApiIndex:
    """A second index on the same cache, as the next commit's process has."""
    interpreter = project_interpreter(str(tmp_path), venv_python(api_venv))
    return index_for_interpreter(interpreter, cache_dir=str(tmp_path / "cache"), executable=interpreter.executable)


def test_compiled_modules_are_cached_one_file_each(index: ApiIndex, api_venv: Path, tmp_path: Path) -> None:
    # a commit that uses math reads math's API and the names, not every compiled module's
    assert index.resolve("math.sqrt").status == FOUND
    compiled = next((tmp_path / "cache").rglob("__compiled__"))
    assert json.loads((compiled / "math.json").read_text())["module"] == "math"
    assert "math" in json.loads((compiled / "__names__.json").read_text())["names"]
    (compiled / "_ast.json").write_text("{not json")  # unread by the next index: stays damaged
    fresh = _fresh_index(api_venv, tmp_path)
    assert fresh.resolve("math.sqrt").status == FOUND
    assert fresh.resolve("math.sqrt_all").status == MISSING
    assert (compiled / "_ast.json").read_text() == "{not json"


@pytest.mark.parametrize("damaged", ["math.json", "__names__.json"])
def test_damaged_compiled_cache_file_asks_the_interpreter_again(
    index: ApiIndex, api_venv: Path, tmp_path: Path, damaged: str,
) -> None:
    index.resolve("math.sqrt")
    compiled = next((tmp_path / "cache").rglob("__compiled__"))
    (compiled / damaged).write_text('{"format": 3, "module": "math", "names": 7, "api": []}')
    fresh = _fresh_index(api_venv, tmp_path)
    assert fresh.resolve("math.sqrt").status == FOUND
    assert fresh.resolve("math.sqrt_all").status == MISSING
    assert fresh.owner("math") == PY
    rewritten = json.loads((compiled / damaged).read_text())
    assert rewritten.get("module") == "math" or "math" in rewritten["names"]


def test_compiled_cache_is_per_interpreter(index: ApiIndex, tmp_path: Path) -> None:
    # another interpreter (another executable: other compiled modules maybe) has its own files
    index.resolve("math.sqrt")
    other = ApiIndex(list(index.finder.search_paths), index.python_version, cache_dir=str(tmp_path / "cache"),
                     stdlib=index.stdlib, executable=sys.executable)
    assert other.resolve("math.sqrt").status == FOUND
    assert len(list((tmp_path / "cache").rglob("__compiled__"))) == 2
