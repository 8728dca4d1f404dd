"""Real git repositories for the check-test-integrity and verify-tests tests."""
from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Mapping, Optional

from conftest import commit_all, git, write_files

# the code under test in every repository: each change to it is "a change to non-test code"
CODE_V1 = "def total(items):\n    return sum(items)\n\n\ndef label(n):\n    return f'n={n}'\n"
CODE_V2 = "def total(items):\n    return sum(items) + 0\n\n\ndef label(n):\n    return f'n={n}'\n"


def dedent(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


def base_repo(repo: Path, test_text: str, extra: Optional[Mapping[str, str]] = None) -> str:
    """pkg/calc.py + tests/test_calc.py committed; returns the commit."""
    files = {"pkg/__init__.py": "", "pkg/calc.py": CODE_V1, "tests/test_calc.py": dedent(test_text)}
    files.update(extra or {})
    write_files(repo, files)
    return commit_all(repo, "base")


def stage(repo: Path, test_text: Optional[str], code_change: bool = True,
          extra: Optional[Mapping[str, str]] = None) -> None:
    files = dict(extra or {})
    if test_text is not None:
        files["tests/test_calc.py"] = dedent(test_text)
    if code_change:
        files["pkg/calc.py"] = CODE_V2
    write_files(repo, files)
    git(repo, "add", "-A")
