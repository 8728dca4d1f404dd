"""The per-file results cache (hooks/_core/filecache.py): a warm run reuses a file's findings,
and never when anything they depend on changed. Each test first shows the cache is read (an
entry altered on disk comes back as output), then changes one input and expects the real
answer again. Credentials are random at run time (tests/_secrets_support.py)."""
from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path
from typing import Any, Callable

import _secrets_support as fakes
import pytest
from conftest import DEEP, PROJECT_ROOT, commit_all

import hooks
from hooks import cli
from hooks._core import filecache, pyversion
from hooks.check_nesting import main as check_nesting

REAL = "deep.py:6:21: DG501 `deep` nests blocks 5 deep (max 4): for > for > for > for > if"
ALTERED = "deep.py:6:21: DG501 read from the cache"


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    directory = tmp_path / "cache"
    monkeypatch.setenv("DRIFTGATE_CACHE_DIR", str(directory))
    return directory


def packs(cache: Path, hook_id: str) -> list[Path]:
    return sorted((cache / filecache.FORMAT / hook_id).glob("*.json"))


def alter(cache: Path, hook_id: str, change: Callable[[str, Any], Any]) -> None:
    """Rewrite every entry of the hook's packs with `change(path, value)`."""
    found = packs(cache, hook_id)
    assert found, "the first run wrote no pack"
    for pack in found:
        data = json.loads(pack.read_text())
        pack.write_text(json.dumps({path: [entry[0], change(path, entry[1]), *entry[2:]] for path, entry in data.items()}))


def say_cached(_path: str, value: Any) -> Any:
    return [[line, col, code, "read from the cache"] for line, col, code, _ in value]


def nesting(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, list[str], str]:
    code = check_nesting(list(argv))
    out, err = capsys.readouterr()
    return code, out.splitlines(), err


def test_a_warm_run_reuses_the_findings_of_an_unchanged_file(
    in_tmp: Path, cache: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (in_tmp / "deep.py").write_text(DEEP)
    assert nesting(capsys, "deep.py") == (1, [REAL], "")
    alter(cache, "check-nesting", say_cached)
    assert nesting(capsys, "deep.py") == (1, [ALTERED], "")


def test_an_edited_file_is_checked_again(in_tmp: Path, cache: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (in_tmp / "deep.py").write_text(DEEP)
    nesting(capsys, "deep.py")
    alter(cache, "check-nesting", say_cached)
    # same size, written at once: only the content tells it apart
    (in_tmp / "deep.py").write_text(DEEP.replace("pass", "stop"))
    assert nesting(capsys, "deep.py") == (1, [REAL], "")
    (in_tmp / "deep.py").write_text("def fine():\n    return 1\n")
    assert nesting(capsys, "deep.py") == (0, [], "")


def test_changed_settings_are_checked_again(in_tmp: Path, cache: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (in_tmp / "deep.py").write_text(DEEP)
    nesting(capsys, "deep.py")
    alter(cache, "check-nesting", say_cached)
    (in_tmp / "pyproject.toml").write_text("[tool.driftgate.check-nesting]\nmax-depth = 3\n")
    code, out, _ = nesting(capsys, "deep.py")
    assert (code, out) == (1, [REAL.replace("(max 4)", "(max 3)").replace("6:21", "5:17")])
    assert nesting(capsys, "--max-depth", "5", "deep.py") == (0, [], "")
    assert nesting(capsys, "--ignore", "DG501", "deep.py") == (0, [], "")


def test_an_upgraded_driftgate_checks_again(
    in_tmp: Path, cache: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (in_tmp / "deep.py").write_text(DEEP)
    nesting(capsys, "deep.py")
    alter(cache, "check-nesting", say_cached)
    monkeypatch.setattr(hooks, "__version__", hooks.__version__ + ".post1")
    monkeypatch.setattr(filecache, "_code_fingerprint", None)  # as a new process computes it
    assert nesting(capsys, "deep.py") == (1, [REAL], "")


def test_edited_driftgate_code_checks_again(tmp_path: Path, cache: Path) -> None:
    """A checkout's module edited in place (same version number) is another fingerprint."""
    import shutil

    copy = tmp_path / "copy"
    shutil.copytree(PROJECT_ROOT / "hooks", copy / "hooks", ignore=shutil.ignore_patterns("__pycache__"))
    probe = "import sys; sys.path.insert(0, sys.argv[1]); from hooks._core import filecache; print(filecache.code_fingerprint())"
    before = subprocess.run([sys.executable, "-c", probe, str(copy)], capture_output=True, text=True, check=True).stdout
    with open(copy / "hooks" / "check_nesting.py", "a") as handle:
        handle.write("\n# edited\n")
    after = subprocess.run([sys.executable, "-c", probe, str(copy)], capture_output=True, text=True, check=True).stdout
    assert before.strip() and after.strip() and before != after


def test_a_corrupt_cache_is_recomputed_silently(in_tmp: Path, cache: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (in_tmp / "deep.py").write_text(DEEP)
    nesting(capsys, "deep.py")
    for garbage in (b"\xff\x00 not json", b'{"deep.py": 7}', b'{"deep.py": ["x", [[1]]]}', b"[1, 2]",
                    b"[" * 100_000, b'{"deep.py": ["h", [[1, 2, 3]], null, ""]}'):
        for pack in packs(cache, "check-nesting"):
            pack.write_bytes(garbage)
        assert nesting(capsys, "deep.py") == (1, [REAL], "")
    # the damaged pack was replaced by a good one
    alter(cache, "check-nesting", say_cached)
    assert nesting(capsys, "deep.py") == (1, [ALTERED], "")


def test_an_unwritable_cache_only_costs_time(
    in_tmp: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("a file where the cache directory should be\n")
    monkeypatch.setenv("DRIFTGATE_CACHE_DIR", str(blocker / "driftgate"))
    (in_tmp / "deep.py").write_text(DEEP)
    assert nesting(capsys, "deep.py") == (1, [REAL], "")
    assert nesting(capsys, "deep.py") == (1, [REAL], "")


def test_runs_on_different_files_share_one_pack(in_tmp: Path, cache: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """pre-commit gives parallel processes a share of the files each: each merges its
    entries into the pack on disk instead of replacing the others'."""
    (in_tmp / "deep.py").write_text(DEEP)
    (in_tmp / "other.py").write_text(DEEP.replace("deep", "other"))
    nesting(capsys, "deep.py")
    nesting(capsys, "other.py")
    alter(cache, "check-nesting", say_cached)
    code, out, _ = nesting(capsys, "deep.py", "other.py")
    assert (code, out) == (1, [ALTERED, ALTERED.replace("deep.py", "other.py")])


def test_suppressions_and_files_that_do_not_parse(in_tmp: Path, cache: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A suppression comment added to a file is its edit; a file too new to parse warns on
    every run, cached or not."""
    (in_tmp / "deep.py").write_text(DEEP)
    nesting(capsys, "deep.py")
    (in_tmp / "deep.py").write_text(DEEP.replace("if d:", "if d:  # driftgate: ignore[DG501]"))
    assert nesting(capsys, "deep.py") == (0, [], "")
    (in_tmp / "new.py").write_text("def f(:\n    pass\n")
    code, out, _ = nesting(capsys, "new.py")
    assert code == 1 and out[0].startswith("new.py:1:7: DG500")
    # the project now targets a newer Python: not a finding any more, a warning on every run
    newer = f"3.{sys.version_info[1] + 1}"
    (in_tmp / "pyproject.toml").write_text(f'[project]\nname = "x"\nrequires-python = ">={newer}"\n')
    pyversion._cache.clear()  # read once per process: the next commit is a new process
    for _ in range(2):
        code, out, err = nesting(capsys, "new.py")
        assert (code, out) == (0, [])
        assert "1 file(s) not checked (new.py)" in err


def test_secrets_baseline_change_is_checked_again(repo: Path, cache: Path, capsys: pytest.CaptureFixture[str]) -> None:
    token = fakes.github_classic("ghp")(random.Random(7))
    (repo / "settings.py").write_text(f'TOKEN = "{token}"\n')
    commit_all(repo)
    assert cli.main(["check-secrets", "settings.py"]) == 1
    assert "DG3" in capsys.readouterr().out
    assert cli.main(["secrets-baseline"]) == 0
    capsys.readouterr()
    assert cli.main(["check-secrets", "settings.py"]) == 0
    assert capsys.readouterr().out == ""


def test_env_files_judged_by_compose_are_not_cached(repo: Path, cache: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """DG390 on an env file depends on the compose files that load it: never cached."""
    (repo / "deploy.env").write_text("COMPOSE_PROJECT_NAME=shop\nDEBUG=true\n")
    (repo / "app.py").write_text("x = 1\n")
    commit_all(repo)
    cli.main(["check-secrets", "deploy.env", "app.py"])
    capsys.readouterr()
    entries = {path for pack in packs(cache, "check-secrets") for path in json.loads(pack.read_text())}
    assert entries == {"app.py"}


def test_staged_agent_leftovers_are_not_cached(repo: Path, cache: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """Under pre-commit, silenced failures count on the staged lines only: the findings
    depend on the index, so that run is not cached."""
    body = "def f():\n    try:\n        g()\n    except Exception:\n        pass\n"
    (repo / "mod.py").write_text("x = 1\n")
    commit_all(repo)
    (repo / "mod.py").write_text(body)
    monkeypatch.setenv("PRE_COMMIT", "1")
    assert cli.main(["check-agent-leftovers", "mod.py"]) == 0  # not staged: not part of the change
    subprocess.run(["git", "add", "mod.py"], cwd=repo, check=True)
    assert cli.main(["check-agent-leftovers", "mod.py"]) == 1
    assert "DG854" in capsys.readouterr().out


def test_scan_cold_and_warm_print_the_same(repo: Path, cache: Path) -> None:
    (repo / "pkg").mkdir()
    (repo / "pkg" / "deep.py").write_text(DEEP)
    (repo / "pkg" / "stub.py").write_text("def todo():\n    raise NotImplementedError\n")
    (repo / "README.md").write_text("# demo\n")
    commit_all(repo)
    env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT), "DRIFTGATE_CACHE_DIR": str(cache)}
    args = [sys.executable, "-m", "hooks.cli", "scan", "--offline", "--skip", "check-hallucinated-apis"]
    cold = subprocess.run(args, cwd=repo, env=env, capture_output=True, text=True)
    warm = subprocess.run(args, cwd=repo, env=env, capture_output=True, text=True)
    assert cold.stdout and (cold.returncode, cold.stdout, cold.stderr) == (warm.returncode, warm.stdout, warm.stderr)
    assert packs(cache, "check-nesting")


def test_a_file_edited_behind_an_unchanged_mtime_is_checked_again(
    in_tmp: Path, cache: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An old file's entry is trusted on its stat signature (no read); an edit that keeps the
    size and puts the mtime back (as `touch -r`, a checkout, a coarse clock may) still changes
    the signature (ctime), so the file is read and hashed again."""
    deep = in_tmp / "deep.py"
    deep.write_text(DEEP)
    old = (1_600_000_000, 1_600_000_000)
    os.utime(deep, old)
    nesting(capsys, "deep.py")
    nesting(capsys, "deep.py")  # the signature is recorded once the file is known settled
    entries = [entry for pack in packs(cache, "check-nesting") for entry in json.loads(pack.read_text()).values()]
    assert entries and all(entry[2] is not None for entry in entries)
    alter(cache, "check-nesting", say_cached)
    assert nesting(capsys, "deep.py") == (1, [ALTERED], "")
    deep.write_text(DEEP.replace("pass", "stop"))
    os.utime(deep, old)
    assert nesting(capsys, "deep.py") == (1, [REAL], "")


FORKS = pytest.mark.skipif(os.name != "posix" or sys.platform == "darwin", reason="workers are forked on Linux only")


@FORKS
def test_scan_spread_over_workers_prints_what_one_process_prints(
    repo: Path, cache: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A large scan runs the hooks in two worker processes: stdout, stderr (each hook's lines
    in hook order, a skipped file once) and the exit status are those of one process."""
    from hooks._core import runner

    (repo / "pkg").mkdir()
    for n in range(12):  # over a MiB of source, so the hooks are spread
        (repo / "pkg" / f"mod{n}.py").write_text(DEEP.replace("deep", f"deep{n}") + "x = 1\n" * 16_000)
    (repo / "pkg" / "stub.py").write_text("def todo():\n    raise NotImplementedError\n")
    (repo / "latin1.txt").write_bytes(b"caf\xe9 au lait\n")  # undecodable: skipped, said once
    commit_all(repo)
    monkeypatch.delenv("PRE_COMMIT", raising=False)
    monkeypatch.setattr(runner, "_usable_cpus", lambda: 2)
    argv = ["scan", "--offline", "--skip", "check-hallucinated-apis", "--skip", "check-undeclared-imports"]

    spread: list[bool] = []
    original = cli._spread_gates
    monkeypatch.setattr(cli, "_spread_gates", lambda *a: spread.append(original(*a)) or spread[-1])
    parallel = (cli.main(argv), *capsys.readouterr())
    assert spread == [True]
    monkeypatch.setattr(cli, "_spread_gates", lambda *a: False)
    for pack in cache.rglob("*.json"):
        pack.unlink()  # the serial run checks every file again
    serial = (cli.main(argv), *capsys.readouterr())
    assert parallel == serial
    code, out, err = serial
    assert code == 1 and "pkg/mod11.py" in out and "pkg/stub.py" in out
    assert err.count("latin1.txt: skipped") == 1
