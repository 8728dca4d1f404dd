"""check-nesting through real `pre-commit try-repo`, as a consumer repository runs it."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import commit_all, init_repo, run_pre_commit

FINDING_LINE = re.compile(r"^\S+:\d+:\d+: DG\d{3} .+$")

DEEP = (
    "def deep_{n}(x):\n"
    "    for a in x:\n"
    "        if a:\n"
    "            while a:\n"
    "                with a:\n"
    "                    if x:\n"
    "                        pass\n"
)


def finding_lines(output: str) -> list[str]:
    return sorted(line for line in output.splitlines() if FINDING_LINE.match(line))


@pytest.fixture
def consumer(tmp_path: Path) -> Path:
    """12 tracked Python files, 6 of them too deep: enough that pre-commit splits them."""
    path = init_repo(tmp_path / "consumer")
    for n in range(12):
        body = DEEP.format(n=n) if n % 2 == 0 else f"def shallow_{n}():\n    return {n}\n"
        (path / f"mod_{n:02d}.py").write_text(body)
    (path / "README.txt").write_text("not python\n")
    commit_all(path)
    return path


def try_repo(consumer: Path, home: Path, hook_repo: tuple[Path, str], *args: str):
    repo_path, sha = hook_repo
    return run_pre_commit(consumer, home, "try-repo", str(repo_path), "check-nesting", "--ref", sha, *args)


def test_split_across_parallel_processes_reports_every_file(
    consumer: Path, pre_commit_home: Path, hook_repo: tuple[Path, str]
) -> None:
    from pre_commit import xargs

    files = sorted(p.name for p in consumer.glob("*.py"))
    # the precondition of this test: pre-commit will run at least two processes for these files
    assert xargs.cpu_count() >= 2, "this test needs 2 cores to make pre-commit split the files"
    assert len(xargs.partition(("check-nesting",), files, xargs.cpu_count())) >= 2

    proc = try_repo(consumer, pre_commit_home, hook_repo, "--all-files")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert finding_lines(proc.stdout) == [
        f"mod_{n:02d}.py:6:21: DG501 `deep_{n}` nests blocks 5 deep (max 4): for > if > while > with > if"
        for n in range(0, 12, 2)
    ]
    assert "Traceback" not in proc.stdout + proc.stderr


def test_every_process_reads_the_consumer_config(
    consumer: Path, pre_commit_home: Path, hook_repo: tuple[Path, str]
) -> None:
    (consumer / "pyproject.toml").write_text("[tool.driftgate.check-nesting]\nmax-depth = 5\n")
    commit_all(consumer)
    proc = try_repo(consumer, pre_commit_home, hook_repo, "--all-files")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert finding_lines(proc.stdout) == []
    assert re.search(r"check-nesting.*Passed", proc.stdout)


def test_config_typo_fails_the_hook_with_one_clear_line(
    consumer: Path, pre_commit_home: Path, hook_repo: tuple[Path, str]
) -> None:
    (consumer / "pyproject.toml").write_text("[tool.driftgate.check-nesting]\nmax_depth = 5\n")
    commit_all(consumer)
    proc = try_repo(consumer, pre_commit_home, hook_repo, "--files", "mod_00.py")
    assert proc.returncode == 1
    assert "check-nesting: error: pyproject.toml [tool.driftgate.check-nesting]: unknown key `max_depth`" in proc.stdout
    assert "Traceback" not in proc.stdout


def test_args_from_the_consumer_hook_config(
    consumer: Path, pre_commit_home: Path, hook_repo: tuple[Path, str]
) -> None:
    repo_path, sha = hook_repo
    (consumer / ".pre-commit-config.yaml").write_text(
        "repos:\n"
        f"  - repo: {repo_path}\n"
        f"    rev: {sha}\n"
        "    hooks:\n"
        "      - id: check-nesting\n"
        "        args: [--max-depth=2, --report=block]\n"
    )
    commit_all(consumer)
    proc = run_pre_commit(consumer, pre_commit_home, "run", "check-nesting", "--files", "mod_02.py", "mod_03.py")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert finding_lines(proc.stdout) == [
        "mod_02.py:4:13: DG501 `deep_2` nests blocks 3 deep (max 2): for > if > while"
    ]
