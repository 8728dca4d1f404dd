"""check-doc-drift through real pre-commit (`try-repo` on a copy of this repository): the
whole check under `--all-files`, and diff mode on a staged code change."""
from __future__ import annotations

import re
from pathlib import Path

from _doc_drift_support import ARGPARSE_SRC, make_repo
from conftest import git, run_pre_commit

README = "```console\n$ mytool sync --dry-run x\n$ mytool --long-gone status\n```\n"


def findings(output: str) -> list[str]:
    return [line for line in output.splitlines() if re.match(r"\S+:\d+:\d+: DG95\d ", line)]


def test_try_repo_all_files_then_a_staged_rename(
    tmp_path: Path, hook_repo: tuple[Path, str], pre_commit_home: Path
) -> None:
    repo, sha = hook_repo
    consumer = make_repo(tmp_path / "consumer", ARGPARSE_SRC, docs={"README.md": README, "docs/x.rst": "x\n"})

    proc = run_pre_commit(consumer, pre_commit_home, "try-repo", str(repo), "check-doc-drift", "--ref", sha, "--all-files")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert findings(proc.stdout) == [
        "README.md:3:10: DG951 `mytool --long-gone`: mytool defines no option `--long-gone` "
        "(parser in src/mytool/cli.py); fix the example or add the option"
    ]

    # a commit that only renames the flag in code: the untouched README line it breaks is
    # reported, the old debt is not
    cli = consumer / "src/mytool/cli.py"
    cli.write_text(cli.read_text().replace('"--dry-run"', '"--simulate"'))
    git(consumer, "add", "src/mytool/cli.py")
    proc = run_pre_commit(consumer, pre_commit_home, "try-repo", str(repo), "check-doc-drift", "--ref", sha)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert [line.split(" DG")[0] for line in findings(proc.stdout)] == ["README.md:2:15:"]

    # fixed in the same commit: passes
    readme = consumer / "README.md"
    readme.write_text(readme.read_text().replace("--dry-run", "--simulate"))
    git(consumer, "add", "README.md")
    proc = run_pre_commit(consumer, pre_commit_home, "try-repo", str(repo), "check-doc-drift", "--ref", sha)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_try_repo_a_commit_that_stops_reading_a_documented_variable(
    tmp_path: Path, hook_repo: tuple[Path, str], pre_commit_home: Path
) -> None:
    """DG956 through pre-commit: the settings table is consistent, then a code-only commit
    renames a variable the table documents; fixing the table in the same commit passes."""
    from test_doc_drift_env import APP, HEAD, MESSAGE

    repo, sha = hook_repo
    consumer = make_repo(tmp_path / "consumer", APP, docs={"docs/configuration.md": HEAD})
    proc = run_pre_commit(consumer, pre_commit_home, "try-repo", str(repo), "check-doc-drift", "--ref", sha, "--all-files")
    assert proc.returncode == 0, proc.stdout + proc.stderr

    config = consumer / "src/app/config.py"
    config.write_text(config.read_text().replace('"APP_DEBUG_SQL"', '"APP_SQL_ECHO"'))
    git(consumer, "add", "src/app/config.py")
    proc = run_pre_commit(consumer, pre_commit_home, "try-repo", str(repo), "check-doc-drift", "--ref", sha)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert findings(proc.stdout) == ["docs/configuration.md:8:4: " + MESSAGE.format(name="APP_DEBUG_SQL")]

    doc = consumer / "docs/configuration.md"
    doc.write_text(doc.read_text().replace("APP_DEBUG_SQL", "APP_SQL_ECHO"))
    git(consumer, "add", "docs/configuration.md")
    proc = run_pre_commit(consumer, pre_commit_home, "try-repo", str(repo), "check-doc-drift", "--ref", sha)
    assert proc.returncode == 0, proc.stdout + proc.stderr
