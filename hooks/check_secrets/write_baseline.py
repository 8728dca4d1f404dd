"""`driftgate secrets-baseline [PATH]`: accept the secrets check-secrets finds today.

Scans the files git tracks under PATH (as `driftgate scan` does) and adds every finding that
the baseline does not accept yet to it, in detect-secrets' own format (`results` keyed by file
name, `hashed_secret` = SHA-1 of the secret), so detect-secrets and check-secrets both read
it. Existing entries, audit marks and settings are kept; nothing is ever removed. The hook
itself never writes the baseline: this is the one explicit way to do it.
"""
from __future__ import annotations

import json
import os
import sys

from hooks._core.findings import HookError
from hooks._core.runner import (
    COMMON_OPTIONS,
    EXIT_ERROR,
    EXIT_OK,
    CheckRun,
    Parser,
    enabled_codes,
    is_excluded,
    load_settings,
    report_error,
    scan_files,
)
from hooks._core.suppress import suppressed_codes
from hooks.check_secrets import HOOK_ID, OPTIONS, RULES, might_hold_secret

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (~3 ms)
if TYPE_CHECKING:
    from typing import Any, Sequence

PROG = "driftgate secrets-baseline"


def _parser() -> Parser:
    parser = Parser(prog=PROG, description="Add today's check-secrets findings to the baseline.")
    parser.add_argument("path", nargs="?", default=".", help="directory to scan (default: .)")
    parser.add_argument(
        "--baseline", metavar="FILE",
        help="baseline to update (default: the `baseline` config key, then .secrets.baseline)",
    )
    parser.add_argument("--config", metavar="PYPROJECT", help="read [tool.driftgate] from this file")
    return parser


def _read_document(path: str) -> dict[str, Any]:
    """The existing baseline document, or a fresh one with detect-secrets' default settings."""
    if os.path.exists(path):
        from hooks.check_secrets.engine import load_baseline

        load_baseline(path)  # validates it, with the hook's error messages
        with open(path, encoding="utf-8-sig") as handle:
            return json.load(handle)
    from detect_secrets.core.baseline import format_for_output
    from detect_secrets.core.secrets_collection import SecretsCollection
    from detect_secrets.settings import default_settings

    # a one-shot command: detect-secrets' settings are borrowed inside its own context
    # manager, which restores them, so the new file is a complete detect-secrets baseline
    with default_settings():
        return format_for_output(SecretsCollection())


def _new_entries(run: CheckRun, baseline_path: str) -> dict[str, list[dict[str, Any]]]:
    from detect_secrets.core.potential_secret import PotentialSecret

    from hooks.check_secrets.engine import Scanner

    codes = enabled_codes(RULES, run.settings)
    scanner = Scanner(baseline_path)
    entries: dict[str, list[dict[str, Any]]] = {}
    for source in run.sources_iter():
        if not might_hold_secret(source.text, source.path):
            continue
        seen: set[tuple[str, str]] = set()
        for candidate in scanner.reportable(source):
            detector = candidate.detector
            if detector.code not in codes or _suppressed(detector.code, source.line(candidate.line)):
                continue
            secret = PotentialSecret(
                type=detector.secret_type, filename=source.path, secret=candidate.secret,
                line_number=candidate.line,
            )
            if (secret.secret_hash, secret.type) not in seen:
                seen.add((secret.secret_hash, secret.type))
                entries.setdefault(source.path, []).append(secret.json())
    return entries


def _suppressed(code: str, line: str) -> bool:
    """`# driftgate: ignore[...]` on the line: such a secret needs no baseline entry."""
    codes = suppressed_codes(line)
    return codes is not None and (not codes or code in codes)


def _entry_order(entry: dict[str, Any]) -> tuple[int, str]:
    return entry.get("line_number", 0), entry["hashed_secret"]


def _write(path: str, document: dict[str, Any]) -> None:
    temporary = f"{path}.{os.getpid()}.tmp"
    with open(temporary, "w", encoding="utf-8") as handle:
        handle.write(json.dumps(document, indent=2) + "\n")
    os.replace(temporary, path)


def _collect(argv: Sequence[str] | None) -> tuple[str, dict[str, Any], dict[str, list[dict[str, Any]]], CheckRun]:
    """(baseline path, its document, new entries by file, the run); HookError on bad input."""

    args = _parser().parse_args(argv)
    config = os.path.abspath(args.config) if args.config else None
    given = os.path.abspath(args.baseline) if args.baseline else None
    root, files = scan_files(args.path)  # runs from the repository root from here on
    settings = load_settings(HOOK_ID, (*COMMON_OPTIONS, *OPTIONS), config, root)
    baseline_path = os.path.relpath(given) if given else settings["baseline"]
    target = os.path.normpath(baseline_path)
    paths = [f for f in files if not is_excluded(f, settings["exclude"]) and os.path.normpath(f) != target]
    run = CheckRun(HOOK_ID, paths, settings, root=root)
    document = _read_document(baseline_path)
    return baseline_path, document, _new_entries(run, baseline_path), run


def _merge(document: dict[str, Any], entries: dict[str, list[dict[str, Any]]]) -> None:
    results = document.setdefault("results", {})
    for filename, new in entries.items():
        merged = results.get(filename, []) + new
        results[filename] = sorted(merged, key=_entry_order)
    document["results"] = dict(sorted(results.items()))


def main(argv: Sequence[str] | None = None) -> int:
    try:
        baseline_path, document, entries, run = _collect(argv)
    except HookError as exc:
        report_error(PROG, str(exc))
        return EXIT_ERROR
    if run.errors:  # an unreadable file: do not write a baseline that silently skipped it
        for message in run.errors:
            report_error(PROG, message)
        return EXIT_ERROR
    _merge(document, entries)
    _write(baseline_path, document)
    added = sum(len(new) for new in entries.values())
    print(f"{baseline_path}: added {added} secret(s) in {len(entries)} file(s)", file=sys.stdout)
    return EXIT_OK


if __name__ == "__main__":
    raise SystemExit(main())
