"""check-doc-drift DG952: `[tool.<project>]` keys in TOML blocks against the code that reads
the table, in a real src/ layout project (a git repo in a tmp dir)."""
from __future__ import annotations

from pathlib import Path

import pytest

from _doc_drift_support import CONFIG_READER, make_repo, run_hook
from conftest import working_directory

MUST_FLAG = [
    ('```toml\n[tool.mytool]\nline-lenght = 100\n```\n',
     ["README.md:3:1: DG952 `[tool.mytool]` key `line-lenght`: no code reads it (the table is read "
      "in src/mytool/config.py); did you mean `line-length`?; fix the doc or the key"]),
    ('```toml\n[tool.mytool.lint]\nselect = ["E"]\nignore-all = true\n```\n',
     ["README.md:4:1: DG952 `[tool.mytool.lint]` key `ignore-all`: no code reads it (the table is "
      "read in src/mytool/config.py); fix the doc or the key"]),
    ('- item\n\n  ```toml\n  [tool.mytool]\n  colour = true\n  ```\n',
     ["README.md:5:3: DG952 `[tool.mytool]` key `colour`: no code reads it (the table is read in "
      "src/mytool/config.py); fix the doc or the key"]),
]

MUST_NOT_FLAG = [
    '```toml\n[tool.mytool]\nline-length = 100\nline_length = 90\nexclude = ["a"]\n```\n',
    '```toml\n[tool.mytool.lint]\nselect = ["E"]\n```\n',
    '```toml\n[tool.mytool.aliases]\nmy-own-name = "x"\n```\n',  # a map of the user's names
    '```toml\n[tool.black]\nline-lenght = 1\n```\n',  # another tool's table
    '```toml\n[tool.mytool]\nline-length = ...\n```\n',  # a fragment, not TOML
    '```ini\n[tool.mytool]\nbogus = 1\n```\n',
    '```toml\n[tool.mytool]\nbogus = 1  # driftgate: ignore[DG952]\n```\n',
]


@pytest.mark.parametrize("doc, expected", MUST_FLAG)
def test_must_flag(tmp_path: Path, doc: str, expected: list[str]) -> None:
    root = make_repo(tmp_path / "proj", CONFIG_READER, docs={"README.md": doc})
    with working_directory(root):
        code, out, err = run_hook("--all", "README.md")
    assert (code, out) == (1, expected), err


@pytest.mark.parametrize("doc", MUST_NOT_FLAG)
def test_must_not_flag(tmp_path: Path, doc: str) -> None:
    root = make_repo(tmp_path / "proj", CONFIG_READER, docs={"README.md": doc})
    with working_directory(root):
        code, out, err = run_hook("--all", "README.md")
    assert (code, out) == (0, []), err


def test_no_reading_code_means_no_judgement(tmp_path: Path) -> None:
    """A project whose code never reads `[tool.mytool]` (another package reads it, or it is
    read in a way we cannot see): unknown is silent."""
    project = dict(CONFIG_READER)
    project["src/mytool/config.py"] = "def load(data):\n    return data\n"
    root = make_repo(tmp_path / "proj", project, docs={"README.md": MUST_FLAG[0][0]})
    with working_directory(root):
        assert run_hook("--all", "README.md")[:2] == (0, [])


def test_a_key_only_tests_mention_is_still_unread(tmp_path: Path) -> None:
    project = dict(CONFIG_READER)
    project["tests/test_config.py"] = 'def test():\n    assert {"colour": 1}\n'
    doc = "```toml\n[tool.mytool]\ncolour = true\n```\n"
    root = make_repo(tmp_path / "proj", project, docs={"README.md": doc})
    with working_directory(root):
        code, out, _ = run_hook("--all", "README.md")
    assert code == 1 and "key `colour`" in out[0]
