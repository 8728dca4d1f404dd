"""record-provenance (prepare-commit-msg): write the provenance trailers of the active
agent run into the commit message, with `git interpret-trailers`.

Never touches the message when no run is active, on a merge (source `merge`), or while a
rebase or cherry-pick replays commits. On an amend (source `commit`) the run's trailers
replace the ones already there, so running it twice never duplicates a trailer.
"""

from __future__ import annotations

import argparse
import os
import sys

from hooks._core.files import read_bytes
from hooks._core.findings import HookError
from hooks._core.git import run_git
from hooks._core.runner import EXIT_ERROR, EXIT_OK, guarded, parse_settings, report_error
from hooks._provenance import run
from hooks._provenance import trailers as t

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (~3 ms)
if TYPE_CHECKING:
    from typing import Sequence

HOOK_ID = "record-provenance"
DESCRIPTION = "Append the provenance trailers of the active agent run to the commit message."
# git rebase / cherry-pick replay commits someone already recorded (or did not)
_REPLAYING = ("rebase-merge", "rebase-apply", "CHERRY_PICK_HEAD")


def _add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("message", help="the commit message file git passes to prepare-commit-msg")
    parser.add_argument(
        "source",
        nargs="?",
        help="message source: message, template, merge, squash or commit "
        "(default: $PRE_COMMIT_COMMIT_MSG_SOURCE, which pre-commit sets)",
    )
    parser.add_argument("sha", nargs="?", help="the commit being amended (source `commit`)")


def _replaying() -> bool:
    from hooks._provenance.gitdata import root_and_git_paths

    _, paths = root_and_git_paths(*_REPLAYING)
    return any(os.path.exists(path) for path in paths)


def record(message_path: str, source: str, root: str) -> list[str]:
    """Write the trailers; return warnings about required values the run did not give."""
    if source == "merge" or not run.is_active(root, os.environ):
        return []
    if not os.path.isfile(message_path):
        raise HookError(f"{message_path}: no such commit message file")
    values = run.gather(root, os.environ)
    if _replaying():
        return []
    pairs = run.trailers_to_write(values)
    if pairs:
        empty = _is_empty(message_path)
        args = [
            "interpret-trailers",
            "--in-place",
            "--no-divider",
            "--where",
            "end",
            "--if-exists",
            "replace",
            "--if-missing",
            "add",
        ]
        for key, value in pairs:
            args += ["--trailer", f"{key}: {value}"]
        run_git([*args, os.path.abspath(message_path)], cwd=root)
        if empty:
            _keep_subject_line_free(message_path)
    return [
        f"the active run gives no {key} (set {run.ENV[key]}{_file_hint(key)}); "
        "check-provenance will report it missing"
        for key in t.REQUIRED_KEYS
        if key not in values.values
    ]


def _read_message(path: str) -> bytes:
    try:
        return read_bytes(path)
    except OSError as exc:
        raise HookError(f"{path}: cannot read the commit message: {exc.strerror}") from None


def _is_empty(path: str) -> bool:
    """No subject yet: a plain `git commit` whose editor is about to open (only comments)."""
    text = _read_message(path).decode("utf-8", errors="replace")
    return not any(line.strip() and not line.startswith("#") for line in t.message_lines(text))


def _keep_subject_line_free(path: str) -> None:
    """interpret-trailers puts the trailers of an empty message on line 2, where the subject's
    paragraph would swallow them; leave line 1 for the subject and line 2 blank, as
    `git commit --signoff` does."""
    data = _read_message(path)
    if not data.startswith(b"\n\n"):
        with open(path, "wb") as handle:
            handle.write(b"\n" + data)


def _file_hint(key: str) -> str:
    hints = {
        t.RUN_ID: f" or write it to {run.MARKER}",
        t.MODEL: f" or write it to {run.MODEL_FILE}",
        t.PROMPT_HASH: f", or write {run.PROMPT_HASH_FILE} or {run.PROMPT_FILE}",
    }
    return hints.get(key, "")


def main(argv: Sequence[str] | None = None) -> int:
    return guarded(HOOK_ID, lambda: _main(argv))


def _main(argv: Sequence[str] | None) -> int:
    try:
        args, _ = parse_settings(HOOK_ID, DESCRIPTION, (), argv, _add_arguments)
        source = (
            args.source
            if args.source is not None
            else os.environ.get("PRE_COMMIT_COMMIT_MSG_SOURCE", "")
        )
        from hooks._provenance.gitdata import repo_root

        warnings = record(args.message, source, repo_root())
    except HookError as exc:
        report_error(HOOK_ID, str(exc))
        return EXIT_ERROR
    for warning in warnings:
        print(f"{HOOK_ID}: warning: {warning}", file=sys.stderr)
    return EXIT_OK


if __name__ == "__main__":
    raise SystemExit(main())
