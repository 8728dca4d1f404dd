"""check-env-vars through real pre-commit (try-repo, then a consumer config), whose file
splitting across parallel processes must not hide any declaration from any process."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from _env_vars_support import EXPECTED, FILES, git, make_repo

PROJECT = Path(__file__).parents[1]
EXTRA_FILES = 30
pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")


def hook_repo(tmp: Path) -> tuple[Path, str]:
    """This worktree's files (tracked, plus new ones not ignored) committed in a fresh repo:
    try-repo ignores uncommitted files."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=PROJECT, capture_output=True, text=True, check=True,
    ).stdout.split("\0")
    files = {}
    for rel in filter(None, listed):
        src = PROJECT / rel
        if src.is_file():
            files[rel] = src.read_bytes()
    repo = make_repo(tmp, files)
    return repo, git(repo, "rev-parse", "HEAD").strip()


def consumer_files() -> dict[str, str]:
    files = dict(FILES)
    for i in range(EXTRA_FILES):
        # DATABASE_URL is declared only by docker-compose.yml: a process that did not read
        # the whole repository itself would report it here
        files[f"services/api/app/extra_{i:02}.py"] = (
            "import os\n\nURL = os.environ['DATABASE_URL']\n"
            f"VALUE = os.getenv('EXTRA_{i:02}')\n"
        )
    return files


def extra_lines() -> list[str]:
    return [
        f"services/api/app/extra_{i:02}.py:4:9: DG401 EXTRA_{i:02} is read "
        "(os.getenv(), has a default) but declared nowhere"
        for i in range(EXTRA_FILES)
    ]


def pre_commit(cwd: Path, home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PRE_COMMIT", "GIT_"))}
    env["PRE_COMMIT_HOME"] = str(home)
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", *args], cwd=cwd, capture_output=True, text=True, check=False,
        env=env, timeout=600,
    )


def finding_lines(output: str) -> list[str]:
    return [line for line in output.splitlines() if re.match(r"\S+:\d+:\d+: DG4\d\d ", line)]


def test_try_repo_all_files_split_across_processes(tmp_path):
    from pre_commit.lang_base import target_concurrency
    from pre_commit.xargs import partition

    repo, _ = hook_repo(tmp_path / "hooks")
    consumer = make_repo(tmp_path / "consumer", consumer_files())
    code_files = [p for p in consumer_files() if p.endswith((".py", ".ts", ".tsx"))]
    if target_concurrency() > 1:  # pre-commit really runs several processes here
        assert len(partition(("check-env-vars",), code_files, target_concurrency())) > 1

    proc = pre_commit(consumer, tmp_path / "home", "try-repo", str(repo), "check-env-vars",
                      "--all-files")
    output = proc.stdout + proc.stderr
    assert proc.returncode == 1, output
    assert "- hook id: check-env-vars" in output
    # every finding exactly once, and nothing else: no DATABASE_URL from any process
    assert sorted(finding_lines(output)) == sorted(EXPECTED + extra_lines())
    assert "DATABASE_URL" not in output
    assert "error" not in output.lower().replace("exit code", "")


def test_readme_dg410_recipe_in_a_consumer_config(tmp_path):
    repo, rev = hook_repo(tmp_path / "hooks")
    readme = (PROJECT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("### check-env-vars"):]
    recipe = re.search(r"```yaml\n(.*?)```", section, re.DOTALL).group(1)
    config = f"repos:\n  - repo: {repo}\n    rev: {rev}\n    hooks:\n{recipe}"
    files = consumer_files()
    files[".pre-commit-config.yaml"] = config
    consumer = make_repo(tmp_path / "consumer", files)

    proc = pre_commit(consumer, tmp_path / "home", "run", "--all-files")
    output = proc.stdout + proc.stderr
    assert proc.returncode == 1, output
    lines = finding_lines(output)
    unused = [line for line in lines if " DG410 " in line]
    assert unused == [
        ".env.example:5:1: DG410 UNUSED_EXAMPLE_SETTING is declared here (dotenv) but no code reads it",
        "services/api/Dockerfile:5:5: DG410 LEGACY_MODE is declared here (Dockerfile ENV) but no code reads it",
    ]
    assert sorted(set(lines) - set(unused)) == sorted(EXPECTED + extra_lines())


def test_one_finding_per_variable_is_per_process(tmp_path):
    """A variable read in 30 files: each pre-commit process reports it once, at its first
    read, counting the other reads it saw; together they account for every read."""
    from pre_commit.lang_base import target_concurrency

    repo, _ = hook_repo(tmp_path / "hooks")
    files = dict(FILES)
    for i in range(EXTRA_FILES):
        files[f"services/api/app/shared_{i:02}.py"] = "import os\n\nVALUE = os.getenv('SHARED_ACROSS')\n"
    consumer = make_repo(tmp_path / "consumer", files)

    proc = pre_commit(consumer, tmp_path / "home", "try-repo", str(repo), "check-env-vars", "--all-files")
    output = proc.stdout + proc.stderr
    assert proc.returncode == 1, output
    shared = [line for line in finding_lines(output) if " SHARED_ACROSS " in line]
    assert 1 <= len(shared) <= max(1, target_concurrency()), shared
    reads = 0
    for line in shared:
        more = re.search(r"\(and (\d+) more reads?\)$", line)
        reads += 1 + (int(more.group(1)) if more else 0)
    assert reads == EXTRA_FILES, shared
    # the fixture's own findings are unchanged
    assert sorted(line for line in finding_lines(output) if " SHARED_ACROSS " not in line) == sorted(EXPECTED)
