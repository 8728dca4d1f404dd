"""check-test-integrity through real pre-commit: `try-repo` on a staged diff, and the
commit-msg stage a consumer config selects so that Test-Change-Reason counts."""
from __future__ import annotations

import re
from pathlib import Path

from _testint_support import base_repo, stage

from conftest import git, init_repo, run_pre_commit

FINDING = re.compile(r"^\S+:\d+:\d+: DG9\d\d .+$")
BEFORE = "from pkg.calc import total\n\n\ndef test_total():\n    assert total([1, 2]) == 3\n    assert total([]) == 0\n"
AFTER = "from pkg.calc import total\n\n\ndef test_total():\n    assert total([1, 2]) >= 3\n"


def findings(output: str) -> list[str]:
    return [line for line in output.splitlines() if FINDING.match(line)]


def test_try_repo_reports_the_staged_weakening(tmp_path: Path, pre_commit_home: Path, hook_repo: tuple[Path, str]) -> None:
    consumer = init_repo(tmp_path / "consumer")
    base_repo(consumer, BEFORE)
    stage(consumer, AFTER)
    repo_path, sha = hook_repo
    proc = run_pre_commit(consumer, pre_commit_home, "try-repo", str(repo_path), "check-test-integrity", "--ref", sha)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert findings(proc.stdout) == [
        "tests/test_calc.py:4:1: DG901 1 assertion(s) removed from `test_total` (2 -> 1): `assert total([]) == 0`; "
        "restore them or say why in a Test-Change-Reason trailer",
        "tests/test_calc.py:5:5: DG902 assertion loosened in `test_total`: `assert total([1, 2]) == 3` became "
        "`assert total([1, 2]) >= 3` (was line 5)",
    ]
    # a commit that only refactors the code and leaves every assertion passes
    git(consumer, "checkout", "-q", "--", ".")
    git(consumer, "reset", "-q", "--hard")
    stage(consumer, BEFORE.replace("def test_total", "def test_total_sums"))
    proc = run_pre_commit(consumer, pre_commit_home, "try-repo", str(repo_path), "check-test-integrity", "--ref", sha)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_commit_msg_stage_honours_test_change_reason(tmp_path: Path, pre_commit_home: Path, hook_repo: tuple[Path, str]) -> None:
    repo_path, sha = hook_repo
    consumer = init_repo(tmp_path / "consumer")
    (consumer / ".pre-commit-config.yaml").write_text(
        "repos:\n"
        f"  - repo: {repo_path}\n"
        f"    rev: {sha}\n"
        "    hooks:\n"
        "      - id: check-test-integrity\n"
        "        stages: [commit-msg]\n"
    )
    base_repo(consumer, BEFORE)
    stage(consumer, AFTER)
    message = tmp_path / "COMMIT_EDITMSG"  # the name git gives it, which the hook's `files` selects
    message.write_text("Loosen totals\n")
    args = ("run", "--hook-stage", "commit-msg", "--commit-msg-filename", str(message))
    proc = run_pre_commit(consumer, pre_commit_home, *args)
    assert proc.returncode == 1 and len(findings(proc.stdout)) == 2, proc.stdout + proc.stderr
    message.write_text("Loosen totals\n\nTest-Change-Reason: totals are now lower bounds (issue 12)\n")
    proc = run_pre_commit(consumer, pre_commit_home, *args)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    # at pre-commit stage this config does not run it at all
    proc = run_pre_commit(consumer, pre_commit_home, "run")
    assert proc.returncode == 0 and "check-test-integrity" not in proc.stdout
