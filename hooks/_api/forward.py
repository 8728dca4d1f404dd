"""Where a function's `**kwargs` go, read statically (for hooks._api.extract).

`def get(url, params=None, **kwargs): return request("get", url, params=params, **kwargs)`
accepts exactly the keywords `get` names plus those `request` accepts, when `kwargs` is
used for nothing else. `forwarding(func)` records that as JSON data:

    {"to": callee, "kw": [keywords the forwarding call passes itself],
     "np": positional arguments it passes, "star": it also passes *args or another **mapping,
     "same": {keyword: the function's own parameter passed as is} (only when there are some)}

where `callee` is one of

    ["n", "a.b"]                 a name (or dotted name) of the module's own namespace
    ["l", ["A", "B"], "cls"]     a local name whose every binding is one of these module-level
                                 names; the third item is the parameter it also is (json.loads:
                                 `cls=None`, `if cls is None: cls = JSONDecoder`, `cls(**kw)`),
                                 whose value a call may set (then nothing is certain), or None
    ["w", "mod.Cls", "meth"]     `with mod.Cls(...) as v: v.meth(**kw)` (certain when Cls's
                                 __enter__ returns self and its __exit__ never returns true)
    ["i", "mod.Cls", "meth"]     `v = mod.Cls(...)` then `v.meth(**kw)`
    ["s", "meth"]                `self.meth(**kw)` in a plain method: certain only where the
                                 instance's class is (a call on `x = Cls()`, a constructor)

or None when the keywords' fate is not certain: the mapping is read by key, changed other
than by `kw["literal"] = value` or `kw.setdefault("literal", value)` (kw.pop, kw.update, del), passed to two calls or as a value,
merged into another mapping (`**{**kw, ...}`), seen by locals()/vars()/eval/exec, passed from
a nested function or under `try/except TypeError` (a fallback for keywords the callee
rejects), or the callee is an expression the module namespace does not name.
"""
from __future__ import annotations

import ast

from hooks._api.extract import dotted

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (~3 ms)
if TYPE_CHECKING:
    from typing import Any, Iterable, Optional

# Calls that can read a function's locals by name.
_FRAME_READERS = frozenset({"locals", "vars", "eval", "exec", "sys._getframe", "inspect.currentframe"})
# Handlers that would swallow the TypeError an unknown keyword raises.
_TYPE_ERROR_CATCHERS = frozenset({"TypeError", "Exception", "BaseException"})
_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)


def returns_self(func: ast.AST) -> bool:
    """`def __enter__(self): return self` (a docstring allowed)."""
    assert isinstance(func, (ast.FunctionDef, ast.AsyncFunctionDef))
    positional = [*getattr(func.args, "posonlyargs", []), *func.args.args]
    if not positional:
        return False
    body = [s for s in func.body if not (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant))]
    return (len(body) == 1 and isinstance(body[0], ast.Return) and isinstance(body[0].value, ast.Name)
            and body[0].value.id == positional[0].arg)


def never_suppresses(func: ast.AST) -> bool:
    """An `__exit__` that returns nothing true: an exception in the `with` body (the
    TypeError of a rejected keyword) gets out."""
    assert isinstance(func, (ast.FunctionDef, ast.AsyncFunctionDef))
    for stmt in func.body:
        for node in ast.walk(stmt):
            if isinstance(node, ast.Return) and node.value is not None and not (
                    isinstance(node.value, ast.Constant) and not node.value.value):
                return False
    return True


def forwarding(func: ast.AST, method: bool = False) -> Optional[dict[str, Any]]:
    """Where the function's **kwargs go (see the module docstring), or None. `method`: a
    plain method, whose first parameter is the instance."""
    assert isinstance(func, (ast.FunctionDef, ast.AsyncFunctionDef))
    if func.args.kwarg is None:
        return None
    name = func.args.kwarg.arg
    # one walk of the body that also notes each node's parent
    parents: dict[int, ast.AST] = {id(stmt): func for stmt in func.body}
    nodes: list[ast.AST] = []
    todo: list[ast.AST] = list(func.body)
    while todo:
        parent = todo.pop()
        nodes.append(parent)
        for child in ast.iter_child_nodes(parent):
            parents[id(child)] = parent
            todo.append(child)
    call = _the_forwarding_call(func, name, nodes, parents)
    if call is None or _inside_scope_or_guard(call, func, parents):
        return None
    local = _local_names(func, nodes)
    callee = _callee(func, call, local, nodes, method)
    if callee is None:
        return None
    explicit = [k.arg for k in call.keywords if k.arg is not None]
    star = any(isinstance(a, ast.Starred) for a in call.args) or sum(k.arg is None for k in call.keywords) > 1
    spec: dict[str, Any] = {"to": callee, "kw": explicit,
                            "np": sum(not isinstance(a, ast.Starred) for a in call.args), "star": star}
    # `loads(fp.read(), cls=cls, **kw)` (json.load): the callee's `cls` is our own untouched
    # parameter defaulting to None (as if not passed), so the caller's `cls=` decides the
    # callee's callee
    stored = {n.id for n in nodes if isinstance(n, ast.Name) and not isinstance(n.ctx, ast.Load)}
    params = {p for p, default in _defaults(func).items()
              if isinstance(default, ast.Constant) and default.value is None} - stored - {name}
    same = {k.arg: k.value.id for k in call.keywords
            if k.arg is not None and isinstance(k.value, ast.Name) and k.value.id in params}
    if same:
        spec["same"] = same
    return spec


def _the_forwarding_call(func: ast.AST, name: str, nodes: list[ast.AST],
                         parents: dict[int, ast.AST]) -> Optional[ast.Call]:
    """The one call passing `**name`, when every other use of the mapping is harmless."""
    found: Optional[ast.Call] = None
    for node in nodes:
        if isinstance(node, ast.Call) and dotted(node.func) in _FRAME_READERS:
            return None
        if _rebinds(node, name):
            return None
        if not (isinstance(node, ast.Name) and node.id == name):
            continue
        parent = parents.get(id(node))
        if isinstance(parent, ast.keyword) and parent.arg is None and isinstance(node.ctx, ast.Load):
            call = parents.get(id(parent))
            if found is not None or not isinstance(call, ast.Call):
                return None  # passed on twice: to two callees, or twice to one
            found = call
        elif not _harmless(node, parents):
            return None
    return found


def _rebinds(node: ast.AST, name: str) -> bool:
    """A binding of `name` other than an assignment (seen as a Name store, not harmless)."""
    if isinstance(node, (ast.Global, ast.Nonlocal)):
        return name in node.names
    if isinstance(node, ast.arg):
        return node.arg == name  # a nested function's parameter of the same name
    if isinstance(node, ast.alias):
        return (node.asname or node.name.split(".")[0]) == name
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.ExceptHandler)):
        return node.name == name
    return type(node).__name__ in ("MatchAs", "MatchStar", "MatchMapping") and name in (
        getattr(node, "name", None), getattr(node, "rest", None))


def _harmless(node: ast.Name, parents: dict[int, ast.AST]) -> bool:
    """Uses that leave the keywords the caller passed on their way to the callee: a truth
    test (`if not kw`, json.loads' fast path) and storing a literal key (`kw["object_hook"]
    = hook`: one more keyword for the callee, none taken away)."""
    parent = parents.get(id(node))
    if isinstance(parent, ast.Subscript) and parent.value is node:
        key = parent.slice
        return (isinstance(parent.ctx, ast.Store) and isinstance(key, ast.Constant)
                and isinstance(key.value, str))
    if isinstance(parent, ast.Attribute) and parent.attr == "setdefault":
        # kw.setdefault("allow_redirects", True): adds a keyword only if absent
        call = parents.get(id(parent))
        return (isinstance(call, ast.Call) and call.func is parent and len(call.args) in (1, 2)
                and not call.keywords and isinstance(call.args[0], ast.Constant)
                and isinstance(call.args[0].value, str))
    if not isinstance(node.ctx, ast.Load):
        return False
    return _truth_test(node, parents)


def _truth_test(node: ast.AST, parents: dict[int, ast.AST]) -> bool:
    parent = parents.get(id(node))
    if isinstance(parent, ast.UnaryOp) and isinstance(parent.op, ast.Not):
        return True
    if isinstance(parent, (ast.If, ast.While, ast.IfExp, ast.Assert)) and parent.test is node:
        return True
    if isinstance(parent, ast.BoolOp):
        # `a and kw` is kw itself when a is true: harmless only where just tested
        return _truth_test(parent, parents)
    return False


def _inside_scope_or_guard(call: ast.AST, func: ast.AST, parents: dict[int, ast.AST]) -> bool:
    """The call is in a nested function or class (it may never run), or in a `try` whose
    handler catches TypeError (a fallback for rejected keywords)."""
    child: ast.AST = call
    current = parents.get(id(call))
    while current is not None and current is not func:
        if isinstance(current, _SCOPES):
            return True
        if isinstance(current, ast.Try) or type(current).__name__ == "TryStar":
            if child in getattr(current, "body", ()) and any(
                    _catches_type_error(h) for h in current.handlers):  # type: ignore[attr-defined]
                return True
        child, current = current, parents.get(id(current))
    return False


def _catches_type_error(handler: ast.excepthandler) -> bool:
    kind = handler.type  # type: ignore[attr-defined]
    if kind is None:
        return True
    names = kind.elts if isinstance(kind, ast.Tuple) else [kind]
    return any((dotted(n) or "").split(".")[-1] in _TYPE_ERROR_CATCHERS for n in names)


def _parameters(func: ast.AST) -> list[ast.arg]:
    args = func.args  # type: ignore[attr-defined]
    return [*getattr(args, "posonlyargs", []), *args.args, *args.kwonlyargs,
            *[a for a in (args.vararg, args.kwarg) if a is not None]]


def _local_names(func: ast.AST, nodes: Iterable[ast.AST]) -> set[str]:
    """Every name the function (or a scope inside it: over-counting only makes more names
    uncertain) binds."""
    names = {a.arg for a in _parameters(func)}
    for node in nodes:
        if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
            names.add(node.id)
        elif isinstance(node, (ast.Global, ast.Nonlocal)):
            names.update(node.names)
        elif isinstance(node, ast.arg):
            names.add(node.arg)
        elif isinstance(node, ast.alias):
            names.add(node.asname or node.name.split(".")[0])
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.ExceptHandler) and node.name:
            names.add(node.name)
        elif type(node).__name__ in ("MatchAs", "MatchStar", "MatchMapping"):
            for attr in ("name", "rest"):
                if getattr(node, attr, None):
                    names.add(getattr(node, attr))
    return names


def _callee(func: ast.AST, call: ast.Call, local: set[str], nodes: list[ast.AST],
            method: bool) -> Optional[list[Any]]:
    written = dotted(call.func)
    if not written:
        return None  # super().__init__(**kw), factory()(**kw), ...
    head, _, rest = written.partition(".")
    if head not in local:
        return ["n", written]
    if not rest:
        return _local_values(func, head, local, nodes)
    if "." in rest:
        return None
    if method and _is_untouched_self(func, head, nodes):
        return ["s", rest]
    return _local_instance(func, head, rest, local, nodes)


def _is_untouched_self(func: ast.AST, name: str, nodes: list[ast.AST]) -> bool:
    """`name` is the method's first parameter and nothing rebinds it."""
    positional = [*getattr(func.args, "posonlyargs", []), *func.args.args]  # type: ignore[attr-defined]
    if not positional or positional[0].arg != name:
        return False
    return not any(_rebinds(n, name) or (isinstance(n, ast.Name) and n.id == name
                                         and not isinstance(n.ctx, ast.Load)) for n in nodes)


def _module_level(expr: Optional[ast.AST], local: set[str]) -> Optional[str]:
    """A dotted name of the module's namespace (not shadowed by a local)."""
    written = dotted(expr) if expr is not None else None
    if not written or written.split(".")[0] in local:
        return None
    return written


def _defaults(func: ast.AST) -> dict[str, Optional[ast.expr]]:
    """Each parameter's default expression (None: no default)."""
    args = func.args  # type: ignore[attr-defined]
    positional = [*getattr(args, "posonlyargs", []), *args.args]
    defaults: dict[str, Optional[ast.expr]] = {a.arg: None for a in _parameters(func)}
    for arg, default in zip(positional[len(positional) - len(args.defaults):], args.defaults):
        defaults[arg.arg] = default
    for arg, default in zip(args.kwonlyargs, args.kw_defaults):
        defaults[arg.arg] = default
    return defaults


def _local_values(func: ast.AST, name: str, local: set[str], nodes: list[ast.AST]) -> Optional[list[Any]]:
    """["l", values, parameter] when every binding of the local `name` is a module-level
    class or function: `name = Dotted` assignments, and a parameter defaulting to None (not
    callable: the call fails unless reassigned) or to such a name."""
    values: list[str] = []
    guard: Optional[str] = None
    args = func.args  # type: ignore[attr-defined]
    defaults = _defaults(func)
    if name in defaults:
        if name in (getattr(args.vararg, "arg", None), getattr(args.kwarg, "arg", None)):
            return None
        default = defaults[name]
        if default is None:
            return None  # required: the caller always chooses the callee
        if not (isinstance(default, ast.Constant) and default.value is None):
            value = _module_level(default, local)
            if value is None:
                return None
            values.append(value)
        guard = name
    stores = 0
    assigned: list[str] = []
    for node in nodes:
        if _rebinds(node, name):
            return None
        if isinstance(node, ast.Name) and node.id == name and not isinstance(node.ctx, ast.Load):
            stores += 1
        elif (isinstance(node, ast.Assign) and len(node.targets) == 1
              and isinstance(node.targets[0], ast.Name) and node.targets[0].id == name):
            value = _module_level(node.value, local)
            if value is None:
                return None
            assigned.append(value)
    if stores != len(assigned):
        return None  # bound some other way (for, with, augmented, annotated, walrus, del)
    values.extend(assigned)
    return ["l", sorted(set(values)), guard] if values else None


def _local_instance(func: ast.AST, name: str, method: str, local: set[str],
                    nodes: list[ast.AST]) -> Optional[list[Any]]:
    """["w", Cls, method] for `with Cls(...) as name`, ["i", Cls, method] for
    `name = Cls(...)`, when that is the only binding of `name`."""
    if any(a.arg == name for a in _parameters(func)):
        return None
    stores = [n for n in nodes if isinstance(n, ast.Name) and n.id == name and not isinstance(n.ctx, ast.Load)]
    if len(stores) != 1 or any(_rebinds(n, name) for n in nodes):
        return None
    target = stores[0]
    for node in nodes:
        # `v.meth = other` or setattr(v, ...) replaces the method on this instance
        if isinstance(node, ast.Attribute) and isinstance(node.ctx, (ast.Store, ast.Del)) and \
                isinstance(node.value, ast.Name) and node.value.id == name:
            return None
        if isinstance(node, ast.Call) and dotted(node.func) in ("setattr", "delattr", "object.__setattr__") \
                and node.args and isinstance(node.args[0], ast.Name) and node.args[0].id == name:
            return None
    for node in nodes:
        if isinstance(node, (ast.With, ast.AsyncWith)):
            for item in node.items:
                if item.optional_vars is target and isinstance(item.context_expr, ast.Call):
                    cls = _module_level(item.context_expr.func, local)
                    return ["w", cls, method] if cls and isinstance(node, ast.With) else None
        elif isinstance(node, ast.Assign) and node.targets == [target] and isinstance(node.value, ast.Call):
            cls = _module_level(node.value.func, local)
            return ["i", cls, method] if cls else None
    return None
