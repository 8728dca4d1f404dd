"""`[tool.<project>]` keys shown in TOML blocks against the code that reads them.

The reading code is found statically: a runtime code file that has both the literal "tool"
and the table's name as string literals (`data["tool"]["myproj"]`, `.get("tool", {})`). A key
exists when the project's code has it as a string literal or (with `-` read as `_`) as an
identifier: an attribute, a dataclass or pydantic field. No reading code found: silent."""
from __future__ import annotations

import re
import sys
from hooks._core.record import dataclass

from hooks.check_doc_drift.project import Project

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (~3 ms)
if TYPE_CHECKING:
    from typing import Any, Iterator, Sequence



@dataclass(frozen=True)
class KeyProblem:
    line: int
    col: int
    message: str
    key: tuple[str, ...]


def _variants(name: str) -> set[str]:
    lowered = name.lower()
    return {name, lowered, lowered.replace("-", "_"), lowered.replace("_", "-")}


def reading_file(project: Project, table: str) -> str | None:
    """The first runtime code file that reads `[tool.<table>]`, or None."""

    def find() -> str | None:
        quoted = re.compile(rf"""['"]{re.escape(table)}['"]""")
        for path in project.code_files:
            text = project.text(path) or ""
            if table in text and quoted.search(text) and re.search(r"""['"]tool['"]""", text):
                return path
        return None

    return project.memo("reader:" + table, find)  # type: ignore[return-value]


def key_known(project: Project, key: str) -> bool:
    snake = key.replace("-", "_")
    if project.has_literal(project.code_files, (key, snake, key.replace("_", "-"))):
        return True
    return snake.isidentifier() and project.has_word(project.code_files, snake)


def _load(text: str) -> dict[str, Any] | None:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover
        import tomli as tomllib
    try:
        return tomllib.loads(text)
    except (tomllib.TOMLDecodeError, ValueError):
        return None  # a fragment with placeholders (`key = ...`): nothing to judge


def _walk(table: dict[str, Any], path: tuple[str, ...], top: bool) -> Iterator[tuple[tuple[str, ...], str, list[str]]]:
    """(table path, key, sibling keys) for each key to judge."""
    for key, value in table.items():
        yield path, key, list(table)
        if isinstance(value, dict):
            yield from _walk(value, (*path, key), False)
        elif isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            for item in value:
                yield from _walk(item, (*path, key), False)


def _line_of(lines: Sequence[tuple[int, str]], key: str) -> tuple[int, int]:
    pattern = re.compile(rf"""(^|[\s.\[{{,])("{re.escape(key)}"|'{re.escape(key)}'|{re.escape(key)})\s*(=|\]|\.)""")
    for number, text in lines:
        match = pattern.search(text)
        if match:
            return number, match.start(2) + 1
    return lines[0][0], 1


def toml_block_problems(project: Project, lines: Sequence[tuple[int, str]], offsets: Sequence[int]) -> Iterator[KeyProblem]:
    names = {variant for name in project.names for variant in _variants(name)}
    if not names or not lines:
        return
    data = _load("\n".join(text for _, text in lines))
    tool = data.get("tool") if data else None
    if not isinstance(tool, dict):
        return
    indent = dict(zip((n for n, _ in lines), offsets))
    for table_name, table in tool.items():
        if table_name not in names or not isinstance(table, dict):
            continue
        reader = reading_file(project, table_name)
        if reader is None:
            continue
        for path, key, siblings in _walk(table, (), True):
            if key_known(project, key):
                continue
            # a nested table whose keys are all unknown is a map of the user's own names
            # (aliases, tasks): only a table with a known sibling is a schema to judge
            if path and not any(key_known(project, s) for s in siblings if s != key):
                continue
            number, col = _line_of(lines, key)
            header = ".".join(("tool", table_name, *path))
            where = f"[{header}]"
            yield KeyProblem(
                number, col + indent.get(number, 0),
                f"`{where}` key `{key}`: no code reads it (the table is read in {reader})"
                f"{_close(project, key, siblings)}; fix the doc or the key",
                ("key", table_name, *path, key),
            )


def _close(project: Project, key: str, siblings: Sequence[str]) -> str:
    import difflib

    literals = [v for v in project.literals(project.code_files) if re.fullmatch(r"[a-z][a-z0-9_-]{2,40}", v)]
    match = difflib.get_close_matches(key, literals, n=1, cutoff=0.8)
    return f"; did you mean `{match[0]}`?" if match else ""
