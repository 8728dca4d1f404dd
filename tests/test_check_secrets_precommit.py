"""check-secrets through the real `pre-commit try-repo`: pre-commit builds the hook's own
virtualenv from this project (installing detect-secrets from the package index through pip)
and runs it on a consumer repository's staged files."""
from __future__ import annotations

import random
import shutil

import _secrets_support as fakes
import pytest
from conftest import git, init_repo, run_pre_commit


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_try_repo_blocks_a_token_and_passes_a_placeholder(tmp_path, hook_repo, pre_commit_home):
    hooks, sha = hook_repo  # this project, committed to a repo of its own (conftest)
    consumer = init_repo(tmp_path / "consumer")
    github = next(fmt for fmt in fakes.FORMATS if fmt.name == "github-ghp")
    token = github.build(random.Random(31))  # valid CRC32 checksum
    call = f'gh = Github("{token}")'
    (consumer / "agent.py").write_text(f"from github import Github\n\n{call}\n", encoding="utf-8")
    # binary keystores reach DG390 only because the hook is declared `types: [file]`
    (consumer / "certs").mkdir()
    (consumer / "certs" / "release.p12").write_bytes(b"0\x82\x06\x00\x02\x01\x03\x00\xff")
    (consumer / ".env.example").write_text("GITHUB_TOKEN=<your-token>\n", encoding="utf-8")
    git(consumer, "add", "agent.py", "certs/release.p12", ".env.example")
    args = ("try-repo", str(hooks), "check-secrets", "--ref", sha, "--color", "never")

    blocked = run_pre_commit(consumer, pre_commit_home, *args)
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
    passed = run_pre_commit(consumer, pre_commit_home, *args)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "Passed" in passed.stdout
