"""Code written for a newer Python than the one running the hooks (issue 16): a parse failure
in a project that targets a newer Python is not a finding; it is reported once per run on
stderr with the fix, and fails the run only under --strict."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

from conftest import write_files
from hooks import check_env_vars, check_nesting, cli
from hooks._core import pyversion

RUNNING = f"{sys.version_info[0]}.{sys.version_info[1]}"
NEXT = f"3.{sys.version_info[1] + 1}"

# PEP 695 generics and a PEP 701 f-string (same quotes nested): valid from Python 3.12 on
PY312_CODE = '''
class Loader[T]:
    def load(self, key: T) -> T:
        return key


def label(row: dict) -> str:
    return f"{row["name"]}"
'''


def _project(root: Path, pyproject: str, files: dict[str, str]) -> None:
    write_files(root, {"pyproject.toml": pyproject, **files})


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="the 3.12 syntax parses on this interpreter")
def test_pep695_and_pep701_code_is_not_a_syntax_error_when_the_project_requires_312(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _project(repo, '[project]\nname = "app"\nrequires-python = ">=3.12"\n', {"app/loaders.py": PY312_CODE})
    assert check_nesting.main(["app/loaders.py"]) == 0
    out, err = capsys.readouterr()
    assert "DG500" not in out
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "1 file(s) not checked (app/loaders.py)" in lines[0]
    assert f"do not parse on Python {RUNNING}" in lines[0]
    assert 'requires-python = ">=3.12" in pyproject.toml' in lines[0]
    assert "language_version: python3.12" in lines[0]


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="the 3.12 syntax parses on this interpreter")
def test_scan_says_it_once_for_every_hook_that_parses_python(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _project(
        repo, '[project]\nname = "app"\nrequires-python = ">=3.12,<3.13"\n',
        {"app/a.py": PY312_CODE + "import os\nX = os.environ['X']\n", "app/b.py": PY312_CODE},
    )
    from conftest import commit_all

    commit_all(repo)
    assert cli.main(["scan", ".", "--skip", "check-hallucinated-deps", "--skip", "check-undeclared-imports"]) == 0
    out, err = capsys.readouterr()
    assert out == ""
    assert err.count("not checked") == 1, err
    assert "2 file(s) not checked (app/a.py, app/b.py)" in err
    assert "skipped, not valid Python" not in err  # check-env-vars no longer says it per file


def test_any_parse_failure_is_deferred_when_the_target_is_newer(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _project(repo, f'[project]\nname = "app"\nrequires-python = ">={NEXT}"\n', {"new.py": "def f(:\n    pass\n"})
    assert check_nesting.main(["new.py"]) == 0
    out, err = capsys.readouterr()
    assert out == ""
    assert f"the project targets Python {NEXT}" in err


def test_strict_fails_the_run_on_files_it_could_not_check(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _project(repo, f'[project]\nname = "app"\nrequires-python = ">={NEXT}"\n', {"new.py": "def f(:\n    pass\n"})
    assert check_nesting.main(["--strict", "new.py"]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith("check-nesting: error: 1 file(s) not checked (new.py)")
    assert err.rstrip().endswith("or drop --strict to skip them")


def test_strict_from_the_config_file(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _project(
        repo, f'[project]\nname = "app"\nrequires-python = ">={NEXT}"\n\n[tool.driftgate.check-nesting]\nstrict = true\n',
        {"new.py": "def f(:\n    pass\n"},
    )
    assert check_nesting.main(["new.py"]) == 2
    assert "not checked" in capsys.readouterr().err


def test_a_syntax_error_in_a_project_for_this_python_is_still_dg500(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _project(repo, '[project]\nname = "app"\nrequires-python = ">=3.9"\n', {"bad.py": "def f(:\n    pass\n"})
    assert check_nesting.main(["bad.py"]) == 1
    out, err = capsys.readouterr()
    assert out.startswith("bad.py:1:7: DG500 syntax error")
    assert "not checked" not in err


def test_a_project_without_any_target_keeps_dg500(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_files(repo, {"bad.py": "def f(:\n    pass\n"})
    assert check_nesting.main(["bad.py"]) == 1
    assert "DG500" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("files", "where"),
    [
        ({"pyproject.toml": f'[tool.ruff]\ntarget-version = "py3{sys.version_info[1] + 1}"\n'}, "[tool.ruff] target-version"),
        ({".python-version": f"{NEXT}.1\n"}, f"{NEXT}.1 in .python-version"),
    ],
)
def test_ruff_target_version_and_python_version_file(
    repo: Path, capsys: pytest.CaptureFixture[str], files: dict[str, str], where: str
) -> None:
    write_files(repo, {**files, "new.py": "def f(:\n    pass\n"})
    assert check_nesting.main(["new.py"]) == 0
    assert where in capsys.readouterr().err


def test_check_env_vars_is_silent_on_the_file_too(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _project(repo, f'[project]\nname = "app"\nrequires-python = ">={NEXT}"\n', {"new.py": "import os\nX = os.environ['X'\n"})
    assert check_env_vars.main(["new.py"]) == 0
    out, err = capsys.readouterr()
    assert out == ""
    assert "skipped" not in err
    assert "1 file(s) not checked (new.py)" in err


@pytest.mark.skipif(sys.platform != "linux", reason="forked workers run on Linux only")
def test_files_deferred_in_forked_workers_are_still_reported(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A directory of more than 1 MiB is split across worker processes; their deferred files
    must reach the parent's one stderr line."""
    body = "x = 1\n" * 120_000  # about 720 KB per file
    _project(
        repo, f'[project]\nname = "app"\nrequires-python = ">={NEXT}"\n',
        {"pkg/a.py": body + "def f(:\n", "pkg/b.py": body + "def g(:\n"},
    )
    assert check_nesting.main(["pkg"]) == 0
    assert "2 file(s) not checked (pkg/a.py, pkg/b.py)" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("spec", "lowest"),
    [(">=3.12", (3, 12)), (">=3.12,<3.13", (3, 12)), ("~=3.10.2", (3, 10)), ("==3.11.*", (3, 11)), (">3.9", (3, 9)), ("not a spec", None)],
)
def test_lowest_allowed_python(spec: str, lowest: tuple[int, int] | None) -> None:
    assert pyversion._lowest_allowed(spec) == lowest
