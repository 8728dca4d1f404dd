"""Benchmark: 200 declared dependency names checked against the default index (pip's),
cold (empty cache) and warm, by check-hallucinated-deps and by the peer tools slopcheck
and slopgate on the same requirements file. Also the recall of each tool on the made-up
names in the sample.

    python benchmarks/bench_deps.py [--repeat 3]

Peers are installed into benchmarks/.work/venv (git-ignored) from the package registry;
a peer that cannot be installed is reported as such, not measured.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "benchmarks" / ".work"
VENV = WORK / "venv"
PEERS = ("slopcheck", "slopgate")
REAL_COUNT, MADE_UP_COUNT = 180, 20

# Names shaped like the ones agents invent: a real project's name plus a plausible word.
_MADE_UP_STEMS = (
    "fastjsonparse", "requests-toolkit-pro", "flask-authkit-plus", "pandas-profiler-lite",
    "numpy-fastmath", "django-rest-helpers-x", "pyyaml-safe-loader", "aiohttp-retry-client-pro",
    "sqlalchemy-easy-models", "torch-utils-extra", "openai-chat-helpers", "boto3-s3-sync-tool",
    "pydantic-schema-gen", "fastapi-crud-router-x", "langchain-memory-store", "matplotlib-themes-pro",
    "scikit-autotune", "celery-task-monitor-x", "redis-lock-helper", "click-config-loader-x",
)


def sample() -> tuple[list[str], list[str]]:
    sys.path.insert(0, str(ROOT))
    from hooks._deps.names import POPULAR

    real = sorted(POPULAR)[:REAL_COUNT]
    made_up = [f"{stem}-zq7" for stem in _MADE_UP_STEMS][:MADE_UP_COUNT]
    return real, made_up


def ensure_peers() -> dict[str, str]:
    """peer -> path of its console script, or a reason why it is missing."""
    status: dict[str, str] = {}
    if not VENV.exists():
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    pip = VENV / "bin" / "pip"
    for peer in PEERS:
        script = VENV / "bin" / peer
        if not script.exists():
            proc = subprocess.run([str(pip), "install", "-q", peer], capture_output=True, text=True)
            if proc.returncode != 0:
                status[peer] = "not installable: " + (proc.stderr.strip().splitlines() or ["?"])[-1]
                continue
        status[peer] = str(script)
    return status


def clean_env(cache: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PIP_")}
    env.update(PIP_CONFIG_FILE=os.devnull, DRIFTGATE_CACHE_DIR=cache, PYTHONPATH=str(ROOT))
    return env


def timed(cmd: list[str], cwd: str, env: dict[str, str]) -> tuple[float, float, str]:
    """Wall-clock and CPU (user + sys of the child) seconds, and stdout."""
    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if proc.returncode not in (0, 1) and not proc.stdout.strip():
        raise RuntimeError(f"{cmd[0]} failed ({proc.returncode}): {proc.stderr.strip()[-300:]}")
    return elapsed, cpu, proc.stdout


def flagged_driftgate(out: str) -> set[str]:
    return {line.split("`")[1] for line in out.splitlines() if " DG101 " in line}


def flagged_slopcheck(out: str) -> set[str]:
    start = 0 if out.startswith("[") else out.index("\n[") + 1  # after any banner
    data = json.loads(out[start:])
    return {item["package"] for item in data if any(f["signal"] == "NOT_FOUND" for f in item["flags"])}


def any_finding_driftgate(out: str) -> set[str]:
    return {line.split("`")[1].split("=")[0].split("<")[0].split(">")[0] for line in out.splitlines() if "`" in line}


def any_finding_slopcheck(out: str) -> set[str]:
    start = 0 if out.startswith("[") else out.index("\n[") + 1
    return {item["package"] for item in json.loads(out[start:]) if item["status"] != "OK"}


def any_finding_slopgate(out: str) -> set[str]:
    return {f["name"] for f in json.loads(out)["findings"] if f.get("level") != "OK"}


def flagged_slopgate(out: str) -> set[str]:
    return {f["name"] for f in json.loads(out)["findings"] if f.get("exists") is False}


def run_tool(name: str, cmd: list[str], workdir: str, repeat: int) -> dict[str, object]:
    colds, warms, cold_cpu, warm_cpu = [], [], [], []
    flagged: set[str] = set()
    noisy: set[str] = set()
    for _ in range(repeat):
        cache = tempfile.mkdtemp(dir=WORK, prefix="cache-")
        env = clean_env(cache)
        cold, cpu, out = timed(cmd, workdir, env)
        colds.append(cold)
        cold_cpu.append(cpu)
        warm, cpu, _ = timed(cmd, workdir, env)
        warms.append(warm)
        warm_cpu.append(cpu)
        parse = {"driftgate": flagged_driftgate, "slopcheck": flagged_slopcheck, "slopgate": flagged_slopgate}[name]
        anything = {"driftgate": any_finding_driftgate, "slopcheck": any_finding_slopcheck,
                    "slopgate": any_finding_slopgate}[name]
        flagged, noisy = parse(out), anything(out)
        shutil.rmtree(cache, ignore_errors=True)
    return {
        "cold": statistics.median(colds), "warm": statistics.median(warms),
        "cold_cpu": statistics.median(cold_cpu), "warm_cpu": statistics.median(warm_cpu),
        "flagged": flagged, "noisy": noisy,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    WORK.mkdir(parents=True, exist_ok=True)
    real, made_up = sample()
    workdir = tempfile.mkdtemp(dir=WORK, prefix="names-")
    Path(workdir, "requirements.txt").write_text("\n".join(real + made_up) + "\n")
    tools = {"driftgate": [sys.executable, "-m", "hooks.check_hallucinated_deps", "requirements.txt"]}
    peers = ensure_peers()
    for peer, where in peers.items():
        if where.startswith("not installable"):
            continue
        tools[peer] = [where, "scan", "requirements.txt", "--json"] if peer == "slopcheck" else [
            where, "scan", "requirements.txt", "--format", "json"]
    # pip byte-compiles an installed package; this tree runs from source, and this machine
    # sets PYTHONDONTWRITEBYTECODE, so compile once to time driftgate as users run it
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "hooks")], check=True)
    results = {name: run_tool(name, cmd, workdir, args.repeat) for name, cmd in tools.items()}
    floor = statistics.median(timed([sys.executable, "-c", "pass"], workdir, clean_env(workdir))[0] for _ in range(5))
    print(f"{len(real) + len(made_up)} names ({len(made_up)} made up), median of {args.repeat} runs")
    print(f"interpreter start-up alone (python -c pass): {floor:.2f} s wall\n")
    print("| tool | cold wall (s) | warm wall (s) | cold CPU (s) | warm CPU (s) | recall of made-up names | real names reported missing | real names with any finding |")
    print("|---|---|---|---|---|---|---|---|")
    for name, result in results.items():
        flagged = result["flagged"]
        assert isinstance(flagged, set)
        recall = len(flagged & set(made_up))
        false = sorted(flagged & set(real))
        noisy = result["noisy"]
        assert isinstance(noisy, set)
        other = sorted(noisy & set(real))
        print(f"| {name} | {result['cold']:.2f} | {result['warm']:.2f} | {result['cold_cpu']:.2f} | "
              f"{result['warm_cpu']:.2f} | {recall}/{len(made_up)} | "
              f"{len(false)}{' ' + ', '.join(false) if false else ''} | "
              f"{len(other)}{' (' + ', '.join(other) + ')' if other else ''} |")
    ours = results["driftgate"]
    for peer in PEERS:
        if peer in results:
            theirs = results[peer]
            print(f"\n{peer} / driftgate: cold {theirs['cold'] / ours['cold']:.1f}x, "  # type: ignore[operator]
                  f"warm {theirs['warm'] / ours['warm']:.1f}x")  # type: ignore[operator]
        else:
            print(f"\n{peer}: {peers[peer]}")
    shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
