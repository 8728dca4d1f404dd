"""check-agent-leftovers: the must-flag / must-not-flag tables (tests/_leftover_cases.py)
through the command line, the per-rule switches, and "added by the commit" against a real
staged diff in a real git repository."""
from __future__ import annotations

from pathlib import Path

import pytest

from _leftover_cases import CHANGEME, MUST_FLAG, MUST_NOT_FLAG, Case
from conftest import commit_all, git, init_repo, run_pre_commit, write_files
from hooks.check_agent_leftovers import main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, list[str], str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out.splitlines(), err


@pytest.mark.parametrize("case", MUST_FLAG, ids=[c.name for c in MUST_FLAG])
def test_must_flag(case: Case, in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_files(in_tmp, {case.path: case.text})
    code, out, err = run(capsys, "--scope", "all", case.path)
    assert code == 1, (out, err)
    prefix = f"{case.path}:{case.line}:" if case.line else f"{case.path}:"
    assert [line for line in out if line.startswith(prefix) and f" {case.code} " in line and case.needle in line], out


@pytest.mark.parametrize("case", MUST_NOT_FLAG, ids=[c.name for c in MUST_NOT_FLAG])
def test_must_not_flag(case: Case, in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_files(in_tmp, {case.path: case.text})
    assert run(capsys, "--scope", "all", case.path) == (0, [], "")


def test_planted_set_is_large_enough() -> None:
    assert len(MUST_FLAG) >= 40
    assert {c.code for c in MUST_FLAG} == {"DG851", "DG852", "DG853", "DG854", "DG855"}


def test_exact_output_names_the_rule(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_files(in_tmp, {"billing.py": "def charge(card):\n    pass\n\n\nURL = 'https://api.example.com/v1'\n"})
    code, out, _ = run(capsys, "billing.py")
    assert code == 1
    assert out == [
        "billing.py:1:1: DG851 stub-bodies: `charge` is a stub (its body is only `pass`): the work it stands for "
        "was not done; implement it, delete it, or mark it @abstractmethod/@overload if it is an interface",
        "billing.py:5:7: DG853 placeholder-values: an example.com endpoint 'https://api.example.com/v1' is used by "
        "the program: it fails (or is insecure) at run time; read the real value from configuration or the "
        "environment and fail loudly when it is missing",
    ]


@pytest.mark.parametrize(("key", "code"), [
    ("stub-bodies", "DG851"), ("placeholder-comments", "DG852"), ("placeholder-values", "DG853"),
    ("silenced-failures", "DG854"), ("blanket-suppressions", "DG855"),
])
def test_each_rule_can_be_switched_off(key: str, code: str, in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = (
        "def todo():\n    pass\n"
        "x = 1  # TODO: implement\n"
        f"PASSWORD = '{CHANGEME}'\n"
        "try:\n    todo()\nexcept Exception:\n    pass\n"
        "import os  # noqa\n"
    )
    write_files(in_tmp, {"m.py": source})
    _, out, _ = run(capsys, "--scope", "all", "m.py")
    assert sorted({line.split(" ")[1] for line in out}) == ["DG851", "DG852", "DG853", "DG854", "DG855"]
    write_files(in_tmp, {"pyproject.toml": f"[tool.driftgate.check-agent-leftovers]\n{key} = false\n"})
    _, out, _ = run(capsys, "--scope", "all", "m.py")
    assert code not in {line.split(" ")[1] for line in out} and len({line.split(" ")[1] for line in out}) == 4
    _, out, _ = run(capsys, "--scope", "all", f"--{key}", "m.py")  # the flag overrides the file
    assert code in {line.split(" ")[1] for line in out}


def test_bad_config_value_is_one_line_exit_2(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_files(in_tmp, {"pyproject.toml": '[tool.driftgate.check-agent-leftovers]\nstub-bodies = "no"\n', "m.py": "x = 1\n"})
    code, out, err = run(capsys, "m.py")
    assert code == 2 and out == [] and len(err.splitlines()) == 1
    assert "`stub-bodies` must be true or false" in err


def test_staged_scope_reports_only_what_the_commit_adds(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    old = "def load():\n    try:\n        read()\n    except Exception:\n        pass\n\nimport os  # noqa\n"
    write_files(repo, {"app.py": old})
    commit_all(repo)
    new = old + "\n\ndef save():\n    try:\n        write()\n    except Exception:\n        pass\n\nimport sys  # noqa\n"
    write_files(repo, {"app.py": new})
    git(repo, "add", "app.py")
    code, out, _ = run(capsys, "--scope", "staged", "app.py")
    assert code == 1
    assert [line.split(" ")[0] + " " + line.split(" ")[1] for line in out] == ["app.py:13:5: DG854", "app.py:16:13: DG855"]
    # scope all (what auto means outside pre-commit): every silenced failure of the file
    code, out, _ = run(capsys, "--scope", "all", "app.py")
    assert [line.split(" ")[1] for line in out] == ["DG854", "DG855", "DG854", "DG855"]


def test_staged_scope_reports_an_old_handler_around_changed_code(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`except Exception: pass` around the changed code: the commit edits the `try` body."""
    write_files(repo, {"app.py": "def load():\n    try:\n        read()\n    except Exception:\n        pass\n\n\nx = 1\n"})
    commit_all(repo)
    write_files(repo, {"app.py": "def load():\n    try:\n        read(strict=True)\n    except Exception:\n        pass\n\n\nx = 2\n"})
    git(repo, "add", "app.py")
    code, out, _ = run(capsys, "--scope", "staged", "app.py")
    assert code == 1 and [line.split(" ")[0] for line in out] == ["app.py:4:5:"]
    # a change elsewhere in the file leaves the old handler alone
    write_files(repo, {"app.py": "def load():\n    try:\n        read()\n    except Exception:\n        pass\n\n\nx = 3\n"})
    git(repo, "add", "app.py")
    assert run(capsys, "--scope", "staged", "app.py") == (0, [], "")


def test_driftgate_scan_reports_every_silenced_failure(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from hooks import cli

    monkeypatch.delenv("PRE_COMMIT", raising=False)  # scope auto: everything outside pre-commit
    repo = init_repo(tmp_path / "r")
    write_files(repo, {"a.py": "try:\n    f()\nexcept Exception:\n    pass\n", "tests/test_a.py": "def helper():\n    pass\n"})
    commit_all(repo)
    code = cli.main(["scan", str(repo), "--hook", "check-agent-leftovers"])
    out = capsys.readouterr().out.splitlines()
    assert code == 1 and [" ".join(line.split(" ")[:2]) for line in out] == ["a.py:3:1: DG854"]


def test_staged_scope_new_untracked_path_and_rename(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_files(repo, {"a.py": "x = 1\n"})
    commit_all(repo)
    write_files(repo, {"new dir/b.py": "try:\n    f()\nexcept:\n    pass\n"})
    git(repo, "add", "-A")
    code, out, _ = run(capsys, "--scope", "staged", "new dir/b.py", "a.py")
    assert out and out[0].startswith("new dir/b.py:3:1: DG854 ")


def test_staged_scope_outside_git_is_exit_2(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_files(in_tmp, {"m.py": "try:\n    f()\nexcept:\n    pass\n"})
    code, out, err = run(capsys, "--scope", "staged", "m.py")
    assert code == 2 and out == [] and len(err.splitlines()) == 1 and "git" in err


def test_undecodable_and_binary_files(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (in_tmp / "bad.py").write_bytes(b"x = '\xff'\n")
    (in_tmp / "bin.js").write_bytes(b"\0\0\0")
    code, out, err = run(capsys, "bad.py", "bin.js")
    assert (code, out) == (0, []) and err.startswith("driftgate: bad.py: skipped, not valid UTF-8")


def test_suppression_comment(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_files(in_tmp, {"m.py": "def a():  # driftgate: ignore[DG851]\n    pass\ndef b():\n    pass\n"})
    _, out, _ = run(capsys, "m.py")
    assert [line.split(":")[1] for line in out] == ["3"]


def test_pre_commit_try_repo_reports_only_added_silenced_failures(
    tmp_path: Path, hook_repo: tuple[Path, str], pre_commit_home: Path
) -> None:
    """Real `pre-commit try-repo`: pre-commit sets PRE_COMMIT, so scope `auto` is the staged diff."""
    repo_path, sha = hook_repo
    consumer = init_repo(tmp_path / "consumer")
    write_files(consumer, {"old.py": "try:\n    f()\nexcept Exception:\n    pass\n"})
    commit_all(consumer)
    write_files(consumer, {
        "old.py": "try:\n    f()\nexcept Exception:\n    pass\nx = 1\n",
        "pay.py": "def charge(card):\n    pass\n\ntry:\n    g()\nexcept:\n    pass\n",
    })
    git(consumer, "add", "-A")
    proc = run_pre_commit(consumer, pre_commit_home, "try-repo", str(repo_path), "check-agent-leftovers", "--ref", sha)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "check-agent-leftovers (driftgate)" in proc.stdout
    findings = sorted(" ".join(line.split(" ")[:2]) for line in proc.stdout.splitlines() if ": DG85" in line)
    assert findings == ["pay.py:1:1: DG851", "pay.py:6:1: DG854"]
    assert "Traceback" not in proc.stdout + proc.stderr


def test_readme_example_runs_as_shown(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import re
    import shlex

    from conftest import PROJECT_ROOT

    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("### check-agent-leftovers\n", 1)[1].split("\n### ", 1)[0]
    (source,) = re.findall(r"^```python\n(.*?)^```", section, flags=re.S | re.M)
    (console,) = re.findall(r"^```console\n(.*?)^```", section, flags=re.S | re.M)
    (in_tmp / source.splitlines()[0].removeprefix("# ")).write_text(source, encoding="utf-8")
    command, *expected = console.splitlines()
    code, out, _ = run(capsys, *shlex.split(command.removeprefix("$ "))[1:])
    assert out == expected and code == 1
