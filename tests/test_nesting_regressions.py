"""Regressions check-nesting's benchmark against ruff and pylint turned up.

Line lookups (is this `if` written `elif`? is there a suppression comment on the finding's
line?) used str.splitlines(), which also breaks lines at form feeds, vertical tabs, \\x1c-\\x1e,
NEL and U+2028/U+2029. Python breaks lines only at \\n, \\r\\n and \\r, so after a form feed
(a page break, common in older code and in the standard library) every lookup read the line
before the right one: an `elif` counted as a nested `if`, and a suppression stopped working.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from hooks.check_nesting import main

ELIF_AFTER = """\
def f(x):
    for y in x:
        if y:
            pass
{separator}
        elif y:
            pass
"""

SEPARATORS = {
    "form feed line": "\x0c",
    "form feed in a comment": "# page\x0cbreak",
    "vertical tab in a comment": "# a\x0bb",
    "file separator in a comment": "# a\x1cb",
    "NEL in a string": "            s = 'a\x85b'",
    "line separator in a string": "            s = 'a\u2028b'",
    "paragraph separator in a comment": "# a\u2029b",
}


@pytest.mark.parametrize("separator", SEPARATORS.values(), ids=SEPARATORS.keys())
def test_elif_after_a_non_newline_break_is_not_nesting(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
    separator: str,
) -> None:
    (tmp_path / "m.py").write_text(ELIF_AFTER.format(separator=separator), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["--max-depth", "2", "m.py"]) == 0
    assert capsys.readouterr().out == ""


MUST_FLAG = [
    # (source, expected lines at --max-depth 1)
    (
        "def f(x):\n    if x:\n        pass\n\x0c\n    elif x:\n        if x:\n            pass\n",
        ["m.py:6:9: DG501 `f` nests blocks 2 deep (max 1): if > if"],
    ),
    (
        ("def f(x):\n    s = 'a\u2028b'\n    if x:\n        pass\n    elif x:\n        while x:\n"
         "            pass\n"),
        ["m.py:6:9: DG501 `f` nests blocks 2 deep (max 1): if > while"],
    ),
    (
        # the suppression sits on the finding's line, after a page break
        ("\x0c\ndef f(x):\n    if x:\n        if x:  # driftgate: ignore[DG501]\n            pass\n"
         "    for y in x:\n        with y:\n            pass\n"),
        ["m.py:7:9: DG501 `f` nests blocks 2 deep (max 1): for > with"],
    ),
]


@pytest.mark.parametrize(("source", "expected"), MUST_FLAG)
def test_findings_after_a_non_newline_break(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
    source: str, expected: list[str],
) -> None:
    (tmp_path / "m.py").write_text(source, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["--max-depth", "1", "m.py"]) == 1
    assert capsys.readouterr().out.splitlines() == expected
