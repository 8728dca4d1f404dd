"""check-env-vars remembers what the declaration files declare between commits (issue 15): a
commit that touches only code reads no compose file, workflow or doc page (and imports no
YAML parser), and an edited declaration file is read again."""
from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from _env_vars_support import EXPECTED, build_fixture

ROOT = Path(__file__).resolve().parents[1]
PROBE = (
    "import sys\nfrom hooks.check_env_vars import main\n"
    "code = main(sys.argv[1:])\n"
    "print(code, 'yaml' in sys.modules, file=sys.stderr)\n"
)
FILES = ["services/worker/worker.py", "services/api/app/main.py"]


def _age(repo: Path, seconds: float = 60.0) -> None:
    """Files committed a while ago (a file edited within the last seconds is never cached:
    its next edit might keep its size and timestamp)."""
    past = time.time() - seconds
    for path in repo.rglob("*"):
        if ".git" not in path.parts and path.is_file():
            os.utime(path, (past, past))


def _run(repo: Path, cache: Path, base: dict[str, str] | None = None) -> tuple[list[str], str]:
    env = {**(base or os.environ), "PYTHONPATH": str(ROOT), "DRIFTGATE_CACHE_DIR": str(cache)}
    proc = subprocess.run([sys.executable, "-c", PROBE, *FILES], cwd=repo, env=env,
                          capture_output=True, text=True, check=False)
    return proc.stdout.splitlines(), proc.stderr


def test_declarations_come_from_the_cache_until_a_declaration_file_changes(tmp_path: Path) -> None:
    repo = build_fixture(tmp_path / "repo")
    _age(repo)
    cache = tmp_path / "cache"
    expected = [line for line in EXPECTED if line.split(":", 1)[0] in FILES]
    assert any("MAX_RETRIES" in line for line in expected)
    assert _run(repo, cache) == (expected, "1 True\n")  # reads the compose files (YAML)
    assert _run(repo, cache) == (expected, "1 False\n")  # same answer, no declaration file read
    # a declaration file edited (its size and time change): read again, the new name counts
    compose = repo / "docker-compose.yml"
    compose.write_text(compose.read_text().replace(
        "      - QUEUE_NAME=default\n", "      - QUEUE_NAME=default\n      - MAX_RETRIES=3\n"))
    _age(repo, 30.0)
    fixed = [line for line in expected if "MAX_RETRIES" not in line]
    assert fixed != expected
    assert _run(repo, cache) == (fixed, "1 True\n")
    assert _run(repo, cache) == (fixed, "1 False\n")


def test_a_damaged_or_foreign_cache_entry_is_a_miss(tmp_path: Path) -> None:
    repo = build_fixture(tmp_path / "repo")
    _age(repo)
    cache = tmp_path / "cache"
    first = _run(repo, cache)
    entries = list(cache.glob("env-declarations-v*/*.json"))
    assert len(entries) == 1
    for damaged in ("{not json", '{"key": 1}', "[]", entries[0].read_text().replace('"sites": [[', '"sites": [[7, ')):
        entries[0].write_text(damaged)
        assert _run(repo, cache) == first  # read from the files again, and rewritten
    assert _run(repo, cache) == (first[0], "1 False\n")


def test_a_just_edited_declaration_file_is_not_cached(tmp_path: Path) -> None:
    """Within a second or two of an edit, a second edit could keep size and mtime: no entry."""
    repo = build_fixture(tmp_path / "repo")
    cache = tmp_path / "cache"
    first = _run(repo, cache)
    assert not list(cache.glob("env-declarations-v*/*.json"))
    assert _run(repo, cache) == first


def test_the_codes_own_writes_are_searched_again_only_in_changed_files(tmp_path: Path) -> None:
    """`os.environ["X"] = ...` in the project's code declares X. Once the repository has been
    searched (one `git grep`), a commit runs no git grep while no changed file can hold such
    a write, and searches only the changed files when one may (git is wrapped here only to
    log its command lines; it is the real git that answers)."""
    import shutil

    repo = build_fixture(tmp_path / "repo")
    _age(repo)
    log = tmp_path / "git.log"
    wrapper = tmp_path / "bin" / "git"
    wrapper.parent.mkdir()
    wrapper.write_text(f'#!/bin/sh\necho "$*" >> "{log}"\nexec "{shutil.which("git")}" "$@"\n')
    wrapper.chmod(0o755)
    env = {**os.environ, "PATH": f"{wrapper.parent}{os.pathsep}{os.environ['PATH']}"}
    cache = tmp_path / "cache"
    expected = [line for line in EXPECTED if line.split(":", 1)[0] in FILES]
    flagged = next(line for line in expected if "DEBUG_TOOLBAR" in line)

    def greps() -> list[str]:
        lines = log.read_text().splitlines() if log.exists() else []
        log.write_text("")
        return [line for line in lines if line.startswith("grep ")]

    assert _run(repo, cache, env) == (expected, "1 True\n") and len(greps()) == 1  # cold
    jobs = repo / "services/api/app/jobs.py"
    jobs.write_text(jobs.read_text() + "\n# a comment only\n")
    assert _run(repo, cache, env)[0] == expected and greps() == []  # nothing can match: no git grep
    jobs.write_text(jobs.read_text() + 'os.environ["DEBUG_TOOLBAR"] = "1"\n')
    assert _run(repo, cache, env)[0] == [line for line in expected if line != flagged]
    assert [line.rsplit(" -- ", 1)[1] for line in greps()] == [":(literal)services/api/app/jobs.py"]
    jobs.write_text(jobs.read_text().replace('os.environ["DEBUG_TOOLBAR"] = "1"\n', ""))
    assert _run(repo, cache, env)[0] == expected
