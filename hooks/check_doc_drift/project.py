"""The project the docs describe, read statically: its files, console scripts, names and the
string literals of its own code. Everything is computed lazily, once per process."""
from __future__ import annotations

import configparser
import os
import re
from hooks._core.record import dataclass, field
from typing import Callable, Iterable, Sequence

from hooks._core.findings import HookError

# Directories whose Python is not the project's runtime code.
_NOT_CODE_DIRS = frozenset(
    {"tests", "test", "testing", "docs", "doc", "examples", "example", "benchmarks", "scripts",
     "node_modules", ".venv", "venv", "site-packages", "__pycache__", ".git", "build", "dist"}
)


def is_test_path(path: str) -> bool:
    parts = path.split("/")
    name = parts[-1]
    if name == "conftest.py" or name.startswith("test_") or name.endswith("_test.py"):
        return True
    return any(part in ("tests", "test", "testing") for part in parts[:-1])


def is_runtime_code(path: str) -> bool:
    parts = path.split("/")
    return path.endswith(".py") and not is_test_path(path) and not any(
        part in _NOT_CODE_DIRS for part in parts[:-1]
    )


@dataclass(frozen=True)
class Script:
    """A console script: `name = module:attr`, declared in `declared_in`."""

    name: str
    module: str
    attr: str
    declared_in: str
    project_dir: str  # the directory of the file that declares it ("" = root)


# A file's text as the check sees it: the work tree, or a commit in diff mode.
Reader = Callable[[str], "str | None"]


def read_worktree(path: str) -> str | None:
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError:
        return None
    if b"\0" in data[:8192]:
        return None
    return data.decode("utf-8", errors="replace")


@dataclass
class Project:
    """Facts about the repository at one state (the work tree, or a commit)."""

    files: list[str]  # every file, relative posix paths
    read: Reader = read_worktree
    root: str = "."  # where the files are on disk (the API index reads them there)
    # diff mode: the state before a change shares what it knows of every file the change
    # did not touch with the state after (read and parsed once)
    same_as: Project | None = None
    changed: frozenset[str] = frozenset()
    _cache: dict[str, object] = field(default_factory=dict)

    def text(self, path: str) -> str | None:
        return self.file_memo("text", path, lambda: self.read(path))  # type: ignore[return-value]

    def file_memo(self, kind: str, path: str, compute: Callable[[], object]) -> object:
        """What `compute` derives from one file, shared with `same_as` for untouched files."""
        if self.same_as is not None and path not in self.changed:
            return self.same_as.file_memo(kind, path, compute)
        key = f"{kind}:{path}"
        if key not in self._cache:
            self._cache[key] = compute()
        return self._cache[key]

    def memo(self, key: str, compute: Callable[[], object]) -> object:
        if key not in self._cache:
            self._cache[key] = compute()
        return self._cache[key]

    @property
    def python_files(self) -> list[str]:
        return self.memo("py", lambda: [f for f in self.files if f.endswith(".py")])  # type: ignore[return-value]

    @property
    def code_files(self) -> list[str]:
        return self.memo("code", lambda: [f for f in self.python_files if is_runtime_code(f)])  # type: ignore[return-value]

    @property
    def docs(self) -> list[str]:
        from hooks.check_doc_drift.docs import is_doc

        return self.memo("docs", lambda: [f for f in self.files if is_doc(f)])  # type: ignore[return-value]

    # --- metadata -----------------------------------------------------------------

    def metadata_files(self) -> list[str]:
        names = ("pyproject.toml", "setup.cfg", "setup.py")
        return [
            f for f in self.files
            if f.rsplit("/", 1)[-1] in names and f.count("/") <= 3
            and not any(part in _NOT_CODE_DIRS for part in f.split("/")[:-1])
        ]

    @property
    def scripts(self) -> list[Script]:
        return self.memo("scripts", self._read_scripts)  # type: ignore[return-value]

    @property
    def names(self) -> set[str]:
        """The project's distribution names (as written), from every metadata file."""
        self.scripts  # noqa: B018 - reading the metadata fills the names
        return self._cache["names"]  # type: ignore[return-value]

    def toml(self, path: str) -> dict | None:
        def load() -> dict | None:
            text = self.text(path)
            if text is None:
                return None
            from hooks._core.config import load_toml  # noqa: F401 - same parser choice

            import sys

            if sys.version_info >= (3, 11):
                import tomllib
            else:  # pragma: no cover
                import tomli as tomllib
            try:
                return tomllib.loads(text)
            except (tomllib.TOMLDecodeError, ValueError):
                return None  # not ours to judge: check-hallucinated-deps reports bad TOML

        return self.memo("toml:" + path, load)  # type: ignore[return-value]

    def _read_scripts(self) -> list[Script]:
        scripts: list[Script] = []
        names: set[str] = set()
        for path in self.metadata_files():
            directory = path.rsplit("/", 1)[0] if "/" in path else ""
            base = path.rsplit("/", 1)[-1]
            if base == "pyproject.toml":
                entries, name = self._pyproject_scripts(path)
            elif base == "setup.cfg":
                entries, name = self._setup_cfg_scripts(path)
            else:
                entries, name = self._setup_py_scripts(path)
            if name:
                names.add(name)
            for script_name, target in entries:
                module, _, attr = target.partition(":")
                module = module.strip()
                if script_name and re.fullmatch(r"[\w.]+", module):
                    scripts.append(Script(script_name.strip(), module, attr.strip(), path, directory))
        self._cache["names"] = names
        return scripts

    def _pyproject_scripts(self, path: str) -> tuple[list[tuple[str, str]], str | None]:
        data = self.toml(path) or {}
        project = data.get("project") if isinstance(data.get("project"), dict) else {}
        poetry = data.get("tool", {}).get("poetry", {}) if isinstance(data.get("tool"), dict) else {}
        entries: list[tuple[str, str]] = []
        for table in (project.get("scripts"), poetry.get("scripts") if isinstance(poetry, dict) else None):
            if isinstance(table, dict):
                for name, target in table.items():
                    if isinstance(target, dict):
                        target = target.get("reference") or target.get("callable") or ""
                    if isinstance(target, str):
                        entries.append((name, target))
        name = project.get("name") or (poetry.get("name") if isinstance(poetry, dict) else None)
        return entries, name if isinstance(name, str) else None

    def _setup_cfg_scripts(self, path: str) -> tuple[list[tuple[str, str]], str | None]:
        text = self.text(path) or ""
        parser = configparser.ConfigParser(interpolation=None)
        try:
            parser.read_string(text, source=path)
        except configparser.Error:
            return [], None
        entries: list[tuple[str, str]] = []
        if parser.has_option("options.entry_points", "console_scripts"):
            for line in parser.get("options.entry_points", "console_scripts").splitlines():
                name, sep, target = line.partition("=")
                if sep:
                    entries.append((name.strip(), target.strip()))
        name = parser.get("metadata", "name", fallback=None)
        return entries, name

    def _setup_py_scripts(self, path: str) -> tuple[list[tuple[str, str]], str | None]:
        import ast

        text = self.text(path) or ""
        if "setup(" not in text:
            return [], None
        try:
            tree = ast.parse(text)
        except (SyntaxError, ValueError):
            return [], None
        entries: list[tuple[str, str]] = []
        name = None
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            for keyword in node.keywords:
                if keyword.arg == "name" and isinstance(keyword.value, ast.Constant) and isinstance(keyword.value.value, str):
                    name = keyword.value.value
                if keyword.arg == "entry_points" and isinstance(keyword.value, ast.Dict):
                    for key, value in zip(keyword.value.keys, keyword.value.values):
                        if isinstance(key, ast.Constant) and key.value == "console_scripts" and isinstance(value, (ast.List, ast.Tuple)):
                            for item in value.elts:
                                if isinstance(item, ast.Constant) and isinstance(item.value, str) and "=" in item.value:
                                    script, _, target = item.value.partition("=")
                                    entries.append((script.strip(), target.strip()))
        return entries, name

    # --- modules ------------------------------------------------------------------

    def module_file(self, module: str, near: str = "") -> str | None:
        """The file defining `module` (a dotted name), preferring the declaring project's dir."""
        rel = module.replace(".", "/")
        index = self.memo("pyset", lambda: set(self.python_files))
        prefixes = [near + "/" if near else ""]
        if near:
            prefixes.append("")
        for prefix in prefixes:
            for root in ("", "src/"):
                for candidate in (f"{prefix}{root}{rel}.py", f"{prefix}{root}{rel}/__init__.py"):
                    if candidate in index:  # type: ignore[operator]
                        return candidate
        suffixes = (f"/{rel}.py", f"/{rel}/__init__.py")
        matches = [f for f in self.python_files if f.endswith(suffixes) and is_runtime_code(f)]
        return min(matches, key=len) if matches else None

    def package_dir(self, module: str, near: str = "") -> str | None:
        """The directory of `module`'s top-level package."""
        top = module.split(".")[0]
        path = self.module_file(top, near)
        if path is None:
            return None
        return path.rsplit("/", 1)[0] if path.endswith("/__init__.py") else None

    def files_under(self, directory: str) -> list[str]:
        prefix = directory + "/" if directory else ""
        return [f for f in self.code_files if f.startswith(prefix)]

    def has_literal(self, files: Sequence[str], values: Iterable[str]) -> bool:
        """Whether some file in `files` has one of `values` as a whole string literal
        ('v' or "v"): plain substring searches, cheaper than collecting every literal."""
        wanted = [v for v in values if v]
        for path in files:
            text = self.text(path)
            if not text:
                continue
            for value in wanted:
                if value in text and (f"'{value}'" in text or f'"{value}"' in text):
                    return True
        return False

    def has_word(self, files: Sequence[str], word: str) -> bool:
        """Whether `word` is an identifier (or a word) in some file of `files`."""
        pattern = re.compile(rf"(?<![\w-]){re.escape(word)}(?![\w-])")
        for path in files:
            text = self.text(path)
            if text and word in text and pattern.search(text):
                return True
        return False

    def literals(self, files: Iterable[str]) -> frozenset[str]:
        """Every short one-line string literal in `files` (regex, not ast: fast, and a superset
        is what the conservative checks want)."""
        key = "lit:" + "\0".join(files)
        return self.memo(key, lambda: _literals(self, files))  # type: ignore[return-value]


_STRING = re.compile(r"""(?:'([^'\\\n]{1,120})'|"([^"\\\n]{1,120})")""")


def _literals(project: Project, files: Iterable[str]) -> frozenset[str]:
    found: set[str] = set()
    for path in files:
        found.update(project.file_memo("literals", path, lambda p=path: _file_literals(project.text(p))))  # type: ignore[call-overload]
    return frozenset(found)


def _file_literals(text: str | None) -> frozenset[str]:
    if not text:
        return frozenset()
    return frozenset(m.group(1) if m.group(1) is not None else m.group(2) for m in _STRING.finditer(text))


# --- the work tree's project ------------------------------------------------------


def worktree_project(root: str = ".") -> Project:
    """The project as the work tree has it; one per run (a run reads each file once)."""
    return Project(list_files(root), _rooted_reader(root), root=root)


def _rooted_reader(root: str) -> Reader:
    if root in (".", ""):
        return read_worktree
    return lambda path: read_worktree(os.path.join(root, path))


def list_files(root: str = ".") -> list[str]:
    """The files git tracks (plus untracked, not ignored ones), or every file outside git."""
    from hooks._core.git import run_git

    try:
        # one git call (it fails outside a repository)
        out = run_git(["ls-files", "-z", "--full-name", "--cached", "--others", "--exclude-standard", "--", "."], cwd=root)
    except HookError:
        out = None
    if out is not None and os.path.exists(os.path.join(root, ".git")):  # the root of the work tree
        return sorted({name for name in out.split("\0") if name})
    from hooks._core.runner import SKIP_DIRS

    files = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS)
        for name in filenames:
            rel = os.path.relpath(os.path.join(dirpath, name), root)
            files.append(rel.replace(os.sep, "/"))
    return sorted(files)
