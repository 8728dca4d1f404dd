"""Inline suppression: `# driftgate: ignore[DG501]` (or bare `ignore`) on the finding's line."""
from __future__ import annotations

import re

from hooks._core.findings import Finding

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (~3 ms)
if TYPE_CHECKING:
    from typing import Callable, Iterable, Iterator

_IGNORE = re.compile(r"driftgate:\s*ignore(?:\[(?P<codes>[A-Za-z0-9,\s]*)\])?")


def suppressed_codes(line: str) -> frozenset[str] | None:
    """None: nothing suppressed; empty set: every code; otherwise the listed codes."""
    if "driftgate" not in line:
        return None
    match = _IGNORE.search(line)
    if match is None:
        return None
    codes = match.group("codes")
    if codes is None:
        return frozenset()
    return frozenset(code.strip().upper() for code in codes.split(",") if code.strip())


def is_suppressed(finding: Finding, line: str) -> bool:
    codes = suppressed_codes(line)
    if codes is None:
        return False
    return not codes or finding.code in codes


def drop_suppressed(
    findings: Iterable[Finding], line_of: Callable[[str, int], str]
) -> Iterator[Finding]:
    """Keep findings whose source line (via `line_of(path, line)`) does not suppress them."""
    for finding in findings:
        if not is_suppressed(finding, line_of(finding.path, finding.line)):
            yield finding
