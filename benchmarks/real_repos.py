"""Precision on real code: `driftgate scan` with default settings over pinned public repositories,
every finding compared with the committed truth files.

    python benchmarks/real_repos.py [--repo NAME] [--hook ID] [--skip ID] [--unclassified]
                                    [--mirror-root DIR] [--list]

Each repository is a git snapshot brought by the search tool's `fetch`
(`<mirror-root>/<owner>+<name>/repo`, default /work/.mirror). It is cloned (shared objects, no
copy) into `benchmarks/.work/real/<name>/` and checked out at its pinned commit; a blob the
snapshot lacks (files of 4 MiB and more) is left out of the work tree with a sparse checkout,
and the count is printed. Then `python -m hooks.cli scan` of *this* checkout runs on it, its
findings are written to `benchmarks/.work/real/<name>.findings.jsonl`, and each is looked up in
`benchmarks/truth/<hook-id>.tsv`:

    repo<TAB>path<TAB>line<TAB>code<TAB>verdict<TAB>note

with verdict `true` (a real problem the user should fix), `false` (a false alarm) or
`debatable`. Precision per hook is true / (true + false) over this run's classified findings.
A truth row marked `true` that this run no longer reports is listed as lost. `--unclassified`
prints this run's unclassified findings as truth rows with an empty verdict, ready to classify.

The network hooks ask the index pip is configured with, about the names these projects declare
and import, as a user's run would.
"""
from __future__ import annotations

import argparse
import collections
import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent
WORK = HERE / ".work" / "real"
TRUTH_DIR = HERE / "truth"
VERDICTS = ("true", "false", "debatable")


@dataclass(frozen=True)
class Repo:
    name: str
    slug: str  # owner/name on GitHub, as `fetch` names it
    commit: str
    kind: str


REPOS: tuple[Repo, ...] = (
    Repo("netbox", "netbox-community/netbox", "43fe81f9e833228c9869f7ddadb67e6c5f145060",
         "Django application, code in a subdirectory (netbox/)"),
    Repo("saleor", "saleor/saleor", "723cd4eba87dfc72822ade45dc08a3caa548428d",
         "Django + GraphQL application requiring Python 3.12"),
    Repo("healthchecks", "healthchecks/healthchecks", "29b5ec251059034b79e0120e2ff0c3e35d7bd9f8",
         "Django application with Docker files"),
    Repo("fastapi-template", "fastapi/full-stack-fastapi-template", "68adb40d37425f6f8668ec7e5a054500d045e43e",
         "FastAPI + pydantic-settings back end, React/TypeScript front end, compose"),
    Repo("plane", "makeplane/plane", "4ca6d6c7b807ad09bb571af2c43e85bf47c3ec6b",
         "Django + Next.js monorepo with nested requirements"),
    Repo("httpie", "httpie/cli", "5b604c37c6c67e18e7c3e9aee6c88a8c22b98345", "command-line tool"),
    Repo("peft", "huggingface/peft", "5d602fdbff04c33c1c4de55cda9d4ae1d7cb7e40", "machine-learning library"),
    Repo("pydantic-ai", "pydantic/pydantic-ai", "4fda38988f2939fa6ea9cdefcf120693e10ef491",
         "uv-workspace monorepo (several packages, examples, docs)"),
)


def git(*args: str, cwd: Path | None = None, check: bool = True) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True)
    if check and proc.returncode != 0:
        raise SystemExit(f"git {' '.join(args)} failed: {proc.stderr.strip()}")
    return proc


def snapshot_dir(repo: Repo, mirror_root: Path) -> Path:
    return mirror_root / repo.slug.replace("/", "+") / "repo"


def missing_blobs(snapshot: Path, commit: str) -> list[str]:
    """Paths at `commit` whose blob the snapshot does not hold."""
    listing = git("ls-tree", "-r", "-z", commit, cwd=snapshot).stdout.split("\0")
    entries = [line.split("\t", 1) for line in listing if line]
    blobs = [(meta.split()[2], path) for meta, path in entries if meta.split()[1] == "blob"]
    proc = subprocess.run(
        ["git", "cat-file", "--batch-check"], cwd=snapshot, capture_output=True, text=True,
        input="".join(f"{sha}\n" for sha, _ in blobs),
    )
    return [path for (_, path), answer in zip(blobs, proc.stdout.splitlines()) if answer.endswith(" missing")]


def prepare(repo: Repo, mirror_root: Path) -> tuple[Path, int]:
    """The checked-out repository and how many files the snapshot lacked."""
    dest = WORK / repo.name
    snapshot = snapshot_dir(repo, mirror_root)
    stamp = WORK / f"{repo.name}.commit"
    if dest.is_dir() and stamp.is_file() and stamp.read_text().split()[0] == repo.commit:
        return dest, int(stamp.read_text().split()[1])
    if not snapshot.is_dir():
        raise SystemExit(
            f"{repo.name}: no snapshot at {snapshot}; fetch github:{repo.slug} with the search tool first"
        )
    if dest.exists():
        subprocess.run(["rm", "-rf", str(dest)], check=True)
    WORK.mkdir(parents=True, exist_ok=True)
    git("clone", "-q", "--no-checkout", "--shared", str(snapshot), str(dest))
    lacking = missing_blobs(snapshot, repo.commit)
    if lacking:
        git("config", "core.sparseCheckout", "true", cwd=dest)
        patterns = ["/*"] + ["!/" + path.replace("*", "\\*") for path in lacking]
        (dest / ".git" / "info" / "sparse-checkout").write_text("\n".join(patterns) + "\n")
    git("checkout", "-q", "--detach", repo.commit, cwd=dest)
    stamp.write_text(f"{repo.commit} {len(lacking)}\n")
    return dest, len(lacking)


def scan(dest: Path, hooks: list[str], skip: list[str]) -> tuple[list[dict[str, object]], float, str]:
    args = [sys.executable, "-m", "hooks.cli", "scan", str(dest), "--format", "jsonl"]
    args += [f"--hook={h}" for h in hooks] + [f"--skip={h}" for h in skip]
    env = {**os.environ, "PYTHONPATH": str(PROJECT)}
    start = time.perf_counter()
    proc = subprocess.run(args, capture_output=True, text=True, env=env, cwd=PROJECT)
    elapsed = time.perf_counter() - start
    findings = [json.loads(line) for line in proc.stdout.splitlines() if line.strip()]
    return findings, elapsed, proc.stderr.strip()


def load_truth() -> dict[tuple[str, str, int, str], tuple[str, str, str]]:
    """(repo, path, line, code) -> (verdict, note, truth file)."""
    truth: dict[tuple[str, str, int, str], tuple[str, str, str]] = {}
    for tsv in sorted(TRUTH_DIR.glob("*.tsv")):
        for number, line in enumerate(tsv.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip() or line.startswith("#") or line.startswith("repo\t"):
                continue
            parts = line.split("\t")
            if len(parts) < 5 or parts[4] not in VERDICTS or not parts[2].isdigit():
                raise SystemExit(f"{tsv.name}:{number}: expected repo, path, line, code, verdict, note")
            key = (parts[0], parts[1], int(parts[2]), parts[3])
            truth[key] = (parts[4], parts[5] if len(parts) > 5 else "", tsv.name)
    return truth


def _scanned_hooks() -> tuple[str, ...]:
    sys.path.insert(0, str(PROJECT))
    from hooks._core.registry import FILE_HOOKS

    return FILE_HOOKS


def tracked_file_count(dest: Path) -> int:
    names = git("ls-files", "-z", cwd=dest).stdout.split("\0")
    return sum(1 for name in names if name and (dest / name).is_file())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repo", action="append", default=[], help="only this repository (repeat)")
    parser.add_argument("--hook", action="append", default=[], help="only this hook (repeat)")
    parser.add_argument("--skip", action="append", default=[], help="not this hook (repeat)")
    parser.add_argument("--unclassified", action="store_true", help="print unclassified findings as truth rows")
    parser.add_argument("--mirror-root", type=Path, default=Path("/work/.mirror"), help="where fetch put the snapshots")
    parser.add_argument("--list", action="store_true", help="list the repositories and exit")
    args = parser.parse_args(argv)
    chosen = [r for r in REPOS if not args.repo or r.name in args.repo]
    if args.list or not chosen:
        for repo in REPOS:
            print(f"{repo.name:18} {repo.slug:40} {repo.commit[:12]}  {repo.kind}")
        return 0 if args.list else 2
    truth = load_truth()
    per_hook: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    hooks_run: set[str] = set()
    seen: set[tuple[str, str, int, str]] = set()
    unclassified: list[str] = []
    print(f"{'repo':18} {'commit':12} {'files':>6} {'lacking':>7} {'seconds':>8}  findings by code")
    for repo in chosen:
        dest, lacking = prepare(repo, args.mirror_root)
        findings, elapsed, stderr = scan(dest, args.hook, args.skip)
        (WORK / f"{repo.name}.findings.jsonl").write_text(
            "".join(json.dumps(f, ensure_ascii=False) + "\n" for f in findings), encoding="utf-8"
        )
        by_code = collections.Counter(str(f["code"]) for f in findings)
        codes = ", ".join(f"{code} {count}" for code, count in sorted(by_code.items())) or "none"
        print(f"{repo.name:18} {repo.commit[:12]} {tracked_file_count(dest):>6} {lacking:>7} {elapsed:>8.2f}  {codes}")
        for line in stderr.splitlines()[:5]:
            print(f"{'':18} stderr: {line[:160]}")
        for finding in findings:
            key = (repo.name, str(finding["path"]), int(finding["line"]), str(finding["code"]))  # type: ignore[call-overload]
            hook = str(finding["hook"])
            hooks_run.add(hook)
            seen.add(key)
            verdict = truth.get(key, ("unclassified", "", ""))[0]
            per_hook[hook][verdict] += 1
            if verdict == "unclassified":
                unclassified.append("\t".join((*map(str, key), "", str(finding["message"]))))
    print()
    print(f"{'hook':28} {'findings':>8} {'true':>5} {'false':>5} {'debat.':>6} {'unclass.':>8} {'precision':>9}")
    for hook, counts in sorted(per_hook.items()):
        judged = counts["true"] + counts["false"]
        precision = f"{100 * counts['true'] / judged:.1f}%" if judged else "-"
        print(
            f"{hook:28} {sum(counts.values()):>8} {counts['true']:>5} {counts['false']:>5} "
            f"{counts['debatable']:>6} {counts['unclassified']:>8} {precision:>9}"
        )
    lost = [
        key for key, (verdict, _, source) in truth.items()
        if verdict == "true" and key not in seen and key[0] in {r.name for r in chosen}
        and (not args.hook or source[:-4] in args.hook) and source[:-4] not in args.skip
        and source[:-4] in _scanned_hooks()  # a commit-range hook's truth is judged by its own benchmark
    ]
    if lost:
        print(f"\n{len(lost)} true finding(s) in the truth files no longer reported:")
        for key in lost:
            print("  " + "\t".join(map(str, key)))
    if args.unclassified and unclassified:
        print(f"\n{len(unclassified)} unclassified finding(s) (repo, path, line, code, verdict, message):")
        print("\n".join(unclassified))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
