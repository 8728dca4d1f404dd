"""check-doc-drift DG951: console-script invocations in docs against the scripts' own
argparse, click and typer definitions, in real project layouts (git repos in tmp dirs)."""
from __future__ import annotations

from pathlib import Path

import pytest

from _doc_drift_support import ARGPARSE_SRC, CLICK_FLAT, TYPER_POETRY, make_repo, run_hook
from conftest import working_directory

LAYOUTS = {"argparse-src": ARGPARSE_SRC, "click-flat": CLICK_FLAT, "typer-poetry": TYPER_POETRY}

# (layout, doc text, expected "line:col: CODE" prefixes with a message fragment)
MUST_FLAG = [
    ("argparse-src", "```console\n$ mytool sync --dry-runn x\n```\n",
     [("2:15: DG951", "mytool defines no option `--dry-runn`"), ("2:15: DG951", "did you mean `--dry-run`?")]),
    ("argparse-src", "```bash\nmytool frobnicate\n```\n",
     [("2:8: DG951", "mytool has no subcommand `frobnicate`")]),
    ("argparse-src", "Run `mytool --quiet sync x` first.\n",
     [("1:13: DG951", "`mytool --quiet`")]),
    ("argparse-src", "```shell\n$ FOO=1 uv run mytool -q status\n```\n",
     [("2:23: DG951", "no option `-q`")]),
    ("argparse-src", "```sh\ncd x && mytool status --all | less\n```\n",
     [("2:23: DG951", "no option `--all`")]),
    ("argparse-src", "```console\n$ mytool sync \\\n    --force x\n```\n",
     [("2:", "no option `--force`")]),
    ("click-flat", "```console\n$ clicky push --forse origin\n```\n",
     [("2:15: DG951", "did you mean `--force`?")]),
    ("click-flat", "```console\n$ clicky pull --depth 1\n```\n",
     [("2:10: DG951", "clicky has no subcommand `pull`; did you mean `pull-all`?")]),
    ("typer-poetry", "```console\n$ typed greet Ann --shout\n```\n",
     [("2:19: DG951", "no option `--shout`")]),
    # argparse would take an abbreviation, but a doc that shows one usually shows a flag
    # that was renamed: `--session` once meant what is now `--session-name`
    ("argparse-src", "```console\n$ mytool --verb status\n```\n",
     [("2:10: DG951", "no option `--verb`; did you mean `--verbose`?")]),
    ("argparse-src", ".. code-block:: console\n\n   $ mytool --frob status\n",
     [("3:13: DG951", "no option `--frob`")]),
]

MUST_NOT_FLAG = [
    ("argparse-src", "```console\n$ mytool --verbose sync --dry-run x\n$ mytool -v s x\n$ mytool --help\n```\n"),
    ("argparse-src", "```console\n$ mytool --no-color status\n```\n"),  # BooleanOptionalAction
    ("argparse-src", "```console\n$ pip install --upgrade mytool\n$ mytool status\n--bogus is output\n```\n"),
    ("argparse-src", "```console\n$ mytool status  # --nonexistent is a comment\n```\n"),
    ("argparse-src", "```python\nsubprocess.run(['mytool', '--nonexistent'])\n```\n"),
    ("argparse-src", "```console\n$ mytool sync -- --not-an-option\n```\n"),
    ("argparse-src", "```console\n$ mytool --bogus status  <!-- driftgate: ignore[DG951] -->\n```\n"),
    ("argparse-src", "Text with `mytool` alone and `--bogus` alone.\n"),
    ("click-flat", "```console\n$ clicky --version\n$ clicky push -f --no-force origin\n$ clicky pull-all --depth 2\n```\n"),
    ("typer-poetry", "```console\n$ typed greet Ann --loud --no-loud -n 2\n$ typed --install-completion\n$ typed version\n```\n"),
]


def _repo(tmp_path: Path, layout: str, doc: str, name: str = "README.md") -> Path:
    return make_repo(tmp_path / "proj", LAYOUTS[layout], docs={name: doc})


@pytest.mark.parametrize("layout, doc, expected", MUST_FLAG)
def test_must_flag(tmp_path: Path, layout: str, doc: str, expected: list[tuple[str, str]]) -> None:
    name = "README.rst" if doc.startswith("..") else "README.md"
    root = _repo(tmp_path, layout, doc, name)
    with working_directory(root):
        code, out, err = run_hook("--all", name)
    assert code == 1, err
    for prefix, fragment in expected:
        assert any(line.startswith(f"{name}:" + prefix) and fragment in line for line in out), out


@pytest.mark.parametrize("layout, doc", MUST_NOT_FLAG)
def test_must_not_flag(tmp_path: Path, layout: str, doc: str) -> None:
    root = _repo(tmp_path, layout, doc)
    with working_directory(root):
        code, out, err = run_hook("--all", "README.md")
    assert (code, out) == (0, []), err


def test_history_files_are_not_checked(tmp_path: Path) -> None:
    """A change log describes the past: a flag it names may have been removed since."""
    doc = "```console\n$ mytool --removed-long-ago status\n```\n"
    root = make_repo(tmp_path / "proj", ARGPARSE_SRC, docs={"CHANGELOG.md": doc, "docs/release-notes/v1.md": doc})
    with working_directory(root):
        code, out, _ = run_hook("--all", ".")
    assert (code, out) == (0, [])


def test_computed_option_strings_are_looked_up_among_the_package_literals(tmp_path: Path) -> None:
    """`parser.add_argument(f"--{name}")`: the parser is open; a flag is known when its name is
    a literal somewhere in the package, and still reported when it is nowhere."""
    project = {
        "pyproject.toml": '[project]\nname = "dyn"\n[project.scripts]\ndyn = "dyn.cli:main"\n',
        "dyn/__init__.py": "",
        "dyn/options.py": 'OPTIONS = ["max-depth", "select"]\n',
        "dyn/cli.py": (
            "import argparse\nfrom dyn.options import OPTIONS\n\n"
            "def main():\n    p = argparse.ArgumentParser()\n"
            "    for name in OPTIONS:\n        p.add_argument(f'--{name}')\n    p.parse_args()\n"
        ),
    }
    doc = "```console\n$ dyn --max-depth 3 --select DG5\n$ dyn --maxdepth 3\n```\n"
    root = make_repo(tmp_path / "proj", project, docs={"README.md": doc})
    with working_directory(root):
        code, out, _ = run_hook("--all", "README.md")
    assert code == 1
    assert [line.split(" DG951")[0] for line in out] == ["README.md:3:7:"]


def test_a_cli_that_hands_argv_to_django_is_not_judged(tmp_path: Path) -> None:
    project = {
        "pyproject.toml": '[project]\nname = "site"\n[project.scripts]\nsite = "site_cli.cli:main"\n',
        "site_cli/__init__.py": "",
        "site_cli/cli.py": (
            "import argparse, sys\n\ndef main():\n    p = argparse.ArgumentParser()\n"
            "    p.add_argument('--version')\n"
            "    from django.core.management import execute_from_command_line\n"
            "    execute_from_command_line(sys.argv)\n"
        ),
    }
    doc = "```console\n$ site migrate --no-input\n```\n"
    root = make_repo(tmp_path / "proj", project, docs={"README.md": doc})
    with working_directory(root):
        assert run_hook("--all", "README.md")[:2] == (0, [])


def test_a_script_whose_parser_cannot_be_read_is_silent(tmp_path: Path) -> None:
    project = {
        "pyproject.toml": '[project]\nname = "fiery"\n[project.scripts]\nfiery = "fiery.cli:main"\n',
        "fiery/__init__.py": "",
        "fiery/cli.py": "import fire\n\ndef main():\n    fire.Fire()\n",
    }
    root = make_repo(tmp_path / "proj", project, docs={"README.md": "```console\n$ fiery --anything\n```\n"})
    with working_directory(root):
        assert run_hook("--all", "README.md")[:2] == (0, [])


def test_python_dash_m_reaches_the_same_parser(tmp_path: Path) -> None:
    project = dict(ARGPARSE_SRC)
    project["pyproject.toml"] = project["pyproject.toml"].replace("mytool.cli:main", "mytool.__main__:main")
    project["src/mytool/__main__.py"] = "from mytool.cli import main\n"
    doc = "```console\n$ python -m mytool status --nope\n```\n"
    root = make_repo(tmp_path / "proj", project, docs={"README.md": doc})
    with working_directory(root):
        code, out, _ = run_hook("--all", "README.md")
    assert code == 1 and len(out) == 1 and "no option `--nope`" in out[0], out


def test_bad_input_is_skipped_or_reported_in_one_line(tmp_path: Path) -> None:
    project = dict(ARGPARSE_SRC)
    project["src/mytool/broken.py"] = "def (:\n"
    # invalid TOML in a sub-project: its scripts cannot be read, the others still are
    project["sub/pyproject.toml"] = '[project.scripts\nother = "x:y"\n'

    root = make_repo(tmp_path / "proj", project, docs={"README.md": "```console\n$ mytool --x\n```\n"})
    (root / "bin.md").write_bytes(b"\x00\x01binary")
    (root / "latin.md").write_bytes(b"caf\xe9 `mytool --x`\n")
    with working_directory(root):
        code, out, err = run_hook("--all", "README.md", "bin.md", "latin.md", "empty.md")
    assert code == 2
    assert out == ["README.md:2:10: DG951 `mytool --x`: mytool defines no option `--x` (parser in "
                   "src/mytool/cli.py); fix the example or add the option"]
    assert "empty.md: no such file" in err and "Traceback" not in err
    assert "latin.md: skipped, not valid UTF-8" in err


def test_driftgate_scan_reports_doc_drift(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`driftgate scan` runs check-doc-drift over the tracked docs, whole (not diff mode)."""
    from hooks import cli

    doc = "```console\n$ mytool --bogus status\n```\n"
    root = make_repo(tmp_path / "proj", ARGPARSE_SRC, docs={"docs/usage.md": doc})
    with working_directory(tmp_path):
        code = cli.main(["scan", str(root), "--hook", "check-doc-drift", "--format", "jsonl"])
    out = capsys.readouterr().out.splitlines()
    assert code == 1 and len(out) == 1
    assert '"path": "docs/usage.md"' in out[0] and '"code": "DG951"' in out[0]
    assert '"hook": "check-doc-drift"' in out[0]
