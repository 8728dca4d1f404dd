"""hooks._deps.parsecache (issue 15): setup.cfg's declarations and the configured source roots
are remembered between commits, and recomputed when a file they come from changes, when the
code that computes them changes, or when the saved entry is damaged. Each test runs the real
`driftgate run` in a fresh process (as each commit does) on a real git repository."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import commit_all, init_repo, write_files
from hooks._deps import parsecache

ROOT = Path(__file__).resolve().parents[1]
SETUP_CFG = "[metadata]\nname = webtool\n\n[options]\npackages = find:\ninstall_requires =\n    requests>=2.0\n"
UNDECLARED_YAML = "DG201 `yaml` is imported but not declared"


def _project(tmp_path: Path) -> Path:
    root = init_repo(tmp_path / "repo")
    write_files(root, {
        "setup.cfg": SETUP_CFG,
        "requirements.txt": "requests>=2.0\n",
        "webtool/__init__.py": "",
        "webtool/core.py": "import requests\nimport yaml\n\n\ndef get(url):\n    return requests.get(url)\n",
        "lib/yaml/__init__.py": "",  # a first-party `yaml` once lib/ is a configured source root
    })
    commit_all(root)
    return root


def _commit(root: Path, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    """`driftgate run` on a commit touching the code and requirements.txt (new content each time),
    printing after the findings whether configparser was imported."""
    for name in ("webtool/core.py", "requirements.txt"):
        with open(root / name, "a", encoding="utf-8") as handle:
            handle.write("# another commit\n")
    probe = (
        "import sys\nfrom hooks.cli import main\ncode = main(['run', '--offline', *sys.argv[1:]])\n"
        "print('configparser' in sys.modules, file=sys.stderr)\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("PIP_")}
    env.update(PYTHONPATH=str(ROOT), PIP_CONFIG_FILE=os.devnull, DRIFTGATE_CACHE_DIR=str(tmp_path / "cache"),
               HOME=str(tmp_path))
    return subprocess.run([sys.executable, "-c", probe, "webtool/core.py", "requirements.txt"], cwd=root,
                          env=env, capture_output=True, text=True, check=False)


def _entries(tmp_path: Path) -> list[Path]:
    return sorted((tmp_path / "cache" / f"parsed-v{parsecache.CACHE_FORMAT}").glob("*.json"))


def test_a_warm_commit_parses_no_ini_file(tmp_path: Path) -> None:
    root = _project(tmp_path)
    cold, warm = _commit(root, tmp_path), _commit(root, tmp_path)
    assert UNDECLARED_YAML in warm.stdout and cold.stdout == warm.stdout, cold.stdout + cold.stderr
    assert cold.stderr.splitlines()[-1] == "True"  # setup.cfg parsed once...
    assert warm.stderr.splitlines()[-1] == "False", warm.stderr  # ...then remembered
    assert [p.name.split("-")[0] for p in _entries(tmp_path)] == ["manifest", "roots"]


def test_an_edited_setup_cfg_is_read_again(tmp_path: Path) -> None:
    root = _project(tmp_path)
    assert UNDECLARED_YAML in _commit(root, tmp_path).stdout and _entries(tmp_path)
    (root / "setup.cfg").write_text(SETUP_CFG + "    PyYAML\n")  # now declared
    after = _commit(root, tmp_path)
    assert UNDECLARED_YAML not in after.stdout and after.stderr.splitlines()[-1] == "True", after.stdout + after.stderr


def test_a_new_source_root_in_pytest_ini_is_seen(tmp_path: Path) -> None:
    root = _project(tmp_path)
    assert UNDECLARED_YAML in _commit(root, tmp_path).stdout and _entries(tmp_path)
    (root / "pytest.ini").write_text("[pytest]\npythonpath = lib\n")  # lib/yaml is first-party now
    assert UNDECLARED_YAML not in _commit(root, tmp_path).stdout
    (root / "pytest.ini").unlink()
    assert UNDECLARED_YAML in _commit(root, tmp_path).stdout


def test_damaged_entries_are_misses(tmp_path: Path) -> None:
    root = _project(tmp_path)
    first = _commit(root, tmp_path)
    assert len(_entries(tmp_path)) == 2
    for garbage in ("{not json", '{"key": 1, "value": []}', "[" * 100_000):
        for entry in _entries(tmp_path):
            entry.write_text(garbage)
        again = _commit(root, tmp_path)
        assert again.stdout == first.stdout and again.returncode == first.returncode, again.stderr
    # an entry whose key matches but whose value has the wrong shape is a miss too
    for entry in _entries(tmp_path):
        text = entry.read_text()
        entry.write_text(text.split('"value":')[0] + '"value": [[1, 2]]}')
    again = _commit(root, tmp_path)
    assert again.stdout == first.stdout and again.stderr.splitlines()[-1] == "True", again.stderr


def test_remembered_follows_inputs_and_code(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DRIFTGATE_CACHE_DIR", str(tmp_path / "cache"))
    code = tmp_path / "parser.py"
    code.write_text("# v1\n")
    calls: list[int] = []

    def compute() -> list[str]:
        calls.append(1)
        return ["x"]

    def ask(inputs: list[bytes | None]) -> list[str]:
        return parsecache.remembered("test", "cfg", inputs, str(code), compute, list, list)

    assert ask([b"a", None]) == ["x"] and ask([b"a", None]) == ["x"] and len(calls) == 1
    ask([b"b", None])  # another content
    ask([None, b"a"])  # the same bytes in another file
    code.write_text("# v2, edited\n")  # the parser's code changed
    ask([None, b"a"])
    assert len(calls) == 4
    # inputs that could not be read whole: computed, never remembered
    assert parsecache.remembered("test", "cfg", None, str(code), compute, list, list) == ["x"] and len(calls) == 5
