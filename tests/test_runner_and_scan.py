"""The shared hook life (runner) and `driftgate scan`, run the way users run them."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from conftest import DEEP, PROJECT_ROOT, commit_all
from hooks import cli
from hooks.check_nesting import main as check_nesting

DEEP_LINE = "6:21: DG501 `deep` nests blocks 5 deep (max 4): for > for > for > for > if"


def make_tree(root: Path) -> None:
    (root / "pkg").mkdir()
    (root / "pkg" / "deep.py").write_text(DEEP)
    (root / "pkg" / "fine.py").write_text("def fine():\n    return 1\n")
    (root / "vendor").mkdir()
    (root / "vendor" / "lib.py").write_text(DEEP)
    (root / "notes.txt").write_text("for for for\n")


def test_exclude_applies_to_files_passed_by_name(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    make_tree(in_tmp)
    (in_tmp / "pyproject.toml").write_text('[tool.driftgate]\nexclude = ["vendor/*"]\n')
    assert check_nesting(["pkg/deep.py", "vendor/lib.py"]) == 1
    assert capsys.readouterr().out.splitlines() == [f"pkg/deep.py:{DEEP_LINE}"]


def test_exclude_flag_adds_to_config(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    make_tree(in_tmp)
    assert check_nesting(["--exclude", "pkg/deep.py", "pkg/deep.py", "vendor/lib.py"]) == 1
    assert capsys.readouterr().out.splitlines() == [f"vendor/lib.py:{DEEP_LINE}"]


def test_directory_argument_is_walked_for_python_files(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    make_tree(in_tmp)
    assert check_nesting(["."]) == 1
    assert capsys.readouterr().out.splitlines() == [f"pkg/deep.py:{DEEP_LINE}", f"vendor/lib.py:{DEEP_LINE}"]


@pytest.mark.parametrize("spelling, shown", [
    ("pkg", "pkg/deep.py"), ("./pkg", "pkg/deep.py"), ("pkg/", "pkg/deep.py"), ("pkg//", "pkg/deep.py"),
    ("./pkg/../pkg", "pkg/deep.py"),
])
def test_a_walked_directory_prints_paths_relative_to_the_cwd(
    in_tmp: Path, capsys: pytest.CaptureFixture[str], spelling: str, shown: str
) -> None:
    # paths under a walked directory are built once per directory, not with relpath per file
    make_tree(in_tmp)
    assert check_nesting([spelling]) == 1
    assert capsys.readouterr().out.splitlines() == [f"{shown}:{DEEP_LINE}"]


def test_a_walked_directory_outside_the_cwd_keeps_relpaths_answer(
    in_tmp: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    make_tree(in_tmp)
    monkeypatch.chdir(in_tmp / "vendor")
    assert check_nesting(["../pkg", "../vendor"]) == 1
    # `../vendor` from inside vendor is `.`: its file is shown as relpath shows it
    assert capsys.readouterr().out.splitlines() == [f"../pkg/deep.py:{DEEP_LINE}", f"lib.py:{DEEP_LINE}"]
    assert check_nesting([str(in_tmp / "pkg")]) == 1
    assert capsys.readouterr().out.splitlines() == [f"{in_tmp / 'pkg' / 'deep.py'}:{DEEP_LINE}"]


def test_ignore_flag_turns_a_code_off(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    make_tree(in_tmp)
    assert check_nesting(["--ignore", "DG501", "pkg/deep.py"]) == 0
    assert capsys.readouterr().out == ""


def test_jsonl_and_github_formats(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    make_tree(in_tmp)
    check_nesting(["--format", "jsonl", "pkg/deep.py"])
    record = json.loads(capsys.readouterr().out)
    assert record == {
        "path": "pkg/deep.py", "line": 6, "col": 21, "code": "DG501",
        "message": "`deep` nests blocks 5 deep (max 4): for > for > for > for > if",
        "hook": "check-nesting",
    }
    check_nesting(["--format", "github", "pkg/deep.py"])
    assert capsys.readouterr().out.startswith("::error file=pkg/deep.py,line=6,col=21,title=DG501::DG501 ")


def test_scan_checks_only_tracked_files_from_the_repo_root(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    make_tree(repo)
    commit_all(repo)
    (repo / "untracked.py").write_text(DEEP)
    assert cli.main(["scan", str(repo / "pkg")]) == 1
    assert capsys.readouterr().out.splitlines() == [f"pkg/deep.py:{DEEP_LINE}"]


def test_scan_outside_git_walks_the_tree(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    make_tree(in_tmp)
    assert cli.main(["scan", "."]) == 1
    assert capsys.readouterr().out.splitlines() == [f"pkg/deep.py:{DEEP_LINE}", f"vendor/lib.py:{DEEP_LINE}"]


def test_scan_reads_config_of_the_scanned_repo(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    make_tree(repo)
    (repo / "pyproject.toml").write_text(
        '[tool.driftgate]\nexclude = ["vendor"]\n[tool.driftgate.check-nesting]\nmax-depth = 5\n'
    )
    commit_all(repo)
    assert cli.main(["scan", "."]) == 0
    assert capsys.readouterr().out == ""


def test_scan_sarif_and_json_are_single_documents(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    make_tree(repo)
    commit_all(repo)
    assert cli.main(["scan", ".", "--format", "sarif"]) == 1
    sarif = json.loads(capsys.readouterr().out)
    assert sarif["version"] == "2.1.0" and len(sarif["runs"]) == 1
    uris = [r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in sarif["runs"][0]["results"]]
    assert uris == ["pkg/deep.py", "vendor/lib.py"]
    assert cli.main(["scan", ".", "--format", "json"]) == 1
    assert json.loads(capsys.readouterr().out)["summary"] == {"total": 2, "by_code": {"DG501": 2}}


def test_scan_clean_tree_is_exit_0(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (repo / "ok.py").write_text("x = 1\n")
    commit_all(repo)
    assert cli.main(["scan"]) == 0
    assert capsys.readouterr().out == ""


@pytest.mark.parametrize(
    ("argv", "error"),
    [
        (["scan", "missing-dir"], "driftgate scan: error: missing-dir: not a directory; pass the directory to scan\n"),
        (["scan", "--hook", "check-everything"], "driftgate scan: error: unknown hook 'check-everything'; scan runs: "),
        (["frobnicate"], "driftgate: error: unknown command 'frobnicate'; run `driftgate --help` for the list\n"),
    ],
)
def test_cli_errors_are_one_line(in_tmp: Path, capsys: pytest.CaptureFixture[str], argv: list[str], error: str) -> None:
    assert cli.main(argv) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err.startswith(error) and captured.err.count("\n") == 1


def test_scan_bad_config_is_exit_2(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    make_tree(repo)
    (repo / "pyproject.toml").write_text("[tool.driftgate.check-nesting]\ndepth = 3\n")
    commit_all(repo)
    assert cli.main(["scan", "."]) == 2
    assert "unknown key `depth`" in capsys.readouterr().err


def test_umbrella_runs_a_hook_by_id(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    make_tree(in_tmp)
    assert cli.main(["check-nesting", "--max-depth", "5", "pkg/deep.py"]) == 0
    assert cli.main(["check-nesting", "pkg/deep.py"]) == 1
    assert capsys.readouterr().out.splitlines() == [f"pkg/deep.py:{DEEP_LINE}"]


def test_hook_import_is_cheap() -> None:
    """Importing a hook must not pull heavy libraries: only the stdlib and our core."""
    code = (
        "import sys; import hooks.check_nesting, hooks.cli; "
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in "
        "{'yaml', 'packaging', 'detect_secrets', 'pip_requirements_parser', 'requests', 'urllib3'}); "
        "print(heavy)"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=PROJECT_ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_reader_closing_the_pipe_early_is_not_a_traceback(tmp_path: Path) -> None:
    """`driftgate scan . --format sarif | head`: the output outgrows the pipe buffer, the
    reader leaves after a few bytes, and driftgate must end quietly."""
    for n in range(150):
        (tmp_path / f"deep_{n:03d}.py").write_text(DEEP * 3)
    env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "hooks", "scan", ".", "--format", "sarif"],
        cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
    )
    assert proc.stdout is not None and proc.stderr is not None
    assert proc.stdout.read(10) == b'{\n  "$sche'
    proc.stdout.close()
    stderr = proc.stderr.read().decode()
    assert proc.wait(timeout=60) == 1
    assert stderr == ""


def test_scan_through_a_symlink_to_the_repository(repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`driftgate scan LINK` where LINK points at a repository (or a folder in one) scans its
    files: git names the root with the link resolved."""
    (repo / "pkg").mkdir()
    (repo / "pkg" / "deep.py").write_text(DEEP)
    commit_all(repo)
    link = tmp_path / "link"
    link.symlink_to(repo)
    assert cli.main(["scan", str(link), "--hook", "check-nesting"]) == 1
    assert capsys.readouterr().out.splitlines() == [f"pkg/deep.py:{DEEP_LINE}"]
    assert cli.main(["scan", str(link / "pkg"), "--hook", "check-nesting"]) == 1
    assert capsys.readouterr().out.splitlines() == [f"pkg/deep.py:{DEEP_LINE}"]


def _big_module() -> str:
    """Over 256 KB of Python that every parsing hook of `driftgate scan` reads, with a
    finding for check-nesting, check-agent-leftovers and check-hallucinated-apis."""
    parts = ["import os\n\n", DEEP, "\n\ndef quiet():\n    try:\n        os.remove('x')\n    except Exception:\n        pass\n",
             "\n\ndef joined():\n    return os.path.jion('a', 'b')\n"]
    parts += [f"\n\ndef f{n}(x):\n    if x > {n}:\n        return os.path.join(str(x), '{n}')\n    return None\n"
              for n in range(4000)]
    return "".join(parts)


class _Forgetful(dict):  # type: ignore[type-arg]
    """A tree memo that keeps nothing."""

    def __setitem__(self, key: Any, value: Any) -> None:
        pass


def test_scan_parses_a_large_file_once_for_every_hook(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A 1 MB file costs about 0.2 s per parse and four hooks parse it: `driftgate scan` parses
    it once and every hook reads that tree, with the same findings as when each parses it."""
    import ast

    from hooks._core import files

    big = _big_module()
    assert len(big) > 256 * 1024
    (repo / "pkg").mkdir()
    (repo / "pkg" / "big.py").write_text(big)
    commit_all(repo)
    real_parse = ast.parse
    parsed: list[int] = []

    def counting_parse(source: Any, *args: Any, **kwargs: Any) -> Any:
        if source == big:
            parsed.append(1)
        return real_parse(source, *args, **kwargs)

    monkeypatch.setattr(ast, "parse", counting_parse)
    outputs = []
    for run, shared_from in enumerate((1 << 40, files._SHARED_MIN)):  # sharing off, then as shipped
        monkeypatch.setattr(files, "_SHARED_MIN", shared_from)
        # the memo of the last few trees (driftgate run's commits) is off with sharing
        monkeypatch.setattr(files, "_TREES", _Forgetful() if run == 0 else {})
        monkeypatch.setenv("DRIFTGATE_CACHE_DIR", str(tmp_path / f"cache{run}"))  # nothing cached
        files._shared_trees.clear()
        parsed.clear()
        assert cli.main(["scan", "."]) == 1
        outputs.append((capsys.readouterr().out, len(parsed)))
    (unshared, unshared_parses), (shared, shared_parses) = outputs
    assert unshared_parses >= 4  # check-nesting, -undeclared-imports, -hallucinated-apis, -agent-leftovers
    assert shared_parses == 1, (unshared_parses, shared)
    assert shared == unshared
    codes = {line.split(": ")[1].split()[0] for line in shared.splitlines()}
    assert {"DG501", "DG701", "DG854"} <= codes, shared
    files._shared_trees.clear()
