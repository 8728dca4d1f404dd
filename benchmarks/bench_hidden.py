"""Recall and speed of check-hidden-instructions and check-agent-leftovers.

    python benchmarks/bench_hidden.py [--runs 21] [--mirror-root /work/.mirror] [--skip-peers] [--speed-only]

1. Recall on the public Trojan Source cases: every code file of the paper's repository
   (github:nickboucher/trojan-source, fetched as a git snapshot with the search tool's `fetch`)
   is written under benchmarks/.work/trojan-source/ (not committed) and must get at least one
   code-point or identifier finding. The same Python files go to the peers: ruff (PLE2502
   bidi control, PLE2515 zero-width space) and bandit (B613 trojansource), installed by this
   script into a venv under benchmarks/.work/peers.
2. Recall on the planted sets (tests/_hidden_cases.py, tests/_leftover_cases.py): every
   must-flag row must get its code, every must-not-flag row nothing. The planted Python rows
   go to the peers too.
3. Speed on 1,500 files: the first 1,500 text files a real repository tracks (plane, mixed
   TypeScript/Python/JSON/Markdown; benchmarks/real_repos.py unpacks it), each command a
   subprocess (start-up and imports count), the commands run in turn, median of --runs:
   `grep -P` for the code points the hook reports, the hook with only those rules
   (`--select DG80`), the whole hook; and check-agent-leftovers on the first 1,500 Python
   files of saleor. Each hook is timed on new files (an empty driftgate cache directory per
   run, DRIFTGATE_CACHE_DIR: grep has no cache, so this is the comparison) and warm (the same
   files again, its per-file result cache kept).
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

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent
WORK = HERE / ".work"
PEERS = WORK / "peers"
TROJAN_COMMIT = "e3dc153"
sys.path.insert(0, str(PROJECT))
sys.path.insert(0, str(PROJECT / "tests"))

from hooks.check_hidden_instructions._invisible import SUSPECT_CLASS  # noqa: E402


def pcre_class() -> str:
    """SUSPECT_CLASS as a PCRE character class for `grep -P`."""
    out = []
    for ch in SUSPECT_CLASS:
        out.append("-" if ch == "-" else f"\\x{{{ord(ch):04x}}}")
    return "[" + "".join(out) + "]"


def trojan_cases(mirror_root: Path) -> Path:
    snapshot = mirror_root / "nickboucher+trojan-source" / "repo"
    dest = WORK / "trojan-source"
    if dest.is_dir():
        return dest
    names = subprocess.run(
        ["git", "ls-tree", "-r", "--name-only", TROJAN_COMMIT], cwd=snapshot, capture_output=True, text=True, check=True
    ).stdout.splitlines()
    code = [n for n in names if "/" in n and not n.startswith(("website/", ".github/")) and "/visualization/" not in n
            and not n.endswith((".md", ".json")) and not n.endswith("Dockerfile") and not n.startswith("RegEx/")]
    for name in code:
        data = subprocess.run(["git", "show", f"{TROJAN_COMMIT}:{name}"], cwd=snapshot, capture_output=True, check=True).stdout
        (dest / name).parent.mkdir(parents=True, exist_ok=True)
        (dest / name).write_bytes(data)
    return dest


def run_hook(hook: str, paths: list[str], cwd: Path, *args: str) -> list[str]:
    proc = subprocess.run(
        [sys.executable, "-m", f"hooks.{hook.replace('-', '_')}", *args, *paths],
        cwd=cwd, capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(PROJECT)},
    )
    return proc.stdout.splitlines()


def peer_tools() -> tuple[Path, Path] | None:
    ruff, bandit = PEERS / "bin" / "ruff", PEERS / "bin" / "bandit"
    if not (ruff.exists() and bandit.exists()):
        subprocess.run([sys.executable, "-m", "venv", str(PEERS)], check=True)
        subprocess.run([str(PEERS / "bin" / "pip"), "install", "-q", "ruff", "bandit"], check=True)
    return ruff, bandit


def peer_flags(ruff: Path, bandit: Path, root: Path, files: list[str]) -> tuple[set[str], set[str]]:
    """Files each peer flags: ruff PLE2502/PLE2515, bandit B613."""
    proc = subprocess.run(
        [str(ruff), "check", "--no-cache", "--isolated", "--select", "PLE2502,PLE2515", "--output-format", "concise", *files],
        cwd=root, capture_output=True, text=True,
    )
    ruff_hit = {line.split(":")[0] for line in proc.stdout.splitlines() if "PLE25" in line}
    proc = subprocess.run(
        [str(bandit), "-q", "-t", "B613", "-f", "custom", "--msg-template", "{relpath}:{test_id}", *files],
        cwd=root, capture_output=True, text=True,
    )
    bandit_hit = {line.split(":")[0] for line in proc.stdout.splitlines() if line.endswith(":B613")}
    return ruff_hit, bandit_hit


def recall_trojan(mirror_root: Path, peers: tuple[Path, Path] | None) -> None:
    root = trojan_cases(mirror_root)
    files = sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())
    out = run_hook("check-hidden-instructions", files, root)
    flagged = {line.split(":")[0] for line in out}
    by_lang: dict[str, list[int]] = {}
    for f in files:
        lang = f.split("/")[0]
        by_lang.setdefault(lang, [0, 0])
        by_lang[lang][0] += 1
        by_lang[lang][1] += f in flagged
    print("\n## Trojan Source cases (nickboucher/trojan-source @ %s)" % TROJAN_COMMIT)
    print("| language | cases | flagged |")
    print("|---|---:|---:|")
    for lang, (n, hit) in sorted(by_lang.items()):
        print(f"| {lang} | {n} | {hit} |")
    print(f"| **all** | {len(files)} | {len(flagged & set(files))} ({100 * len(flagged & set(files)) / len(files):.0f}%) |")
    missed = [f for f in files if f not in flagged]
    if missed:
        print("missed:", ", ".join(missed))
    if peers:
        py = [f for f in files if f.endswith(".py")]
        ruff_hit, bandit_hit = peer_flags(*peers, root, py)
        print(f"\nPython cases ({len(py)}): driftgate {len(flagged & set(py))}, ruff PLE2502/PLE2515 "
              f"{len(ruff_hit)}, bandit B613 {len(bandit_hit)}")
        for f in py:
            print(f"  {f}: driftgate={'yes' if f in flagged else 'no'} ruff={'yes' if f in ruff_hit else 'no'} "
                  f"bandit={'yes' if f in bandit_hit else 'no'}")


def recall_planted(peers: tuple[Path, Path] | None) -> None:
    import _hidden_cases
    import _leftover_cases

    for hook, module, extra in (
        ("check-hidden-instructions", _hidden_cases, ()), ("check-agent-leftovers", _leftover_cases, ("--scope", "all")),
    ):
        for label, cases in (("must-flag", module.MUST_FLAG), ("must-not-flag", module.MUST_NOT_FLAG)):
            root = WORK / "planted" / hook / label
            if root.exists():
                shutil.rmtree(root)
            paths = []
            for n, case in enumerate(cases):
                path = root / f"{n:03d}" / case.path
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(case.text, encoding="utf-8")
                paths.append(f"{n:03d}/{case.path}")
            out = run_hook(hook, paths, root, *extra)
            got: dict[str, set[str]] = {}
            for line in out:
                got.setdefault(line.split(":")[0], set()).add(line.split(" ")[1])
            if label == "must-flag":
                hit = sum(case.code in got.get(p, set()) for case, p in zip(cases, paths))
                print(f"{hook} planted must-flag: {hit}/{len(cases)} reported with the expected code")
                if peers and hook == "check-hidden-instructions":
                    py = [p for p in paths if p.endswith(".py")]
                    ruff_hit, bandit_hit = peer_flags(*peers, root, py)
                    invisible = [p for c, p in zip(cases, paths) if p.endswith(".py") and c.code < "DG810"]
                    print(f"  Python rows with invisible code points ({len(invisible)}): driftgate "
                          f"{sum(p in got for p in invisible)}, ruff {len(ruff_hit & set(invisible))}, "
                          f"bandit {len(bandit_hit & set(invisible))}; all Python rows ({len(py)}): ruff "
                          f"{len(ruff_hit)}, bandit {len(bandit_hit)}")
            else:
                print(f"{hook} planted must-not-flag: {sum(p in got for p in paths)}/{len(cases)} with any finding")


def _bench_env(cache_dir: str | None = None) -> dict[str, str]:
    """The environment of a timed command: PYTHONDONTWRITEBYTECODE dropped (set, every run
    would compile driftgate's modules again, which no installed hook does) and, for driftgate,
    its cache directory."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPATH"] = str(PROJECT)
    if cache_dir is not None:
        env["DRIFTGATE_CACHE_DIR"] = cache_dir
    return env


def _run_once(cmd: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime


def timed_rows(rows: list[tuple[str, list[str], str]], cwd: Path, runs: int) -> list[tuple[str, float, float]]:
    """Median wall and CPU seconds (user + sys of the child) of each row, the rows run in turn
    (interleaved, so a change of the machine's load hits every row alike). A row's cache is
    "none" (not driftgate), "new" (an empty driftgate cache directory for every run: the first
    run on files it has not seen, as grep always is) or "warm" (one directory, filled by an
    untimed run first: every file's result comes from the per-file cache when the hook uses it)."""
    warm_dirs: dict[str, str] = {}
    for label, cmd, cache in rows:  # untimed: writes the byte code, fills the warm caches
        if cache == "warm":
            warm_dirs[label] = tempfile.mkdtemp(prefix="driftgate-warm-")
        cache_dir = warm_dirs.get(label) or tempfile.mkdtemp(prefix="driftgate-new-")
        proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, env=_bench_env(cache_dir))
        if proc.returncode not in (0, 1):  # a crash is fast: its time is no figure
            raise SystemExit(f"{label}: exit {proc.returncode}: {proc.stderr.strip()[:300]}")
    times: dict[str, tuple[list[float], list[float]]] = {label: ([], []) for label, _, _ in rows}
    for _ in range(runs):
        for label, cmd, cache in rows:
            fresh = None if cache != "new" else tempfile.mkdtemp(prefix="driftgate-new-")
            wall, cpu = _run_once(cmd, cwd, _bench_env(warm_dirs.get(label) or fresh))
            times[label][0].append(wall)
            times[label][1].append(cpu)
            if fresh is not None:
                shutil.rmtree(fresh, ignore_errors=True)
    for directory in warm_dirs.values():
        shutil.rmtree(directory, ignore_errors=True)
    return [(label, statistics.median(times[label][0]), statistics.median(times[label][1])) for label, _, _ in rows]


def print_table(results: list[tuple[str, float, float]], grep_label: str | None) -> None:
    base = next(((w, c) for label, w, c in results if label == grep_label), None)
    print("| command | wall s | CPU s |" + (" x grep (wall / CPU) |" if base else ""))
    print("|---|---:|---:|" + ("---:|" if base else ""))
    for label, wall, cpu in results:
        ratio = f" {wall / base[0]:.2f} / {cpu / base[1]:.2f} |" if base else ""
        print(f"| {label} | {wall:.3f} | {cpu:.3f} |{ratio}")


def installed_python() -> str:
    """An interpreter with driftgate installed as a user gets it (not editable: the editable
    finder of a development venv adds ~40 ms to every start-up), with its dependencies (a
    project that pins its Python needs `packaging`) and its modules compiled."""
    venv = WORK / "installed"
    if not (venv / "bin" / "python").exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    pip = [str(venv / "bin" / "pip"), "install", "-q"]
    subprocess.run([*pip, str(PROJECT)], check=True, env=_bench_env())
    subprocess.run([*pip, "--no-deps", "--force-reinstall", str(PROJECT)], check=True, env=_bench_env())
    return str(venv / "bin" / "python")


def speed(runs: int) -> None:
    python = installed_python()
    plane = WORK / "real" / "plane"
    saleor = WORK / "real" / "saleor"
    if not plane.is_dir() or not saleor.is_dir():
        print("\nspeed: run benchmarks/real_repos.py first (it unpacks plane and saleor)")
        return
    listed = subprocess.run(["git", "ls-files"], cwd=plane, capture_output=True, text=True, check=True).stdout.split()
    text = [f for f in listed if os.path.isfile(plane / f) and b"\0" not in (plane / f).read_bytes()[:8192]][:1500]
    size = sum((plane / f).stat().st_size for f in text)
    hidden = [python, "-m", "hooks.check_hidden_instructions"]
    grep = "grep -P (the same code points), -l"
    rows = [
        (grep, ["grep", "-lP", pcre_class(), *text], "none"),
        ("check-hidden-instructions --select DG80 (code points only), new files (empty cache)",
         [*hidden, "--select", "DG80", *text], "new"),
        ("check-hidden-instructions --select DG80, warm (same files again)", [*hidden, "--select", "DG80", *text], "warm"),
        ("the same, new files, through the console script pip writes (as pre-commit runs it)",
         [str(Path(python).parent / "check-hidden-instructions"), "--select", "DG80", *text], "new"),
        ("check-hidden-instructions (every rule), new files (empty cache)", [*hidden, *text], "new"),
        ("check-hidden-instructions (every rule), warm (same files again)", [*hidden, *text], "warm"),
        ("python -c pass (interpreter start-up)", [python, "-c", "pass"], "none"),
    ]
    print(f"\n## Speed: 1,500 text files of plane ({size / 1e6:.1f} MB), median of {runs} interleaved runs, "
          f"load average {os.getloadavg()[0]:.1f} before")
    results = timed_rows(rows, plane, runs)
    print_table(results, grep)
    print(f"(load average after: {os.getloadavg()[0]:.1f})")
    listed = subprocess.run(["git", "ls-files", "*.py"], cwd=saleor, capture_output=True, text=True, check=True).stdout.split()
    py = [f for f in listed if os.path.isfile(saleor / f)][:1500]
    size = sum((saleor / f).stat().st_size for f in py)
    print(f"\n1,500 Python files of saleor ({size / 1e6:.1f} MB), load average {os.getloadavg()[0]:.1f} before")
    leftovers = [python, "-m", "hooks.check_agent_leftovers", "--scope", "all", *py]
    rows = [
        ("check-agent-leftovers --scope all, new files (empty cache)", leftovers, "new"),
        ("check-agent-leftovers --scope all, warm", leftovers, "warm"),
        ("check-hidden-instructions, new files (empty cache)", [*hidden, *py], "new"),
        ("check-hidden-instructions, warm", [*hidden, *py], "warm"),
        ("python -c pass (interpreter start-up)", [python, "-c", "pass"], "none"),
    ]
    print_table(timed_rows(rows, saleor, runs), None)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--mirror-root", type=Path, default=Path("/work/.mirror"))
    parser.add_argument("--skip-peers", action="store_true")
    parser.add_argument("--speed-only", action="store_true", help="only part 3, the speed tables")
    args = parser.parse_args()
    if args.speed_only:
        speed(args.runs)
        return
    peers = None if args.skip_peers else peer_tools()
    recall_trojan(args.mirror_root, peers)
    print()
    recall_planted(peers)
    speed(args.runs)


if __name__ == "__main__":
    main()
