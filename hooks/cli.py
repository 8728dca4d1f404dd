"""`driftgate`: every check under one command, and `driftgate scan [PATH]` over a tree."""
from __future__ import annotations

import os
import sys
from typing import Sequence

from hooks import __version__
from hooks._core import registry
from hooks._core.findings import Finding, HookError, Rule
from hooks._core.output import DOCUMENT_FORMATS, LINE_FORMATS, write_document, write_lines
from hooks._core.runner import (
    COMMON_OPTIONS, EXIT_ERROR, EXIT_FINDINGS, EXIT_INTERNAL, EXIT_OK, CheckRun, FileHook, Parser,
    collect, guarded, is_excluded, load_settings, report_error, report_internal, scan_files,
)

USAGE = f"""usage: driftgate COMMAND [ARGS...]

commands:
  scan [PATH]        run every file check over a tree (the files git tracks)
  HOOK-ID FILES...   run one check, exactly as the pre-commit hook does:
                     {", ".join(registry.HOOK_MODULES)}
{"".join(f"  {name:<18} {text}{chr(10)}" for name, (_, text) in registry.EXTRA_COMMANDS.items())}
  driftgate COMMAND --help for a command's options; driftgate --version
"""


def _scan_parser() -> Parser:
    parser = Parser(prog="driftgate scan", description="Run every file check over a tree.")
    parser.add_argument("path", nargs="?", default=".", help="directory to scan (default: .)")
    parser.add_argument(
        "--format", choices=LINE_FORMATS + DOCUMENT_FORMATS, default="text", help="output format"
    )
    parser.add_argument("--config", metavar="PYPROJECT", help="read [tool.driftgate] from this file")
    parser.add_argument("--hook", action="append", default=[], metavar="ID", help="run only this hook")
    parser.add_argument("--skip", action="append", default=[], metavar="ID", help="do not run this hook")
    parser.add_argument("--select", action="append", default=None, help="only report these codes")
    parser.add_argument("--ignore", action="append", default=None, help="never report these codes")
    return parser


def _chosen_hooks(only: Sequence[str], skip: Sequence[str]) -> list[str]:
    unknown = [h for h in (*only, *skip) if h not in registry.FILE_HOOKS]
    if unknown:
        raise HookError(
            f"unknown hook {unknown[0]!r}; scan runs: {', '.join(registry.FILE_HOOKS)}"
        )
    return [h for h in registry.FILE_HOOKS if (not only or h in only) and h not in skip]


def scan(argv: Sequence[str]) -> int:
    try:
        args = _scan_parser().parse_args(argv)
        config = os.path.abspath(args.config) if args.config else None
        hook_ids = _chosen_hooks(args.hook, args.skip)
        root, files = scan_files(args.path)
    except HookError as exc:
        report_error("driftgate scan", str(exc))
        return EXIT_ERROR
    findings: list[Finding] = []
    rules: list[Rule] = []
    errors: list[str] = []
    crashed = False
    for hook_id in hook_ids:
        hook: FileHook = registry.load_module(hook_id).HOOK
        rules.extend(hook.rules)
        try:
            settings = load_settings(hook.id, (*COMMON_OPTIONS, *hook.options), config, root)
            for key in ("select", "ignore"):
                if getattr(args, key):
                    settings[key] = getattr(args, key)
            paths = [f for f in files if hook.selects(f) and not is_excluded(f, settings["exclude"])]
            run = CheckRun(hook.id, paths, settings, root=root)
            findings.extend(collect(hook, run))
            errors.extend(f"{hook.id}: {message}" for message in run.errors)
        except HookError as exc:
            errors.append(f"{hook.id}: {exc}")
        except Exception as exc:  # one hook's bug: the other hooks still run
            report_internal(hook.id, exc)
            crashed = True
    findings.sort(key=Finding.sort_key)
    if args.format in DOCUMENT_FORMATS:
        write_document(findings, rules, args.format, sys.stdout)
    else:
        write_lines(findings, args.format, sys.stdout)
    for message in errors:
        report_error("driftgate scan", message)
    if crashed:
        return EXIT_INTERNAL
    if errors:
        return EXIT_ERROR
    return EXIT_FINDINGS if findings else EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    known = args and (args[0] == "scan" or args[0] in registry.HOOK_MODULES or args[0] in registry.EXTRA_COMMANDS)
    return guarded(f"driftgate {args[0]}" if known else "driftgate", lambda: _dispatch(args))


def _dispatch(args: list[str]) -> int:
    if not args or args[0] in ("-h", "--help", "help"):
        sys.stdout.write(USAGE)
        return EXIT_OK if args else EXIT_ERROR
    command, rest = args[0], args[1:]
    if command == "--version":
        print(f"driftgate {__version__}")
        return EXIT_OK
    if command == "scan":
        return scan(rest)
    if command in registry.HOOK_MODULES:
        return int(registry.load_module(command).main(rest))
    if command in registry.EXTRA_COMMANDS:
        import importlib

        return int(importlib.import_module(registry.EXTRA_COMMANDS[command][0]).main(rest))
    report_error("driftgate", f"unknown command {command!r}; run `driftgate --help` for the list")
    return EXIT_ERROR


if __name__ == "__main__":
    raise SystemExit(main())
