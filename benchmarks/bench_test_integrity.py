"""check-test-integrity and verify-tests: precision on real history, recall on planted
weakenings, speed.

    python benchmarks/bench_test_integrity.py precision [--repo NAME] [--commits 300] [--unclassified]
    python benchmarks/bench_test_integrity.py recall
    python benchmarks/bench_test_integrity.py speed [--repo NAME] [--sample 20]

precision: the last N non-merge commits of three pinned real projects (the corpus snapshots
of httpie, healthchecks and peft: full git histories) replayed through part 1 with default
settings, in one process per repository, as `--range` does. Every finding is looked up in
benchmarks/truth/check-test-integrity.tsv (the schema of real_repos.py: repo, path, line,
code, verdict, note, with path `<sha12>:<test file>`); a flagged commit is a false alarm when
none of its findings is `true`.

recall: the planted set of benchmarks/planted_test_integrity.py, committed into a scratch
repository one commit each; part 1 must flag each weakening commit with its rule, part 2 each
"passes without the change" commit with DG940.

speed: one `check-test-integrity --range SHA^..SHA` process per sampled commit that touches
test files (interpreter start-up included, as pre-commit pays it), median and worst, and the
300-commit replay's wall time.
"""
from __future__ import annotations

import argparse
import collections
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent
WORK = HERE / ".work" / "testint"
TRUTH = HERE / "truth" / "check-test-integrity.tsv"
sys.path.insert(0, str(PROJECT))

# name -> (snapshot slug, pinned commit): the pins of benchmarks/real_repos.py
REPOS = {
    "httpie": ("httpie+cli", "5b604c37c6c67e18e7c3e9aee6c88a8c22b98345"),
    "healthchecks": ("healthchecks+healthchecks", "29b5ec251059034b79e0120e2ff0c3e35d7bd9f8"),
    "peft": ("huggingface+peft", "5d602fdbff04c33c1c4de55cda9d4ae1d7cb7e40"),
}
MIRROR = Path(os.environ.get("DRIFTGATE_MIRROR_ROOT", "/work/.mirror"))


def git(*args: str, cwd: Path) -> str:
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True).stdout


def prepare(name: str) -> Path:
    """A clone sharing the snapshot's objects, detached at the pin, without a work tree."""
    slug, pin = REPOS[name]
    dest = WORK / name
    if not (dest / ".git").is_dir():
        WORK.mkdir(parents=True, exist_ok=True)
        subprocess.run(["git", "clone", "-q", "--no-checkout", "--shared", str(MIRROR / slug / "repo"), str(dest)], check=True)
    git("update-ref", "--no-deref", "HEAD", pin, cwd=dest)
    return dest


def last_commits(dest: Path, count: int) -> list[str]:
    return git("rev-list", "--no-merges", "-n", str(count), REPOS[dest.name][1], cwd=dest).split()


CPU: dict = {}


def replay(dest: Path, shas: list[str]) -> tuple[list, float]:
    """Part 1 over these commits, in-process, exactly as `--range` runs each commit."""
    from hooks import check_test_integrity as hook
    from hooks._core.runner import load_settings
    from hooks._provenance import gitdata
    from hooks._testint import changes

    old = os.getcwd()
    os.chdir(dest)
    try:
        started, cpu = time.perf_counter(), time.process_time()
        settings = load_settings(hook.HOOK_ID, hook.OPTIONS, None, str(PROJECT / "benchmarks"))
        commits = gitdata.read_commits(["--no-walk=unsorted", *shas])
        changesets = [changes.of_commit(c, True) for c in reversed(commits)]
        findings = hook._check_all(changesets, hook._Parsed(), settings, hook._default_policy(), False)
        CPU[dest.name] = time.process_time() - cpu  # this process only; git's own time is in the wall time
        return findings, time.perf_counter() - started
    finally:
        os.chdir(old)


def load_truth() -> dict:
    truth = {}
    if TRUTH.is_file():
        for line in TRUTH.read_text(encoding="utf-8").splitlines():
            if not line.strip() or line.startswith(("#", "repo\t")):
                continue
            parts = line.split("\t")
            truth[(parts[0], parts[1], int(parts[2]), parts[3])] = (parts[4], parts[5] if len(parts) > 5 else "")
    return truth


def precision(args: argparse.Namespace) -> int:
    truth = load_truth()
    names = args.repo or list(REPOS)
    per_rule: dict = collections.defaultdict(set)
    commit_verdicts: dict = collections.defaultdict(list)
    unclassified = []
    total_time = 0.0
    for name in names:
        dest = prepare(name)
        shas = last_commits(dest, args.commits)
        findings, elapsed = replay(dest, shas)
        total_time += elapsed
        print(f"{name}: {len(shas)} commits, {len(findings)} findings, {elapsed:.1f} s wall, {CPU[name]:.1f} s CPU")
        for f in findings:
            sha = f.path.split(":", 1)[0]
            per_rule[f.code].add((name, sha))
            verdict = truth.get((name, f.path, f.line, f.code), ("unclassified", ""))[0]
            commit_verdicts[(name, sha)].append(verdict)
            if verdict == "unclassified":
                unclassified.append(f"{name}\t{f.path}\t{f.line}\t{f.code}\t\t{f.message}")
    print(f"\nreplay wall time (in-process, all repos): {total_time:.1f} s")
    print("\nflagged commits per rule:")
    for code in sorted(per_rule):
        print(f"  {code}: {len(per_rule[code])}")
    judged = {k: v for k, v in commit_verdicts.items() if "unclassified" not in v}
    false = [k for k, v in judged.items() if "true" not in v and "false" in v]
    debatable = [k for k, v in judged.items() if "true" not in v and "false" not in v]
    print(f"\nflagged commits: {len(commit_verdicts)}, classified {len(judged)}, "
          f"false alarms {len(false)}, debatable only {len(debatable)}")
    if judged:
        print(f"false-alarm rate over flagged commits: {100 * len(false) / len(judged):.1f}%")
    verdicts = collections.Counter(v for vs in commit_verdicts.values() for v in vs)
    print(f"findings by verdict: {dict(verdicts)}")
    if args.unclassified and unclassified:
        print("\n" + "\n".join(unclassified))
    return 0


def speed(args: argparse.Namespace) -> int:
    from hooks._testint.model import is_test_file

    floor = []
    for _ in range(args.sample):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", "pass"], capture_output=True)
        floor.append(time.perf_counter() - started)
    print(f"floor: `python -c pass` median {1000 * statistics.median(floor):.0f} ms")
    for name in args.repo or list(REPOS):
        dest = prepare(name)
        shas = last_commits(dest, 300)
        touching = []
        for sha in shas:
            files = git("diff-tree", "-r", "--no-commit-id", "--name-only", sha, cwd=dest).split()
            if any(is_test_file(f) for f in files):
                touching.append(sha)
        sample = touching[: args.sample]
        times = []
        for sha in sample:
            started = time.perf_counter()
            subprocess.run([sys.executable, "-m", "hooks.check_test_integrity", "--range", f"{sha}^..{sha}"],
                           cwd=dest, capture_output=True, env={**os.environ, "PYTHONPATH": str(PROJECT)})
            times.append(time.perf_counter() - started)
        _, elapsed = replay(dest, shas)
        print(f"{name}: per commit touching tests ({len(sample)} of {len(touching)}): median {1000 * statistics.median(times):.0f} ms, "
              f"max {1000 * max(times):.0f} ms; 300 commits in-process: {elapsed:.2f} s wall, {CPU[name]:.2f} s CPU")
    return 0


def recall(args: argparse.Namespace) -> int:
    import planted_test_integrity as planted

    return planted.main(WORK / "planted")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("precision")
    p.add_argument("--repo", action="append", choices=list(REPOS))
    p.add_argument("--commits", type=int, default=300)
    p.add_argument("--unclassified", action="store_true")
    s = sub.add_parser("speed")
    s.add_argument("--repo", action="append", choices=list(REPOS))
    s.add_argument("--sample", type=int, default=20)
    sub.add_parser("recall")
    args = parser.parse_args(argv)
    return {"precision": precision, "speed": speed, "recall": recall}[args.command](args)


if __name__ == "__main__":
    raise SystemExit(main())
