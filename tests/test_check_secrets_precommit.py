"""check-secrets through the real `pre-commit try-repo`: pre-commit builds the hook's own
virtualenv from this project (installing detect-secrets from the package index through pip)
and runs it on a consumer repository's staged files."""
from __future__ import annotations

import os
import random
import shutil
import subprocess
import sys

import _secrets_support as fakes
import pytest

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def git(cwd, *args: str) -> str:
    return subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.test", "-c", "commit.gpgsign=false", *args],
        cwd=cwd, check=True, capture_output=True, text=True,
    ).stdout


def hook_repo(tmp_path) -> str:
    """This worktree's files (tracked and new, as they are on disk) committed to a fresh repo:
    try-repo ignores files its repository does not track."""
    target = tmp_path / "driftgate"
    listed = git(REPO, "ls-files", "-z", "--cached", "--others", "--exclude-standard")
    for name in filter(None, listed.split("\0")):
        source = os.path.join(REPO, name)
        if os.path.isfile(source):
            os.makedirs(target / os.path.dirname(name), exist_ok=True)
            shutil.copy2(source, target / name)
    git(target, "init", "-q")
    git(target, "add", "-A")
    git(target, "commit", "-q", "-m", "snapshot")
    return str(target)


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_try_repo_blocks_a_token_and_passes_a_placeholder(tmp_path):
    hooks = hook_repo(tmp_path)
    consumer = tmp_path / "consumer"
    consumer.mkdir()
    git(consumer, "init", "-q")
    github = next(fmt for fmt in fakes.FORMATS if fmt.name == "github-ghp")
    token = github.build(random.Random(31))  # valid CRC32 checksum
    call = f'gh = Github("{token}")'
    (consumer / "agent.py").write_text(f"from github import Github\n\n{call}\n", encoding="utf-8")
    # binary keystores reach DG390 only because the hook is declared `types: [file]`
    (consumer / "certs").mkdir()
    (consumer / "certs" / "release.p12").write_bytes(b"0\x82\x06\x00\x02\x01\x03\x00\xff")
    (consumer / ".env.example").write_text("GITHUB_TOKEN=<your-token>\n", encoding="utf-8")
    git(consumer, "add", "agent.py", "certs/release.p12", ".env.example")
    env = {
        **os.environ,
        "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"),
        "PRE_COMMIT_COLOR": "never",
    }
    env.pop("SKIP", None)
    command = [sys.executable, "-m", "pre_commit", "try-repo", hooks, "check-secrets", "--color", "never"]

    blocked = subprocess.run(command, cwd=consumer, env=env, capture_output=True, check=False, text=True, timeout=600)
    assert blocked.returncode == 1, blocked.stdout + blocked.stderr
    assert "check-secrets (driftgate)" in blocked.stdout
    assert "Failed" in blocked.stdout
    assert f"agent.py:3:{call.index(token) + 1}: DG303 GitHub Token 'ghp_\u2026' is hardcoded" in blocked.stdout
    assert "certs/release.p12:1:1: DG390 `release.p12` should never be committed" in blocked.stdout
    assert not [line for line in blocked.stdout.splitlines() if line.startswith(".env.example:")]
    assert token not in blocked.stdout + blocked.stderr
    git(consumer, "rm", "-q", "--cached", "certs/release.p12")

    (consumer / "agent.py").write_text(
        'import os\n\nfrom github import Github\n\ngh = Github(os.getenv("GITHUB_TOKEN", "<your-token>"))\n',
        encoding="utf-8",
    )
    git(consumer, "add", "agent.py")
    passed = subprocess.run(command, cwd=consumer, env=env, capture_output=True, check=False, text=True, timeout=600)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "Passed" in passed.stdout
