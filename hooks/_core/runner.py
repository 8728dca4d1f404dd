"""The shared life of a file hook: arguments, config, file selection, suppression,
output and exit status. A hook module only supplies a FileHook."""
from __future__ import annotations

import argparse
import fnmatch
import functools
import gc
import os
import stat
import sys
from hooks._core.record import dataclass, field

from hooks._core import config as cfg
from hooks._core.files import SourceFile, read_source, to_posix, too_new, too_new_message
from hooks._core.filecache import forget_digests
from hooks._core.findings import Finding, HookError, Rule
from hooks._core.output import LINE_FORMATS, write_lines
from hooks._core.suppress import drop_suppressed

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (~3 ms)
if TYPE_CHECKING:
    from typing import Any, Callable, Iterable, Iterator, Optional, Sequence

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR, EXIT_INTERNAL = 0, 1, 2, 3

# Directories never worth walking when a directory is passed instead of files.
SKIP_DIRS = frozenset(
    {".git", ".hg", ".svn", ".tox", ".nox", ".venv", "venv", "__pycache__", "node_modules",
     ".mypy_cache", ".pytest_cache", ".ruff_cache", "build", "dist", ".eggs"}
)


class SourceCache:
    """Reads each file once per process and remembers binary/undecodable ones as None."""

    def __init__(self) -> None:
        self._files: dict[str, SourceFile | None] = {}

    def get(self, path: str) -> SourceFile | None:
        if path not in self._files:
            self._files[path] = read_source(path)
        return self._files[path]

    def put(self, source: SourceFile) -> None:
        """Remember a file a hook decoded itself (for example with a fallback encoding)."""
        self._files[source.path] = source

    def line(self, path: str, number: int) -> str:
        try:
            source = self.get(path)
        except OSError:
            return ""
        return source.line(number) if source is not None else ""


@dataclass
class CheckRun:
    """What a hook's check sees: the files to check and its merged settings."""

    hook_id: str
    paths: list[str]
    settings: dict[str, Any]
    root: str = "."
    sources: SourceCache = field(default_factory=SourceCache)
    errors: list[str] = field(default_factory=list)

    def sources_iter(self) -> Iterator[SourceFile]:
        """Each checkable text file; unreadable paths are recorded as errors, binaries skipped."""
        for path in self.paths:
            try:
                source = self.sources.get(path)
            except OSError as exc:
                self.errors.append(f"{path}: cannot read: {exc.strerror or exc}")
                continue
            if source is not None:
                yield source


if TYPE_CHECKING:
    CheckFn = Callable[[CheckRun], Iterable[Finding]]


@dataclass(frozen=True)
class FileHook:
    id: str
    description: str
    rules: tuple[Rule, ...]
    selects: Callable[[str], bool]
    check: CheckFn
    options: tuple[cfg.Option, ...] = ()
    needs_network: bool = False
    # runs even when none of the files given is its own (its hook is `always_run`): it reads
    # what it checks itself, as check-doc-drift reads the staged change
    always_run: bool = False
    # Set on a hook whose findings in a file depend only on that file's bytes and path, the
    # settings, driftgate's code and what this returns for the run (None: do not cache this
    # run): its findings are kept per file on disk (hooks._core.filecache) and reused while
    # all of that is unchanged.
    cache_context: Optional[Callable[[CheckRun], Optional[str]]] = None
    # files whose findings depend on more than that (other files): never cached
    uncacheable: Optional[Callable[[str], bool]] = None
    # what else one file's findings depend on (the modules next to it, say), as a string
    file_context: Optional[Callable[[str], str]] = None


if TYPE_CHECKING:
    SourceCheck = Callable[[SourceFile, dict[str, Any]], Iterable[Finding]]

# True in the `driftgate` hook, which pre-commit runs as one process (require_serial): there
# the large runs may use every CPU themselves.
RUNS_ALONE = False

# False in `driftgate scan`'s workers, which already run one hook per CPU.
SPLIT_FILES = True

# Below this much source in one run, forking workers costs more than it saves.
PARALLEL_MIN_BYTES = 1 << 20


def per_file(check_source: SourceCheck) -> CheckFn:
    """Adapt a pure per-file check into a whole-run check.

    A large run (a directory walk, `driftgate scan`, a CI job) is split across the CPUs:
    parsing dominates and the GIL keeps threads from helping."""

    def check(run: CheckRun) -> Iterator[Finding]:
        chunks = parallel_chunks(run.paths)
        if chunks is None:
            for source in run.sources_iter():
                yield from check_source(source, run.settings)
        else:
            yield from _check_in_workers(check_source, run, chunks)

    return check


def _usable_cpus() -> int:
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def parallel_chunks(paths: Sequence[str]) -> list[list[str]] | None:
    """`paths` cut into one contiguous run of about equal bytes per CPU, or None to stay
    in this process: one CPU, little source, no safe fork, or under pre-commit, which
    already runs one hook process per CPU on a share of the files."""
    if not SPLIT_FILES:
        return None
    jobs = min(_usable_cpus(), len(paths))
    split_by_pre_commit = os.environ.get("PRE_COMMIT") and not RUNS_ALONE
    if jobs < 2 or split_by_pre_commit or os.name != "posix" or sys.platform == "darwin":
        return None
    sizes = []
    for path in paths:
        try:
            sizes.append(os.stat(path).st_size)
        except OSError:
            sizes.append(0)  # reported by whichever process reads it
    total = sum(sizes)
    # at least half of PARALLEL_MIN_BYTES per process, so many CPUs never mean tiny shares
    jobs = min(jobs, total // (PARALLEL_MIN_BYTES // 2))
    if total < PARALLEL_MIN_BYTES or jobs < 2:
        return None
    chunks: list[list[str]] = [[]]
    filled = 0
    for path, size in zip(paths, sizes):
        if filled >= total * len(chunks) / jobs and len(chunks) < jobs:
            chunks.append([])
        chunks[-1].append(path)
        filled += size
    return chunks


# What forked workers run: set just before the fork, so no function is ever pickled.
_WORKER_JOB: tuple[SourceCheck, dict[str, Any]] | None = None


def _check_chunk(paths: list[str]) -> tuple[list[Finding], list[str], dict[str, Any], set[str]]:
    assert _WORKER_JOB is not None
    check_source, settings = _WORKER_JOB
    run = CheckRun("", paths, settings)
    findings = [f for source in run.sources_iter() for f in check_source(source, settings)]
    # the parent reports files too new to parse, and must know which files a worker reported
    # as skipped (their findings are not cached); a worker's record dies with it otherwise
    chunk = set(paths)
    from hooks._core.files import reported_skipped

    return findings, run.errors, {p: t for p, t in too_new().items() if p in chunk}, reported_skipped() & chunk


def _check_in_workers(check_source: SourceCheck, run: CheckRun, chunks: list[list[str]]) -> list[Finding]:
    """Check chunks[1:] in forked workers while this process checks chunks[0]; errors keep
    the order of the paths."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    global _WORKER_JOB
    _WORKER_JOB = (check_source, run.settings)
    try:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(len(chunks) - 1, mp_context=context) as pool:
            futures = [pool.submit(_check_chunk, chunk) for chunk in chunks[1:]]
            results = [_check_chunk(chunks[0])] + [future.result() for future in futures]
    finally:
        _WORKER_JOB = None
    findings: list[Finding] = []
    from hooks._core.files import reported_skipped

    for chunk_findings, chunk_errors, chunk_too_new, chunk_skipped in results:
        findings.extend(chunk_findings)
        run.errors.extend(chunk_errors)
        too_new().update(chunk_too_new)
        reported_skipped().update(chunk_skipped)
    return findings


def file_only_context(run: CheckRun) -> str:
    """FileHook.cache_context of a hook whose findings in a file depend on nothing but the
    file and the settings; the Python the project targets decides whether a file that does
    not parse here is skipped, so it is part of it."""
    from hooks._core.pyversion import newer_than_running

    return repr(newer_than_running())


def suffix_selector(*suffixes: str) -> Callable[[str], bool]:
    return lambda path: path.endswith(suffixes)


# --- rule selection ---------------------------------------------------------------


def _split_codes(values: Iterable[str] | None) -> list[str]:
    return [c.strip().upper() for v in values or () for c in v.split(",") if c.strip()]


def enabled_codes(rules: Sequence[Rule], settings: dict[str, Any]) -> frozenset[str]:
    select = _split_codes(settings.get("select"))
    extend = _split_codes(settings.get("extend_select"))
    ignore = _split_codes(settings.get("ignore"))
    enabled = set()
    for rule in rules:
        if select:
            on = rule.code.startswith(tuple(select))
        else:
            on = rule.enabled_by_default or rule.code.startswith(tuple(extend) or ("\0",))
        if on and not (ignore and rule.code.startswith(tuple(ignore))):
            enabled.add(rule.code)
    return frozenset(enabled)


COMMON_OPTIONS: tuple[cfg.Option, ...] = (
    cfg.Option("select", list, [], "only report these codes or code prefixes (e.g. DG5)"),
    cfg.Option("extend-select", list, [], "also report these codes, e.g. off-by-default ones"),
    cfg.Option("ignore", list, [], "never report these codes or code prefixes"),
    cfg.Option("exclude", list, [], "glob patterns of paths to skip, even when passed by name"),
    cfg.Option(
        "strict", bool, False,
        "fail (exit 2) when Python files cannot be checked because the project targets a newer Python",
    ),
)


# --- arguments --------------------------------------------------------------------


def _help_width() -> int:
    """What argparse's formatter asks shutil.get_terminal_size for (COLUMNS, the terminal,
    80), minus its margin of 2; without importing shutil (with bz2 and lzma: ~3 ms)."""
    try:
        columns = int(os.environ.get("COLUMNS", ""))
    except ValueError:
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns
        except (AttributeError, ValueError, OSError):
            columns = 0
    return (columns or 80) - 2


class Parser(argparse.ArgumentParser):
    """argparse that exits 2 with one line on stderr instead of a usage dump."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # argparse builds a formatter for every add_argument; with no width given, each
        # imports shutil for the terminal's (a hook's start-up never prints help)
        kwargs["formatter_class"] = functools.partial(kwargs.get("formatter_class", argparse.HelpFormatter), width=_help_width())
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> None:  # type: ignore[override]
        raise HookError(f"{message} (see --help)")


def build_parser(prog: str, description: str, options: Sequence[cfg.Option]) -> argparse.ArgumentParser:
    parser = Parser(prog=prog, description=description)
    parser.add_argument("--config", metavar="PYPROJECT", help="read [tool.driftgate] from this file")
    for option in options:
        flag = f"--{option.name}"
        if option.kind is bool:
            parser.add_argument(flag, action=argparse.BooleanOptionalAction, default=None, help=option.help)
        elif option.kind is list:
            parser.add_argument(flag, action="append", default=None, metavar="VALUE", help=option.help)
        elif option.kind is dict:
            parser.add_argument(flag, action="append", default=None, metavar="KEY=VALUE", help=option.help)
        else:
            parser.add_argument(
                flag, type=cfg.finite_float if option.kind is float else option.kind, default=None, help=f"{option.help} (default: {option.default})",
                choices=option.choices or None,
            )
    return parser


def merge_cli(settings: dict[str, Any], args: argparse.Namespace, options: Sequence[cfg.Option]) -> None:
    for option in options:
        value = getattr(args, option.dest)
        if value is None:
            continue
        if option.kind is dict:
            value = {**settings[option.dest], **_pairs(option.name, value)}
        elif option.kind is list and option.comma_separated:
            value = [part.strip() for item in value for part in item.split(",") if part.strip()]
            if option.name == "exclude":
                value = settings.get("exclude", []) + value
        settings[option.dest] = value


def _pairs(name: str, values: Sequence[str]) -> dict[str, str]:
    """`--name key=value` flags (each may hold several, comma-separated) as a table."""
    table: dict[str, str] = {}
    for item in (part.strip() for value in values for part in value.split(",") if part.strip()):
        key, sep, value = item.partition("=")
        if not sep or not key.strip() or not value.strip():
            raise HookError(f"--{name} takes KEY=VALUE, got {item!r}")
        table[key.strip()] = value.strip()
    return table


def load_settings(
    hook_id: str, options: Sequence[cfg.Option], config_path: str | None, root: str = "."
) -> dict[str, Any]:
    from hooks._core.registry import HOOK_MODULES

    table, where = cfg.driftgate_table(config_path, root)
    cfg.validate_top_level(table, where, tuple(HOOK_MODULES))
    return cfg.hook_settings(table, where, hook_id, options)


# --- files ------------------------------------------------------------------------


def is_excluded(path: str, patterns: Sequence[str]) -> bool:
    if not patterns:
        return False  # the common case, for every file of a walk
    posix = to_posix(os.path.normpath(path))
    name = posix.rsplit("/", 1)[-1]
    for pattern in patterns:
        pattern = pattern.rstrip("/")
        if fnmatch.fnmatchcase(posix, pattern) or fnmatch.fnmatchcase(name, pattern):
            return True
        if posix.startswith(pattern + "/") or fnmatch.fnmatchcase(posix, pattern + "/*"):
            return True
    return False


def _walk(
    top: str, selects: Callable[[str], bool], exclude: Sequence[str], errors: list[str] | None = None
) -> Iterator[str]:
    def unreadable(exc: OSError) -> None:
        # os.walk skips a directory it cannot list; saying nothing would pass it unchecked
        if errors is not None:
            where = exc.filename if os.path.isabs(top) else os.path.relpath(exc.filename)
            errors.append(f"{where}: cannot read directory: {exc.strerror or exc}")

    for dirpath, dirnames, filenames in os.walk(top, onerror=unreadable):
        dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS)
        # relative to the cwd once per directory, not per file (a warm run is mostly this);
        # a relative dirpath below a relative top is relpath's answer already once normalised
        folder = dirpath if os.path.isabs(top) else _relative(dirpath)
        prefix = "" if folder == "." else folder if folder.endswith(os.sep) else folder + os.sep
        for name in sorted(filenames):
            rel = prefix + name
            if selects(rel) and not is_excluded(rel, exclude):
                yield rel


def _relative(dirpath: str) -> str:
    normal = os.path.normpath(dirpath)
    # only a path that climbs out (`../x`) can differ from relpath's (`../b/x` from b is `x`)
    return os.path.relpath(dirpath) if normal.startswith("..") else normal


def expand_paths(
    paths: Sequence[str], selects: Callable[[str], bool], exclude: Sequence[str]
) -> tuple[list[str], list[str]]:
    """Files to check and error lines. Files passed by name are kept whatever their suffix
    (pre-commit already filtered them); directories are walked and filtered."""
    files: list[str] = []
    errors: list[str] = []
    for path in paths:
        # one stat per path (isdir then lexists took two: 1,500 files passed by name cost ~3 ms)
        try:
            is_dir = stat.S_ISDIR(os.stat(path).st_mode)
        except (OSError, ValueError):
            is_dir = False
            if not os.path.lexists(path):  # a dangling symlink exists, and is reported by the hook
                errors.append(f"{path}: no such file")
                continue
        if is_dir:
            files.extend(_walk(path, selects, exclude, errors))
        elif not exclude or not is_excluded(path, exclude):
            files.append(path)
    return files, list(dict.fromkeys(errors))


def scan_files(path: str) -> tuple[str, list[str]]:
    """The root to run from and the files under `path`, relative to that root: the files git
    tracks when `path` is in a repository, else every file below it. Changes into the root."""
    from hooks._core.git import inside_git_dir, repo_root, tracked_files

    if not os.path.isdir(path):
        raise HookError(f"{path}: not a directory; pass the directory to scan")
    root = repo_root(path)
    if root is None:
        if inside_git_dir(path):
            raise HookError(
                f"{path}: is a bare repository or inside a .git directory, which has no work tree "
                "to scan; run it on a clone's work tree"
            )
        root = os.path.abspath(path)
        os.chdir(root)
        files, errors = expand_paths(["."], lambda _: True, [])
        if errors:
            more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
            raise HookError(f"{errors[0]}{more}; fix the permissions or scan another directory")
        return root, [os.path.normpath(f) for f in files]
    # git names the root with symlinks resolved: so must the path (a symlinked checkout)
    prefix = os.path.relpath(os.path.realpath(path), os.path.realpath(root))
    os.chdir(root)
    files = tracked_files(root)
    if prefix != ".":
        files = [f for f in files if f.startswith(prefix.replace(os.sep, "/") + "/")]
    return root, files


# --- running ----------------------------------------------------------------------


def collect(hook: FileHook, run: CheckRun) -> list[Finding]:
    """Run the hook's check and keep enabled, unsuppressed findings, sorted; files whose
    findings are cached (FileHook.cache_context) are not checked again."""
    context = hook.cache_context(run) if hook.cache_context is not None else None
    if context is None or not run.paths:
        return _collect(hook, run)
    from hooks._core import filecache

    pack = filecache.Pack(hook.id, filecache.settings_key(run.settings), os.path.abspath(run.root), context)
    found: list[Finding] = []
    tokens: dict[str, tuple[Any, str]] = {}
    for path in run.paths:
        extra = hook.file_context(path) if hook.file_context is not None else ""
        value, token = (None, None) if hook.uncacheable is not None and hook.uncacheable(path) else pack.lookup(path, extra)
        cached = _cached_findings(value, path, hook.id)
        if cached is None:
            tokens[path] = (token, extra)
        else:
            found.extend(cached)
    if tokens:
        all_paths, run.paths = run.paths, list(tokens)
        try:
            fresh = _collect(hook, run)
        finally:
            run.paths = all_paths
        found.extend(fresh)
        _store(pack, tokens, fresh, run.errors)
    else:
        pack.save()  # entries whose stat signature settled
    return sorted(found, key=Finding.sort_key)


def _cached_findings(value: Any, path: str, hook_id: str) -> list[Finding] | None:
    """A pack entry back as findings; None for a miss or an entry of the wrong shape."""
    if not isinstance(value, list):
        return None
    try:
        return [Finding(path, int(line), int(col), str(code), str(message), hook_id)
                for line, col, code, message in value]
    except (TypeError, ValueError):
        return None


def _store(pack: Any, tokens: dict[str, tuple[Any, str]], findings: list[Finding], errors: list[str]) -> None:
    """Remember each checked file's findings, except for files that printed something other
    than findings (errors, skipped, too new to parse): those must say it again next time."""
    from hooks._core.files import reported_skipped

    by_path: dict[str, list[list[Any]]] = {path: [] for path in tokens}
    for finding in findings:
        if finding.path not in by_path:
            return  # a finding about a file it was not given: its results are not per file
        by_path[finding.path].append([finding.line, finding.col, finding.code, finding.message])
    noisy = set(too_new()) | reported_skipped()
    for path, entries in by_path.items():
        token, extra = tokens[path]
        if path in noisy or any(e.startswith(path + ":") for e in errors):
            continue
        pack.put(path, token, entries, extra)
    pack.save()


def _collect(hook: FileHook, run: CheckRun) -> list[Finding]:
    """Run the hook's check over run.paths and keep enabled, unsuppressed findings, sorted."""
    codes = enabled_codes(hook.rules, run.settings)
    # Parsed trees are acyclic and die with each file; the cycle collector would only walk
    # them over and over (15 to 20% of a large run).
    collector_was_on = gc.isenabled()
    gc.disable()
    try:
        raw = [f for f in hook.check(run) if f.code in codes]
    except RecursionError:
        raise HookError(f"{hook.id}: input nested too deeply to analyse") from None
    finally:
        if collector_was_on:
            gc.enable()
    kept = drop_suppressed(raw, run.sources.line)
    return sorted(kept, key=Finding.sort_key)


def report_error(prog: str, message: str) -> None:
    print(f"{prog}: error: {message}", file=sys.stderr)


def run_command_hook(
    hook_id: str,
    description: str,
    options: Sequence[cfg.Option],
    argv: Sequence[str] | None,
    add_arguments: Callable[[argparse.ArgumentParser], None],
    find: Callable[[argparse.Namespace, dict[str, Any]], list[Finding]],
) -> int:
    """The life of a hook that checks something other than files (commit messages, ranges,
    the staged diff): settings, `find(args, settings)`, line output, exit status, and the
    crash guard. `add_arguments` must add `--format`."""

    def body() -> int:
        try:
            args, settings = parse_settings(hook_id, description, options, argv, add_arguments)
            findings = find(args, settings)
        except HookError as exc:
            report_error(hook_id, str(exc))
            return EXIT_ERROR
        write_lines(findings, args.format, sys.stdout)
        return EXIT_FINDINGS if findings else EXIT_OK

    return guarded(hook_id, body)


def guarded(name: str, body: Callable[[], int]) -> int:
    """`body()`, with any unexpected exception turned into one stderr line and exit 3 (a
    crash must never look like findings, exit 1). DRIFTGATE_DEBUG=1 prints the traceback."""
    # A hook process keeps nearly all it allocates until it ends (modules, indexes, parsed
    # trees): the cyclic collector would only walk that heap again and again, at import too
    # (~9 ms of a commit; `collect` already turns it off while a check runs). Issue 15.
    collector_was_on = gc.isenabled()
    gc.disable()
    try:
        code = body()
        # The work is done and the process is about to end: what is alive now lives until
        # the end. Frozen, the interpreter's final collections skip it (a commit's heap of
        # trees, indexes and detect-secrets: 20-40 ms of every hook process's exit, issue 15).
        gc.freeze()
        return code
    except BrokenPipeError:
        # the reader (`| head`) left early: no traceback, and no second error at exit
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_FINDINGS
    except Exception as exc:  # the top-level guard: everything else is a bug of ours
        report_internal(name, exc)
        return EXIT_INTERNAL
    finally:
        if collector_was_on:
            gc.enable()


def report_internal(name: str, exc: BaseException) -> None:
    if os.environ.get("DRIFTGATE_DEBUG", "") not in ("", "0"):
        import traceback

        traceback.print_exception(type(exc), exc, exc.__traceback__, file=sys.stderr)
    # one line, and short: an exception's text may quote the input it choked on
    detail = " ".join(str(exc).split())[:200]
    what = f"{type(exc).__name__}: {detail}" if detail else type(exc).__name__
    print(
        f"driftgate: internal error in {name}: {what} (set DRIFTGATE_DEBUG=1 for the traceback)",
        file=sys.stderr,
    )


def run_hook(hook: FileHook, argv: Sequence[str] | None = None) -> int:
    return guarded(hook.id, lambda: _run_hook(hook, argv))


def _run_hook(hook: FileHook, argv: Sequence[str] | None = None) -> int:
    def add_arguments(parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--format", choices=LINE_FORMATS, default="text", help="output format")
        parser.add_argument("files", nargs="*", help="files (or directories) to check")

    try:
        args, settings = parse_settings(
            hook.id, hook.description, (*COMMON_OPTIONS, *hook.options), argv, add_arguments
        )
        paths, missing = expand_paths(args.files, hook.selects, settings["exclude"])
        forget_digests()
        run = CheckRun(hook.id, paths, settings)
        findings = collect(hook, run)
    except HookError as exc:
        report_error(hook.id, str(exc))
        return EXIT_ERROR
    write_lines(findings, args.format, sys.stdout)
    errors = missing + run.errors
    unchecked = unchecked_python_message()
    if unchecked and settings.get("strict"):
        errors.append(unchecked + "; or drop --strict to skip them")
    elif unchecked:
        print(f"{hook.id}: warning: {unchecked}", file=sys.stderr)
    for message in errors:
        report_error(hook.id, message)
    if errors:
        return EXIT_ERROR
    return EXIT_FINDINGS if findings else EXIT_OK


def unchecked_python_message() -> str:
    """One line for every file this process could not parse because the project targets a
    newer Python than the one running ('' when there is none)."""
    deferred = too_new()
    if not deferred:
        return ""
    return too_new_message(sorted(deferred), next(iter(deferred.values())))


# --- hooks that do not take files -------------------------------------------------


def parse_settings(
    hook_id: str,
    description: str,
    options: Sequence[cfg.Option],
    argv: Sequence[str] | None,
    add_arguments: Callable[[argparse.ArgumentParser], None] | None = None,
    prog: str | None = None,
    root: str = ".",
) -> tuple[argparse.Namespace, dict[str, Any]]:
    """Parse `argv`, load `[tool.driftgate.<hook_id>]` (unknown keys raise HookError) and
    overlay the command-line flags: the life of `run_hook` up to the file list, for hooks
    and commands that work on something other than files (commit messages, ranges).
    `add_arguments` adds the caller's own arguments; `prog` names the command in --help."""
    parser = build_parser(prog or hook_id, description, options)
    if add_arguments is not None:
        add_arguments(parser)
    args = parser.parse_args(argv)
    settings = load_settings(hook_id, options, args.config, root)
    merge_cli(settings, args, options)
    return args, settings
