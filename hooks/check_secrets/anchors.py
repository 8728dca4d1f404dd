"""Where a secret can start: literal anchors found with `str.find`, and the assignments the
generic detector (DG328) reads. Import-cheap (no detect-secrets): the hook's prefilter uses it
on every file, the detector pack on files that pass.

Speed on large generated files (HAR recordings, lock files, minified bundles) comes from here:
a regex that starts with a lookbehind, a case-blind flag or an alternation is tried at every
offset of a multi-MB text; `str.find` of a literal is a C scan, and each detector's regex then
runs only where an anchor occurs.
"""
from __future__ import annotations

import re

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (~3 ms)
if TYPE_CHECKING:
    from typing import Iterator, Match

TOKEN_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")


class Hits:
    """Offsets of anchors in one text, each anchor scanned once however many detectors ask."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.lowered: str | None | bool = False  # not computed yet
        self._exact: dict[str, list[int]] = {}
        self._any_case: dict[str, list[int]] = {}

    def exact(self, anchors: tuple[str, ...]) -> list[int]:
        return self._merge([self._scan(self._exact, self.text, anchor) for anchor in anchors])

    def any_case(self, anchors: tuple[str, ...]) -> list[int]:
        lowered = self.lower()
        if lowered is None:
            return lower_hits(self.text, None, anchors)
        return self._merge([self._scan(self._any_case, lowered, anchor) for anchor in anchors])

    def lower(self) -> str | None:
        if self.lowered is False:
            self.lowered = lowered_text(self.text)
        return self.lowered  # type: ignore[return-value]

    @staticmethod
    def _scan(memo: dict[str, list[int]], text: str, anchor: str) -> list[int]:
        hits = memo.get(anchor)
        if hits is None:
            hits = memo[anchor] = _find_all(text, anchor)
        return hits

    @staticmethod
    def _merge(lists: list[list[int]]) -> list[int]:
        lists = [hits for hits in lists if hits]
        if len(lists) <= 1:
            return lists[0] if lists else []
        return sorted(set().union(*lists))


def _find_all(text: str, anchor: str) -> list[int]:
    hits = []
    index = text.find(anchor)
    while index >= 0:
        hits.append(index)
        index = text.find(anchor, index + 1)
    return hits


def anchor_hits(text: str, anchors: tuple[str, ...]) -> list[int]:
    """Sorted offsets where any of `anchors` occurs."""
    return Hits(text).exact(anchors)


def lowered_text(text: str) -> str | None:
    """`text.lower()` when offsets stay the same (always for ASCII), else None."""
    lowered = text.lower()
    return lowered if len(lowered) == len(text) else None


def lower_hits(text: str, lowered: str | None, anchors: tuple[str, ...]) -> list[int]:
    """Offsets in `text` where an anchor occurs in any case (`lowered`: `lowered_text(text)`;
    None for the rare text whose lowercase has another length: a case-blind regex then)."""
    if lowered is not None:
        return Hits(lowered).exact(anchors)
    pattern = re.compile("|".join(re.escape(anchor) for anchor in anchors), re.IGNORECASE)
    return [match.start() for match in pattern.finditer(text)]


# --- DG328: a credential's name, an assignment, a value -----------------------------------

KEYWORDS = ("pass", "pwd", "secret", "token", "key", "auth", "cred", "contrase")
NAME_CHARS = TOKEN_CHARS
_VALUE = r"""(?:(?P<prefix>[rRbBuUfF]{0,2}|@)(?P<q>["'`])(?P<quoted>[^"'`\n\\]{1,500})(?P=q)|(?P<bare>[^\s"'`#,;]{1,500}))"""
# `NAME: str = "..."` (an annotated assignment), then `NAME = ...`, `"name": ...`,
# `name: ...`, `name := ...`, `name => ...`, `name=...` (a keyword argument, a dotenv line)
ANNOTATED = re.compile(r"[ \t]*:[ \t]*[A-Za-z_][\w\[\], .|]{0,60}?[ \t]*=(?!=)[ \t]*" + _VALUE)
ASSIGNED = re.compile(r"""["'\]]?[ \t]*(?::=|=>|(?<![=!<>])=(?!=)|:)[ \t]*""" + _VALUE)
MIN_VALUE = 16  # generic.MIN_LENGTH: shorter values are never reported
# In code a bare word after `=` is a variable, not a value.
CODE_SUFFIXES = (
    ".py", ".pyi", ".js", ".jsx", ".ts", ".tsx", ".mjs", ".cjs", ".java", ".kt", ".go", ".rb",
    ".php", ".rs", ".cs", ".swift", ".scala", ".c", ".cc", ".cpp", ".h", ".hpp", ".vue", ".svelte",
)


# After a keyword: the rest of the name, an assignment, and MIN_VALUE value characters. One C
# call per keyword hit, before any Python work: most hits (`monkey`, `keys()`) stop here.
_QUICK = re.compile(
    r"[A-Za-z0-9_-]*[\"'\]]?[ \t]*(?::[ \t]*[\w\[\], .|]{0,60}?[ \t]*)?(?::=|=>|=|:)[ \t]*[@rRbBuUfF]{0,2}[\"'`]?[^\s\"'`]{16}"
)


def assignments(text: str, lowered: str | None, hits: Hits | None = None) -> Iterator[tuple[int, int, Match[str], str]]:
    """(name start, name end, match, value group) of each `<name with a keyword> = <value>`
    whose value has at least MIN_VALUE characters; group is 'quoted' or 'bare'."""
    size = len(text)
    position = 0
    found = hits.any_case(KEYWORDS) if hits is not None else lower_hits(text, lowered, KEYWORDS)
    for hit in found:
        if hit < position or _QUICK.match(text, hit) is None:
            continue
        start = end = hit
        while start > 0 and text[start - 1] in NAME_CHARS:
            start -= 1
        while end < size and text[end] in NAME_CHARS:
            end += 1
        position = end
        match = ANNOTATED.match(text, end) or ASSIGNED.match(text, end)
        if match is None:
            continue
        group = "quoted" if match.group("quoted") is not None else "bare"
        if len(match.group(group)) >= MIN_VALUE:
            position = match.end(group)
            yield start, end, match, group
