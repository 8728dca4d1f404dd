"""Faults and hostile input: every one gets a bounded, clear answer (issue 10).

Crashes are provoked with a deliberately broken hook: after the fixes below no real hook
is known to crash, and the guard must hold for the next bug too."""
from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path
from types import SimpleNamespace
from typing import Iterator

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


def test_the_driftgate_hook_reports_a_crashing_gate_and_exits_3(
    in_tmp: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DRIFTGATE_DEBUG", raising=False)
    deep = "def f(x):\n" + "".join("    " * (i + 1) + f"for a{i} in x:\n" for i in range(6)) + "    " * 7 + "pass\n"
    (in_tmp / "deep.py").write_text(deep)
    real_load = registry.load_module

    def load(hook_id: str) -> object:  # as in the scan test: one gate replaced by a broken one
        if hook_id == "check-secrets":
            return SimpleNamespace(HOOK=FileHook("check-secrets", "x", (), lambda p: True, _crashing_check))
        return real_load(hook_id)

    monkeypatch.setattr(registry, "load_module", load)
    assert cli.main(["run", "--offline", "deep.py"]) == 3
    out, err = capsys.readouterr()
    assert "DG501" in out
    assert err.splitlines()[0] == (
        "driftgate: internal error in check-secrets: ZeroDivisionError: division by zero "
        "(set DRIFTGATE_DEBUG=1 for the traceback)"
    )


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


@pytest.mark.parametrize("module_name", ["check_test_integrity", "verify_tests"])
def test_the_commit_hooks_turn_a_crash_into_exit_3(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, module_name: str
) -> None:
    """check-test-integrity and verify-tests check the staged diff and a range, not files:
    they share run_command_hook with check-provenance, guard included."""
    import importlib

    module = importlib.import_module(f"hooks.{module_name}")
    monkeypatch.delenv("DRIFTGATE_DEBUG", raising=False)

    def boom(*args: object, **kwargs: object) -> object:
        raise RuntimeError("unexpected")

    # the inner step is replaced: no real input is known to crash it
    monkeypatch.setattr(module, "find", boom)
    assert module.main([]) == 3
    assert capsys.readouterr().err.splitlines() == [
        f"driftgate: internal error in {module.HOOK_ID}: RuntimeError: unexpected (set DRIFTGATE_DEBUG=1 for the traceback)",
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


# --- 4. leaks -------------------------------------------------------------------------


def _deps(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    from hooks import check_hallucinated_deps

    code = check_hallucinated_deps.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_an_include_outside_the_repository_is_named_never_read(
    repo: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    secret_line = "root:TOPSECRET-HASH:19000:0:99999:7:::"
    (outside / "shadow").write_text(secret_line + "\n")
    (repo / "link.txt").symlink_to(outside / "shadow")  # a symlink out of the repo is outside too
    (repo / "requirements.txt").write_text(
        f"-r {outside / 'shadow'}\n-r ../outside/shadow\n-c link.txt\n"
    )
    code, out, err = _deps(capsys, "--offline", "requirements.txt")
    assert code == 1
    assert "TOPSECRET" not in out + err
    assert out.splitlines() == [
        f"requirements.txt:1:1: DG100 included file `{outside / 'shadow'}` is outside the repository; "
        "not read (include files of this repository only)",
        "requirements.txt:2:1: DG100 included file `../outside/shadow` is outside the repository; "
        "not read (include files of this repository only)",
        "requirements.txt:3:1: DG100 included file `link.txt` is outside the repository; "
        "not read (include files of this repository only)",
    ]


def test_an_include_inside_the_repository_is_still_followed(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (repo / "reqs").mkdir()
    (repo / "reqs" / "base.txt").write_text("not a requirement ((\n")
    (repo / "requirements.txt").write_text("-r reqs/base.txt\n")
    code, out, _ = _deps(capsys, "--offline", "requirements.txt")
    assert code == 1 and out.startswith("reqs/base.txt:1:1: DG100 cannot parse requirement line")


def test_credentials_never_reach_the_cache(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import secrets

    from _deps_support import isolated_env, make_wheel, pypiserver

    isolated_env(monkeypatch, tmp_path)
    packages = tmp_path / "pkgs"
    packages.mkdir()
    make_wheel(str(packages), "requests", "2.32.0")
    password = "pw-" + secrets.token_hex(8)  # made at run time
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    (work / "requirements.txt").write_text("requests\nghost-name-xyz\n")
    with pypiserver(str(packages)) as server:
        with_password = server.url.replace("http://", f"http://alice:{password}@")
        # from the environment...
        monkeypatch.setenv("PIP_INDEX_URL", with_password)
        code, out, err = _deps(capsys, "--public-index-url", server.url, "requirements.txt")
        assert code == 1 and "DG101 `ghost-name-xyz`" in out and password not in out + err
        monkeypatch.delenv("PIP_INDEX_URL")
        # ...and from pip's configuration file
        conf = tmp_path / "pip.conf"
        conf.write_text(f"[global]\nextra-index-url = {with_password}\n")
        monkeypatch.setenv("PIP_CONFIG_FILE", str(conf))
        code, out, err = _deps(capsys, "--public-index-url", server.url, "requirements.txt")
        assert code == 1 and password not in out + err
    cache = tmp_path / "cache"
    written = [p for p in cache.rglob("*") if p.is_file()]
    assert written  # the answers were cached...
    for path in written:  # ...without the password, in clear or in any path
        assert password.encode() not in path.read_bytes(), path
        assert password not in str(path)
    assert not list(cache.glob("pip-config*.json"))  # pip's answer held the password: not cached


# --- 5. unbounded reads ---------------------------------------------------------------


def test_config_that_is_a_device_or_fifo_is_refused(in_tmp: Path) -> None:
    import os

    (in_tmp / "a.py").write_text("x = 1\n")
    os.mkfifo(in_tmp / "fifo")
    for config in ("/dev/zero", "fifo"):
        proc = subprocess.run(
            [sys.executable, "-m", "hooks.check_nesting", "--config", config, "a.py"],
            capture_output=True, text=True, cwd=in_tmp, timeout=30,
            env={**os.environ, "PYTHONPATH": str(PROJECT_ROOT)},
        )
        assert proc.returncode == 2
        assert proc.stderr == f"check-nesting: error: {config}: cannot read config: not a regular file\n"


def test_a_fifo_passed_by_name_is_not_a_regular_file(in_tmp: Path) -> None:
    import os

    os.mkfifo(in_tmp / "pipe.py")
    proc = subprocess.run(
        [sys.executable, "-m", "hooks.check_nesting", "pipe.py"], capture_output=True, text=True,
        cwd=in_tmp, timeout=30, env={**os.environ, "PYTHONPATH": str(PROJECT_ROOT)},
    )
    assert proc.returncode == 2
    assert proc.stderr == "check-nesting: error: pipe.py: cannot read: not a regular file\n"


def test_a_file_over_the_size_cap_is_skipped_with_one_line(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from hooks._core.files import MAX_FILE_BYTES
    from hooks.check_nesting import main as check_nesting

    deep = "def f(x):\n" + "".join("    " * (i + 1) + f"for a{i} in x:\n" for i in range(6)) + "    " * 7 + "pass\n"
    (in_tmp / "big.py").write_text(deep + "#" * MAX_FILE_BYTES + "\n")
    assert check_nesting(["big.py"]) == 0
    out, err = capsys.readouterr()
    assert out == ""
    assert err == "driftgate: big.py: skipped, larger than the 32 MiB limit\n"


def test_a_requirements_include_that_is_a_fifo(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import os

    os.mkfifo(repo / "more.txt")
    (repo / "requirements.txt").write_text("-r more.txt\n")
    code, out, _ = _deps(capsys, "--offline", "requirements.txt")
    assert code == 1
    assert out == "requirements.txt:1:1: DG100 included file `more.txt` is not a regular file\n"


# --- 6. quadratic parsing -------------------------------------------------------------


def test_a_long_run_of_blanks_parses_in_linear_time(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import time

    (in_tmp / "requirements.txt").write_text(
        "requests" + " " * 100_000 + "x\n" + "flask" + " " * 100_000 + "\n" + "a" * 20_000 + "\n"
    )
    start = time.monotonic()
    code, out, _ = _deps(capsys, "--offline", "requirements.txt")
    assert time.monotonic() - start < 10  # minutes before the fix
    lines = out.splitlines()
    assert code == 1 and len(lines) == 2
    assert lines[0].startswith("requirements.txt:1:1: DG100 cannot parse requirement line: ")
    assert len(lines[0]) < 400  # the message quotes a little of the line, not 100,000 blanks
    assert lines[1] == "requirements.txt:3:1: DG100 line is over 10000 characters long; not parsed"


def test_files_that_are_no_manifest_are_not_parsed_as_requirements(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (in_tmp / "bundle.js").write_text("var a = 1; // not requirements\n" * 1000)
    (in_tmp / "notes.txt").write_text("this is not a requirement line\n")
    code, out, err = _deps(capsys, "--offline", "bundle.js", "notes.txt")
    assert (code, out, err) == (0, "", "")


# --- 7. silent success on nothing -----------------------------------------------------

# Root reads any directory; the test drops the two capabilities that let it (setpriv, from
# util-linux) so a mode-000 directory is really unreadable, as it is for any other user.
SETPRIV = ["setpriv", "--bounding-set", "-dac_override,-dac_read_search"]


def _unprivileged(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    import os
    import shutil

    if shutil.which("setpriv") is None:
        pytest.skip("setpriv (util-linux) is not installed: cannot make a directory unreadable to root")
    prefix = SETPRIV if os.geteuid() == 0 else []
    return subprocess.run(
        [*prefix, sys.executable, *args], capture_output=True, text=True, cwd=cwd, timeout=60,
        env={**os.environ, "PYTHONPATH": str(PROJECT_ROOT)},
    )


@pytest.fixture
def unreadable_dir(in_tmp: Path) -> Iterator[Path]:
    locked = in_tmp / "locked"
    locked.mkdir()
    deep = "def f(x):\n" + "".join("    " * (i + 1) + f"for a{i} in x:\n" for i in range(6)) + "    " * 7 + "pass\n"
    (locked / "deep.py").write_text(deep)
    locked.chmod(0)
    yield locked
    locked.chmod(0o755)


def test_an_unreadable_directory_argument_is_exit_2(unreadable_dir: Path, in_tmp: Path) -> None:
    proc = _unprivileged(["-m", "hooks.check_nesting", "locked", "."], in_tmp)
    assert proc.returncode == 2
    assert proc.stderr == "check-nesting: error: locked: cannot read directory: Permission denied\n"


def test_scan_of_a_tree_with_an_unreadable_directory_is_exit_2(unreadable_dir: Path, in_tmp: Path) -> None:
    proc = _unprivileged(["-m", "hooks.cli", "scan", "--hook", "check-nesting", "."], in_tmp)
    assert proc.returncode == 2
    assert proc.stderr == (
        "driftgate scan: error: locked: cannot read directory: Permission denied; "
        "fix the permissions or scan another directory\n"
    )


def test_scan_of_a_bare_repository_or_inside_dot_git_is_exit_2(
    tmp_path: Path, repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    subprocess.run(["git", "init", "-q", "--bare", str(tmp_path / "bare.git")], check=True)
    assert cli.main(["scan", str(tmp_path / "bare.git")]) == 2
    assert capsys.readouterr().err == (
        f"driftgate scan: error: {tmp_path / 'bare.git'}: is a bare repository or inside a .git directory, "
        "which has no work tree to scan; run it on a clone's work tree\n"
    )
    assert cli.main(["scan", ".git"]) == 2
    assert "error: .git: is a bare repository or inside a .git directory" in capsys.readouterr().err
    assert cli.main(["scan", ".git/refs"]) == 2



def test_scan_of_a_repository_through_a_symlinked_path_sees_its_files(
    tmp_path: Path, repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """git names the root without symlinks; a symlinked path to it (a checkout linked into
    another tree) must scan the same files, not silently none."""
    (repo / "deep.py").write_text(
        "def f(a):\n    if a:\n        for x in a:\n            while x:\n                if x:\n"
        "                    with open(x):\n                        pass\n",
        encoding="utf-8",
    )
    subprocess.run(["git", "add", "deep.py"], cwd=repo, check=True)
    link = tmp_path / "linked"
    link.symlink_to(repo, target_is_directory=True)
    assert cli.main(["scan", str(link), "--hook", "check-nesting"]) == 1
    assert "deep.py:" in capsys.readouterr().out

# --- 8. wrong shapes ------------------------------------------------------------------

WRONG_SHAPES = [
    ("pyproject.toml", '[project]\nname = "x"\ndependencies = "requests"\n',
     "pyproject.toml:3:1: DG100 `project.dependencies` must be an array of requirement strings, got 'requests'"),
    ("pyproject.toml", "project = 5\n", "pyproject.toml:1:1: DG100 `project` must be a table, got 5"),
    ("pyproject.toml", '[tool.poetry]\nname = "x"\ndependencies = ["requests"]\n',
     "pyproject.toml:3:1: DG100 `tool.poetry.dependencies` must be a table, got list"),
    ("pyproject.toml", '[project]\nname = "x"\noptional-dependencies = ["a"]\n',
     "pyproject.toml:3:1: DG100 `project.optional-dependencies` must be a table, got list"),
    ("pyproject.toml", '[dependency-groups]\ndev = "pytest"\n',
     "pyproject.toml:2:1: DG100 `dependency-groups.dev` must be an array of requirement strings, got 'pytest'"),
    ("pyproject.toml", '[build-system]\nrequires = "setuptools"\n',
     "pyproject.toml:2:1: DG100 `build-system.requires` must be an array of requirement strings, got 'setuptools'"),
    (".pre-commit-config.yaml", "- repo: local\n",
     ".pre-commit-config.yaml:1:1: DG100 a pre-commit config must be a mapping with `repos`, got list"),
    (".pre-commit-config.yaml", "repos: {a: 1}\n", ".pre-commit-config.yaml:1:1: DG100 `repos` must be a list, got dict"),
    # found by benchmarks/fault_corpus.py
    (".pre-commit-config.yaml", "repos:\n- repo: local\n  hooks: 5\n",
     ".pre-commit-config.yaml:3:3: DG100 `hooks` must be a list, got int"),
    ("requirements.txt", "# -*- coding: nope -*-\nrequests\n-r other.txt\n",
     "requirements.txt:1:1: DG100 cannot read requirements file: unknown encoding: nope"),
    ("script.py", "# /// script\n# dependencies = 'requests'\n# ///\nimport requests\n",
     "script.py:2:3: DG100 `dependencies` must be an array of requirement strings, got 'requests'"),
]


@pytest.mark.parametrize(("name", "text", "expected"), WRONG_SHAPES)
def test_a_wrongly_shaped_manifest_is_dg100(
    in_tmp: Path, capsys: pytest.CaptureFixture[str], name: str, text: str, expected: str
) -> None:
    (in_tmp / name).write_text(text)
    code, out, err = _deps(capsys, "--offline", name)
    assert (code, out.splitlines(), err) == (1, [expected], "")


def test_additional_dependencies_that_are_not_strings_are_not_looked_up(
    in_tmp: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (in_tmp / ".pre-commit-config.yaml").write_text(
        "repos:\n- repo: local\n  hooks:\n  - id: x\n    name: x\n    entry: x\n    language: python\n"
        "    additional_dependencies: [1, null]\n"
    )
    # --offline: a lookup would say "1 name(s) not in the cache were not checked"
    code, out, err = _deps(capsys, "--offline", ".pre-commit-config.yaml")
    assert err == ""
    assert (code, out.splitlines()) == (1, [
        ".pre-commit-config.yaml:8:5: DG100 additional_dependencies: expected a requirement string, got 1",
        ".pre-commit-config.yaml:8:5: DG100 additional_dependencies: expected a requirement string, got None",
    ])


# --- 9. messages ----------------------------------------------------------------------


def test_a_file_name_with_a_newline_stays_on_one_text_line(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import json

    from hooks.check_nesting import main as check_nesting

    deep = "def f(x):\n" + "".join("    " * (i + 1) + f"for a{i} in x:\n" for i in range(6)) + "    " * 7 + "pass\n"
    name = "evil\nfake.py:1:1: DG999 forged\x1b[2J.py"
    (in_tmp / name).write_text(deep)
    assert check_nesting([name]) == 1
    out = capsys.readouterr().out
    assert out.count("\n") == 1  # one finding, one line
    assert out.startswith("evil\\nfake.py:1:1: DG999 forged\\u001b[2J.py:")
    assert check_nesting(["--format", "jsonl", name]) == 1
    assert json.loads(capsys.readouterr().out)["path"] == name  # jsonl keeps the real name


def test_an_absurd_package_name_is_dg100_and_never_asked(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (in_tmp / "requirements.txt").write_text("x" * 1_000_000 + "\n")
    (in_tmp / "pyproject.toml").write_text(f'[project]\nname = "p"\ndependencies = ["{"y" * 300}>=1"]\n')
    # a port nothing listens on: a lookup would be an index error (exit 2), not a DG100
    code, out, err = _deps(capsys, "--index-url", "http://127.0.0.1:9/simple/", "requirements.txt", "pyproject.toml")
    assert err == ""
    assert code == 1
    assert out.splitlines() == [
        f"pyproject.toml:1:1: DG100 `{'y' * 40}...` is 300 characters long: not a package name (at most 200); not looked up",
        f"requirements.txt:1:1: DG100 `{'x' * 40}...` is 1000000 characters long: not a package name (at most 200); not looked up",
    ]


def test_the_index_client_never_asks_for_an_impossible_name() -> None:
    from hooks._deps.pkgindex import Client, Index

    # port 9 (discard) has no server: any request would raise IndexUnavailable
    project = Client(timeout=1).fetch(Index("http://127.0.0.1:9/simple/"), "z" * 5000)
    assert project.found is False


def test_a_binary_docker_compose_is_skipped_as_the_readme_says(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from hooks.check_env_vars import main as check_env_vars

    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    assert "A binary declaration file (NUL\nbytes" in readme
    (repo / "app.py").write_text('import os\nos.environ["FEATURE_FLAG_X"]\n')
    (repo / ".env.example").write_text("FEATURE_FLAG_X=\n")
    (repo / "docker-compose.yml").write_bytes(b"services:\n  a:\n    environment:\n      - OTHER=1\n\0\0\0\x01")
    subprocess.run(["git", "add", "-A"], cwd=repo, check=True)
    assert check_env_vars(["app.py"]) == 0
    assert capsys.readouterr() == ("", "")


def test_check_secrets_does_not_block_on_a_fifo(in_tmp: Path) -> None:
    import os

    os.mkfifo(in_tmp / "pipe.txt")
    proc = subprocess.run(
        [sys.executable, "-m", "hooks.check_secrets", "pipe.txt"], capture_output=True, text=True,
        cwd=in_tmp, timeout=30, env={**os.environ, "PYTHONPATH": str(PROJECT_ROOT)},
    )
    assert proc.returncode == 2
    assert proc.stderr == "check-secrets: error: pipe.txt: cannot read: not a regular file\n"
