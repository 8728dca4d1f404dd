"""check-env-vars: figures on a real public project and speed on a generated 1,500-file repo.

    python benchmarks/bench_env_vars.py [--project jupyterhub==6.1.1] [--files 1500] [--runs 5]

1. The real project's sdist is fetched with `pip download --no-deps --no-binary :all:` into
   benchmarks/.work/, unpacked, committed into a git repo (so declarations come from the
   files git tracks, as in a user's repo), and checked: reads, declared names, undeclared.
2. A generated repository of N Python files (a fifth of them reading the environment, the
   usual deployment files around them) is checked in one process, the worst case: pre-commit
   would split the files across several. The bar is < 2 s.

Both runs time the real command line (`python -m hooks.check_env_vars FILES...`, interpreter
start-up included) against `git grep` for the same read patterns, the naive check a team
would script (it finds read sites, nothing more).
"""
from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import tarfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
PROJECT_ROOT = HERE.parent
WORK = HERE / ".work" / "env_vars"
GREP_PATTERN = r"os\.environ|getenv|process\.env|import\.meta\.env"
CODE_SUFFIXES = (".py", ".js", ".mjs", ".cjs", ".jsx", ".ts", ".tsx", ".mts", ".cts", ".vue", ".svelte")


def git(cwd: Path, *args: str) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "b", "GIT_AUTHOR_EMAIL": "b@example.invalid",
           "GIT_COMMITTER_NAME": "b", "GIT_COMMITTER_EMAIL": "b@example.invalid"}
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True,
                          env=env).stdout


def commit_tree(root: Path) -> None:
    if not (root / ".git").exists():
        git(root, "init", "-q", "-b", "main")
        git(root, "add", "-A")
        git(root, "commit", "-q", "--no-verify", "-m", "benchmark tree")


def _own_safe_member(member: tarfile.TarInfo, path: str) -> tarfile.TarInfo:
    """tarfile's "data" filter, and files owned by us: git refuses a tree owned by another
    uid ("dubious ownership"). Needs Python >= 3.8.17 / 3.9.17 / 3.10.12 / 3.11.4."""
    return tarfile.data_filter(member, path).replace(  # type: ignore[attr-defined]
        uid=os.getuid(), gid=os.getgid(), uname=None, gname=None)


def fetch_project(spec: str) -> Path:
    dest = WORK / "sdist"
    dest.mkdir(parents=True, exist_ok=True)
    name = spec.split("==")[0].replace("-", "_").lower()
    found = [p for p in dest.glob("*.tar.gz") if p.name.lower().startswith(name)]
    if not found:
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary", ":all:", spec,
             "-d", str(dest), "-q"],
            check=True,
        )
        found = [p for p in dest.glob("*.tar.gz") if p.name.lower().startswith(name)]
    archive = max(found)
    tree = WORK / archive.name[: -len(".tar.gz")]
    if not tree.exists():
        with tarfile.open(archive) as tar:
            tar.extractall(WORK, filter=_own_safe_member)
    commit_tree(tree)
    return tree


# --- the generated repository -------------------------------------------------------

MODULE = '''"""Module {i}: {topic} handling."""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

log = logging.getLogger(__name__)


@dataclass
class {cls}:
    name: str
    items: list[str] = field(default_factory=list)
    limit: int = {i}

    def add(self, item: str) -> None:
        if len(self.items) >= self.limit:
            raise ValueError(f"{{self.name}} is full")
        self.items.append(item)

    def summary(self) -> dict[str, Any]:
        return {{"name": self.name, "count": len(self.items), "limit": self.limit}}

'''
FUNCTION = '''
def {name}(values: list[int], threshold: int = {n}) -> list[int]:
    """Keep the values above threshold, doubled when they are even."""
    out = []
    for value in values:
        if value <= threshold:
            continue
        if value % 2 == 0:
            out.append(value * 2)
        else:
            out.append(value)
    log.debug("%s kept %d of %d", "{name}", len(out), len(values))
    return out
'''
READS = [
    'DATABASE_URL = os.environ["DATABASE_URL"]\n',
    'CACHE_TTL = int(os.getenv("CACHE_TTL", "60"))\n',
    'DEBUG = os.environ.get("DEBUG", "0") == "1"\n',
    'TOKEN = get_from_env("SERVICE_TOKEN_{i}")\n',
    'FEATURE = "FEATURE_{i}" in os.environ\n',
    'WRITE = os.environ.setdefault("WRITTEN_{i}", "x")\n',
    'DYNAMIC = os.environ.get(f"PLUGIN_{{name}}")\n',
]
SETTINGS = '''
class Settings{i}(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SVC{i}_")

    host: str = "localhost"
    port: int = 8000
    api_key: str
'''


def generate(root: Path, count: int) -> None:
    if (root / ".git").exists() and len(list(root.rglob("*.py"))) == count + 1:
        return
    shutil.rmtree(root, ignore_errors=True)
    rng = random.Random(1500)
    pkg = root / "src" / "app"
    pkg.mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "envutil.py").write_text("import os\n\n\ndef get_from_env(name):\n    return os.environ[name]\n")
    declared = ["DATABASE_URL", "CACHE_TTL", "DEBUG"]
    for i in range(count - 1):
        sub = pkg / f"area{i % 30:02}"
        sub.mkdir(exist_ok=True)
        if not (sub / "__init__.py").exists():
            (sub / "__init__.py").write_text("")
        text = MODULE.format(i=i, topic=rng.choice(["order", "user", "invoice", "report"]),
                             cls=f"Thing{i}")
        text += "".join(FUNCTION.format(name=f"step_{i}_{k}", n=k) for k in range(rng.randint(2, 8)))
        if i % 5 == 0:
            reads = "".join(line.format(i=i) for line in rng.sample(READS, 3))
            text = ("import os\nfrom app.envutil import get_from_env\n" + text + "\n"
                    f"name = 'n{i}'\n" + reads)
            declared.append(f"SERVICE_TOKEN_{i}")
        if i % 50 == 0:
            text = ("from pydantic_settings import BaseSettings, SettingsConfigDict\n" + text
                    + SETTINGS.format(i=i))
            declared.append(f"SVC{i}_API_KEY")
        (sub / f"mod_{i:04}.py").write_text(text)
    (root / ".env.example").write_text("".join(f"{name}=\n" for name in declared[: len(declared) // 2]))
    (root / "docker-compose.yml").write_text(
        "services:\n  app:\n    build: .\n    environment:\n"
        + "".join(f"      {name}: x\n" for name in declared[len(declared) // 2:])
    )
    (root / "Dockerfile").write_text("FROM python:3.12\nENV PYTHONUNBUFFERED=1\nCOPY . /app\n")
    (root / "k8s").mkdir()
    (root / "k8s" / "deploy.yaml").write_text(
        "apiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n"
        "        - name: app\n          env:\n            - name: DATABASE_URL\n"
    )
    commit_tree(root)


# --- measuring ----------------------------------------------------------------------


def code_files(root: Path) -> list[str]:
    return [f for f in git(root, "ls-files").splitlines() if f.endswith(CODE_SUFFIXES)]


def timed(cmd: list[str], cwd: Path, runs: int) -> tuple[float, float, subprocess.CompletedProcess[str]]:
    """Median wall time and median CPU time (user + sys) of the child over `runs` runs.
    CPU time is reported too because a shared, loaded machine inflates wall time."""
    import resource

    walls, cpus = [], []
    proc = None
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, check=False,
                              env={**os.environ, "PYTHONPATH": str(PROJECT_ROOT)})
        walls.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    assert proc is not None
    return statistics.median(walls), statistics.median(cpus), proc


def figures(root: Path) -> dict[str, object]:
    """Reads, declarations and undeclared reads, through the hook's own modules."""
    sys.path.insert(0, str(PROJECT_ROOT))
    import hooks.check_env_vars as hook
    from hooks._core.runner import COMMON_OPTIONS, CheckRun, collect, load_settings

    cwd = os.getcwd()
    os.chdir(root)
    try:
        hook._REPOSITORIES.clear()
        settings = load_settings(hook.HOOK_ID, (*COMMON_OPTIONS, *hook.OPTIONS), None)
        settings["extend_select"] = ["DG410"]
        files = code_files(root)
        run = CheckRun(hook.HOOK_ID, files, settings)
        findings = collect(hook.HOOK, run)
        repo = hook._REPOSITORIES[next(iter(hook._REPOSITORIES))]
        reads = []
        for source in run.sources_iter():
            result = hook._reads_of(source, repo, repo.helpers.known_names)
            reads.extend(result.reads if result is not None else [])
    finally:
        os.chdir(cwd)
    by_code: dict[str, int] = {}
    for f in findings:
        by_code[f.code] = by_code.get(f.code, 0) + 1
    decl_files = sorted({d.path for d in repo.declarations.sites})
    undeclared = {f.message.split()[0] for f in findings if f.code in ("DG401", "DG402")}
    return {
        "code files": len(files),
        "read sites": len(reads),
        "distinct names read": len({r.name for r in reads}),
        "declaration files": len(decl_files),
        "declared names": len(repo.declarations.names),
        "undeclared read sites (DG401/DG402)": f"{by_code.get('DG401', 0)}/{by_code.get('DG402', 0)}",
        "distinct undeclared names": len(undeclared),
        "declared, never read (DG410)": by_code.get("DG410", 0),
        "declaration file errors": len(run.errors),
        "_decl_files": decl_files,
        "_undeclared": sorted(undeclared),
    }


def report(title: str, root: Path, runs: int) -> None:
    files = code_files(root)
    wall, cpu, proc = timed([sys.executable, "-m", "hooks.check_env_vars", *files], root, runs)
    grep_wall, grep_cpu, _ = timed(["git", "grep", "-nE", GREP_PATTERN, "--", *files], root, runs)
    start_wall, start_cpu, _ = timed([sys.executable, "-c", "pass"], root, runs)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    stats = figures(root)
    print(f"\n## {title}\n")
    for key, value in stats.items():
        if not key.startswith("_"):
            print(f"- {key}: {value}")
    print(f"- declaration files read: {', '.join(stats['_decl_files']) or '-'}")  # type: ignore[arg-type]
    undeclared = stats["_undeclared"]
    print(f"- undeclared names: {', '.join(undeclared[:25])}"  # type: ignore[index]
          + (" ..." if len(undeclared) > 25 else ""))  # type: ignore[arg-type]
    print(f"- check-env-vars, one process, {len(files)} files: {wall:.3f} s wall, {cpu:.3f} s CPU "
          f"(median of {runs}; exit {proc.returncode}, {len(proc.stdout.splitlines())} findings; "
          f"load average {load:.1f} on {os.cpu_count()} cores)")
    print(f"- git grep for the read patterns: {grep_wall:.3f} s wall, {grep_cpu:.3f} s CPU "
          f"(check-env-vars / grep: {wall / grep_wall:.0f}x wall)")
    print(f"- python start-up alone: {start_wall:.3f} s wall, {start_cpu:.3f} s CPU")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--project", default="jupyterhub==6.1.1", help="sdist to fetch (pip spec)")
    parser.add_argument("--files", type=int, default=1500, help="Python files in the generated repo")
    parser.add_argument("--runs", type=int, default=5, help="timed runs (median reported)")
    args = parser.parse_args()
    WORK.mkdir(parents=True, exist_ok=True)
    project = fetch_project(args.project)
    report(f"real project: {project.name} (sdist)", project, args.runs)
    generated = WORK / f"generated-{args.files}"
    generate(generated, args.files)
    report(f"generated repository: {args.files} Python files", generated, args.runs)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
