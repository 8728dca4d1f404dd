from __future__ import annotations

import sys
import textwrap
from pathlib import Path

import pytest

from hooks.check_nesting import main


def write(path: Path, source: str) -> str:
    path.write_text(textwrap.dedent(source), encoding="utf-8")
    return path.name


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, list[str], str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out.splitlines(), err


FIVE_DEEP = """\
def handle(items):
    for item in items:
        if item:
            while item:
                try:
                    with open(item) as fh:
                        pass
                except OSError:
                    pass
"""

# source -> expected findings at --max-depth 4 ("line:col: CODE message" after the path)
MUST_FLAG = [
    pytest.param(
        FIVE_DEEP,
        ["6:21: DG501 `handle` nests blocks 5 deep (max 4): for > if > while > try > with"],
        id="five-mixed-blocks",
    ),
    pytest.param(
        """\
        async def fetch(session):
            async for page in session:
                async with page:
                    if page.ok:
                        for row in page:
                            if row:
                                yield row
        """,
        ["6:21: DG501 `fetch` nests blocks 5 deep (max 4): async for > async with > if > for > if"],
        id="async-forms-count",
    ),
    pytest.param(
        """\
        class Service:
            def run(self):
                for a in self.a:
                    for b in a:
                        for c in b:
                            for d in c:
                                for e in d:
                                    print(e)
        """,
        ["7:25: DG501 `Service.run` nests blocks 5 deep (max 4): for > for > for > for > for"],
        id="method-qualname",
    ),
    pytest.param(
        """\
        def outer():
            def inner():
                for a in x:
                    for b in a:
                        for c in b:
                            for d in c:
                                while d:
                                    pass
            return inner
        """,
        ["7:25: DG501 `outer.inner` nests blocks 5 deep (max 4): for > for > for > for > while"],
        id="nested-function-named",
    ),
    pytest.param(
        """\
        for a in x:
            for b in a:
                for c in b:
                    for d in c:
                        if d:
                            pass
        """,
        ["5:17: DG501 module level nests blocks 5 deep (max 4): for > for > for > for > if"],
        id="module-level",
    ),
    pytest.param(
        """\
        def f(x):
            match x:
                case 1:
                    for a in x:
                        with a:
                            try:
                                if a:
                                    pass
                            finally:
                                pass
                case _:
                    for b in x:
                        pass
        """,
        ["7:25: DG501 `f` nests blocks 5 deep (max 4): match > for > with > try > if"],
        id="match-counts-once-not-per-case",
        # `match` is Python 3.10 syntax: the interpreter running the hook cannot parse it before
        marks=pytest.mark.skipif(sys.version_info < (3, 10), reason="match statements need Python 3.10"),
    ),
    pytest.param(
        """\
        def f(x):
            for a in x:
                for b in a:
                    if b:
                        if a:
                            if x:
                                pass
        """,
        [
            "4:13: DG502 `if` at depth 3 in `f` only wraps another `if`: merge the two conditions with `and`",
            "5:17: DG502 `if` at depth 4 in `f` only wraps another `if`: merge the two conditions with `and`",
            "6:21: DG501 `f` nests blocks 5 deep (max 4): for > for > if > if > if",
        ],
        id="collapsible-ifs",
    ),
    pytest.param(
        """\
        def f(x):
            for a in x:
                if a:
                    while a:
                        try:
                            for b in a:
                                for c in b:
                                    pass
                        except ValueError:
                            if x:
                                pass
                        finally:
                            with x:
                                pass
        """,
        [
            "6:21: DG501 `f` nests blocks 5 deep (max 4): for > if > while > try > for",
            "10:21: DG501 `f` nests blocks 5 deep (max 4): for > if > while > try > if",
            "13:21: DG501 `f` nests blocks 5 deep (max 4): for > if > while > try > with",
        ],
        id="one-finding-per-block-not-its-children",
    ),
    pytest.param(
        """\
        def f(x):
            if x:
                if x > 1:
                    if x > 2:
                        if x > 3:
                            pass
                        elif x > 4:
                            pass
                        else:
                            if x > 5:
                                pass
        """,
        ["10:21: DG501 `f` nests blocks 5 deep (max 4): if > if > if > if > if"],
        id="else-if-is-deeper-than-elif",
    ),
    pytest.param(
        "x = 'é'; y = 1\ndef f():\n    for a in b:\n        for b in a:\n            for c in b:\n                for d in c:\n                    é = 1; [e for e in d if e]\n                    if é: pass\n",
        ["8:21: DG501 `f` nests blocks 5 deep (max 4): for > for > for > for > if"],
        id="comprehension-does-not-count",
    ),
]

MUST_NOT_FLAG = [
    pytest.param(
        """\
        def f(x):
            if x == 1:
                pass
            elif x == 2:
                pass
            elif x == 3:
                pass
            elif x == 4:
                pass
            elif x == 5:
                if x:
                    pass
            else:
                pass
        """,
        id="elif-chain-stays-at-depth-1",
    ),
    pytest.param(
        """\
        def f(x):
            try:
                pass
            except ValueError:
                pass
            except TypeError:
                pass
            else:
                pass
            finally:
                pass
        """,
        id="except-else-finally-same-depth",
    ),
    pytest.param(
        """\
        def f(x):
            for a in x:
                for b in a:
                    for c in b:
                        def g():
                            for d in c:
                                for e in d:
                                    pass
                        lam = lambda: [y for y in c if y for z in y if z]
                        class K:
                            if c:
                                pass
        """,
        id="def-lambda-class-restart-at-zero",
    ),
    pytest.param(
        """\
        def f(x):
            for a in x:
                for b in a:
                    for c in b:
                        if c:
                            pass
                    for d in b:
                        pass
        """,
        id="exactly-at-limit",
    ),
    pytest.param(
        """\
        def f(x):
            if x:
                if x > 1:
                    pass
            for a in x:
                if a:
                    if a > 1:
                        if a > 2:
                            pass
                        else:
                            pass
        """,
        id="collapsible-below-depth-3-or-with-else",
    ),
    pytest.param("", id="empty-file"),
    pytest.param("# only a comment\n", id="comment-only"),
]


@pytest.mark.parametrize(("source", "expected"), MUST_FLAG)
def test_must_flag(tmp_path: Path, capsys: pytest.CaptureFixture[str], source: str, expected: list[str]) -> None:
    """One finding per over-limit block: the behaviour before issue 9, now `--report block`."""
    name = write(tmp_path / "mod.py", source)
    code, out, err = run(capsys, "--report", "block", str(tmp_path / name))
    assert out == [f"{tmp_path / name}:{line}" for line in expected]
    assert code == (1 if expected else 0)
    assert err == ""


@pytest.mark.parametrize("source", MUST_NOT_FLAG)
def test_must_not_flag(tmp_path: Path, capsys: pytest.CaptureFixture[str], source: str) -> None:
    path = tmp_path / "mod.py"
    write(path, source)
    assert run(capsys, str(path)) == (0, [], "")


def test_max_depth_flag_changes_the_limit(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "mod.py"
    write(path, FIVE_DEEP)
    code, out, _ = run(capsys, "--max-depth", "2", "--report", "block", str(path))
    assert code == 1
    assert out == [f"{path}:4:13: DG501 `handle` nests blocks 3 deep (max 2): for > if > while"]
    code, out, _ = run(capsys, "--max-depth", "2", str(path))
    assert out == [
        f"{path}:4:13: DG501 `handle` nests blocks 5 deep (max 2): for > if > while > try > with"
    ]
    assert run(capsys, "--max-depth", "5", str(path)) == (0, [], "")


def test_max_depth_from_pyproject_and_cli_overrides_it(
    in_tmp: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(in_tmp / "mod.py", FIVE_DEEP)
    (in_tmp / "pyproject.toml").write_text("[tool.driftgate.check-nesting]\nmax-depth = 3\nreport = \"block\"\n")
    code, out, _ = run(capsys, "mod.py")
    assert out == ["mod.py:5:17: DG501 `handle` nests blocks 4 deep (max 3): for > if > while > try"]
    assert run(capsys, "--max-depth", "6", "mod.py") == (0, [], "")


def test_syntax_error_is_one_dg500_finding(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "broken.py"
    path.write_text("def f(:\n    pass\n")
    code, out, err = run(capsys, str(path))
    assert code == 1
    assert len(out) == 1 and out[0].startswith(f"{path}:1:7: DG500 syntax error: ")
    assert "Traceback" not in err


def test_invalid_escape_warning_does_not_leak(tmp_path: Path) -> None:
    """A real process (inside pytest the warnings plugin would swallow it), with `-W default`:
    an invalid escape is a SyntaxWarning shown by default from Python 3.12, and a
    DeprecationWarning hidden by default before."""
    import subprocess
    import sys

    from conftest import PROJECT_ROOT

    path = tmp_path / "warn.py"
    path.write_text('x = "\\d"\n')
    proc = subprocess.run(
        [sys.executable, "-W", "default", "-m", "hooks.check_nesting", str(path)],
        capture_output=True, text=True, cwd=PROJECT_ROOT,
    )
    assert (proc.returncode, proc.stdout, proc.stderr) == (0, "", "")


def test_inline_suppression(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "mod.py"
    source = FIVE_DEEP.replace("with open(item) as fh:", "with open(item) as fh:  # driftgate: ignore[DG501]")
    write(path, source)
    assert run(capsys, str(path)) == (0, [], "")
    write(path, FIVE_DEEP.replace("with open(item) as fh:", "with open(item) as fh:  # driftgate: ignore[DG502]"))
    assert run(capsys, str(path))[0] == 1


def test_columns_are_characters_not_utf8_bytes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "mod.py"
    path.write_text(
        "def f(x):\n for a in x:\n  for b in a:\n   for c in b:\n    for d in c:\n"
        "     é = 1; ü = 2\n     é = 3; ü = 2\n"
        "     if é: pass\n",
        encoding="utf-8",
    )
    code, out, _ = run(capsys, "--max-depth", "4", str(path))
    assert out == [f"{path}:8:6: DG501 `f` nests blocks 5 deep (max 4): for > for > for > for > if"]


def test_latin1_declared_file_is_decoded(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "legacy.py"
    body = "# -*- coding: latin-1 -*-\nname = 'caf\xe9'\n" + textwrap.dedent(FIVE_DEEP)
    path.write_bytes(body.encode("latin-1"))
    code, out, err = run(capsys, str(path))
    assert code == 1 and out[0].startswith(f"{path}:8:21: DG501")
    assert err == ""


def test_undecodable_file_is_skipped_with_one_stderr_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "bad.py"
    path.write_bytes(b"x = '\xff\xfe'\n")
    code, out, err = run(capsys, str(path))
    assert (code, out) == (0, [])
    assert err.strip().splitlines() == [f"driftgate: {path}: skipped, not valid UTF-8 (invalid start byte at byte 5)"]


def test_binary_file_is_skipped_silently(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "blob.py"
    path.write_bytes(b"\x00\x01\x02if\n")
    assert run(capsys, str(path)) == (0, [], "")


def test_missing_file_is_exit_2_but_others_are_still_checked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "mod.py"
    write(path, FIVE_DEEP)
    code, out, err = run(capsys, str(path), str(tmp_path / "gone.py"))
    assert code == 2
    assert len(out) == 1 and "DG501" in out[0]
    assert err == f"check-nesting: error: {tmp_path / 'gone.py'}: no such file\n"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--max-depth", "0"], "check-nesting: error: max-depth must be at least 1, got 0\n"),
        (["--max-depth", "deep"], "check-nesting: error: argument --max-depth: invalid int value: 'deep' (see --help)\n"),
        (["--format", "xml"], "check-nesting: error: argument --format: invalid choice: 'xml' (choose from "),
    ],
)
def test_bad_arguments_exit_2_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    path = tmp_path / "mod.py"
    write(path, FIVE_DEEP)
    code, out, err = run(capsys, *argv, str(path))
    assert (code, out) == (2, [])
    # argparse's quoting of choices differs across Python versions: compare the stable part
    assert err.startswith(message) and err.endswith("\n") and err.count("\n") == 1


@pytest.mark.parametrize(
    ("pyproject", "message"),
    [
        ("[tool.driftgate.check-nesting]\nmax-dept = 3\n",
         "check-nesting: error: pyproject.toml [tool.driftgate.check-nesting]: unknown key `max-dept`; "
         "valid keys: exclude, extend-select, ignore, max-depth, report, select, strict\n"),
        ("[tool.driftgate.check-nesting]\nmax-depth = '3'\n",
         "check-nesting: error: pyproject.toml [tool.driftgate.check-nesting]: `max-depth` must be an integer, got '3'\n"),
        ("[tool.driftgate.check-nestin]\nmax-depth = 3\n",
         "check-nesting: error: pyproject.toml: unknown key `check-nestin` in [tool.driftgate]; "),
        ("[tool.driftgate\nmax-depth = 3\n", "check-nesting: error: pyproject.toml: invalid TOML: "),
    ],
)
def test_bad_config_exit_2_naming_the_problem(
    in_tmp: Path, capsys: pytest.CaptureFixture[str], pyproject: str, message: str
) -> None:
    write(in_tmp / "mod.py", FIVE_DEEP)
    (in_tmp / "pyproject.toml").write_text(pyproject)
    code, out, err = run(capsys, "mod.py")
    assert (code, out) == (2, [])
    assert err.startswith(message) and err.count("\n") == 1


# --- one finding per function (the default since issue 9) --------------------------------

MANY_ARMS = "def dispatch(event, x):\n    for item in event:\n        if item.kind == 0:\n            pass\n" + "".join(
    f"        elif item.kind == {n}:\n            while x:\n                with x:\n                    try:\n"
    f"                        if x > {n}:\n                            pass\n                    finally:\n"
    "                        pass\n"
    for n in range(1, 15)
)


def test_many_deep_elif_arms_give_one_finding_per_function(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "mod.py"
    path.write_text(MANY_ARMS, encoding="utf-8")
    code, out, _ = run(capsys, str(path))
    assert code == 1
    assert out == [
        f"{path}:8:21: DG501 `dispatch` nests blocks 6 deep (max 4): for > if > while > with > try > if, "
        "and 13 more blocks over the limit"
    ]
    # the old behaviour, one per block, is one setting away
    code, out, _ = run(capsys, "--report", "block", str(path))
    assert len(out) == 14 and all(" DG501 `dispatch` nests blocks 5 deep " in line for line in out)


def test_function_finding_names_its_deepest_chain(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "mod.py"
    write(path, """\
        def f(x):
            for a in x:
                if a:
                    while a:
                        try:
                            if a:
                                pass
                        except ValueError:
                            for b in a:
                                for c in b:
                                    if c:
                                        pass
                        finally:
                            with x:
                                pass

        def g(x):
            def inner():
                for a in x:
                    for b in a:
                        for c in b:
                            for d in c:
                                with d:
                                    pass
            for a in x:
                for b in a:
                    for c in b:
                        for d in c:
                            while d:
                                pass
        """)
    code, out, _ = run(capsys, str(path))
    assert code == 1
    assert out == [
        f"{path}:9:21: DG501 `f` nests blocks 7 deep (max 4): for > if > while > try > for > for > if, "
        "and 2 more blocks over the limit",
        f"{path}:23:25: DG501 `g.inner` nests blocks 5 deep (max 4): for > for > for > for > with",
        f"{path}:29:21: DG501 `g` nests blocks 5 deep (max 4): for > for > for > for > while",
    ]


def test_a_suppressed_block_is_neither_chosen_nor_counted(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "mod.py"
    source = (
        "def f(x):\n"
        "    if x:\n"
        "        for a in x:  # driftgate: ignore[DG501]\n"
        "            for b in a:\n"
        "                pass\n"
        "    while x:\n"
        "        with x:\n"
        "            pass\n"
        "    try:\n"
        "        if x:\n"
        "            pass\n"
        "    finally:\n"
        "        pass\n"
    )
    path.write_text(source, encoding="utf-8")
    code, out, _ = run(capsys, "--max-depth", "1", str(path))
    assert out == [f"{path}:7:9: DG501 `f` nests blocks 2 deep (max 1): while > with, and 1 more block over the limit"]


def test_report_setting_from_pyproject_and_bad_value(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (in_tmp / "mod.py").write_text(MANY_ARMS, encoding="utf-8")
    (in_tmp / "pyproject.toml").write_text('[tool.driftgate.check-nesting]\nreport = "block"\n')
    code, out, _ = run(capsys, "mod.py")
    assert (code, len(out)) == (1, 14)
    assert len(run(capsys, "--report", "function", "mod.py")[1]) == 1
    (in_tmp / "pyproject.toml").write_text('[tool.driftgate.check-nesting]\nreport = "file"\n')
    code, out, err = run(capsys, "mod.py")
    assert (code, out) == (2, [])
    assert err == (
        "check-nesting: error: pyproject.toml [tool.driftgate.check-nesting]: `report` must be "
        "one of function, block, got 'file'\n"
    )
