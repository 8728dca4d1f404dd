"""Real git repositories for the provenance tests: helpers to build them and an
environment that keeps the developer's own git config and agent markers out."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

HASH = "sha256:" + "ab" * 32
COMPLETE = f"Agent-Run-Id: run-1\nAgent-Model: claude-opus-4\nAgent-Prompt-Hash: {HASH}\n"


def isolate_env(monkeypatch, tmp_path: Path) -> None:
    """No global/system git config, no inherited agent run or pre-commit variables."""
    empty = tmp_path / "empty.gitconfig"
    empty.write_text("")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(empty))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for name in list(os.environ):
        if name.startswith(
            ("DRIFTGATE_", "PRE_COMMIT_", "GIT_AUTHOR_", "GIT_COMMITTER_")
        ) or name in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"):
            monkeypatch.delenv(name, raising=False)


def git(cwd: Path, *args: str, env: dict[str, str] | None = None) -> str:
    proc = subprocess.run(
        ["git", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
    )
    assert proc.returncode == 0, f"git {' '.join(args)}: {proc.stderr}"
    return proc.stdout


def make_repo(path: Path) -> Path:
    """A repository whose committer is a human, as the provenance tables expect."""
    from conftest import init_repo

    return init_repo(path, "Hana Human", "hana@example.test")


def commit(
    repo: Path, message: str, files: dict[str, str] | None = None, author: str | None = None
) -> str:
    """Commit `files` (default: one new file) with `message` verbatim; return the full sha."""
    if files is None:
        count = len(list(repo.glob("file*.txt")))
        files = {f"file{count}.txt": f"content {count}\n"}
    for name, text in files.items():
        target = repo / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text)
        git(repo, "add", name)
    args = ["commit", "-q", "--cleanup=verbatim", "-F", "-"]
    if author:
        args.append(f"--author={author}")
    proc = subprocess.run(["git", *args], cwd=repo, input=message, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    return git(repo, "rev-parse", "HEAD").strip()
