"""check-env-vars: every environment variable the code reads is declared where it is
deployed (DG4xx).

Reads come from the files passed (Python and the JS/TS family); declarations come from the
whole repository, read once per process (see declarations.py), so pre-commit's splitting of
the file list across parallel processes changes nothing: each process reads them itself.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Iterator, Sequence

from hooks._core.config import Option
from hooks._core.files import SourceFile, to_posix
from hooks._core.findings import Finding, Rule
from hooks._core.runner import CheckRun, FileHook, enabled_codes, is_excluded, run_hook

if TYPE_CHECKING:  # the real imports happen when the hook runs, not when it is imported
    from hooks.check_env_vars.declarations import DeclarationSet
    from hooks.check_env_vars.model import FileReads, Read
    from hooks.check_env_vars.reads_js import JsHelperIndex
    from hooks.check_env_vars.reads_python import HelperIndex

HOOK_ID = "check-env-vars"

RULES = (
    Rule("DG401", "environment variable read (with a default) but declared in no deployment file"),
    Rule("DG402", "required environment variable (no default: the program fails at start "
                  "without it) read but declared in no deployment file"),
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
)


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
    from hooks.check_env_vars import declarations
    from hooks.check_env_vars.reads_js import JsHelperIndex
    from hooks.check_env_vars.reads_python import HelperIndex

    git_top = repo_root(root)
    top = os.path.abspath(git_top if git_top is not None else root)
    extra = tuple(settings["declaration_files"])
    exclude = tuple(settings["exclude"])
    key = (top, extra, exclude)
    if key not in _REPOSITORIES:
        files = declarations.repository_files(top, git_top is not None)
        found = declarations.collect(top, files, extra, lambda p: is_excluded(p, exclude))
        _REPOSITORIES[key] = _Repository(top, files, found, HelperIndex(top), JsHelperIndex(top))
    return _REPOSITORIES[key]


def _display(repo: _Repository, path: str) -> str:
    return to_posix(os.path.relpath(os.path.join(repo.top, path)))


def _is_platform(name: str, case_insensitive: bool, settings: dict[str, Any]) -> bool:
    """Set by the OS, runtime, CI or host (the allowlist plus `allow`): never a finding."""
    from hooks.check_env_vars.platform import is_platform, matches_any

    return is_platform(name) or matches_any(name, settings["allow"], case_insensitive)


def _undeclared(read: Read, repo: _Repository, settings: dict[str, Any]) -> bool:
    from hooks.check_env_vars.platform import matches_any

    for name in read.names:
        if repo.declarations.declares(name, read.case_insensitive):
            return False
        if _is_platform(name, read.case_insensitive, settings):
            return False
        if matches_any(name, settings["declared"], read.case_insensitive):
            return False
    return True


def _read_finding(path: str, read: Read) -> Finding:
    others = f" (or {', '.join(read.alternatives)})" if read.alternatives else ""
    if read.required:
        message = (f"{read.name}{others} is required ({read.how}: no default, the program "
                   "fails at start without it) but declared nowhere")
        return Finding(path, read.line, read.col, "DG402", message, HOOK_ID)
    message = f"{read.name}{others} is read ({read.how}) but declared nowhere"
    return Finding(path, read.line, read.col, "DG401", message, HOOK_ID)


def _reads_of(source: SourceFile, repo: _Repository, known_helpers: set[str]) -> FileReads | None:
    """The file's reads, or None when a cheap look shows it cannot read the environment."""
    if source.path.endswith(JS_SUFFIXES):
        from hooks.check_env_vars.reads_js import js_reads

        return js_reads(source, repo.js_helpers)
    from hooks.check_env_vars.reads_python import mentions_env, python_reads

    if mentions_env(source.text, known_helpers):
        return python_reads(source, repo.helpers)
    return None


def check(run: CheckRun) -> Iterator[Finding]:
    repo = repository(run.root, run.settings)
    run.errors.extend(repo.declarations.errors)
    all_reads: list[FileReads] = []
    quiet: list[SourceFile] = []
    for source in run.sources_iter():
        reads = _reads_of(source, repo, set())
        if reads is None:
            quiet.append(source)  # may still call a helper learned from another file
            continue
        all_reads.append(reads)
        yield from (_read_finding(source.path, r) for r in reads.reads
                    if _undeclared(r, repo, run.settings))
    known = repo.helpers.known_names
    for source in quiet if known else ():
        reads = _reads_of(source, repo, known)
        if reads is not None:
            all_reads.append(reads)
            yield from (_read_finding(source.path, r) for r in reads.reads
                        if _undeclared(r, repo, run.settings))
    if "DG410" in enabled_codes(RULES, run.settings) and _covers_every_code_file(run, repo):
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
