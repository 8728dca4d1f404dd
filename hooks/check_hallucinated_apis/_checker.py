"""check-hallucinated-apis' checking of one parsed file: what each name stands for, and the
attributes, imports and calls the installed API index does not have. Imported when a file is
checked: a warm run, whose results all come from the per-file cache, never loads `ast`."""
from __future__ import annotations

import ast
from hooks._core.record import dataclass

from hooks._core.files import SourceFile
from hooks._core.findings import Finding, char_col
from hooks.check_hallucinated_apis import HOOK_ID, first_party_names

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (~3 ms)
if TYPE_CHECKING:
    from typing import Any, Callable, Optional

# Handlers that make the guarded code's failures expected.
_IMPORT_GUARDS = frozenset({"ImportError", "ModuleNotFoundError", "Exception", "BaseException"})
_ATTRIBUTE_GUARDS = frozenset({"AttributeError", "Exception", "BaseException", "TypeError"})


# --- what a name in the checked file stands for --------------------------------------


@dataclass(frozen=True)
class Symbol:
    """A name bound with certainty: a module (`import a.b as m`), an object reached through
    a module (`from a import B`), or an instance of a class (`s = a.Session()`)."""

    kind: str  # "module", "object", "instance"
    path: str  # dotted path in the index
    written: str  # how the file spells it, for messages


class _Scope:
    def __init__(self, node: ast.AST, parent: Optional["_Scope"]) -> None:
        self.node = node
        self.parent = parent
        self.bindings: dict[str, list[ast.AST]] = {}
        self.declared_global: set[str] = set()
        self.is_class = isinstance(node, ast.ClassDef)

    def bind(self, name: str, node: ast.AST) -> None:
        self.bindings.setdefault(name, []).append(node)


def _handler_names(handler: ast.excepthandler) -> set[str]:
    kind = handler.type  # type: ignore[attr-defined]
    if kind is None:
        return {"BaseException"}
    nodes = kind.elts if isinstance(kind, ast.Tuple) else [kind]
    out = set()
    for node in nodes:
        if isinstance(node, ast.Name):
            out.add(node.id)
        elif isinstance(node, ast.Attribute):
            out.add(node.attr)
    return out


class _Collector(ast.NodeVisitor):
    """First pass: every scope's bindings, the imports that are certain, guarded regions,
    attribute stores and the names probed by hasattr/getattr."""

    def __init__(self) -> None:
        self.module_scope = _Scope(ast.Module(), None)
        self.scope = self.module_scope
        self.scope_of: dict[int, _Scope] = {}
        self.certain_imports: set[int] = set()  # ids of Import/ImportFrom nodes
        self.guarded_attrs: set[int] = set()  # ids of nodes inside try/except AttributeError
        self.import_guard = 0
        self.attr_guard = 0
        self.conditional = 0
        self.stored_attrs: set[str] = set()  # "name.attr" written by the file
        self.probed: set[str] = set()  # attribute names given to hasattr/getattr/setattr
        self.imports: list[tuple[ast.stmt, bool]] = []  # (node, certain)
        # attribute loads and calls, each with its scope, in the order met: the second pass
        # checks only these instead of walking the tree again
        self.uses: list[tuple[ast.AST, _Scope]] = []
        self.assign_of: dict[int, ast.Assign] = {}  # id(single Name target) -> its Assign

    # ast.NodeVisitor's walk at about half its cost per node (a 1 MB test file has 300,000):
    # each node class's handler looked up once, nodes that cannot hold another node
    # (contexts, operators, constants) skipped, fields read directly. The same nodes are
    # visited, in the same order.
    def visit(self, node: ast.AST) -> None:
        handler = _HANDLERS.get(node.__class__)
        if handler is None:
            handler = _HANDLERS[node.__class__] = _handler_for(node.__class__)
        handler(self, node)

    def generic_visit(self, node: ast.AST) -> None:
        for field in node._fields:
            value = getattr(node, field, None)
            if isinstance(value, list):
                for item in value:
                    if isinstance(item, ast.AST):
                        self.visit(item)
            elif isinstance(value, ast.AST):
                self.visit(value)

    # scopes
    def _enter(self, node: ast.AST) -> None:
        self.scope = _Scope(node, self.scope)
        self.scope_of[id(node)] = self.scope

    def visit_FunctionDef(self, node: ast.AST) -> None:  # noqa: N802 (ast visitor names)
        assert isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
        self.scope.bind(node.name, node)
        for decorator in node.decorator_list:
            self.visit(decorator)
        for default in [*node.args.defaults, *[d for d in node.args.kw_defaults if d]]:
            self.visit(default)
        outer = self.scope
        self._enter(node)
        args = node.args
        for arg in [*getattr(args, "posonlyargs", []), *args.args, *args.kwonlyargs,
                    *[a for a in (args.vararg, args.kwarg) if a]]:
            self.scope.bind(arg.arg, arg)
        for stmt in node.body:
            self.visit(stmt)
        self.scope = outer

    visit_AsyncFunctionDef = visit_FunctionDef  # noqa: N815

    def visit_Lambda(self, node: ast.Lambda) -> None:  # noqa: N802
        outer = self.scope
        self._enter(node)
        for arg in [*node.args.args, *node.args.kwonlyargs, *getattr(node.args, "posonlyargs", [])]:
            self.scope.bind(arg.arg, arg)
        for a in (node.args.vararg, node.args.kwarg):
            if a:
                self.scope.bind(a.arg, a)
        self.visit(node.body)
        self.scope = outer

    def visit_ClassDef(self, node: ast.ClassDef) -> None:  # noqa: N802
        self.scope.bind(node.name, node)
        for expr in [*node.bases, *node.keywords, *node.decorator_list]:
            self.visit(expr)
        outer = self.scope
        self._enter(node)
        for stmt in node.body:
            self.visit(stmt)
        self.scope = outer

    def _comprehension(self, node: ast.AST) -> None:
        outer = self.scope
        self._enter(node)
        self.generic_visit(node)
        self.scope = outer

    visit_ListComp = visit_SetComp = visit_DictComp = visit_GeneratorExp = _comprehension  # noqa: N815

    # bindings
    def visit_Name(self, node: ast.Name) -> None:  # noqa: N802
        if isinstance(node.ctx, (ast.Store, ast.Del)):
            self.scope.bind(node.id, node)

    def visit_Global(self, node: ast.Global) -> None:  # noqa: N802
        for name in node.names:
            self.scope.declared_global.add(name)
            self.module_scope.bind(name, node)  # rebound from a function: not certain

    def visit_Nonlocal(self, node: ast.Nonlocal) -> None:  # noqa: N802
        for name in node.names:
            self.scope.bind(name, node)
            scope = self.scope.parent
            while scope is not None:
                scope.bind(name, node)
                scope = scope.parent

    def visit_NamedExpr(self, node: Any) -> None:  # noqa: N802
        self.scope.bind(node.target.id, node)
        self.visit(node.value)

    def visit_ExceptHandler(self, node: ast.ExceptHandler) -> None:  # noqa: N802
        if node.name:
            self.scope.bind(node.name, node)
        self.generic_visit(node)

    def visit_MatchAs(self, node: Any) -> None:  # noqa: N802
        if node.name:
            self.scope.bind(node.name, node)
        self.generic_visit(node)

    def visit_MatchStar(self, node: Any) -> None:  # noqa: N802
        if node.name:
            self.scope.bind(node.name, node)

    def visit_MatchMapping(self, node: Any) -> None:  # noqa: N802
        if node.rest:
            self.scope.bind(node.rest, node)
        self.generic_visit(node)

    def _import(self, node: ast.stmt) -> None:
        certain = not (self.import_guard or self.conditional)
        self.imports.append((node, certain))
        if certain:
            self.certain_imports.add(id(node))
        for alias in node.names:  # type: ignore[attr-defined]
            if alias.name == "*":
                self.scope.bind("*", node)
            elif alias.asname:
                self.scope.bind(alias.asname, node)
            else:
                self.scope.bind(alias.name.split(".")[0], node)

    visit_Import = visit_ImportFrom = _import  # noqa: N815

    # guarded regions
    def visit_Try(self, node: Any) -> None:  # noqa: N802
        caught: set[str] = set()
        for handler in node.handlers:
            caught |= _handler_names(handler)
        guards_import = bool(caught & _IMPORT_GUARDS)
        guards_attr = bool(caught & _ATTRIBUTE_GUARDS)
        self.import_guard += guards_import
        self.attr_guard += guards_attr
        for stmt in node.body:
            self.visit(stmt)
        self.import_guard -= guards_import
        self.attr_guard -= guards_attr
        # handlers and else run when the body failed or after it: conditional
        self.conditional += 1
        for part in [*node.handlers, *node.orelse]:
            self.visit(part)
        self.conditional -= 1
        for stmt in node.finalbody:
            self.visit(stmt)

    visit_TryStar = visit_Try  # noqa: N815

    def visit_If(self, node: ast.If) -> None:  # noqa: N802
        self.visit(node.test)
        self.conditional += 1
        for stmt in [*node.body, *node.orelse]:
            self.visit(stmt)
        self.conditional -= 1

    def visit_Assign(self, node: ast.Assign) -> None:  # noqa: N802
        if len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            self.assign_of[id(node.targets[0])] = node
        self.generic_visit(node)

    def visit_Attribute(self, node: ast.Attribute) -> None:  # noqa: N802
        if isinstance(node.ctx, ast.Load):
            self.uses.append((node, self.scope))
        if isinstance(node.ctx, (ast.Store, ast.Del)):
            owner = _dotted(node.value)
            if owner:
                self.stored_attrs.add(f"{owner}.{node.attr}")
            self.probed.add(node.attr)
        if self.attr_guard:
            self.guarded_attrs.add(id(node))
        self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> None:  # noqa: N802
        self.uses.append((node, self.scope))
        if isinstance(node.func, ast.Name) and node.func.id in ("hasattr", "getattr", "setattr", "delattr"):
            if len(node.args) >= 2 and isinstance(node.args[1], ast.Constant) and isinstance(node.args[1].value, str):
                self.probed.add(node.args[1].value)
        if self.attr_guard:
            self.guarded_attrs.add(id(node))
        self.generic_visit(node)


# node class -> the _Collector method that visits it (filled as classes are met)
_HANDLERS: dict[type, Callable[[_Collector, Any], None]] = {}
# nodes that never hold another node: nothing to visit under them
_LEAVES = (ast.expr_context, ast.boolop, ast.operator, ast.unaryop, ast.cmpop, ast.Constant, ast.alias,
           ast.Pass, ast.Break, ast.Continue)


def _skip(visitor: _Collector, node: ast.AST) -> None:
    return None


def _handler_for(kind: type) -> Callable[[_Collector, Any], None]:
    name = f"visit_{kind.__name__}"
    method = getattr(_Collector, name, None)
    # ast.NodeVisitor's own visit_Constant only forwards to the visit_Num & co. that
    # _Collector does not define, then to generic_visit
    if method is not None and method is not getattr(ast.NodeVisitor, name, None):
        return method  # type: ignore[no-any-return]
    return _skip if issubclass(kind, _LEAVES) else _Collector.generic_visit


def _dotted(node: ast.AST) -> Optional[str]:
    from hooks._api.extract import dotted

    return dotted(node)


# --- the checker ----------------------------------------------------------------------


class Checker:
    def __init__(self, source: SourceFile, tree: ast.Module, index: Any, root: str = ".") -> None:
        from hooks._api import FOUND, MISSING

        self.FOUND, self.MISSING = FOUND, MISSING
        self.source = source
        self.index = index
        self.findings: list[Finding] = []
        self.collector = _Collector()
        self.collector.scope_of[id(tree)] = self.collector.module_scope
        for stmt in tree.body:
            self.collector.visit(stmt)
        self._symbols: dict[tuple[int, str], Optional[Symbol]] = {}
        self.first_party = first_party_names(root, source.path)
        self.reported: set[int] = set()  # attribute links already reported

    def finding(self, node: ast.AST, code: str, message: str, col_offset: Optional[int] = None) -> None:
        line = getattr(node, "lineno", 1)
        offset = node.col_offset if col_offset is None else col_offset  # type: ignore[attr-defined]
        col = char_col(self.source.line(line), offset)
        self.findings.append(Finding(self.source.path, line, col, code, message, HOOK_ID))

    # --- imports -------------------------------------------------------------------

    def check_imports(self) -> None:
        for node, certain in self.collector.imports:
            if not certain or self.is_first_party(node):
                continue
            if isinstance(node, ast.Import):
                for alias in node.names:
                    self.check_module(node, alias.name)
            elif isinstance(node, ast.ImportFrom) and not node.level and node.module and node.module != "__future__":
                if self.check_module(node, node.module):
                    for alias in node.names:
                        if alias.name != "*":
                            self.check_from_name(node, node.module, alias.name)

    def is_first_party(self, node: ast.stmt) -> bool:
        """An import of a top-level name the repository (or the file's own directory)
        has: at run time it shadows an installed module of the same name (a `tests`
        package some distribution installs, a local `utils.py`)."""
        if isinstance(node, ast.Import):
            return any(alias.name.split(".")[0] in self.first_party for alias in node.names)
        module = getattr(node, "module", None) or ""
        return module.split(".")[0] in self.first_party

    def check_module(self, node: ast.stmt, module: str) -> bool:
        status = self.index.module_status(module)
        if status.status == self.MISSING:
            hint = f" (did you mean {status.parent}.{status.nearest[0]}?)" if status.nearest else ""
            self.finding(node, "DG704", f"{status.owner}: no module named {module}{hint}")
            return False
        return status.status == self.FOUND

    def check_from_name(self, node: ast.stmt, module: str, name: str) -> None:
        result = self.index.resolve(f"{module}.{name}")
        if result.status != self.MISSING:
            return
        self.finding(node, "DG703", f"{result.owner}: cannot import name {name} from {module}{_hint(result)}")

    # --- names ------------------------------------------------------------------------

    def lookup_scope(self, scope: _Scope, name: str) -> Optional[_Scope]:
        """The scope whose binding of `name` a use in `scope` sees (Python's LEGB, class
        bodies skipped from inside functions)."""
        current: Optional[_Scope] = scope
        first = True
        while current is not None:
            if name in current.declared_global:
                return self.collector.module_scope
            if (first or not current.is_class) and name in current.bindings:
                return current
            first = False
            current = current.parent
        return None

    def symbol(self, scope: _Scope, name: str) -> Optional[Symbol]:
        owner = self.lookup_scope(scope, name)
        if owner is None:
            return None
        key = (id(owner), name)
        if key not in self._symbols:
            self._symbols[key] = None  # recursion guard
            self._symbols[key] = self._symbol_in(owner, name)
        return self._symbols[key]

    def _symbol_in(self, scope: _Scope, name: str) -> Optional[Symbol]:
        nodes = scope.bindings.get(name, [])
        if "*" in scope.bindings or not nodes:
            return None  # a star import may shadow it
        if all(isinstance(n, (ast.Import, ast.ImportFrom)) for n in nodes):
            # `import os` and `import os.path` bind the same os: certain when all agree
            if any(id(n) not in self.collector.certain_imports or self.is_first_party(n) for n in nodes):
                return None
            symbols = {_import_symbol(n, name) for n in nodes}
            return symbols.pop() if len(symbols) == 1 else None
        if len(nodes) != 1:
            return None  # bound twice
        node = nodes[0]
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            return self._assigned_instance(scope, node)
        return None

    def _assigned_instance(self, scope: _Scope, target: ast.Name) -> Optional[Symbol]:
        """`x = pkg.Class(...)` as the only binding of x: x is an instance of that class."""
        stmt = self.collector.assign_of.get(id(target))
        if stmt is not None and isinstance(stmt.value, ast.Call):
            # a certain constructor (no __new__, no metaclass, bases all read) makes
            # exactly that class
            return self.constructed(scope, stmt.value)
        return None

    def constructed(self, scope: _Scope, call: ast.Call) -> Optional[Symbol]:
        """The instance a call of a certain class makes."""
        callee = self.resolve_expr(scope, call.func)
        if (callee is not None and callee[1].status == self.FOUND and callee[1].kind == "class"
                and self.index.signature(callee[1].path) is not None):
            return Symbol("instance", callee[1].path, callee[0].split(".")[-1])
        return None

    def resolve_expr(self, scope: _Scope, node: ast.AST) -> Optional[tuple[str, Any]]:
        """(written text, Resolution) for a dotted expression rooted at a certain module or
        class symbol, reporting nothing; None when not certain."""
        dotted = _dotted(node)
        if not dotted:
            return None
        head, _, rest = dotted.partition(".")
        symbol = self.symbol(scope, head)
        if symbol is None or symbol.kind == "instance":
            return None
        path = symbol.path + ("." + rest if rest else "")
        return dotted, self.index.resolve(path)

    # --- attribute chains and calls ---------------------------------------------------------

    def check_tree(self, tree: ast.Module) -> None:
        self.check_imports()
        for node, scope in self.collector.uses:
            if isinstance(node, ast.Attribute):
                self.check_attribute(node, scope)
            else:
                self.check_call(node, scope)  # type: ignore[arg-type]

    def check_attribute(self, node: ast.Attribute, scope: _Scope) -> bool:
        """Report the first missing link of `a.b.c...`; True when reported."""
        if not isinstance(node.ctx, ast.Load) or id(node) in self.collector.guarded_attrs:
            return False
        chain: list[ast.Attribute] = []
        current: ast.AST = node
        while isinstance(current, ast.Attribute):
            chain.append(current)
            current = current.value
        if isinstance(current, ast.Name):
            symbol = self.symbol(scope, current.id)
            root_text = current.id
        elif isinstance(current, ast.Call):
            symbol = self.constructed(scope, current)  # `Path(x).read_txt()`
            root_text = symbol.written + "(...)" if symbol else ""
        else:
            return False
        if symbol is None:
            return False
        chain.reverse()
        path = symbol.path
        written = root_text
        for link in chain:
            if id(link) in self.reported:
                return True  # an outer chain already reported this link
            if link.attr in self.collector.probed or f"{written}.{link.attr}" in self.collector.stored_attrs:
                return False
            result = self.index.resolve(f"{path}.{link.attr}")
            if result.status == self.MISSING:
                parent = f"{symbol.written} object" if symbol.kind == "instance" and written == root_text else written
                self.reported.add(id(link))
                self.finding(link, "DG701", f"{result.owner}: {parent} has no attribute {link.attr}{_hint(result)}",
                             col_offset=_attr_col(self.source, link))
                return True
            if result.status != self.FOUND or result.kind not in ("module", "class"):
                return False
            path = result.path
            written = f"{written}.{link.attr}"
        return False

    def check_call(self, node: ast.Call, scope: _Scope) -> None:
        if id(node) in self.collector.guarded_attrs:
            return
        func = node.func
        target = self.callee(scope, func)
        if target is None:
            return
        written, path, owner, receiver = target
        # on an instance whose class is certain, `self.other(**kw)` inside is followed too
        signature = self.index.signature(path, receiver) if receiver else self.index.signature(path)
        if signature is None:
            return
        where = f"in {owner}"
        if not any(isinstance(a, ast.Starred) for a in node.args) and not signature.takes_var_positional:
            if len(node.args) > signature.max_positional:
                most = signature.max_positional
                self.finding(node, "DG702", (
                    f"{written}() {where} takes {'no' if most == 0 else f'at most {most}'} positional "
                    f"argument{'' if most == 1 else 's'}, {len(node.args)} given"))
                return
        # **kwargs: the keywords its callees take, when the index follows them with certainty
        accepted = signature.accepted_keywords(
            [k.arg for k in node.keywords], len(node.args), any(isinstance(a, ast.Starred) for a in node.args))
        if accepted is None:
            return
        for keyword in node.keywords:
            if keyword.arg is None or keyword.arg in accepted:
                continue
            import difflib

            close = difflib.get_close_matches(keyword.arg, accepted, n=1, cutoff=0.6)
            hint = f" (did you mean {close[0]}?)" if close else ""
            self.finding(keyword, "DG702", f"{written}() {where} takes no keyword {keyword.arg}{hint}",
                         col_offset=keyword.col_offset if hasattr(keyword, "col_offset") else node.col_offset)

    def callee(self, scope: _Scope, func: ast.AST) -> Optional[tuple[str, str, str, Optional[str]]]:
        """(written name, index path, owner, the class of the instance it is called on or
        None) of a certain function or class being called."""
        dotted = _dotted(func)
        if not dotted:
            return None
        head, _, rest = dotted.partition(".")
        symbol = self.symbol(scope, head)
        if symbol is None:
            return None
        if symbol.kind == "instance":
            if not rest or "." in rest or rest in self.collector.probed:
                return None
            path = f"{symbol.path}.{rest}"
            result = self.index.resolve(path)
            if result.status != self.FOUND or self.index.call_kind(path) not in ("method", "function"):
                return None
            return f"{symbol.written}.{rest}", path, result.owner, symbol.path
        path = symbol.path + ("." + rest if rest else "")
        result = self.index.resolve(path)
        if result.status != self.FOUND or self.index.call_kind(path) not in ("function", "class"):
            return None
        return dotted, path, result.owner, None


def _import_symbol(node: ast.stmt, name: str) -> Optional[Symbol]:
    if isinstance(node, ast.Import):
        for alias in node.names:
            if alias.asname == name:
                return Symbol("module", alias.name, name)
            if not alias.asname and alias.name.split(".")[0] == name:
                return Symbol("module", name, name)
        return None
    assert isinstance(node, ast.ImportFrom)
    if node.level or not node.module or node.module == "__future__":
        return None
    for alias in node.names:
        if (alias.asname or alias.name) == name:
            return Symbol("object", f"{node.module}.{alias.name}", name)
    return None


def _attr_col(source: SourceFile, node: ast.Attribute) -> int:
    """The byte offset of the attribute's name (after the dot), where the fix goes."""
    end_line = getattr(node, "end_lineno", node.lineno)
    end_col = getattr(node, "end_col_offset", None)
    if end_line == node.lineno and end_col is not None:
        return end_col - len(node.attr.encode("utf-8"))
    return node.col_offset


def _hint(result: Any) -> str:
    if result.elsewhere:
        return f" (it is in {result.elsewhere[0]})"
    if result.nearest:
        return f" (did you mean {result.nearest[0]}?)"
    return ""
