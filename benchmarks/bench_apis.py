"""check-hallucinated-apis against pylint and mypy: recall on a planted set, and speed on a
1,500-file project.

    python benchmarks/bench_apis.py verify [--venv DIR]   # every planted use really fails there
    python benchmarks/bench_apis.py recall [--venv DIR]   # found per library, side by side
    python benchmarks/bench_apis.py speed  [--venv DIR] [--files 1500] [--hook-python PY] [--runs 7] [--no-pylint]
    python benchmarks/bench_apis.py extract [--venv DIR]  # what following **kwargs adds, cold

recall: `benchmarks/apis_recall/*.py` hold 83 planted uses (invented attributes, moved or
removed names, invented keywords) across 11 libraries and the standard library, one per
`case_*` function, marked `# planted:`. The libraries, pylint and mypy are installed in the
benchmark venv (default benchmarks/.work/bench-venv; see benchmarks/README.md), never in the
project's dependencies. A tool finds a planted use when it reports that line: driftgate any
DG7xx; pylint E1101 (no-member), E1123 (unexpected-keyword-arg), E0611 (no-name-in-module),
E1121 (too-many-function-args), E0401 (import-error); mypy (--check-untyped-defs) any error but
import-untyped.
Reports on other lines are counted as false alarms.

speed: a project of `--files` Python files made of copies of healthchecks' `hc/` package
(benchmarks/.work/real/healthchecks, unpacked by real_repos.py, its venv by apis_envs.py, with
pylint and mypy installed in it), checked by each tool with that venv's packages. driftgate
runs cold (empty cache) and warm; mypy without and with its incremental cache; pylint as is;
and the floor under any warm Python hook (FLOOR_SCRIPT: start, walk, stat, read the results).
`--hook-python` is the interpreter that runs driftgate (the project's Python version, so its
standard library parses); by default a venv made from the running interpreter with this
checkout installed (benchmarks/.work/hook-venv), as pre-commit runs a hook: a base interpreter's
own site-packages may hold `.pth` files that import packages at every start-up.
"""
from __future__ import annotations

import argparse
import collections
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent
RECALL = HERE / "apis_recall"
WORK = HERE / ".work"
PYLINT_CODES = "E1101,E1123,E0611,E1121,E0401"
# mypy skips the bodies of unannotated functions unless asked: the planted cases, like much
# application code, have no annotations
MYPY_FLAGS = ("--check-untyped-defs", "--follow-imports=silent")


def _bin(venv: Path, name: str) -> str:
    return str(venv / "bin" / name)


def _module(venv: Path, name: str) -> list[str]:
    """`python -m NAME` of the venv: its console scripts name the interpreter of the venv
    they were installed in, which a copied venv does not have."""
    return [str(venv / "bin" / "python"), "-m", name]


def planted() -> dict[tuple[str, int], str]:
    """(file name, line) -> kind, for every planted use."""
    out = {}
    for path in sorted(RECALL.glob("*.py")):
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            match = re.search(r"# planted: (.*)$", line)
            if match:
                out[(path.name, number)] = match.group(1)
    return out


def run_driftgate(venv: Path, files: list[str], python: str, env: dict[str, str]) -> set[tuple[str, int]]:
    proc = subprocess.run(
        [python, "-m", "hooks.check_hallucinated_apis", "--python", str(venv), "--format", "jsonl", *files],
        capture_output=True, text=True, cwd=PROJECT, env=env)
    if proc.returncode not in (0, 1):
        raise SystemExit(f"driftgate failed: {proc.stderr.strip()}")
    return {(Path(f["path"]).name, int(f["line"])) for f in map(json.loads, proc.stdout.splitlines())}


def run_pylint(venv: Path, files: list[str]) -> set[tuple[str, int]]:
    proc = subprocess.run(
        [_bin(venv, "pylint"), "--disable=all", f"--enable={PYLINT_CODES}", "--output-format=json",
         "--score=n", *files], capture_output=True, text=True, cwd=PROJECT)
    return {(Path(m["path"]).name, int(m["line"])) for m in json.loads(proc.stdout or "[]")}


_MYPY_LINE = re.compile(r"^(?P<path>[^:]+):(?P<line>\d+): error: .*?(?:\[(?P<code>[a-z-]+)\])?$")


def run_mypy(venv: Path, files: list[str], cache_dir: str | None = None) -> set[tuple[str, int]]:
    cache = ["--cache-dir", cache_dir] if cache_dir else ["--no-incremental", "--cache-dir", os.devnull]
    proc = subprocess.run(
        [_bin(venv, "mypy"), *MYPY_FLAGS, "--show-error-codes", "--no-error-summary", *cache, *files],
        capture_output=True, text=True, cwd=PROJECT)
    found = set()
    for line in proc.stdout.splitlines():
        match = _MYPY_LINE.match(line)
        if match and match.group("code") != "import-untyped":
            found.add((Path(match.group("path")).name, int(match.group("line"))))
    return found


def recall(args: argparse.Namespace) -> int:
    venv = Path(args.venv)
    cases = planted()
    files = [str(p.relative_to(PROJECT)) for p in sorted(RECALL.glob("*.py"))]
    env = {**os.environ, "DRIFTGATE_CACHE_DIR": tempfile.mkdtemp(prefix="bench-apis-cache-")}
    results = {
        "driftgate": run_driftgate(venv, files, sys.executable, env),
        "pylint": run_pylint(venv, files),
        "mypy": run_mypy(venv, files),
    }
    per_file: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    for (name, line) in cases:
        per_file[name]["planted"] += 1
        for tool, found in results.items():
            per_file[name][tool] += (name, line) in found
    tools = list(results)
    print(f"{'file':<20} {'planted':>7} " + " ".join(f"{t:>9}" for t in tools))
    for name in sorted(per_file):
        row = per_file[name]
        print(f"{name:<20} {row['planted']:>7} " + " ".join(f"{row[t]:>9}" for t in tools))
    total = len(cases)
    print(f"{'total':<20} {total:>7} " + " ".join(
        f"{sum(r[t] for r in per_file.values()):>9}" for t in tools))
    print(f"{'recall':<20} {'':>7} " + " ".join(
        f"{100 * sum(r[t] for r in per_file.values()) / total:>8.1f}%" for t in tools))
    print(f"{'false alarms':<20} {'':>7} " + " ".join(
        f"{len(results[t] - set(cases)):>9}" for t in tools))
    if args.missed:
        for tool in tools:
            missed = sorted(set(cases) - results[tool])
            print(f"\n{tool} missed {len(missed)}: " + ", ".join(f"{n}:{l}" for n, l in missed))
    return 0


def verify(args: argparse.Namespace) -> int:
    """Call every case in the benchmark venv: each must raise AttributeError, ImportError or
    TypeError (the planted use is really wrong for the installed versions)."""
    code = r'''
import importlib, os, sys, warnings
warnings.simplefilter("ignore")
sys.path.insert(0, sys.argv[1])
ok, bad = 0, []
for f in sorted(os.listdir(sys.argv[1])):
    if not f.endswith(".py"):
        continue
    module = importlib.import_module(f[:-3])
    for name in sorted((n for n in dir(module) if n.startswith("case_")), key=lambda n: int(n[5:])):
        try:
            getattr(module, name)()
        except (AttributeError, ImportError, TypeError):
            ok += 1
        except Exception as exc:
            bad.append(f"{f} {name}: {type(exc).__name__}: {exc}")
        else:
            bad.append(f"{f} {name}: no error")
print(ok, "planted uses fail as expected"); print("\n".join(bad))
sys.exit(1 if bad else 0)
'''
    return subprocess.run([_bin(Path(args.venv), "python"), "-c", code, str(RECALL)]).returncode


def build_project(target: Path, source: Path, count: int) -> list[str]:
    """`count` Python files: copies of healthchecks' hc/ package under hc, hc_copy1, ..."""
    if target.exists():
        shutil.rmtree(target)
    originals = sorted(p for p in (source / "hc").rglob("*.py"))
    files: list[str] = []
    copy = 0
    while len(files) < count:
        package = "hc" if copy == 0 else f"hc_copy{copy}"
        for path in originals:
            if len(files) >= count:
                break
            dest = target / package / path.relative_to(source / "hc")
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, dest)
            files.append(str(dest.relative_to(target)))
        copy += 1
    # an hour old, like a checkout's files: a file modified in the last 3 s is never matched on
    # its stat signature (hooks._core.filecache), so fresh __init__ files would be hashed by the
    # first warm runs
    an_hour_ago = time.time() - 3600
    for directory in {p for p in target.rglob("*") if p.is_dir()}:
        init = directory / "__init__.py"
        if not init.exists():
            init.touch()
            os.utime(init, (an_hour_ago, an_hour_ago))
    return files


def timed(cmd: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, float]:
    """Wall seconds and CPU seconds (user + system of the tool and its children): on a
    shared machine the CPU figure is the steadier one."""
    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if proc.returncode not in (0, 1, 2, 4, 8, 16, 20, 22, 28, 30, 32) and "error" in proc.stderr.lower():
        print(f"  ({cmd[0]} exit {proc.returncode}: {proc.stderr.strip().splitlines()[-1:]})")
    return elapsed, cpu


def hook_venv_python() -> str:
    """A venv of the running interpreter with this checkout and its dependencies installed
    (byte-compiled, as pip installs them): what pre-commit gives a hook."""
    venv = WORK / "hook-venv"
    python = venv / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    subprocess.run([str(python), "-m", "pip", "install", "-q", str(PROJECT)], check=True)
    return str(python)


def speed(args: argparse.Namespace) -> int:
    if args.hook_python is None:
        args.hook_python = hook_venv_python()
    healthchecks = WORK / "real" / "healthchecks"
    venv = Path(args.venv) if args.venv else healthchecks / ".venv"
    target = WORK / "speed-project"
    files = build_project(target, healthchecks, args.files)
    print(f"{len(files)} files in {target} (copies of healthchecks' hc/), environment {venv}")
    cache = Path(tempfile.mkdtemp(prefix="bench-apis-speed-"))
    # byte-compiled, as pip installs both tools (PYTHONDONTWRITEBYTECODE would make every run
    # compile every module again)
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PRE_COMMIT", "PYTHONDONTWRITEBYTECODE")}
    env.update(DRIFTGATE_CACHE_DIR=str(cache / "driftgate"), PYTHONPATH=str(PROJECT))
    hook = [os.path.abspath(args.hook_python), "-m", "hooks.check_hallucinated_apis", "--python", str(venv.absolute())]
    three = files[:3]
    def api_cache_only() -> tuple[float, float]:
        # the API cache warm, no per-file results: the first run after every file changed
        shutil.rmtree(cache / "driftgate" / "files-v1", ignore_errors=True)
        return timed([*hook, "."], target, env)

    mypy = [*_module(venv, "mypy"), *MYPY_FLAGS, "--cache-dir", str(cache / "mypy"), "."]
    rows = [
        ("driftgate cold (empty cache)", timed([*hook, "."], target, env)),
        ("driftgate, API cache warm, every file changed", api_cache_only()),
        ("mypy, no cache", timed([*_module(venv, "mypy"), *MYPY_FLAGS, "--no-incremental", "--cache-dir",
                                  os.devnull, "."], target, env)),
        ("mypy, cold cache", timed(mypy, target, env)),
    ]
    floor = [os.path.abspath(args.hook_python), "-c", FLOOR_SCRIPT, str(cache / "driftgate" / "files-v1" / HOOK_ID)]
    if subprocess.run(floor, cwd=target, env=env).returncode != 0:
        print("  (the floor script found files without a settled kept result: its row is not a warm run)")
    # the warm runs take a tenth of a second: the median of interleaved runs
    warm: dict[str, list[tuple[float, float]]] = collections.defaultdict(list)
    for _ in range(args.runs):
        warm["driftgate warm"].append(timed([*hook, "."], target, env))
        warm["driftgate warm, 3 files"].append(timed([*hook, *three], target, env))
        warm["mypy, warm cache"].append(timed(mypy, target, env))
        warm[FLOOR_LABEL].append(timed(floor, target, env))
    for label, runs in warm.items():
        rows.append((f"{label} (median of {args.runs})", (
            sorted(w for w, _ in runs)[len(runs) // 2], sorted(c for _, c in runs)[len(runs) // 2])))
    if not args.no_pylint:
        rows.append(("pylint (E1101,E1123,E0611,E1121,E0401)", timed(
            [*_module(venv, "pylint"), "--disable=all", f"--enable={PYLINT_CODES}", "--score=n", *files],
            target, env)))
    by_label = dict(rows)
    warm_wall, warm_cpu = by_label[f"driftgate warm (median of {args.runs})"]
    changed_wall, changed_cpu = by_label["driftgate, API cache warm, every file changed"]
    print(f"load average {os.getloadavg()[0]:.1f}")
    print(f"{'':<46} {'wall':>8}   {'cpu':>8}   vs warm (wall, cpu)   vs every-file-changed")
    for label, (wall, cpu) in rows:
        ratio = "" if label.startswith(("driftgate", "floor")) else (
            f"{wall / warm_wall:7.1f}x {cpu / warm_cpu:7.1f}x   {wall / changed_wall:7.1f}x {cpu / changed_cpu:7.1f}x")
        print(f"{label:<46} {wall:7.3f}s  {cpu:7.3f}s   {ratio}")
    mypy_warm = by_label[f"mypy, warm cache (median of {args.runs})"]
    floor_wall, floor_cpu = by_label[f"{FLOOR_LABEL} (median of {args.runs})"]
    print(f"mypy warm / floor: {mypy_warm[0] / floor_wall:.1f}x wall, {mypy_warm[1] / floor_cpu:.1f}x CPU; "
          f"10x mypy warm is {mypy_warm[0] / 10:.3f} s wall, {mypy_warm[0] / 10 - floor_wall:.3f} s above the floor")
    shutil.rmtree(cache, ignore_errors=True)
    return 0


HOOK_ID = "check-hallucinated-apis"
# The least any Python hook started by the console script pip writes can do to confirm that
# 1,500 files are unchanged since their results were kept: the interpreter's start, the
# script's own `import re`, walking the tree, one stat per file and reading the results it
# kept (here driftgate's own pack, read with json). No arguments, configuration, interpreter
# discovery or output: what driftgate does beyond this is the difference to its warm row.
FLOOR_LABEL = "floor (start, re, walk, stat, results)"
FLOOR_SCRIPT = """
import re, sys, os, json
packs = [os.path.join(sys.argv[1], n) for n in os.listdir(sys.argv[1])]
with open(max(packs, key=os.path.getsize)) as f:
    pack = json.load(f)
changed = 0
for dirpath, dirnames, filenames in os.walk("."):
    dirnames[:] = sorted(d for d in dirnames if d != "__pycache__")
    for name in sorted(filenames):
        if name.endswith(".py"):
            path = os.path.normpath(os.path.join(dirpath, name))
            st = os.stat(path)
            entry = pack.get(path)
            if entry is None or entry[2] != [st.st_size, st.st_mtime_ns, st.st_ino, st.st_ctime_ns]:
                changed += 1
if changed:
    print(f"floor: {changed} of {len(pack)} files have no settled result", file=sys.stderr)
sys.exit(1 if changed else 0)
"""


def extract_cost(args: argparse.Namespace) -> int:
    """CPU seconds to extract every module of Django and requests (the benchmark venv) and of
    the running stdlib's json and email packages, with and without the **kwargs forwarding
    facts (issue 11), interleaved, median of 5: what the facts add to a cold API cache."""
    import glob
    import json as json_module
    import statistics
    import email

    sys.path.insert(0, str(PROJECT))
    from hooks._api import extract as ex

    roots = glob.glob(str(Path(args.venv) / "lib" / "python*" / "site-packages" / "django"))
    roots += glob.glob(str(Path(args.venv) / "lib" / "python*" / "site-packages" / "requests"))
    roots += [os.path.dirname(json_module.__file__), os.path.dirname(email.__file__)]
    sources = []
    for root in roots:
        for directory, _, names in os.walk(root):
            for name in names:
                if name.endswith(".py"):
                    try:
                        sources.append(Path(directory, name).read_text(encoding="utf-8"))
                    except (OSError, UnicodeDecodeError):
                        pass

    def one_pass() -> float:
        start = time.process_time()
        for source in sources:
            try:
                ex.extract(source, "m", False, False)
            except (SyntaxError, ValueError, RecursionError):
                pass
        return time.process_time() - start

    real = ex._body_facts
    with_facts, without = [], []
    try:
        for _ in range(5):
            ex._body_facts = real
            with_facts.append(one_pass())
            ex._body_facts = lambda *_args: {}
            without.append(one_pass())
    finally:
        ex._body_facts = real
    on, off = statistics.median(with_facts), statistics.median(without)
    print(f"{len(sources)} modules: {on:.2f} s CPU with the forwarding facts, {off:.2f} s without "
          f"(+{100 * (on / off - 1):.1f}%), load average {os.getloadavg()[0]:.1f}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mode", choices=("verify", "recall", "speed", "extract"))
    parser.add_argument("--venv", default=None, help="the benchmark venv (libraries, pylint, mypy)")
    parser.add_argument("--files", type=int, default=1500)
    parser.add_argument("--hook-python", default=None,
                        help="default: a venv of this interpreter with driftgate installed, as pre-commit runs a hook")
    parser.add_argument("--missed", action="store_true", help="recall: list what each tool missed")
    parser.add_argument("--runs", type=int, default=7, help="speed: warm runs to take the median of")
    parser.add_argument("--no-pylint", action="store_true", help="speed: leave pylint out (it takes minutes)")
    args = parser.parse_args(argv)
    if args.mode != "speed":
        args.venv = args.venv or str(WORK / "bench-venv")
    return {"verify": verify, "recall": recall, "speed": speed, "extract": extract_cost}[args.mode](args)


if __name__ == "__main__":
    raise SystemExit(main())
