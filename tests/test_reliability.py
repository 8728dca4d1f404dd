"""Faults and hostile input: every one gets a bounded, clear answer (issue 10).

Crashes are provoked with a deliberately broken hook: after the fixes below no real hook
is known to crash, and the guard must hold for the next bug too."""
from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path
from types import SimpleNamespace

import pytest

from conftest import PROJECT_ROOT
from hooks import cli
from hooks._core import registry
from hooks._core.findings import Rule
from hooks._core.runner import FileHook, run_hook

BROKEN_HOOK = textwrap.dedent(
    """
    import sys
    from hooks._core.findings import Rule
    from hooks._core.runner import FileHook, run_hook

    def check(run):
        raise KeyError("a bug of ours")
        yield

    hook = FileHook("broken-hook", "always crashes", (Rule("DG999", "x"),), lambda p: True, check)
    raise SystemExit(run_hook(hook, sys.argv[1:]))
    """
)


def _crashing_check(run: object) -> list[object]:
    raise ZeroDivisionError("division by zero")


CRASHING = FileHook("crashing-hook", "crashes", (Rule("DG999", "x"),), lambda p: True, _crashing_check)


def _run_python(code: str, *args: str, env: dict[str, str] | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    import os

    full_env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT), **(env or {})}
    return subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, env=full_env, cwd=cwd, timeout=60,
    )


# --- 1. the top-level guard -----------------------------------------------------------


def test_a_crash_is_exit_3_with_one_line_not_a_traceback(in_tmp: Path) -> None:
    (in_tmp / "a.py").write_text("x = 1\n")
    proc = _run_python(BROKEN_HOOK, "a.py", env={"DRIFTGATE_DEBUG": ""}, cwd=in_tmp)
    assert proc.returncode == 3
    assert proc.stdout == ""
    assert proc.stderr.splitlines() == [
        "driftgate: internal error in broken-hook: KeyError: 'a bug of ours' "
        "(set DRIFTGATE_DEBUG=1 for the traceback)"
    ]


def test_driftgate_debug_prints_the_traceback(in_tmp: Path) -> None:
    (in_tmp / "a.py").write_text("x = 1\n")
    proc = _run_python(BROKEN_HOOK, "a.py", env={"DRIFTGATE_DEBUG": "1"}, cwd=in_tmp)
    assert proc.returncode == 3
    assert "Traceback (most recent call last)" in proc.stderr
    assert ", in check\n" in proc.stderr  # the frame that raised
    assert proc.stderr.splitlines()[-1].startswith("driftgate: internal error in broken-hook: KeyError")


def test_run_hook_guard(in_tmp: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DRIFTGATE_DEBUG", raising=False)
    (in_tmp / "a.py").write_text("x = 1\n")
    assert run_hook(CRASHING, ["a.py"]) == 3
    err = capsys.readouterr().err
    assert err == (
        "driftgate: internal error in crashing-hook: ZeroDivisionError: division by zero "
        "(set DRIFTGATE_DEBUG=1 for the traceback)\n"
    )


def test_scan_reports_the_crashing_hook_runs_the_others_and_exits_3(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # registry.load_module is replaced for one hook id only: a real hook that crashes is
    # exactly what does not exist once the bugs are fixed.
    monkeypatch.delenv("DRIFTGATE_DEBUG", raising=False)
    deep = "def f(x):\n" + "".join("    " * (i + 1) + f"for a{i} in x:\n" for i in range(6)) + "    " * 7 + "pass\n"
    (repo / "deep.py").write_text(deep)
    subprocess.run(["git", "add", "deep.py"], cwd=repo, check=True)
    real_load = registry.load_module

    def load(hook_id: str) -> object:
        if hook_id == "check-secrets":
            return SimpleNamespace(HOOK=FileHook("check-secrets", "x", (), lambda p: True, _crashing_check))
        return real_load(hook_id)

    monkeypatch.setattr(registry, "load_module", load)
    assert cli.main(["scan", "--skip", "check-hallucinated-deps", "--skip", "check-undeclared-imports"]) == 3
    out, err = capsys.readouterr()
    assert "DG501" in out  # check-nesting still ran and reported
    assert "driftgate: internal error in check-secrets: ZeroDivisionError: division by zero" in err
    assert "Traceback" not in err


def test_provenance_hooks_are_guarded(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import hooks.check_provenance as check_provenance
    import hooks.record_provenance as record_provenance

    monkeypatch.delenv("DRIFTGATE_DEBUG", raising=False)

    def boom(*args: object, **kwargs: object) -> object:
        raise RuntimeError("unexpected")

    # the inner steps are replaced: no real input is known to crash them
    monkeypatch.setattr(check_provenance, "find", boom)
    monkeypatch.setattr(record_provenance, "record", boom)
    assert check_provenance.main([]) == 3
    (repo / "MSG").write_text("feat: x\n")
    assert record_provenance.main(["MSG"]) == 3
    err = capsys.readouterr().err.splitlines()
    assert err == [
        "driftgate: internal error in check-provenance: RuntimeError: unexpected (set DRIFTGATE_DEBUG=1 for the traceback)",
        "driftgate: internal error in record-provenance: RuntimeError: unexpected (set DRIFTGATE_DEBUG=1 for the traceback)",
    ]


# --- 2. bad values --------------------------------------------------------------------


def _float_options() -> list[tuple[str, str]]:
    """(hook id, option name) for every float option of every file hook, found at run
    time so a float option added later is covered too."""
    found = []
    for hook_id in registry.FILE_HOOKS:
        hook = registry.load_module(hook_id).HOOK
        found += [(hook_id, option.name) for option in hook.options if option.kind is float]
    return found


def test_there_are_float_options_to_check() -> None:
    assert ("check-hallucinated-deps", "timeout") in _float_options()
    assert ("check-undeclared-imports", "timeout") in _float_options()


@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "1e999", "NaN"])
def test_non_finite_flag_values_are_rejected(
    in_tmp: Path, capsys: pytest.CaptureFixture[str], value: str
) -> None:
    (in_tmp / "requirements.txt").write_text("requests\n")
    (in_tmp / "a.py").write_text("import requests\n")
    for hook_id, name in _float_options():
        main = registry.load_module(hook_id).main
        assert main([f"--{name}={value}", "--offline", "requirements.txt", "a.py"]) == 2, (hook_id, name)
        err = capsys.readouterr().err
        assert err == f"{hook_id}: error: argument --{name}: must be a finite number, got {value!r} (see --help)\n"


@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "+nan"])
def test_non_finite_config_values_are_rejected(
    in_tmp: Path, capsys: pytest.CaptureFixture[str], value: str
) -> None:
    (in_tmp / "requirements.txt").write_text("requests\n")
    for hook_id, name in _float_options():
        (in_tmp / "pyproject.toml").write_text(f"[tool.driftgate.{hook_id}]\n{name} = {value}\n")
        main = registry.load_module(hook_id).main
        assert main(["--offline", "requirements.txt"]) == 2, (hook_id, name)
        err = capsys.readouterr().err
        assert err.startswith(f"{hook_id}: error: pyproject.toml [tool.driftgate.{hook_id}]: `{name}` must be a finite number, got ")
        assert err.count("\n") == 1
