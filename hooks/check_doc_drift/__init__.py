"""check-doc-drift: docs that show flags, config keys, routes or Python names the code does
not have (DG95x).

Reads Markdown and reStructuredText files and checks what their code blocks and inline code
show against the repository's own code, statically: console-script invocations against the
scripts' argparse/click/typer definitions, `[tool.<project>]` keys against the code that
reads them, `GET /path` references against the app's routes, environment variables
documented as settings against the code's environment reads (hooks/_env/). Nothing is imported or run.
"""
from __future__ import annotations

import os

from hooks._core.config import Option
from hooks._core.findings import Finding, Rule
from hooks._core.runner import CheckRun, FileHook, run_hook

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (~3 ms)
if TYPE_CHECKING:
    from typing import Iterator, Sequence

HOOK_ID = "check-doc-drift"

RULES = (
    Rule("DG951", "a console-script invocation uses an option or subcommand its parser does not define"),
    Rule("DG952", "a `[tool.<project>]` key shown in a TOML block that no code reads"),
    Rule("DG953", "an HTTP endpoint reference (`GET /path`) that no route of the app matches"),
    Rule("DG954", "docs name a Python function or class that the change removed or renamed"),
    Rule("DG955", "a Python import, attribute or call keyword in the docs that the project's code does not have"),
    Rule("DG956", "an environment variable documented as one of the project's settings that no code reads"),
)


def check(run: CheckRun) -> Iterator[Finding]:
    change = None
    if not run.settings.get("all") and os.environ.get("PRE_COMMIT"):
        from hooks.check_doc_drift.diff import staged_change

        change = staged_change(run.root)
    if not run.paths and (change is None or not change.status):
        # no doc among the files and no staged change to judge (`driftgate run` on code, or
        # `pre-commit run --files` with nothing staged): nothing to report, so no engine
        # import and no listing of the work tree (~7 ms of such a commit)
        return
    from hooks.check_doc_drift.engine import check_docs

    yield from check_docs(run, change)


# defined here, not in docs.py (which reads them from here): every commit asks `_selects` of
# each of its files, and a file without these suffixes needs no doc parser imported (~1.7 ms)
MARKDOWN_SUFFIXES = (".md", ".markdown")
RST_SUFFIXES = (".rst",)


def _selects(path: str) -> bool:
    if not path.lower().endswith(MARKDOWN_SUFFIXES + RST_SUFFIXES):
        return False
    from hooks.check_doc_drift.docs import is_doc

    return is_doc(path)


HOOK = FileHook(
    id=HOOK_ID,
    description="Report docs that show options, keys, routes or names the code does not have.",
    rules=RULES,
    selects=_selects,
    check=check,
    always_run=True,  # a code-only change can make an untouched doc stale
    options=(
        Option(
            "all", bool, False,
            "report every reference that does not resolve, not only those the staged change "
            "broke or made stale (what runs outside pre-commit)",
        ),
    ),
)


def main(argv: Sequence[str] | None = None) -> int:
    return run_hook(HOOK, argv)

