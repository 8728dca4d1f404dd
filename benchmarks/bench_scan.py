"""`driftgate scan` speed on the real-world corpus (issue 9): wall and CPU time of a whole scan,
cold and warm, and the slowest file of each hook.

    python benchmarks/bench_scan.py walltime [--repo netbox] [--runs 5]
    python benchmarks/bench_scan.py slowest [--repo NAME ...]

`walltime` runs `python -m hooks.cli scan` of this checkout on one corpus repository
(benchmarks/.work/real/<name>, see real_repos.py) in a fresh cache directory:

- cold: the cache directory empty (the index is asked about every declared name, every
  library's API is read);
- files changed: the index answers and the API index cached, the per-file cache emptied (as
  after a checkout that touched every file);
- warm: everything cached (the median of --runs runs);
- warm, 3 files edited: three Python files changed since the last scan.

`slowest` times every file of every hook in one process, the way `driftgate scan` checks it,
with the per-file cache turned off (every file is checked) and everything else warm (each
hook runs over the repository once before the timed pass, so lazy imports and the API and
index caches are paid before): the time from handing a hook one file to handing it the next,
which is reading, decoding and checking that file, in CPU seconds (the wall clock on a shared
machine charges a file for other processes' turns). Work a hook does once per run over all
files (check-env-vars' declarations, check-undeclared-imports' index questions) is printed
apart as "per run".

Load average is printed with each figure: the machine is shared.
"""
from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Iterator

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent
REAL = HERE / ".work" / "real"
CORPUS = ("netbox", "saleor", "healthchecks", "fastapi-template", "plane", "httpie", "peft", "pydantic-ai")


def load() -> str:
    return "load %.1f" % os.getloadavg()[0]


def timed_scan(repo: Path, env: dict[str, str]) -> tuple[float, float, str]:
    """Wall and CPU seconds (the scan and its children) and its stdout."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "hooks.cli", "scan", str(repo), "--format", "jsonl"],
                          capture_output=True, text=True, env=env, cwd=PROJECT)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode not in (0, 1):
        print(f"  scan exit {proc.returncode}: {proc.stderr.strip().splitlines()[-1:]}")
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), proc.stdout


def walltime(args: argparse.Namespace) -> int:
    source = (REAL / args.repo[0]).resolve() if args.repo else (REAL / "netbox").resolve()
    # a copy (its .venv linked, not copied): the corpus checkout is only read, and the
    # 3-files row edits files
    work = Path(tempfile.mkdtemp(prefix="bench-scan-repo-"))
    repo = work / source.name
    repo.mkdir()
    subprocess.run(f"tar -C {source} --exclude=./.venv -cf - . | tar -C {repo} -xf -", shell=True, check=True)
    if (source / ".venv").is_dir():
        (repo / ".venv").symlink_to(source / ".venv")
    try:
        return _walltime(repo, args)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _walltime(repo: Path, args: argparse.Namespace) -> int:
    files = subprocess.run(["git", "ls-files"], cwd=repo, capture_output=True, text=True).stdout.split()
    print(f"{repo.name}: {len(files)} tracked files, {os.cpu_count()} CPUs, Python {sys.version.split()[0]}")
    cache = Path(tempfile.mkdtemp(prefix="bench-scan-"))
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PRE_COMMIT", "PYTHONDONTWRITEBYTECODE")}
    env.update(DRIFTGATE_CACHE_DIR=str(cache), PYTHONPATH=str(PROJECT))
    rows = []
    wall, cpu, first = timed_scan(repo, env)
    rows.append(("cold (empty cache)", wall, cpu, load()))
    shutil.rmtree(cache / "files-v1", ignore_errors=True)
    wall, cpu, _ = timed_scan(repo, env)
    rows.append(("files changed (per-file cache empty)", wall, cpu, load()))
    warm = [timed_scan(repo, env) for _ in range(args.runs)]
    assert all(out == first for _, _, out in warm), "a warm scan printed other findings than the cold one"
    rows.append((f"warm (median of {args.runs})", statistics.median(w for w, _, _ in warm),
                 statistics.median(c for _, c, _ in warm), load()))
    edited = [f for f in files if f.endswith(".py")][:3]
    originals = {f: (repo / f).read_bytes() for f in edited}
    try:
        for name in edited:
            (repo / name).write_bytes(originals[name] + b"\n# edited\n")
        wall, cpu, _ = timed_scan(repo, env)
        rows.append(("warm, 3 Python files edited", wall, cpu, load()))
    finally:
        for name, data in originals.items():
            (repo / name).write_bytes(data)
    for label, wall, cpu, when in rows:
        print(f"{label:<40} {wall:7.2f} s wall {cpu:7.2f} s CPU   ({when})")
    shutil.rmtree(cache, ignore_errors=True)
    return 0


# --- the slowest file per hook ----------------------------------------------------------


class TimedPaths(list):  # type: ignore[type-arg]
    """A run's path list that charges each file the time until the hook asks for the next."""

    def __init__(self, paths: list[str], costs: dict[str, float]) -> None:
        super().__init__(paths)
        self.costs = costs

    def __iter__(self) -> Iterator[str]:
        # CPU seconds: on a shared machine the wall clock charges a file for other processes
        for path in list.__iter__(self):
            start = time.process_time()
            yield path
            self.costs[path] = self.costs.get(path, 0.0) + time.process_time() - start


def slowest_in(repo: Path, per_file: dict[str, float]) -> dict[str, tuple[float, str, float, int]]:
    """hook id -> (slowest file's seconds, that file, seconds per run outside files, files);
    adds each file's cost over all hooks to `per_file`."""
    from hooks._core import filecache, registry, runner
    from hooks._core import files as files_module
    from hooks._core.runner import COMMON_OPTIONS, CheckRun, is_excluded, load_settings, scan_files

    filecache.Pack.lookup = lambda self, path, extra="": (None, None)  # type: ignore[method-assign]
    filecache.Pack.save = lambda self: None  # type: ignore[method-assign]
    runner.parallel_chunks = lambda paths: None  # one process: per-file times, not a worker's share
    out: dict[str, tuple[float, str, float, int]] = {}
    root, files = scan_files(str(repo))
    jobs = []
    for hook_id in registry.FILE_HOOKS:
        hook = registry.load_module(hook_id).HOOK
        settings = load_settings(hook.id, (*COMMON_OPTIONS, *hook.options), None, root)
        paths = [f for f in files if hook.selects(f) and not is_excluded(f, settings["exclude"])]
        if paths:
            jobs.append((hook, settings, paths))
    # every hook once untimed (lazy imports, API and index caches), then every hook timed, in
    # scan order, as one process runs them (the trees of large files are shared from the first
    # hook that parses them: hooks._core.files.parse_python)
    for timed in (False, True):
        files_module._shared_trees.clear()
        for hook, settings, paths in jobs:
            costs: dict[str, float] = {}
            run = CheckRun(hook.id, TimedPaths(paths, costs) if timed else list(paths), dict(settings), root=root)
            start = time.process_time()
            try:
                runner._collect(hook, run)
            except Exception as exc:  # noqa: BLE001 - a benchmark reports and goes on
                print(f"  {repo.name} {hook.id}: {type(exc).__name__}: {exc}")
            total = time.process_time() - start
            if not timed:
                continue
            for name, cost in costs.items():
                per_file[name] = per_file.get(name, 0.0) + cost
            path, cost = max(costs.items(), key=lambda item: item[1]) if costs else ("", 0.0)
            out[hook.id] = (cost, path, max(total - sum(costs.values()), 0.0), len(paths))
    return out


def slowest(args: argparse.Namespace) -> int:
    sys.path.insert(0, str(PROJECT))
    os.environ.pop("VIRTUAL_ENV", None)
    worst: dict[str, tuple[float, str, str]] = {}
    all_hooks: list[tuple[float, str, str]] = []
    for name in args.repo or CORPUS:
        repo = (REAL / name).resolve()
        if not repo.is_dir():
            print(f"{name}: not checked out (python benchmarks/real_repos.py --repo {name})")
            continue
        here = os.getcwd()
        per_file: dict[str, float] = {}
        try:
            results = slowest_in(repo, per_file)
        finally:
            os.chdir(here)
        all_hooks.extend((cost, name, path) for path, cost in per_file.items())
        for hook_id, (cost, path, per_run, count) in results.items():
            print(f"{name:<17} {hook_id:<26} {count:5} files  slowest {cost * 1000:7.1f} ms CPU  {path}"
                  f"   (per run {per_run:.2f} s)  {load()}")
            if cost > worst.get(hook_id, (-1.0, "", ""))[0]:
                worst[hook_id] = (cost, name, path)
    print("\nslowest file per hook over the corpus:")
    for hook_id, (cost, name, path) in sorted(worst.items(), key=lambda item: -item[1][0]):
        print(f"{hook_id:<26} {cost * 1000:7.1f} ms  {name}: {path}")
    print("\nslowest files, every hook together (as one `driftgate scan` process checks them):")
    for cost, name, path in sorted(all_hooks, reverse=True)[:5]:
        print(f"{cost * 1000:7.1f} ms  {name}: {path}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mode", choices=("walltime", "slowest"))
    parser.add_argument("--repo", action="append", default=[], help="corpus repository (repeat)")
    parser.add_argument("--runs", type=int, default=5, help="walltime: warm runs to take the median of")
    args = parser.parse_args(argv)
    return walltime(args) if args.mode == "walltime" else slowest(args)


if __name__ == "__main__":
    raise SystemExit(main())
