"""The environments check-hallucinated-apis reads in the real-world corpus: a `.venv` at the
root of each repository unpacked by real_repos.py (benchmarks/.work/real/<name>/, git-ignored,
untracked so `driftgate scan` does not walk it), as a user's own venv would be.

    python benchmarks/apis_envs.py [--repo NAME ...] [--python3.13 PATH]

httpie, healthchecks and fastapi-template get their dependencies installed from the index pip
is configured with (the pins of their own requirement files); the other repositories get an
empty venv, so only their standard-library uses are checked (their libraries are "not
installed", about which the hook says nothing). Run real_repos.py once first so the
repositories exist.
"""
from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REAL = HERE / ".work" / "real"

try:
    import tomllib  # type: ignore[import-not-found]
except ImportError:  # Python < 3.11
    import tomli as tomllib  # type: ignore[no-redef]


def _pip(venv: Path, *args: str) -> bool:
    proc = subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "-q",
                           "--disable-pip-version-check", *args], capture_output=True, text=True)
    if proc.returncode != 0:
        print(f"  pip install {' '.join(args)[:80]}... failed: {proc.stderr.strip().splitlines()[-1:]}")
    return proc.returncode == 0


def _install_each(venv: Path, requirements: list[str]) -> None:
    """All at once, else one by one (a package that cannot build here, such as pycurl
    without libcurl headers, stays out and its uses stay unchecked)."""
    if not _pip(venv, *requirements):
        for requirement in requirements:
            _pip(venv, requirement)


def httpie(repo: Path, venv: Path) -> None:
    _install_each(venv, [str(repo), "pytest", "responses"])


def healthchecks(repo: Path, venv: Path) -> None:
    lines = (repo / "requirements.txt").read_text().splitlines()
    _install_each(venv, [line.strip() for line in lines if line.strip() and not line.startswith("#")] + ["pytest"])


def fastapi_template(repo: Path, venv: Path) -> None:
    project = tomllib.loads((repo / "backend" / "pyproject.toml").read_text())
    deps = list(project["project"]["dependencies"])
    for group in project.get("dependency-groups", {}).values():
        deps += [d for d in group if isinstance(d, str)]
    _install_each(venv, deps)


INSTALLERS = {"httpie": httpie, "healthchecks": healthchecks, "fastapi-template": fastapi_template}
# the Python each one needs (Django 6 and the template ask for a recent one)
NEEDS_NEWEST = {"healthchecks", "fastapi-template"}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repo", action="append", help="only these repositories")
    parser.add_argument("--newest-python", default=shutil.which("python3.13") or sys.executable,
                        help="interpreter for the repositories that need a recent Python")
    args = parser.parse_args(argv)
    names = args.repo or sorted(p.name for p in REAL.iterdir() if p.is_dir())
    for name in names:
        repo = REAL / name
        venv = repo / ".venv"
        if (venv / "driftgate-env.ok").exists():
            print(f"{name}: ready")
            continue
        python = args.newest_python if name in NEEDS_NEWEST else sys.executable
        print(f"{name}: venv with {python}")
        subprocess.run([python, "-m", "venv", "--clear", str(venv)], check=True)
        installer = INSTALLERS.get(name)
        if installer is not None:
            installer(repo, venv)
        (venv / "driftgate-env.ok").write_text("ok\n")
        # keep `git status` clean in the unpacked repository
        exclude = repo / ".git" / "info" / "exclude"
        if exclude.exists() and not re.search(r"^/\.venv/$", exclude.read_text(), re.M):
            with exclude.open("a") as handle:
                handle.write("/.venv/\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
