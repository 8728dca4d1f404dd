"""Both dependency hooks through real `pre-commit try-repo`, as a consumer repository runs
them: pre-commit builds the hook environment from this project, passes the files, and the
hooks read their index from the consumer's [tool.driftgate] (a `pypiserver` on loopback)."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Iterator

import pytest

from _deps_support import make_wheel, pypiserver

ROOT = Path(__file__).resolve().parent.parent


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True).stdout


def commit_all(path: Path) -> str:
    git(path, "add", "-A")
    git(path, "-c", "user.name=t", "-c", "user.email=t@example.invalid", "-c", "commit.gpgsign=false",
        "commit", "-q", "--no-verify", "-m", "x")
    return git(path, "rev-parse", "HEAD").strip()


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """This project as its own committed repo (try-repo ignores untracked files)."""
    dest = tmp_path_factory.mktemp("hook-repo") / "driftgate"
    listed = git(ROOT, "ls-files", "-z", "--cached", "--others", "--exclude-standard").split("\0")
    for name in filter(None, listed):
        if (ROOT / name).is_file():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, dest / name)
    git(dest, "init", "-q")
    return dest, commit_all(dest)


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    packages = tmp_path_factory.mktemp("pkgs")
    for version in ("1.0.0", "1.1.0"):
        make_wheel(str(packages), "fresh-lib", version)
    with pypiserver(str(packages)) as server:
        yield server.url


def test_both_hooks_through_pre_commit_try_repo(
    hook_repo: tuple[Path, str], index: str, tmp_path: Path
) -> None:
    consumer = tmp_path / "consumer"
    consumer.mkdir()
    git(consumer, "init", "-q")
    (consumer / "requirements.txt").write_text("fresh-lib>=1\nghost-dep-xyz\n")
    (consumer / "pyproject.toml").write_text(
        f'[tool.driftgate.check-hallucinated-deps]\nindex-url = "{index}"\npublic-index-url = "{index}"\n'
        f'[tool.driftgate.check-undeclared-imports]\nindex-url = "{index}"\n'
    )
    (consumer / "app.py").write_text("import fresh_lib\nimport ghost_module_xyz\n")
    commit_all(consumer)
    # pre-commit's own environment build uses this machine's pip configuration as is
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PRE_COMMIT", "SKIP"))}
    env.update(PRE_COMMIT_HOME=str(tmp_path / "pc-home"), PRE_COMMIT_COLOR="never",
               DRIFTGATE_CACHE_DIR=str(tmp_path / "cache"))
    repo, sha = hook_repo
    outputs = {}
    for hook_id in ("check-hallucinated-deps", "check-undeclared-imports"):
        proc = subprocess.run(
            [sys.executable, "-m", "pre_commit", "try-repo", str(repo), hook_id, "--ref", sha, "--all-files"],
            cwd=consumer, capture_output=True, text=True, env=env, timeout=600,
        )
        assert proc.returncode == 1, proc.stdout + proc.stderr
        outputs[hook_id] = [line for line in proc.stdout.splitlines() if " DG" in line]
    assert [line.split(" (")[0] for line in outputs["check-hallucinated-deps"]] == [
        "requirements.txt:2:1: DG101 `ghost-dep-xyz` is not on the index"
    ]
    assert outputs["check-undeclared-imports"] == [  # fresh_lib: declared in requirements.txt
        "app.py:2:1: DG202 `ghost_module_xyz` is imported but no distribution provides it (not installed, "
        "not on the index): likely hallucinated",
    ]
