from __future__ import annotations

from hooks._core.record import dataclass


@dataclass(frozen=True)
class Rule:
    """A stable rule code, documented in the README."""

    code: str
    summary: str
    enabled_by_default: bool = True


@dataclass(frozen=True)
class Finding:
    """One problem at one place. `line` and `col` are 1-based; `col` counts characters."""

    path: str
    line: int
    col: int
    code: str
    message: str
    hook: str

    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.path, self.line, self.col, self.code, self.message)

    def as_dict(self) -> dict[str, object]:
        return {
            "path": self.path,
            "line": self.line,
            "col": self.col,
            "code": self.code,
            "message": self.message,
            "hook": self.hook,
        }


class HookError(Exception):
    """The hook could not do its job (exit 2). The message is the one line the user sees."""


def char_col(line_text: str, utf8_byte_offset: int) -> int:
    """Convert an `ast` col_offset (UTF-8 bytes) into a 1-based character column."""
    if line_text.isascii():
        return utf8_byte_offset + 1
    prefix = line_text.encode("utf-8")[:utf8_byte_offset]
    return len(prefix.decode("utf-8", errors="replace")) + 1
