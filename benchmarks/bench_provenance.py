"""Benchmark check-provenance, record-provenance and `driftgate provenance report`.

    python benchmarks/bench_provenance.py [--commits N] [--repeat R] [--skip-gitlint]

Builds (with `git fast-import`, under benchmarks/.work/) a repository of N commits: a third
human, a third agent-made with a complete record, a third agent-made with a broken one; then
times, as subprocesses (interpreter start-up and imports count, as they do under pre-commit):

1. the commit-msg stage: `check-provenance MSGFILE` and `record-provenance MSGFILE` once per
   commit, against the peer commit-message linter gitlint (`gitlint --msg-filename`) and the
   floor `git interpret-trailers --parse`;
2. the pre-push / CI stage: `check-provenance --range` over all N commits against
   `gitlint --commits` over the same range; and `driftgate provenance report`.

gitlint is installed with pip into a venv under benchmarks/.work/ (not into the project's
environment). This is a script, not a test: it prints the figures for benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
import venv
from pathlib import Path
from typing import Sequence

REPO_ROOT = Path(__file__).resolve().parent.parent
WORK = REPO_ROOT / "benchmarks" / ".work" / "provenance"
HASH = "sha256:" + "5e" * 32


def message_of(index: int) -> str:
    kind = index % 3
    subject = f"change {index}: adjust module {index % 17}"
    if kind == 0:
        return f"{subject}\n\nA human wrote this one.\n"
    if kind == 1:
        return (
            f"{subject}\n\nAgent-Run-Id: run-{index}\nAgent-Model: claude-opus-4\n"
            f"Agent-Prompt-Hash: {HASH}\nAgent-Turns: {index % 40 + 1}\n"
            "Assisted-by: claude-code:claude-opus-4\n"
        )
    return f"{subject}\n\nCo-authored-by: Claude <noreply@anthropic.com>\nAgent-Turns: many\n"


def build_repo(count: int) -> Path:
    repo = WORK / f"repo-{count}"
    if (repo / ".git").is_dir():
        return repo
    repo.mkdir(parents=True, exist_ok=True)
    subprocess.run(["git", "init", "-q", "-b", "main", str(repo)], check=True)
    chunks: list[bytes] = []
    for index in range(count):
        msg = message_of(index).encode()
        blob = f"value = {index}\n".encode()
        chunks.append(
            b"commit refs/heads/main\n"
            + f"committer Bench <bench@example.test> {1700000000 + index} +0000\n".encode()
            + f"data {len(msg)}\n".encode()
            + msg
            + f"M 644 inline mod{index % 17}.py\ndata {len(blob)}\n".encode()
            + blob
            + b"\n"
        )
    subprocess.run(["git", "fast-import", "--quiet"], cwd=repo, input=b"".join(chunks), check=True)
    subprocess.run(["git", "checkout", "-q", "main"], cwd=repo, check=True)
    return repo


def gitlint_bin(skip: bool) -> Path | None:
    if skip:
        return None
    env_dir = WORK / "gitlint-venv"
    exe = env_dir / "bin" / "gitlint"
    if not exe.exists():
        venv.EnvBuilder(with_pip=True).create(env_dir)
        subprocess.run(
            [str(env_dir / "bin" / "python"), "-m", "pip", "install", "-q", "gitlint-core==0.19.1"],
            check=True,
        )
    return exe


RUN_ENV = {
    "DRIFTGATE_AGENT_RUN_ID": "run-bench",
    "DRIFTGATE_AGENT_MODEL": "claude-opus-4",
    "DRIFTGATE_AGENT_PROMPT_HASH": HASH,
    "DRIFTGATE_AGENT_NAME": "claude-code",
}


def timed(
    cmd: Sequence[str], cwd: Path, repeat: int, ok: Sequence[int] = (0, 1),
    extra_env: dict[str, str] | None = None,
) -> float:
    """Median wall time in ms of `repeat` runs."""
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT), **(extra_env or {})}
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True)
        samples.append((time.perf_counter() - start) * 1000)
        if proc.returncode not in ok:
            raise SystemExit(
                f"{' '.join(cmd)} exited {proc.returncode}: {proc.stderr.decode()[-500:]}"
            )
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--commits", type=int, default=3000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--skip-gitlint", action="store_true")
    args = parser.parse_args()
    repo = build_repo(args.commits)
    gitlint = gitlint_bin(args.skip_gitlint)
    msgs = WORK / "msgs"
    msgs.mkdir(exist_ok=True)
    for kind in range(3):
        (msgs / f"m{kind}").write_text(message_of(kind + 3))
    py = sys.executable
    rows: list[tuple[str, float]] = []
    # 1. commit-msg stage, one message per call (median over the three kinds)
    per_message = {
        "check-provenance MSGFILE": lambda m: [py, "-m", "hooks.check_provenance", str(m)],
        "record-provenance MSGFILE (no run active)": lambda m: [
            py,
            "-m",
            "hooks.record_provenance",
            str(m),
            "message",
        ],
        "git interpret-trailers --parse (floor)": lambda m: [
            "git",
            "interpret-trailers",
            "--parse",
            str(m),
        ],
    }
    if gitlint:
        per_message["gitlint --msg-filename (peer)"] = lambda m: [
            str(gitlint),
            "--ignore",
            "all",
            "--msg-filename",
            str(m),
        ]
    for label, make in per_message.items():
        rows.append(
            (
                label,
                statistics.median(timed(make(msgs / f"m{k}"), repo, args.repeat) for k in range(3)),
            )
        )
    recorded = WORK / "recorded-msg"
    recorded.write_text(message_of(0))
    rows.append((
        "record-provenance MSGFILE (run active, writes 4 trailers)",
        timed([py, "-m", "hooks.record_provenance", str(recorded), "message"], repo, args.repeat,
              extra_env=RUN_ENV),
    ))
    # 2. a whole range
    first = subprocess.run(
        ["git", "rev-list", "--max-parents=0", "HEAD"],
        cwd=repo,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    span = f"{first}..HEAD"
    rows.append(
        (
            f"check-provenance --range ({args.commits - 1} commits)",
            timed([py, "-m", "hooks.check_provenance", "--range", span], repo, args.repeat),
        )
    )
    rows.append(
        (
            f"driftgate provenance report ({args.commits} commits)",
            timed([py, "-m", "hooks", "provenance", "report"], repo, args.repeat),
        )
    )
    if gitlint:
        rows.append(
            (
                f"gitlint --commits ({args.commits - 1} commits, peer)",
                timed(
                    [str(gitlint), "--ignore", "all", "--commits", span],
                    repo,
                    min(args.repeat, 3),
                    ok=(0, 1, 2, 253, 254),
                ),
            )
        )
    findings = subprocess.run(
        [py, "-m", "hooks.check_provenance", "--range", span],
        cwd=repo,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO_ROOT)},
    ).stdout.count("\n")
    width = max(len(label) for label, _ in rows)
    print(f"{'command':<{width}}  median ms")
    for label, ms in rows:
        print(f"{label:<{width}}  {ms:9.1f}")
    print(
        f"\ncheck-provenance --range: {findings} findings (4 per broken commit, {(args.commits - 1) // 3} broken commits)"
    )


if __name__ == "__main__":
    main()
