"""Every provenance example the README shows runs and prints what the README says."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest
import yaml
from _provenance_support import COMPLETE, commit, git, isolate_env, make_repo
from test_provenance_git import _history_for_report
from test_provenance_precommit import INSTALL

from hooks import check_provenance, record_provenance
from hooks._provenance import report
from hooks._provenance.assess import RULES
from hooks._provenance.options import OPTIONS

README = (Path(__file__).resolve().parents[1] / "README.md").read_text()


def block_after(anchor: str) -> str:
    """The body of the first fenced block after `anchor` in the README."""
    start = README.index(anchor) + len(anchor)
    match = re.compile(r"```[a-z]*\n(.*?)```", re.DOTALL).search(README, start)
    assert match, anchor
    return match.group(1)


@pytest.fixture
def repo(tmp_path, monkeypatch):
    isolate_env(monkeypatch, tmp_path)
    path = make_repo(tmp_path / "repo")
    monkeypatch.chdir(path)
    return path


def test_install_command_is_the_one_the_integration_test_runs():
    assert block_after("install the three hook\ntypes they use").strip() == " ".join(
        ["pre-commit", *INSTALL]
    )


def test_pre_commit_config_example_names_real_hooks():
    config = yaml.safe_load(block_after(" ".join(["pre-commit", *INSTALL]) + "\n```"))
    ids = [hook["id"] for hook in config["repos"][0]["hooks"]]
    manifest = yaml.safe_load(
        (Path(__file__).resolve().parents[1] / ".pre-commit-hooks.yaml").read_text()
    )
    assert set(ids) <= {hook["id"] for hook in manifest} and ids == [
        "record-provenance",
        "check-provenance",
    ]


def test_marker_file_example_records_the_documented_message(repo, capsys):
    (repo / ".agent-run-active").write_text(block_after("the marker file may hold"))
    (repo / ".agent-prompt").write_bytes(b"write a greeting\n")
    (repo / "msg").write_text("feat: greet\n")
    assert record_provenance.main(["msg", "message"]) == 0
    expected = block_after("records:").replace(
        "sha256:<SHA-256 of .agent-prompt>",
        "sha256:" + hashlib.sha256(b"write a greeting\n").hexdigest(),
    )
    assert (repo / "msg").read_text() == expected
    assert capsys.readouterr().err == ""


def test_check_provenance_console_example(repo, capsys):
    commit(repo, "chore: start\n")
    lines = block_after("DG602, DG603). `--require all`").splitlines()
    assert lines[0] == "$ check-provenance .git/COMMIT_EDITMSG"
    (repo / ".git" / "COMMIT_EDITMSG").write_text(
        "feat: x\n\nCo-authored-by: Claude <noreply@anthropic.com>\n"
    )
    assert check_provenance.main([".git/COMMIT_EDITMSG"]) == 1
    assert capsys.readouterr().out.splitlines() == lines[1:]


def test_context_file_example_is_valid_and_matches_its_outputs(repo, capsys):
    text = block_after("**Context file.**")
    data = yaml.safe_load(text)
    run_id = data["run_id"]
    files = {name: "x = 1\n" for name in data["output_files"]}
    files[f".agent-provenance/{run_id}.yaml"] = text
    sha = commit(repo, f"feat\n\n{COMPLETE.replace('run-1', run_id)}", files=files)
    assert check_provenance.main(["--range", sha]) == 0
    assert capsys.readouterr().out == ""


def test_config_example_loads_and_applies(repo, capsys):
    (repo / "pyproject.toml").write_text(block_after("| `--range A..B` |"))
    commit(repo, "chore: start\n\nOrigin: human\n")
    bot = commit(
        repo, "chore: bump\n\nOrigin: human\n", author="renovate[bot] <renovate[bot]@example.test>"
    )
    goose = commit(repo, "feat\n\nCo-authored-by: Goose <goose@example.test>\n")
    undeclared = commit(repo, "docs\n")
    assert check_provenance.main(["--range", "HEAD~3..HEAD"]) == 1
    out = capsys.readouterr().out.splitlines()
    assert [(line[:12], line.split(" ")[1]) for line in out] == [
        (bot[:12], "DG603"),
        (goose[:12], "DG603"),
        (undeclared[:12], "DG604"),
    ]


def test_report_example(repo, capsys):
    _history_for_report(repo)
    lines = block_after("`subject`).").splitlines()
    assert lines[0] == "$ driftgate provenance report"
    assert report.main(["report"]) == 0
    assert capsys.readouterr().out == "\n".join(lines[1:]) + "\n"


def test_documented_codes_and_keys_exist():
    section = README[
        README.index("### check-provenance") : README.index("#### `driftgate provenance report`")
    ]
    documented_keys = set()
    for row in section.splitlines():
        if row.startswith("| `--"):
            names = re.findall(r"`([^`]+)`", row.split(" | ")[0])
            documented_keys.update(name for name in names if not name.startswith("--"))
    option_names = {option.name for option in OPTIONS}
    assert documented_keys and documented_keys <= option_names
    assert option_names - documented_keys == {
        "select",
        "extend-select",
        "ignore",
    }  # documented for every hook
    codes = set(re.findall(r"\| (DG60\d) \| check-provenance", README))
    assert codes == {rule.code for rule in RULES}
    assert git  # the support module is importable alongside
