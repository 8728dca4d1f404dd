"""What a Markdown or reStructuredText file shows: its code blocks (with their language and
line numbers) and its inline code spans. Pure text functions, no I/O."""
from __future__ import annotations

import re
from hooks._core.record import dataclass

from hooks.check_doc_drift import MARKDOWN_SUFFIXES, RST_SUFFIXES

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (~3 ms)
if TYPE_CHECKING:
    from typing import Iterator, Sequence

# The past is allowed to name what no longer exists: change logs, release notes and
# migration or upgrade guides (which name the old API on purpose).
_HISTORY = re.compile(
    r"(^|/)(change[-_]?log|changes|history|news|release[-_]?notes|releases|whatsnew"
    r"|migrations?|migrating|upgrad(e|es|ing))([-_.][^/]*)?(/|$)",
    re.I,
)


def is_doc(path: str) -> bool:
    lowered = path.lower()
    return lowered.endswith(MARKDOWN_SUFFIXES + RST_SUFFIXES) and not _HISTORY.search(lowered)


@dataclass(frozen=True)
class CodeLine:
    """One line of a code block: its 1-based line number in the file and its text, with the
    block's indentation removed (`indent` characters)."""

    line: int
    text: str
    indent: int


@dataclass(frozen=True)
class CodeBlock:
    lang: str  # lower-cased first word of the info string; "" when none
    lines: tuple[CodeLine, ...]


@dataclass(frozen=True)
class InlineCode:
    line: int
    col: int  # 1-based column of the span's first character inside the backticks
    text: str


_FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})[ \t]*(?P<info>[^`\n]*)$")
_INLINE_MD = re.compile(r"(?<!`)(`+)(?!`)(.+?)(?<!`)\1(?!`)")
_INLINE_RST = re.compile(r"``(?!\s)(.+?)(?<!\s)``")
_RST_DIRECTIVE = re.compile(r"^(?P<indent>\s*)\.\.\s+(?:code-block|code|sourcecode)::\s*(?P<lang>\S*)\s*$")


def _lang(info: str) -> str:
    word = info.strip().lstrip("{.").split(None, 1)[0] if info.strip() else ""
    return word.rstrip("}").split(",")[0].lower()


def markdown_blocks(lines: Sequence[str]) -> tuple[list[CodeBlock], set[int]]:
    """Fenced code blocks and the set of 0-based line indexes inside fences (fence lines too)."""
    blocks: list[CodeBlock] = []
    fenced: set[int] = set()
    i = 0
    while i < len(lines):
        match = _FENCE.match(lines[i])
        if match is None or (match.group("fence")[0] == "`" and "`" in match.group("info")):
            i += 1
            continue
        fence, indent = match.group("fence"), len(match.group("indent"))
        start = i
        body: list[CodeLine] = []
        i += 1
        while i < len(lines):
            stripped = lines[i].strip()
            if stripped.startswith(fence) and set(stripped) == {fence[0]}:
                break
            text = lines[i]
            cut = min(indent, len(text) - len(text.lstrip()))
            body.append(CodeLine(i + 1, text[cut:], cut))
            i += 1
        fenced.update(range(start, min(i, len(lines) - 1) + 1))
        blocks.append(CodeBlock(_lang(match.group("info")), tuple(body)))
        i += 1
    return blocks, fenced


def rst_blocks(lines: Sequence[str]) -> tuple[list[CodeBlock], set[int]]:
    """`.. code-block:: lang` directives and `::` literal blocks (language "")."""
    blocks: list[CodeBlock] = []
    inside: set[int] = set()
    i = 0
    while i < len(lines):
        directive = _RST_DIRECTIVE.match(lines[i])
        literal = directive is None and lines[i].rstrip().endswith("::") and not lines[i].lstrip().startswith("..")
        if directive is None and not literal:
            i += 1
            continue
        lang = directive.group("lang").lower() if directive else ""
        own_indent = len(lines[i]) - len(lines[i].lstrip())
        i += 1
        # directive options (":linenos:") and blank lines before the body
        while i < len(lines) and (not lines[i].strip() or (directive and lines[i].strip().startswith(":"))):
            i += 1
        body: list[CodeLine] = []
        block_indent = None
        while i < len(lines):
            text = lines[i]
            if text.strip():
                indent = len(text) - len(text.lstrip())
                if indent <= own_indent:
                    break
                block_indent = indent if block_indent is None else min(block_indent, indent)
            body.append(CodeLine(i + 1, text, 0))
            inside.add(i)
            i += 1
        cut = block_indent or 0
        trimmed = tuple(CodeLine(c.line, c.text[cut:], cut) for c in body)
        while trimmed and not trimmed[-1].text.strip():
            trimmed = trimmed[:-1]
        if trimmed:
            blocks.append(CodeBlock(lang, trimmed))
    return blocks, inside


def code_blocks(path: str, lines: Sequence[str]) -> tuple[list[CodeBlock], set[int]]:
    if path.lower().endswith(RST_SUFFIXES):
        return rst_blocks(lines)
    return markdown_blocks(lines)


def inline_code(path: str, lines: Sequence[str], skip: set[int]) -> Iterator[InlineCode]:
    """Inline code spans on lines outside code blocks (one line each; multi-line spans are rare
    and skipped)."""
    pattern = _INLINE_RST if path.lower().endswith(RST_SUFFIXES) else _INLINE_MD
    group = 1 if pattern is _INLINE_RST else 2
    for index, text in enumerate(lines):
        if index in skip or "`" not in text:
            continue
        for match in pattern.finditer(text):
            content = match.group(group)
            stripped = content.strip()
            if stripped:
                col = match.start(group) + (len(content) - len(content.lstrip())) + 1
                yield InlineCode(index + 1, col, stripped)
