"""The provenance hooks installed by real pre-commit in a consumer repository, driven by
real `git commit`, `git merge` and `git push` to a local bare remote.

pre-commit builds the hook environment once per PRE_COMMIT_HOME: the module shares one."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from _provenance_support import HASH, git, make_repo

ROOT = Path(__file__).resolve().parents[1]
INSTALL = [
    "install",
    "--hook-type",
    "prepare-commit-msg",
    "--hook-type",
    "commit-msg",
    "--hook-type",
    "pre-push",
]


@pytest.fixture(scope="module")
def shared(tmp_path_factory):
    """A git copy of this worktree (what pre-commit clones) and one PRE_COMMIT_HOME."""
    base = tmp_path_factory.mktemp("provenance-precommit")
    gitconfig = base / "empty.gitconfig"
    gitconfig.write_text("")
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DRIFTGATE_", "PRE_COMMIT", "GIT_"))
    }
    env.update(
        GIT_CONFIG_GLOBAL=str(gitconfig),
        GIT_CONFIG_NOSYSTEM="1",
        PRE_COMMIT_HOME=str(base / "pre-commit-home"),
    )
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    hook_repo = base / "driftgate"
    for name in filter(None, listed.split("\0")):
        source = ROOT / name
        if source.is_file():
            target = hook_repo / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    make_repo(hook_repo)
    git(hook_repo, "add", "-A", env=env)
    git(hook_repo, "commit", "-q", "-m", "driftgate under test", env=env)
    rev = git(hook_repo, "rev-parse", "HEAD", env=env).strip()
    return base, hook_repo, rev, env


def run(
    cwd: Path, args: list[str], env: dict[str, str], extra: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        args, cwd=cwd, capture_output=True, text=True, env={**env, **(extra or {})}, timeout=600
    )


@pytest.fixture
def consumer(shared, tmp_path):
    _base, hook_repo, rev, env = shared
    repo = make_repo(tmp_path / "consumer")
    (repo / ".pre-commit-config.yaml").write_text(
        "repos:\n"
        f"  - repo: {hook_repo}\n"
        f"    rev: {rev}\n"
        "    hooks:\n"
        "      - id: record-provenance\n"
        "      - id: check-provenance\n"
    )
    (repo / ".gitignore").write_text(".agent-run-active\n.agent-model\n.agent-prompt\n")
    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "-q", "--bare", str(remote), env=env)
    git(repo, "remote", "add", "origin", str(remote), env=env)
    installed = run(repo, [sys.executable, "-m", "pre_commit", *INSTALL], env)
    assert installed.returncode == 0, installed.stdout + installed.stderr
    git(repo, "add", ".pre-commit-config.yaml", ".gitignore", env=env)
    first = run(repo, ["git", "commit", "-q", "-m", "chore: add pre-commit"], env)
    assert first.returncode == 0, first.stdout + first.stderr
    return repo, remote, env


def start_run(repo: Path, run_id: str = "run-77") -> None:
    (repo / ".agent-run-active").write_text(f"{run_id}\nAgent-Name: claude-code\nAgent-Turns: 5\n")
    (repo / ".agent-model").write_text("claude-opus-4\n")
    (repo / ".agent-prompt").write_text("add a feature\n")


def message(repo: Path, env: dict[str, str], rev: str = "HEAD") -> str:
    return git(repo, "log", "-1", "--format=%B", rev, env=env)


def test_agent_commit_gets_trailers_and_passes_the_gate(consumer):
    repo, _, env = consumer
    start_run(repo)
    (repo / "app.py").write_text("print('hi')\n")
    git(repo, "add", "app.py", env=env)
    done = run(repo, ["git", "commit", "-m", "feat: greet"], env)
    assert done.returncode == 0, done.stdout + done.stderr
    prompt_hash = "sha256:" + __import__("hashlib").sha256(b"add a feature\n").hexdigest()
    assert message(repo, env) == (
        "feat: greet\n\n"
        f"Agent-Run-Id: run-77\nAgent-Model: claude-opus-4\nAgent-Prompt-Hash: {prompt_hash}\n"
        "Agent-Turns: 5\nAssisted-by: claude-code:claude-opus-4\n\n"
    )
    # amending in the same run writes nothing twice
    amended = run(repo, ["git", "commit", "--amend", "--no-edit"], env)
    assert amended.returncode == 0, amended.stdout + amended.stderr
    assert message(repo, env).count("Agent-Run-Id:") == 1
    assert message(repo, env).count("Assisted-by:") == 1


def test_human_commit_is_untouched_and_passes(consumer):
    repo, _, env = consumer
    (repo / "notes.md").write_text("notes\n")
    git(repo, "add", "notes.md", env=env)
    done = run(repo, ["git", "commit", "-m", "docs: notes"], env)
    assert done.returncode == 0, done.stdout + done.stderr
    assert message(repo, env) == "docs: notes\n\n"


def test_commit_msg_gate_blocks_agent_commit_without_provenance(consumer):
    repo, _, env = consumer
    head = git(repo, "rev-parse", "HEAD", env=env)
    (repo / "app.py").write_text("x = 1\n")
    git(repo, "add", "app.py", env=env)
    blocked = run(
        repo,
        ["git", "commit", "-m", "feat: x\n\nCo-authored-by: Claude <noreply@anthropic.com>"],
        env,
    )
    assert blocked.returncode != 0
    assert (
        ".git/COMMIT_EDITMSG:1:1: DG603 agent-made commit (Co-authored-by names Claude) carries no "
        "provenance record: add Agent-Run-Id, Agent-Model, Agent-Prompt-Hash trailers "
        "(record-provenance writes them)"
    ) in blocked.stderr  # git sends hook output to stderr
    assert git(repo, "rev-parse", "HEAD", env=env) == head
    complete = (
        "feat: x\n\nCo-authored-by: Claude <noreply@anthropic.com>\n"
        f"Agent-Run-Id: run-8\nAgent-Model: claude-opus-4\nAgent-Prompt-Hash: {HASH}"
    )
    passed = run(repo, ["git", "commit", "-m", complete], env)
    assert passed.returncode == 0, passed.stdout + passed.stderr


def test_merge_message_is_left_alone_during_a_run(consumer):
    repo, _, env = consumer
    git(repo, "checkout", "-q", "-b", "topic", env=env)
    (repo / "topic.txt").write_text("t\n")
    git(repo, "add", "topic.txt", env=env)
    git(repo, "commit", "-q", "-m", "docs: topic", env=env)
    git(repo, "checkout", "-q", "main", env=env)
    (repo / "main.txt").write_text("m\n")
    git(repo, "add", "main.txt", env=env)
    git(repo, "commit", "-q", "-m", "docs: main", env=env)
    start_run(repo)
    merged = run(repo, ["git", "merge", "--no-ff", "--no-edit", "topic"], env)
    assert merged.returncode == 0, merged.stdout + merged.stderr
    assert message(repo, env) == "Merge branch 'topic'\n\n"


def test_pre_push_gate_blocks_a_range_with_a_bad_commit(consumer):
    repo, remote, env = consumer
    # first push: a new branch with the root commit (pre-commit sets no from/to refs)
    first = run(repo, ["git", "push", "-q", "origin", "main"], env)
    assert first.returncode == 0, first.stdout + first.stderr
    (repo / "a.py").write_text("a = 1\n")
    git(repo, "add", "a.py", env=env)
    # --no-verify skips the commit-msg gate, as an agent in a hurry might
    git(
        repo,
        "commit",
        "-q",
        "--no-verify",
        "-m",
        "feat: a\n\nAgent-Run-Id: run-9\nAgent-Turns: 0",
        env=env,
    )
    bad = git(repo, "rev-parse", "HEAD", env=env).strip()
    blocked = run(repo, ["git", "push", "origin", "main"], env)
    assert blocked.returncode != 0
    for line in (
        f"{bad[:12]}:1:1: DG601 agent-made commit lacks the Agent-Model trailer",
        f"{bad[:12]}:1:1: DG601 agent-made commit lacks the Agent-Prompt-Hash trailer",
        f"{bad[:12]}:4:1: DG602 Agent-Turns must be a positive integer, got '0'",
    ):
        assert line in blocked.stdout + blocked.stderr
    assert git(remote, "rev-parse", "main", env=env).strip() != bad
    # fixing the message lets the push through
    fixed = f"feat: a\n\nAgent-Run-Id: run-9\nAgent-Model: gpt-5\nAgent-Prompt-Hash: {HASH}\nAgent-Turns: 3"
    amended = run(repo, ["git", "commit", "-q", "--amend", "-m", fixed], env)
    assert amended.returncode == 0, amended.stdout + amended.stderr
    pushed = run(repo, ["git", "push", "-q", "origin", "main"], env)
    assert pushed.returncode == 0, pushed.stdout + pushed.stderr
    assert git(remote, "rev-parse", "main", env=env) == git(repo, "rev-parse", "HEAD", env=env)


def test_ci_manual_stage_checks_the_given_range(consumer):
    repo, _, env = consumer
    base = git(repo, "rev-parse", "HEAD", env=env).strip()
    (repo / "b.py").write_text("b = 1\n")
    git(repo, "add", "b.py", env=env)
    git(repo, "commit", "-q", "--no-verify", "-m", "feat: b\n\nAssisted-by: codex:gpt-5", env=env)
    bad = git(repo, "rev-parse", "HEAD", env=env).strip()
    ci = run(
        repo,
        [sys.executable, "-m", "pre_commit", "run", "check-provenance", "--hook-stage", "manual",
         "--from-ref", base, "--to-ref", "HEAD"],
        env,
    )
    assert ci.returncode == 1
    assert f"{bad[:12]}:1:1: DG603 agent-made commit (Assisted-by: codex:gpt-5) carries no " in ci.stdout


def test_editor_commit_keeps_the_subject_line_free(consumer, tmp_path):
    repo, _, env = consumer
    start_run(repo, "run-ed")
    editor = tmp_path / "editor.sh"
    # the "user" types a subject on line 1 of what git opens
    editor.write_text("#!/bin/sh\nsed -i '1s/^/feat: typed in the editor/' \"$1\"\n")
    editor.chmod(0o755)
    (repo / "e.py").write_text("e = 1\n")
    git(repo, "add", "e.py", env=env)
    done = run(repo, ["git", "commit", "-v"], env, {"GIT_EDITOR": str(editor)})
    assert done.returncode == 0, done.stdout + done.stderr
    msg = message(repo, env)
    assert msg.startswith("feat: typed in the editor\n\nAgent-Run-Id: run-ed\nAgent-Model: claude-opus-4\n")
    trailers = git(repo, "log", "-1", "--format=%(trailers:key=Agent-Run-Id,valueonly)", env=env)
    assert trailers.strip() == "run-ed"
