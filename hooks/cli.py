"""`driftgate`: every check under one command, and `driftgate scan [PATH]` over a tree."""
from __future__ import annotations

import argparse
import os
import sys
from typing import Sequence

from hooks import __version__
from hooks._core import registry
from hooks._core.filecache import forget_digests
from hooks._core.findings import Finding, HookError, Rule
from hooks._core.output import DOCUMENT_FORMATS, LINE_FORMATS, write_document, write_lines
from hooks._core.runner import (
    COMMON_OPTIONS, EXIT_ERROR, EXIT_FINDINGS, EXIT_INTERNAL, EXIT_OK, CheckRun, FileHook, Parser,
    collect, guarded, is_excluded, load_settings, report_error, report_internal, scan_files,
    unchecked_python_message,
)

USAGE = f"""usage: driftgate COMMAND [ARGS...]

commands:
  scan [PATH]        run every file check over a tree (the files git tracks)
  run FILES...       run every file check over these files in one process (the
                     `driftgate` pre-commit hook)
  HOOK-ID FILES...   run one check, exactly as the pre-commit hook does:
                     {", ".join(registry.HOOK_MODULES)}
{"".join(f"  {name:<18} {text}{chr(10)}" for name, (_, text) in registry.EXTRA_COMMANDS.items())}
  driftgate COMMAND --help for a command's options; driftgate --version
"""


def _add_gate_arguments(parser: Parser, formats: Sequence[str]) -> None:
    """What `scan` and `run` share: output, config, which hooks, which codes."""
    parser.add_argument("--format", choices=formats, default="text", help="output format")
    parser.add_argument("--config", metavar="PYPROJECT", help="read [tool.driftgate] from this file")
    parser.add_argument("--hook", action="append", default=[], metavar="ID", help="run only this hook")
    parser.add_argument("--skip", action="append", default=[], metavar="ID", help="do not run this hook")
    parser.add_argument("--select", action="append", default=None, help="only report these codes")
    parser.add_argument("--ignore", action="append", default=None, help="never report these codes")
    parser.add_argument(
        "--offline", action="store_true",
        help="network hooks use their cache only (as their own --offline): no index is asked",
    )
    parser.add_argument(
        "--strict", action="store_true",
        help="fail (exit 2) when Python files cannot be checked because the project targets a newer Python",
    )


def _scan_parser() -> Parser:
    parser = Parser(prog="driftgate scan", description="Run every file check over a tree.")
    parser.add_argument("path", nargs="?", default=".", help="directory to scan (default: .)")
    _add_gate_arguments(parser, LINE_FORMATS + DOCUMENT_FORMATS)
    return parser


def _run_parser() -> Parser:
    parser = Parser(
        prog="driftgate run",
        description="Run every file check over the files given, in one process: the `driftgate` "
        "pre-commit hook. Each check takes the files its own hook would be given.",
    )
    parser.add_argument("files", nargs="*", help="files pre-commit passes")
    _add_gate_arguments(parser, LINE_FORMATS)
    return parser


def _chosen_hooks(only: Sequence[str], skip: Sequence[str]) -> list[str]:
    unknown = [h for h in (*only, *skip) if h not in registry.FILE_HOOKS]
    if unknown:
        raise HookError(
            f"unknown hook {unknown[0]!r}; scan runs: {', '.join(registry.FILE_HOOKS)}"
        )
    return [h for h in registry.FILE_HOOKS if (not only or h in only) and h not in skip]


def run_gates(
    hook_ids: Sequence[str], files: Sequence[str], root: str, args: argparse.Namespace
) -> tuple[list[Finding], list[Rule], list[str]]:
    """Every chosen file hook over `files`, each on the files its own hook selects, with the
    settings it reads itself; the command line's --select/--ignore/--offline on top."""
    findings: list[Finding] = []
    rules: list[Rule] = []
    errors: list[str] = []
    config = os.path.abspath(args.config) if args.config else None
    strict = args.strict
    forget_digests()
    for hook_id in hook_ids:
        hook: FileHook = registry.load_module(hook_id).HOOK
        rules.extend(hook.rules)
        try:
            settings = load_settings(hook.id, (*COMMON_OPTIONS, *hook.options), config, root)
            for key in ("select", "ignore"):
                if getattr(args, key):
                    settings[key] = getattr(args, key)
            if args.offline and "offline" in settings:
                settings["offline"] = True
            strict = strict or bool(settings.get("strict"))
            paths = [f for f in files if hook.selects(f) and not is_excluded(f, settings["exclude"])]
            if not paths and not hook.always_run:
                continue  # as pre-commit, which does not start a hook that has no files
            run = CheckRun(hook.id, paths, settings, root=root)
            findings.extend(collect(hook, run))
            errors.extend(f"{hook.id}: {message}" for message in run.errors)
        except HookError as exc:
            errors.append(f"{hook.id}: {exc}")
        except Exception as exc:  # one hook's bug (reported now, exit 3): the other hooks still run
            report_internal(hook.id, exc)
            errors.append(_CRASHED)
    findings.sort(key=Finding.sort_key)
    unchecked = unchecked_python_message()
    if unchecked and strict:
        errors.append(unchecked + "; or drop --strict to skip them")
    elif unchecked:
        print(f"driftgate: warning: {unchecked}", file=sys.stderr)
    return findings, rules, errors


# In run_gates' error list: a hook crashed (already reported as an internal error).
_CRASHED = "\0internal error"


def _finish(prog: str, findings: list[Finding], errors: list[str]) -> int:
    for message in errors:
        if message != _CRASHED:
            report_error(prog, message)
    if _CRASHED in errors:
        return EXIT_INTERNAL
    if errors:
        return EXIT_ERROR
    return EXIT_FINDINGS if findings else EXIT_OK


def scan(argv: Sequence[str]) -> int:
    try:
        args = _scan_parser().parse_args(argv)
        hook_ids = _chosen_hooks(args.hook, args.skip)
        if args.config:
            args.config = os.path.abspath(args.config)  # scan_files changes into the root
        root, files = scan_files(args.path)
    except HookError as exc:
        report_error("driftgate scan", str(exc))
        return EXIT_ERROR
    findings, rules, errors = run_gates(hook_ids, files, root, args)
    if args.format in DOCUMENT_FORMATS:
        write_document(findings, rules, args.format, sys.stdout)
    else:
        write_lines(findings, args.format, sys.stdout)
    return _finish("driftgate scan", findings, errors)


def run(argv: Sequence[str]) -> int:
    """The `driftgate` pre-commit hook: every file gate, one process, the files given."""
    try:
        args = _run_parser().parse_args(argv)
        hook_ids = _chosen_hooks(args.hook, args.skip)
    except HookError as exc:
        report_error("driftgate run", str(exc))
        return EXIT_ERROR
    from hooks._core import runner

    runner.RUNS_ALONE = True  # the hook is require_serial: one process sees every file
    files: list[str] = []
    missing: list[str] = []
    for path in args.files:
        (files if os.path.lexists(path) else missing).append(path)
    findings, _, errors = run_gates(hook_ids, files, ".", args)
    write_lines(findings, args.format, sys.stdout)
    return _finish("driftgate run", findings, [f"{path}: no such file" for path in missing] + errors)


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    known = args and (
        args[0] in ("scan", "run") or args[0] in registry.HOOK_MODULES or args[0] in registry.EXTRA_COMMANDS
    )
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
    if command == "run":
        return run(rest)
    if command in registry.HOOK_MODULES:
        return int(registry.load_module(command).main(rest))
    if command in registry.EXTRA_COMMANDS:
        import importlib

        return int(importlib.import_module(registry.EXTRA_COMMANDS[command][0]).main(rest))
    report_error("driftgate", f"unknown command {command!r}; run `driftgate --help` for the list")
    return EXIT_ERROR


if __name__ == "__main__":
    raise SystemExit(main())
