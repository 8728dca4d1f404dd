"""check-env-vars: every environment variable the code reads is declared where it is
deployed (DG4xx).

Reads come from the files passed (Python and the JS/TS family); declarations come from the
whole repository, read once per process (see declarations.py), so pre-commit's splitting of
the file list across parallel processes changes nothing: each process reads them itself.
Findings are grouped per variable within one process (one finding per variable per run).
Test code and minified/vendored files are skipped unless `check-tests` / `check-vendored`.
"""
from __future__ import annotations

import os
import re
from hooks._core.record import dataclass

from hooks._core.config import Option
from hooks._core.files import SourceFile, to_posix
from hooks._core.findings import Finding, Rule
from hooks._core.runner import CheckRun, FileHook, enabled_codes, is_excluded, run_hook
from hooks._core.suppress import suppressed_codes

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (~3 ms)
if TYPE_CHECKING:
    from typing import Any, Iterator, Sequence

if TYPE_CHECKING:  # the real imports happen when the hook runs, not when it is imported
    from hooks._env.model import FileReads, Read
    from hooks._env.reads_js import JsHelperIndex
    from hooks._env.reads_python import HelperIndex
    from hooks.check_env_vars.declarations import DeclarationSet
    from hooks.check_env_vars.model import Declaration

HOOK_ID = "check-env-vars"

RULES = (
    Rule("DG401", "environment variable read (with a default) but declared in no deployment file"),
    Rule("DG402", "required environment variable (no default: the program fails at start "
                  "without it) read but declared in no deployment file"),
    Rule("DG403", "required environment variable read inside a function (no default: the "
                  "function fails when called without it) but declared in no deployment file"),
    Rule("DG404", "environment variable only documented (docs, commented-out examples), set "
                  "by no deployment file", enabled_by_default=False),
    Rule("DG410", "environment variable declared in a deployment file but read by no code "
                  "(only reported when the run covers every code file)", enabled_by_default=False),
)

PYTHON_SUFFIXES = (".py",)
JS_SUFFIXES = (".js", ".mjs", ".cjs", ".jsx", ".ts", ".tsx", ".mts", ".cts", ".vue", ".svelte")
CODE_SUFFIXES = PYTHON_SUFFIXES + JS_SUFFIXES

OPTIONS = (
    Option("declared", list, [],
           "variables declared where the hook cannot see (a secrets manager, a PaaS dashboard): "
           "names or globs"),
    Option("declaration-files", list, [],
           "more files (globs) that declare variables: YAML, JSON, Dockerfile or KEY=value lines"),
    Option("allow", list, [],
           "more platform variables nobody has to declare: names or globs such as AWS_*"),
    Option("check-tests", bool, False,
           "also report reads in test code (tests/, test_*.py, *_test.py, conftest.py, *.test.ts, ...)"),
    Option("check-vendored", bool, False,
           "also read minified and vendored files (*.min.js, vendor/, node_modules/, dist/, "
           "JS/TS lines over 5,000 characters)"),
)

# Test code: reads of switches nobody deploys (`SLOW_TESTS`), skipped unless `check-tests`.
_TEST_DIRS = frozenset({"tests", "test", "__tests__"})
_TEST_FILE = re.compile(
    r"test_[^/]*\.py\Z|[^/]*_test\.py\Z|conftest\.py\Z|[^/]*\.(?:test|spec)\.[cm]?[jt]sx?\Z"
)
# Vendored and generated code: not the project's reads, skipped unless `check-vendored`.
_VENDORED_DIRS = frozenset({"vendor", "node_modules", "dist"})
_MINIFIED = re.compile(r"[^/]*\.min\.[cm]?js\Z")
MAX_LINE = 5000


def is_test_path(path: str) -> bool:
    parts = to_posix(os.path.normpath(path)).split("/")
    return bool(_TEST_DIRS.intersection(parts[:-1])) or bool(_TEST_FILE.match(parts[-1]))


def is_vendored_path(path: str) -> bool:
    parts = to_posix(os.path.normpath(path)).split("/")
    return bool(_VENDORED_DIRS.intersection(parts[:-1])) or bool(_MINIFIED.match(parts[-1]))


def has_long_line(text: str, limit: int = MAX_LINE) -> bool:
    """A line longer than `limit` characters: minified or generated code."""
    start = 0
    while True:
        end = text.find("\n", start)
        if end < 0:
            return len(text) - start > limit
        if end - start > limit:
            return True
        start = end + 1


def selects(path: str) -> bool:
    return path.endswith(CODE_SUFFIXES)


@dataclass
class _Repository:
    top: str  # absolute
    files: list[str]  # relative to top, posix
    declarations: DeclarationSet
    helpers: HelperIndex
    js_helpers: JsHelperIndex


_REPOSITORIES: dict[tuple[str, tuple[str, ...], tuple[str, ...]], _Repository] = {}


def repository(root: str, settings: dict[str, Any]) -> _Repository:
    """The repository's declarations, computed once per process."""
    from hooks._core.git import repo_root
    from hooks._env.reads_js import JsHelperIndex
    from hooks._env.reads_python import HelperIndex
    from hooks.check_env_vars import declarations

    git_top = repo_root(root)
    top = os.path.abspath(git_top if git_top is not None else root)
    extra = tuple(settings["declaration_files"])
    exclude = tuple(settings["exclude"])
    key = (top, extra, exclude)
    if key not in _REPOSITORIES:
        files = declarations.repository_files(top, git_top is not None)
        found = declarations.collect(top, files, extra, lambda p: is_excluded(p, exclude),
                                     in_git=git_top is not None)
        _REPOSITORIES[key] = _Repository(top, files, found, HelperIndex(top), JsHelperIndex(top))
    return _REPOSITORIES[key]


def _display(repo: _Repository, path: str) -> str:
    return to_posix(os.path.relpath(os.path.join(repo.top, path)))


def _is_platform(name: str, case_insensitive: bool, settings: dict[str, Any]) -> bool:
    """Set by the OS, runtime, CI or host (the allowlist plus `allow`): never a finding."""
    from hooks._env.platform import is_platform, matches_any

    return is_platform(name) or matches_any(name, settings["allow"], case_insensitive)


_UNDECLARED, _DOCUMENTED = "undeclared", "documented"


def _judge(read: Read, repo: _Repository, settings: dict[str, Any]) -> tuple[str, Declaration | None] | None:
    """None when a deployment file (or the platform, or the settings) declares the read's
    variable; (`documented`, the page) when only documentation names it; else (`undeclared`,
    None)."""
    from hooks._env.platform import matches_any

    documented: Declaration | None = None
    for name in read.names:
        if _is_platform(name, read.case_insensitive, settings):
            return None
        if matches_any(name, settings["declared"], read.case_insensitive):
            return None
        site = repo.declarations.find(name, read.case_insensitive)
        if site is not None and not site.documentation:
            return None
        documented = documented or site
    return (_DOCUMENTED, documented) if documented is not None else (_UNDECLARED, None)


# When a variable is read in several places, its finding takes the most serious code.
_SEVERITY = {"DG402": 0, "DG403": 1, "DG401": 2, "DG404": 3}


@dataclass
class _Candidate:
    path: str
    read: Read
    code: str
    documented: Declaration | None


def _code_of(read: Read, verdict: str) -> str:
    if verdict == _DOCUMENTED:
        return "DG404"
    if read.required:
        return "DG403" if read.function else "DG402"
    return "DG401"


def _finding(repo: _Repository, first: _Candidate, more: int) -> Finding:
    read = first.read
    others = f" (or {', '.join(read.alternatives)})" if read.alternatives else ""
    tail = f" (and {more} more read{'s' if more > 1 else ''})" if more else ""
    if first.code == "DG404":
        site = first.documented
        where = f"{_display(repo, site.path)}:{site.line}" if site is not None else "?"
        message = (f"{read.name}{others} is read ({read.how}) and documented in {where}, but "
                   f"no deployment file sets it{tail}")
    elif first.code == "DG402":
        message = (f"{read.name}{others} is required ({read.how}: no default, the program "
                   f"fails at start without it) but declared nowhere{tail}")
    elif first.code == "DG403":
        message = (f"{read.name}{others} is required ({read.how}: no default, "
                   f"{read.function}() fails when called without it) but declared nowhere{tail}")
    else:
        message = f"{read.name}{others} is read ({read.how}) but declared nowhere{tail}"
    return Finding(first.path, read.line, read.col, first.code, message, HOOK_ID)


def _one_per_variable(repo: _Repository, candidates: list[_Candidate]) -> Iterator[Finding]:
    """One finding per variable: at the first read of its most serious code, counting the
    other places (distinct lines) that read it."""
    groups: dict[str, list[_Candidate]] = {}
    for candidate in candidates:
        groups.setdefault(candidate.read.name, []).append(candidate)
    for group in groups.values():
        group.sort(key=lambda c: (_SEVERITY[c.code], c.path, c.read.line, c.read.col))
        first = group[0]
        sites = {(c.path, c.read.line) for c in group} - {(first.path, first.read.line)}
        yield _finding(repo, first, len(sites))


def _suppressed(run: CheckRun, path: str, line: int, code: str) -> bool:
    codes = suppressed_codes(run.sources.line(path, line))
    return codes is not None and (not codes or code in codes)


def _reads_of(source: SourceFile, repo: _Repository, known_helpers: set[str]) -> FileReads | None:
    """The file's reads, or None when a cheap look shows it cannot read the environment."""
    if source.path.endswith(JS_SUFFIXES):
        from hooks._env.reads_js import js_reads

        return js_reads(source, repo.js_helpers)
    from hooks._env.reads_python import mentions_env, python_reads

    if mentions_env(source.text, known_helpers):
        return python_reads(source, repo.helpers)
    return None


def _self_documented(source: SourceFile, read: Read, repo: _Repository) -> tuple[str, Declaration] | None:
    """A script that documents its own variable in its usage text or a comment
    (`$ HTTPIE_COMMAND="..." python bench.py`, `# export API_TOKEN=...`): documentation."""
    from hooks.check_env_vars.model import Declaration

    pattern = re.compile(rf"^[ \t#*>-]*(?:\$[ \t]+)?(?:export[ \t]+)?{re.escape(read.name)}=",
                         re.MULTILINE)
    m = pattern.search(source.text)
    if m is None:
        return None
    line = source.text.count("\n", 0, m.start()) + 1
    path = to_posix(os.path.relpath(os.path.abspath(source.path), repo.top))
    return _DOCUMENTED, Declaration(read.name, path, line, 1, "usage text", False, True)


def _skipped(source: SourceFile, settings: dict[str, Any]) -> bool:
    """Minified and vendored files are not the project's code (unless `check-vendored`)."""
    if settings["check_vendored"]:
        return False
    if is_vendored_path(source.path):
        return True
    return source.path.endswith(JS_SUFFIXES) and has_long_line(source.text)


def check(run: CheckRun) -> Iterator[Finding]:
    repo = repository(run.root, run.settings)
    run.errors.extend(repo.declarations.errors)
    codes = enabled_codes(RULES, run.settings)
    all_reads: list[FileReads] = []
    candidates: list[_Candidate] = []
    quiet: list[SourceFile] = []

    def judge(source: SourceFile, reads: FileReads) -> None:
        all_reads.append(reads)
        if is_test_path(source.path) and not run.settings["check_tests"]:
            return  # read for DG410 only: test code is not what gets deployed
        for read in reads.reads:
            verdict = _judge(read, repo, run.settings)
            if verdict is None:
                continue
            if verdict[0] == _UNDECLARED:
                verdict = _self_documented(source, read, repo) or verdict
            code = _code_of(read, verdict[0])
            if code in codes and not _suppressed(run, source.path, read.line, code):
                candidates.append(_Candidate(source.path, read, code, verdict[1]))

    for source in run.sources_iter():
        if _skipped(source, run.settings):
            continue
        if is_test_path(source.path) and not run.settings["check_tests"] and "DG410" not in codes:
            continue
        reads = _reads_of(source, repo, set())
        if reads is None:
            quiet.append(source)  # may still call a helper learned from another file
            continue
        judge(source, reads)
    known = repo.helpers.known_names
    for source in quiet if known else ():
        reads = _reads_of(source, repo, known)
        if reads is not None:
            judge(source, reads)
    yield from _one_per_variable(repo, candidates)
    if "DG410" in codes and _covers_every_code_file(run, repo):
        yield from _unused(all_reads, repo, run.settings)


def _covers_every_code_file(run: CheckRun, repo: _Repository) -> bool:
    """DG410 needs every read in the repository: only a run given all code files has them."""
    given = {os.path.abspath(p) for p in run.paths}
    exclude = run.settings["exclude"]
    return all(
        os.path.join(repo.top, *path.split("/")) in given
        for path in repo.files
        if selects(path) and not is_excluded(path, exclude)
    )


def _unused(
    all_reads: list[FileReads], repo: _Repository, settings: dict[str, Any]
) -> Iterator[Finding]:
    exact = {name for reads in all_reads for r in reads.reads for name in r.names}
    folded = {name.lower() for reads in all_reads for r in reads.reads if r.case_insensitive
              for name in r.names}
    prefixes = tuple(p for reads in all_reads for p in reads.dynamic_prefixes)
    for decl in repo.declarations.sites:
        name = decl.name
        if not decl.reportable or name in exact or name.lower() in folded:
            continue
        if (prefixes and name.startswith(prefixes)) or _is_platform(name, False, settings):
            continue
        yield Finding(_display(repo, decl.path), decl.line, decl.col, "DG410",
                      f"{name} is declared here ({decl.kind}) but no code reads it", HOOK_ID)


HOOK = FileHook(
    id=HOOK_ID,
    description="Report environment variables the code reads that no deployment file declares.",
    rules=RULES,
    selects=selects,
    check=check,
    options=OPTIONS,
)


def main(argv: Sequence[str] | None = None) -> int:
    return run_hook(HOOK, argv)
