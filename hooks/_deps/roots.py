"""First-party source roots: the directories a project's own code is imported from.

The way the code runs decides it: the repository root, `src/`, a directory holding
`manage.py` (Django puts it on sys.path), setuptools package dirs (`[tool.setuptools]
package-dir`, `packages.find where`, the same in setup.cfg and literal setup.py
arguments), pytest `pythonpath`/`--rootdir`, mypy `mypy_path`, and, per importing file,
any ancestor directory that contains the imported top-level package (a script run from
there, or a test runner's rootdir insertion). A top-level name that is a module or a
package in one of those roots is first-party.

Everything here reads the disk only: config files are parsed once per process and
directory listings are cached.
"""
from __future__ import annotations

import ast
import functools
import os
import re

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (~3 ms)
if TYPE_CHECKING:
    from typing import Any, Iterable, Iterator
    import configparser

# Directories never searched for manage.py (dependencies, builds, tool caches).
_SKIP = frozenset({
    ".git", ".hg", ".svn", ".tox", ".nox", ".venv", "venv", "env", "__pycache__", "node_modules",
    ".mypy_cache", ".pytest_cache", ".ruff_cache", "build", "dist", ".eggs", "site-packages",
})
_MANAGE_DEPTH = 2  # <root>/manage.py, <root>/<dir>/manage.py, <root>/<dir>/<dir>/manage.py


@functools.lru_cache(maxsize=4096)
def _listing(directory: str) -> tuple[frozenset[str], frozenset[str]]:
    """(files, subdirectories) of a directory; empty when it cannot be read."""
    files, dirs = set(), set()
    try:
        with os.scandir(directory) as entries:
            for entry in entries:
                try:
                    (dirs if entry.is_dir() else files).add(entry.name)
                except OSError:
                    continue
    except OSError:
        pass
    return frozenset(files), frozenset(dirs)


def _has_python(directory: str, depth: int = 2) -> bool:
    """A package: Python files in it, or (a PEP 420 namespace) in a subdirectory."""
    files, dirs = _listing(directory)
    if any(name.endswith((".py", ".pyi")) for name in files):
        return True
    return depth > 1 and any(_has_python(os.path.join(directory, d), depth - 1) for d in dirs if d.isidentifier())


def provides(root: str, name: str) -> bool:
    """Is `name` a top-level module or package importable from `root`?"""
    files, dirs = _listing(root)
    if f"{name}.py" in files or f"{name}.pyi" in files:
        return True
    if any(f.startswith(name + ".") and f.endswith((".so", ".pyd")) for f in files):
        return True  # a compiled extension module built in place
    return name in dirs and _has_python(os.path.join(root, name))


def top_level_names(root: str) -> set[str]:
    """Every top-level module and package in `root`."""
    files, dirs = _listing(root)
    names = {f.rsplit(".", 1)[0] for f in files if f.endswith((".py", ".pyi"))}
    names |= {d for d in dirs if d.isidentifier() and d not in _SKIP and _has_python(os.path.join(root, d))}
    return {n for n in names if n.isidentifier()}


# --- roots declared by the project's configuration ----------------------------------


def _read_toml(path: str) -> dict[str, Any]:
    if not os.path.isfile(path):
        return {}  # most directories have none: no TOML parser to import (~2.5 ms) for that
    try:
        from hooks._core.config import load_toml

        return load_toml(path)
    except Exception:  # a broken pyproject is reported by the hooks that own it (DG100)
        return {}


def _read_ini(path: str) -> configparser.ConfigParser | None:
    import configparser  # ~1.5 ms: only when the configured roots are not remembered

    parser = configparser.ConfigParser(interpolation=None)
    try:
        with open(path, encoding="utf-8") as handle:
            parser.read_file(handle)
    except (OSError, UnicodeDecodeError, configparser.Error):
        return None
    return parser


def _get(data: Any, *keys: str) -> Any:
    for key in keys:
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data


def _as_list(value: Any, separators: str = r"[\s,]+") -> list[str]:
    if isinstance(value, str):
        return [v for v in re.split(separators, value) if v]
    if isinstance(value, list):
        return [v for v in value if isinstance(v, str)]
    return []


def _pyproject_roots(base: str) -> Iterator[str]:
    data = _read_toml(os.path.join(base, "pyproject.toml"))
    setuptools = _get(data, "tool", "setuptools")
    package_dir = _get(setuptools, "package-dir")
    if isinstance(package_dir, dict) and isinstance(package_dir.get(""), str):
        yield package_dir[""]
    find = _get(setuptools, "packages", "find")
    yield from _as_list(_get(find, "where"))
    pytest = _get(data, "tool", "pytest", "ini_options")
    yield from _as_list(_get(pytest, "pythonpath"))
    yield from _rootdir(_get(pytest, "addopts"))
    mypy_path = _get(data, "tool", "mypy", "mypy_path")
    yield from _as_list(mypy_path, r"[,:]")


def _rootdir(addopts: Any) -> Iterator[str]:
    text = " ".join(_as_list(addopts, r"\n")) if not isinstance(addopts, str) else addopts
    for match in re.finditer(r"--rootdir[= ](\S+)", text or ""):
        yield match.group(1)


def _ini_roots(base: str) -> Iterator[str]:
    for name, sections in (
        ("setup.cfg", ("options", "options.packages.find", "tool:pytest", "mypy")),
        ("pytest.ini", ("pytest",)), ("tox.ini", ("pytest",)), ("mypy.ini", ("mypy",)),
        (".mypy.ini", ("mypy",)),
    ):
        parser = _read_ini(os.path.join(base, name))
        if parser is None:
            continue
        for section in sections:
            if not parser.has_section(section):
                continue
            items = dict(parser.items(section))
            package_dir = items.get("package_dir", "")
            # `package_dir = =src` (or a line `= src`): the root package lives in src
            for line in package_dir.splitlines():
                key, _, value = line.partition("=")
                if not key.strip() and value.strip():
                    yield value.strip()
            yield from _as_list(items.get("where", ""))
            yield from _as_list(items.get("pythonpath", ""))
            yield from _rootdir(items.get("addopts", ""))
            yield from _as_list(items.get("mypy_path", ""), r"[,:\s]+")


def _setup_py_roots(base: str) -> Iterator[str]:
    """Literal `package_dir={"": "src"}` and `find_packages("src")`/`where="src"` in setup.py."""
    try:
        with open(os.path.join(base, "setup.py"), encoding="utf-8") as handle:
            tree = ast.parse(handle.read())
    except (OSError, UnicodeDecodeError, SyntaxError, ValueError):
        return
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
        if name in ("find_packages", "find_namespace_packages"):
            args = list(node.args[:1]) + [k.value for k in node.keywords if k.arg == "where"]
            yield from (a.value for a in args if isinstance(a, ast.Constant) and isinstance(a.value, str))
        for keyword in node.keywords:
            if keyword.arg == "package_dir" and isinstance(keyword.value, ast.Dict):
                for key, value in zip(keyword.value.keys, keyword.value.values):
                    if isinstance(key, ast.Constant) and key.value == "" and isinstance(value, ast.Constant):
                        if isinstance(value.value, str):
                            yield value.value


_CONFIG_FILES = ("pyproject.toml", "setup.cfg", "pytest.ini", "tox.ini", "mypy.ini", ".mypy.ini", "setup.py")


def configured_roots(base: str) -> list[str]:
    """Source roots the project's configuration files in `base` name, as normalized paths."""
    found = []
    for raw in _configured_raw(base):
        raw = raw.replace("$MYPY_CONFIG_FILE_DIR", ".").strip()
        if not raw or os.path.isabs(raw):
            continue
        path = os.path.normpath(os.path.join(base, raw))
        if os.path.isdir(path):
            found.append(path)
    return found


def _configured_raw(base: str) -> list[str]:
    """The roots as _CONFIG_FILES write them, from the disk cache while those files and this
    module are unchanged (hooks._deps.parsecache): no TOML or INI parser, no parse of setup.py
    on a commit that changes none of them."""
    from hooks._deps.parsecache import read_inputs, remembered

    return remembered(
        "roots", base, read_inputs([os.path.join(base, name) for name in _CONFIG_FILES]), __file__,
        lambda: [*_pyproject_roots(base), *_ini_roots(base), *_setup_py_roots(base)], list, _strings,
    )


def _strings(value: Any) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueError("not a list of strings")
    return value


def manage_py_dirs(root: str, depth: int = _MANAGE_DEPTH) -> Iterator[str]:
    files, dirs = _listing(root)
    if "manage.py" in files:
        yield os.path.normpath(root)
    if depth > 0:
        for name in sorted(dirs):
            if name not in _SKIP and not name.startswith("."):
                yield from manage_py_dirs(os.path.join(root, name), depth - 1)


def project_dirs(root: str, depth: int = _MANAGE_DEPTH) -> Iterator[str]:
    """Directories below `root` holding a project of their own (a setup.py, or a
    pyproject.toml with a `[project]` or `[tool.poetry]` table): the packages of a monorepo,
    installed into its environment (uv/poetry workspaces, editable installs)."""
    if depth <= 0:
        return
    for name in sorted(_listing(root)[1]):
        if name in _SKIP or name.startswith("."):
            continue
        directory = os.path.join(root, name)
        files = _listing(directory)[0]
        if "setup.py" in files or ("pyproject.toml" in files and _declares_project(directory)):
            yield directory
            yield os.path.join(directory, "src")
        yield from project_dirs(directory, depth - 1)


def _declares_project(directory: str) -> bool:
    data = _read_toml(os.path.join(directory, "pyproject.toml"))
    return "project" in data or "poetry" in (data.get("tool") or {})


def workspace_members(base: str) -> Iterator[str]:
    """`[tool.uv.workspace] members` globs, and their src/ folders."""
    members = _get(_read_toml(os.path.join(base, "pyproject.toml")), "tool", "uv", "workspace", "members")
    for pattern in _as_list(members):
        import glob

        for directory in sorted(glob.glob(os.path.join(base, pattern))):
            if os.path.isdir(directory):
                yield directory
                yield os.path.join(directory, "src")


class SourceRoots:
    """The project's source roots and the first-party names in them (computed once)."""

    def __init__(self, root: str = ".", extra_bases: Iterable[str] = ()) -> None:
        _listing.cache_clear()  # listings are remembered for one run, not across runs
        self.root = os.path.normpath(root)
        roots = [self.root, os.path.join(self.root, "src"), *manage_py_dirs(self.root)]
        roots += [*project_dirs(self.root), *workspace_members(self.root)]
        for base in dict.fromkeys([self.root, *extra_bases]):
            roots += configured_roots(base)
        self.roots = [r for r in dict.fromkeys(os.path.normpath(r) for r in roots) if os.path.isdir(r)]
        self._memo: dict[tuple[str, str], bool] = {}
        self.names: set[str] = set()
        for directory in self.roots:
            self.names |= top_level_names(directory)

    def is_first_party(self, top: str, importer: str) -> bool:
        """`top` is the project's own: in a source root, or in a directory that holds the
        importing file or one of its ancestors up to the repository root."""
        if top in self.names:
            return True
        directory = os.path.dirname(importer)
        key = (directory, top)
        if key not in self._memo:
            self._memo[key] = any(provides(d, top) for d in ancestors(importer, self.root))
        return self._memo[key]


def ancestors(path: str, root: str) -> Iterator[str]:
    """The directories from `path`'s own up to `root` (inclusive), nearest first."""
    directory = os.path.normpath(os.path.dirname(path) or ".")
    root = os.path.normpath(root)
    absolute_root = os.path.abspath(root)
    while True:
        yield directory
        if directory == root or os.path.abspath(directory) == absolute_root:
            return
        parent = os.path.dirname(directory) or "."
        if parent == directory or not os.path.abspath(parent).startswith(absolute_root):
            return
        directory = os.path.normpath(parent)
