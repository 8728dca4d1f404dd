"""check-nesting: control flow nested deeper than a reviewer can follow (DG5xx).

Depth counts the if/for/while/try/with/match blocks (async forms too) enclosing a block
inside one function; elif/else/except/finally stay at their statement's depth, a nested
def/class body starts again at 0, and comprehensions do not count.

A block deeper than the limit is "over the limit" (its own blocks are not counted again). By
default a function gets one DG501: at its over-limit block with the deepest chain, naming that
chain and how many more blocks are over the limit (`report = "function"`). `report = "block"`
reports every over-limit block on its own, naming the chain down to it.
"""
from __future__ import annotations

import ast
import sys

from hooks._core.config import Option
from hooks._core.files import SourceFile, TooNewSyntax, parse_python
from hooks._core.findings import Finding, HookError, Rule, char_col
from hooks._core.runner import FileHook, file_only_context, per_file, run_hook, suffix_selector
from hooks._core.suppress import suppressed_codes

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (~3 ms)
if TYPE_CHECKING:
    from typing import Any, Iterator, Sequence

HOOK_ID = "check-nesting"
DEFAULT_MAX_DEPTH = 4

RULES = (
    Rule("DG500", "file could not be parsed as Python"),
    Rule("DG501", "control flow nested deeper than max-depth"),
    Rule("DG502", "an `if` at depth 3 or more whose whole body is one `if`: merge them"),
)

_BLOCK_LABELS: dict[type, str] = {
    ast.If: "if",
    ast.For: "for",
    ast.AsyncFor: "async for",
    ast.While: "while",
    ast.Try: "try",
    ast.With: "with",
    ast.AsyncWith: "async with",
}
if sys.version_info >= (3, 10):
    _BLOCK_LABELS[ast.Match] = "match"
if sys.version_info >= (3, 11):
    _BLOCK_LABELS[ast.TryStar] = "try"

_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
_COMPOUND = frozenset((*_BLOCK_LABELS, *_SCOPES))


class _OverLimit:
    """A block over the limit: where it is, the chain down to it, and the deepest chain below."""

    __slots__ = ("stmt", "scope", "chain", "deepest")

    def __init__(self, stmt: ast.stmt, scope: str, chain: tuple[str, ...]) -> None:
        self.stmt = stmt
        self.scope = scope
        self.chain = chain
        self.deepest = chain


class _NestingVisitor:
    def __init__(self, source: SourceFile, max_depth: int) -> None:
        self.source = source
        self.max_depth = max_depth
        self.findings: list[Finding] = []
        self.over: list[_OverLimit] = []  # in source order

    def finding(self, node: ast.stmt, code: str, message: str) -> Finding:
        col = char_col(self.source.line(node.lineno), node.col_offset)
        return Finding(self.source.path, node.lineno, col, code, message, HOOK_ID)

    def visit_scope(self, body: Sequence[ast.stmt], scope: str) -> None:
        self.visit_body(body, 0, (), scope, None)

    def visit_body(
        self, body: Sequence[ast.stmt], depth: int, chain: tuple[str, ...], scope: str,
        reported: _OverLimit | None,
    ) -> None:
        for stmt in body:
            # most statements are simple ones: skip them without a call
            if type(stmt) in _COMPOUND:
                self.visit_stmt(stmt, depth, chain, scope, reported)

    def visit_stmt(
        self, stmt: ast.stmt, depth: int, chain: tuple[str, ...], scope: str,
        reported: _OverLimit | None,
    ) -> None:
        if isinstance(stmt, _SCOPES):
            inner = stmt.name if scope == "" else f"{scope}.{stmt.name}"
            self.visit_scope(stmt.body, inner)
            return
        label = _BLOCK_LABELS.get(type(stmt))
        if label is None:
            return
        own_depth = depth + 1
        own_chain = (*chain, label)
        if reported is None:
            if own_depth > self.max_depth:
                reported = _OverLimit(stmt, scope, own_chain)
                self.over.append(reported)
        elif len(own_chain) > len(reported.deepest):
            reported.deepest = own_chain
        if isinstance(stmt, ast.If):
            self.visit_if(stmt, depth, own_chain, scope, reported)
        else:
            for child_body in _child_bodies(stmt):
                self.visit_body(child_body, own_depth, own_chain, scope, reported)

    def visit_if(
        self, stmt: ast.If, depth: int, own_chain: tuple[str, ...], scope: str,
        reported: _OverLimit | None,
    ) -> None:
        own_depth = depth + 1
        if own_depth >= 3 and _is_collapsible(stmt):
            self.findings.append(
                self.finding(
                    stmt, "DG502",
                    f"`if` at depth {own_depth} in {_describe(scope)} only wraps another `if`: "
                    "merge the two conditions with `and`",
                )
            )
        self.visit_body(stmt.body, own_depth, own_chain, scope, reported)
        if len(stmt.orelse) == 1 and self.is_elif(stmt.orelse[0]):
            # an elif is the same statement: same depth, same chain, same reported state
            self.visit_stmt(stmt.orelse[0], depth, own_chain[:-1], scope, reported)
        else:
            self.visit_body(stmt.orelse, own_depth, own_chain, scope, reported)

    def is_elif(self, node: ast.stmt) -> bool:
        if not isinstance(node, ast.If):
            return False
        line = self.source.line(node.lineno)
        start = char_col(line, node.col_offset) - 1
        return line.startswith("elif", start)

    def too_deep(self, scope: str, chain: tuple[str, ...], more: int = 0) -> str:
        tail = f", and {more} more block{'s' if more > 1 else ''} over the limit" if more else ""
        return (
            f"{_describe(scope)} nests blocks {len(chain)} deep (max {self.max_depth}): "
            + " > ".join(chain) + tail
        )

    def report_blocks(self) -> None:
        """`report = "block"`: each over-limit block, with the chain down to it."""
        for over in self.over:
            self.findings.append(self.finding(over.stmt, "DG501", self.too_deep(over.scope, over.chain)))

    def report_functions(self) -> None:
        """`report = "function"`: one finding per function, at its deepest over-limit block.
        A block whose line suppresses DG501 is not chosen (the suppression would hide the
        function's other blocks with it) nor counted."""
        by_scope: dict[str, list[_OverLimit]] = {}
        for over in self.over:
            if not self.suppressed(over.stmt):
                by_scope.setdefault(over.scope, []).append(over)
        for scope, blocks in by_scope.items():
            deepest = max(blocks, key=lambda over: len(over.deepest))  # the first among equals
            message = self.too_deep(scope, deepest.deepest, len(blocks) - 1)
            self.findings.append(self.finding(deepest.stmt, "DG501", message))

    def suppressed(self, stmt: ast.stmt) -> bool:
        codes = suppressed_codes(self.source.line(stmt.lineno))
        return codes is not None and (not codes or "DG501" in codes)


def _describe(scope: str) -> str:
    return f"`{scope}`" if scope else "module level"


def _child_bodies(stmt: ast.stmt) -> Iterator[Sequence[ast.stmt]]:
    if isinstance(stmt, (ast.For, ast.AsyncFor, ast.While)):
        yield stmt.body
        yield stmt.orelse
    elif isinstance(stmt, (ast.With, ast.AsyncWith)):
        yield stmt.body
    elif sys.version_info >= (3, 10) and isinstance(stmt, ast.Match):
        for case in stmt.cases:
            yield case.body
    else:  # try / try*
        yield stmt.body  # type: ignore[attr-defined]
        for handler in stmt.handlers:  # type: ignore[attr-defined]
            yield handler.body
        yield stmt.orelse  # type: ignore[attr-defined]
        yield stmt.finalbody  # type: ignore[attr-defined]


def _is_collapsible(stmt: ast.If) -> bool:
    return (
        not stmt.orelse
        and len(stmt.body) == 1
        and isinstance(stmt.body[0], ast.If)
        and not stmt.body[0].orelse
    )


def parse(source: SourceFile) -> ast.Module | Finding | None:
    """The module's AST, a DG500 finding saying why it does not parse, or None when it uses a
    newer Python than this one and the project targets that Python (reported once per run)."""
    try:
        return parse_python(source)
    except TooNewSyntax:
        return None
    except SyntaxError as exc:
        line = exc.lineno or 1
        col = exc.offset if exc.offset and exc.offset > 0 else 1
        return Finding(source.path, line, col, "DG500", f"syntax error: {exc.msg}", HOOK_ID)
    except (ValueError, MemoryError, RecursionError) as exc:
        return Finding(source.path, 1, 1, "DG500", f"cannot parse: {exc}", HOOK_ID)


def check_source(source: SourceFile, settings: dict[str, Any]) -> list[Finding]:
    max_depth = settings["max_depth"]
    if max_depth < 1:
        raise HookError(f"max-depth must be at least 1, got {max_depth}")
    tree = parse(source)
    if tree is None:
        return []
    if isinstance(tree, Finding):
        return [tree]
    visitor = _NestingVisitor(source, max_depth)
    visitor.visit_scope(tree.body, "")
    if settings.get("report", "function") == "block":
        visitor.report_blocks()
    else:
        visitor.report_functions()
    return visitor.findings


HOOK = FileHook(
    id=HOOK_ID,
    description="Report control flow nested deeper than --max-depth.",
    rules=RULES,
    selects=suffix_selector(".py", ".pyi"),
    check=per_file(check_source),
    cache_context=file_only_context,
    options=(
        Option("max-depth", int, DEFAULT_MAX_DEPTH, "deepest allowed block nesting"),
        Option(
            "report", str, "function",
            "one DG501 per function (its deepest chain) or one per over-limit block",
            choices=("function", "block"),
        ),
    ),
)


def main(argv: Sequence[str] | None = None) -> int:
    return run_hook(HOOK, argv)


if __name__ == "__main__":
    raise SystemExit(main())
