from __future__ import annotations

from pathlib import Path

import pytest

from conftest import commit_all, init_repo
from hooks._core.findings import HookError
from hooks._core.git import repo_root, run_git, tracked_files


def test_repo_root_from_a_subdirectory_and_a_file(tmp_path: Path) -> None:
    root = init_repo(tmp_path / "r")
    (root / "a" / "b").mkdir(parents=True)
    (root / "a" / "b" / "f.py").write_text("x = 1\n")
    assert Path(repo_root(str(root / "a" / "b"))).resolve() == root.resolve()
    assert Path(repo_root(str(root / "a" / "b" / "f.py"))).resolve() == root.resolve()


def test_repo_root_outside_git_is_none(tmp_path: Path) -> None:
    assert repo_root(str(tmp_path)) is None


def test_tracked_files_skips_untracked_and_deleted(tmp_path: Path) -> None:
    root = init_repo(tmp_path / "r")
    for name in ("keep.py", "gone.py", "sp ace.py", "ünï.py"):
        (root / name).write_text("x = 1\n")
    commit_all(root)
    (root / "gone.py").unlink()
    (root / "new.py").write_text("x = 1\n")
    assert sorted(tracked_files(str(root))) == ["keep.py", "sp ace.py", "ünï.py"]


def test_failing_git_command_is_a_hook_error(tmp_path: Path) -> None:
    with pytest.raises(HookError, match="git rev-parse HEAD failed"):
        run_git(["rev-parse", "HEAD"], cwd=str(tmp_path))
