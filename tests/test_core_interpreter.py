"""The shared discovery of the project's own interpreter (real venvs, real subprocesses)."""
from __future__ import annotations

import os
import sys
import venv
from pathlib import Path

import pytest

from hooks._core import interpreter
from hooks._core.findings import HookError


@pytest.fixture(scope="module")
def project_venv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real venv (no pip: nothing needs installing) at <repo>/.venv."""
    root = tmp_path_factory.mktemp("project")
    venv.EnvBuilder(with_pip=False).create(root / ".venv")
    return root


def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("VIRTUAL_ENV", raising=False)


def test_dot_venv_at_the_root_is_found(project_venv: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _clean_env(monkeypatch)
    executable, source = interpreter.discover(str(project_venv))
    assert source == ".venv"
    assert Path(executable).parent.parent == project_venv / ".venv"


def test_flag_wins_over_config_and_venv(project_venv: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _clean_env(monkeypatch)
    executable, source = interpreter.discover(str(project_venv), flag=sys.executable, configured="nonexistent")
    assert (executable, source) == (sys.executable, "--python")


def test_config_accepts_a_venv_directory(project_venv: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _clean_env(monkeypatch)
    executable, source = interpreter.discover(".", configured=str(project_venv / ".venv"))
    assert source == "config `python`"
    assert Path(executable).parent.parent == project_venv / ".venv"


def test_virtual_env_beats_dot_venv(project_venv: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    other = tmp_path / "other-env"
    venv.EnvBuilder(with_pip=False).create(other)
    monkeypatch.setenv("VIRTUAL_ENV", str(other))
    executable, source = interpreter.discover(str(project_venv))
    assert source == "VIRTUAL_ENV"
    assert Path(executable).parent.parent == other


def test_a_missing_named_interpreter_is_an_error_not_a_fallback(tmp_path: Path) -> None:
    with pytest.raises(HookError, match="no such interpreter"):
        interpreter.discover(str(tmp_path), flag=str(tmp_path / "nope" / "python"))


def test_ask_reports_the_venvs_own_version_and_site_packages(project_venv: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _clean_env(monkeypatch)
    facts = interpreter.project_interpreter(str(project_venv))
    assert facts.version[:2] == sys.version_info[:2]
    assert facts.prefix == str(project_venv / ".venv")
    assert any(p.endswith("site-packages") and p.startswith(str(project_venv)) for p in facts.sys_path)
    assert os.path.isdir(facts.stdlib)


def test_a_broken_interpreter_is_one_clear_error(tmp_path: Path) -> None:
    fake = tmp_path / "python"
    fake.write_text("#!/bin/sh\necho not python >&2\nexit 1\n")
    fake.chmod(0o755)
    with pytest.raises(HookError, match="not a working Python: not python"):
        interpreter.ask(str(fake))


def test_the_probe_imports_nothing_of_the_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """-I keeps the cwd off the probe's sys.path: a project module shadowing `json` is not run."""
    (tmp_path / "json.py").write_text("raise SystemExit('project code ran')\n")
    monkeypatch.chdir(tmp_path)
    interpreter._asked.clear()
    facts = interpreter.ask(sys.executable)
    assert facts.version == tuple(sys.version_info[:3])


def test_under_pre_commit_the_hooks_own_environment_is_not_the_project(
    project_venv: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """pre-commit sets VIRTUAL_ENV to the hook's isolated env and puts it first on PATH;
    the project's .venv must win over both."""
    import sys

    monkeypatch.setenv("PRE_COMMIT", "1")
    monkeypatch.setenv("VIRTUAL_ENV", sys.prefix)
    executable, source = interpreter.discover(str(project_venv))
    assert source == ".venv"
    assert Path(executable).parent.parent == project_venv / ".venv"
