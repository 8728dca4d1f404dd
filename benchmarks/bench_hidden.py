"""Recall and speed of check-hidden-instructions and check-agent-leftovers.

    python benchmarks/bench_hidden.py [--runs 5] [--mirror-root /work/.mirror] [--skip-peers]

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
   subprocess (start-up and imports count), median of --runs: `grep -P` for the code points
   the hook reports, the hook with only those rules (`--select DG80`), the whole hook; and
   check-agent-leftovers on the first 1,500 Python files of saleor.
"""
from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
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


def timed(cmd: list[str], cwd: Path, runs: int, stdin_files: list[str] | None = None) -> tuple[float, float]:
    """Median wall seconds and median CPU seconds (user + sys of the child)."""
    walls, cpus = [], []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       env={**os.environ, "PYTHONPATH": str(PROJECT)})
        walls.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return statistics.median(walls), statistics.median(cpus)


def installed_python() -> str:
    """An interpreter with driftgate installed as a user gets it (not editable: the editable
    finder of a development venv adds ~40 ms to every start-up)."""
    venv = WORK / "installed"
    if not (venv / "bin" / "python").exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    subprocess.run([str(venv / "bin" / "pip"), "install", "-q", "--no-deps", str(PROJECT)], check=True)
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
    print(f"\n## Speed: 1,500 text files of plane ({size / 1e6:.1f} MB), median of {runs} runs, wall / CPU seconds")
    print("| command | wall s | CPU s |")
    print("|---|---:|---:|")
    rows = (
        ("grep -P (the same code points), -l", ["grep", "-lP", pcre_class(), *text]),
        ("check-hidden-instructions --select DG80 (code points only)",
         [python, "-m", "hooks.check_hidden_instructions", "--select", "DG80", *text]),
        ("check-hidden-instructions (every rule)", [python, "-m", "hooks.check_hidden_instructions", *text]),
        ("python -c pass (interpreter start-up)", [python, "-c", "pass"]),
    )
    for label, cmd in rows:
        wall, cpu = timed(cmd, plane, runs)
        print(f"| {label} | {wall:.3f} | {cpu:.3f} |")
    listed = subprocess.run(["git", "ls-files", "*.py"], cwd=saleor, capture_output=True, text=True, check=True).stdout.split()
    py = [f for f in listed if os.path.isfile(saleor / f)][:1500]
    size = sum((saleor / f).stat().st_size for f in py)
    print(f"\n1,500 Python files of saleor ({size / 1e6:.1f} MB)")
    print("| command | wall s | CPU s |")
    print("|---|---:|---:|")
    for label, cmd in (
        ("check-agent-leftovers --scope all", [python, "-m", "hooks.check_agent_leftovers", "--scope", "all", *py]),
        ("check-hidden-instructions", [python, "-m", "hooks.check_hidden_instructions", *py]),
        ("python -c pass (interpreter start-up)", [python, "-c", "pass"]),
    ):
        wall, cpu = timed(cmd, saleor, runs)
        print(f"| {label} | {wall:.3f} | {cpu:.3f} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--mirror-root", type=Path, default=Path("/work/.mirror"))
    parser.add_argument("--skip-peers", action="store_true")
    args = parser.parse_args()
    peers = None if args.skip_peers else peer_tools()
    recall_trojan(args.mirror_root, peers)
    print()
    recall_planted(peers)
    speed(args.runs)


if __name__ == "__main__":
    main()
