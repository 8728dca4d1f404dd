"""check-provenance, record-provenance and `driftgate provenance report` against real git
repositories in temporary directories (called through main(), as pre-commit would)."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from _provenance_support import COMPLETE, HASH, commit, git, isolate_env, make_repo

from hooks import check_provenance, record_provenance
from hooks._provenance import report


@pytest.fixture
def repo(tmp_path, monkeypatch):
    isolate_env(monkeypatch, tmp_path)
    path = make_repo(tmp_path / "repo")
    monkeypatch.chdir(path)
    return path


def run_check(capsys, *argv: str) -> tuple[int, list[str], str]:
    code = check_provenance.main(list(argv))
    out, err = capsys.readouterr()
    return code, out.splitlines(), err


def short(sha: str) -> str:
    return sha[:12]


# --- ranges --------------------------------------------------------------------------


def test_range_flags_only_the_bad_agent_commit(repo, capsys):
    base = commit(repo, "chore: start\n")
    commit(repo, "docs: human change\n")
    commit(repo, f"feat: complete\n\n{COMPLETE}")
    bad = commit(repo, "feat: no record\n\nCo-authored-by: Claude <noreply@anthropic.com>\n")
    partial = commit(repo, "fix: partial\n\nAgent-Run-Id: run-2\nAgent-Turns: many\n")
    code, out, err = run_check(capsys, "--range", f"{base}..HEAD")
    assert (code, err) == (1, "")
    assert out == [
        f"{short(bad)}:1:1: DG603 agent-made commit (Co-authored-by names Claude) carries no provenance "
        "record: add Agent-Run-Id, Agent-Model, Agent-Prompt-Hash trailers (record-provenance writes them)",
        f"{short(partial)}:1:1: DG601 agent-made commit lacks the Agent-Model trailer",
        f"{short(partial)}:1:1: DG601 agent-made commit lacks the Agent-Prompt-Hash trailer",
        f"{short(partial)}:4:1: DG602 Agent-Turns must be a positive integer, got 'many'",
    ]


def test_range_of_good_commits_passes_silently(repo, capsys):
    base = commit(repo, "chore: start\n")
    commit(repo, f"feat: one\n\n{COMPLETE}")
    commit(repo, "docs: by hand\n")
    assert run_check(capsys, "--range", f"{base}..HEAD") == (0, [], "")


def test_single_commit_range_checks_that_commit_only(repo, capsys):
    bad = commit(repo, "feat\n\nAgent-Model: m\n")
    good = commit(repo, "docs\n")
    assert run_check(capsys, "--range", good) == (0, [], "")
    code, out, _ = run_check(capsys, "--range", bad)
    assert code == 1 and all(line.startswith(short(bad)) for line in out) and len(out) == 2


def test_agent_authors_from_config(repo, capsys):
    (repo / "pyproject.toml").write_text(
        '[tool.driftgate.check-provenance]\nagent-authors = ["\\\\[bot\\\\]@"]\n'
    )
    base = commit(repo, "chore: start\n")
    bot = commit(repo, "chore: bump\n", author="renovate[bot] <renovate[bot]@example.test>")
    code, out, _ = run_check(capsys, "--range", f"{base}..HEAD")
    assert code == 1
    assert out == [
        f"{short(bot)}:1:1: DG603 agent-made commit (author renovate[bot] <renovate[bot]@example.test> "
        "matches agent-authors) carries no provenance record: add Agent-Run-Id, Agent-Model, "
        "Agent-Prompt-Hash trailers (record-provenance writes them)"
    ]


def test_require_all_from_config_and_origin_human(repo, capsys):
    (repo / "pyproject.toml").write_text('[tool.driftgate.check-provenance]\nrequire = "all"\n')
    base = commit(repo, "chore: start\n")
    undeclared = commit(repo, "docs: who wrote this?\n")
    commit(repo, "docs: by hand\n\nOrigin: human\n")
    commit(repo, f"feat: agent\n\n{COMPLETE}")
    code, out, _ = run_check(capsys, "--range", f"{base}..HEAD")
    assert code == 1
    assert out == [
        f"{short(undeclared)}:1:1: DG604 commit declares no origin: add an `Origin: human` trailer, "
        "or the provenance trailers of the agent run that made it"
    ]
    # the flag overrides the file
    assert run_check(capsys, "--range", f"{base}..HEAD", "--require", "agent") == (0, [], "")


def _merge_history(repo: Path) -> tuple[str, str]:
    base = commit(repo, "chore: start\n")
    git(repo, "checkout", "-q", "-b", "topic")
    commit(repo, "docs: topic\n\nOrigin: human\n")
    git(repo, "checkout", "-q", "main")
    commit(repo, "docs: main\n\nOrigin: human\n")
    git(repo, "merge", "-q", "--no-ff", "--no-edit", "topic")
    return base, git(repo, "rev-parse", "HEAD").strip()


def test_merge_commits_are_skipped_by_default(repo, capsys):
    base, merge = _merge_history(repo)
    assert run_check(capsys, "--range", f"{base}..HEAD", "--require", "all") == (0, [], "")
    code, out, _ = run_check(
        capsys, "--range", f"{base}..HEAD", "--require", "all", "--no-skip-merges"
    )
    assert code == 1 and [line.split(":")[0] for line in out] == [short(merge)]


def test_pre_push_environment_range(repo, capsys, monkeypatch):
    base = commit(repo, "chore: start\n")
    bad = commit(repo, "feat\n\nAgent-Run-Id: r9\n")
    monkeypatch.setenv("PRE_COMMIT_FROM_REF", base)
    monkeypatch.setenv("PRE_COMMIT_TO_REF", bad)
    code, out, _ = run_check(capsys)
    assert code == 1 and {line.split(":")[0] for line in out} == {short(bad)}


def test_pre_push_of_a_new_branch_without_refs_checks_unpushed_commits(
    repo, capsys, monkeypatch, tmp_path
):
    # pre-commit exports no FROM/TO refs when the pushed branch holds the root commit
    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "-q", "--bare", str(remote))
    git(repo, "remote", "add", "origin", str(remote))
    root = commit(repo, "feat: first\n\nCo-authored-by: Copilot <copilot@example.test>\n")
    monkeypatch.setenv("PRE_COMMIT_REMOTE_NAME", "origin")
    monkeypatch.setenv("PRE_COMMIT_LOCAL_BRANCH", "refs/heads/main")
    code, out, _ = run_check(capsys)
    assert code == 1 and [line.split(":")[0] for line in out] == [short(root)]


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        (
            "nope..HEAD",
            "check-provenance: error: range 'nope..HEAD': 'nope' is not a commit; pass --range A..B with two existing commits",
        ),
        (
            "HEAD..nope",
            "check-provenance: error: range 'HEAD..nope': 'nope' is not a commit; pass --range A..B with two existing commits",
        ),
        (
            "..HEAD",
            "check-provenance: error: range '..HEAD': expected A..B with both ends named, e.g. origin/main..HEAD",
        ),
        (
            "HEAD...HEAD",
            "check-provenance: error: range 'HEAD...HEAD': expected A..B or a single commit",
        ),
        ("--all", "check-provenance: error: range '--all': expected A..B or a single commit"),
    ],
)
def test_bad_ranges_exit_2_with_one_line(repo, capsys, spec, expected):
    commit(repo, "chore: start\n")
    code, out, err = run_check(capsys, f"--range={spec}")
    assert (code, out, err.splitlines()) == (2, [], [expected])


def test_not_a_git_repository(tmp_path, monkeypatch, capsys):
    isolate_env(monkeypatch, tmp_path)
    monkeypatch.chdir(tmp_path)
    code, out, err = run_check(capsys, "--range", "HEAD~1..HEAD")
    assert (code, out) == (2, [])
    assert (
        err
        == "check-provenance: error: not a git repository: run it inside the repository whose commits to check\n"
    )
    assert report.main(["report"]) == 2
    assert capsys.readouterr().err == (
        "driftgate provenance report: error: not a git repository: run it inside the repository whose commits to check\n"
    )


def test_nothing_to_check(repo, capsys):
    code, _, err = run_check(capsys)
    assert code == 2 and err.startswith(
        "check-provenance: error: nothing to check: pass the commit message file"
    )


@pytest.mark.parametrize(
    ("toml", "expected"),
    [
        (
            'requir = "all"',
            "unknown key `requir`; valid keys: agent-authors, extend-known-agents, extend-select, ignore, known-agents, require, required-trailers, select, skip-merges",
        ),
        ('require = "some"', "`require` must be one of agent, all, got 'some'"),
        ('skip-merges = "no"', "`skip-merges` must be true or false, got 'no'"),
        (
            'agent-authors = ["(unclosed"]',
            "agent-authors: '(unclosed' is not a valid regular expression",
        ),
        ('required-trailers = ["Agent-Color"]', "required-trailers: unknown trailer 'Agent-Color'"),
    ],
)
def test_bad_config_exits_2_naming_the_key(repo, capsys, toml, expected):
    (repo / "pyproject.toml").write_text(f"[tool.driftgate.check-provenance]\n{toml}\n")
    commit(repo, "chore: start\n")
    code, _, err = run_check(capsys, "--range", "HEAD")
    assert code == 2 and len(err.splitlines()) == 1 and expected in err


def test_record_provenance_config_table_is_validated_too(repo, capsys):
    (repo / "pyproject.toml").write_text("[tool.driftgate.record-provenance]\nfoo = 1\n")
    (repo / "msg").write_text("subject\n")
    assert record_provenance.main(["msg"]) == 2
    assert "unknown key `foo`" in capsys.readouterr().err


@pytest.mark.parametrize("fmt", ["jsonl", "github"])
def test_line_formats(repo, capsys, fmt):
    sha = commit(repo, "feat\n\nAgent-Run-Id: r1\nAgent-Model: m\n")
    code, out, _ = run_check(capsys, "--range", sha, "--format", fmt)
    assert code == 1
    if fmt == "jsonl":
        assert json.loads(out[0]) == {
            "path": short(sha),
            "line": 1,
            "col": 1,
            "code": "DG601",
            "message": "agent-made commit lacks the Agent-Prompt-Hash trailer",
            "hook": "check-provenance",
        }
    else:
        assert out == [
            f"::error file={short(sha)},line=1,col=1,title=DG601::DG601 agent-made commit lacks the Agent-Prompt-Hash trailer"
        ]


def test_select_and_ignore_codes(repo, capsys):
    sha = commit(repo, "feat\n\nAgent-Run-Id: r1\nAgent-Turns: x\n")
    code, out, _ = run_check(capsys, "--range", sha, "--ignore", "DG601")
    assert code == 1 and [line.split(" ")[1] for line in out] == ["DG602"]


# --- context files ------------------------------------------------------------------


def test_committed_context_file_output_files_must_match(repo, capsys):
    base = commit(repo, "chore: start\n")
    ok = commit(
        repo,
        f"feat: ok\n\n{COMPLETE}",
        files={
            "src/app.py": "x = 1\n",
            ".agent-provenance/run-1.yaml": "run_id: run-1\noutput_files: [src/app.py]\n",
        },
    )
    trailers = COMPLETE.replace("run-1", "run-2")
    bad = commit(
        repo,
        f"feat: drift\n\n{trailers}",
        files={
            "src/app.py": "x = 2\n",
            "src/extra.py": "y = 1\n",
            ".agent-provenance/run-2.yaml": "run_id: run-2\ninput_files: [docs/spec.md]\noutput_files:\n  - src/app.py\n  - src/gone.py\n",
        },
    )
    code, out, _ = run_check(capsys, "--range", f"{base}..HEAD")
    assert ok and code == 1
    assert out == [
        f"{short(bad)}:.agent-provenance/run-2.yaml:3:1: DG605 changed but not in output_files: src/extra.py; "
        "in output_files but not changed: src/gone.py"
    ]


def test_context_schema_error_in_range(repo, capsys):
    sha = commit(
        repo,
        f"feat\n\n{COMPLETE}",
        files={".agent-provenance/run-1.yaml": "run_id: run-7\ntools: Read\n"},
    )
    code, out, _ = run_check(capsys, "--range", sha)
    label = f"{short(sha)}:.agent-provenance/run-1.yaml"
    assert code == 1
    assert out == [
        f"{label}:1:1: DG606 run_id 'run-7' differs from the commit's Agent-Run-Id 'run-1'",
        f"{label}:2:1: DG606 `tools` must be a list of non-empty strings, got 'Read'",
    ]


def test_malformed_context_yaml_exits_2(repo, capsys):
    sha = commit(
        repo, f"feat\n\n{COMPLETE}", files={".agent-provenance/run-1.yaml": "output_files: [a\n"}
    )
    code, out, err = run_check(capsys, "--range", sha)
    assert (code, out) == (2, [])
    assert err.startswith(
        f"check-provenance: error: {short(sha)}:.agent-provenance/run-1.yaml: line 2: invalid YAML ("
    )
    assert len(err.splitlines()) == 1


def test_message_file_with_work_tree_context(repo, capsys):
    commit(repo, "chore: start\n")
    (repo / ".agent-provenance").mkdir()
    (repo / ".agent-provenance/run-1.yaml").write_text("output_files: [a.py, b.py]\n")
    (repo / "a.py").write_text("a = 1\n")
    (repo / "c.py").write_text("c = 1\n")
    git(repo, "add", "a.py", "c.py")
    msg = repo / ".git" / "COMMIT_EDITMSG"
    msg.write_text(f"feat\n\n{COMPLETE}# Please enter the commit message\n")
    code, out, _ = run_check(capsys, ".git/COMMIT_EDITMSG")
    assert code == 1
    assert out == [
        ".agent-provenance/run-1.yaml:1:1: DG605 changed but not in output_files: c.py; "
        "in output_files but not changed: b.py"
    ]


def test_message_file_ignores_comments_and_verbose_diff(repo, capsys):
    commit(repo, "chore: start\n")
    msg = repo / "MSG"
    msg.write_text(
        "feat\n\nAgent-Run-Id: r1\n# Agent-Model: commented out\n"
        "# ------------------------ >8 ------------------------\n"
        f"+Agent-Model: in the diff\n+Agent-Prompt-Hash: {HASH}\n"
    )
    code, out, _ = run_check(capsys, "MSG")
    assert code == 1
    assert out == [
        "MSG:1:1: DG601 agent-made commit lacks the Agent-Model trailer",
        "MSG:1:1: DG601 agent-made commit lacks the Agent-Prompt-Hash trailer",
    ]


def test_message_file_with_active_run_and_no_record(repo, capsys, monkeypatch):
    commit(repo, "chore: start\n")
    (repo / "MSG").write_text("feat: sneaky\n")
    assert run_check(capsys, "MSG") == (0, [], "")
    (repo / ".agent-run-active").write_text("run-5\n")
    code, out, _ = run_check(capsys, "MSG")
    assert code == 1 and out[0].startswith(
        "MSG:1:1: DG603 agent-made commit (an agent run is active)"
    )


def test_missing_message_file(repo, capsys):
    code, _, err = run_check(capsys, "nope.txt")
    assert code == 2 and err.startswith(
        "check-provenance: error: nope.txt: cannot read the commit message"
    )


# --- record-provenance -----------------------------------------------------------------


def run_record(capsys, *argv: str) -> tuple[int, str]:
    code = record_provenance.main(list(argv))
    out, err = capsys.readouterr()
    assert out == ""
    return code, err


def test_no_active_run_leaves_the_message_byte_for_byte(repo, capsys):
    original = b"subject\r\n\r\nbody \xe2\x9c\x93\n# comment\n"
    (repo / "msg").write_bytes(original)
    assert run_record(capsys, "msg", "message") == (0, "")
    assert (repo / "msg").read_bytes() == original


def test_env_run_writes_every_trailer_once(repo, capsys, monkeypatch):
    monkeypatch.setenv("DRIFTGATE_AGENT_RUN_ID", "run-env")
    monkeypatch.setenv("DRIFTGATE_AGENT_MODEL", "gpt-5")
    monkeypatch.setenv("DRIFTGATE_AGENT_PROMPT_HASH", HASH)
    monkeypatch.setenv("DRIFTGATE_AGENT_TOOLS", "Read, Edit")
    monkeypatch.setenv("DRIFTGATE_AGENT_TURNS", "9")
    monkeypatch.setenv("DRIFTGATE_AGENT_CONTEXT_TOKENS", "120000")
    monkeypatch.setenv("DRIFTGATE_AGENT_NAME", "codex")
    (repo / "msg").write_text("feat: x\n\nSigned-off-by: Hana Human <hana@example.test>\n")
    assert run_record(capsys, "msg") == (0, "")
    expected = (
        "feat: x\n\nSigned-off-by: Hana Human <hana@example.test>\n"
        f"Agent-Run-Id: run-env\nAgent-Model: gpt-5\nAgent-Prompt-Hash: {HASH}\n"
        "Agent-Tools: Read, Edit\nAgent-Turns: 9\nAgent-Context-Tokens: 120000\n"
        "Assisted-by: codex:gpt-5\n"
    )
    assert (repo / "msg").read_text() == expected
    # an amend (source `commit`) runs it again: nothing is duplicated
    assert run_record(capsys, "msg", "commit", "HEAD") == (0, "")
    assert (repo / "msg").read_text() == expected


def test_amend_in_a_new_run_replaces_the_old_values(repo, capsys, monkeypatch):
    (repo / "msg").write_text(f"feat: x\n\n{COMPLETE}")
    (repo / ".agent-run-active").write_text("run-2\nAgent-Model: claude-opus-4\n")
    (repo / ".agent-prompt").write_bytes(b"fix the bug\n")
    assert run_record(capsys, "msg", "commit", "HEAD") == (0, "")
    assert (repo / "msg").read_text() == (
        "feat: x\n\nAgent-Run-Id: run-2\nAgent-Model: claude-opus-4\n"
        f"Agent-Prompt-Hash: sha256:{hashlib.sha256(b'fix the bug' + bytes([10])).hexdigest()}\n"
    )


def test_prompt_hash_file_and_model_file(repo, capsys):
    (repo / ".agent-run-active").write_text("run-3\n")
    (repo / ".agent-model").write_text("claude-sonnet-4\n")
    (repo / ".agent-prompt-hash").write_text(HASH + "\n")
    (repo / "msg").write_text("fix\n")
    assert run_record(capsys, "msg", "message") == (0, "")
    assert (
        (repo / "msg").read_text()
        == f"fix\n\nAgent-Run-Id: run-3\nAgent-Model: claude-sonnet-4\nAgent-Prompt-Hash: {HASH}\n"
    )


@pytest.mark.parametrize("source", ["merge"])
def test_merge_message_is_never_touched(repo, capsys, monkeypatch, source):
    monkeypatch.setenv("DRIFTGATE_AGENT_RUN_ID", "run-1")
    (repo / "msg").write_text("Merge branch 'topic'\n")
    assert run_record(capsys, "msg", source) == (0, "")
    assert (repo / "msg").read_text() == "Merge branch 'topic'\n"


def test_rebase_in_progress_is_not_recorded(repo, capsys, monkeypatch):
    monkeypatch.setenv("DRIFTGATE_AGENT_RUN_ID", "run-1")
    (repo / ".git" / "rebase-merge").mkdir()
    (repo / "msg").write_text("picked\n")
    assert run_record(capsys, "msg", "message")[0] == 0
    assert (repo / "msg").read_text() == "picked\n"


def test_missing_required_values_are_warned_about(repo, capsys, monkeypatch):
    monkeypatch.setenv("DRIFTGATE_AGENT_MODEL", "gpt-5")
    (repo / "msg").write_text("feat\n")
    code, err = run_record(capsys, "msg", "message")
    assert code == 0
    assert err.splitlines() == [
        "record-provenance: warning: the active run gives no Agent-Run-Id (set DRIFTGATE_AGENT_RUN_ID or "
        "write it to .agent-run-active); check-provenance will report it missing",
        "record-provenance: warning: the active run gives no Agent-Prompt-Hash (set DRIFTGATE_AGENT_PROMPT_HASH, "
        "or write .agent-prompt-hash or .agent-prompt); check-provenance will report it missing",
    ]
    assert (repo / "msg").read_text() == "feat\n\nAgent-Model: gpt-5\n"


@pytest.mark.parametrize(
    ("env", "marker", "expected"),
    [
        (
            {"DRIFTGATE_AGENT_TURNS": "lots"},
            "run-1\n",
            "DRIFTGATE_AGENT_TURNS: Agent-Turns must be a positive integer, got 'lots'",
        ),
        (
            {"DRIFTGATE_AGENT_PROMPT_HASH": "ab" * 32},
            "run-1\n",
            "DRIFTGATE_AGENT_PROMPT_HASH: Agent-Prompt-Hash must be `sha256:` followed by 64 lowercase hex digits",
        ),
        (
            {},
            "run 1\n",
            ".agent-run-active: Agent-Run-Id must be one token without spaces, got 'run 1'",
        ),
        (
            {},
            "run-1\nColour: red\n",
            ".agent-run-active: line 'Colour: red' is not `Trailer-Name: value`",
        ),
        ({}, b"run-\xff\n", ".agent-run-active: not UTF-8 text; write the value as UTF-8"),
    ],
)
def test_malformed_run_values_exit_2_and_leave_the_message(
    repo, capsys, monkeypatch, env, marker, expected
):
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    target = repo / ".agent-run-active"
    target.write_bytes(marker if isinstance(marker, bytes) else marker.encode())
    (repo / "msg").write_text("feat\n")
    code, err = run_record(capsys, "msg", "message")
    assert code == 2 and len(err.splitlines()) == 1
    assert err.startswith(f"record-provenance: error: {expected}")
    assert (repo / "msg").read_text() == "feat\n"


def test_record_then_check_round_trip(repo, capsys, monkeypatch):
    (repo / ".agent-run-active").write_text(
        f"run-rt\nAgent-Model: claude-opus-4\nAgent-Prompt-Hash: {HASH}\n"
    )
    (repo / "msg").write_text("feat: round trip\n")
    assert run_record(capsys, "msg", "message") == (0, "")
    assert run_check(capsys, "msg") == (0, [], "")


# --- report --------------------------------------------------------------------------


def _history_for_report(repo: Path) -> None:
    commit(repo, "chore: start\n\nOrigin: human\n")
    commit(repo, f"feat: a\n\n{COMPLETE}")
    commit(repo, f"feat: b\n\n{COMPLETE.replace('claude-opus-4', 'gpt-5')}")
    commit(repo, f"feat: c\n\n{COMPLETE}Origin: mixed\n")
    commit(repo, "feat: d\n\nCo-authored-by: Claude <noreply@anthropic.com>\n")
    commit(repo, "docs: e\n")


def test_report_table(repo, capsys):
    _history_for_report(repo)
    assert report.main(["report"]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    assert out == (
        "provenance of HEAD: 6 commit(s)\n"
        "\n"
        "origin   commits complete coverage\n"
        "agent          3        2      67%\n"
        "mixed          1        1     100%\n"
        "human          2        -        -\n"
        "total          6        3      75%\n"
        "\n"
        "model         commits\n"
        "claude-opus-4       2\n"
        "(unknown)           1\n"
        "gpt-5               1\n"
    )


def test_report_json_through_the_driftgate_command(repo):
    _history_for_report(repo)
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "hooks",
            "provenance",
            "report",
            "--range",
            "HEAD~3..HEAD",
            "--format",
            "json",
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).parents[1])},
    )
    assert (proc.returncode, proc.stderr) == (0, "")
    doc = json.loads(proc.stdout)
    assert {
        k: doc[k] for k in ("range", "commits", "skipped_merges", "origins", "coverage", "models")
    } == {
        "range": "HEAD~3..HEAD",
        "commits": 3,
        "skipped_merges": 0,
        "origins": {
            "agent": {"commits": 1, "complete": 0},
            "mixed": {"commits": 1, "complete": 1},
            "human": {"commits": 1, "complete": 0},
        },
        "coverage": {"agent_made": 2, "complete": 1, "percent": 50.0},
        "models": {"(unknown)": 1, "claude-opus-4": 1},
    }
    assert [(e["origin"], e["complete"], e["subject"]) for e in doc["entries"]] == [
        ("mixed", True, "feat: c"),
        ("agent", False, "feat: d"),
        ("human", False, "docs: e"),
    ]


def test_report_counts_skipped_merges(repo, capsys):
    _merge_history(repo)
    assert report.main(["report", "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert (doc["commits"], doc["skipped_merges"]) == (3, 1)


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (
            ["report", "--range", "nope..HEAD"],
            "driftgate provenance report: error: range 'nope..HEAD': 'nope' is not a commit; pass --range A..B with two existing commits",
        ),
        (
            ["report", "--format", "xml"],
            "driftgate provenance report: error: argument --format: invalid choice: 'xml' (choose from 'table', 'json') (see --help)",
        ),
        (
            ["summary"],
            "driftgate provenance: error: expected the subcommand `report`, got 'summary'",
        ),
    ],
)
def test_report_errors(repo, capsys, argv, expected):
    commit(repo, "chore: start\n")
    assert report.main(argv) == 2
    assert capsys.readouterr().err.splitlines() == [expected]


def test_report_on_a_repository_without_commits(repo, capsys):
    assert report.main(["report"]) == 2
    assert capsys.readouterr().err == (
        "driftgate provenance report: error: range 'HEAD': 'HEAD' is not a commit; pass --range A..B with two existing commits\n"
    )


# --- odd input ---------------------------------------------------------------------


def test_non_utf8_commit_message_is_reported_not_a_traceback(repo, capsys):
    (repo / "f.txt").write_text("x\n")
    git(repo, "add", "f.txt")
    (repo / "raw").write_bytes(b"feat: caf\xe9\n\nAgent-Run-Id: r\xe9\n")
    git(repo, "commit", "-q", "--cleanup=verbatim", "-F", "raw")
    sha = git(repo, "rev-parse", "HEAD").strip()
    code, out, err = run_check(capsys, "--range", sha)
    assert (code, err) == (1, "")
    assert out == [
        f"{short(sha)}:1:1: DG601 agent-made commit lacks the Agent-Model trailer",
        f"{short(sha)}:1:1: DG601 agent-made commit lacks the Agent-Prompt-Hash trailer",
    ]


def test_empty_message_file_is_a_human_commit(repo, capsys):
    (repo / "EMPTY").write_bytes(b"")
    assert run_check(capsys, "EMPTY") == (0, [], "")
    assert run_check(capsys, "EMPTY", "--require", "all")[0] == 1


def test_context_kept_out_of_git_is_read_from_the_work_tree(repo, capsys):
    sha = commit(repo, f"feat\n\n{COMPLETE}", files={"src/a.py": "a = 1\n"})
    (repo / ".agent-provenance").mkdir()
    (repo / ".agent-provenance/run-1.yaml").write_text("output_files: [src/a.py, src/b.py]\n")
    code, out, _ = run_check(capsys, "--range", sha)
    assert code == 1
    assert out == [
        f"{short(sha)}:.agent-provenance/run-1.yaml:1:1: DG605 in output_files but not changed: src/b.py"
    ]


def test_known_agents_flag_replaces_the_list_and_extend_adds(repo, capsys):
    commit(repo, "chore: start\n")
    claude = commit(repo, "feat\n\nCo-authored-by: Claude <noreply@anthropic.com>\n")
    zed = commit(repo, "feat\n\nCo-authored-by: Zed <zed@example.test>\n")
    code, out, _ = run_check(capsys, "--range", "HEAD~2..HEAD", "--known-agents", "Zed")
    assert code == 1 and [line[:12] for line in out] == [zed[:12]]
    code, out, _ = run_check(capsys, "--range", "HEAD~2..HEAD", "--extend-known-agents", "Zed")
    assert code == 1 and [line[:12] for line in out] == [claude[:12], zed[:12]]


def test_report_reads_the_config_file_given(repo, capsys, tmp_path):
    commit(repo, "chore: start\n")
    commit(repo, "chore: bump\n", author="ci-agent <ci@example.test>")
    other = tmp_path / "other.toml"
    other.write_text('[tool.driftgate.check-provenance]\nagent-authors = ["^ci-agent "]\n')
    assert report.main(["report", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["coverage"]["agent_made"] == 0
    assert report.main(["report", "--format", "json", "--config", str(other)]) == 0
    assert json.loads(capsys.readouterr().out)["coverage"] == {
        "agent_made": 1, "complete": 0, "percent": 0.0,
    }


def test_empty_editor_message_gets_a_free_subject_line(repo, capsys, monkeypatch):
    monkeypatch.setenv("DRIFTGATE_AGENT_RUN_ID", "run-1")
    (repo / "msg").write_text("\n# Please enter the commit message for your changes.\n")
    assert run_record(capsys, "msg")[0] == 0
    assert (repo / "msg").read_text() == (
        "\n\nAgent-Run-Id: run-1\n# Please enter the commit message for your changes.\n"
    )
    assert run_record(capsys, "msg")[0] == 0  # and a second run changes nothing
    assert (repo / "msg").read_text().startswith("\n\nAgent-Run-Id: run-1\n#")
