"""Environment variable reads in Python source, found in the AST (nothing is imported).

Recognised: `os.environ[...]`, `os.environ.get()`, `os.getenv()` (and `environ`/`getenv`
imported by name or aliased, `os.environb`/`os.getenvb`), `"X" in os.environ`,
pydantic-settings `BaseSettings` fields, django-environ `env(...)`/`env.str(...)`,
python-decouple `config(...)`, and calls of a project helper that passes its argument to
one of those (one level, same module or imported from a module of the repository).
Writes (`os.environ[...] = `, `del`, `.setdefault()`, `.pop()`, `.update()`) are not reads.
"""
from __future__ import annotations

import ast
import os
import re
from hooks._core.record import dataclass, field
from typing import Iterator, Tuple, Union

from hooks._core.files import SourceFile, TooNewSyntax, parse_python, read_source, report_skipped
from hooks._core.findings import char_col
from hooks._env.model import FileReads, Read

# django-environ's `env(...)`, `env.str(...)`, `Env`, and calls of helpers named after the
# environment (`get_from_env(...)`, `env_or(...)`); not "venv" or "environment"
_ENV_WORD = re.compile(r"(?<![\w])[eE]nv\b|[eE]nv\w*\s*\(")

# django-environ Env methods -> (index of the default among positional args, default var name)
_DJANGO_METHODS: dict[str, tuple[int, str | None]] = {
    "str": (1, None), "bytes": (1, None), "bool": (1, None), "int": (1, None),
    "float": (1, None), "json": (1, None), "url": (1, None), "path": (1, None),
    "list": (2, None), "tuple": (2, None), "dict": (2, None),
    "db_url": (1, "DATABASE_URL"), "db": (1, "DATABASE_URL"),
    "cache_url": (1, "CACHE_URL"), "cache": (1, "CACHE_URL"),
    "email_url": (1, "EMAIL_URL"), "email": (1, "EMAIL_URL"),
    "search_url": (1, "SEARCH_URL"),
    "channels_url": (1, "CHANNELS_URL"), "channels": (1, "CHANNELS_URL"),
}
_ENVIRONS_METHODS = frozenset({
    "str", "int", "bool", "float", "decimal", "list", "dict", "json", "datetime", "date",
    "time", "timedelta", "path", "log_level", "uuid", "url", "enum", "dj_db_url",
    "dj_email_url", "dj_cache_url",
})
_SETTINGS_MODULES = ("pydantic_settings", "pydantic", "pydantic.env_settings", "pydantic.v1")
_DECOUPLE_FACTORIES = ("AutoConfig", "Config")

NameSource = Union[ast.expr, str]


@dataclass(frozen=True)
class Helper:
    """A project function that reads the variable named by its parameter `param`."""

    name: str
    param: str
    index: int | None  # positional index of `param`, None when keyword-only
    required: bool
    how: str


@dataclass
class _RawRead:
    node: ast.AST
    name: NameSource  # an expression naming the variable, or the name itself
    required: bool
    how: str
    scheme_defaults: frozenset[str] = frozenset()
    environs: str | None = None  # the environs Env instance read through (prefixes apply)


@dataclass
class ModuleBindings:
    """What the names of one module are bound to, as far as env reads are concerned."""

    os_modules: set[str] = field(default_factory=set)
    environ: set[str] = field(default_factory=set)
    getenv: set[str] = field(default_factory=set)
    constants: dict[str, str] = field(default_factory=dict)
    decouple_config: set[str] = field(default_factory=set)
    decouple_modules: set[str] = field(default_factory=set)
    decouple_factories: set[str] = field(default_factory=set)
    django_modules: set[str] = field(default_factory=set)
    django_env_class: set[str] = field(default_factory=set)
    django_env: dict[str, frozenset[str]] = field(default_factory=dict)
    guessed_env: set[str] = field(default_factory=set)  # `from x import env`: probably an Env
    settings_bases: set[str] = field(default_factory=set)
    settings_modules: set[str] = field(default_factory=set)
    environs_modules: set[str] = field(default_factory=set)
    environs_class: set[str] = field(default_factory=set)
    environs_env: dict[str, str] = field(default_factory=dict)  # instance -> its prefix
    starlette_class: set[str] = field(default_factory=set)
    starlette_config: set[str] = field(default_factory=set)
    imported_functions: dict[str, tuple[str, int, str]] = field(default_factory=dict)
    imported_modules: dict[str, tuple[str, int]] = field(default_factory=dict)


def parse(source: SourceFile, report: bool = True) -> ast.Module | None:
    """The file's tree, or None. `report`: say on stderr which file was skipped (a hook that
    only reads the code to judge something else, like docs, stays quiet)."""
    from hooks._core.files import too_new

    known = source.path in too_new()
    try:
        return parse_python(source)
    except TooNewSyntax:
        if not report and not known:
            too_new().pop(source.path, None)
        # else: the runner reports these once per run
    except SyntaxError as exc:
        if report:
            report_skipped(source.path, f"not valid Python (line {exc.lineno}: {exc.msg})")
    except (ValueError, MemoryError, RecursionError) as exc:
        if report:
            report_skipped(source.path, f"cannot parse as Python ({exc})")
    return None


# The node types anything below looks at; every other node is only walked through.
_TRY_TYPES = (ast.Try, getattr(ast, "TryStar", ast.Try))
_FUNCTION_TYPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)
_GUARD_TYPES = (ast.If, ast.IfExp, ast.While, ast.BoolOp)
_USED = (ast.Import, ast.ImportFrom, ast.Assign, ast.Subscript, ast.Compare, ast.Call,
         ast.ClassDef, ast.With, ast.AsyncWith, *_TRY_TYPES, *_FUNCTION_TYPES, *_GUARD_TYPES)
# Nodes with no child worth visiting.
_LEAVES = (ast.Constant, ast.Name, ast.expr_context, ast.alias, ast.Pass, ast.Break,
           ast.Continue, ast.operator, ast.unaryop, ast.cmpop, ast.boolop)


def all_nodes(tree: ast.AST) -> list[ast.AST]:
    """The nodes below `tree` of the types the readers use (`_USED`), in no particular
    order. The hot loop of the hook: an explicit stack, no generators, leaves not opened,
    about three times faster than filtering `ast.walk`."""
    used, leaves, node_type = _USED, _LEAVES, ast.AST
    out: list[ast.AST] = []
    stack = [tree]
    pop, push = stack.pop, stack.append
    while stack:
        node = pop()
        if isinstance(node, used):
            out.append(node)
        for name in node._fields:
            value = getattr(node, name, None)
            if isinstance(value, list):
                stack.extend(
                    [item for item in value if isinstance(item, node_type) and not isinstance(item, leaves)]
                )
            elif isinstance(value, node_type) and not isinstance(value, leaves):
                push(value)
    return out


# --- bindings ---------------------------------------------------------------------


def _bind_import(node: ast.Import, b: ModuleBindings) -> None:
    for alias in node.names:
        local = alias.asname or alias.name.split(".")[0]
        if alias.name == "os":
            b.os_modules.add(local)
        elif alias.name == "environ":
            b.django_modules.add(local)
        elif alias.name == "decouple":
            b.decouple_modules.add(local)
        elif alias.name == "environs":
            b.environs_modules.add(local)
        elif alias.name in _SETTINGS_MODULES:
            b.settings_modules.add(alias.asname or alias.name)
        elif alias.asname:
            b.imported_modules[alias.asname] = (alias.name, 0)


def _bind_import_from(node: ast.ImportFrom, b: ModuleBindings) -> None:
    module = node.module or ""
    for alias in node.names:
        local = alias.asname or alias.name
        if node.level == 0 and module == "os":
            if alias.name in ("environ", "environb"):
                b.environ.add(local)
            elif alias.name in ("getenv", "getenvb"):
                b.getenv.add(local)
        elif node.level == 0 and module == "decouple":
            if alias.name == "config":
                b.decouple_config.add(local)
            elif alias.name in _DECOUPLE_FACTORIES:
                b.decouple_factories.add(local)
        elif node.level == 0 and module == "environ":
            if alias.name == "Env":
                b.django_env_class.add(local)
        elif node.level == 0 and module in _SETTINGS_MODULES:
            if alias.name == "BaseSettings":
                b.settings_bases.add(local)
        elif node.level == 0 and module == "environs":
            if alias.name in ("Env", "FileAwareEnv"):
                b.environs_class.add(local)
            elif alias.name == "env":  # environs' ready-made instance
                b.environs_env[local] = ""
        elif node.level == 0 and module == "starlette.config":
            if alias.name == "Config":
                b.starlette_class.add(local)
        elif alias.name == "env":
            # cookiecutter-django style: `from .base import env` (a django-environ Env)
            b.django_env[local] = frozenset()
            b.guessed_env.add(local)
        elif alias.name != "*":
            b.imported_functions[local] = (module, node.level, alias.name)
            b.imported_modules[local] = (f"{module}.{alias.name}" if module else alias.name,
                                         node.level)


def _scheme_defaults(call: ast.Call) -> frozenset[str]:
    """Names given a default in `Env(NAME=(cast, default))`."""
    return frozenset(
        kw.arg for kw in call.keywords
        if kw.arg and isinstance(kw.value, ast.Tuple) and len(kw.value.elts) == 2
    )


def _bind_assign(node: ast.Assign, b: ModuleBindings, module_level: bool) -> None:
    if len(node.targets) != 1 or not isinstance(node.targets[0], ast.Name):
        return
    target = node.targets[0].id
    value = node.value
    if _is_environ(value, b):
        b.environ.add(target)
    elif _is_getenv(value, b):
        b.getenv.add(target)
    elif isinstance(value, ast.Call) and _is_django_env_class(value.func, b):
        b.django_env[target] = _scheme_defaults(value)
    elif isinstance(value, ast.Call) and _is_decouple_factory(value.func, b):
        b.decouple_config.add(target)
    elif isinstance(value, ast.Call) and _is_environs_class(value.func, b):
        prefix = next((kw.value for kw in value.keywords if kw.arg == "prefix"), None)
        literal = isinstance(prefix, ast.Constant) and isinstance(prefix.value, str)
        b.environs_env[target] = prefix.value if literal else ""  # type: ignore[union-attr]
    elif isinstance(value, ast.Call) and _is_name_in(value.func, b.starlette_class):
        b.starlette_config.add(target)
    elif module_level and isinstance(value, ast.Constant) and isinstance(value.value, str):
        # a constant assigned twice is not a constant
        b.constants[target] = value.value if target not in b.constants else ""


def bindings_of(tree: ast.Module, nodes: list[ast.AST] | None = None) -> ModuleBindings:
    """`nodes`: `all_nodes(tree)`, when the caller already has them."""
    b = ModuleBindings()
    module_level = {id(stmt) for stmt in tree.body}
    nodes = all_nodes(tree) if nodes is None else nodes
    assigns = []
    for node in nodes:
        if isinstance(node, ast.Import):
            _bind_import(node, b)
        elif isinstance(node, ast.ImportFrom):
            _bind_import_from(node, b)
        elif isinstance(node, ast.Assign):
            assigns.append(node)
    assigns.sort(key=lambda n: (n.lineno, n.col_offset))  # `A = os.environ; B = A`
    for node in assigns:  # after the imports: `E = os.environ` needs `os` bound
        _bind_assign(node, b, id(node) in module_level)
    b.constants = {k: v for k, v in b.constants.items() if v}
    return b


# --- expression shapes ------------------------------------------------------------


def _is_attr(node: ast.AST, names: set[str], attr: str | tuple[str, ...]) -> bool:
    attrs = (attr,) if isinstance(attr, str) else attr
    return (
        isinstance(node, ast.Attribute) and node.attr in attrs
        and isinstance(node.value, ast.Name) and node.value.id in names
    )


def _is_environ(node: ast.AST, b: ModuleBindings) -> bool:
    if isinstance(node, ast.Name):
        return node.id in b.environ
    return _is_attr(node, b.os_modules, ("environ", "environb"))


def _is_getenv(node: ast.AST, b: ModuleBindings) -> bool:
    if isinstance(node, ast.Name):
        return node.id in b.getenv
    return _is_attr(node, b.os_modules, ("getenv", "getenvb"))


def _is_django_env_class(node: ast.AST, b: ModuleBindings) -> bool:
    if isinstance(node, ast.Name):
        return node.id in b.django_env_class
    return _is_attr(node, b.django_modules, "Env")


def _is_decouple_factory(node: ast.AST, b: ModuleBindings) -> bool:
    if isinstance(node, ast.Name):
        return node.id in b.decouple_factories
    return _is_attr(node, b.decouple_modules, _DECOUPLE_FACTORIES)


def _is_environs_class(node: ast.AST, b: ModuleBindings) -> bool:
    if isinstance(node, ast.Name):
        return node.id in b.environs_class
    return _is_attr(node, b.environs_modules, ("Env", "FileAwareEnv"))


def _is_name_in(node: ast.AST, names: set[str]) -> bool:
    return isinstance(node, ast.Name) and node.id in names


def _is_decouple_config(node: ast.AST, b: ModuleBindings) -> bool:
    if isinstance(node, ast.Name):
        return node.id in b.decouple_config
    return _is_attr(node, b.decouple_modules, "config")


def _has_kw(call: ast.Call, name: str) -> bool:
    return any(kw.arg == name for kw in call.keywords)


def _first_arg(call: ast.Call, keyword: str) -> ast.expr | None:
    if call.args and not isinstance(call.args[0], ast.Starred):
        return call.args[0]
    for kw in call.keywords:
        if kw.arg == keyword:
            return kw.value
    return None


def _raw_read(node: ast.AST, b: ModuleBindings) -> _RawRead | None:
    """The env read `node` performs, if it is one (its name may still be dynamic)."""
    if isinstance(node, ast.Subscript):
        if isinstance(node.ctx, ast.Load) and _is_environ(node.value, b):
            return _RawRead(node, node.slice, True, "os.environ[...]")
        return None
    if isinstance(node, ast.Compare):
        if (len(node.ops) == 1 and isinstance(node.ops[0], (ast.In, ast.NotIn))
                and _is_environ(node.comparators[0], b)):
            return _RawRead(node, node.left, False, "an `in os.environ` check")
        return None
    if isinstance(node, ast.Call):
        return _raw_call_read(node, b)
    return None


def _raw_call_read(call: ast.Call, b: ModuleBindings) -> _RawRead | None:
    func = call.func
    if isinstance(func, ast.Attribute) and func.attr == "get" and _is_environ(func.value, b):
        name = _first_arg(call, "key")
        return _RawRead(call, name, False, "os.environ.get()") if name is not None else None
    if _is_getenv(func, b):
        name = _first_arg(call, "key")
        return _RawRead(call, name, False, "os.getenv()") if name is not None else None
    if _is_decouple_config(func, b):
        name = _first_arg(call, "option")
        required = len(call.args) < 2 and not _has_kw(call, "default")
        return _RawRead(call, name, required, "decouple config()") if name is not None else None
    if _is_name_in(func, b.starlette_config) or (
            isinstance(func, ast.Attribute) and func.attr == "get"
            and _is_name_in(func.value, b.starlette_config)):
        name = _first_arg(call, "key")
        required = len(call.args) < 3 and not _has_kw(call, "default")
        return _RawRead(call, name, required, "starlette Config()") if name is not None else None
    environs = _environs_read(call, b)
    if environs is not None:
        return environs
    if isinstance(func, ast.Name) and func.id in b.django_env:
        name = _first_arg(call, "var")
        if func.id in b.guessed_env and not _looks_like_a_variable(name):
            return None
        required = len(call.args) < 3 and not _has_kw(call, "default")
        if name is None:
            return None
        return _RawRead(call, name, required, "django-environ env()", b.django_env[func.id])
    if (isinstance(func, ast.Attribute) and func.attr in _DJANGO_METHODS
            and isinstance(func.value, ast.Name) and func.value.id in b.django_env):
        default_index, default_var = _DJANGO_METHODS[func.attr]
        name: NameSource | None = _first_arg(call, "var")
        if func.value.id in b.guessed_env and name is not None and not _looks_like_a_variable(name):
            return None
        if name is None:
            name = default_var
        if name is None:
            return None
        required = len(call.args) <= default_index and not _has_kw(call, "default")
        return _RawRead(call, name, required, f"django-environ env.{func.attr}()",
                        b.django_env[func.value.id])
    return None


def _looks_like_a_variable(name: ast.expr | None) -> bool:
    """For an `env` we only guess is django-environ's: `env.path("data")` on some module
    called env is no read, `env.str("SECRET_KEY")` is."""
    if isinstance(name, ast.Constant) and isinstance(name.value, str):
        return name.value.isupper()
    return True  # a constant name or dynamic: decided later


def _environs_read(call: ast.Call, b: ModuleBindings) -> _RawRead | None:
    """`env("X")`, `env.int("X", 5)`: environs takes the default second, raises without it."""
    func = call.func
    if isinstance(func, ast.Name) and func.id in b.environs_env:
        how, instance = "environs env()", func.id
    elif (isinstance(func, ast.Attribute) and func.attr in _ENVIRONS_METHODS
          and isinstance(func.value, ast.Name) and func.value.id in b.environs_env):
        how, instance = f"environs env.{func.attr}()", func.value.id
    else:
        return None
    name = _first_arg(call, "name")
    if name is None:
        return None
    required = len(call.args) < 2 and not _has_kw(call, "default")
    return _RawRead(call, name, required, how, environs=instance)


def _environs_prefixes(nodes: list[ast.AST], b: ModuleBindings) -> list[tuple[int, int, str]]:
    """`with env.prefixed("APP_") [as e]:` blocks: (first line, last line, prefix).
    Binds `e` as an instance too."""
    blocks = []
    for node in nodes:
        if not isinstance(node, (ast.With, ast.AsyncWith)):
            continue
        for item in node.items:
            call = item.context_expr
            if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute)
                    and call.func.attr == "prefixed" and isinstance(call.func.value, ast.Name)
                    and call.func.value.id in b.environs_env and call.args):
                continue
            prefix = call.args[0]
            if isinstance(prefix, ast.Constant) and isinstance(prefix.value, str):
                blocks.append((node.lineno, getattr(node, "end_lineno", node.lineno), prefix.value))
            if isinstance(item.optional_vars, ast.Name):
                b.environs_env[item.optional_vars.id] = b.environs_env[call.func.value.id]
    return sorted(blocks)


def literal_name(expr: NameSource, b: ModuleBindings) -> str | None:
    if isinstance(expr, str):
        return expr
    if isinstance(expr, ast.Constant):
        value = expr.value
        if isinstance(value, bytes):
            value = value.decode("utf-8", "replace")
        return value if isinstance(value, str) and value else None
    if isinstance(expr, ast.Name):
        return b.constants.get(expr.id)
    return None


def dynamic_prefix(expr: NameSource) -> str | None:
    """`f"APP_{x}"` or `"APP_" + x`: the constant start of a name built at run time."""
    if isinstance(expr, ast.JoinedStr) and expr.values:
        first = expr.values[0]
        if isinstance(first, ast.Constant) and isinstance(first.value, str):
            return first.value or None
    if isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.Add):
        left = expr.left
        if isinstance(left, ast.Constant) and isinstance(left.value, str):
            return left.value or None
    return None


# --- helpers ----------------------------------------------------------------------


def _params(func: ast.FunctionDef | ast.AsyncFunctionDef) -> tuple[list[str], list[str]]:
    positional = [a.arg for a in (*func.args.posonlyargs, *func.args.args)]
    return positional, [a.arg for a in func.args.kwonlyargs]


def helpers_of(tree: ast.Module, b: ModuleBindings,
               raws: list[_RawRead] | None = None) -> dict[str, Helper]:
    """Module-level functions that read the variable their parameter names.

    `raws`: every read in the module (computed here when the caller has not).
    """
    if raws is None:
        raws = [raw for raw in (_raw_read(n, b) for n in all_nodes(tree)) if raw is not None]
    dynamic = sorted(
        (raw for raw in raws if isinstance(raw.name, ast.Name)),
        key=lambda raw: (getattr(raw.node, "lineno", 0), getattr(raw.node, "col_offset", 0)),
    )
    found: dict[str, Helper] = {}
    if not dynamic:
        return found
    for stmt in tree.body:
        if not isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        positional, keyword_only = _params(stmt)
        params = set(positional) | set(keyword_only)
        end = getattr(stmt, "end_lineno", None) or stmt.lineno
        for raw in dynamic:
            line = getattr(raw.node, "lineno", 0)
            param = raw.name.id  # type: ignore[union-attr]
            if stmt.lineno <= line <= end and param in params:
                index = positional.index(param) if param in positional else None
                found[stmt.name] = Helper(stmt.name, param, index, raw.required,
                                          f"{stmt.name}() via {raw.how}")
                break
    return found


def _helper_call_name(call: ast.Call, helper: Helper) -> ast.expr | None:
    if helper.index is not None and len(call.args) > helper.index:
        arg = call.args[helper.index]
        if any(isinstance(a, ast.Starred) for a in call.args[: helper.index + 1]):
            return None
        return arg
    for kw in call.keywords:
        if kw.arg == helper.param:
            return kw.value
    return None


class HelperIndex:
    """Helpers defined in the repository's modules, each module parsed once per process."""

    def __init__(self, root: str, report: bool = True) -> None:
        self.root = root
        self.report = report  # say which modules do not parse (see parse())
        self._by_file: dict[str, dict[str, Helper]] = {}
        self._module_files: dict[tuple[str, int, str], str | None] = {}
        self.known_names: set[str] = set()

    def module_file(self, module: str, level: int, importer: str) -> str | None:
        key = (module, level, os.path.dirname(os.path.abspath(importer)))
        if key not in self._module_files:
            self._module_files[key] = self._find_module_file(module, level, importer)
        return self._module_files[key]

    def _find_module_file(self, module: str, level: int, importer: str) -> str | None:
        parts = [p for p in module.split(".") if p]
        if level:
            base = os.path.dirname(importer)
            for _ in range(level - 1):
                base = os.path.dirname(base)
            bases = [base]
        else:
            # the importer's ancestors up to the root (monorepos: services/api + app.x), src/
            bases = []
            here = os.path.dirname(os.path.abspath(importer))
            top = os.path.abspath(self.root)
            while here.startswith(top) and here not in bases:
                bases.append(here)
                here = os.path.dirname(here)
            bases.append(os.path.join(top, "src"))
        for base in bases:
            stem = os.path.join(base, *parts)
            # `from . import f`: no module name, f lives in the package's __init__.py
            candidates = (stem + ".py",) if parts else ()
            for candidate in (*candidates, os.path.join(stem, "__init__.py")):
                if os.path.isfile(candidate):
                    return candidate
        return None

    def helpers_in(self, path: str) -> dict[str, Helper]:
        key = os.path.abspath(path)
        if key not in self._by_file:
            self._by_file[key] = {}
            try:
                source = read_source(key)
            except OSError:
                source = None
            # a helper reads the environment, so its module mentions it
            readable = source is not None and mentions_env(source.text, set())
            tree = parse(source, self.report) if readable else None  # type: ignore[arg-type]
            if tree is not None:
                self.remember(key, helpers_of(tree, bindings_of(tree)))
        return self._by_file[key]

    def remember(self, path: str, helpers: dict[str, Helper]) -> None:
        self._by_file[os.path.abspath(path)] = helpers
        self.known_names.update(helpers)

    def imported_helper(
        self, module: str, level: int, name: str, importer: str
    ) -> Helper | None:
        path = self.module_file(module, level, importer)
        return self.helpers_in(path).get(name) if path else None


# --- pydantic-settings --------------------------------------------------------------


@dataclass
class _SettingsConfig:
    prefix: str | None = ""  # None: not a literal, names unknown
    case_sensitive: bool = False


def _is_settings_base(base: ast.expr, b: ModuleBindings, local: dict[str, _SettingsConfig]) -> bool:
    if isinstance(base, ast.Name):
        return base.id in b.settings_bases or base.id in local
    return _is_attr(base, b.settings_modules, "BaseSettings") or (
        isinstance(base, ast.Attribute) and base.attr == "BaseSettings"
        and isinstance(base.value, ast.Attribute)  # pydantic.v1.BaseSettings
    )


def _apply_config_keywords(config: _SettingsConfig, keywords: list[ast.keyword]) -> None:
    for kw in keywords:
        if kw.arg == "env_prefix":
            value = kw.value
            literal = isinstance(value, ast.Constant) and isinstance(value.value, str)
            config.prefix = value.value if literal else None  # type: ignore[union-attr]
        elif kw.arg == "case_sensitive":
            value = kw.value
            config.case_sensitive = isinstance(value, ast.Constant) and value.value is True


def _config_of(cls: ast.ClassDef, inherited: _SettingsConfig) -> _SettingsConfig:
    config = _SettingsConfig(inherited.prefix, inherited.case_sensitive)
    _apply_config_keywords(config, cls.keywords)
    for stmt in cls.body:
        target = _assigned_name(stmt)
        value = getattr(stmt, "value", None)
        if target == "model_config" and isinstance(value, ast.Call):
            _apply_config_keywords(config, value.keywords)
        elif target == "model_config" and isinstance(value, ast.Dict):
            pairs = [
                ast.keyword(arg=k.value, value=v) for k, v in zip(value.keys, value.values)
                if isinstance(k, ast.Constant) and isinstance(k.value, str)
            ]
            _apply_config_keywords(config, pairs)
        elif isinstance(stmt, ast.ClassDef) and stmt.name == "Config":  # pydantic v1
            pairs = [
                ast.keyword(arg=_assigned_name(s), value=s.value)  # type: ignore[attr-defined]
                for s in stmt.body if _assigned_name(s)
            ]
            _apply_config_keywords(config, pairs)
    return config


def _assigned_name(stmt: ast.stmt) -> str | None:
    if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name):
        return stmt.targets[0].id
    if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name) and stmt.value is not None:
        return stmt.target.id
    return None


def _is_classvar(annotation: ast.expr) -> bool:
    node = annotation.value if isinstance(annotation, ast.Subscript) else annotation
    return (isinstance(node, ast.Name) and node.id == "ClassVar") or (
        isinstance(node, ast.Attribute) and node.attr == "ClassVar"
    )


def _strings(node: ast.expr | None) -> list[str]:
    """Literal names in an alias: a string, AliasChoices("A", "B"), AliasPath("A", ...), a list."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.Call):
        func = node.func
        fname = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
        if fname == "AliasChoices":
            return [s for arg in node.args for s in _strings(arg)[:1]]
        if fname == "AliasPath" and node.args:
            return _strings(node.args[0])[:1]
    if isinstance(node, (ast.List, ast.Tuple)):
        return [s for elt in node.elts for s in _strings(elt)[:1]]
    return []


def _field_call(value: ast.expr | None) -> ast.Call | None:
    if isinstance(value, ast.Call):
        func = value.func
        if (isinstance(func, ast.Name) and func.id == "Field") or (
            isinstance(func, ast.Attribute) and func.attr == "Field"
        ):
            return value
    return None


def _is_ellipsis(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and node.value is Ellipsis


def _field_required_and_aliases(value: ast.expr | None) -> tuple[bool, list[str]]:
    if value is None:
        return True, []
    call = _field_call(value)
    if call is None:
        return _is_ellipsis(value), []
    has_default = bool(call.args) and not _is_ellipsis(call.args[0])
    aliases: list[str] = []
    for kw in call.keywords:
        if kw.arg == "default" and not _is_ellipsis(kw.value) or kw.arg == "default_factory":
            has_default = True
    for key in ("validation_alias", "alias", "env"):
        aliases = _strings(next((kw.value for kw in call.keywords if kw.arg == key), None))
        if aliases:
            break
    return not has_default, aliases


# Imported classes named like these are models, not values read from one variable.
_MODEL_SUFFIXES = ("Settings", "Model", "Config")
_WRAPPERS = frozenset({"Optional", "Union", "Annotated", "List", "list", "Dict", "dict"})


def _model_classes(classes: list[ast.ClassDef], b: ModuleBindings, local: dict[str, _SettingsConfig]) -> set[str]:
    """Classes of the module that are pydantic models or settings (directly or through
    another one of the module)."""
    models: set[str] = set()
    for cls in classes:
        for base in cls.bases:
            name = base.id if isinstance(base, ast.Name) else getattr(base, "attr", "")
            if name in ("BaseModel", "BaseSettings") or name in models or name in local:
                models.add(cls.name)
                break
    return models


def _annotation_names(node: ast.expr | None) -> Iterator[str]:
    """The class names an annotation mentions: `Optional[X]`, `X | None`, `Annotated[X, ...]`."""
    if isinstance(node, ast.Name):
        yield node.id
    elif isinstance(node, ast.Attribute):
        yield node.attr
    elif isinstance(node, ast.Constant) and isinstance(node.value, str):
        try:
            yield from _annotation_names(ast.parse(node.value, mode="eval").body)
        except SyntaxError:
            return
    elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        yield from _annotation_names(node.left)
        yield from _annotation_names(node.right)
    elif isinstance(node, ast.Subscript):
        outer = node.value.id if isinstance(node.value, ast.Name) else getattr(node.value, "attr", "")
        if outer in _WRAPPERS:
            inner = node.slice
            inner = getattr(inner, "value", inner) if type(inner).__name__ == "Index" else inner
            elts = inner.elts if isinstance(inner, ast.Tuple) else [inner]
            for elt in elts[:1] if outer == "Annotated" else elts:
                yield from _annotation_names(elt)


def _is_model_field(annotation: ast.expr, models: set[str], b: ModuleBindings) -> bool:
    """A nested model or settings object: pydantic builds it, no one variable holds it."""
    for name in _annotation_names(annotation):
        if name in models:
            return True
        if name in b.imported_functions and name.endswith(_MODEL_SUFFIXES):
            return True
    return False


def _explicit_arguments(nodes: list[ast.AST], classes: set[str]) -> dict[str, set[str]]:
    """class name -> the keywords the module passes to its constructor (`Settings(debug=True)`)."""
    passed: dict[str, set[str]] = {}
    for node in nodes:
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
        if name in classes:
            passed.setdefault(name, set()).update(kw.arg for kw in node.keywords if kw.arg)
    return passed


def _settings_reads(nodes: list[ast.AST], source: SourceFile, b: ModuleBindings) -> Iterator[Read]:
    local: dict[str, _SettingsConfig] = {}
    classes = [n for n in nodes if isinstance(n, ast.ClassDef)]
    classes.sort(key=lambda n: (n.lineno, n.col_offset))
    settings: list[tuple[ast.ClassDef, _SettingsConfig]] = []
    for cls in classes:
        settings_bases = [base for base in cls.bases if _is_settings_base(base, b, local)]
        if not settings_bases:
            continue
        parent = settings_bases[0]
        inherited = _SettingsConfig()
        if isinstance(parent, ast.Name):
            inherited = local.get(parent.id, inherited)
        config = _config_of(cls, inherited)
        local[cls.name] = config
        if config.prefix is not None:
            settings.append((cls, config))
    if not settings:
        return
    models = _model_classes(classes, b, local)
    passed = _explicit_arguments(nodes, {cls.name for cls, _ in settings})
    for cls, config in settings:
        yield from _class_field_reads(cls, config, source, models, passed.get(cls.name, set()), b)


def _class_field_reads(cls: ast.ClassDef, config: _SettingsConfig, source: SourceFile,
                       models: set[str], passed: set[str], b: ModuleBindings) -> Iterator[Read]:
    for stmt in cls.body:
        if not isinstance(stmt, ast.AnnAssign) or not isinstance(stmt.target, ast.Name):
            continue
        field_name = stmt.target.id
        if field_name.startswith("_") or field_name == "model_config" or _is_classvar(stmt.annotation):
            continue
        if field_name in passed or _is_model_field(stmt.annotation, models, b):
            continue  # given by the code, or a nested model: not one environment variable
        required, aliases = _field_required_and_aliases(stmt.value)
        if aliases:
            name, alternatives = aliases[0], tuple(aliases[1:])
        else:
            name, alternatives = config.prefix + field_name, ()  # type: ignore[operator]
            if not config.case_sensitive:
                name = name.upper()
        col = char_col(source.line(stmt.lineno), stmt.col_offset)
        yield Read(name, stmt.lineno, col, required,
                   _describe(f"pydantic-settings field {cls.name}.{field_name}", required),
                   case_insensitive=not config.case_sensitive, alternatives=alternatives)


# --- the file ---------------------------------------------------------------------


def _resolve_helper(call: ast.Call, b: ModuleBindings, local: dict[str, Helper],
                    index: HelperIndex, path: str) -> Helper | None:
    func = call.func
    if isinstance(func, ast.Name):
        if func.id in local:
            return local[func.id]
        imported = b.imported_functions.get(func.id)
        if imported is not None:
            module, level, original = imported
            return index.imported_helper(module, level, original, path)
    elif isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
        imported_module = b.imported_modules.get(func.value.id)
        if imported_module is not None:
            module, level = imported_module
            return index.imported_helper(module, level, func.attr, path)
    return None


def _may_name_a_variable(call: ast.Call, b: ModuleBindings) -> bool:
    """Cheap test before resolving a helper: does any argument spell a name?"""
    for arg in (*call.args, *(kw.value for kw in call.keywords)):
        if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
            return True
        if isinstance(arg, ast.Name) and arg.id in b.constants:
            return True
    return False


def python_reads(source: SourceFile, index: HelperIndex, report: bool = True) -> FileReads:
    result = FileReads()
    tree = parse(source, report)
    if tree is None:
        return result
    nodes = all_nodes(tree)
    b = bindings_of(tree, nodes)
    prefixed = _environs_prefixes(nodes, b) if b.environs_env else []
    raws: list[_RawRead] = []
    calls: list[ast.Call] = []
    for node in nodes:
        raw = _raw_read(node, b)
        if raw is not None:
            raws.append(raw)
        elif isinstance(node, ast.Call):
            calls.append(node)
    local_helpers = helpers_of(tree, b, raws)
    index.remember(source.path, local_helpers)
    if b.settings_bases or b.settings_modules:
        result.reads.extend(_settings_reads(nodes, source, b))
    for call in calls:
        if not _may_name_a_variable(call, b):
            continue
        helper = _resolve_helper(call, b, local_helpers, index, source.path)
        if helper is not None:
            name_expr = _helper_call_name(call, helper)
            if name_expr is not None:
                raws.append(_RawRead(call, name_expr, helper.required, helper.how))
    raws.sort(key=lambda r: (getattr(r.node, "lineno", 0), getattr(r.node, "col_offset", 0)))
    named: list[tuple[_RawRead, str]] = []
    for raw in raws:
        name = literal_name(raw.name, b)
        if name is not None and raw.environs is not None:
            line = getattr(raw.node, "lineno", 0)
            inner = "".join(p for first, last, p in prefixed if first <= line <= last)
            name = b.environs_env[raw.environs] + inner + name
        if name is None:
            prefix = dynamic_prefix(raw.name)
            if prefix:
                result.dynamic_prefixes.append(prefix)
            continue
        named.append((raw, name))
    ctx: _Context | None = None
    for raw, name in named:
        required = raw.required and name not in raw.scheme_defaults
        function, guarded = None, False
        if required:  # only a read that can fail needs to know where it runs
            if ctx is None:
                ctx = _context(nodes, [(r.node, n) for r, n in named if not r.required])
            guarded = ctx.guarded(raw.node, name)
            required = not guarded
            function = ctx.function_of(raw.node) if required else None
        line = getattr(raw.node, "lineno", 1)
        col = char_col(source.line(line), getattr(raw.node, "col_offset", 0))
        how = f"{raw.how}, guarded by a check" if guarded else _describe(raw.how, required)
        result.reads.append(Read(name, line, col, required, how, function=function))
    result.reads.sort(key=lambda r: (r.line, r.col))
    return result


# --- where a read runs: at import, or when a function is called; guarded or not -----

Position = Tuple[int, int]
Span = Tuple[Position, Position]


def _span(node: ast.AST) -> Span:
    return ((node.lineno, node.col_offset),  # type: ignore[attr-defined]
            (getattr(node, "end_lineno", None) or node.lineno,  # type: ignore[attr-defined]
             getattr(node, "end_col_offset", None) or 0))


def _inside(node: ast.AST, span: Span) -> bool:
    inner = _span(node)
    return span[0] <= inner[0] and inner[1] <= span[1]


_CAUGHT = frozenset({"KeyError", "LookupError", "Exception", "BaseException", "ImproperlyConfigured"})


def _catches_missing(handler: ast.ExceptHandler) -> bool:
    """`except KeyError`, `except (KeyError, ValueError)`, `except Exception`, bare `except`."""
    kind = handler.type
    if kind is None:
        return True
    kinds = kind.elts if isinstance(kind, ast.Tuple) else [kind]
    return any((isinstance(k, ast.Name) and k.id in _CAUGHT)
               or (isinstance(k, ast.Attribute) and k.attr in _CAUGHT) for k in kinds)


@dataclass
class _Context:
    """The functions (body spans) and the guarded regions of a module."""

    functions: list[tuple[Span, str]] = field(default_factory=list)
    # (span, name): a read of `name` inside is guarded; name None: any read (try/except)
    guards: list[tuple[Span, str | None]] = field(default_factory=list)

    def function_of(self, node: ast.AST) -> str | None:
        best: tuple[Span, str] | None = None
        for span, name in self.functions:
            if _inside(node, span) and (best is None or span[0] > best[0][0]):
                best = (span, name)
        return best[1] if best is not None else None

    def guarded(self, node: ast.AST, name: str) -> bool:
        return any(_inside(node, span) and guard in (None, name) for span, guard in self.guards)


def _context(nodes: list[ast.AST], checks: list[tuple[ast.AST, str]]) -> _Context:
    """`checks`: the reads that cannot fail ((node, name): `in os.environ`, `.get()`,
    `getenv()`); an `if`/`while`/conditional expression/`and`/`or` whose test holds one
    guards the reads of that name inside it."""
    ctx = _Context()
    for node in nodes:
        if isinstance(node, _FUNCTION_TYPES):
            body = node.body
            first = body if isinstance(body, ast.AST) else body[0]
            span = (_span(first)[0], _span(node)[1])
            ctx.functions.append((span, getattr(node, "name", "<lambda>")))
        elif isinstance(node, _TRY_TYPES):
            if node.body and any(_catches_missing(h) for h in node.handlers):
                ctx.guards.append(((_span(node.body[0])[0], _span(node.body[-1])[1]), None))
        elif isinstance(node, _GUARD_TYPES):
            tests = node.values[:-1] if isinstance(node, ast.BoolOp) else [node.test]
            for test in tests:
                test_span = _span(test)
                for check, name in checks:
                    if _inside(check, test_span):
                        ctx.guards.append((_span(node), name))
    return ctx


def _describe(how: str, required: bool) -> str:
    if required or "in os.environ" in how:
        return how
    return f"{how}, has a default"


def mentions_env(text: str, helper_names: set[str]) -> bool:
    """Cheap pre-filter (most files are never parsed): could this file read the environment
    in a way we recognise? Plain substring searches first, they cost next to nothing."""
    if "getenv" in text or "Settings" in text or "decouple" in text or "starlette" in text:
        return True
    start = text.find("environ")
    while start >= 0:
        if not text.startswith("environment", start):
            return True
        start = text.find("environ", start + 7)
    if ("env" in text or "Env" in text) and _ENV_WORD.search(text):
        return True
    return any(name in text for name in helper_names)
