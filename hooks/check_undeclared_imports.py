"""check-undeclared-imports: imports that no declared dependency provides (DG2xx).

An import resolves when it is stdlib, first-party (a module or package in one of the
project's source roots, see hooks/_deps/roots.py; relative imports always), or provided by
a distribution declared in the file's nearest manifest. Which names a declared
distribution provides: by name first (normalized name, bundled map, the user's
`import-names`, installed metadata), else exactly from its wheel's file list on the index
(hooks/_deps/wheels.py), else, for sdist-only projects, name heuristics. What is left is
an undeclared dependency (DG201; DG204 when a declared distribution requires it) or, when
no distribution provides it anywhere and nothing declared could, a likely hallucination
(DG202). A network hook for those last questions only.
"""
from __future__ import annotations

import ast
import functools
import json
import os
import re
import sys
from hooks._core.lazyre import lazy
from hooks._core.record import dataclass
from typing import Any, Iterator, Sequence, Tuple

from hooks._core.config import Option
from hooks._core.files import SourceFile, parse_python
from hooks._core.findings import Finding, HookError, Rule, char_col
from hooks._core.runner import CheckRun, FileHook, enabled_codes, run_hook, suffix_selector

HOOK_ID = "check-undeclared-imports"

RULES = (
    Rule("DG201", "import provided by a distribution that is not declared"),
    Rule("DG202", "import that no distribution provides: likely hallucinated"),
    Rule("DG203", "undeclared import under TYPE_CHECKING, in an ImportError fallback or inside a function",
         enabled_by_default=False),
    Rule("DG204", "import provided only by a transitive dependency of a declared distribution"),
)

OPTIONS = (
    Option("index-url", str, "", "package index URL (default: pip's configuration, then pip's default)"),
    Option("extra-index-url", list, [], "additional package index URLs"),
    Option("offline", bool, False, "use cached index answers only, never the network"),
    Option("on-network-error", str, "error", "what an unreachable index does", ("error", "warn")),
    Option("timeout", float, 10.0, "seconds to wait for an index answer"),
    Option("known-first-party", list, [], "top-level import names that belong to this repository"),
    Option("import-names", dict, {}, "import name -> the distribution that provides it (guardian=django-guardian)"),
)

@dataclass(frozen=True)
class Imported:
    module: str  # dotted module path as written (`from a.b import c` -> a.b)
    line: int
    col: int
    guarded: bool  # under TYPE_CHECKING or inside a try/except ImportError
    full: str = ""  # with the imported name (a.b.c): `from google.cloud import storage`
    lazy: bool = False  # inside a function: runs only when called (optional integrations)

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


_AVAILABILITY = lazy(r"^(is_\w+_available|\w+_available|has_\w+|find_spec|module_available)$")


def _called_name(node: ast.expr) -> str:
    if isinstance(node, ast.UnaryOp):
        node = node.operand
    if isinstance(node, ast.Compare):
        node = node.left
    if isinstance(node, ast.BoolOp):
        return next((n for n in map(_called_name, node.values) if n), "")
    if not isinstance(node, ast.Call):
        return ""
    func = node.func
    return func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""


def _checks_availability(test: ast.expr) -> bool:
    """`if is_torch_available():`, `if importlib.util.find_spec("x") is not None:`: the
    optional-dependency idiom, the body runs only when the package is installed."""
    return bool(_AVAILABILITY.match(_called_name(test)))


def _swallows_import_error(expr: ast.expr) -> bool:
    """`with try_import():`, `with contextlib.suppress(ImportError):`."""
    name = _called_name(expr)
    if name == "suppress" and isinstance(expr, ast.Call):
        return any(isinstance(a, ast.Name) and a.id in ("ImportError", "ModuleNotFoundError") for a in expr.args)
    return "import" in name.lower()


def collect_imports(tree: ast.AST, source: SourceFile) -> list[Imported]:
    found: list[Imported] = []

    def add(node: ast.stmt, module: str, guarded: bool, lazy: bool, full: str = "") -> None:
        col = char_col(source.line(node.lineno), node.col_offset)
        found.append(Imported(module, node.lineno, col, guarded, full, lazy))

    def visit(nodes: Sequence[ast.AST], guarded: bool, lazy: bool = False) -> None:
        for node in nodes:
            if node.__class__ in _SIMPLE_STATEMENTS:
                continue  # most statements of a file: no import, no statement inside
            if isinstance(node, ast.Import):
                for alias in node.names:
                    add(node, alias.name, guarded, lazy)
            elif isinstance(node, ast.ImportFrom):
                if node.level == 0 and node.module:
                    for alias in node.names:
                        add(node, node.module, guarded, lazy, f"{node.module}.{alias.name}")
            elif isinstance(node, ast.If) and (_is_type_checking(node.test) or _checks_availability(node.test)):
                visit(node.body, True, lazy)
                visit(node.orelse, guarded, lazy)
            elif isinstance(node, (ast.With, ast.AsyncWith)) and any(
                _swallows_import_error(item.context_expr) for item in node.items
            ):
                visit(node.body, True, lazy)
            elif isinstance(node, ast.Try) or type(node).__name__ == "TryStar":
                fallback = any(_catches_import_error(h) for h in node.handlers)  # type: ignore[attr-defined]
                visit(node.body, guarded or fallback, lazy)  # type: ignore[attr-defined]
                for handler in node.handlers:  # type: ignore[attr-defined]
                    visit(handler.body, guarded or fallback, lazy)
                visit(node.orelse + node.finalbody, guarded, lazy)  # type: ignore[attr-defined]
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                visit(node.body, guarded, True)
            else:
                visit(_statement_blocks(node), guarded, lazy)

    visit(getattr(tree, "body", []), False)
    return found


_BLOCK_FIELDS = ("body", "orelse", "finalbody", "handlers", "cases")
_SIMPLE_STATEMENTS = frozenset({
    ast.Expr, ast.Assign, ast.AugAssign, ast.AnnAssign, ast.Return, ast.Assert, ast.Raise, ast.Delete,
    ast.Pass, ast.Break, ast.Continue, ast.Global, ast.Nonlocal,
})


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


# --- which manifest covers a file ---------------------------------------------------


_ROOT_MANIFESTS = ("pyproject.toml", "setup.cfg")


def dir_manifests(directory: str) -> list[str]:
    """The manifests in one directory: pyproject.toml, setup.cfg, requirements files (and
    those in its `requirements/` folder)."""
    from hooks._deps.manifests import is_requirements_file

    paths = [os.path.join(directory, name) for name in _ROOT_MANIFESTS]
    for folder in (directory, os.path.join(directory, "requirements")):
        try:
            paths += [os.path.join(folder, n) for n in sorted(os.listdir(folder))]
        except OSError:
            continue
    out = []
    for path in dict.fromkeys(os.path.normpath(p) for p in paths):
        if os.path.isfile(path) and (os.path.basename(path) in _ROOT_MANIFESTS or is_requirements_file(path)):
            out.append(path)
    return out


@dataclass
class Scope:
    """The declarations one file is judged against: its nearest manifest directory's."""

    base: str
    manifests: list[str]
    declared: Any  # hooks._deps.manifests.Manifest
    unknown: bool = False  # dynamic dependencies this hook cannot read: judge nothing

    @functools.cached_property
    def specs(self) -> dict[str, str]:
        """Declared normalized name -> its version specifier ('' when several or none)."""
        specs: dict[str, str] = {}
        for item in self.declared.declared:
            specs[item.key] = item.spec if item.key not in specs else ""
        return specs


class Scopes:
    """Each file's nearest manifest (a requirements file, or a pyproject.toml/setup.cfg that
    declares dependencies, in its directory or above, up to the repository root); files
    with none are judged against the root's manifests (possibly none at all)."""

    def __init__(self, root: str) -> None:
        from hooks._deps.roots import ancestors

        self.root = os.path.normpath(root)
        self._ancestors = ancestors
        self._by_dir: dict[str, Scope | None] = {}
        self._read: dict[str, Scope] = {}
        self._merging: set[str] = set()
        self._combos: dict[str, Scope] = {}
        self._local_projects = local_projects(self.root)
        self._scope(self.root)  # the root's manifest problems are reported first

    def for_file(self, path: str) -> Scope:
        """The nearest scope. A directory with requirements files only (`examples/x/
        requirements.txt`, `requirements-app.txt`) adds to the scope above it: it lists what
        that part needs on top of the project's own dependencies. A pyproject.toml, setup.cfg
        or setup.py that declares dependencies is a project of its own: the scope stops there."""
        partial: list[Scope] = []
        for directory in self._ancestors(path, self.root):
            scope = self._scope(directory)
            if scope is None:
                continue
            if not _requirements_only(scope) or os.path.normpath(directory) == self.root:
                return self._combined([*partial, scope])
            partial.append(scope)
        root = self._scope(self.root, force=True) or Scope(self.root, [], _empty_manifest())
        return self._combined([*partial, root])

    def _combined(self, scopes: list[Scope]) -> Scope:
        if len(scopes) == 1:
            return scopes[0]
        key = "|".join(s.base for s in scopes)
        if key not in self._combos:
            manifest = _empty_manifest()
            for scope in scopes:
                manifest.declared += scope.declared.declared
            paths = [p for scope in scopes for p in scope.manifests]
            self._combos[key] = Scope(scopes[0].base, paths, manifest, any(s.unknown for s in scopes))
        return self._combos[key]

    def _scope(self, directory: str, force: bool = False) -> Scope | None:
        key = os.path.normpath(directory)
        if key not in self._read:
            from hooks._deps.manifests import is_requirements_file, read_all

            paths = dir_manifests(key)
            manifest = read_all(paths)
            unknown = _dynamic_dependencies(os.path.join(key, "pyproject.toml"), manifest)
            for path in paths:
                if is_requirements_file(path):
                    _url_requirements(path, manifest)
            if _setup_py_declarations(os.path.join(key, "setup.py"), manifest):
                paths.append(os.path.join(key, "setup.py"))
                unknown = False
            # dynamic dependencies next to requirements files come from them (netbox, plane)
            unknown = unknown and not any(is_requirements_file(p) for p in paths)
            for problem in manifest.problems:  # check-hallucinated-deps reports these as DG100
                print(f"{HOOK_ID}: warning: {problem.path}:{problem.line}: {problem.message}; "
                      "what it declares is not counted", file=sys.stderr)
            self._read[key] = Scope(key, paths, manifest, unknown)
            self._add_local_projects(key, manifest)
            counts = any(is_requirements_file(p) for p in paths) or bool(manifest.declared) or unknown
            self._by_dir[key] = self._read[key] if counts else None
        return self._read[key] if force else self._by_dir[key]

    def _add_local_projects(self, key: str, manifest: Any) -> None:
        """A declared distribution that is a project of this repository (a workspace member,
        a package of a monorepo) brings its own declarations, extras included: what it
        declares is installed with it, by the project's own choice."""
        for name in [d.key for d in manifest.declared]:
            directory = self._local_projects.get(name)
            if directory is None or directory == key or directory in self._merging:
                continue
            self._merging.add(directory)
            try:
                member = self._scope(directory, force=True)
            finally:
                self._merging.discard(directory)
            if member is not None:
                manifest.declared += [d for d in member.declared.declared if d.key != name]

    def used(self) -> list[Scope]:
        return list(self._read.values())


def _requirements_only(scope: Scope) -> bool:
    """Only requirements files: what one part of the repository needs on top of the
    project's own dependencies ("apart from the normal dependencies, install these")."""
    from hooks._deps.manifests import is_requirements_file

    return bool(scope.manifests) and all(is_requirements_file(p) for p in scope.manifests)


def local_projects(root: str) -> dict[str, str]:
    """Normalized project name -> directory, for every project of the repository (its root,
    workspace members, packages of a monorepo up to two levels down)."""
    from hooks._core.config import load_toml
    from hooks._core.findings import HookError
    from hooks._deps.pkgindex import normalize
    from hooks._deps.roots import project_dirs, workspace_members

    out: dict[str, str] = {}
    for directory in dict.fromkeys([root, *project_dirs(root), *workspace_members(root)]):
        path = os.path.join(directory, "pyproject.toml")
        if not os.path.isfile(path):
            continue
        try:
            data = load_toml(path)
        except HookError:
            continue
        project = data.get("project") if isinstance(data.get("project"), dict) else {}
        poetry = (data.get("tool") or {}).get("poetry") or {}
        name = project.get("name") or (poetry.get("name") if isinstance(poetry, dict) else None)
        if isinstance(name, str):
            out.setdefault(normalize(name), os.path.normpath(directory))
    return out


def _dynamic_dependencies(path: str, manifest: Any) -> bool:
    """Add the dependencies a pyproject.toml declares as `dynamic` to `manifest`, from where
    build backends read them: `[tool.setuptools.dynamic]` requirement files, or the
    `dependencies`/`optional-dependencies` of a hatch metadata hook (uv-dynamic-versioning
    and friends). True when they are dynamic and could not be read: then nothing in that
    manifest's scope can be judged."""
    import re

    from hooks._core.findings import HookError
    from hooks._deps.manifests import Declared, read_requirements

    if not os.path.isfile(path):
        return False
    try:
        from hooks._core.config import load_toml

        data = load_toml(path)
    except HookError:
        return False  # reported as a manifest problem already
    project = data.get("project") if isinstance(data.get("project"), dict) else {}
    dynamic = project.get("dynamic") if isinstance(project.get("dynamic"), list) else []
    if "dependencies" not in dynamic:
        return False
    found = False
    tool = data.get("tool") if isinstance(data.get("tool"), dict) else {}
    setuptools_dynamic = (tool.get("setuptools") or {}).get("dynamic") or {}
    tables = [setuptools_dynamic.get("dependencies")]
    tables += list((setuptools_dynamic.get("optional-dependencies") or {}).values())
    for table in tables:
        files = table.get("file") if isinstance(table, dict) else None
        for name in [files] if isinstance(files, str) else files or []:
            target = os.path.join(os.path.dirname(path), str(name))
            if os.path.isfile(target):
                manifest.declared += read_requirements(target).declared
                found = True
    hooks = ((tool.get("hatch") or {}).get("metadata") or {}).get("hooks") or {}
    for hook in hooks.values() if isinstance(hooks, dict) else ():
        if not isinstance(hook, dict):
            continue
        lists = [hook.get("dependencies")] + list((hook.get("optional-dependencies") or {}).values())
        for items in lists:
            for text in items if isinstance(items, list) else ():
                match = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", str(text))
                if match:  # the specifier may be a template ({{ version }}): the name is enough
                    manifest.declared.append(Declared(match.group(1), "", path, 1, 1, "dynamic"))
                    found = True
    return not found


# setup() keywords whose string lists are not requirements
_SETUP_NOT_REQUIREMENTS = frozenset({
    "classifiers", "keywords", "packages", "package_data", "data_files", "entry_points", "py_modules",
    "scripts", "platforms", "package_dir", "exclude_package_data", "namespace_packages", "include",
    "exclude", "license_files",
})
_REQUIREMENT_TEXT = lazy(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(\[[^\]]*\])?\s*([<>=!~;].*)?$")


_NAMED_URL = lazy(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(\[[^\]]*\])?\s*@\s*\S")
_VCS_URL = lazy(r"^\s*(?:-e\s+)?(?:git|hg|svn|bzr)\+\S+|^\s*https?://\S+", re.I)


def _url_requirements(path: str, manifest: Any) -> None:
    """URL and VCS requirements install a distribution too, though the index never sees
    them (so the manifest readers leave them out): `name @ url` names it; a bare VCS URL is
    named by its `#egg=` fragment, else by its repository (`.../huggingface/transformers`)."""
    from hooks._deps.manifests import Declared

    try:
        with open(path, encoding="utf-8") as handle:
            lines = handle.read().splitlines()
    except (OSError, UnicodeDecodeError):
        return
    for number, text in enumerate(lines, 1):
        text = text.split(" #", 1)[0].strip()
        named = _NAMED_URL.match(text)
        if named:
            manifest.declared.append(Declared(named.group(1), "", path, number, 1, "url requirement"))
            continue
        if not _VCS_URL.match(text):
            continue
        egg = re.search(r"[#&]egg=([A-Za-z0-9][A-Za-z0-9._-]*)", text)
        url = text.split()[-1].split("#", 1)[0].split("@", 1)[0] if "://" in text else text
        tail = url.rstrip("/").rsplit("/", 1)[-1]
        name = egg.group(1) if egg else re.sub(r"\.git$", "", tail)
        if re.match(r"^[A-Za-z0-9][A-Za-z0-9._-]*$", name) and not name.endswith((".whl", ".zip", ".gz")):
            manifest.declared.append(Declared(name, "", path, number, 1, "url requirement"))


def _setup_py_declarations(path: str, manifest: Any) -> bool:
    """Requirement strings in a setup.py (install_requires, extras_require, ...): every
    list of strings that reads as requirements, wherever it is built (`extras["test"] =
    [...]`), outside the setup() keywords that hold other lists. Read statically, never run."""
    from hooks._deps.manifests import Declared

    try:
        with open(path, encoding="utf-8") as handle:
            tree = ast.parse(handle.read())
    except (OSError, UnicodeDecodeError, SyntaxError, ValueError):
        return False
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.keyword) and node.arg in _SETUP_NOT_REQUIREMENTS:
            skipped.update(id(inner) for inner in ast.walk(node.value))
    found = False
    for node in ast.walk(tree):
        if not isinstance(node, ast.List) or id(node) in skipped or not node.elts:
            continue
        texts = [e.value for e in node.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)]
        matches = [_REQUIREMENT_TEXT.match(t) for t in texts]
        if len(texts) != len(node.elts) or not all(matches):
            continue
        for match, element in zip(matches, node.elts):
            manifest.declared.append(Declared(match.group(1), "", path, element.lineno, element.col_offset + 2, "setup.py"))
            found = True
    return found


def _empty_manifest() -> Any:
    from hooks._deps.manifests import Manifest

    return Manifest()


# --- what a declared distribution provides ------------------------------------------


class Installed:
    """Exact names of distributions installed where the hook runs (its own environment):
    what they provide and require, and which distribution provides a top-level name.

    Reading installed metadata (RECORD files, METADATA through the email parser) costs tens
    of ms per commit, so the answers are remembered on disk per interpreter, keyed by the
    modification time of every sys.path directory: installing, upgrading or removing a
    distribution adds or removes a `.dist-info` entry there, which changes it (importlib.
    metadata caches its directory listings on the same times)."""

    def __init__(self, cache_root: str | None = None) -> None:
        self._dists: dict[str, Any] = {}
        self._path = _installed_cache_path(cache_root)
        self._key = _installed_key()
        self._saved = _load_installed(self._path, self._key)
        self._dirty = False

    def dist(self, name: str) -> Any:
        if name not in self._dists:
            import importlib.metadata as metadata

            try:
                self._dists[name] = metadata.distribution(name)
            except metadata.PackageNotFoundError:
                self._dists[name] = None
        return self._dists[name]

    def _remembered(self, table: str, name: str, compute: Any) -> Any:
        answers = self._saved[table]
        if name not in answers:
            answers[name] = compute()
            self._dirty = True
        return answers[name]

    def provides(self, name: str) -> frozenset[str] | None:
        def compute() -> list[str] | None:
            from hooks._deps.wheels import provided_names

            dist = self.dist(name)
            if dist is None:
                return None
            return sorted(provided_names(str(f) for f in dist.files or ()) | frozenset(_top_levels(dist)))

        provided = self._remembered("provides", name, compute)
        return None if provided is None else frozenset(provided)

    def requires(self, name: str) -> tuple[str, ...] | None:
        def compute() -> list[str] | None:
            from hooks._deps.wheels import requirements

            dist = self.dist(name)
            if dist is None:
                return None
            return list(requirements("".join(f"Requires-Dist: {r}\n" for r in dist.requires or ())))

        required = self._remembered("requires", name, compute)
        return None if required is None else tuple(required)

    def provider(self, top: str) -> str | None:
        if self._saved["env_map"] is None:
            import importlib.metadata as metadata

            if hasattr(metadata, "packages_distributions"):
                env_map = {k: list(v) for k, v in metadata.packages_distributions().items()}
            else:  # Python 3.9
                env_map = {}
                for dist in metadata.distributions():
                    for provided in _top_levels(dist):
                        env_map.setdefault(provided, []).append(dist.metadata["Name"])
            self._saved["env_map"] = env_map
            self._dirty = True
        dists = self._saved["env_map"].get(top)
        return dists[0] if dists else None

    def save(self) -> None:
        """Write what this run learned (nothing when it learned nothing)."""
        if self._dirty:
            from hooks._core.cache import write_atomic

            write_atomic(self._path, json.dumps({"key": self._key, **self._saved}))
            self._dirty = False


_INSTALLED_FORMAT = 1


def _installed_cache_path(cache_root: str | None) -> str:
    import hashlib

    from hooks._core.cache import user_cache_dir

    digest = hashlib.sha256(sys.executable.encode("utf-8", "surrogateescape")).hexdigest()[:16]
    return os.path.join(cache_root or user_cache_dir(), f"installed-v{_INSTALLED_FORMAT}", digest + ".json")


def _installed_key() -> list[Any]:
    """What the installed metadata depends on: the interpreter and each sys.path directory's
    modification time (a distribution installed or removed changes its directory's)."""
    from hooks import __version__

    stamps: list[Any] = []
    for entry in sys.path:
        try:
            stamps.append([entry, os.stat(entry or ".").st_mtime_ns])
        except OSError:
            stamps.append([entry, None])
    return [_INSTALLED_FORMAT, __version__, sys.executable, stamps]


def _load_installed(path: str, key: list[Any]) -> dict[str, Any]:
    """The saved answers for `key`; empty tables when absent, stale or damaged."""
    from hooks._core.cache import read_json

    empty: dict[str, Any] = {"provides": {}, "requires": {}, "env_map": None}
    try:
        data = read_json(path, 32 * 1024 * 1024)
        if not isinstance(data, dict) or data["key"] != key:
            return empty
        tables = {name: data[name] for name in ("provides", "requires")}
        for table in tables.values():
            if not isinstance(table, dict) or not all(
                value is None or (isinstance(value, list) and all(isinstance(v, str) for v in value))
                for value in table.values()
            ):
                return empty
        env_map = data["env_map"]
        if env_map is not None and not (isinstance(env_map, dict) and all(
            isinstance(v, list) and all(isinstance(d, str) for d in v) for v in env_map.values()
        )):
            return empty
        return {**tables, "env_map": env_map}
    except (OSError, ValueError, KeyError, TypeError):
        return empty


def _top_levels(dist: Any) -> set[str]:
    text = dist.read_text("top_level.txt")
    if text:
        return {line.strip() for line in text.splitlines() if line.strip().isidentifier()}
    return set()


def user_provider(import_names: dict[str, str], path: str) -> str | None:
    """The distribution `import-names` maps the longest prefix of `path` to."""
    parts = path.split(".")
    for end in range(len(parts), 0, -1):
        found = import_names.get(".".join(parts[:end]))
        if found:
            return found
    return None


def named_like(dist: str, imported: Imported) -> bool:
    """Name heuristics, for a declared distribution whose exact names are unknown (no
    wheel: sdist-only, or unreadable): the import is the distribution's name without a
    `python-`/`py`/`django-`/... decoration, or one of its dash-separated words."""
    from hooks._deps.names import index_candidates, providers_for_import
    from hooks._deps.pkgindex import normalize

    if dist in {normalize(n) for n in (*providers_for_import(imported.path), *index_candidates(imported.path))}:
        return True
    top = normalize(imported.top)
    forms = {dist, *dist.split("-")}
    for prefix in ("python-", "py-", "py", "django-", "flask-"):
        if dist.startswith(prefix):
            forms.add(dist[len(prefix):])
    for suffix in ("-python", "-py", "-client", "-sdk"):
        if dist.endswith(suffix):
            forms.add(dist[: -len(suffix)])
    return top in forms or top.replace("-", "") in {f.replace("-", "") for f in forms}


class Resolver:
    """Answers "does this import resolve?" for one process (everything computed once)."""

    def __init__(self, local: set[str], import_names: dict[str, str]) -> None:
        self.local = local
        self.import_names = import_names
        self.stdlib = stdlib_names()
        self.installed = Installed()
        self.dynamic_paths: set[str] = set()  # files that put computed directories on sys.path

    def is_local(self, imported: Imported) -> bool:
        return imported.top in self.stdlib or imported.top in self.local

    def cheaply_provided(self, imported: Imported, scope: Scope) -> bool:
        """Provided by a declared distribution without asking the index: by name (the
        bundled map, the user's `import-names`, the normalized import name) or by the
        installed metadata of a declared distribution."""
        from hooks._deps.names import index_candidates, providers_for_import
        from hooks._deps.pkgindex import normalize
        from hooks._deps.wheels import covers

        declared = scope.specs
        mapped = user_provider(self.import_names, imported.path)
        if mapped and normalize(mapped) in declared:
            return True
        names = [*providers_for_import(imported.path), *index_candidates(imported.path)]
        if any(normalize(name) in declared for name in names):
            return True
        for name in declared:
            provided = self.installed.provides(name)
            if provided and covers(provided, imported.path):
                return True
        return False

    def exact_provider(self, imported: Imported) -> str | None:
        """The distribution an exact mapping says provides the import: the user's
        `import-names`, the running environment's metadata, the bundled map."""
        from hooks._deps.names import NAMESPACES, providers_for_import

        mapped = user_provider(self.import_names, imported.path)
        if mapped:
            return mapped
        if imported.top not in NAMESPACES:
            installed = self.installed.provider(imported.top)
            if installed:
                return installed
        bundled = providers_for_import(imported.path)
        return bundled[0] if bundled else None


# --- the check ----------------------------------------------------------------------

Pending = Tuple[SourceFile, Imported, Scope]


def check(run: CheckRun) -> Iterator[Finding]:
    from hooks._deps.manifests import read_inline_script
    from hooks._deps.roots import SourceRoots, provides

    import_names = _import_names(run.settings["import_names"])
    scopes = Scopes(run.root)
    roots = SourceRoots(run.root)
    resolver = Resolver(roots.names | set(run.settings["known_first_party"]), import_names)
    pending: list[Pending] = []
    facts = _Facts(run.root)
    for source in run.sources_iter():
        parsed = facts.of(source)
        if parsed is None:
            continue
        imports, path_dirs = parsed
        script = {d.key for d in read_inline_script(source).declared}
        scope = scopes.for_file(source.path)
        if scope.unknown:
            continue  # its dependencies are computed at build time: nothing to judge against
        if path_dirs is None:
            resolver.dynamic_paths.add(source.path)
        for imported in imports:
            if resolver.is_local(imported) or roots.is_first_party(imported.top, source.path):
                continue
            if path_dirs and any(provides(d, imported.top) for d in path_dirs):
                continue  # the script puts that directory on sys.path itself
            if (script and _script_provides(imported, script)) or resolver.cheaply_provided(imported, scope):
                continue
            pending.append((source, imported, scope))
    facts.save()
    if "DG203" not in enabled_codes(RULES, run.settings):
        # guarded imports are only ever DG203: no index question for a finding nobody sees
        pending = [item for item in pending if not item[1].guarded]
    if pending:
        yield from Judge(run.settings, resolver, scopes).findings(pending)
    resolver.installed.save()


class _Facts:
    """A file's imports and the directories it puts on sys.path, parsed once and kept on
    disk per file content (hooks._core.filecache): a warm run parses no unchanged file."""

    def __init__(self, root: str) -> None:
        from hooks._core.filecache import FileFacts

        self.root = root
        self.cache = FileFacts(HOOK_ID, root)

    def of(self, source: SourceFile) -> tuple[list[Imported], list[str] | None] | None:
        """None when the file is not Python this interpreter can read."""
        cached = self.cache.get(source.path)
        if cached is False:
            return None  # did not parse last time either
        if isinstance(cached, dict):
            try:
                return [Imported(*fields) for fields in cached["imports"]], cached["dirs"]
            except (KeyError, TypeError):
                pass  # an entry of another shape: computed again
        tree = parse(source)
        if tree is None:
            from hooks._core.files import too_new

            if source.path not in too_new():  # too new: its warning is due on every run
                self.cache.put(source.path, False)
            return None
        path_dirs = sys_path_dirs(tree, source.path, self.root) if may_extend_sys_path(source.text) else []
        imports = collect_imports(tree, source)
        self.cache.put(source.path, {
            "imports": [[i.module, i.line, i.col, i.guarded, i.full, i.lazy] for i in imports],
            "dirs": path_dirs,
        })
        return imports, path_dirs

    def save(self) -> None:
        self.cache.save()


# `<...>.path.insert` / `.append`, with what may stand between the tokens (spaces, line
# breaks inside brackets, continuations, comments): a file without it has no call for
# sys_path_dirs to find, and the search costs a hundredth of the walk over a large tree
_PATH_CALL = lazy(r"path(?:\s|\\|#[^\n]*\n)*\.(?:\s|\\|#[^\n]*\n)*(?:insert|append)\b")


def may_extend_sys_path(text: str) -> bool:
    """Whether the file may call `<...>.path.insert(...)` or `.append(...)`."""
    if "path." not in text:
        return False
    if not text.isascii():
        import unicodedata

        text = unicodedata.normalize("NFKC", text)  # as Python reads identifiers (PEP 3131)
    return _PATH_CALL.search(text) is not None


def sys_path_dirs(tree: ast.AST, path: str, root: str) -> list[str] | None:
    """Directories a file adds to sys.path with literal strings (`sys.path.insert(0,
    "tests")`), relative to the repository root or to the file; None when it adds one it
    computes (then whether an import is local cannot be known)."""
    found: list[str] = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and node.func.attr in ("insert", "append") and isinstance(node.func.value, ast.Attribute)
                and node.func.value.attr == "path" and node.args):
            continue
        target = node.args[-1]
        if not (isinstance(target, ast.Constant) and isinstance(target.value, str)):
            return None
        for base in (root, os.path.dirname(path) or "."):
            found.append(os.path.normpath(os.path.join(base, target.value)))
    return found


def _import_names(table: dict[str, str]) -> dict[str, str]:
    for key in table:
        if not all(part.isidentifier() for part in key.split(".")):
            raise HookError(f"import-names: `{key}` is not an import name (a dotted Python name)")
    return dict(table)


def _script_provides(imported: Imported, script: set[str]) -> bool:
    from hooks._deps.names import index_candidates, providers_for_import
    from hooks._deps.pkgindex import normalize

    names = [*providers_for_import(imported.path), *index_candidates(imported.path)]
    return any(normalize(name) in script for name in names)


class Judge:
    """The index-backed half of the check: exact names of every declared distribution from
    its wheel, then a verdict for each import nothing declared provides."""

    def __init__(self, settings: dict[str, Any], resolver: Resolver, scopes: Scopes) -> None:
        self.settings = settings
        self.resolver = resolver
        self.scopes = scopes
        self.reader = self._reader()
        self._closures: dict[str, dict[str, str]] = {}
        self._closure_provides: dict[str, dict[str, frozenset[str]]] = {}
        self._warned = False

    def _reader(self) -> Any:
        from hooks._deps.pkgindex import Client, IndexUnavailable, choose_indexes
        from hooks._deps.wheels import WheelReader

        settings = self.settings
        if settings["timeout"] <= 0:
            raise HookError(f"timeout must be positive, got {settings['timeout']}")
        sources = [(settings["index_url"] or None, settings["extra_index_url"])]
        sources += [(s.declared.index_url, s.declared.extra_index_urls) for s in self.scopes.used()]
        try:
            choice = choose_indexes(sources)
        except IndexUnavailable as exc:
            raise HookError(str(exc)) from None
        client = Client(timeout=settings["timeout"], offline=settings["offline"], cert=choice.cert)
        return WheelReader(client, choice.indexes)

    def names(self, specs: dict[str, str]) -> dict[str, Any]:
        """Exact names of each distribution (installed metadata first, else its wheel)."""
        from hooks._deps.wheels import WheelNames

        out: dict[str, Any] = {}
        ask = {}
        for name, spec in specs.items():
            provided = self.resolver.installed.provides(name)
            if provided is not None:
                out[name] = WheelNames(name, "", provided, self.resolver.installed.requires(name) or ())
            else:
                ask[name] = spec
        if ask:
            out.update(self.reader.names(ask))
            self._network_errors(ask)
        return out

    def _network_errors(self, names: Any) -> None:
        from hooks._deps.pkgindex import lookup_names

        lookups = lookup_names(self.reader.client, self.reader.indexes, names)
        errors = [e for lk in lookups.values() for e in lk.errors]
        if errors and self.settings["on_network_error"] == "error":
            raise HookError(
                f"{errors[0]}; fix the index URL or network, or pass --offline (cache only) "
                "or --on-network-error=warn"
            )
        if errors and not self._warned:
            self._warned = True  # one line per run, however many questions failed
            print(f"{HOOK_ID}: warning: {errors[0]}; some imports not checked", file=sys.stderr)
        unchecked = sum(1 for lk in lookups.values() if lk.unchecked)
        if unchecked and self.settings["offline"] and not self._warned:
            self._warned = True
            print(f"{HOOK_ID}: warning: --offline: {unchecked} name(s) not in the cache were not checked",
                  file=sys.stderr)

    def findings(self, pending: list[Pending]) -> Iterator[Finding]:
        from hooks._deps.wheels import covers

        specs = {name: spec for scope in {id(p[2]): p[2] for p in pending}.values()
                 for name, spec in scope.specs.items()}
        exact = self.names(specs) if specs else {}
        left: list[tuple[SourceFile, Imported, Scope, bool]] = []
        for source, imported, scope in pending:
            known = [exact.get(name) for name in scope.specs]
            if any(n is not None and covers(n.provides, imported.path) for n in known):
                continue
            unknown = [name for name in scope.specs if exact.get(name) is None or not exact[name].known]
            if any(named_like(name, imported) for name in unknown):
                continue
            left.append((source, imported, scope, bool(unknown)))
        if not left:
            return
        providers, exists = self.providers({item[1].path: item[1] for item in left})
        seen: set[tuple[str, int, int, str]] = set()
        for source, imported, scope, could_provide in left:
            verdict = self.verdict(source.path, imported, scope, could_provide, providers, exists)
            if verdict is None:
                continue
            code, message = verdict
            key = (source.path, imported.line, imported.col, code)
            if key not in seen:
                seen.add(key)
                yield Finding(source.path, imported.line, imported.col, code, message, HOOK_ID)

    def providers(self, imports: dict[str, Imported]) -> tuple[dict[str, str | None], dict[str, bool | None]]:
        """For each dotted import path: the distribution that exactly provides it (or None),
        and whether a project named after the import is on an index (None: unknown)."""
        from hooks._deps.names import index_candidates
        from hooks._deps.pkgindex import normalize
        from hooks._deps.wheels import covers

        providers = {path: self.resolver.exact_provider(imp) for path, imp in imports.items()}
        candidates = {path: [normalize(c) for c in index_candidates(path)] for path in imports}
        wanted = {c: "" for path, names in candidates.items() for c in names}
        answers = self.names(wanted) if wanted else {}
        exists: dict[str, bool | None] = {}
        for path, names in candidates.items():
            found = [answers.get(c) for c in names]
            if providers[path] is None:
                # a project named after the import counts only when its wheel provides it
                providers[path] = next((n.dist for n in found if n is not None and covers(n.provides, path)), None)
            if any(n is not None and n.on_index for n in found):
                exists[path] = True
            elif all(n is not None for n in found):
                exists[path] = False
            else:
                exists[path] = None
        return providers, exists

    def verdict(
        self, source_path: str, imported: Imported, scope: Scope, could_provide: bool,
        providers: dict[str, str | None], exists: dict[str, bool | None],
    ) -> tuple[str, str] | None:
        provider = providers[imported.path]
        has_manifest = bool(scope.manifests)
        if provider is None and scope.specs:
            provider = self.transitive_provider(scope, imported)
        if provider is None and exists[imported.path] is False:
            if could_provide or source_path in self.resolver.dynamic_paths:
                return None  # a declared distribution whose names are unknown may provide it
            code = "DG203" if imported.guarded else "DG202"
            return code, (
                f"`{imported.module}` is imported but no distribution provides it (not installed, "
                "not on the index): likely hallucinated"
            )
        if not has_manifest or (provider is None and (could_provide or not exists[imported.path])):
            return None  # nowhere to declare it, or not certain
        if imported.guarded or imported.lazy:
            what = f"`{provider}` is not declared" if provider else "no declared dependency provides it"
            where = (
                "only under TYPE_CHECKING, an availability check or an ImportError fallback" if imported.guarded
                else "only inside a function (an optional integration, loaded when used)"
            )
            return "DG203", f"`{imported.module}` is imported {where}; {what}"
        if provider is None:
            return "DG201", (
                f"`{imported.module}` is imported but no declared dependency provides it: declare "
                "the distribution that does (or map it with `import-names`)"
            )
        via = self.brought_in_by(scope).get(_normalize(provider))
        if via:
            return "DG204", (
                f"`{imported.module}` comes from `{provider}`, installed only as a dependency of "
                f"the declared `{via}`: add `{provider}` to the project's dependencies"
            )
        return "DG201", f"`{imported.module}` is imported but not declared: add `{provider}` to the project's dependencies"

    def brought_in_by(self, scope: Scope) -> dict[str, str]:
        """Every distribution the scope's declared ones require (three levels deep, from
        their wheels' metadata) -> the declared distribution that brings it in."""
        if scope.base in self._closures:
            return self._closures[scope.base]
        via: dict[str, str] = {}
        provides: dict[str, frozenset[str]] = {}
        # build requirements (hatchling, setuptools) are not installed with the project
        level = {d.key: d.key for d in scope.declared.declared if d.source != "build-system.requires"}
        for _depth in range(3):
            answers = self.names({name: "" for name in level})
            following: dict[str, str] = {}
            for name, root in level.items():
                answer = answers.get(name)
                if answer is not None and name not in scope.specs:
                    provides[name] = answer.provides
                for required in answer.requires if answer is not None else ():
                    if required not in scope.specs and required not in via:
                        via[required] = root
                        following[required] = root
            level = following
            if not level:
                break
        self._closures[scope.base] = via
        self._closure_provides[scope.base] = provides
        return via

    def transitive_provider(self, scope: Scope, imported: Imported) -> str | None:
        """A distribution the declared ones require whose wheel provides the import: the
        exact provider when the import's own name leads nowhere (`graphql` from
        graphql-core, brought in by strawberry-graphql)."""
        from hooks._deps.wheels import covers

        self.brought_in_by(scope)
        for name, provided in self._closure_provides[scope.base].items():
            if covers(provided, imported.path):
                return name
        return None


def _normalize(name: str) -> str:
    from hooks._deps.pkgindex import normalize

    return normalize(name)


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
