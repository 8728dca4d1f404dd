"""One module's API, read from its source or stub with `ast` (never imported).

The result is plain JSON data, cached on disk by `hooks._api.index`:

    {"dyn": bool,               # names may appear at run time: module __getattr__, globals(),
                                #   sys.modules tricks, __path__ edits, exec, setattr, ...
     "names": {name: entry},    # what the module binds at top level
     "stars": ["abs.module"],   # `from X import *`, resolved when asked
     "all": [..] or None,       # a literal __all__
     "stub": bool,              # read from a .pyi
     "sysmod": bool,            # writes sys.modules[...]: `import a.b` may work without a file
     "lazy": [..]}              # names a module __getattr__ answers, when it provably raises
                                #   AttributeError for every other name

An entry is a list whose first item says what the name is:

    ["m", "a.b"]          the module a.b (`import a.b as name`, `import a` binds a)
    ["i", "a.b", "x"]     `from a.b import x as name`: a.b's attribute x, or its submodule x
    ["c", class]          a class: {"b": [base expressions or None], "m": {name: entry},
                          "dyn": bool (attributes may appear at run time), "made": bool
                          (a metaclass or class decorator builds it), "kw": class keywords
                          other than metaclass,
                          "dc": dataclass fields as a signature, or None}
    ["f", signature, how] a function; signature is [[name, kind, has_default], ...] or None
                          when a decorator or an overload makes it uncertain; kind is one of
                          "p" positional-only, "pk" positional-or-keyword, "a" *args, "k"
                          keyword-only, "kw" **kwargs; self/cls are already dropped; how is
                          "" (module level), "m" method, "s" staticmethod, "c" classmethod,
                          "?" decorated
    ["f", signature, how, extra]
                          the same with facts about the body: {"fw": where its **kwargs go
                          (see hooks._api.forward)}, {"self": 1} for an `__enter__` that
                          returns self, {"raise": 1} for an `__exit__` that returns nothing
                          true
    ["v"]                 a value (its type is not tracked)
    ["a", "x.y"]          `name = x.y` at module level: whatever x.y means in this module
    ["t", "Cls"]          in a stub, `name: Cls`: an instance of Cls
    ["u", [entry, ...]]   bound in several ways (if/else, try/except, redefinition): the name
                          certainly exists, and is one of these
"""
from __future__ import annotations

import ast

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (~3 ms)
if TYPE_CHECKING:
    from typing import Any, Iterable, Optional, Sequence

Entry = list  # JSON list, see the module docstring
FORMAT = 3  # bump when the extracted data changes: old cache files are then ignored

# Class decorators that add no attributes and keep the constructor's signature honest
# enough to check (dataclass: fields become __init__ parameters, read below).
_SAFE_CLASS_DECORATORS = frozenset({
    "final", "typing.final", "typing_extensions.final", "total_ordering",
    "functools.total_ordering", "unique", "enum.unique", "runtime_checkable",
    "typing.runtime_checkable", "typing_extensions.runtime_checkable", "type_check_only",
    "typing.type_check_only",
})
_DATACLASS = frozenset({"dataclass", "dataclasses.dataclass"})
# Function decorators that keep the signature (minus self/cls where said).
_SAFE_FUNCTION_DECORATORS = frozenset({
    "staticmethod", "classmethod", "abstractmethod", "abc.abstractmethod", "final",
    "typing.final", "typing_extensions.final", "override", "typing.override",
    "typing_extensions.override", "type_check_only", "typing.type_check_only",
    # a static-typing marker: the decorated function is returned unchanged
    "dataclass_transform", "typing.dataclass_transform", "typing_extensions.dataclass_transform",
    "__dataclass_transform__",
})
# Decorators that turn a method into an attribute: the name exists, calls are not checked.
_OVERLOAD = frozenset({"overload", "typing.overload", "t.overload", "typing_extensions.overload"})
_PROPERTY_DECORATORS = frozenset({
    "property", "functools.cached_property", "cached_property", "abc.abstractproperty",
})
_SAFE_METACLASSES = frozenset({"ABCMeta", "abc.ABCMeta"})
# Module-level calls that create names the parser cannot see.


def dotted(node: ast.AST) -> Optional[str]:
    """`a.b.c` for a Name/Attribute chain, else None."""
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
        return ".".join(reversed(parts))
    return None


def _base_name(node: ast.expr) -> Optional[str]:
    # Generic[T], Base[int]: the subscripted class is the base
    if isinstance(node, ast.Subscript):
        node = node.value
    return dotted(node)


def signature_of(args: ast.arguments, drop_first: bool) -> list[list[Any]]:
    params: list[list[Any]] = []
    positional = [*getattr(args, "posonlyargs", []), *args.args]
    n_posonly = len(getattr(args, "posonlyargs", []))
    first_default = len(positional) - len(args.defaults)
    for i, arg in enumerate(positional):
        params.append([arg.arg, "p" if i < n_posonly else "pk", i >= first_default])
    if args.vararg is not None:
        params.append([args.vararg.arg, "a", True])
    for arg, default in zip(args.kwonlyargs, args.kw_defaults):
        params.append([arg.arg, "k", default is not None])
    if args.kwarg is not None:
        kwarg = [args.kwarg.arg, "kw", True]
        # **kwargs: Unpack[SomeTypedDict] (PEP 692): its keys are the keywords taken
        annotation = args.kwarg.annotation
        if isinstance(annotation, ast.Subscript) and (dotted(annotation.value) or "").endswith("Unpack"):
            inner = getattr(annotation.slice, "value", annotation.slice)  # 3.8's ast.Index
            if dotted(inner):
                kwarg.append(dotted(inner))
        params.append(kwarg)
    if drop_first and params and params[0][1] in ("p", "pk"):
        params = params[1:]
    return params


def _is_stub_ellipsis(node: ast.stmt) -> bool:
    return isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)


class _Namespace:
    """Names bound in one module or class body, each with every way it was bound."""

    def __init__(self) -> None:
        self.bound: dict[str, list[Entry]] = {}
        self.dyn = False

    def bind(self, name: str, entry: Entry) -> None:
        self.bound.setdefault(name, []).append(entry)

    def entries(self) -> dict[str, Entry]:
        out: dict[str, Entry] = {}
        for name, ways in self.bound.items():
            unique: list[Entry] = []
            for way in ways:
                if way not in unique:
                    unique.append(way)
            out[name] = unique[0] if len(unique) == 1 else ["u", unique]
        return out


class _Extractor:
    def __init__(self, module: str, is_package: bool, is_stub: bool) -> None:
        self.module = module
        self.package = module if is_package else module.rpartition(".")[0]
        self.is_stub = is_stub
        self.stars: list[str] = []
        self.all: Optional[list[str]] = None
        # `Cls.extra = ...` at module level, per class name
        self.late_members: dict[str, list[str]] = {}
        # classes given attributes by setattr(Cls, ...) at module level
        self.dynamic_classes: set[str] = set()
        self.registers_modules = False
        # names a module-level __getattr__ answers (only when it provably raises for others)
        self.lazy_names: list[str] = []

    # --- imports -------------------------------------------------------------------

    def absolute(self, node: ast.ImportFrom) -> Optional[str]:
        if not node.level:
            return node.module
        base = self.package.split(".") if self.package else []
        if node.level - 1 > len(base):
            return None
        if node.level > 1:
            base = base[: len(base) - (node.level - 1)]
        if node.module:
            base = [*base, node.module]
        return ".".join(base) or None

    def bind_import(self, ns: _Namespace, node: ast.stmt) -> None:
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    ns.bind(alias.asname, ["m", alias.name])
                else:
                    top = alias.name.split(".")[0]
                    ns.bind(top, ["m", top])
            return
        assert isinstance(node, ast.ImportFrom)
        source = self.absolute(node)
        for alias in node.names:
            if alias.name == "*":
                if source:
                    self.stars.append(source)
                else:
                    ns.dyn = True
                continue
            if source is None:
                ns.bind(alias.asname or alias.name, ["v"])
            else:
                ns.bind(alias.asname or alias.name, ["i", source, alias.name])

    # --- statements ----------------------------------------------------------------

    def visit_body(self, ns: _Namespace, body: Sequence[ast.stmt], in_class: bool) -> None:
        for node in body:
            self.visit_stmt(ns, node, in_class)

    def visit_stmt(self, ns: _Namespace, node: ast.stmt, in_class: bool) -> None:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            self.bind_import(ns, node)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            self.bind_function(ns, node, in_class)
        elif isinstance(node, ast.ClassDef):
            ns.bind(node.name, ["c", self.class_info(node)])
            if any((dotted(d) or "").endswith("global_enum") for d in node.decorator_list):
                ns.dyn = True  # the enum's members become module globals (re.IGNORECASE)
        elif isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            self.bind_assign(ns, node, in_class)
        elif isinstance(node, (ast.If, ast.Try, ast.For, ast.AsyncFor, ast.While, ast.With,
                               ast.AsyncWith)) or type(node).__name__ in ("TryStar", "Match"):
            # every branch may run: each binding is one of the ways the name exists
            for child in _child_statements(node):
                self.visit_stmt(ns, child, in_class)
            for handler in getattr(node, "handlers", ()):
                if handler.name:
                    ns.bind(handler.name, ["v"])
            for target in _loop_and_with_targets(node):
                for name in _target_names(target):
                    ns.bind(name, ["v"])
        elif isinstance(node, ast.Expr):
            self.scan_dynamic(ns, node.value, in_class)
        elif type(node).__name__ == "TypeAlias":
            ns.bind(node.name.id, ["v"])  # type: ignore[attr-defined]
        if not in_class and not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            self.scan_dynamic(ns, node, in_class)

    def scan_dynamic(self, ns: _Namespace, node: ast.AST, in_class: bool) -> None:
        """Module-level code that makes names the parser cannot see: writes through
        globals()/vars()/locals(), sys.modules[...] = ..., exec, setattr on a class of this
        module or on sys.modules[...], assignments to __getattr__ or __path__."""
        for sub in ast.walk(node):
            if isinstance(sub, ast.Call):
                name = dotted(sub.func)
                if name in ("exec", "lazy.attach", "lazy_loader.attach"):
                    ns.dyn = True
                elif (name or "").endswith(("._convert_", "._convert")) and any(
                        isinstance(a, ast.Name) and a.id == "__name__"
                        for a in [*sub.args, *(k.value for k in sub.keywords)]):
                    # handed the module's own name: may add to it through sys.modules
                    # (enum's _convert_ in ssl, signal, socket)
                    ns.dyn = True
                elif name in ("sys.modules.update", "sys.modules.setdefault"):
                    self.registers_modules = True
                elif name == "setattr" and len(sub.args) >= 2 and _is_dunder_literal(sub.args[1]):
                    pass  # setattr(obj, "__module__", ...): no new public name
                elif name == "setattr" and sub.args:
                    owner = sub.args[0]
                    owner_name = dotted(owner)
                    if owner_name and owner_name in ns.bound:
                        self.dynamic_classes.add(owner_name)
                    elif isinstance(owner, ast.Subscript) or (isinstance(owner, ast.Call)):
                        ns.dyn = True
                elif isinstance(sub.func, ast.Attribute) and isinstance(sub.func.value, ast.Call):
                    inner = dotted(sub.func.value.func)
                    if inner in ("globals", "vars", "locals") and sub.func.attr in (
                            "update", "setdefault", "__setitem__", "pop"):
                        ns.dyn = True
            elif isinstance(sub, ast.Subscript) and isinstance(getattr(sub, "ctx", None), (ast.Store, ast.Del)):
                value = sub.value
                if dotted(value) == "sys.modules":
                    # registers a module under some name: `import a.b` may work without a file
                    self.registers_modules = True
                    key = getattr(sub, "slice", None)
                    key = getattr(key, "value", key)  # Python 3.8's ast.Index
                    if isinstance(key, ast.Name) and key.id == "__name__":
                        ns.dyn = True  # the module replaces itself (3.13's collections.abc)
                elif isinstance(value, ast.Call) and dotted(value.func) in ("globals", "vars", "locals"):
                    ns.dyn = True
            elif isinstance(sub, ast.Name) and sub.id in ("__path__", "__getattr__") and not in_class:
                if isinstance(sub.ctx, ast.Store):
                    ns.dyn = True

    def bind_assign(self, ns: _Namespace, node: ast.stmt, in_class: bool) -> None:
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]  # type: ignore[attr-defined]
        value = getattr(node, "value", None)
        # `s = attributes = attrs`: another name for an object of this namespace or an
        # imported one (resolved when asked)
        alias = dotted(value) if value is not None and isinstance(node, ast.Assign) else None
        if (self.is_stub and not in_class and isinstance(node, ast.AnnAssign) and value is None
                and isinstance(node.target, ast.Name) and dotted(node.annotation)):
            # a stub declares `_rand: RandomState`: an instance of that class
            ns.bind(node.target.id, ["t", dotted(node.annotation)])
            return
        for target in targets:
            for name in _target_names(target):
                if name == "__all__" and not in_class:
                    self.read_all(node, value)
                if alias and isinstance(target, ast.Name) and not in_class and alias != name:
                    ns.bind(name, ["a", alias])
                else:
                    ns.bind(name, ["v"])
            if isinstance(target, ast.Attribute) and not in_class:
                # `Cls.extra = ...` at module level adds a member the class body never shows
                owner = dotted(target.value)
                if owner and "." not in owner:
                    self.late_members.setdefault(owner, []).append(target.attr)

    def read_all(self, node: ast.stmt, value: Optional[ast.expr]) -> None:
        names = _literal_strings(value)
        if isinstance(node, ast.AugAssign) and self.all is not None and names is not None:
            self.all = [*self.all, *names]
        elif isinstance(node, ast.Assign) or isinstance(node, ast.AnnAssign):
            self.all = names

    def bind_function(self, ns: _Namespace, node: ast.AST, in_class: bool) -> None:
        assert isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
        decorators = [_function_decorator(d) for d in node.decorator_list]
        if any(d in _PROPERTY_DECORATORS or (d or "").endswith((".setter", ".getter", ".deleter"))
               for d in decorators):
            ns.bind(node.name, ["v"])
            return
        overload = any(d in _OVERLOAD for d in decorators)
        decorators = [d for d in decorators if d not in _OVERLOAD]
        if any(d is None or d not in _SAFE_FUNCTION_DECORATORS for d in decorators):
            ns.bind(node.name, ["f", None, "?"])  # a decorator may change the signature
            return
        if not in_class and node.name == "__getattr__":
            names = getattr_names(node)
            if names is None:
                ns.dyn = True
            else:
                self.lazy_names.extend(names)
        drop_first = in_class and "staticmethod" not in decorators
        if not in_class:
            how = ""
        elif "staticmethod" in decorators:
            how = "s"
        elif "classmethod" in decorators:
            how = "c"
        else:
            how = "m"
        # "o" marks one overload: a call must fit one of them (see ApiIndex.signature)
        entry: Entry = ["f", signature_of(node.args, drop_first), ("o" if overload else "") + how]
        extra = _body_facts(node, in_class and how == "m", overload)
        if extra:
            entry.append(extra)
        ns.bind(node.name, entry)

    def class_info(self, node: ast.ClassDef) -> dict[str, Any]:
        ns = _Namespace()
        saved_late = self.late_members
        self.late_members = {}
        self.visit_body(ns, node.body, in_class=True)
        self.late_members = saved_late
        for name in _instance_attributes(node):
            if name not in ns.bound:
                ns.bind(name, ["v"])
        for name in _slots(node):
            if name not in ns.bound:
                ns.bind(name, ["v"])
        decorators = [dotted(d.func if isinstance(d, ast.Call) else d) for d in node.decorator_list]
        dyn = ns.dyn or any(n in ("__getattr__", "__getattribute__", "*") for n in ns.bound)
        ns.bound.pop("*", None)
        is_dataclass = False
        # construction may not be what __init__ says: a metaclass or a class decorator
        made = False
        for decorator in decorators:
            if decorator in _DATACLASS:
                is_dataclass = True
            elif decorator not in _SAFE_CLASS_DECORATORS:
                made = True
        for keyword in node.keywords:
            if keyword.arg == "metaclass" and dotted(keyword.value) not in _SAFE_METACLASSES:
                made = True
        dyn = dyn or made
        members = ns.entries()
        return {
            "b": [_base_name(b) for b in node.bases],
            "m": members,
            "dyn": dyn,
            "made": made,
            "kw": any(k.arg != "metaclass" for k in node.keywords),
            # a dataclass's generated __init__ takes its fields
            "dc": _dataclass_fields(node) if is_dataclass else None,
        }


def _body_facts(node: ast.AST, method: bool, overload: bool) -> dict[str, Any]:
    """What the index needs from a function's body: where its **kwargs go, and whether an
    `__enter__` returns self (then `with Cls() as v` binds an instance of Cls)."""
    from hooks._api import forward

    assert isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
    extra: dict[str, Any] = {}
    if overload:
        return extra
    if node.args.kwarg is not None:
        spec = forward.forwarding(node, method)
        if spec is not None:
            extra["fw"] = spec
    if method and node.name == "__enter__" and forward.returns_self(node):
        extra["self"] = 1
    if method and node.name == "__exit__" and forward.never_suppresses(node):
        extra["raise"] = 1  # exceptions in the with body get out
    return extra


def _function_decorator(node: ast.expr) -> Optional[str]:
    """The decorator's name; a call only for dataclass_transform(...), whose result returns
    the function unchanged (any other decorator factory may wrap it)."""
    if isinstance(node, ast.Call):
        name = dotted(node.func)
        return name if name and name.endswith("dataclass_transform") else None
    return dotted(node)


def _is_dunder_literal(node: ast.expr) -> bool:
    return (isinstance(node, ast.Constant) and isinstance(node.value, str)
            and node.value.startswith("__") and node.value.endswith("__"))


def getattr_names(func: ast.AST) -> Optional[list[str]]:
    """The names a module-level `def __getattr__(name)` can answer, when its body is a
    chain of `if name == "x"` / `if name in ("x", "y")` blocks ending in an unconditional
    `raise AttributeError(...)` (click, flask, pandas.util); None when it may answer
    anything else."""
    assert isinstance(func, (ast.FunctionDef, ast.AsyncFunctionDef))
    args = [*getattr(func.args, "posonlyargs", []), *func.args.args]
    if len(args) != 1:
        return None
    param = args[0].arg
    body = [s for s in func.body if not _is_stub_ellipsis(s)]
    names: list[str] = []
    for stmt in body:
        if isinstance(stmt, (ast.Import, ast.ImportFrom, ast.Expr, ast.Assign, ast.AnnAssign)):
            continue
        if isinstance(stmt, ast.If):
            tested, closed = _if_chain(stmt, param)
            if tested is None:
                return None
            names.extend(tested)
            if closed:
                return names  # only the tested names get past an `else: raise` (3.13's typing)
            continue
        return names if _raises_attribute_error(stmt) else None
    return None  # falls off the end: answers None for any name


def _if_chain(stmt: ast.If, param: str) -> tuple[Optional[list[str]], bool]:
    """Names tested by an if/elif chain, and whether its final `else` raises AttributeError."""
    tested = _compared_names(stmt.test, param)
    if tested is None:
        return None, False
    if not stmt.orelse:
        return tested, False
    if len(stmt.orelse) == 1 and isinstance(stmt.orelse[0], ast.If):
        more, closed = _if_chain(stmt.orelse[0], param)
        return (None, False) if more is None else (tested + more, closed)
    if _only_raises(stmt.orelse):
        return tested, True
    return None, False


def _raises_attribute_error(stmt: ast.stmt) -> bool:
    if not isinstance(stmt, ast.Raise) or stmt.exc is None:
        return False
    exc = stmt.exc.func if isinstance(stmt.exc, ast.Call) else stmt.exc
    return dotted(exc) == "AttributeError"


def _only_raises(body: Sequence[ast.stmt]) -> bool:
    return len(body) == 1 and _raises_attribute_error(body[0])


def _compared_names(test: ast.expr, param: str) -> Optional[list[str]]:
    if not isinstance(test, ast.Compare) or len(test.ops) != 1:
        return None
    left, op, right = test.left, test.ops[0], test.comparators[0]
    if isinstance(op, ast.Eq):
        for a, b in ((left, right), (right, left)):
            if isinstance(a, ast.Name) and a.id == param and isinstance(b, ast.Constant) and isinstance(b.value, str):
                return [b.value]
        return None
    if isinstance(op, ast.In) and isinstance(left, ast.Name) and left.id == param:
        if isinstance(right, (ast.Tuple, ast.List, ast.Set)):
            return _literal_strings(ast.List(elts=list(right.elts), ctx=ast.Load()))
    return None


def _dataclass_fields(node: ast.ClassDef) -> list[list[Any]]:
    """Annotated class-body names, in order, with whether they have a default: the
    generated __init__'s parameters. ClassVar/InitVar-free simple cases only; others
    make the list None-like by including a marker."""
    fields: list[list[Any]] = []
    for stmt in node.body:
        if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
            annotation = ast.dump(stmt.annotation)
            if "ClassVar" in annotation or "InitVar" in annotation or "KW_ONLY" in annotation:
                return [["?", "?", True]]
            default = stmt.value is not None
            if isinstance(stmt.value, ast.Call) and dotted(stmt.value.func) in ("field", "dataclasses.field"):
                keywords = {k.arg for k in stmt.value.keywords}
                if "init" in keywords or "kw_only" in keywords:
                    return [["?", "?", True]]
                default = bool(keywords & {"default", "default_factory"})
            fields.append([stmt.target.id, "pk", default])
    return fields


def _literal_strings(node: Optional[ast.expr]) -> Optional[list[str]]:
    if isinstance(node, (ast.List, ast.Tuple)):
        out = []
        for element in node.elts:
            if not (isinstance(element, ast.Constant) and isinstance(element.value, str)):
                return None
            out.append(element.value)
        return out
    return None


def _target_names(target: ast.AST) -> Iterable[str]:
    if isinstance(target, ast.Name):
        yield target.id
    elif isinstance(target, (ast.Tuple, ast.List)):
        for element in target.elts:
            yield from _target_names(element)
    elif isinstance(target, ast.Starred):
        yield from _target_names(target.value)


def _child_statements(node: ast.stmt) -> Iterable[ast.stmt]:
    for field in ("body", "orelse", "finalbody"):
        yield from getattr(node, field, ())
    for handler in getattr(node, "handlers", ()):
        yield from handler.body
    for case in getattr(node, "cases", ()):
        yield from case.body


def _loop_and_with_targets(node: ast.stmt) -> Iterable[ast.AST]:
    if isinstance(node, (ast.For, ast.AsyncFor)):
        yield node.target
    for item in getattr(node, "items", ()):
        if item.optional_vars is not None:
            yield item.optional_vars


_STATE_RESTORERS = frozenset({"__setstate__", "__copy__", "__deepcopy__", "__reduce__", "__reduce_ex__"})


def _walk_skipping(node: ast.AST, skipped: frozenset[str]) -> Iterable[ast.AST]:
    """ast.walk, not entering the functions named in `skipped`."""
    todo = [node]
    while todo:
        current = todo.pop()
        yield current
        for child in ast.iter_child_nodes(current):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)) and child.name in skipped:
                continue
            todo.append(child)


def _instance_attributes(node: ast.ClassDef) -> Iterable[str]:
    """`self.x = ...` (and `cls.x = ...`) anywhere in the class's methods. Unpickling and
    copying (__setstate__, __copy__, ...) only restore attributes the class's own code set,
    so their computed setattr calls do not make every name possible."""
    for sub in _walk_skipping(node, _STATE_RESTORERS):
        if isinstance(sub, ast.Attribute) and isinstance(sub.value, ast.Name) and sub.value.id in ("self", "cls"):
            if isinstance(sub.ctx, ast.Store):
                yield sub.attr
        elif _writes_instance_dict(sub):
            yield "*"  # self.__dict__.update(...): any attribute may appear
        elif isinstance(sub, ast.Call) and dotted(sub.func) in ("setattr", "object.__setattr__"):
            # setattr(self, "name", ...) with a literal name, else anything may appear
            args = sub.args
            if not args or not (isinstance(args[0], ast.Name) and args[0].id in ("self", "cls")):
                continue
            if len(args) >= 2 and isinstance(args[1], ast.Constant) and isinstance(args[1].value, str):
                yield args[1].value
            else:
                yield "*"


def _writes_instance_dict(node: ast.AST) -> bool:
    """self.__dict__.update(...) / .setdefault(...) / self.__dict__[k] = v, and the same
    through vars(self)."""
    def is_instance_dict(expr: ast.AST) -> bool:
        if dotted(expr) in ("self.__dict__", "cls.__dict__"):
            return True
        return (isinstance(expr, ast.Call) and dotted(expr.func) == "vars" and len(expr.args) == 1
                and dotted(expr.args[0]) in ("self", "cls"))

    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        return node.func.attr in ("update", "setdefault", "__setitem__") and is_instance_dict(node.func.value)
    if isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Store):
        return is_instance_dict(node.value)
    return False


def _slots(node: ast.ClassDef) -> Iterable[str]:
    for stmt in node.body:
        if isinstance(stmt, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "__slots__" for t in stmt.targets
        ):
            value = stmt.value
            if isinstance(value, ast.Constant) and isinstance(value.value, str):
                yield value.value
            else:
                yield from _literal_strings(value) or ()


def extract(source: str, module: str, is_package: bool, is_stub: bool) -> dict[str, Any]:
    """The module's API as JSON data. Raises SyntaxError/ValueError for unparsable source."""
    tree = ast.parse(source)
    extractor = _Extractor(module, is_package, is_stub)
    ns = _Namespace()
    extractor.visit_body(ns, tree.body, in_class=False)
    names = ns.entries()
    for owner in extractor.dynamic_classes:
        entry = names.get(owner)
        if entry and entry[0] == "c":
            entry[1]["dyn"] = True
    for owner, attrs in extractor.late_members.items():
        entry = names.get(owner)
        if entry and entry[0] == "c":
            for attr in attrs:
                entry[1]["m"].setdefault(attr, ["v"])
    return {"dyn": ns.dyn, "names": names, "stars": extractor.stars, "all": extractor.all,
            "stub": is_stub, "sysmod": extractor.registers_modules, "lazy": extractor.lazy_names}
