"""check-hallucinated-apis on a real venv (small wheels installed by pip --no-index, see
_apis_support) and on the running interpreter's standard library: must-flag and
must-not-flag tables for every rule and every case the hook must never guess."""
from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from _apis_support import build_venv, venv_python
from hooks import check_hallucinated_apis as hook

PY = f"Python {sys.version_info[0]}.{sys.version_info[1]}"


@pytest.fixture(scope="session")
def api_venv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_venv(tmp_path_factory.getbasetemp() / "apis")


@pytest.fixture(scope="session")
def api_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("api-cache")


def run(tmp_path: Path, venv: Path, cache: Path, code: str, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str], *extra: str) -> tuple[int, list[str]]:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DRIFTGATE_CACHE_DIR", str(cache))
    (tmp_path / "app.py").write_text(textwrap.dedent(code).lstrip())
    status = hook.main(["--python", venv_python(venv), *extra, "app.py"])
    return status, capsys.readouterr().out.splitlines()


MUST_FLAG = [
    # DG701: attribute chains rooted at modules, classes and certain instances
    ("import minireq\nminireq.Session.close_all\n",
     "app.py:2:17: DG701 minireq 2.32.3: minireq.Session has no attribute close_all (did you mean close?)"),
    ("from minireq import Session\ns = Session()\ns.close_all()\n",
     "app.py:3:3: DG701 minireq 2.32.3: Session object has no attribute close_all (did you mean close?)"),
    ("import minireq\nminireq.Session().close_all()\n",
     "app.py:2:19: DG701 minireq 2.32.3: Session object has no attribute close_all (did you mean close?)"),
    ("import minireq.dynamic\nminireq.dynamic.Plain.missing\n",
     "app.py:2:23: DG701 minireq 2.32.3: minireq.dynamic.Plain has no attribute missing"),
    ("import fastmath\nfastmath.Vector(1.0, 2.0).length()\n",
     "app.py:2:27: DG701 fastmath 1.4.0: Vector object has no attribute length"),
    ("import os.path\nos.path.existz('x')\n",
     f"app.py:2:9: DG701 {PY}: os.path has no attribute existz (did you mean exists?)"),
    ("import os\nos.getcwdd()\n", f"app.py:2:4: DG701 {PY}: os has no attribute getcwdd (did you mean getcwd?)"),
    ("import json\njson.dumpz({})\n", f"app.py:2:6: DG701 {PY}: json has no attribute dumpz (did you mean dump?)"),
    ("import math\nmath.sqroot(2)\n", f"app.py:2:6: DG701 {PY}: math has no attribute sqroot (did you mean sqrt?)"),
    ("def f():\n    import argparse\n    p = argparse.ArgumentParser()\n    p.add_argumnt('--x')\n",
     f"app.py:4:7: DG701 {PY}: ArgumentParser object has no attribute add_argumnt (did you mean add_argument?)"),
    # DG702: keywords and positional arguments
    ("import minireq\nminireq.get('u', timeut=5)\n",
     "app.py:2:18: DG702 minireq.get() in minireq 2.32.3 takes no keyword timeut (did you mean timeout?)"),
    ("import minireq\nminireq.get('u', {}, 3)\n",
     "app.py:2:1: DG702 minireq.get() in minireq 2.32.3 takes at most 2 positional arguments, 3 given"),
    ("from minireq import Session\ns = Session()\ns.get('u', timeut=5)\n",
     "app.py:3:12: DG702 Session.get() in minireq 2.32.3 takes no keyword timeut (did you mean timeout?)"),
    ("from minireq.sessions import Session\nSession.from_env('P', 'extra')\n",
     "app.py:2:1: DG702 Session.from_env() in minireq 2.32.3 takes at most 1 positional argument, 2 given"),
    ("from minireq import Session\nSession(1)\n",
     "app.py:2:1: DG702 Session() in minireq 2.32.3 takes no positional arguments, 1 given"),
    ("import fastmath\nfastmath.add(1, 2, 3)\n",
     "app.py:2:1: DG702 fastmath.add() in fastmath 1.4.0 takes at most 2 positional arguments, 3 given"),
    ("import argparse\nargparse.ArgumentParser(descripton='x')\n",
     f"app.py:2:25: DG702 argparse.ArgumentParser() in {PY} takes no keyword descripton (did you mean description?)"),
    ("import math\nmath.sqrt(x=2)\n", f"app.py:2:11: DG702 math.sqrt() in {PY} takes no keyword x"),
    ("import minireq.compat\nminireq.compat.newest\n",
     "app.py:2:16: DG701 minireq 2.32.3: minireq.compat has no attribute newest"),
    ("from minireq.typed import fetch\nfetch('u', 1, streem=True)\n",
     "app.py:2:15: DG702 fetch() in minireq 2.32.3 takes no keyword streem (did you mean stream?)"),
    ("from minireq.typed import fetch_alias\nfetch_alias('u', 1, 2)\n",
     "app.py:2:1: DG702 fetch_alias() in minireq 2.32.3 takes at most 2 positional arguments, 3 given"),
    ("import minireq.typed\nminireq.typed.configure('n', verfy=True)\n",
     "app.py:2:30: DG702 minireq.typed.configure() in minireq 2.32.3 takes no keyword verfy (did you mean verify?)"),
    ("import fastmath\nfastmath.scale(2.0, 3.0)\n",
     "app.py:2:1: DG702 fastmath.scale() in fastmath 1.4.0 takes at most 1 positional argument, 2 given"),
    # DG702 through **kwargs passed on to a callee the index resolves (issue 11)
    ("import json\njson.loads('1', encoding='utf-8')\n",
     f"app.py:2:17: DG702 json.loads() in {PY} takes no keyword encoding"),
    ("import json\njson.dumps({}, sort_key=True)\n",
     f"app.py:2:16: DG702 json.dumps() in {PY} takes no keyword sort_key (did you mean sort_keys?)"),
    ("import json\njson.load(open('f'), encoding='utf-8')\n",
     f"app.py:2:22: DG702 json.load() in {PY} takes no keyword encoding"),
    ("import pprint\npprint.pp({}, widht=3)\n",
     f"app.py:2:15: DG702 pprint.pp() in {PY} takes no keyword widht (did you mean width?)"),
    ("import subprocess\nsubprocess.call(['true'], shel=True)\n",
     f"app.py:2:27: DG702 subprocess.call() in {PY} takes no keyword shel (did you mean shell?)"),
    ("from fwdlib.decoders import load\nload(open('f'), strct=False)\n",
     "app.py:2:17: DG702 load() in fwdlib 1.0.0 takes no keyword strct (did you mean strict?)"),
    ("from fwdlib import api\napi.assigned('u', timeut=5)\n",
     "app.py:2:19: DG702 api.assigned() in fwdlib 1.0.0 takes no keyword timeut (did you mean timeout?)"),
    ("import fwdlib\ns = fwdlib.Session()\ns.get('u', timeut=5)\n",
     "app.py:3:12: DG702 Session.get() in fwdlib 1.0.0 takes no keyword timeut (did you mean timeout?)"),
    ("from fwdlib.sessions import Client\nClient(retrys=3)\n",
     "app.py:2:8: DG702 Client() in fwdlib 1.0.0 takes no keyword retrys (did you mean retries?)"),
    ("import fwdlib\nfwdlib.get('u', timeut=5)\n",
     "app.py:2:17: DG702 fwdlib.get() in fwdlib 1.0.0 takes no keyword timeut (did you mean timeout?)"),
    ("from fwdlib.decoders import loads\nloads('s', hook=None, strct=False)\n",
     "app.py:2:23: DG702 loads() in fwdlib 1.0.0 takes no keyword strct (did you mean strict?)"),
    ("from fwdlib import decoders\ndecoders.through_class('s', strict=True, verbose=True)\n",
     "app.py:2:42: DG702 decoders.through_class() in fwdlib 1.0.0 takes no keyword verbose"),
    ("from fwdlib.decoders import twice_removed\ntwice_removed('s', level=1, hok=print)\n",
     "app.py:2:29: DG702 twice_removed() in fwdlib 1.0.0 takes no keyword hok (did you mean hook?)"),
    # DG703: from-imports
    ("from minireq import get_all\n",
     "app.py:1:1: DG703 minireq 2.32.3: cannot import name get_all from minireq (did you mean get?)"),
    ("from movedlib.llms import OpenAI\n",
     "app.py:1:1: DG703 movedlib 0.3.0: cannot import name OpenAI from movedlib.llms (it is in movedlib_community.llms)"),
    ("from json import loadz\n", f"app.py:1:1: DG703 {PY}: cannot import name loadz from json (did you mean load?)"),
    # DG704: module imports
    ("import minireq.sesions\n",
     "app.py:1:1: DG704 minireq 2.32.3: no module named minireq.sesions (did you mean minireq.sessions?)"),
    ("from email.mime.textx import MIMEText\n",
     f"app.py:1:1: DG704 {PY}: no module named email.mime.textx (did you mean email.mime.text?)"),
]


@pytest.mark.parametrize(("code", "expected"), MUST_FLAG)
def test_must_flag(code: str, expected: str, api_venv: Path, api_cache: Path, tmp_path: Path,
                   monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    status, lines = run(tmp_path, api_venv, api_cache, code, monkeypatch, capsys)
    assert lines == [expected]
    assert status == 1


MUST_NOT_FLAG = {
    "existing names, inherited members, instance attributes": """
        import minireq
        from minireq import Session, get
        s = Session()
        s.close(); s.get_redirect_target(None); s.headers; s.adapter
        minireq.Session.__name__; minireq.adapters.HTTPAdapter
        get('u', {}, timeout=1)
        Session.get(s, 'u', None, 3)   # unbound: self passed explicitly
    """,
    "module __getattr__": "import minireq.lazy\nminireq.lazy.anything\n",
    "names a literal __getattr__ answers": "import minireq.compat\nminireq.compat.old_current\nminireq.compat.legacy\n",
    "a keyword of one overload, the TypedDict's keys": """
        from minireq.typed import fetch, configure
        fetch('u', 1, stream=True)
        configure('n', verify=False, cert='c')
    """,
    "names made through globals()": "import minireq.dynamic\nminireq.dynamic.alpha\n",
    "class __getattr__": "from minireq.dynamic import Proxy\nProxy().anything\n",
    "metaclass": "from minireq.dynamic import WithMeta\nWithMeta.anything\nWithMeta(1, 2)\n",
    "compiled module without stub": "import opaquemath\nopaquemath.anything()\n",
    "try/except ImportError": """
        try:
            from minireq import fast_client
        except ImportError:
            fast_client = None
    """,
    "TYPE_CHECKING": """
        from typing import TYPE_CHECKING
        if TYPE_CHECKING:
            from minireq import NotAtRuntime
            import minireq.nothere
    """,
    "version switch": """
        import sys
        if sys.version_info >= (3, 99):
            from json import future_loads
    """,
    "not installed": "import notinstalled_xyz\nfrom notinstalled_xyz import thing\nnotinstalled_xyz.anything\n",
    "rebound name": "import minireq\nminireq = object()\nminireq.anything\n",
    "parameter shadows the module": "import minireq\ndef f(minireq):\n    return minireq.anything\n",
    "attribute assigned by the file": "import minireq\nminireq.extra = 1\nprint(minireq.extra)\n",
    "instance attribute assigned by the file": "import minireq\ns = minireq.Session()\ns.custom = 1\ns.custom\n",
    "hasattr guard": "import minireq\nif hasattr(minireq, 'newer'):\n    minireq.newer()\n",
    "except AttributeError": "import minireq\ntry:\n    minireq.newer()\nexcept AttributeError:\n    pass\n",
    "function return value": "import minireq\nr = minireq.get('u')\nr.anything\n",
    "annotated parameter (a subclass may add it)": "from minireq import Session\ndef f(s: Session):\n    s.anything()\n",
    "**kwargs callee": "import minireq\nminireq.post('u', anything=1)\n",
    "star arguments": "import minireq\nminireq.get(*args)\nminireq.get('u', **opts)\n",
    "star import": "from minireq import *\nSession.close_all()\n",
    "relative import": "from . import sibling\nfrom .x import y\n",
    "json.loads: keywords it and JSONDecoder take; another decoder class": """
        import json
        json.loads('1', object_hook=dict, strict=False, object_pairs_hook=None)
        json.loads('1', cls=MyDecoder, encoding='utf-8')
        json.loads('1', encoding='utf-8', **options)
        json.dumps({}, sort_keys=True, default=str)
        json.load(open('f'), cls=MyDecoder, encoding='utf-8')
    """,
    "keywords passed on that the callees take": """
        import fwdlib
        from fwdlib.decoders import loads, twice_removed
        fwdlib.get('u', params={}, timeout=1, headers={})
        fwdlib.request('get', 'u', timeout=1)
        loads('s', strict=False)
        loads('s', hook=print, strict=True)
        twice_removed('s', level=2, strict=True)
    """,
    "**kwargs whose fate is not certain": """
        from fwdlib import api, decoders
        decoders.loads('s', cls=decoders.Loose, anything=1)
        decoders.load(open('f'), cls=decoders.Loose, anything=1)
        decoders.chosen('s', anything=1)
        decoders.preset(open('f'), anything=1)
        decoders.to_loose('s', anything=1)
        decoders.popping('s', anything=1)
        decoders.reading('s', anything=1)
        decoders.two_callees('s', anything=1)
        decoders.merged('s', anything=1)
        decoders.nested('s', anything=1)
        decoders.tolerant('s', anything=1)
        decoders.ping(1, anything=1)
        decoders.itself(1, anything=1)
        api.fetch('u', anything=1)
        api.quietly('u', anything=1)
        api.patched('u', anything=1)
        from fwdlib.sessions import Session, Proxied, AnyClient
        Session.get(Proxied(), 'u', anything=1)   # unbound: self may be a subclass instance
        Proxied().get('u', anything=1)            # Proxied.request takes **options
        AnyClient(anything=1)
        def handler(session: Session):
            session.get('u', anything=1)          # annotated: a subclass may override request
    """,
    "name bound twice": "import minireq\nif x:\n    s = minireq.Session()\nelse:\n    s = other()\ns.anything\n",
    "conditional def in the library": "from minireq.guarded import fast_parse\nfast_parse('x')\n",
    "syntax error is another hook's job": "def broken(:\n",
    # false alarms the real-world corpus once showed (enum.global_enum, 3.13's
    # collections.abc replacing itself in sys.modules, os re-exporting posix)
    "corpus regressions": """
        import os
        import re
        from collections.abc import Iterable, Callable
        re.compile("x", re.IGNORECASE | re.MULTILINE)
        os.system("true")
    """,
}


@pytest.mark.parametrize("case", sorted(MUST_NOT_FLAG))
def test_must_not_flag(case: str, api_venv: Path, api_cache: Path, tmp_path: Path,
                       monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    status, lines = run(tmp_path, api_venv, api_cache, MUST_NOT_FLAG[case], monkeypatch, capsys)
    assert lines == []
    assert status == 0


def test_a_local_module_shadows_an_installed_one(api_venv: Path, api_cache: Path, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    """At run time the repository's own `fastmath.py` is imported, not the installed one."""
    local, plain = tmp_path / "local", tmp_path / "plain"
    local.mkdir()
    plain.mkdir()
    (local / "fastmath.py").write_text("def sub(a, b):\n    return a - b\n")
    status, lines = run(local, api_venv, api_cache, "import fastmath\nfastmath.sub(1, 2)\n",
                        monkeypatch, capsys)
    assert (status, lines) == (0, [])
    status, lines = run(plain, api_venv, api_cache, "import fastmath\nfastmath.sub(1, 2)\n",
                        monkeypatch, capsys)
    assert status == 1 and "fastmath has no attribute sub" in lines[0]


@pytest.mark.parametrize("layout, shadows", [
    ({"fastmath/__init__.py": "def sub(a, b):\n    return a - b\n"}, True),  # a regular package
    ({"fastmath/helpers.py": ""}, False),  # a namespace portion: the installed package wins
    ({"fastmath": "not python\n"}, False),  # a file without a suffix is not a module
    ({"fastmath.txt": "def sub(a, b):\n    return a - b\n"}, False),
])
def test_which_entries_next_to_the_file_shadow_an_installed_module(
        layout: dict[str, str], shadows: bool, api_venv: Path, api_cache: Path, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    for name, text in layout.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    status, lines = run(tmp_path, api_venv, api_cache, "import fastmath\nfastmath.sub(1, 2)\n",
                        monkeypatch, capsys)
    if shadows:
        assert (status, lines) == (0, [])
    else:
        assert status == 1 and "fastmath has no attribute sub" in lines[0]


def test_a_module_added_next_to_a_cached_file_shadows_the_installed_one(
        api_venv: Path, api_cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """A file's cached findings depend on the modules next to it: `scripts/fastmath.py` added
    beside an unchanged `scripts/app.py` is what it imports from then on."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DRIFTGATE_CACHE_DIR", str(api_cache))
    (tmp_path / "scripts").mkdir()
    (tmp_path / "scripts" / "app.py").write_text("import fastmath\nfastmath.sub(1, 2)\n")
    argv = ["--python", venv_python(api_venv), "scripts/app.py"]
    assert hook.main(argv) == 1
    assert "fastmath has no attribute sub" in capsys.readouterr().out
    (tmp_path / "scripts" / "fastmath.py").write_text("def sub(a, b):\n    return a - b\n")
    for memo in (hook._LISTED, hook._NEXT_TO, hook._ENVIRONMENT_KEYS, hook._INDEX):
        memo.clear()  # directories are listed once per process: the next commit is a new one
    assert hook.main(argv) == 0
    assert capsys.readouterr().out == ""


def test_python_from_config_and_bad_interpreter(api_venv: Path, api_cache: Path, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DRIFTGATE_CACHE_DIR", str(api_cache))
    (tmp_path / "app.py").write_text("import minireq\nminireq.nope\n")
    (tmp_path / "pyproject.toml").write_text(
        f'[tool.driftgate.check-hallucinated-apis]\npython = "{api_venv.as_posix()}"\n')
    assert hook.main(["app.py"]) == 1
    assert capsys.readouterr().out.startswith("app.py:2:9: DG701 minireq 2.32.3:")
    assert hook.main(["--python", str(tmp_path / "no-such-python"), "app.py"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "no such interpreter" in err[0]


def test_not_utf8_and_empty_files_are_skipped(api_venv: Path, api_cache: Path, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DRIFTGATE_CACHE_DIR", str(api_cache))
    (tmp_path / "empty.py").write_text("")
    (tmp_path / "apis_latin1.py").write_bytes(b"import json\njson.dumpz('\xe9')\n")
    status = hook.main(["--python", venv_python(api_venv), "empty.py", "apis_latin1.py"])
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "Traceback" not in captured.err
    assert status in (0, 2)


def test_pre_commit_try_repo_reads_the_consumers_venv(
    api_venv: Path, tmp_path: Path, hook_repo: tuple[Path, str], pre_commit_home: Path
) -> None:
    """The consumer's own `.venv` (a real venv with the wheels installed by pip) is the
    environment checked, not pre-commit's isolated one (which pre-commit activates)."""
    from conftest import commit_all, init_repo, pre_commit_env

    consumer = init_repo(tmp_path / "consumer")
    subprocess.run([sys.executable, "-m", "venv", str(consumer / ".venv")], check=True)
    wheels = api_venv.parent / "wheels"
    subprocess.run([venv_python(consumer / ".venv"), "-m", "pip", "install", "-q", "--no-index",
                    "--find-links", str(wheels), "minireq==2.32.3"], check=True)
    (consumer / ".gitignore").write_text(".venv/\n")
    (consumer / "app.py").write_text("import minireq\nminireq.Session().close_all()\nminireq.get('u', timeout=1)\n")
    commit_all(consumer)
    env = {k: v for k, v in pre_commit_env(pre_commit_home).items() if k != "VIRTUAL_ENV"}
    env["DRIFTGATE_CACHE_DIR"] = str(tmp_path / "cache")
    repo, sha = hook_repo
    proc = subprocess.run(
        [sys.executable, "-m", "pre_commit", "try-repo", str(repo), "check-hallucinated-apis",
         "--ref", sha, "--all-files"],
        cwd=consumer, capture_output=True, text=True, env=env, timeout=600,
    )
    assert proc.returncode == 1, proc.stdout + proc.stderr
    findings = [line for line in proc.stdout.splitlines() if " DG7" in line]
    assert findings == [
        "app.py:2:19: DG701 minireq 2.32.3: Session object has no attribute close_all (did you mean close?)"
    ]


def test_readme_console_example_runs_as_shown(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    """The README's example, on the running interpreter (its version in place of 3.11)."""
    import re

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    section = readme.split("### check-hallucinated-apis", 1)[1]
    block = re.search(r"```console\n(.*?)```", section, re.S).group(1)  # type: ignore[union-attr]
    source = block.split("$ cat app.py\n", 1)[1].split("$ check-hallucinated-apis app.py\n", 1)
    expected = source[1].replace("Python 3.11", PY).splitlines()
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DRIFTGATE_CACHE_DIR", str(tmp_path / "cache"))
    (tmp_path / "app.py").write_text(source[0])
    assert hook.main(["--python", sys.executable, "app.py"]) == 1
    assert capsys.readouterr().out.splitlines() == expected


def test_warm_results_follow_the_environment(api_venv: Path, tmp_path: Path) -> None:
    """A warm run serves each unchanged file's findings from the cache, but upgrading a
    library in the project's venv (a real pip install) changes the answer at once."""
    import os

    from _apis_support import MINIREQ, make_wheel

    venv = tmp_path / "venv"
    wheels = api_venv.parent / "wheels"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    pip = [venv_python(venv), "-m", "pip", "install", "-q", "--no-index", "--disable-pip-version-check"]
    subprocess.run([*pip, "--find-links", str(wheels), "minireq==2.32.3"], check=True)
    project = tmp_path / "project"
    project.mkdir()
    (project / "app.py").write_text("import minireq\nminireq.Session().close_all()\n")
    env = {**os.environ, "DRIFTGATE_CACHE_DIR": str(tmp_path / "cache"),
           "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    env.pop("VIRTUAL_ENV", None)

    def check() -> list[str]:
        proc = subprocess.run([sys.executable, "-m", "hooks.check_hallucinated_apis", "--python", str(venv),
                               "app.py"], cwd=project, capture_output=True, text=True, env=env)
        assert proc.returncode in (0, 1), proc.stderr
        return proc.stdout.splitlines()

    first = check()
    assert len(first) == 1 and "close_all" in first[0]
    assert check() == first  # warm
    assert list((tmp_path / "cache").glob("files-v1/check-hallucinated-apis/*.json"))
    newer = dict(MINIREQ)
    sessions = str(MINIREQ["minireq/sessions.py"])
    newer["minireq/sessions.py"] = sessions.replace(
        "def close(self):", "def close_all(self):\n                return None\n\n            def close(self):")
    assert newer["minireq/sessions.py"] != sessions
    upgraded = make_wheel(tmp_path, "minireq", "2.33.0", newer)
    subprocess.run([*pip, str(upgraded)], check=True)
    assert check() == []


def test_a_warm_run_loads_no_parser_process_or_openssl_modules(
        api_venv: Path, api_cache: Path, tmp_path: Path) -> None:
    """Issue 11's warm bar is start-up: when every result comes from the per-file cache the
    hook imports neither its checker (with `ast`), `subprocess` (the interpreter's answer is
    cached), `hashlib` (OpenSSL) nor `typing`, and prints what the first run printed."""
    import os
    import time

    (tmp_path / "app.py").write_text("import minireq\nminireq.Session.close_all\n")
    past = time.time() - 60  # settled: the warm run matches it by its stat signature
    os.utime(tmp_path / "app.py", (past, past))
    probe = (
        "import sys\nfrom hooks.check_hallucinated_apis import main\ncode = main(sys.argv[1:])\n"
        "print(code, [m for m in ('ast', 'subprocess', 'hashlib', 'typing',"
        " 'hooks.check_hallucinated_apis._checker') if m in sys.modules], file=sys.stderr)\n"
    )
    env = {"PYTHONPATH": str(Path(hook.__file__).parents[2]), "PATH": os.environ["PATH"],
           "HOME": str(tmp_path), "DRIFTGATE_CACHE_DIR": str(api_cache)}
    runs = [subprocess.run([sys.executable, "-c", probe, "--python", venv_python(api_venv), "app.py"],
                           cwd=tmp_path, env=env, capture_output=True, text=True, check=False)
            for _ in range(2)]
    cold, warm = runs
    assert cold.stdout == warm.stdout and "DG701" in warm.stdout and "close_all" in warm.stdout, cold.stderr
    assert warm.stderr.splitlines()[-1] == "1 []", warm.stderr
    assert "hooks.check_hallucinated_apis._checker" in cold.stderr.splitlines()[-1]  # the cold run checked
