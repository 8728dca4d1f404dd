"""HTTP routes of the project's FastAPI, Flask and Django apps (ast; nothing imported), and
the check of `GET /path` references in docs against them.

A route's full path is its router's prefix plus the prefixes of the `include_router`,
`register_blueprint` and `include()` calls that mount it. A prefix that cannot be read (a
variable, a setting) becomes a wildcard: the route then matches any doc path that ends with
it. Django REST framework routers and includes that cannot be followed make their prefix
"open": nothing under it is judged. A doc path is only judged when its first segment is one
the app's routes start with (`/api/...`), so references to other services stay silent."""
from __future__ import annotations

import ast
import re
from hooks._core.record import dataclass, field

from hooks.check_doc_drift.project import Project

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (~3 ms)
if TYPE_CHECKING:
    from typing import Iterator, Sequence

HTTP_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS")
_ANY = "**"  # a mount prefix that could not be read: any number of leading segments
_PARAM = "{}"  # one segment of any value
_REST = "{path}"  # the rest of the path (`{p:path}`, `<path:p>`)
_WEB_HINTS = re.compile(r"APIRouter|FastAPI\(|Flask\(|Blueprint\(|urlpatterns|include_router|\.route\(|add_url_rule")


@dataclass(frozen=True)
class Route:
    segments: tuple[str, ...]
    methods: frozenset[str] | None  # None: any (Django views)
    where: str  # path:line

    @property
    def text(self) -> str:
        return "/" + "/".join("{...}" if s in (_PARAM, _REST) else s for s in self.segments if s != _ANY)


@dataclass
class RouteTable:
    routes: list[Route] = field(default_factory=list)
    open_prefixes: list[tuple[str, ...]] = field(default_factory=list)  # may contain _ANY


def split_path(path: str) -> tuple[str, ...]:
    return tuple(s for s in path.split("/") if s)


def _template_segment(segment: str) -> str:
    if segment.startswith("{") and segment.endswith("}"):
        return _REST if segment.endswith(":path}") else _PARAM
    if segment.startswith("<") and segment.endswith(">"):
        return _REST if segment.startswith("<path:") else _PARAM
    if "{" in segment or "<" in segment:
        return _PARAM  # `v<int:v>`, `{name}.json`: a literal around a parameter
    return segment


def template(path: str) -> tuple[str, ...]:
    return tuple(_ANY if _UNKNOWN in s else _template_segment(s) for s in split_path(path))


# --- reading the code ---------------------------------------------------------------


_UNKNOWN = "\0"  # a piece of an f-string path we cannot read (`f"{prefix}admin/"`)


def _path_literal(node: ast.expr | None, constants: dict[str, str]) -> str | None:
    """A route path, with _UNKNOWN for the f-string pieces that cannot be read."""
    if isinstance(node, ast.JoinedStr):
        parts = []
        for value in node.values:
            if isinstance(value, ast.Constant):
                parts.append(str(value.value))
            elif isinstance(value, ast.FormattedValue):
                inner = _literal(value.value, constants)
                parts.append(_UNKNOWN + "/" if inner is None else inner)
        return "".join(parts)
    return _literal(node, constants)


def _literal(node: ast.expr | None, constants: dict[str, str]) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        parts = []
        for value in node.values:
            if isinstance(value, ast.Constant):
                parts.append(str(value.value))
            elif isinstance(value, ast.FormattedValue):
                inner = _literal(value.value, constants)
                if inner is None:
                    return None
                parts.append(inner)
        return "".join(parts)
    if isinstance(node, (ast.Attribute, ast.Name)):
        name = node.attr if isinstance(node, ast.Attribute) else node.id
        return constants.get(name)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = _literal(node.left, constants), _literal(node.right, constants)
        return left + right if left is not None and right is not None else None
    return None


def _keyword(call: ast.Call, name: str) -> ast.expr | None:
    for keyword in call.keywords:
        if keyword.arg == name:
            return keyword.value
    return None


def _prefix(node: ast.expr | None, constants: dict[str, str]) -> tuple[str, ...]:
    if node is None:
        return ()
    value = _path_literal(node, constants)
    return template(value) if value is not None else (_ANY,)


@dataclass
class _Router:
    prefix: tuple[str, ...] = ()
    routes: list[tuple[tuple[str, ...], frozenset[str] | None, int]] = field(default_factory=list)
    mounts: list[tuple[ast.expr, tuple[str, ...]]] = field(default_factory=list)  # (router expr, prefix)
    is_app: bool = False


def _string_constants(project: Project) -> dict[str, str]:
    """UPPER_CASE names bound once to a string literal anywhere in the code (settings such as
    `API_V1_STR: str = "/api/v1"`); a name bound to two values is left out."""

    def build() -> dict[str, str]:
        seen: dict[str, set[str]] = {}
        pattern = re.compile(r"^\s*([A-Z][A-Z0-9_]+)\s*(?::\s*[\w\[\], .]+)?=\s*(['\"])([^'\"\n]*)\2\s*$", re.M)
        for path in project.code_files:
            text = project.text(path) or ""
            for match in pattern.finditer(text):
                seen.setdefault(match.group(1), set()).add(match.group(3))
        return {name: next(iter(values)) for name, values in seen.items() if len(values) == 1}

    return project.memo("constants", build)  # type: ignore[return-value]


def _parse(project: Project, path: str) -> ast.Module | None:
    text = project.text(path)
    if not text or not _WEB_HINTS.search(text):
        return None
    try:
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None


def _imports(tree: ast.Module) -> dict[str, str]:
    """Local name -> dotted module or module.attr it stands for."""
    names: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                names[alias.asname or alias.name] = f"{node.module}.{alias.name}"
        elif isinstance(node, ast.Import):
            for alias in node.names:
                names[alias.asname or alias.name.split(".")[0]] = alias.name if alias.asname else alias.name.split(".")[0]
    return names


_ROUTE_METHODS = {"get", "post", "put", "patch", "delete", "head", "options"}


class _FileRoutes:
    """FastAPI/Flask routers of one file: variable -> _Router."""

    def __init__(self, project: Project, path: str, tree: ast.Module) -> None:
        self.path = path
        self.routers: dict[str, _Router] = {}
        self.imports = _imports(tree)
        constants = _string_constants(project)
        for node in tree.body:
            self._assignment(node, constants)
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                self._decorated(node, constants)
            elif isinstance(node, ast.Call):
                self._call(node, constants)

    def _assignment(self, node: ast.stmt, constants: dict[str, str]) -> None:
        if isinstance(node, ast.AnnAssign):
            targets, value = [node.target], node.value
        elif isinstance(node, ast.Assign):
            targets, value = node.targets, node.value
        else:
            return
        if not isinstance(value, ast.Call):
            return
        kind = value.func.attr if isinstance(value.func, ast.Attribute) else value.func.id if isinstance(value.func, ast.Name) else ""
        if kind not in ("FastAPI", "APIRouter", "Flask", "Blueprint"):
            return
        # FastAPI's root_path belongs to a proxy in front, not to the routes
        prefix_arg = None if kind == "FastAPI" else _keyword(value, "prefix" if kind == "APIRouter" else "url_prefix")
        for target in targets:
            if isinstance(target, ast.Name):
                self.routers[target.id] = _Router(_prefix(prefix_arg, constants), is_app=kind in ("FastAPI", "Flask"))

    def _decorated(self, func: ast.FunctionDef | ast.AsyncFunctionDef, constants: dict[str, str]) -> None:
        for decorator in func.decorator_list:
            if not (isinstance(decorator, ast.Call) and isinstance(decorator.func, ast.Attribute)):
                continue
            owner = decorator.func.value
            if not isinstance(owner, ast.Name) or owner.id not in self.routers:
                continue
            verb = decorator.func.attr
            if verb in _ROUTE_METHODS:
                methods: frozenset[str] | None = frozenset({verb.upper()})
            elif verb in ("route", "api_route"):
                methods = self._methods(decorator, default=frozenset({"GET"}) if verb == "route" else None)
            else:
                continue
            path = _path_literal(decorator.args[0] if decorator.args else _keyword(decorator, "path"), constants)
            router = self.routers[owner.id]
            if path is None:
                router.routes.append(((_ANY,), None, decorator.lineno))
            else:
                router.routes.append((template(path), methods, decorator.lineno))

    @staticmethod
    def _methods(call: ast.Call, default: frozenset[str] | None) -> frozenset[str] | None:
        node = _keyword(call, "methods")
        if node is None:
            return default
        if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
            values = [e.value.upper() for e in node.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)]
            if len(values) == len(node.elts):
                return frozenset(values)
        return None

    def _call(self, node: ast.Call, constants: dict[str, str]) -> None:
        if not isinstance(node.func, ast.Attribute) or not isinstance(node.func.value, ast.Name):
            return
        owner = self.routers.get(node.func.value.id)
        if owner is None:
            return
        attr = node.func.attr
        if attr in ("include_router", "register_blueprint") and node.args:
            prefix = _keyword(node, "prefix" if attr == "include_router" else "url_prefix")
            owner.mounts.append((node.args[0], _prefix(prefix, constants)))
        elif attr == "add_url_rule" and node.args:
            path = _literal(node.args[0], constants)
            methods = self._methods(node, frozenset({"GET"}))
            owner.routes.append((template(path) if path is not None else (_ANY,), methods, node.lineno))
        elif attr == "add_api_route" and node.args:
            path = _literal(node.args[0], constants)
            owner.routes.append((template(path) if path is not None else (_ANY,), self._methods(node, None), node.lineno))


def _app_routes(project: Project, table: RouteTable) -> None:
    files: dict[str, _FileRoutes] = {}
    for path in project.code_files:
        text = project.text(path) or ""
        if not re.search(r"FastAPI\(|APIRouter\(|Flask\(|Blueprint\(", text):
            continue
        tree = _parse(project, path)
        if tree is not None:
            files[path] = _FileRoutes(project, path, tree)
    if not files:
        return

    def resolve(path: str, expr: ast.expr) -> tuple[str, str] | None:
        """The (file, variable) a router expression names: `router`, `items.router`, an import."""
        info = files[path]
        if isinstance(expr, ast.Name):
            if expr.id in info.routers:
                return path, expr.id
            dotted = info.imports.get(expr.id)
            if dotted and "." in dotted:
                module, _, name = dotted.rpartition(".")
                target = project.module_file(module)
                if target in files and name in files[target].routers:
                    return target, name
        if isinstance(expr, ast.Attribute) and isinstance(expr.value, ast.Name):
            dotted = info.imports.get(expr.value.id)
            if dotted:
                target = project.module_file(dotted)
                if target in files and expr.attr in files[target].routers:
                    return target, expr.attr
        return None

    mounted: set[tuple[str, str]] = set()
    for path, info in files.items():
        for router in info.routers.values():
            for expr, _ in router.mounts:
                found = resolve(path, expr)
                if found:
                    mounted.add(found)

    def emit(path: str, name: str, prefix: tuple[str, ...], depth: int) -> None:
        router = files[path].routers[name]
        full = prefix + router.prefix
        for segments, methods, line in router.routes:
            table.routes.append(Route(full + segments, methods, f"{path}:{line}"))
        if depth > 20:
            return
        for expr, mount_prefix in router.mounts:
            found = resolve(path, expr)
            if found is None:
                table.open_prefixes.append(full + mount_prefix)
            else:
                emit(found[0], found[1], full + mount_prefix, depth + 1)

    for path, info in files.items():
        for name, router in info.routers.items():
            if (path, name) in mounted:
                continue
            # an app is the root; a router nobody mounts (or mounted where we cannot see) may
            # live under any prefix
            emit(path, name, () if router.is_app else (_ANY,), 0)


# --- Django ---------------------------------------------------------------------------


def _root_urlconf(project: Project) -> str | None:
    pattern = re.compile(r"""^ROOT_URLCONF\s*=\s*['"]([\w.]+)['"]""", re.M)
    found = set()
    for path in project.code_files:
        if "settings" not in path and not path.endswith("conf.py"):
            continue
        match = pattern.search(project.text(path) or "")
        if match:
            found.add(match.group(1))
    return found.pop() if len(found) == 1 else None


def _regex_segments(regex: str) -> tuple[tuple[str, ...], bool]:
    """A `re_path` regex as template segments; False when it is more than literals and groups."""
    body = regex.lstrip("^").rstrip("$")
    body = re.sub(r"\(\?P<\w+>[^()]*\)", "{x}", body)
    if re.search(r"[\\()\[\]|?*+.^$]", body.replace("{x}", "")):
        literal = re.split(r"[\\()\[\]|?*+.^${]", body, 1)[0]
        return template(literal.rsplit("/", 1)[0] if "/" in literal else ""), False
    return template(body), True


def _django_routes(project: Project, table: RouteTable) -> None:
    root = _root_urlconf(project)
    if root is None:
        return
    constants = _string_constants(project)
    seen: set[str] = set()

    def patterns_of(path: str, tree: ast.Module, name: str) -> list[ast.expr]:
        items: list[ast.expr] = []
        for node in tree.body:
            value = None
            if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == name for t in node.targets):
                value = node.value
            elif isinstance(node, ast.AugAssign) and isinstance(node.target, ast.Name) and node.target.id == name:
                value = node.value
            elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.target.id == name:
                value = node.value
            if isinstance(value, (ast.List, ast.Tuple)):
                items.extend(value.elts)
            elif isinstance(value, ast.BinOp) and isinstance(value.op, ast.Add):
                for side in (value.left, value.right):
                    if isinstance(side, (ast.List, ast.Tuple)):
                        items.extend(side.elts)
                    else:
                        items.append(side)  # router.urls, another list: judged below
            elif value is not None:
                items.append(value)
        return items

    def walk_module(module: str, prefix: tuple[str, ...], depth: int) -> None:
        path = project.module_file(module)
        if path is None or depth > 12:
            table.open_prefixes.append(prefix)
            return
        key = f"{path}@{'/'.join(prefix)}"
        if key in seen:
            return
        seen.add(key)
        tree = _parse(project, path)
        if tree is None:
            table.open_prefixes.append(prefix)
            return
        walk_items(path, tree, patterns_of(path, tree, "urlpatterns"), prefix, depth)

    def module_constants(tree: ast.Module) -> dict[str, str]:
        """Module-level names first bound to a string literal (`prefix = ""`, later changed
        under a setting): the value a default configuration serves."""
        found = dict(constants)
        seen: set[str] = set()
        for node in tree.body:
            if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
                name = node.targets[0].id
                if name not in seen and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
                    found[name] = node.value.value
                seen.add(name)
        return found

    def walk_items(path: str, tree: ast.Module, items: list[ast.expr], prefix: tuple[str, ...], depth: int) -> None:
        local = module_constants(tree)
        for item in items:
            if isinstance(item, ast.Starred):
                item = item.value
            if _drf_router(path, tree, item, prefix):
                continue
            if not isinstance(item, ast.Call):
                table.open_prefixes.append(prefix)  # a computed list
                continue
            func = item.func.attr if isinstance(item.func, ast.Attribute) else item.func.id if isinstance(item.func, ast.Name) else ""
            if func in ("static",):
                continue
            if func not in ("path", "re_path", "url") or not item.args:
                table.open_prefixes.append(prefix)
                continue
            raw = _path_literal(item.args[0], local)
            if raw is None:
                here: tuple[str, ...] = prefix + (_ANY,)
                complete = True
            elif func == "path":
                here, complete = prefix + template(raw), True
            else:
                segments, complete = _regex_segments(raw)
                here = prefix + segments
            target = item.args[1] if len(item.args) > 1 else _keyword(item, "view")
            if isinstance(target, ast.Call) and isinstance(target.func, ast.Name) and target.func.id == "include":
                walk_include(path, tree, target, here, depth)
            elif not complete or isinstance(target, ast.Attribute) and target.attr == "urls":
                table.open_prefixes.append(here)  # a regex we cannot read; admin.site.urls
            else:
                table.routes.append(Route(here, None, f"{path}:{item.lineno}"))

    def walk_include(path: str, tree: ast.Module, call: ast.Call, here: tuple[str, ...], depth: int) -> None:
        arg = call.args[0] if call.args else None
        if isinstance(arg, ast.Tuple) and arg.elts:
            arg = arg.elts[0]
        name = _literal(arg, {}) if arg is not None else None
        if name is not None:
            walk_module(name, here, depth + 1)
        elif isinstance(arg, ast.Name):
            items = patterns_of(path, tree, arg.id)
            if items:
                walk_items(path, tree, items, here, depth + 1)
            else:
                table.open_prefixes.append(here)
        elif arg is None or not _drf_router(path, tree, arg, here):
            table.open_prefixes.append(here)  # admin.site.urls, a computed list

    def _drf_router(path: str, tree: ast.Module, item: ast.expr, prefix: tuple[str, ...]) -> bool:
        """`router.urls` of a Django REST framework router: `router.register("sites", ...)`
        serves `sites/` and `sites/<pk>/`; what lies below (actions) stays open."""
        if not (isinstance(item, ast.Attribute) and item.attr == "urls" and isinstance(item.value, ast.Name)):
            return False
        name = item.value.id
        registered = [
            node for node in ast.walk(tree)
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            and node.func.attr == "register" and isinstance(node.func.value, ast.Name)
            and node.func.value.id == name
        ]
        if not registered:
            return False
        table.routes.append(Route(prefix, None, f"{path}:{registered[0].lineno}"))  # the API root view
        for call in registered:
            value = _literal(call.args[0], {}) if call.args else None
            if value is None:
                table.open_prefixes.append(prefix)
                continue
            here = prefix + template(value)
            table.routes.append(Route(here, None, f"{path}:{call.lineno}"))
            table.open_prefixes.append(here + (_PARAM,))
        return True

    walk_module(root, (), 0)


def route_table(project: Project) -> RouteTable:
    def build() -> RouteTable:
        table = RouteTable()
        _app_routes(project, table)
        _django_routes(project, table)
        return table

    return project.memo("routes", build)  # type: ignore[return-value]


# --- matching -------------------------------------------------------------------------


def _is_placeholder(segment: str) -> bool:
    return bool(re.search(r"[{}<>:$*]|^\.\.\.$|^[A-Z][A-Z0-9_]*$|^(id|pk|uuid|slug)$", segment))


def _match(route: Sequence[str], doc: Sequence[str]) -> bool:
    if not route:
        return not doc
    head = route[0]
    if head == _ANY:
        return any(_match(route[1:], doc[i:]) for i in range(len(doc) + 1))
    if head == _REST:
        return bool(doc)
    if not doc:
        return False
    if head == _PARAM or _is_placeholder(doc[0]) or head == doc[0]:
        return _match(route[1:], doc[1:])
    return False


def _starts(prefix: Sequence[str], doc: Sequence[str]) -> bool:
    """Whether `doc` lies under an open prefix."""
    return any(_match((*prefix, _REST), doc[:i]) or _match(prefix, doc[:i]) for i in range(len(doc) + 1))


def owned_first_segments(table: RouteTable) -> set[str]:
    owned = set()
    for route in table.routes:
        for segment in route.segments:
            if segment != _ANY:
                if segment not in (_PARAM, _REST):
                    owned.add(segment)
                break
    return owned


_REFERENCE = re.compile(
    r"(?<![\w/-])(?P<methods>(?:GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)(?:\s*/\s*(?:GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS))*)"
    r"\s+(?:(?P<base>[A-Z][A-Z0-9_]{2,}|\{\{?\s*\w+\s*\}?\}|\$\{?\w+\}?|<\w+>|https?://(?:localhost|127\.0\.0\.1|0\.0\.0\.0)(?::\d+)?))?"
    r"(?P<path>/[^\s`'\"()\[\]]*)"
)


@dataclass(frozen=True)
class RouteProblem:
    line: int
    col: int
    message: str
    key: tuple[str, ...]


def references(lines: Sequence[str]) -> Iterator[tuple[int, int, list[str], str]]:
    for index, text in enumerate(lines):
        if "/" not in text:
            continue
        for match in _REFERENCE.finditer(text):
            path = re.split(r"[?#]", match.group("path"), maxsplit=1)[0].rstrip(".,;:")
            if path.strip("/"):
                methods = [m.strip() for m in match.group("methods").split("/")]
                yield index + 1, match.start() + 1, methods, path


def check_lines(project: Project, lines: Sequence[str]) -> Iterator[RouteProblem]:
    refs = list(references(lines))
    if not refs:
        return
    table = route_table(project)
    if not table.routes:
        return
    owned = owned_first_segments(table)
    for number, col, methods, path in refs:
        doc = split_path(path)
        if not doc or doc[0] not in owned:
            continue  # another service's path, or a mount we cannot see
        if any(_starts(prefix, doc) for prefix in table.open_prefixes):
            continue
        matching = [route for route in table.routes if _match(route.segments, doc)]
        shown = f"`{'/'.join(methods)} {path}`"
        if not matching:
            import difflib

            near = difflib.get_close_matches(path, [r.text for r in table.routes], n=1, cutoff=0.6)
            hint = ""
            if near:
                route = next(r for r in table.routes if r.text == near[0])
                hint = f"; nearest: `{near[0]}` ({route.where})"
            yield RouteProblem(
                number, col, f"{shown}: no route of the app matches this path{hint}; fix the doc or the route",
                ("route", path),
            )
            continue
        allowed: set[str] = set()
        for route in matching:
            if route.methods is None:
                allowed = set(HTTP_METHODS)
                break
            allowed |= route.methods
        if "GET" in allowed:
            allowed |= {"HEAD"}
        allowed |= {"OPTIONS"}
        missing = [m for m in methods if m not in allowed]
        if missing:
            yield RouteProblem(
                number, col,
                f"{shown}: the route `{matching[0].text}` ({matching[0].where}) takes "
                f"{', '.join(sorted(allowed - {'HEAD', 'OPTIONS'}))}, not {', '.join(missing)}; fix the doc or the route",
                ("method", path, *missing),
            )
