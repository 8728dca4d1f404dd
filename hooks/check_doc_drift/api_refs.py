"""Python API references in docs against the repository's own packages, through the shared
static API index (hooks/_api, also used by check-hallucinated-apis) built over the
repository's source roots: imports, attribute chains and call keywords in `python`/`pycon`
blocks and doctest lines, and inline code such as `mypkg.client.fetch()`.

Only names rooted at one of the repository's own top-level packages are judged, and only
when the index is certain (MISSING); a snippet that does not parse, a name the snippet
rebinds, a dynamic module or a base class out of reach: silent."""
from __future__ import annotations

import ast
import os
import re
from hooks._core.record import dataclass

from hooks.check_doc_drift.project import Project

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (~3 ms)
if TYPE_CHECKING:
    from typing import Any, Iterator, Optional, Sequence

PYTHON_LANGS = frozenset({"python", "py", "python3", "pycon", "pytb", "ipython", "doctest", "pyi"})
_FILE_SUFFIXES = frozenset(
    {"py", "pyi", "md", "rst", "txt", "json", "yaml", "yml", "toml", "cfg", "ini", "lock", "sh",
     "js", "ts", "tsx", "jsx", "html", "css", "env", "csv", "xml", "log", "db", "sqlite", "so",
     "whl", "gz", "zip", "png", "svg", "jpg", "com", "org", "io", "net", "dev", "ai"}
)
_INLINE = re.compile(r"^([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+)(\(.*\))?$")


@dataclass(frozen=True)
class ApiProblem:
    line: int
    col: int
    message: str
    key: tuple[str, ...]


def source_roots(project: Project) -> dict[str, str]:
    """Top-level package name -> the source root (directory) that holds it."""

    def build() -> dict[str, str]:
        inits = {f for f in project.code_files if f.endswith("/__init__.py") or f == "__init__.py"}
        roots: dict[str, str] = {}
        for init in sorted(inits, key=len):
            package = init.rsplit("/", 1)[0] if "/" in init else ""
            if not package:
                continue
            parent = package.rsplit("/", 1)[0] if "/" in package else ""
            if (parent + "/__init__.py" if parent else "__init__.py") in inits:
                continue  # a subpackage
            name = package.rsplit("/", 1)[-1]
            if name.isidentifier():
                roots.setdefault(name, parent)
        return roots

    return project.memo("api-roots", build)  # type: ignore[return-value]


def api_index(project: Project, root: str) -> Any:
    def build() -> Any:
        roots = sorted({os.path.abspath(os.path.join(root, r)) for r in source_roots(project).values()})
        return _project_index(roots)

    return project.memo("api-index", build)


def _project_index(roots: list[str]) -> Any:
    """The shared ApiIndex over the repository's source roots, with the extracted API of each
    source file cached on disk by path, size and mtime: the index leaves code that no
    distribution owns uncached (it changes as you edit), yet a docs check reads the same
    unchanged modules on every commit."""
    from hooks._api import ApiIndex, default_cache_dir
    from hooks._api.extract import FORMAT

    cache_root = os.path.join(default_cache_dir(), f"doc-drift-api-v{FORMAT}")

    class ProjectIndex(ApiIndex):
        def _load_api(self, module: str) -> Optional[dict[str, Any]]:  # noqa: D102
            location = self.finder.find(module)
            if location is None or location.file is None:
                return super()._load_api(module)
            try:
                stat = os.stat(location.file)
            except OSError:
                return super()._load_api(module)
            import hashlib

            key = f"{FORMAT}\0{module}\0{location.file}\0{stat.st_size}\0{stat.st_mtime_ns}\0{location.is_package}"
            path = os.path.join(cache_root, hashlib.sha256(key.encode("utf-8", "surrogateescape")).hexdigest()[:32] + ".json")
            from hooks._core.cache import read_json

            try:
                return read_json(path)["api"]  # type: ignore[index]
            except (KeyError, TypeError):
                pass
            api = super()._load_api(module)
            _write_atomic(path, {"api": api})
            return api

    return ProjectIndex(roots, cache_dir=None)


def _write_atomic(path: str, data: dict[str, Any]) -> None:
    import json

    from hooks._core.cache import write_atomic

    write_atomic(path, json.dumps(data, separators=(",", ":")))


# --- snippets -----------------------------------------------------------------------


@dataclass(frozen=True)
class Snippet:
    code: str
    lines: tuple[tuple[int, int], ...]  # snippet line index -> (doc line, column offset)


def snippets(blocks: Sequence[Any]) -> Iterator[Snippet]:
    """The Python source of each python/pycon block (prompted lines only when it has `>>>`),
    and the doctest lines of any other block."""
    for block in blocks:
        lines = block.lines
        prompted = any(c.text.lstrip().startswith(">>>") for c in lines)
        if block.lang not in PYTHON_LANGS and not prompted:
            continue
        code: list[str] = []
        where: list[tuple[int, int]] = []
        for c in lines:
            if prompted:
                stripped = c.text.lstrip()
                lead = len(c.text) - len(stripped)
                if stripped.startswith((">>> ", "... ")) or stripped in (">>>", "..."):
                    code.append(stripped[4:])
                    where.append((c.line, c.indent + lead + 4))
            else:
                code.append(c.text)
                where.append((c.line, c.indent))
        if code:
            yield Snippet("\n".join(code) + "\n", tuple(where))


def _parse(code: str) -> Optional[ast.Module]:
    import warnings

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return ast.parse(code)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None


def _dotted(node: ast.AST) -> Optional[tuple[str, list[ast.Attribute]]]:
    """`a.b.c` as ("a", [attribute nodes, innermost first])."""
    chain: list[ast.Attribute] = []
    while isinstance(node, ast.Attribute):
        chain.append(node)
        node = node.value
    if isinstance(node, ast.Name):
        return node.id, list(reversed(chain))
    return None


def _rebound(nodes: Sequence[ast.AST]) -> set[str]:
    """Names the snippet binds other than by importing (they may shadow an import)."""
    names: set[str] = set()
    for node in nodes:
        if isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)):
            names.add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.arg):
            names.add(node.arg)
        elif isinstance(node, ast.ExceptHandler) and node.name:
            names.add(node.name)
        elif isinstance(node, (ast.Global, ast.Nonlocal)):
            names.update(node.names)
    return names


class _SnippetChecker:
    def __init__(self, index: Any, packages: set[str], snippet: Snippet) -> None:
        self.index = index
        self.packages = packages
        self.snippet = snippet
        self.problems: list[ApiProblem] = []
        self.bound: dict[str, str] = {}  # local name -> dotted path in the project

    def at(self, node: ast.AST, col_offset: Optional[int] = None) -> tuple[int, int]:
        index = getattr(node, "lineno", 1) - 1
        line, offset = self.snippet.lines[min(index, len(self.snippet.lines) - 1)]
        col = getattr(node, "col_offset", 0) if col_offset is None else col_offset
        return line, offset + col + 1

    def report(self, node: ast.AST, message: str, key: tuple[str, ...], col_offset: Optional[int] = None) -> None:
        line, col = self.at(node, col_offset)
        self.problems.append(ApiProblem(line, col, message, key))

    def ours(self, dotted: str) -> bool:
        return dotted.split(".")[0] in self.packages

    def check(self, tree: ast.Module) -> None:
        nodes = list(ast.walk(tree))  # one walk: imports, rebindings, attributes and calls
        rebound = _rebound(nodes)
        for node in nodes:
            if isinstance(node, ast.Import):
                for alias in node.names:
                    if not self.ours(alias.name):
                        continue
                    if self.missing_module(node, alias.name):
                        continue
                    local = alias.asname or alias.name.split(".")[0]
                    if local not in rebound:
                        self.bound[local] = alias.name if alias.asname else local
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module and self.ours(node.module):
                if self.missing_module(node, node.module):
                    continue
                for alias in node.names:
                    if alias.name == "*":
                        continue
                    dotted = f"{node.module}.{alias.name}"
                    if self.missing(node, dotted, col_offset=None):
                        continue
                    local = alias.asname or alias.name
                    if local not in rebound:
                        self.bound[local] = dotted
        if not self.bound:
            return
        for node in nodes:
            if isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Load):
                self.check_chain(node)
            elif isinstance(node, ast.Call):
                self.check_call(node)

    def missing_module(self, node: ast.AST, module: str) -> bool:
        from hooks._api import MISSING

        resolution = self.index.module_status(module)
        if resolution.status != MISSING:
            return False
        near = f"; did you mean `{resolution.parent}.{resolution.nearest[0]}`?" if resolution.nearest else ""
        self.report(
            node, f"`{module}`: no such module in this repository ({resolution.parent} has no "
            f"`{resolution.name}`){near}; fix the doc or the code", ("api", module),
        )
        return True

    def missing(self, node: ast.AST, dotted: str, col_offset: Optional[int]) -> bool:
        from hooks._api import MISSING

        resolution = self.index.resolve(dotted)
        if resolution.status != MISSING:
            return False
        if not _placeholder(resolution.name):
            self.report(node, _missing_message(dotted, resolution), ("api", dotted), col_offset)
        return True

    def resolve_chain(self, node: ast.AST) -> Optional[str]:
        found = _dotted(node)
        if found is None or found[0] not in self.bound:
            return None
        return ".".join([self.bound[found[0]], *(a.attr for a in found[1])])

    def check_chain(self, node: ast.Attribute) -> None:
        # only the outermost attribute of a chain: `a.b.c` is judged once, as a whole
        if getattr(node, "_dg_inner", False):
            return
        value = node.value
        while isinstance(value, ast.Attribute):
            value._dg_inner = True  # type: ignore[attr-defined]
            value = value.value
        dotted = self.resolve_chain(node)
        if dotted is None:
            return
        from hooks._api import MISSING

        resolution = self.index.resolve(dotted)
        if resolution.status == MISSING and not _placeholder(resolution.name):
            # point at the first missing attribute
            missing_node = node
            found = _dotted(node)
            if found is not None:
                depth = len(resolution.path.split(".")) - len(self.bound[found[0]].split(".")) - 1
                if 0 <= depth < len(found[1]):
                    missing_node = found[1][depth]
            col = getattr(missing_node, "end_col_offset", None)
            col = col - len(missing_node.attr) if col is not None else None
            self.report(missing_node, _missing_message(resolution.path, resolution), ("api", resolution.path), col)

    def check_call(self, node: ast.Call) -> None:
        target = self.resolve_chain(node.func) if isinstance(node.func, ast.Attribute) else (
            self.bound.get(node.func.id) if isinstance(node.func, ast.Name) else None
        )
        if target is None or not node.keywords:
            return
        from hooks._api import FOUND

        if self.index.resolve(target).status != FOUND:
            return
        signature = self.index.signature(target)
        if signature is None or signature.takes_var_keyword:
            return
        names = signature.keyword_names()
        for keyword in node.keywords:
            if keyword.arg is None or keyword.arg in names:
                continue
            import difflib

            near = difflib.get_close_matches(keyword.arg, names, n=1, cutoff=0.6)
            hint = f"; did you mean `{near[0]}`?" if near else ""
            self.report(
                keyword, f"`{target}({keyword.arg}=...)`: {target.rsplit('.', 1)[-1]} takes no "
                f"keyword `{keyword.arg}`{hint}; fix the doc or the signature",
                ("keyword", target, keyword.arg),
            )


_PLACEHOLDER = re.compile(r"^(my|your|some|example|sample|foo|bar|baz|custom)(_|[A-Z]|$)", re.I)


def _placeholder(name: str) -> bool:
    """`MySerializer`, `my_function`, `foo`: a name a tutorial makes up for the reader."""
    return bool(_PLACEHOLDER.match(name))


def _missing_message(dotted: str, resolution: Any) -> str:
    parent, name = resolution.parent or dotted.rpartition(".")[0], resolution.name or dotted.rpartition(".")[2]
    hint = ""
    if resolution.elsewhere:
        hint = f"; it is in `{resolution.elsewhere[0]}`"
    elif resolution.nearest:
        hint = f"; did you mean `{resolution.nearest[0]}`?"
    return f"`{dotted}` does not exist: {parent} has no `{name}`{hint}; fix the doc or the code"


def block_problems(project: Project, root: str, blocks: Sequence[Any]) -> Iterator[ApiProblem]:
    packages = set(source_roots(project))
    if not packages:
        return
    # a name can only be ours through an import of one of our packages in the snippet
    imports_ours = project.memo(
        "api-imports-re",
        lambda: re.compile(r"\b(?:from|import)\s+(?:" + "|".join(map(re.escape, sorted(packages))) + r")\b"),
    )
    for snippet in snippets(blocks):
        if not imports_ours.search(snippet.code):  # type: ignore[attr-defined]
            continue
        tree = _parse(snippet.code)
        if tree is None:
            continue
        checker = _SnippetChecker(api_index(project, root), packages, snippet)
        checker.check(tree)
        yield from checker.problems


def inline_problems(project: Project, root: str, inline: Sequence[tuple[int, int, str]]) -> Iterator[ApiProblem]:
    """`mypkg.client.fetch()` in prose: judged when it is rooted at one of our packages."""
    # in prose, only the packages named like the project's distributions: other top-level
    # packages (Django apps such as `dcim`) share their names with labels and permissions
    names = {n.lower().replace("-", "_") for n in project.names}
    distributed = {p for p in source_roots(project) if p.lower() in names}
    if not distributed:
        return
    from hooks._api import MISSING

    for line, col, text in inline:
        match = _INLINE.match(text)
        if match is None:
            continue
        dotted, called = match.group(1), bool(match.group(2))
        parts = dotted.split(".")
        if parts[0] not in distributed or parts[-1].lower() in _FILE_SUFFIXES:
            continue
        if len(parts) < 3:
            continue  # `pkg.name` is as often a file, a label, a setting or a variable's method
        resolution = api_index(project, root).resolve(dotted)
        if resolution.status != MISSING or _placeholder(resolution.name):
            continue
        missing_last = resolution.path == dotted
        if not (called or missing_last or resolution.name[:1].isupper()):
            continue  # `pkg.response.state`: a dotted key (a span attribute), not a path
        yield ApiProblem(line, col, _missing_message(dotted, resolution), ("api", dotted))
