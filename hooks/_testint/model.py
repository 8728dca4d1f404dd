"""The tests of one Python test file (pytest and unittest), read from its parsed tree.

Each test knows its checks (assertions in a canonical form, so `assert a == b` and
`self.assertEqual(a, b)` are the same check), its skip marks, its parametrize cases, the
targets it patches and the handlers that could swallow a failure. Pure: text in, model out.
"""
from __future__ import annotations

import ast
import posixpath
import re
import warnings
from hooks._core.record import dataclass, field

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (~3 ms)
if TYPE_CHECKING:
    from typing import Any, Iterator, Optional

# --- which files are what ---------------------------------------------------------

_TEST_NAME = re.compile(r"(^test[^/]*\.py$)|(_test\.py$)|(^tests\.py$)")
_TEST_DIRS = frozenset({"tests", "test", "testing", "unittests", "unit_tests", "integration_tests"})
CODE_SUFFIXES = (
    ".py", ".pyx", ".pxd", ".c", ".cc", ".cpp", ".h", ".hpp", ".rs", ".go", ".js", ".mjs",
    ".cjs", ".ts", ".tsx", ".jsx", ".java", ".kt", ".rb", ".cu",
)


def is_test_file(path: str) -> bool:
    """A Python file the test runners collect tests from: test_*.py, *_test.py, tests.py."""
    return bool(_TEST_NAME.search(posixpath.basename(path)))


def in_test_dir(path: str) -> bool:
    return any(part in _TEST_DIRS for part in path.split("/")[:-1])


def is_code_file(path: str) -> bool:
    """Non-test code: a source file that is neither a test file nor test support under a
    tests directory (conftest.py, fixtures, helpers)."""
    name = posixpath.basename(path)
    if not path.endswith(CODE_SUFFIXES) or is_test_file(path) or in_test_dir(path):
        return False
    return name not in ("conftest.py", "setup.py", "noxfile.py") and "/docs/" not in f"/{path}"


# --- checks -----------------------------------------------------------------------

# unittest assert methods -> canonical kind; the actual value is the first argument
_UNITTEST_KINDS = {
    "assertEqual": "eq", "assertEquals": "eq", "assertListEqual": "eq", "assertDictEqual": "eq",
    "assertTupleEqual": "eq", "assertSetEqual": "eq", "assertSequenceEqual": "eq",
    "assertMultiLineEqual": "eq", "assertCountEqual": "eq", "assertItemsEqual": "eq",
    "assertNotEqual": "ne", "assertTrue": "truthy", "assert_": "truthy", "assertFalse": "falsy",
    "assertIs": "is", "assertIsNot": "isnot", "assertIsNone": "none", "assertIsNotNone": "notnone",
    "assertIn": "in", "assertNotIn": "notin", "assertIsInstance": "isinstance",
    "assertGreater": "cmp", "assertGreaterEqual": "cmp", "assertLess": "cmp",
    "assertLessEqual": "cmp", "assertAlmostEqual": "approx", "assertAlmostEquals": "approx",
    "assertRaises": "raises", "assertRaisesRegex": "raises", "assertRaisesRegexp": "raises",
    "assertWarns": "warns", "assertWarnsRegex": "warns",
}
# for assertIn(member, container) the container is what the code produced
_SUBJECT_SECOND = frozenset({"assertIn", "assertNotIn"})
# kinds that pin a value exactly; anything else on the same subject is looser
EXACT_KINDS = frozenset({"eq", "is", "none", "falsy"})
LOOSE_KINDS = frozenset({"in", "cmp", "notnone", "truthy", "ne", "isnot", "isinstance"})
# mock assertions from the strictest to the loosest
MOCK_STRENGTH = {
    "assert_called_once_with": 4, "assert_has_calls": 3, "assert_called_with": 3,
    "assert_any_call": 2, "assert_called_once": 2, "assert_awaited_once_with": 4,
    "assert_awaited_with": 3, "assert_any_await": 2, "assert_awaited_once": 2,
    "assert_called": 1, "assert_awaited": 1,
}
_MOCK_OTHER = frozenset({"assert_not_called", "assert_not_awaited"})
BROAD_EXCEPTIONS = frozenset({"Exception", "BaseException", "object"})
SKIP_MARKS = frozenset({"skip", "skipif", "xfail", "skipIf", "skipUnless", "expectedFailure"})


@dataclass
class Check:
    """One assertion, canonical: `kind` over the `subject` (the value the code produced)
    against `expected`. `key` is equal for two checks that assert the same thing."""

    kind: str
    subject: str
    expected: str
    line: int
    col: int
    source: str  # the assertion's source text, shortened, for messages
    expected_source: str = ""
    expected_literal: bool = False
    extra: dict = field(default_factory=dict)  # approx tolerance, raises match, mock method
    tautology: str = ""  # why it cannot fail, '' when it can

    @property
    def key(self) -> str:
        return f"{self.kind}|{self.subject}|{self.expected}|{sorted(self.extra.items())}"


_DETAILS = ("checks", "skip_calls", "params", "patches", "swallows", "may_assert", "calls")


@dataclass
class Test:
    """One test. Its name, place, marks and text keys are read for every test of a file; the
    details (checks, parametrize cases, patches, ...) only when a comparison asks for them:
    most tests of a large file are unchanged and never need them."""

    qualname: str  # Class.method or function
    name: str
    line: int
    col: int
    body: str  # the body's text: equal for a renamed or moved, unchanged test
    full: str  # decorators, signature (without the name) and body: equal for an unchanged test
    collected: bool
    marks: set = field(default_factory=set)  # skip marks on it, its classes, its module
    class_name: str = ""
    node: Any = field(default=None, repr=False, compare=False)
    reader: Any = field(default=None, repr=False, compare=False)
    class_decorators: list = field(default_factory=list, repr=False, compare=False)

    def __getattr__(self, name: str) -> Any:
        if name in _DETAILS and self.__dict__.get("reader") is not None:
            self.reader.load_details(self)
            return self.__dict__[name]
        raise AttributeError(name)


@dataclass
class TestFile:
    path: str
    tests: dict  # qualname -> Test
    class_lines: dict  # class qualname -> line
    text_lines: list
    tree: Any = field(default=None, repr=False)
    reader: Any = field(default=None, repr=False)
    _check_keys: Optional[set] = field(default=None, repr=False)
    real_text: str = field(default="", repr=False)  # the whole text when the tree is a skeleton

    @property
    def check_keys(self) -> set:
        """Every assert's key anywhere in the file (helpers included), computed once."""
        if self._check_keys is None:
            keys = set()
            checks = self.reader.checks
            for node in ast.walk(self.tree):
                if isinstance(node, ast.Assert):
                    keys.add(checks.from_assert(node).key)
                elif isinstance(node, ast.Expr) and isinstance(node.value, ast.Call):
                    check = checks.from_call(node.value, node)
                    if check is not None:
                        keys.add(check.key)
            self._check_keys = keys
        return self._check_keys

    def functions(self) -> Iterator[ast.AST]:
        """Module-level functions and methods of module-level (and nested) classes."""
        stack = list(self.tree.body)
        while stack:
            node = stack.pop()
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                yield node
            elif isinstance(node, ast.ClassDef):
                stack.extend(node.body)


def body_text(lines: list, node: Any) -> str:
    """The stripped source lines of a function's body: a cheap key, equal when unchanged."""
    start = node.body[0].lineno if node.body else node.lineno
    return "\n".join(line.strip() for line in lines[start - 1 : node.end_lineno])


def full_text(lines: list, node: Any) -> str:
    first = min([node.lineno, *(d.lineno for d in node.decorator_list)])
    head = "\n".join(line.strip() for line in lines[first - 1 : node.lineno - 1])
    signature = ast.dump(node.args) if len(node.args.args) + len(node.args.kwonlyargs) > 0 else ""
    return f"{head}\n{signature}\n{body_text(lines, node)}"


def _dump(node: Optional[ast.AST]) -> str:
    return "" if node is None else ast.dump(node, annotate_fields=False)


def _is_literal(node: ast.AST) -> bool:
    try:
        ast.literal_eval(node)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return isinstance(node, ast.UnaryOp) and isinstance(node.operand, ast.Constant)
    return True


def _attr_name(node: ast.AST) -> str:
    """`pytest.mark.skip` -> 'pytest.mark.skip'; '' for anything that is not a dotted name."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
        return ".".join(reversed(parts))
    return ""


def _call_name(node: ast.AST) -> str:
    return _attr_name(node.func) if isinstance(node, ast.Call) else ""


def _last(dotted: str) -> str:
    return dotted.rsplit(".", 1)[-1]


class _Source:
    def __init__(self, text: str) -> None:
        self.lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")

    def snippet(self, node: ast.AST, limit: int = 80) -> str:
        line = getattr(node, "lineno", 0)
        end = getattr(node, "end_lineno", None) or line
        if not line:
            return ""
        chunk = self.lines[line - 1 : end]
        if not chunk:
            return ""
        end_col = getattr(node, "end_col_offset", None)
        if end_col is not None:
            chunk[-1] = chunk[-1].encode("utf-8")[:end_col].decode("utf-8", "replace")
        chunk[0] = chunk[0].encode("utf-8")[node.col_offset :].decode("utf-8", "replace")  # type: ignore[attr-defined]
        text = " ".join(" ".join(chunk).split())
        return text if len(text) <= limit else text[: limit - 3] + "..."


def _approx_extra(node: ast.AST) -> Optional[dict]:
    """rel/abs of `pytest.approx(x, rel=.., abs=..)`; None when `node` is not an approx."""
    if isinstance(node, ast.Call) and _last(_call_name(node)) == "approx":
        extra = {"approx": "1"}
        for keyword in node.keywords:
            if keyword.arg in ("rel", "abs") and _is_literal(keyword.value):
                extra[keyword.arg] = repr(ast.literal_eval(keyword.value))
        return extra
    return None


def _is_any(node: ast.AST) -> bool:
    return _last(_attr_name(node)) == "ANY"


def _pick_subject(left: ast.AST, right: ast.AST) -> tuple[ast.AST, ast.AST]:
    """(actual, expected): the literal (or approx / ANY) side is the expected one."""
    def expected_like(node: ast.AST) -> bool:
        return _is_literal(node) or _approx_extra(node) is not None or _is_any(node)

    if expected_like(left) and not expected_like(right):
        return right, left
    return left, right


class _CheckReader:
    def __init__(self, source: _Source) -> None:
        self.source = source

    def make(self, kind: str, node: ast.AST, subject: Optional[ast.AST], expected: Optional[ast.AST],
             extra: Optional[dict] = None) -> Check:
        extra = dict(extra or {})
        if expected is not None:
            approx = _approx_extra(expected)
            if approx is not None:
                extra.update(approx)
                expected = expected.args[0] if expected.args else expected  # type: ignore[attr-defined]
            elif _is_any(expected):
                extra["any"] = "1"
        return Check(
            kind=kind, subject=_dump(subject), expected=_dump(expected),
            line=node.lineno, col=node.col_offset + 1,  # type: ignore[attr-defined]
            source=self.source.snippet(node),
            expected_source=self.source.snippet(expected) if expected is not None else "",
            expected_literal=expected is not None and _is_literal(expected), extra=extra,
        )

    def from_assert(self, node: ast.Assert) -> Check:
        check = self._from_assert(node)
        check.tautology = _tautology(node.test)
        return check

    def _from_assert(self, node: ast.Assert) -> Check:
        test = node.test
        if isinstance(test, ast.Compare) and len(test.ops) == 1:
            op, right = test.ops[0], test.comparators[0]
            if isinstance(op, (ast.Is, ast.IsNot)) and isinstance(right, ast.Constant) and right.value is None:
                return self.make("none" if isinstance(op, ast.Is) else "notnone", node, test.left, None)
            if isinstance(op, (ast.In, ast.NotIn)):
                return self.make("in" if isinstance(op, ast.In) else "notin", node, right, test.left)
            kind = {ast.Eq: "eq", ast.NotEq: "ne", ast.Is: "is", ast.IsNot: "isnot"}.get(type(op), "cmp")
            actual, expected = _pick_subject(test.left, right)
            extra = {"op": type(op).__name__} if kind == "cmp" else None
            return self.make(kind, node, actual, expected, extra)
        if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
            return self.make("falsy", node, test.operand, None)
        if isinstance(test, ast.Call) and _call_name(test) == "isinstance" and len(test.args) == 2:
            return self.make("isinstance", node, test.args[0], test.args[1])
        return self.make("truthy", node, test, None)

    def from_call(self, call: ast.Call, node: ast.AST) -> Optional[Check]:
        """A check from a call statement: self.assertX(...), mock.assert_*(...), pytest.raises."""
        func = call.func
        if isinstance(func, ast.Name) and func.id.startswith("assert"):
            # assert_frame_equal(a, b), assert_that(x): a library's assertion
            return self.make("other", node, call.args[0] if call.args else None, None, {"method": func.id, "args": _dump(ast.Tuple(elts=list(call.args[1:]), ctx=ast.Load()))})
        if not isinstance(func, ast.Attribute):
            return None
        method = func.attr
        kind = _UNITTEST_KINDS.get(method)
        if kind is not None and isinstance(func.value, ast.Name) and func.value.id in ("self", "cls", "case", "tc"):
            args = call.args
            if kind in ("raises", "warns"):
                extra = {"exc": _dump(args[0]) if args else "", "regex": "1" if "Regex" in method else ""}
                if len(args) > 1 and "Regex" in method:
                    extra["match"] = _dump(args[1])
                return self.make(kind, node, args[2] if len(args) > 2 else None, None, extra)
            if method in _SUBJECT_SECOND and len(args) >= 2:
                return self.make(kind, node, args[1], args[0])
            if kind in ("truthy", "falsy", "none", "notnone") and args:
                check = self.make(kind, node, args[0], None)
                if kind == "truthy" and isinstance(args[0], ast.Constant) and args[0].value:
                    check.tautology = "it asserts a constant"
                return check
            if len(args) >= 2:
                actual, expected = _pick_subject(args[0], args[1])
                if kind in ("eq", "is"):
                    pair = ast.Compare(left=args[0], ops=[ast.Eq()], comparators=[args[1]])
                    why = _tautology(pair)
                    if why:
                        check = self.make(kind, node, actual, expected)
                        check.tautology = why
                        return check
                extra = {"op": method} if kind == "cmp" else {}
                if kind == "approx":
                    for keyword in call.keywords:
                        if keyword.arg in ("places", "delta") and _is_literal(keyword.value):
                            extra[keyword.arg] = repr(ast.literal_eval(keyword.value))
                return self.make(kind, node, actual, expected, extra)
            return self.make("other", node, args[0] if args else None, None, {"method": method})
        if method in MOCK_STRENGTH or method in _MOCK_OTHER:
            return self.make("mock", node, func.value, None, {"method": method, "args": _dump(ast.Tuple(elts=list(call.args), ctx=ast.Load())) + _dump_keywords(call)})
        if _last(_call_name(call)) in ("raises", "warns", "deprecated_call") and _call_name(call).startswith("pytest"):
            return self.raises_check(call, node, None)
        if method.startswith("assert"):
            # self.assertContains(...), np.testing.assert_allclose(...), torch.testing.assert_close(...)
            return self.make("other", node, call.args[0] if call.args else None, None, {"method": method, "args": _dump(ast.Tuple(elts=list(call.args[1:]), ctx=ast.Load()))})
        return None

    def raises_check(self, call: ast.Call, node: ast.AST, subject: Optional[ast.AST]) -> Check:
        name = _last(_call_name(call))
        extra = {"exc": _dump(call.args[0]) if call.args else "", "excname": _attr_name(call.args[0]) if call.args else ""}
        for keyword in call.keywords:
            if keyword.arg == "match":
                extra["match"] = _dump(keyword.value)
        if subject is None and len(call.args) > 1:
            subject = call.args[1]
        kind = "raises" if name in ("raises", "assertRaises", "assertRaisesRegex", "assertRaisesRegexp") else "warns"
        return self.make(kind, node, subject, None, extra)


_SIMPLE = (ast.Name, ast.Attribute, ast.Constant)


def _tautology(test: ast.AST) -> str:
    """Why `assert test` cannot fail, or ''."""
    if isinstance(test, ast.Constant):
        return "it asserts a constant" if test.value else ""
    if isinstance(test, (ast.Tuple, ast.List, ast.Dict, ast.Set)) and (getattr(test, "elts", None) or getattr(test, "keys", None)):
        return "a non-empty literal is always true"
    if isinstance(test, ast.Compare) and len(test.ops) == 1 and isinstance(test.ops[0], (ast.Eq, ast.Is, ast.GtE, ast.LtE)):
        left, right = test.left, test.comparators[0]
        if isinstance(left, _SIMPLE) and _dump(left) == _dump(right) and not (isinstance(left, ast.Constant) and left.value != left.value):
            return "both sides are the same"
        if isinstance(left, ast.Constant) and isinstance(right, ast.Constant):
            return "both sides are constants"
    return ""


def _dump_keywords(call: ast.Call) -> str:
    return "".join(f",{kw.arg}={_dump(kw.value)}" for kw in call.keywords)


def _with_check(reader: _CheckReader, item: ast.withitem, stmt: ast.stmt) -> Optional[Check]:
    call = item.context_expr
    if not isinstance(call, ast.Call):
        return None
    name = _call_name(call)
    last = _last(name)
    body_first = stmt.body[0] if getattr(stmt, "body", None) else None  # type: ignore[attr-defined]
    if last in ("raises", "warns", "deprecated_call") and not name.startswith(("self.", "cls.")):
        return reader.raises_check(call, call, body_first)
    if last in ("assertRaises", "assertRaisesRegex", "assertRaisesRegexp", "assertWarns", "assertWarnsRegex", "assertLogs"):
        check = reader.raises_check(call, call, body_first)
        if "Regex" in last and len(call.args) > 1:
            check.extra["match"] = _dump(call.args[1])
        return check
    return None


# names of calls that may assert on the test's behalf: pytest.fail, self.fail, numpy's and
# pandas' assert_* helpers, assert_that / expect style libraries, snapshot matchers
_ASSERTING_CALL = re.compile(r"(^|_)(assert|check|verify|expect|validate|ensure|compare|match|fail)|^fail$|assert", re.IGNORECASE)


def _walk_no_defs(nodes: list) -> Iterator[ast.AST]:
    """Every node below `nodes`, nested function bodies included (a closure that asserts
    still asserts when called), class bodies excluded."""
    stack = list(reversed(nodes))
    while stack:
        node = stack.pop()
        yield node
        if isinstance(node, ast.ClassDef):
            continue
        stack.extend(reversed(list(ast.iter_child_nodes(node))))


def _handler_reraises(handler: ast.ExceptHandler) -> bool:
    for node in _walk_no_defs(handler.body):
        if isinstance(node, ast.Raise):
            return True
        if isinstance(node, ast.Call) and _last(_call_name(node)) in ("fail", "exit", "_exit"):
            return True
        if isinstance(node, ast.Assert):
            return True
    return False


def _handler_names(handler: ast.ExceptHandler) -> list[str]:
    if handler.type is None:
        return [""]
    types = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
    return [_last(_attr_name(item)) for item in types]


class _TestReader:
    def __init__(self, text: str, tree: ast.Module) -> None:
        self.source = _Source(text)
        self.checks = _CheckReader(self.source)
        self.tree = tree
        self._helpers: dict = {}
        self._defs: Optional[dict] = None
        self.imported = self._imported_names()
        self.module_marks = self._module_marks()

    # -- module facts -----------------------------------------------------------------

    def defines(self, name: str) -> bool:
        self.helper_asserts(name)
        return name in (self._defs or {})

    def helper_asserts(self, name: str) -> bool:
        """A function or method of this file called `name` asserts (one call deep)."""
        if name not in self._helpers:
            if self._defs is None:
                self._defs = {}
                stack = list(self.tree.body)
                while stack:
                    node = stack.pop()
                    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                        self._defs.setdefault(node.name, []).append(node)
                    elif isinstance(node, ast.ClassDef):
                        stack.extend(node.body)
            self._helpers[name] = any(
                self._is_check_node(inner) for node in self._defs.get(name, ()) for inner in _walk_no_defs(node.body)
            )
        return self._helpers[name]

    def _imported_names(self) -> set:
        """Names imported from test-support modules (relative, or a module path naming tests):
        a call to one may assert, so it counts as one."""
        names = set()
        for node in self.tree.body:
            if isinstance(node, ast.ImportFrom):
                module = node.module or ""
                if node.level or re.search(r"test|conftest|helper|util|fixture|support|common|base", module):
                    names.update(alias.asname or alias.name for alias in node.names)
        return names

    def _module_marks(self) -> set:
        marks = set()
        for node in self.tree.body:
            if isinstance(node, ast.Assign) and any(
                isinstance(target, ast.Name) and target.id == "pytestmark" for target in node.targets
            ):
                values = node.value.elts if isinstance(node.value, (ast.List, ast.Tuple)) else [node.value]
                for value in values:
                    mark = _mark_of(value)
                    if mark:
                        marks.add(f"module:{mark}")
        return marks

    def _is_check_node(self, node: ast.AST) -> bool:
        if isinstance(node, ast.Assert):
            return True
        if isinstance(node, ast.Raise):
            return True  # raising fails the test: a hand-written assertion
        if isinstance(node, ast.Call):
            name = _call_name(node)
            last = _last(name) if name else (node.func.attr if isinstance(node.func, ast.Attribute) else "")
            if last in _UNITTEST_KINDS or last in MOCK_STRENGTH or last in _MOCK_OTHER:
                return True
            if last in ("raises", "warns", "deprecated_call", "fail", "assertLogs", "assertNoLogs", "assertNumQueries", "assertTemplateUsed", "assertContains", "assertRedirects"):
                return True
            if last.startswith("assert") or last.startswith("assert_"):
                return True
        return False

    # -- tests ------------------------------------------------------------------------

    def tests(self) -> tuple[dict, dict]:
        tests: dict = {}
        class_lines: dict = {}
        for node in self.tree.body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name.startswith("test"):
                self._add(tests, node, "", [], True)
            elif isinstance(node, ast.ClassDef):
                self._class(tests, class_lines, node, "", [], True)
        return tests, class_lines

    def _class(self, tests: dict, class_lines: dict, node: ast.ClassDef, prefix: str, outer: list, outer_collected: bool) -> None:
        qual = f"{prefix}{node.name}"
        bases = [_last(_attr_name(base)) for base in node.bases]
        is_test_class = node.name.startswith("Test") or any("Test" in base for base in bases)
        if not is_test_class:
            return
        disabled = any(
            isinstance(stmt, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "__test__" for t in stmt.targets)
            and isinstance(stmt.value, ast.Constant) and stmt.value.value is False
            for stmt in node.body
        )
        collected = outer_collected and not disabled and (
            node.name.startswith("Test") or any(base.endswith("TestCase") or base.endswith("Test") or base.endswith("Tests") for base in bases)
        )
        class_lines[qual] = node.lineno
        decorators = [*outer, *node.decorator_list]
        for stmt in node.body:
            if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)) and stmt.name.startswith("test"):
                self._add(tests, stmt, qual, decorators, collected)
            elif isinstance(stmt, ast.ClassDef):
                self._class(tests, class_lines, stmt, f"{qual}.", decorators, collected)

    def _add(self, tests: dict, node: ast.AST, class_qual: str, class_decorators: list, collected: bool) -> None:
        assert isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
        qual = f"{class_qual}.{node.name}" if class_qual else node.name
        lines = self.source.lines
        test = Test(
            qualname=qual, name=node.name, line=node.lineno, col=node.col_offset + 1,
            body=body_text(lines, node), full=full_text(lines, node), collected=collected,
            class_name=class_qual, node=node, reader=self, class_decorators=class_decorators,
        )
        test.marks = set(self.module_marks)
        for decorator in [*class_decorators, *node.decorator_list]:
            mark = _mark_of(decorator)
            if mark:
                test.marks.add(mark)
        tests[qual] = test

    def load_details(self, test: Test) -> None:
        details = test.__dict__
        details.update(checks=[], skip_calls=0, params=[], patches=[], swallows=[], may_assert=False, calls=set())
        node = test.node
        for decorator in [*test.class_decorators, *node.decorator_list]:
            params = _parametrize(decorator, self.source)
            if params is not None:
                test.params.append(params)
            patch = _patch_target(decorator)
            if patch:
                test.patches.append((patch, decorator.lineno, decorator.col_offset + 1))
        self._body(test, node)

    def _body(self, test: Test, func: ast.AST) -> None:
        body = func.body  # type: ignore[attr-defined]
        # an unconditional skip only: a skip under an `if` usually leaves out a parameter
        # combination that does not apply
        for stmt in body:
            if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call):
                name = _call_name(stmt.value)
                if name in ("pytest.skip", "self.skipTest", "skip") or _last(name) == "skipTest":
                    test.skip_calls += 1
            elif isinstance(stmt, ast.Raise) and stmt.exc is not None and _last(_call_name(stmt.exc) or _attr_name(stmt.exc)) == "SkipTest":
                test.skip_calls += 1
        for node in _walk_no_defs(body):
            if isinstance(node, ast.Assert):
                test.checks.append(self.checks.from_assert(node))
            elif isinstance(node, (ast.With, ast.AsyncWith)):
                for item in node.items:
                    check = _with_check(self.checks, item, node)
                    if check is not None:
                        test.checks.append(check)
                    elif isinstance(item.context_expr, ast.Call):
                        patch = _patch_target(item.context_expr)
                        if patch:
                            test.patches.append((patch, node.lineno, node.col_offset + 1))
            elif isinstance(node, ast.Expr) and isinstance(node.value, ast.Call):
                check = self.checks.from_call(node.value, node)
                if check is not None:
                    test.checks.append(check)
            elif isinstance(node, ast.Try):
                self._handlers(test, node)
            if isinstance(node, ast.Call):
                self._call(test, node)

    def _call(self, test: Test, node: ast.Call) -> None:
        name = _call_name(node)
        if not name and isinstance(node.func, ast.Attribute):
            name = node.func.attr
        last = _last(name)
        if not last:
            return
        test.calls.add(last)
        patch = _patch_target(node)
        if patch:
            test.patches.append((patch, node.lineno, node.col_offset + 1))
        if last in self.imported or _ASSERTING_CALL.search(last) or self.helper_asserts(last):
            test.may_assert = True
        elif isinstance(node.func, ast.Attribute) and _attr_name(node.func.value) in ("self", "cls") and not self.defines(last):
            test.may_assert = True  # a method inherited from a base class elsewhere: it may assert
        if self._is_check_node(node):
            test.may_assert = True

    def _handlers(self, test: Test, node: ast.Try) -> None:
        body_asserts = any(isinstance(inner, ast.Assert) or (isinstance(inner, ast.Call) and self._is_check_node(inner)) for inner in _walk_no_defs(node.body))
        for handler in node.handlers:
            names = _handler_names(handler)
            if _handler_reraises(handler):
                continue
            if "AssertionError" in names:
                test.swallows.append((handler.lineno, handler.col_offset + 1, "except AssertionError"))
            elif body_asserts and any(name in ("", "BaseException", "Exception") for name in names):
                what = "a bare except" if names == [""] else f"except {'/'.join(n for n in names if n)}"
                test.swallows.append((handler.lineno, handler.col_offset + 1, what))


def _mark_of(node: ast.AST) -> str:
    """'skip' / 'skipif' / 'xfail' / 'unittest.skip' ... for a skip decorator, else ''."""
    target = node.func if isinstance(node, ast.Call) else node
    name = _attr_name(target)
    last = _last(name)
    if last not in SKIP_MARKS:
        return ""
    if name.startswith("pytest.mark.") or name.startswith("mark."):
        return last
    if name.startswith("unittest.") or name in ("skip", "skipIf", "skipUnless", "expectedFailure"):
        return f"unittest.{last}"
    return ""


def _parametrize(node: ast.AST, source: _Source) -> Optional[tuple]:
    if not (isinstance(node, ast.Call) and _last(_call_name(node)) == "parametrize" and len(node.args) >= 2):
        return None
    names_node, values = node.args[0], node.args[1]
    if isinstance(names_node, ast.Constant) and isinstance(names_node.value, str):
        names = tuple(part.strip() for part in names_node.value.split(",") if part.strip())
    elif isinstance(names_node, (ast.List, ast.Tuple)):
        names = tuple(_dump(elt) for elt in names_node.elts)
    else:
        return None
    if not isinstance(values, (ast.List, ast.Tuple)):
        return None  # built elsewhere: cases cannot be compared
    cases = [(_dump(elt), source.snippet(elt, 60), getattr(elt, "lineno", node.lineno), elt) for elt in values.elts]
    return names, cases


def _patch_target(node: ast.AST) -> str:
    """The dotted target of patch("a.b.c") / mocker.patch("a.b.c") / patch.object(mod, "c")."""
    if not isinstance(node, ast.Call):
        return ""
    name = _call_name(node)
    last = _last(name)
    if last == "patch" and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str):
        return node.args[0].value
    if name.endswith("patch.object") and len(node.args) >= 2 and isinstance(node.args[1], ast.Constant) and isinstance(node.args[1].value, str):
        owner = _attr_name(node.args[0])
        return f"{owner}.{node.args[1].value}" if owner else node.args[1].value
    return ""


def parse_tests(path: str, text: str) -> Optional[TestFile]:
    """The tests of a test file, or None when it does not parse (another hook says so)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            tree = ast.parse(text, filename=path)
    except (SyntaxError, ValueError, MemoryError, RecursionError):
        return None
    reader = _TestReader(text, tree)
    try:
        tests, class_lines = reader.tests()
    except RecursionError:
        return None
    return TestFile(path, tests, class_lines, reader.source.lines, tree, reader)


# --- large files: parse only what differs ---------------------------------------------

# Below this many lines a file is parsed whole: parsing is cheap and exact.
SKELETON_MIN_LINES = 600
_DEF_TEST = re.compile(r"^(\s*)(?:async\s+)?def\s+(test\w*)\s*\(")


def _test_spans(lines: list) -> dict:
    """(name, indent, occurrence) -> (first body line, end) of each `def test*`, found by
    indentation alone (a cheap scan, checked afterwards by parsing)."""
    spans: dict = {}
    seen: dict = {}
    count = len(lines)
    index = 0
    while index < count:
        match = _DEF_TEST.match(lines[index])
        if not match:
            index += 1
            continue
        indent = len(match.group(1))
        depth, head = 0, index
        while head < count:
            text = lines[head].split("#", 1)[0].rstrip()
            depth += text.count("(") + text.count("[") - text.count(")") - text.count("]")
            if depth <= 0 and text.endswith(":"):
                break
            head += 1
        end = head + 1
        while end < count:
            stripped = lines[end].strip()
            if stripped and not stripped.startswith("#") and len(lines[end]) - len(lines[end].lstrip()) <= indent:
                break
            end += 1
        key = (match.group(2), indent)
        occurrence = seen.get(key, 0)
        seen[key] = occurrence + 1
        spans[(*key, occurrence)] = (head + 1, end, _decorators_start(lines, index, indent))
        index = end
    return spans


def _decorators_start(lines: list, def_line: int, indent: int) -> int:
    """The first line of the decorators right above a def (the def line when it has none)."""
    top = def_line
    cursor = def_line - 1
    while cursor >= 0 and lines[cursor].strip():
        text = lines[cursor]
        own = len(text) - len(text.lstrip())
        if own < indent:
            break
        if own == indent and text.lstrip().startswith("@"):
            top = cursor
        elif own == indent and not text.lstrip().startswith((")", "]", "}")):
            break
        cursor -= 1
    return top


_MODULE_ASSIGN = re.compile(r"^([A-Za-z_]\w*)\s*(?::[^=]*)?=\s*[\[\(\{]")


def _assign_spans(lines: list) -> dict:
    """name -> (start, end) of module-level `NAME = [...]` literals spanning several lines."""
    spans: dict = {}
    index, count = 0, len(lines)
    while index < count:
        match = _MODULE_ASSIGN.match(lines[index])
        if not match or match.group(1) == "pytestmark":
            index += 1
            continue
        depth, end = 0, index
        while end < count:
            text = lines[end].split("#", 1)[0]
            depth += text.count("(") + text.count("[") + text.count("{") - text.count(")") - text.count("]") - text.count("}")
            end += 1
            if depth <= 0:
                break
        if end - index > 3:
            spans.setdefault(match.group(1), (index, end))
        index = end
    return spans


def skeletons(old_text: str, new_text: str) -> tuple[str, str]:
    """Both versions with the body of every test that is identical in both replaced by
    `pass` and blank lines (line numbers kept): unchanged tests need no checks read, and
    a 6,000-line test file then parses in a fraction of the time. Helpers keep their bodies
    (a test's assertion may live in one). Falls back to the texts as given."""
    old_lines, new_lines = old_text.split("\n"), new_text.split("\n")
    if max(len(old_lines), len(new_lines)) < SKELETON_MIN_LINES:
        return old_text, new_text
    old_spans, new_spans = _test_spans(old_lines), _test_spans(new_lines)
    for key, (old_start, old_end, old_top) in old_spans.items():
        span = new_spans.get(key)
        if span is None or old_end - old_start < 3:
            continue
        new_start, new_end, new_top = span
        if old_lines[old_start:old_end] != new_lines[new_start:new_end]:
            continue
        filler = " " * (key[1] + 4) + "pass"
        same_decorators = old_lines[old_top : old_start - 1] == new_lines[new_top : new_start - 1]
        for lines, start, end, top in ((old_lines, old_start, old_end, old_top), (new_lines, new_start, new_end, new_top)):
            lines[start:end] = [filler] + [""] * (end - start - 1)
            if same_decorators and top < start - 1 and all(lines[i].strip() for i in range(top, _def_line(lines, top))):
                # identical decorators (parametrize tables): the same in both, so left out
                def_at = _def_line(lines, top)
                lines[top:def_at] = [""] * (def_at - top)
    old_assigns, new_assigns = _assign_spans(old_lines), _assign_spans(new_lines)
    for name, (old_start, old_end) in old_assigns.items():
        span = new_assigns.get(name)
        if span is None or old_lines[old_start:old_end] != new_lines[span[0] : span[1]]:
            continue
        for lines, start, end in ((old_lines, old_start, old_end), (new_lines, span[0], span[1])):
            lines[start:end] = [f"{name} = None"] + [""] * (end - start - 1)
    return "\n".join(old_lines), "\n".join(new_lines)


def _def_line(lines: list, top: int) -> int:
    index = top
    while index < len(lines) and not _DEF_TEST.match(lines[index]):
        index += 1
    return index
