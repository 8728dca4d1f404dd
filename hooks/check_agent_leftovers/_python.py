"""Python: stub bodies (DG851), placeholder comments and docstrings (DG852), placeholder values
(DG853), silenced exceptions (DG854) and blanket suppressions (DG855), from one `ast` parse and
one regex pass over its strings and comments."""
from __future__ import annotations

import ast
import re
from typing import Iterator, Optional, Union

from hooks._core.findings import char_col
from hooks.check_agent_leftovers._comments import (
    BLANKET_NOQA, BLANKET_TYPE_IGNORE, PLACEHOLDER, PLACEHOLDER_IN_TESTS, Hit, blanket_message,
    placeholder_message,
)

FunctionNode = Union[ast.FunctionDef, ast.AsyncFunctionDef]

# decorators that make an empty body the point
_EMPTY_BY_DESIGN = frozenset({
    "abstractmethod", "abstractproperty", "abstractclassmethod", "abstractstaticmethod", "overload",
})
# classes whose methods are meant to be empty or overridden
_INTERFACE_BASES = re.compile(r"(?:^|\.)(?:Protocol|ABC|ABCMeta|Interface|TypedDict|NamedTuple|Generic)$")
_INTERFACE_NAMES = re.compile(r"^(?:Abstract|Base|I[A-Z])|(?:Base|Mixin|Interface|Protocol|ABC|Backend|Handler|Hooks?|Visitor|Plugin)$")
_DOUBLE_NAMES = re.compile(r"(?:^|_)(?:Fake|Mock|Stub|Dummy|Null|Noop|NoOp|Spy)|(?:Fake|Mock|Stub|Dummy|Double)$")
_NOOP_NAMES = re.compile(r"^_*(?:noop|no_op|nop|do_nothing|dummy|null|pass_?|ignore|skip|empty|identity)(?:_|$)", re.I)
# what a method stub's own comments, docstring or error message say when it is unfinished
# ("Subclasses must implement this" and "not supported yet" are an interface, not a leftover)
_TODO_WORDS = re.compile(r"\b(?:todo|fixme|xxx|placeholder|stub)\b", re.I)

# placeholder values
_YOUR_VALUE = re.compile(
    r"^\s*<?\s*(?:your|insert|enter|put)[-_ ](?:[a-z0-9]+[-_ ]){0,3}?"
    r"(?:api[-_ ]?key|key|token|secret|password|passwd|pwd|id|url|endpoint|domain|host|dsn|webhook)"
    r"(?:[-_ ]here)?\s*>?\s*$",
    re.I,
)
_CHANGEME = re.compile(
    r"^(?:change[-_ ]?(?:me|this|it)|replace[-_ ]?(?:me|this)|fixme|x{4,}|placeholder|"
    r"(?:dummy|fake|test|my|super)[-_ ]?(?:secret|password|token|key)(?:[-_]?key)?|secret[-_ ]?key[-_ ]?here)$",
    re.I,
)
_SECRET_NAME = re.compile(r"secret|passw|passwd|pwd|token|api_?key|apikey|private_?key|credential|auth_?key|signing_?key", re.I)
_EXAMPLE_URL = re.compile(r"^(?:https?|wss?)://(?:[\w-]+\.)*example\.(?:com|org|net)(?:[:/?#]|$)", re.I)
# where a string is documentation or a sample, not a value the program uses
_DOC_KEYWORDS = frozenset({
    "help", "description", "example", "examples", "placeholder", "title", "summary", "doc",
    "docstring", "metavar", "epilog", "usage", "msg", "message", "label", "verbose_name",
    "help_text", "json_schema_extra", "openapi_examples", "deprecated",
})
_DOC_CALLS = re.compile(
    r"(?:^|\.)(?:print|echo|log|debug|info|warning|warn|error|exception|critical|format|_|gettext|"
    r"gettext_lazy|ngettext|\w*Example)$"
)


def scan(path: str, text: str, wants: frozenset[str], test: bool) -> list[Hit]:
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    comments = list(_comments(text))
    hits: list[Hit] = []
    if "DG852" in wants or "DG855" in wants:
        hits.extend(_comment_hits(comments, wants, test))
    if wants & {"DG851", "DG852", "DG853", "DG854"}:
        tree = _parse(path, text)
        if tree is not None:
            hits.extend(_Visitor(path, lines, comments, wants, test).run(tree))
    return hits


def _parse(path: str, text: str) -> Optional[ast.Module]:
    # parse_python: the tree of a large file parsed by another hook of this process is reused
    from hooks._core.files import SourceFile, parse_python

    try:
        return parse_python(SourceFile(path, text), note_too_new=False)  # type: ignore[no-any-return]
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None  # check-nesting reports files that do not parse; here: nothing certain


# string literals (skipped) and comments (group 1), in one pass: a tokenizer costs 5-10x more
# (the lookahead: most positions of a file start none of the three, and fail at one test)
_PY_TOKENS = re.compile(
    r"(?=[rRbBuUfF\"'#])"
    r"[rRbBuUfF]{0,2}(?:\"\"\"(?:\\.|[^\\])*?(?:\"\"\"|\Z)|'''(?:\\.|[^\\])*?(?:'''|\Z))"
    r"|[rRbBuUfF]{0,2}(?:\"(?:\\.|[^\"\\\n])*\"|'(?:\\.|[^'\\\n])*')"
    r"|(#[^\n]*)"
)


def _comments(text: str) -> Iterator[tuple[int, int, str]]:
    """(line, 0-based col, text) of each comment."""
    if "#" not in text:
        return
    line, line_start, pos = 1, 0, 0
    for match in _PY_TOKENS.finditer(text):
        if match.group(1) is None:
            continue
        start = match.start(1)
        line += text.count("\n", pos, start)
        line_start = text.rfind("\n", 0, start) + 1
        pos = start
        yield line, start - line_start, match.group(1)


def _comment_hits(comments: list[tuple[int, int, str]], wants: frozenset[str], test: bool) -> Iterator[Hit]:
    placeholder = PLACEHOLDER_IN_TESTS if test else PLACEHOLDER
    for line, col, comment in comments:
        if "DG852" in wants:
            found = placeholder.search(comment)
            if found:
                yield Hit(line, col + found.start() + 1, "DG852", placeholder_message(found.group()), (line,))
        if "DG855" in wants:
            for kind, pattern in (("type", BLANKET_TYPE_IGNORE), ("noqa", BLANKET_NOQA)):
                found = pattern.search(comment)
                if found:
                    yield Hit(line, col + found.start() + 1, "DG855", blanket_message(kind), (line,))


def _dotted(node: ast.AST) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return f"{_dotted(node.value)}.{node.attr}"
    if isinstance(node, ast.Call):
        return _dotted(node.func)
    if isinstance(node, ast.Subscript):
        return _dotted(node.value)
    return ""


def _is_docstring(stmt: ast.stmt) -> bool:
    return isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant) and isinstance(stmt.value.value, str)


def _is_abstract_model(cls: ast.ClassDef) -> bool:
    """A Django abstract model (`class Meta: abstract = True`): its methods are meant to be
    overridden."""
    for stmt in cls.body:
        if isinstance(stmt, ast.ClassDef) and stmt.name == "Meta":
            for inner in stmt.body:
                if (
                    isinstance(inner, ast.Assign) and any(_dotted(t) == "abstract" for t in inner.targets)
                    and isinstance(inner.value, ast.Constant) and inner.value.value is True
                ):
                    return True
    return False


def _stub_kind(body: list[ast.stmt]) -> Optional[str]:
    """'pass', '...', 'raise NotImplementedError' or 'docstring only' for a stub body."""
    rest = body[1:] if body and _is_docstring(body[0]) else body
    if not rest:
        return "docstring only"
    if len(rest) != 1:
        return None
    stmt = rest[0]
    if isinstance(stmt, ast.Pass):
        return "pass"
    if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant) and stmt.value.value is Ellipsis:
        return "..."
    if isinstance(stmt, ast.Raise) and stmt.exc is not None and _dotted(stmt.exc).endswith("NotImplementedError"):
        return "raise NotImplementedError"
    return None


class _Visitor:
    def __init__(self, path: str, lines: list[str], comments: list[tuple[int, int, str]], wants: frozenset[str], test: bool) -> None:
        self.path = path
        self.lines = lines
        self.comment_lines = {line: text for line, _, text in comments}
        self.wants = wants
        self.test = test
        self.pyi = path.endswith(".pyi")
        self.hits: list[Hit] = []

    def run(self, tree: ast.Module) -> list[Hit]:
        self.docstring(tree.body)
        self.visit_body(tree.body, cls=None, in_function=False, guarded=False)
        if "DG853" in self.wants and not self.test:
            self.visit_values(tree)
        return self.hits

    def col(self, node: ast.AST) -> int:
        line = self.lines[node.lineno - 1] if 0 < node.lineno <= len(self.lines) else ""  # type: ignore[attr-defined]
        return char_col(line, node.col_offset)  # type: ignore[attr-defined]

    # --- statements: stubs, silenced exceptions, docstrings ----------------------------

    def visit_body(self, body: list[ast.stmt], cls: Optional[ast.ClassDef], in_function: bool, guarded: bool) -> None:
        for stmt in body:
            if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
                self.visit_function(stmt, cls, in_function, guarded)
            elif isinstance(stmt, ast.ClassDef):
                self.docstring(stmt.body)
                self.visit_body(stmt.body, stmt, in_function, guarded)
            elif isinstance(stmt, ast.If):
                # `if TYPE_CHECKING:` and version switches hold declarations, not work
                typing_guard = "TYPE_CHECKING" in _dotted(stmt.test) or isinstance(stmt.test, ast.Compare)
                self.visit_body(stmt.body, cls, in_function, guarded or typing_guard)
                self.visit_body(stmt.orelse, cls, in_function, guarded or typing_guard)
            elif isinstance(stmt, ast.Try) or type(stmt).__name__ == "TryStar":
                self.visit_try(stmt, cls, in_function, guarded)
            else:
                for child in ("body", "orelse", "finalbody"):
                    inner = getattr(stmt, child, None)
                    if isinstance(inner, list) and inner and isinstance(inner[0], ast.stmt):
                        self.visit_body(inner, cls, in_function, guarded)
                if isinstance(stmt, ast.Expr) is False and hasattr(stmt, "cases"):
                    for case in stmt.cases:  # type: ignore[attr-defined]
                        self.visit_body(case.body, cls, in_function, guarded)

    def visit_try(self, stmt: ast.stmt, cls: Optional[ast.ClassDef], in_function: bool, guarded: bool) -> None:
        handlers = getattr(stmt, "handlers", [])
        # functions defined in a `try:` with an ImportError fallback are compatibility shims
        fallback = any(_dotted(h.type).endswith(("ImportError", "ModuleNotFoundError")) for h in handlers if h.type is not None)
        self.visit_body(stmt.body, cls, in_function, guarded or fallback)  # type: ignore[attr-defined]
        for handler in handlers:
            if "DG854" in self.wants and not self.test:
                self.silenced(stmt, handler)
            self.visit_body(handler.body, cls, in_function, True)
        self.visit_body(getattr(stmt, "orelse", []), cls, in_function, guarded)
        self.visit_body(getattr(stmt, "finalbody", []), cls, in_function, guarded)

    def silenced(self, try_stmt: ast.stmt, handler: ast.ExceptHandler) -> None:
        caught = handler.type
        names = [_dotted(e) for e in caught.elts] if isinstance(caught, ast.Tuple) else [_dotted(caught)] if caught else []
        broad = caught is None or any(n.rsplit(".", 1)[-1] in ("Exception", "BaseException") for n in names)
        if not broad or len(handler.body) != 1:
            return
        stmt = handler.body[0]
        if not (isinstance(stmt, ast.Pass) or (isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant) and stmt.value.value is Ellipsis)):
            return
        end = getattr(handler, "end_lineno", None) or stmt.lineno
        if any(line in self.comment_lines for line in range(handler.lineno, end + 1)):
            return  # the silence is explained
        above = self.lines[try_stmt.lineno - 2].strip() if try_stmt.lineno >= 2 else ""
        if above.startswith("#"):
            return  # ... or the comment right above the `try` says what is attempted and why
        what = "bare `except:`" if caught is None else f"`except {' | '.join(names)}`"
        body = "pass" if isinstance(stmt, ast.Pass) else "..."
        covered = tuple(range(try_stmt.lineno, end + 1))
        self.hits.append(Hit(
            handler.lineno, self.col(handler), "DG854",
            f"{what}: {body} swallows every error of the `try` at line {try_stmt.lineno} without a word; "
            "catch the exceptions you expect, or log/re-raise (a comment in the handler says it is deliberate)",
            covered,
        ))

    def docstring(self, body: list[ast.stmt]) -> None:
        if "DG852" not in self.wants or not body or not _is_docstring(body[0]):
            return
        node = body[0].value  # type: ignore[attr-defined]
        pattern = PLACEHOLDER_IN_TESTS if self.test else PLACEHOLDER
        found = pattern.search(node.value)
        if found:
            before = node.value[: found.start()]
            line = node.lineno + before.count("\n")
            self.hits.append(Hit(line, 1 if "\n" in before else self.col(node), "DG852", placeholder_message(found.group()).replace("comment", "docstring", 1), (line,)))

    def visit_function(self, fn: FunctionNode, cls: Optional[ast.ClassDef], in_function: bool, guarded: bool) -> None:
        self.docstring(fn.body)
        if "DG851" in self.wants and not (self.test or self.pyi or guarded or in_function):
            self.stub(fn, cls)
        self.visit_body(fn.body, None, True, guarded)

    def stub(self, fn: FunctionNode, cls: Optional[ast.ClassDef]) -> None:
        kind = _stub_kind(fn.body)
        if kind is None:
            return
        decorators = {_dotted(d).rsplit(".", 1)[-1] for d in fn.decorator_list}
        if decorators & _EMPTY_BY_DESIGN:
            return
        if cls is not None:
            if not self.method_is_unfinished(fn, cls, kind):
                return
        elif _NOOP_NAMES.match(fn.name) or "/migrations/" in "/" + self.path.replace("\\", "/"):
            return  # deliberate no-ops: callbacks, a migration's `noop` reverse
        elif kind == "docstring only" or self.explained(fn):
            return
        where = f"`{cls.name}.{fn.name}`" if cls is not None else f"`{fn.name}`"
        self.hits.append(Hit(
            fn.lineno, self.col(fn), "DG851",
            f"{where} is a stub (its body is only `{kind}`): the work it stands for was not done; "
            "implement it, delete it, or mark it @abstractmethod/@overload if it is an interface",
            (fn.lineno,),
        ))

    def explained(self, fn: FunctionNode) -> bool:
        """A comment on the line above the def (not a commented-out decorator), or `pragma: no
        cover` on its signature, says the empty body is deliberate."""
        first = min([fn.lineno] + [d.lineno for d in fn.decorator_list])
        above = self.lines[first - 2].strip() if first >= 2 else ""
        if above.startswith("#") and not above.lstrip("# ").startswith("@") and len(above.split()) >= 4:
            return True
        body_start = fn.body[0].lineno
        return any("pragma: no cover" in self.comment_lines.get(n, "") for n in range(fn.lineno, body_start + 1))

    def method_is_unfinished(self, fn: FunctionNode, cls: ast.ClassDef, kind: str) -> bool:
        """A method stub is an override point unless its own text says it is unfinished."""
        bases = [_dotted(b) for b in cls.bases] + [_dotted(k.value) for k in cls.keywords]
        if any(_INTERFACE_BASES.search(b) for b in bases) or _INTERFACE_NAMES.search(cls.name) or _DOUBLE_NAMES.search(cls.name):
            return False
        if _is_abstract_model(cls):
            return False
        end = getattr(fn, "end_lineno", None) or fn.lineno
        said = " ".join(self.comment_lines.get(n, "") for n in range(fn.lineno, end + 1))
        if fn.body and _is_docstring(fn.body[0]):
            said += " " + fn.body[0].value.value  # type: ignore[attr-defined]
        last = fn.body[-1]
        if isinstance(last, ast.Raise) and isinstance(last.exc, ast.Call) and last.exc.args:
            message = last.exc.args[0]
            if isinstance(message, ast.Constant) and isinstance(message.value, str):
                said += " " + message.value
        return bool(_TODO_WORDS.search(said))

    # --- values -----------------------------------------------------------------------

    def visit_values(self, tree: ast.Module) -> None:
        name = self.path.replace("\\", "/").rsplit("/", 1)[-1].lower()
        if "example" in name or "/examples/" in "/" + self.path.replace("\\", "/").lower():
            return  # sample code and OpenAPI example payloads are made of placeholders on purpose
        candidates = [
            node for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and 0 < len(node.value) <= 200
            and (_YOUR_VALUE.match(node.value) or _EXAMPLE_URL.match(node.value) or _CHANGEME.match(node.value))
        ]
        if not candidates:
            return
        parents: dict[ast.AST, ast.AST] = {}
        for node in ast.walk(tree):
            for child in ast.iter_child_nodes(node):
                parents[child] = node
        for node in candidates:
            self.value(node, parents)

    def value(self, node: ast.Constant, parents: dict[ast.AST, ast.AST]) -> None:
        text = node.value
        if len(text) > 200:
            return
        kind = None
        if _YOUR_VALUE.match(text):
            kind = "a fill-in-your-own placeholder"
        elif _EXAMPLE_URL.match(text):
            kind = "an example.com endpoint"
        elif _CHANGEME.match(text) and self.names_secret(node, parents):
            kind = "a placeholder secret"
        if kind is None or self.is_documentation(node, parents):
            return
        self.hits.append(Hit(
            node.lineno, self.col(node), "DG853",
            f"{kind} {text!r} is used by the program: it fails (or is insecure) at run time; read the "
            "real value from configuration or the environment and fail loudly when it is missing",
            (node.lineno,),
        ))

    def names_secret(self, node: ast.AST, parents: dict[ast.AST, ast.AST]) -> bool:
        parent = parents.get(node)
        if isinstance(parent, ast.keyword):
            return bool(parent.arg and _SECRET_NAME.search(parent.arg))
        if isinstance(parent, (ast.Assign, ast.AnnAssign)):
            targets = parent.targets if isinstance(parent, ast.Assign) else [parent.target]
            return any(_SECRET_NAME.search(_dotted(t)) for t in targets)
        if isinstance(parent, ast.Dict):
            keys = [k for k, v in zip(parent.keys, parent.values) if v is node]
            return any(isinstance(k, ast.Constant) and isinstance(k.value, str) and _SECRET_NAME.search(k.value) for k in keys)
        if isinstance(parent, ast.Call) and node in parent.args[1:]:
            first = parent.args[0]
            return isinstance(first, ast.Constant) and isinstance(first.value, str) and bool(_SECRET_NAME.search(first.value))
        if isinstance(parent, ast.arguments):
            params = parent.posonlyargs + parent.args
            defaults = dict(zip(params[len(params) - len(parent.defaults):], parent.defaults))
            defaults.update({a: d for a, d in zip(parent.kwonlyargs, parent.kw_defaults) if d is not None})
            return any(d is node and _SECRET_NAME.search(a.arg) for a, d in defaults.items())
        return False

    def is_documentation(self, node: ast.AST, parents: dict[ast.AST, ast.AST]) -> bool:
        """Docstrings, help texts, examples, messages, comparisons (guards against the
        placeholder) and f-string pieces are not values the program runs with."""
        child, parent = node, parents.get(node)
        while parent is not None:
            if isinstance(parent, ast.Expr) and parent.value is node:
                return True  # a docstring or a bare string statement
            if isinstance(parent, ast.keyword) and parent.arg in _DOC_KEYWORDS:
                return True
            if isinstance(parent, ast.Compare):
                return True  # `if key == "your-api-key-here": raise ...` guards against it
            if isinstance(parent, ast.Call) and _DOC_CALLS.search(_dotted(parent.func)):
                return True
            if isinstance(parent, (ast.JoinedStr, ast.Raise, ast.Assert)):
                return True
            if isinstance(parent, ast.Dict):
                for key, value in zip(parent.keys, parent.values):
                    if value is child and isinstance(key, ast.Constant) and key.value in _DOC_KEYWORDS:
                        return True
            if isinstance(parent, (ast.stmt, ast.Lambda)):
                return False
            child, parent = parent, parents.get(parent)
        return False
