"""`driftgate`: every check under one command, and `driftgate scan [PATH]` over a tree."""
from __future__ import annotations

import argparse
import os
import sys
from hooks._core.record import dataclass, field

from hooks import __version__
from hooks._core import registry
from hooks._core.filecache import forget_digests
from hooks._core.files import too_new
from hooks._core.findings import Finding, HookError, Rule
from hooks._core.output import DOCUMENT_FORMATS, LINE_FORMATS, write_document, write_lines
from hooks._core.runner import (
    COMMON_OPTIONS, EXIT_ERROR, EXIT_FINDINGS, EXIT_INTERNAL, EXIT_OK, CheckRun, FileHook, Parser,
    collect, guarded, is_excluded, load_settings, report_error, report_internal, scan_files,
    unchecked_python_message,
)

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (~3 ms)
if TYPE_CHECKING:
    from typing import Any, Sequence

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


@dataclass
class _GateResult:
    """What one hook gave in run_gates; `stderr` and `too_new` only from a worker process."""

    findings: list[Finding] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    strict: bool = False
    stderr: str = ""
    too_new: dict[str, Any] = field(default_factory=dict)


def run_gates(
    hook_ids: Sequence[str], files: Sequence[str], root: str, args: argparse.Namespace
) -> tuple[list[Finding], list[Rule], list[str]]:
    """Every chosen file hook over `files`, each on the files its own hook selects, with the
    settings it reads itself; the command line's --select/--ignore/--offline on top. A large
    run spreads the hooks over the CPUs (_gates_in_workers); the output is the same."""
    forget_digests()
    hooks: list[FileHook] = [registry.load_module(hook_id).HOOK for hook_id in hook_ids]
    rules = [rule for hook in hooks for rule in hook.rules]
    config = os.path.abspath(args.config) if args.config else None
    job = (hooks, files, root, args, config)
    results = _gates_in_workers(job) if _spread_gates(hooks, files) else [_gate(job, i) for i in range(len(hooks))]
    findings: list[Finding] = []
    errors: list[str] = []
    strict = args.strict
    printed: set[str] = set()
    for result in results:
        findings.extend(result.findings)
        errors.extend(result.errors)
        strict = strict or result.strict
        too_new().update(result.too_new)
        for line in result.stderr.splitlines():
            if ": skipped, " in line:  # a file skipped as undecodable: once, as by one process
                if line in printed:
                    continue
                printed.add(line)
            print(line, file=sys.stderr)
    findings.sort(key=Finding.sort_key)
    unchecked = unchecked_python_message()
    if unchecked and strict:
        errors.append(unchecked + "; or drop --strict to skip them")
    elif unchecked:
        print(f"driftgate: warning: {unchecked}", file=sys.stderr)
    return findings, rules, errors


def _gate(job: tuple[Any, ...], index: int) -> _GateResult:
    """Hook number `index` of the job over its files."""
    hooks, files, root, args, config = job
    hook: FileHook = hooks[index]
    result = _GateResult()
    try:
        settings = load_settings(hook.id, (*COMMON_OPTIONS, *hook.options), config, root)
        for key in ("select", "ignore"):
            if getattr(args, key):
                settings[key] = getattr(args, key)
        if args.offline and "offline" in settings:
            settings["offline"] = True
        result.strict = bool(settings.get("strict"))
        paths = [f for f in files if hook.selects(f) and not is_excluded(f, settings["exclude"])]
        if not paths and not hook.always_run:
            return result  # as pre-commit, which does not start a hook that has no files
        run = CheckRun(hook.id, paths, settings, root=root)
        result.findings = collect(hook, run)
        result.errors = [f"{hook.id}: {message}" for message in run.errors]
    except HookError as exc:
        result.errors.append(f"{hook.id}: {exc}")
    except Exception as exc:  # one hook's bug (reported now, exit 3): the other hooks still run
        report_internal(hook.id, exc)
        result.errors.append(_CRASHED)
    return result


# --- spreading the hooks over the CPUs ----------------------------------------------

# The order hooks are handed to the workers, costliest first (CPU seconds on a 2,200-file
# Django repository, cold): a worker that finishes early takes the next, so the two end
# together. Hooks not listed go last.
_COST_ORDER = (
    "check-hallucinated-apis", "check-undeclared-imports", "check-nesting", "check-hidden-instructions",
    "check-secrets", "check-agent-leftovers", "check-env-vars", "check-doc-drift", "check-hallucinated-deps",
)

# What the forked workers run: set just before the fork, so nothing but indexes is pickled.
_GATES_JOB: tuple[Any, ...] | None = None


def _spread_gates(hooks: Sequence[FileHook], files: Sequence[str]) -> bool:
    """Two or more hooks over at least PARALLEL_MIN_BYTES of files, several CPUs, a safe
    fork, and not a pre-commit process that shares the files with its siblings."""
    from hooks._core import runner

    if len(hooks) < 2 or os.name != "posix" or sys.platform == "darwin" or runner._usable_cpus() < 2:
        return False
    if os.environ.get("PRE_COMMIT") and not runner.RUNS_ALONE:
        return False
    total = 0
    for path in files:
        try:
            total += os.stat(path).st_size
        except OSError:
            pass
        if total >= runner.PARALLEL_MIN_BYTES:
            return True
    return False


def _gate_in_worker(index: int) -> _GateResult:
    """One hook in a worker process: its stderr is kept and handed back, so the parent
    prints every hook's lines in hook order."""
    import io

    from hooks._core import runner

    assert _GATES_JOB is not None
    runner.SPLIT_FILES = False  # the hooks already share the CPUs
    buffer = io.StringIO()
    saved, sys.stderr = sys.stderr, buffer
    try:
        result = _gate(_GATES_JOB, index)
    finally:
        sys.stderr = saved
    result.stderr = buffer.getvalue()
    result.too_new = dict(too_new())
    return result


def _gates_in_workers(job: tuple[Any, ...]) -> list[_GateResult]:
    """Each hook in one of two forked workers, costliest first; results in hook order. A
    worker that dies (killed, out of memory) costs only speed: its hooks run here."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from hooks._core import runner

    global _GATES_JOB
    hooks = job[0]
    rank = {hook_id: n for n, hook_id in enumerate(_COST_ORDER)}
    order = sorted(range(len(hooks)), key=lambda i: rank.get(hooks[i].id, len(rank)))
    results: dict[int, _GateResult] = {}
    _GATES_JOB = job
    try:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(min(runner._usable_cpus(), len(hooks)), mp_context=context) as pool:
            futures = {i: pool.submit(_gate_in_worker, i) for i in order}
            for i, future in futures.items():
                try:
                    results[i] = future.result()
                except Exception:  # noqa: BLE001 - a lost worker: run its hooks here
                    pass
    except OSError:
        pass  # no fork (process limit): everything runs here
    finally:
        _GATES_JOB = None
    return [results[i] if i in results else _gate(job, i) for i in range(len(hooks))]


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

    files: list[str] = []
    missing: list[str] = []
    for path in args.files:
        (files if os.path.lexists(path) else missing).append(path)
    runner.RUNS_ALONE = True  # the hook is require_serial: one process sees every file
    try:
        findings, _, errors = run_gates(hook_ids, files, ".", args)
    finally:
        runner.RUNS_ALONE = False  # for the rest of this process (an in-process caller)
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
