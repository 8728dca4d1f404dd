"""check-doc-drift's diff mode (the default under pre-commit): only what the staged change
broke or made stale, in real git repos; `--all` reports everything."""
from __future__ import annotations

from pathlib import Path

import pytest

from _doc_drift_support import ARGPARSE_SRC, CONFIG_READER, FASTAPI_APP, make_repo, run_hook
from conftest import git, working_directory, write_files

README = """\
# mytool

```console
$ mytool sync --dry-run x
$ mytool --long-gone status
```

Call `mytool.cli.build_parser()` to embed the parser.
"""


@pytest.fixture
def staged(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A committed argparse project whose README has one old broken example (line 5), run as
    pre-commit runs hooks (PRE_COMMIT=1)."""
    root = make_repo(tmp_path / "proj", ARGPARSE_SRC, docs={"README.md": README})
    monkeypatch.setenv("PRE_COMMIT", "1")
    for name in ("PRE_COMMIT_FROM_REF", "PRE_COMMIT_TO_REF"):
        monkeypatch.delenv(name, raising=False)
    with working_directory(root):
        yield root


def _edit(root: Path, path: str, old: str, new: str) -> None:
    text = (root / path).read_text()
    assert old in text
    (root / path).write_text(text.replace(old, new))
    git(root, "add", path)


def test_an_unrelated_commit_reports_nothing_old(staged: Path) -> None:
    write_files(staged, {"src/mytool/extra.py": "X = 1\n"})
    git(staged, "add", "-A")
    assert run_hook("README.md")[:2] == (0, [])
    # while --all still reports the old broken example
    code, out, _ = run_hook("--all", "README.md")
    assert code == 1 and [line.split(" ")[0] for line in out] == ["README.md:5:10:"]


def test_a_removed_flag_is_reported_in_an_untouched_doc(staged: Path) -> None:
    _edit(staged, "src/mytool/cli.py", '"--dry-run"', '"--simulate"')
    code, out, _ = run_hook()  # pre-commit passes no doc: only code changed
    assert code == 1
    assert out == [
        "README.md:4:15: DG951 `mytool --dry-run`: mytool defines no option `--dry-run` (parser in "
        "src/mytool/cli.py); fix the example or add the option"
    ]


def test_a_new_doc_line_is_checked_and_old_lines_are_not(staged: Path) -> None:
    _edit(staged, "README.md", "$ mytool sync --dry-run x\n", "$ mytool sync --dry-run x\n$ mytool --nope status\n")
    code, out, _ = run_hook("README.md")
    assert code == 1 and [line.split(" ")[0] for line in out] == ["README.md:5:10:"]
    assert "`--nope`" in out[0]


def test_a_renamed_function_still_named_in_docs(staged: Path) -> None:
    _edit(staged, "src/mytool/cli.py", "def build_parser():", "def make_parser():")
    _edit(staged, "src/mytool/cli.py", "return build_parser()", "return make_parser()")
    code, out, _ = run_hook()
    assert code == 1
    assert out == [
        "README.md:8:18: DG954 `build_parser` no longer exists: this change removed it from "
        "src/mytool/cli.py (renamed to `make_parser`?); update the doc"
    ]


def test_a_name_moved_to_another_module_is_not_stale(staged: Path) -> None:
    _edit(staged, "src/mytool/cli.py", "def build_parser():", "def make_parser():")
    write_files(staged, {"src/mytool/compat.py": "def build_parser():\n    pass\n"})
    git(staged, "add", "-A")
    assert run_hook()[:2] == (0, [])


def test_a_removed_key_and_a_changed_route(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    docs = {
        "docs/config.md": "```toml\n[tool.mytool]\nline-length = 100\n```\n",
        "docs/api.md": "List with `GET /api/v1/items/` and read `GET /api/v1/users/me`.\n",
    }
    root = make_repo(tmp_path / "proj", FASTAPI_APP, CONFIG_READER, docs=docs)  # mytool's pyproject
    monkeypatch.setenv("PRE_COMMIT", "1")
    with working_directory(root):
        assert run_hook()[:2] == (0, [])
        _edit(root, "src/mytool/config.py", 'table.get("line-length", 88)', 'table.get("max-width", 88)')
        _edit(root, "src/mytool/config.py", "line_length: int", "max_width: int")
        _edit(root, "app/routes/users.py", '@router.get("/me")', '@router.get("/self")')
        code, out, _ = run_hook()
    assert code == 1
    assert [line.split(": ", 1)[0] for line in out] == ["docs/api.md:1:42", "docs/config.md:3:1"]
    assert "DG953 `GET /api/v1/users/me`" in out[0] and "DG952" in out[1]


def test_pre_commit_ranges_are_honoured(staged: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """pre-push (or `pre-commit run --from-ref A --to-ref B`): the range is the change."""
    base = git(staged, "rev-parse", "HEAD").strip()
    _edit(staged, "src/mytool/cli.py", '"--dry-run"', '"--simulate"')
    git(staged, "commit", "-q", "-m", "rename")
    monkeypatch.setenv("PRE_COMMIT_FROM_REF", base)
    monkeypatch.setenv("PRE_COMMIT_TO_REF", "HEAD")
    code, out, _ = run_hook()
    assert code == 1 and "`--dry-run`" in out[0]


def test_the_first_commit_is_checked_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from conftest import init_repo

    root = init_repo(tmp_path / "fresh")
    write_files(root, {**ARGPARSE_SRC, "README.md": README})
    git(root, "add", "-A")
    monkeypatch.setenv("PRE_COMMIT", "1")
    with working_directory(root):
        code, out, _ = run_hook("README.md")
    assert code == 1 and "`--long-gone`" in out[0]


def test_the_staged_change_is_one_git_process(staged: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Asked at every commit under pre-commit: one `git diff` (issue 15), the first commit
    (no HEAD) told apart only when it fails."""
    from hooks._core import git as core_git
    from hooks.check_doc_drift import diff

    calls: list[list[str]] = []
    real = core_git.run_git

    def counting(args: list[str], *rest: object, **kwargs: object) -> str:
        calls.append(list(args))
        return real(args, *rest, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(diff, "run_git", counting)
    _edit(staged, "src/mytool/cli.py", '"--dry-run"', '"--simulate"')
    change = diff.staged_change(str(staged))
    assert change is not None and change.status == {"src/mytool/cli.py": "M"}
    assert [c[0] for c in calls] == ["diff"]
    git(staged, "update-ref", "-d", "HEAD")  # as before the first commit
    assert diff.staged_change(str(staged)) is None
    assert [c[0] for c in calls] == ["diff", "diff", "rev-parse"]
