"""The test suite on every supported Python present on this machine: `python -m nox`
(the README's test command, which .ci/run runs). `python -m nox -s tests-3.13` runs one;
arguments after `--` go to pytest.

Interpreters are looked for as `pythonX.Y` on PATH and under pyenv's versions directory
(pyenv's shims only answer for the versions `pyenv global` selects). A version found
nowhere is skipped with one line, never downloaded.
"""
from __future__ import annotations

import glob
import os
import shutil
import subprocess

import nox

SUPPORTED = ("3.9", "3.10", "3.11", "3.12", "3.13")  # requires-python = ">=3.9"
INTERPRETERS_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), ".nox", "_interpreters")

nox.options.sessions = ["tests"]
nox.options.download_python = "never"
nox.options.error_on_missing_interpreters = False


def _works(path: str, version: str) -> bool:
    try:
        proc = subprocess.run(
            [path, "-c", "import sys, venv; print('%d.%d' % sys.version_info[:2])"],
            capture_output=True, text=True, timeout=30,
        )
    except (OSError, subprocess.SubprocessError):
        return False
    return proc.returncode == 0 and proc.stdout.strip() == version


def _find(version: str) -> str | None:
    name = f"python{version}"
    candidates = [shutil.which(name)]
    pyenv_root = os.environ.get("PYENV_ROOT") or os.path.expanduser("~/.pyenv")
    candidates += sorted(glob.glob(os.path.join(pyenv_root, "versions", f"{version}.*", "bin", name)), reverse=True)
    candidates += [f"/usr/bin/{name}", f"/usr/local/bin/{name}"]
    return next((c for c in candidates if c and os.path.isfile(c) and _works(c, version)), None)


def _present() -> list[str]:
    """The supported versions found here. Each is linked as .nox/_interpreters/pythonX.Y,
    first on PATH, so nox's own lookup finds exactly that interpreter."""
    os.makedirs(INTERPRETERS_DIR, exist_ok=True)
    found = []
    for version in SUPPORTED:
        path = _find(version)
        link = os.path.join(INTERPRETERS_DIR, f"python{version}")
        if os.path.lexists(link):
            os.unlink(link)
        if path is None:
            print(f"noxfile: Python {version} not found on this machine; its session is skipped")
            continue
        os.symlink(path, link)
        found.append(version)
    os.environ["PATH"] = INTERPRETERS_DIR + os.pathsep + os.environ.get("PATH", "")
    return found


PRESENT = _present()


@nox.session(python=PRESENT, venv_backend="venv")
def tests(session: nox.Session) -> None:
    session.install(".[test]")
    session.run("python", "-m", "pytest", *session.posargs)
