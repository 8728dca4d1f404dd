"""check-undeclared-imports: imports that no declared dependency provides (DG2xx).

An import resolves when it is stdlib, first-party (a module or package in one of the
project's source roots, see hooks/_deps/roots.py; relative imports always), or provided by a declared
dependency: exactly, from the installed metadata of the running environment when it has
the distribution, else from a bundled map of import names that differ from their
distribution, else by normalized name. What is left is an undeclared dependency (DG201)
or, when no distribution provides it anywhere (not installed, not on the index), a likely
hallucination (DG202). A network hook for that last question only.
"""
from __future__ import annotations

import ast
import os
import sys
from dataclasses import dataclass
from typing import Any, Iterator, Sequence

from hooks._core.config import Option
from hooks._core.files import SourceFile, parse_python
from hooks._core.findings import Finding, HookError, Rule, char_col
from hooks._core.runner import CheckRun, FileHook, enabled_codes, run_hook, suffix_selector

HOOK_ID = "check-undeclared-imports"

RULES = (
    Rule("DG201", "import provided by a distribution that is not declared"),
    Rule("DG202", "import that no distribution provides: likely hallucinated"),
    Rule("DG203", "undeclared import under TYPE_CHECKING or in an ImportError fallback", enabled_by_default=False),
)

OPTIONS = (
    Option("index-url", str, "", "package index URL (default: pip's configuration, then pip's default)"),
    Option("extra-index-url", list, [], "additional package index URLs"),
    Option("offline", bool, False, "use cached index answers only, never the network"),
    Option("on-network-error", str, "error", "what an unreachable index does", ("error", "warn")),
    Option("timeout", float, 10.0, "seconds to wait for an index answer"),
    Option("known-first-party", list, [], "top-level import names that belong to this repository"),
)

_ROOT_MANIFESTS = ("pyproject.toml", "setup.cfg")


@dataclass(frozen=True)
class Imported:
    module: str  # dotted module path as written (`from a.b import c` -> a.b)
    line: int
    col: int
    guarded: bool  # under TYPE_CHECKING or inside a try/except ImportError
    full: str = ""  # with the imported name (a.b.c): `from google.cloud import storage`

    @property
    def top(self) -> str:
        return self.module.split(".", 1)[0]

    @property
    def path(self) -> str:
        return self.full or self.module


# --- collecting imports -------------------------------------------------------------


def _catches_import_error(handler: ast.ExceptHandler) -> bool:
    names = {"ImportError", "ModuleNotFoundError"}
    kind = handler.type
    if kind is None:
        return True
    options = kind.elts if isinstance(kind, ast.Tuple) else [kind]
    return any(isinstance(o, ast.Name) and o.id in names for o in options)


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def collect_imports(tree: ast.AST, source: SourceFile) -> list[Imported]:
    found: list[Imported] = []

    def add(node: ast.stmt, module: str, guarded: bool, full: str = "") -> None:
        col = char_col(source.line(node.lineno), node.col_offset)
        found.append(Imported(module, node.lineno, col, guarded, full))

    def visit(nodes: Sequence[ast.AST], guarded: bool) -> None:
        for node in nodes:
            if isinstance(node, ast.Import):
                for alias in node.names:
                    add(node, alias.name, guarded)
            elif isinstance(node, ast.ImportFrom):
                if node.level == 0 and node.module:
                    for alias in node.names:
                        add(node, node.module, guarded, f"{node.module}.{alias.name}")
            elif isinstance(node, ast.If) and _is_type_checking(node.test):
                visit(node.body, True)
                visit(node.orelse, guarded)
            elif isinstance(node, ast.Try) or type(node).__name__ == "TryStar":
                fallback = any(_catches_import_error(h) for h in node.handlers)  # type: ignore[attr-defined]
                visit(node.body, guarded or fallback)  # type: ignore[attr-defined]
                for handler in node.handlers:  # type: ignore[attr-defined]
                    visit(handler.body, guarded or fallback)
                visit(node.orelse + node.finalbody, guarded)  # type: ignore[attr-defined]
            else:
                visit(_statement_blocks(node), guarded)

    visit(getattr(tree, "body", []), False)
    return found


_BLOCK_FIELDS = ("body", "orelse", "finalbody", "handlers", "cases")


def _statement_blocks(node: ast.AST) -> list[ast.AST]:
    """The statements nested in `node` (imports are statements: expressions never hold one)."""
    nested: list[ast.AST] = []
    for name in _BLOCK_FIELDS:
        value = getattr(node, name, None)
        if isinstance(value, list):
            nested.extend(value)
    return nested


def parse(source: SourceFile) -> ast.AST | None:
    try:
        return parse_python(source)
    except (SyntaxError, ValueError, MemoryError, RecursionError):
        return None  # not Python we can read: check-nesting reports it (DG500)


# --- what resolves ------------------------------------------------------------------


def stdlib_names() -> frozenset[str]:
    names = getattr(sys, "stdlib_module_names", None)
    if names is not None:
        return frozenset(names) | {"__future__"}
    import sysconfig  # Python 3.9: list the stdlib directory

    stdlib = sysconfig.get_paths()["stdlib"]
    listed = {n.split(".", 1)[0] for n in os.listdir(stdlib) if n != "site-packages"}
    dynload = os.path.join(stdlib, "lib-dynload")
    if os.path.isdir(dynload):
        listed |= {n.split(".", 1)[0] for n in os.listdir(dynload)}
    return frozenset(listed | set(sys.builtin_module_names) | {"__future__"})


def root_manifests(root: str = ".") -> list[str]:
    from hooks._deps.manifests import is_requirements_file

    paths = [os.path.join(root, name) for name in _ROOT_MANIFESTS]
    for folder in (root, os.path.join(root, "requirements")):
        try:
            paths += [os.path.join(folder, n) for n in sorted(os.listdir(folder))]
        except OSError:
            continue
    seen, out = set(), []
    for path in paths:
        rel = os.path.normpath(path)
        if rel not in seen and os.path.isfile(rel) and (
            os.path.basename(rel) in _ROOT_MANIFESTS or is_requirements_file(rel)
        ):
            seen.add(rel)
            out.append(rel)
    return out


class Resolver:
    """Answers "does this import resolve?" for one process (everything computed once)."""

    def __init__(self, declared: Sequence[str], local: set[str], has_manifest: bool) -> None:
        from hooks._deps.pkgindex import normalize

        self.declared = {normalize(n) for n in declared}
        self.local = local
        self.has_manifest = has_manifest
        self.stdlib = stdlib_names()
        self._installed_tops: dict[str, set[str]] | None = None
        self._env_map: dict[str, list[str]] | None = None
        self._installed_modules: dict[str, set[str]] | None = None

    def declared_provides(self, imported: Imported) -> bool:
        from hooks._deps.names import NAMESPACES, index_candidates, providers_for_import
        from hooks._deps.pkgindex import normalize

        names = [*providers_for_import(imported.path), *index_candidates(imported.path)]
        if any(normalize(name) in self.declared for name in names):
            return True
        if imported.top in NAMESPACES:  # google.*, azure.*: the exact package decides
            parts = imported.path.split(".")
            prefixes = {".".join(parts[:end]) for end in range(2, len(parts) + 1)}
            return any(prefixes & paths for paths in self.installed_modules().values())
        return any(imported.top in tops for tops in self.installed_tops().values())

    def installed_tops(self) -> dict[str, set[str]]:
        """Declared distribution -> its top-level import names, from installed metadata."""
        if self._installed_tops is None:
            import importlib.metadata as metadata

            tops: dict[str, set[str]] = {}
            for name in self.declared:
                try:
                    dist = metadata.distribution(name)
                except metadata.PackageNotFoundError:
                    continue
                tops[name] = _top_levels(dist)
            self._installed_tops = tops
        return self._installed_tops

    def installed_modules(self) -> dict[str, set[str]]:
        """Declared distribution -> the dotted packages and modules it installs (depth 3)."""
        if self._installed_modules is None:
            import importlib.metadata as metadata

            self._installed_modules = {}
            for name in self.installed_tops():
                self._installed_modules[name] = _module_paths(metadata.distribution(name))
        return self._installed_modules

    def installed_provider(self, top: str) -> str | None:
        if self._env_map is None:
            import importlib.metadata as metadata

            if hasattr(metadata, "packages_distributions"):
                self._env_map = dict(metadata.packages_distributions())
            else:  # Python 3.9
                self._env_map = {}
                for dist in metadata.distributions():
                    for provided in _top_levels(dist):
                        self._env_map.setdefault(provided, []).append(dist.metadata["Name"])
        dists = self._env_map.get(top)
        return dists[0] if dists else None

    def is_local(self, imported: Imported) -> bool:
        return imported.top in self.stdlib or imported.top in self.local


def _top_levels(dist: Any) -> set[str]:
    text = dist.read_text("top_level.txt")
    if text:
        return {line.strip() for line in text.splitlines() if line.strip()}
    tops = set()
    for path in dist.files or ():
        first = str(path).split("/", 1)[0]
        if first.endswith((".dist-info", ".egg-info", ".pth", ".data")) or first in ("..", "__pycache__"):
            continue
        tops.add(first[:-3] if first.endswith(".py") else first)
    return tops


def _module_paths(dist: Any) -> set[str]:
    """`google/cloud/storage/__init__.py` -> google.cloud.storage: real packages and modules
    only, so a namespace level such as google.cloud never counts as provided."""
    paths = set()
    for file in dist.files or ():
        parts = str(file).split("/")
        if not parts[-1].endswith(".py") or len(parts) > 4:
            continue
        if parts[-1] == "__init__.py":
            paths.add(".".join(parts[:-1]))
        else:
            paths.add(".".join([*parts[:-1], parts[-1][:-3]]))
    return paths


# --- the check ----------------------------------------------------------------------


def check(run: CheckRun) -> Iterator[Finding]:
    from hooks._deps.manifests import read_all, read_inline_script
    from hooks._deps.roots import SourceRoots

    manifests = root_manifests(run.root)
    declared = read_all(manifests)
    for problem in declared.problems:  # check-hallucinated-deps reports these as DG100
        print(f"{HOOK_ID}: warning: {problem.path}:{problem.line}: {problem.message}; "
              "what it declares is not counted", file=sys.stderr)
    roots = SourceRoots(run.root)
    local = roots.names | set(run.settings["known_first_party"])
    resolver = Resolver([d.name for d in declared.declared], local, bool(manifests))
    unresolved: list[tuple[SourceFile, Imported, str | None]] = []
    for source in run.sources_iter():
        tree = parse(source)
        if tree is None:
            continue
        script = {d.key for d in read_inline_script(source).declared}
        for imported in collect_imports(tree, source):
            if resolver.is_local(imported) or roots.is_first_party(imported.top, source.path):
                continue
            if (script and _script_provides(imported, script)) or resolver.declared_provides(imported):
                continue
            unresolved.append((source, imported, None))
    if "DG203" not in enabled_codes(RULES, run.settings):
        # guarded imports are only ever DG203: no index question for a finding nobody sees
        unresolved = [item for item in unresolved if not item[1].guarded]
    if not unresolved:
        return
    yield from judge(run.settings, resolver, declared, unresolved)


def _script_provides(imported: Imported, script: set[str]) -> bool:
    from hooks._deps.names import index_candidates, providers_for_import
    from hooks._deps.pkgindex import normalize

    names = [*providers_for_import(imported.path), *index_candidates(imported.path)]
    return any(normalize(name) in script for name in names)


def judge(
    settings: dict[str, Any], resolver: Resolver, declared: Any,
    unresolved: list[tuple[SourceFile, Imported, str | None]],
) -> Iterator[Finding]:
    from hooks._deps.names import NAMESPACES, index_candidates, providers_for_import
    from hooks._deps.pkgindex import normalize

    providers: dict[str, str | None] = {}
    ask_index: list[str] = []
    for _, imported, _ in unresolved:
        if imported.path in providers:
            continue
        installed = None if imported.top in NAMESPACES else resolver.installed_provider(imported.top)
        bundled = providers_for_import(imported.path)
        providers[imported.path] = installed or (bundled[0] if bundled else None)
        if providers[imported.path] is None:
            ask_index += index_candidates(imported.path)
    on_index = lookup(settings, declared, list(dict.fromkeys(ask_index))) if ask_index else {}
    seen: set[tuple[str, int, int, str, str]] = set()
    for source, imported, _ in unresolved:
        provider = providers[imported.path]
        answers = [(name, on_index.get(name)) for name in index_candidates(imported.path)]
        if provider is None:
            provider = next((normalize(name) for name, found in answers if found), None)
        if provider is None and any(found is None for _, found in answers):
            continue  # not checked (offline / index error in warn mode)
        code, message = _verdict(imported, provider, resolver.has_manifest)
        key = (source.path, imported.line, imported.col, code, message)
        if code and key not in seen:
            seen.add(key)
            yield Finding(source.path, imported.line, imported.col, code, message, HOOK_ID)


def _verdict(imported: Imported, provider: str | None, has_manifest: bool) -> tuple[str, str]:
    if provider is None:
        code = "DG203" if imported.guarded else "DG202"
        return code, (
            f"`{imported.module}` is imported but no distribution provides it (not installed, "
            "not on the index): likely hallucinated"
        )
    dist = provider
    if not has_manifest:
        return "", ""  # nowhere to declare it: only hallucinations are reported
    if imported.guarded:
        return "DG203", (
            f"`{imported.module}` is imported only under TYPE_CHECKING or as an ImportError "
            f"fallback; `{dist}` is not declared"
        )
    return "DG201", f"`{imported.module}` is imported but not declared: add `{dist}` to the project's dependencies"


def lookup(settings: dict[str, Any], declared: Any, names: list[str]) -> dict[str, bool]:
    """import name -> whether a distribution of that name is on an index (absent: unknown)."""
    from hooks._deps.pkgindex import Client, IndexUnavailable, choose_indexes, lookup_names

    if settings["timeout"] <= 0:
        raise HookError(f"timeout must be positive, got {settings['timeout']}")
    try:
        choice = choose_indexes(
            [(settings["index_url"] or None, settings["extra_index_url"]),
             (declared.index_url, declared.extra_index_urls)],
        )
    except IndexUnavailable as exc:
        raise HookError(str(exc)) from None
    client = Client(timeout=settings["timeout"], offline=settings["offline"], cert=choice.cert)
    lookups = lookup_names(client, choice.indexes, names)
    errors = [e for lk in lookups.values() for e in lk.errors]
    if errors and settings["on_network_error"] == "error":
        raise HookError(
            f"{errors[0]}; fix the index URL or network, or pass --offline (cache only) "
            "or --on-network-error=warn"
        )
    if errors:
        print(f"{HOOK_ID}: warning: {errors[0]}; some imports not checked", file=sys.stderr)
    from hooks._deps.pkgindex import normalize

    out: dict[str, bool] = {}
    for name in names:
        found = lookups[normalize(name)]
        if found.found_on:
            out[name] = True
        elif found.answers and not found.errors:
            out[name] = False
    unchecked = sum(1 for lk in lookups.values() if lk.unchecked and not lk.answers)
    if unchecked:
        print(f"{HOOK_ID}: warning: --offline: {unchecked} name(s) not in the cache were not checked", file=sys.stderr)
    return out


HOOK = FileHook(
    id=HOOK_ID,
    description="Report imports that no declared dependency provides (network hook).",
    rules=RULES,
    selects=suffix_selector(".py"),
    check=check,
    options=OPTIONS,
    needs_network=True,
)


def main(argv: Sequence[str] | None = None) -> int:
    return run_hook(HOOK, argv)


if __name__ == "__main__":
    raise SystemExit(main())
