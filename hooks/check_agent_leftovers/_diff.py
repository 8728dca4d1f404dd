"""The lines the staged diff adds, per file: what "added by the commit" means at pre-commit."""
from __future__ import annotations

import re

from hooks._core.git import run_git

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (~3 ms)
if TYPE_CHECKING:
    from typing import Sequence

_HUNK = re.compile(r"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@")


def staged_added_lines(paths: Sequence[str]) -> dict[str, set[int]]:
    """{path (repo-relative, posix): added line numbers} from `git diff --cached -U0`.

    A file git does not track yet is all added lines: its whole diff is additions.
    Outside a git repository this is a HookError (exit 2) from run_git."""
    if not paths:
        return {}
    out = run_git(
        ["-c", "core.quotePath=false", "diff", "--cached", "-U0", "--no-color", "--no-ext-diff",
         "--relative", "--", *paths]
    )
    added: dict[str, set[int]] = {}
    current: set[int] | None = None
    for line in out.splitlines():
        if line.startswith("+++ "):
            target = line[4:].rstrip("\t")  # git ends a name holding a space with a tab
            current = None if target == "/dev/null" else added.setdefault(_strip_prefix(target), set())
        elif line.startswith("@@") and current is not None:
            match = _HUNK.match(line)
            if match:
                start, count = int(match.group(1)), int(match.group(2) or "1")
                current.update(range(start, start + count))
    return added


def _strip_prefix(target: str) -> str:
    if target.startswith('"') and target.endswith('"'):
        target = target[1:-1]  # names with quotes or control characters; rare enough to keep raw
    return target[2:] if target.startswith("b/") else target
