from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Iterator, Mapping

import pytest

PROJECT_ROOT = Path(__file__).resolve().parent.parent

# A function nested five blocks deep: check-nesting reports it once, at line 6, column 21.
DEEP = (
    "def deep(x):\n"
    "    for a in x:\n"
    "        for b in a:\n"
    "            for c in b:\n"
    "                for d in c:\n"
    "                    if d:\n"
    "                        pass\n"
)


def git(cwd: Path | str, *args: str) -> str:
    proc = subprocess.run(
        ["git", *args], cwd=cwd, capture_output=True, text=True, check=False
    )
    if proc.returncode != 0:
        raise AssertionError(f"git {' '.join(args)} failed: {proc.stderr}")
    return proc.stdout


def write_files(root: Path, files: Mapping[str, str | bytes]) -> None:
    """Write each relative path's text (UTF-8) or bytes under `root`, making its folders."""
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")


def init_repo(path: Path, name: str = "Test User", email: str = "test@example.invalid") -> Path:
    path.mkdir(parents=True, exist_ok=True)
    git(path, "init", "-q", "-b", "main")
    git(path, "config", "user.name", name)
    git(path, "config", "user.email", email)
    git(path, "config", "commit.gpgsign", "false")
    return path


def commit_all(path: Path, message: str = "commit") -> str:
    git(path, "add", "-A")
    git(path, "commit", "-q", "--no-verify", "-m", message)
    return git(path, "rev-parse", "HEAD").strip()


@contextlib.contextmanager
def working_directory(path: Path) -> Iterator[Path]:
    old = os.getcwd()
    os.chdir(path)
    try:
        yield path
    finally:
        os.chdir(old)


@pytest.fixture(autouse=True)
def _fresh_hook_process_state() -> Iterator[None]:
    """Each test runs hooks as a fresh process would: what the core remembers per process
    (files already reported as skipped, files too new to parse, the project's target Python)
    must not leak from one test's run into the next."""
    from hooks._core import files, pyversion

    files._reported_undecodable.clear()
    files._too_new.clear()
    pyversion._cache.clear()
    yield


@pytest.fixture
def repo(tmp_path: Path) -> Iterator[Path]:
    """An empty git repository with a committer identity, as the cwd."""
    with working_directory(init_repo(tmp_path / "repo")) as path:
        yield path


@pytest.fixture
def in_tmp(tmp_path: Path) -> Iterator[Path]:
    """tmp_path as the cwd, not a git repository (pre-commit runs hooks from the root)."""
    with working_directory(tmp_path) as path:
        yield path


@pytest.fixture(scope="session")
def hook_repo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """This project as a committed git repo of its own, for `pre-commit try-repo`.

    try-repo ignores untracked files, so the copy is made from the files git tracks here plus
    any new files in the work tree, all added and committed in the copy.
    """
    dest = tmp_path_factory.mktemp("hook-repo") / "driftgate"
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=PROJECT_ROOT, capture_output=True, text=True, check=True,
    ).stdout.split("\0")
    for name in filter(None, listed):
        src = PROJECT_ROOT / name
        if src.is_file():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / name)
    init_repo(dest)
    return dest, commit_all(dest, "driftgate under test")


@pytest.fixture(scope="session")
def pre_commit_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One isolated PRE_COMMIT_HOME per test session, so hook envs are built once."""
    return tmp_path_factory.mktemp("pre-commit-home")


def pre_commit_env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PRE_COMMIT", "SKIP"))}
    env["PRE_COMMIT_HOME"] = str(home)
    env["PRE_COMMIT_COLOR"] = "never"
    return env


def run_pre_commit(cwd: Path, home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", *args],
        cwd=cwd, capture_output=True, text=True, env=pre_commit_env(home), timeout=600,
    )
