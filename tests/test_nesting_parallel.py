"""check-nesting splits a large run across CPUs (hooks._core.runner.per_file) and turns the
cycle collector off while it parses; neither may change what a user sees."""
from __future__ import annotations

import gc
import os
import subprocess
import sys
from pathlib import Path

import pytest

from hooks._core import runner
from hooks.check_nesting import main

ROOT = Path(__file__).resolve().parent.parent

DEEP = """\
def handle(items):
    for item in items:
        if item:
            try:
                while item:
                    if item.ok:
                        item = None
            finally:
                pass
"""
# Padding that parses but finds nothing, to push a run past PARALLEL_MIN_BYTES.
FLAT = "".join(f"def f{i}(x):\n    return x + {i}\n\n\n" for i in range(1200))


def write_tree(tmp_path: Path) -> list[str]:
    """40 files (about 1.3 MB) with findings at the start, middle and end, a syntax error
    and an undecodable file, so every worker has something to report."""
    names = []
    for i in range(40):
        body = FLAT + (DEEP if i in (0, 17, 39) else "")
        if i == 25:
            body += "def broken(:\n"
        name = f"m{i:02d}.py"
        (tmp_path / name).write_text(body)
        names.append(name)
    (tmp_path / "latin.py").write_bytes(b"x = '\xe9'\n")
    names.insert(20, "latin.py")
    return names


def expected_stdout(names: list[str]) -> list[str]:
    lines = []
    for name in sorted(names):
        if name in ("m00.py", "m17.py", "m39.py"):
            line = FLAT.count("\n") + 6
            lines.append(
                f"{name}:{line}:21: DG501 `handle` nests blocks 5 deep (max 4): "
                "for > if > try > while > if"
            )
        if name == "m25.py":
            lines.append(f"{name}:{FLAT.count(chr(10)) + 1}:12: DG500 syntax error: invalid syntax")
    return lines


def run_cli(tmp_path: Path, names: list[str], pre_commit: bool) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "PRE_COMMIT"}
    env["PYTHONPATH"] = str(ROOT)
    if pre_commit:
        env["PRE_COMMIT"] = "1"  # what pre-commit sets: the hook then stays in one process
    return subprocess.run(
        [sys.executable, "-m", "hooks.check_nesting", *names],
        cwd=tmp_path, env=env, capture_output=True, text=True, check=False,
    )


FORKS = pytest.mark.skipif(os.name != "posix" or sys.platform == "darwin", reason="workers fork")


@FORKS
def test_workers_report_exactly_what_one_process_reports(tmp_path: Path) -> None:
    names = write_tree(tmp_path)
    total = sum((tmp_path / n).stat().st_size for n in names)
    assert total > runner.PARALLEL_MIN_BYTES  # the run below does split

    split = run_cli(tmp_path, names, pre_commit=False)
    single = run_cli(tmp_path, names, pre_commit=True)

    assert split.stdout.splitlines() == expected_stdout(names)
    assert split.stderr.splitlines() == [
        "driftgate: latin.py: skipped, not valid UTF-8 (invalid continuation byte at byte 5)"
    ]
    assert split.returncode == 1
    assert (split.stdout, split.stderr, split.returncode) == (
        single.stdout, single.stderr, single.returncode
    )


@FORKS
def test_worker_errors_keep_path_order_and_exit_2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    names = write_tree(tmp_path)
    # exists as a name, cannot be opened: read errors come from both processes' shares
    (tmp_path / "a_gone.py").symlink_to(tmp_path / "nowhere")
    (tmp_path / "z_gone.py").symlink_to(tmp_path / "nowhere")
    paths = ["a_gone.py", *names, "z_gone.py"]
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("PRE_COMMIT", raising=False)
    monkeypatch.setattr(runner, "_usable_cpus", lambda: 2)
    chunks = runner.parallel_chunks(paths)
    assert chunks is not None and len(chunks) == 2
    assert "a_gone.py" in chunks[0] and "z_gone.py" in chunks[1]

    assert main(paths) == 2
    out, err = capsys.readouterr()
    assert out.splitlines() == expected_stdout(names)
    assert err.splitlines()[-2:] == [
        "check-nesting: error: a_gone.py: cannot read: No such file or directory",
        "check-nesting: error: z_gone.py: cannot read: No such file or directory",
    ]


@pytest.mark.parametrize(
    ("cpus", "sizes", "pre_commit", "expected"),
    [
        (2, [600_000, 600_000], False, [["a0"], ["a1"]]),
        (2, [400_000, 400_000, 400_000, 400_000], False, [["a0", "a1"], ["a2", "a3"]]),
        (2, [1_200_000, 10, 10], False, [["a0"], ["a1", "a2"]]),
        (3, [600_000] * 3, False, [["a0"], ["a1"], ["a2"]]),
        (3, [500_000] * 3, False, [["a0", "a1"], ["a2"]]),  # half a MiB at least per process
        (64, [600_000] * 3, False, [["a0"], ["a1"], ["a2"]]),
        (1, [600_000, 600_000], False, None),  # one CPU: no workers
        (2, [600_000, 600_000], True, None),  # pre-commit already runs one process per CPU
        (2, [100_000, 100_000], False, None),  # too little source to pay for a fork
        (2, [2_000_000], False, None),  # one file cannot be split
    ],
)
def test_parallel_chunks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cpus: int,
                         sizes: list[int], pre_commit: bool, expected: list[list[str]] | None) -> None:
    if os.name != "posix" or sys.platform == "darwin":
        expected = None
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(runner, "_usable_cpus", lambda: cpus)
    if pre_commit:
        monkeypatch.setenv("PRE_COMMIT", "1")
    else:
        monkeypatch.delenv("PRE_COMMIT", raising=False)
    for i, size in enumerate(sizes):
        (tmp_path / f"a{i}").write_bytes(b"#" * size)
    assert runner.parallel_chunks([f"a{i}" for i in range(len(sizes))]) == expected


@pytest.mark.parametrize("was_enabled", [True, False])
def test_cycle_collector_state_is_restored(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                           capsys: pytest.CaptureFixture[str], was_enabled: bool) -> None:
    (tmp_path / "deep.py").write_text(DEEP)
    monkeypatch.chdir(tmp_path)
    (gc.enable if was_enabled else gc.disable)()
    try:
        assert main(["deep.py"]) == 1
        assert gc.isenabled() is was_enabled
    finally:
        gc.enable()
    assert capsys.readouterr().out.splitlines() == [
        "deep.py:6:21: DG501 `handle` nests blocks 5 deep (max 4): for > if > try > while > if"
    ]
