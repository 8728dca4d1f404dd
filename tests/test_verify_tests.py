"""verify-tests with real pytest runs on real git repositories: the tests a commit adds or
changes are run against the parent's code, in the interpreter given by --python (this test
run's own, which has pytest)."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from _testint_support import CODE_V1, dedent

from conftest import commit_all, git, write_files
from hooks import verify_tests as hook

PY = sys.executable
TESTS_V1 = "from pkg.calc import total\n\n\ndef test_total():\n    assert total([1, 2]) == 3\n"


def setup(repo: Path, tests: str = TESTS_V1, code: str = CODE_V1, extra: dict | None = None) -> str:
    files = {"pkg/__init__.py": "", "pkg/calc.py": code, "tests/test_calc.py": tests, **(extra or {})}
    write_files(repo, files)
    return commit_all(repo, "base")


def change(repo: Path, files: dict, message: str = "change") -> str:
    write_files(repo, {name: dedent(text) for name, text in files.items()})
    return commit_all(repo, message)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, list[str]]:
    status = hook.main([*argv, "--python", PY])
    return status, capsys.readouterr().out.splitlines()


def test_a_new_test_that_passes_on_the_parent_is_reported(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    start = setup(repo)
    sha = change(repo, {
        "pkg/calc.py": "def total(items):\n    return sum(items) if items else 0\n\n\ndef label(n):\n    return f'n={n}'\n",
        "tests/test_calc.py": TESTS_V1 + "\n\ndef test_total_of_nothing():\n    assert total([]) == 0\n",
    })
    status, lines = run(capsys, "--range", f"{start}..HEAD")
    assert status == 1
    assert lines == [
        f"{sha[:12]}:tests/test_calc.py:8:1: DG940 tests/test_calc.py::test_total_of_nothing passes on the parent "
        f"{sha[:12]}^ without the change to pkg/calc.py: it does not exercise the change; assert on what the change does"
    ]
    assert git(repo, "worktree", "list").count("\n") == 1, "the temporary worktree is removed"


def test_readme_example_has_this_shape(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    readme = (Path(hook.__file__).resolve().parents[1] / "README.md").read_text()
    shown = readme.split("$ verify-tests --range origin/main..HEAD\n", 1)[1].split("\n", 1)[0]
    start = setup(repo)
    sha = change(repo, {
        "pkg/calc.py": "def total(items):\n    return sum(items) * 1\n",
        "tests/test_calc.py": TESTS_V1 + "\ndef test_total_empty():\n    assert total([]) == 0\n",
    })
    _, lines = run(capsys, "--range", f"{start}..HEAD")
    assert lines == [shown.replace("5045f5c3ae06", sha[:12])]


def test_tests_that_need_the_change_are_quiet(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    start = setup(repo)
    change(repo, {
        "pkg/calc.py": "def total(items):\n    return sum(items) + 1\n\n\ndef double(items):\n    return 2 * sum(items)\n",
        "pkg/extra.py": "def f():\n    return 1\n",
        # a changed assertion that only holds with the change, a new test of a new function,
        # a new module that imports what the change adds
        "tests/test_calc.py": "from pkg.calc import total\n\n\ndef test_total():\n    assert total([1, 2]) == 4\n\n\ndef test_double():\n    from pkg.calc import double\n    assert double([1]) == 2\n",
        "tests/test_extra.py": "from pkg.extra import f\n\n\ndef test_f():\n    assert f() == 1\n",
    })
    assert run(capsys, "--range", f"{start}..HEAD") == (0, [])


def test_only_the_new_and_changed_node_ids_run(repo: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    marker = tmp_path / "unchanged-test-ran"
    unchanged = f"\n\ndef test_unchanged():\n    open({str(marker)!r}, 'w').close()\n    assert True\n"
    start = setup(repo, TESTS_V1 + unchanged)
    change(repo, {
        "pkg/calc.py": "def total(items):\n    return sum(items)  # same\n",
        "tests/test_calc.py": TESTS_V1 + unchanged + "\n\nclass TestMore:\n    def test_one(self):\n        assert total([1]) == 1\n\n\nimport pytest\n\n\n@pytest.mark.parametrize('n', [1, 2])\ndef test_param(n):\n    assert total([n]) == n\n",
    })
    status, lines = run(capsys, "--range", f"{start}..HEAD")
    assert status == 1
    assert [re.search(r"DG940 (\S+)", line).group(1) for line in lines] == [  # type: ignore[union-attr]
        "tests/test_calc.py::TestMore::test_one", "tests/test_calc.py::test_param",
    ]
    assert not marker.exists()


def test_a_parametrized_test_with_one_failing_case_exercises_the_change(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    start = setup(repo)
    change(repo, {
        "pkg/calc.py": "def total(items):\n    return sum(items) if items else -1\n",
        "tests/test_calc.py": TESTS_V1 + "\n\nimport pytest\n\n\n@pytest.mark.parametrize('items,expected', [([1], 1), ([], -1)])\ndef test_param(items, expected):\n    assert total(items) == expected\n",
    })
    assert run(capsys, "--range", f"{start}..HEAD") == (0, [])


def test_commits_without_code_changes_or_without_tests_are_not_run(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    start = setup(repo)
    change(repo, {"tests/test_calc.py": TESTS_V1 + "\n\ndef test_more():\n    assert total([]) == 0\n"}, "tests only")
    change(repo, {"pkg/calc.py": "def total(items):\n    return sum(items)  # code only\n"}, "code only")
    assert run(capsys, "--range", f"{start}..HEAD") == (0, [])


def test_parent_that_does_not_build_is_could_not_run(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    setup(repo)
    start = change(repo, {"pkg/calc.py": "def total(items) -> :\n    return sum(items)\n"}, "break it")
    sha = change(repo, {
        "pkg/calc.py": "def total(items):\n    return sum(items)\n",
        "tests/test_calc.py": TESTS_V1 + "\n\ndef test_empty():\n    assert total([]) == 0\n",
    }, "fix it")
    status, lines = run(capsys, "--range", f"{start}..HEAD")
    assert status == 1
    assert len(lines) == 1 and lines[0].startswith(
        f"{sha[:12]}:tests/test_calc.py:8:1: DG941 could not run 1 new or changed test(s) on the parent: the parent "
        "does not build: its own tests/test_calc.py fails to load: SyntaxError"
    ), lines


def test_broken_conftest_on_the_parent_is_could_not_run(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    setup(repo, extra={"conftest.py": "import pkg.missing_module\n"})
    start = git(repo, "rev-parse", "HEAD").strip()
    change(repo, {
        "pkg/calc.py": "def total(items):\n    return sum(items)  # v2\n",
        "tests/test_calc.py": TESTS_V1 + "\n\ndef test_empty():\n    assert total([]) == 0\n",
    })
    status, lines = run(capsys, "--range", f"{start}..HEAD")
    assert status == 1 and len(lines) == 1
    assert "DG941 could not run 1 new or changed test(s) on the parent: the parent does not build (pytest exit 4)" in lines[0]
    assert "No module named 'pkg.missing_module'" in lines[0]


def test_interpreter_without_pytest_is_could_not_run(repo: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    venv = tmp_path / "bare"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    start = setup(repo)
    change(repo, {
        "pkg/calc.py": "def total(items):\n    return sum(items)  # v2\n",
        "tests/test_calc.py": TESTS_V1 + "\n\ndef test_empty():\n    assert total([]) == 0\n",
    })
    status = hook.main(["--range", f"{start}..HEAD", "--python", str(venv)])
    lines = capsys.readouterr().out.splitlines()
    assert status == 1 and len(lines) == 1
    assert "DG941 could not run 1 new or changed test(s) on the parent: pytest is not installed in the project's interpreter" in lines[0]


def test_budget_is_shared_and_spent_commits_are_could_not_run(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    start = setup(repo)
    change(repo, {
        "pkg/calc.py": "def total(items):\n    return sum(items)  # v2\n",
        "tests/test_calc.py": TESTS_V1 + "\n\ndef test_slow():\n    import time\n    time.sleep(30)\n",
    }, "slow")
    change(repo, {
        "pkg/calc.py": "def total(items):\n    return sum(items)  # v3\n",
        "tests/test_calc.py": TESTS_V1 + "\n\ndef test_slow():\n    import time\n    time.sleep(30)\n\n\ndef test_other():\n    assert total([]) == 0\n",
    }, "after")
    status, lines = run(capsys, "--range", f"{start}..HEAD", "--budget", "3")
    assert status == 1 and len(lines) == 2
    assert "DG941 could not run 1 new or changed test(s) on the parent: the run took longer than" in lines[0]
    assert "DG941 not run: the time budget (3 s, --budget) ran out before this commit" in lines[1]


def test_pre_push_range_from_pre_commit_environment(repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    start = setup(repo)
    change(repo, {
        "pkg/calc.py": "def total(items):\n    return sum(items)  # v2\n",
        "tests/test_calc.py": TESTS_V1 + "\n\ndef test_empty():\n    assert total([]) == 0\n",
    })
    monkeypatch.setenv("PRE_COMMIT_FROM_REF", start)
    monkeypatch.setenv("PRE_COMMIT_TO_REF", "HEAD")
    status, lines = run(capsys)
    assert status == 1 and "DG940 tests/test_calc.py::test_empty" in lines[0]


def test_no_range_is_a_clear_error(repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("PRE_COMMIT_FROM_REF", "PRE_COMMIT_TO_REF", "PRE_COMMIT_REMOTE_NAME"):
        monkeypatch.delenv(name, raising=False)
    setup(repo)
    assert hook.main([]) == 2
    err = capsys.readouterr().err
    assert err.startswith("verify-tests: error: nothing to verify: pass --range A..B") and err.count("\n") == 1


def test_missing_interpreter_is_a_clear_error(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    start = setup(repo)
    change(repo, {"pkg/calc.py": "def total(items):\n    return sum(items)  # v2\n",
                  "tests/test_calc.py": TESTS_V1 + "\n\ndef test_empty():\n    assert total([]) == 0\n"})
    assert hook.main(["--range", f"{start}..HEAD", "--python", "/nonexistent/python"]) == 2
    assert "no such interpreter" in capsys.readouterr().err


def test_pre_commit_own_virtual_env_is_not_the_project_interpreter(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Under pre-commit, VIRTUAL_ENV names the hook's own environment (pre-commit sets it for
    `language: python`): the project's .venv must win."""
    from hooks._core.interpreter import discover

    venv = tmp_path / ".venv" / "bin"
    venv.mkdir(parents=True)
    python = venv / "python"
    python.write_text("#!/bin/sh\n")
    python.chmod(0o755)
    monkeypatch.setenv("VIRTUAL_ENV", sys.prefix)
    monkeypatch.setenv("PRE_COMMIT", "1")
    assert discover(str(tmp_path)) == (str(python), ".venv")
    monkeypatch.delenv("PRE_COMMIT")
    assert discover(str(tmp_path))[1] == ("VIRTUAL_ENV" if Path(sys.prefix, "bin", "python").exists() else ".venv")
