"""Work done once per `driftgate run` (issue 15): what every gate would otherwise redo."""
from __future__ import annotations

import ast
import os
from pathlib import Path

import pytest

from conftest import commit_all, init_repo, write_files
from hooks import cli
from hooks._core import files

NESTED = (
    "import os\n\n\ndef handle(items):\n    for item in items:\n        if item:\n"
    "            while item:\n                with open(item) as f:\n                    if f:\n"
    "                        return os.environ['UNDECLARED_X']\n"
)


def test_a_commit_parses_each_python_file_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """check-nesting, check-env-vars, check-undeclared-imports and check-hallucinated-apis all
    read the file's syntax tree: `driftgate run` parses it once, and finds what each gate finds."""
    root = init_repo(tmp_path / "repo")
    write_files(root, {"app/handler.py": NESTED, "app/__init__.py": ""})
    commit_all(root)
    monkeypatch.chdir(root)
    parsed: list[str] = []
    real_parse = ast.parse

    def counting_parse(source: str, filename: str = "<unknown>", *args: object, **kwargs: object) -> ast.AST:
        parsed.append(filename)
        return real_parse(source, filename, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(ast, "parse", counting_parse)
    monkeypatch.setattr(files, "_TREES", {})
    cli.main(["run", "--offline", "app/handler.py"])
    out = capsys.readouterr().out
    assert {"DG501", "DG403"} <= {line.split(": ")[1].split()[0] for line in out.splitlines()}, out
    assert parsed.count("app/handler.py") == 1, parsed


def test_a_changed_file_is_parsed_again(tmp_path: Path) -> None:
    """The tree is remembered by path and text: new content under the same path is parsed
    anew (as at the next commit in one process), and only the last few trees are kept."""
    path = str(tmp_path / "m.py")
    first = files.parse_python(files.SourceFile(path, "x = 1\n"))
    assert files.parse_python(files.SourceFile(path, "x = 1\n")) is first
    second = files.parse_python(files.SourceFile(path, "def f():\n    pass\n"))
    assert isinstance(second.body[0], ast.FunctionDef)
    for n in range(files._TREES_KEPT + 1):
        files.parse_python(files.SourceFile(os.path.join(str(tmp_path), f"f{n}.py"), f"y = {n}\n"))
    assert len(files._TREES) == files._TREES_KEPT
    assert files.parse_python(files.SourceFile(path, "x = 1\n")) is not first
