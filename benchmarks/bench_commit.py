"""What a developer feels at every `git commit` (issue 15): `pre-commit run --files` on a commit
that touches 3 Python files and 1 requirements file of a real project, with

- the `driftgate` hook (every file gate in one process),
- the same gates as separate hooks (all of them, and the five of issue 15's table),
- detect-secrets' hook alone, and detect-secrets' hook + ruff (the peers),
- a no-op hook (`true`): what pre-commit itself costs, which no hook can go below.

    python benchmarks/bench_commit.py [--repeat 9] [--project httpie]

Everything is installed into `benchmarks/.work/commit-venv` from the package registry (driftgate
from this checkout, byte-compiled as pip installs it); the hooks are `repo: local` entries of
`language: system` pointing at that venv's console scripts, so pre-commit builds no environment
and what is timed is pre-commit plus the hooks. The project is a corpus repository
(`benchmarks/real_repos.py` prepares it) copied into a fresh git repository, with a
`requirements.txt` of the names it really declares. The dependency hooks' cache is warmed by a
first, untimed run (they ask pip's index about those declared names only). Runs are
interleaved; medians are printed, with the CPU time (user + sys) of pre-commit and its children.

Every timed run is a new commit: before it, each of the 3 Python files and requirements.txt gets
a new last line (`# bench run N`), so every per-file cache (keyed on a file's content, size or
mtime) misses as it would on a real commit, while caches of what the commit does not change
(the index's answers, the environment-variable declarations, the installed packages) stay warm.
Re-running unchanged files would time a cache hit no developer gets at `git commit`.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
WORK = HERE / ".work"
VENV = WORK / "commit-venv"
FIVE = ("check-nesting", "check-env-vars", "check-secrets", "check-hallucinated-deps", "check-undeclared-imports")


def file_hooks() -> tuple[str, ...]:
    sys.path.insert(0, str(ROOT))
    from hooks._core.registry import FILE_HOOKS

    return FILE_HOOKS

# per project: the 3 Python files the commit touches and the real declared dependencies
PROJECTS = {
    "httpie": (
        ("httpie/core.py", "httpie/client.py", "httpie/sessions.py"),
        ("pip", "charset_normalizer>=2.0.0", "defusedxml>=0.6.0", "requests[socks]>=2.22.0",
         "Pygments>=2.5.2", "requests-toolbelt>=0.9.1", "multidict>=4.7.0", "setuptools", "rich>=9.10.0"),
    ),
}


def ensure_venv() -> Path:
    bin_dir = VENV / "bin"
    if not (bin_dir / "detect-secrets-hook").exists():
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
        subprocess.run([str(bin_dir / "pip"), "install", "-q", "pre-commit", "detect-secrets", "ruff"], check=True)
    # this checkout, reinstalled every time so the figures are of the code under test
    subprocess.run([str(bin_dir / "pip"), "install", "-q", "--no-deps", "--force-reinstall", str(ROOT)], check=True)
    subprocess.run([str(bin_dir / "pip"), "install", "-q", str(ROOT)], check=True)
    return bin_dir


def local_hook(hook_id: str, entry: str, extra: str = "") -> str:
    return (
        f"      - id: {hook_id}\n        name: {hook_id}\n        entry: {entry}\n"
        f"        language: system\n{extra}"
    )


def configs(bin_dir: Path) -> dict[str, str]:
    """pre-commit configs by label; each hook's file filter is its own hook definition's."""
    import yaml

    manifest = {h["id"]: h for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())}

    def driftgate_hook(hook_id: str) -> str:
        hook = manifest[hook_id]
        extra = "".join(
            f"        {key}: {json.dumps(hook[key])}\n"  # JSON is YAML, one line
            for key in ("types", "types_or", "files") if key in hook
        )
        return local_hook(hook_id, f"{bin_dir}/{hook['entry']}", extra)

    head = "repos:\n  - repo: local\n    hooks:\n"
    return {
        "driftgate hook (one process)": head + driftgate_hook("driftgate"),
        f"the {len(file_hooks())} file hooks, separate": head + "".join(driftgate_hook(h) for h in file_hooks()),
        "the first five hooks, separate": head + "".join(driftgate_hook(h) for h in FIVE),
        "detect-secrets hook alone": head + local_hook("detect-secrets", f"{bin_dir}/detect-secrets-hook", "        types: [file]\n"),
        "no-op hook (pre-commit's own cost)": head + local_hook("no-op", '"true"', "        types: [file]\n"),
        "detect-secrets hook + ruff": head
        + local_hook("detect-secrets", f"{bin_dir}/detect-secrets-hook", "        types: [file]\n")
        + local_hook("ruff", f"{bin_dir}/ruff check --force-exclude", "        types_or: [python, pyi]\n"),
    }


def make_project(name: str) -> tuple[Path, list[str]]:
    sys.path.insert(0, str(HERE))
    import real_repos

    repo = next(r for r in real_repos.REPOS if r.name == name)
    source, _ = real_repos.prepare(repo, Path("/work/.mirror"))
    dest = WORK / "commit-project"
    if dest.exists():
        shutil.rmtree(dest)
    shutil.copytree(source, dest, ignore=shutil.ignore_patterns(".git"))
    touched, declared = PROJECTS[name]
    (dest / "requirements.txt").write_text("".join(f"{line}\n" for line in declared))
    for command in (["init", "-q"], ["add", "-A"], ["-c", "user.name=b", "-c", "user.email=b@example.invalid", "commit", "-qm", "base"]):
        subprocess.run(["git", *command], cwd=dest, check=True, capture_output=True)
    for path in touched:  # the change: one line appended to each file
        with open(dest / path, "a", encoding="utf-8") as handle:
            handle.write("\n# touched\n")
    return dest, [*touched, "requirements.txt"]


def new_content(project: Path, files: list[str], run: int) -> None:
    """Give every file of the commit new content (and a new mtime) before a timed run."""
    for path in files:
        with open(project / path, "a", encoding="utf-8") as handle:
            handle.write(f"# bench run {run}\n")


def timed(cmd: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, float, int]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, proc.returncode


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=9)
    parser.add_argument("--project", default="httpie", choices=sorted(PROJECTS))
    args = parser.parse_args(argv)
    bin_dir = ensure_venv()
    project, files = make_project(args.project)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PRE_COMMIT", "SKIP"))}
    env.update(PRE_COMMIT_HOME=str(WORK / "commit-pre-commit-home"), PRE_COMMIT_COLOR="never")
    paths = {}
    for label, text in configs(bin_dir).items():
        path = WORK / f"commit-config-{len(paths)}.yaml"
        path.write_text(text)
        paths[label] = path
    pre_commit = [str(bin_dir / "pre-commit"), "run", "--files", *files, "-c"]
    for path in paths.values():  # warm: hook caches, the index cache, the OS file cache
        timed([*pre_commit, str(path)], project, env)
    walls: dict[str, list[float]] = {label: [] for label in paths}
    cpus: dict[str, list[float]] = {label: [] for label in paths}
    codes: dict[str, set[int]] = {label: set() for label in paths}
    run = 0
    for _ in range(args.repeat):
        for label, path in paths.items():
            run += 1
            new_content(project, files, run)
            wall, cpu, code = timed([*pre_commit, str(path)], project, env)
            walls[label].append(wall)
            cpus[label].append(cpu)
            codes[label].add(code)
    direct = {  # the same files, without pre-commit: what the hooks themselves cost
        "driftgate run (no pre-commit)": [str(bin_dir / "driftgate"), "run", *files],
        "detect-secrets-hook (no pre-commit)": [str(bin_dir / "detect-secrets-hook"), *files],
    }
    for label in direct:
        walls[label], cpus[label], codes[label] = [], [], set()
    for _ in range(args.repeat):
        for label, cmd in direct.items():
            run += 1
            new_content(project, files, run)
            wall, cpu, code = timed(cmd, project, env)
            walls[label].append(wall)
            cpus[label].append(cpu)
            codes[label].add(code)
    load = os.getloadavg()[0]
    print(f"{args.project}: pre-commit run --files {' '.join(files)}  ({args.repeat} runs each, load {load:.1f})")
    print(f"{'configuration':36} {'median wall s':>13} {'median CPU s':>12}  exit")
    for label in [*paths, *direct]:
        print(f"{label:36} {statistics.median(walls[label]):>13.3f} {statistics.median(cpus[label]):>12.3f}  {sorted(codes[label])}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
