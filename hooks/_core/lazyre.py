"""Regular expressions compiled on first use.

A hook module holds dozens of patterns, most of which a given commit never needs (a parser
for a file kind the commit does not touch, a detector whose literal is not in the text);
compiling them all at import costs 2-8 ms per module on every commit. `lazy(...)` takes
re.compile's arguments and returns an object that compiles on its first attribute use and
then behaves as the compiled pattern (match, search, finditer, sub, pattern, groupindex, ...).
"""
from __future__ import annotations

import re

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (~3 ms)
if TYPE_CHECKING:
    from typing import Any


class LazyPattern:
    __slots__ = ("_source", "_flags", "_compiled")

    def __init__(self, pattern: Any, flags: int = 0) -> None:
        self._source = pattern
        self._flags = flags
        self._compiled: re.Pattern[Any] | None = None

    def compiled(self) -> re.Pattern[Any]:
        if self._compiled is None:
            self._compiled = re.compile(self._source, self._flags)
        return self._compiled

    def __getattr__(self, name: str) -> Any:  # only for what the slots do not hold
        return getattr(self.compiled(), name)

    def __repr__(self) -> str:
        return f"lazy({self._source!r})"


def lazy(pattern: Any, flags: int = 0) -> Any:
    """A pattern compiled when first used (typed Any: it stands in for re.Pattern)."""
    return LazyPattern(pattern, flags)
