"""check-hallucinated-apis: imported names, attributes and call keywords that the installed
version of a library (or the target interpreter's standard library) does not have (DG7xx).

The code's own interpreter is found by hooks._core.interpreter (`--python`, config `python`,
VIRTUAL_ENV, .venv/venv, python3) and asked once for its sys.path and version; the
libraries on that path are read statically by the API index in hooks._api (never
imported). Only certain names are checked: whatever is dynamic, guarded, rebound or not
installed is left alone.
"""
from __future__ import annotations

import os

from hooks._core.config import Option
from hooks._core.files import SourceFile, parse_python
from hooks._core.findings import Finding, Rule
from hooks._core.runner import CheckRun, FileHook, per_file, run_hook, suffix_selector

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (~3 ms)
if TYPE_CHECKING:
    from typing import Any, Iterator, Optional, Sequence

HOOK_ID = "check-hallucinated-apis"

RULES = (
    Rule("DG701", "attribute that the installed module or class does not have"),
    Rule("DG702", "call with a keyword the callee does not take, or too many positional arguments"),
    Rule("DG703", "`from module import name`: the installed module has no such name"),
    Rule("DG704", "`import a.b`: the installed package has no such module"),
)

_LISTED: dict[str, frozenset[str]] = {}


def _top_level_names(directory: str) -> frozenset[str]:
    """Modules and regular packages directly in `directory` (listed once per process)."""
    directory = os.path.abspath(directory)
    if directory not in _LISTED:
        names = set()
        try:
            with os.scandir(directory) as entries:
                for entry in entries:
                    name = entry.name
                    if name.endswith(".py"):
                        if name[:-3].isidentifier():
                            names.add(name[:-3])
                    # a directory without __init__ is a namespace portion: an installed regular
                    # package of the same name wins over it at run time (is_dir() is free:
                    # the listing's file type, so only directories cost a stat)
                    elif name.isidentifier() and entry.is_dir() and os.path.isfile(os.path.join(entry.path, "__init__.py")):
                        names.add(name)
        except OSError:
            pass
        _LISTED[directory] = frozenset(names)
    return _LISTED[directory]


def _root_names(root: str) -> frozenset[str]:
    """Top-level names the repository provides at its root and under src/."""
    return _top_level_names(root) | _top_level_names(os.path.join(root, "src"))


def first_party_names(root: str, path: str) -> frozenset[str]:
    """Top-level names the repository provides: at its root, under src/, and next to the
    checked file (a script's sibling modules)."""
    return _root_names(root) | _top_level_names(os.path.dirname(path) or ".")


# --- the hook ---------------------------------------------------------------------------

_INDEX: dict[tuple[str, str], Any] = {}


def _index_for(settings: dict[str, Any], root: str) -> Any:
    """One index per process (forked workers inherit it)."""
    from hooks._api import default_cache_dir, index_for_interpreter
    from hooks._core.interpreter import project_interpreter

    key = (settings.get("python") or "", root)
    if key not in _INDEX:
        interpreter = project_interpreter(root, settings.get("python") or None)
        _INDEX[key] = index_for_interpreter(
            interpreter, cache_dir=default_cache_dir(), executable=interpreter.executable)
    return _INDEX[key]


def check_source(source: SourceFile, settings: dict[str, Any]) -> list[Finding]:
    root = settings.get("_root", ".")
    index = _index_for(settings, root)
    try:
        tree = parse_python(source)
    except (SyntaxError, ValueError, MemoryError, RecursionError):
        return []  # check-nesting reports files that do not parse (DG500)
    from hooks.check_hallucinated_apis._checker import Checker

    checker = Checker(source, tree, index, root)
    checker.check_tree(tree)
    return checker.findings


# --- results per file, for warm runs ---------------------------------------------------
# A file's findings depend on its text, the names next to it and at the repository root
# (first-party shadowing), the environment (interpreter, version, what is installed) and
# this code. The runner keeps them per file (hooks._core.filecache; the code is in its key):
# the environment is this hook's cache context, the names next to a file its file context.
# A warm run over unchanged files parses nothing.

_ENVIRONMENT_KEYS: dict[tuple[str, str], Optional[str]] = {}


def _environment_key(interpreter: Any, root: str) -> Optional[str]:
    """None when a search path holds source that may change in place (an editable
    install's directory, a PYTHONPATH entry): then results are not cached. Read from the
    interpreter's answers alone, so a warm run does not even load the API index."""
    memo = (interpreter.executable, os.path.abspath(root))
    if memo in _ENVIRONMENT_KEYS:
        return _ENVIRONMENT_KEYS[memo]
    from hooks._core.cache import digest

    parts = [repr(interpreter.version), str(interpreter.executable)]
    key: Optional[str] = None
    try:
        # the index's search paths (hooks._api.finder.Finder keeps the existing directories)
        for path in (p for p in interpreter.sys_path if p and os.path.isdir(p)):
            real = os.path.realpath(path)
            installed = any(p in real for p in ("site-packages", "dist-packages")) or (
                interpreter.stdlib is not None and real.startswith(interpreter.stdlib))
            if not installed:
                raise LookupError(path)
            # installing, upgrading or removing a distribution renames entries here
            parts.append(f"{path}:{os.stat(path).st_mtime_ns}")
        parts.append(",".join(sorted(_root_names(root))))
        key = digest("\0".join(parts).encode("utf-8", "surrogateescape"))
    except (OSError, LookupError):
        key = None
    _ENVIRONMENT_KEYS[memo] = key
    return key


def _cache_context(run: CheckRun) -> Optional[str]:
    from hooks._core.interpreter import project_interpreter

    python = run.settings.get("python") or None
    return _environment_key(project_interpreter(run.root, python), run.root)


_NEXT_TO: dict[str, str] = {}


def _names_next_to(path: str) -> str:
    folder = os.path.dirname(path)
    if folder not in _NEXT_TO:
        _NEXT_TO[folder] = ",".join(sorted(_top_level_names(folder or ".")))
    return _NEXT_TO[folder]


_per_file = per_file(check_source)


def check(run: CheckRun) -> Iterator[Finding]:
    settings = dict(run.settings, _root=run.root)
    _index_for(settings, run.root)  # discover the interpreter before any worker forks
    run.settings = settings
    yield from _per_file(run)


HOOK = FileHook(
    id=HOOK_ID,
    description="Report imported names, attributes and call keywords that the installed libraries do not have.",
    rules=RULES,
    selects=suffix_selector(".py"),
    check=check,
    options=(Option("python", str, "", "the project's interpreter or venv (default: VIRTUAL_ENV, .venv, venv, python3)"),),
    cache_context=_cache_context,
    file_context=_names_next_to,
)


def main(argv: Sequence[str] | None = None) -> int:
    return run_hook(HOOK, argv)


if __name__ == "__main__":
    raise SystemExit(main())
