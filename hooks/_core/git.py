"""The few git facts hooks need, through the git command line."""
from __future__ import annotations

import os
import subprocess

from hooks._core.findings import HookError

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (~3 ms)
if TYPE_CHECKING:
    from typing import Sequence


def run_git(args: Sequence[str], cwd: str = ".", check: bool = True) -> str:
    try:
        proc = subprocess.run(
            ["git", *args], cwd=cwd, capture_output=True, text=True, encoding="utf-8",
            errors="surrogateescape",
        )
    except FileNotFoundError:
        raise HookError("git is not installed or not on PATH") from None
    if check and proc.returncode != 0:
        detail = proc.stderr.strip().splitlines()
        raise HookError(f"git {' '.join(args)} failed: {detail[-1] if detail else proc.returncode}")
    return proc.stdout


# directory -> its work tree root, for the directories this process has asked about: in
# `driftgate run` several gates ask for the same one (a git process each, ~3 ms). Only found
# roots are kept: a directory outside any repository may become one (`git init`).
_ROOTS: dict[str, str] = {}


def repo_root(path: str = ".") -> str | None:
    """The work tree root containing `path`, or None outside a git repository."""
    start = path if os.path.isdir(path) else os.path.dirname(os.path.abspath(path))
    key = os.path.abspath(start)
    if key in _ROOTS and os.path.isdir(_ROOTS[key]):
        return _ROOTS[key]
    try:
        proc = subprocess.run(
            ["git", "rev-parse", "--show-toplevel"], cwd=start, capture_output=True, text=True
        )
    except (FileNotFoundError, NotADirectoryError):
        return None
    if proc.returncode != 0:
        return None
    _ROOTS[key] = root = proc.stdout.strip()
    return root


def inside_git_dir(path: str) -> bool:
    """True for a bare repository or a directory inside a .git directory."""
    try:
        proc = subprocess.run(
            ["git", "rev-parse", "--is-inside-git-dir", "--is-bare-repository"], cwd=path,
            capture_output=True, text=True,
        )
    except (FileNotFoundError, NotADirectoryError):
        return False
    return proc.returncode == 0 and "true" in proc.stdout.split()


def tracked_files(root: str) -> list[str]:
    """Files git tracks under `root` (relative, posix), skipping ones deleted in the work tree."""
    out = run_git(["ls-files", "-z", "--cached", "--", "."], cwd=root)
    return [name for name in out.split("\0") if name and os.path.isfile(os.path.join(root, name))]
