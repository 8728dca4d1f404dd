"""The provenance record: which trailers it has, which values are well formed, and which
identities name a coding agent. Pure functions over text: no git, no files."""

from __future__ import annotations

import re
from hooks._core.record import dataclass

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (~3 ms)
if TYPE_CHECKING:
    from typing import Callable, Iterable, Sequence

RUN_ID = "Agent-Run-Id"
MODEL = "Agent-Model"
PROMPT_HASH = "Agent-Prompt-Hash"
TOOLS = "Agent-Tools"
TURNS = "Agent-Turns"
CONTEXT_TOKENS = "Agent-Context-Tokens"
ASSISTED_BY = "Assisted-by"
CO_AUTHORED_BY = "Co-authored-by"
ORIGIN = "Origin"

# The Agent-* trailers: any one of them makes a commit agent-made and is "a record".
RECORD_KEYS = (RUN_ID, MODEL, PROMPT_HASH, TOOLS, TURNS, CONTEXT_TOKENS)
REQUIRED_KEYS = (RUN_ID, MODEL, PROMPT_HASH)
# Trailers that carry one fact each: a second one with a different value is ambiguous.
SINGLE_VALUED = (*RECORD_KEYS, ORIGIN)
ORIGINS = ("human", "agent", "mixed")

_CANONICAL = {key.lower(): key for key in (*RECORD_KEYS, ASSISTED_BY, CO_AUTHORED_BY, ORIGIN)}

# Built-in names of coding agents, matched as whole words in Co-authored-by / Assisted-by.
DEFAULT_KNOWN_AGENTS = (
    "Claude",
    "Copilot",
    "Codex",
    "Cursor",
    "Devin",
    "Aider",
    "Gemini",
    "OpenHands",
    "Jules",
    "Windsurf",
    "Cline",
    "Codeium",
    "Tabnine",
    "Sweep",
    "ChatGPT",
)

_PROMPT_HASH = re.compile(r"sha256:[0-9a-f]{64}")
_POSITIVE_INT = re.compile(r"[1-9][0-9]*")
_TOKEN = re.compile(r"\S+")
# Linux kernel style: AGENT_NAME:MODEL_VERSION [TOOL1] [TOOL2]
_ASSISTED_BY = re.compile(r"(?P<agent>[^\s:]+):(?P<model>\S+)(?:\s+(?P<tools>\S.*))?")
_SCISSORS = re.compile(r"^# -+ >8 -+$")


@dataclass(frozen=True)
class Trailer:
    key: str  # canonical spelling for the trailers driftgate knows, else as written
    value: str
    line: int  # 1-based line of the message where the trailer starts


def canonical_key(key: str) -> str:
    return _CANONICAL.get(key.strip().lower(), key.strip())


def split_parsed(parsed: str) -> list[tuple[str, str]]:
    """(key, value) pairs from `git interpret-trailers --parse` / `%(trailers:only,unfold)`."""
    pairs = []
    for line in parsed.splitlines():
        key, sep, value = line.partition(":")
        if sep and key.strip():
            pairs.append((key.strip(), value.strip()))
    return pairs


def message_lines(message: str, comment_char: str | None = "#") -> list[str]:
    """The lines of a message that git keeps: up to the scissors line of `commit -v`."""
    lines = message.splitlines()
    if comment_char is None:
        return lines
    for index, line in enumerate(lines):
        if _SCISSORS.match(line):
            return lines[:index]
    return lines


def locate(
    lines: Sequence[str], pairs: Sequence[tuple[str, str]], comment_char: str | None = "#"
) -> list[Trailer]:
    """Give each parsed trailer the line it starts on, searching upwards from the end (the
    trailer block is the last paragraph); 1 when it cannot be found."""
    found: list[Trailer] = []
    cursor = len(lines)
    for key, value in reversed(pairs):
        pattern = re.compile(rf"{re.escape(key)}\s*:", re.IGNORECASE)
        line_no = 1
        for index in range(cursor - 1, -1, -1):
            text = lines[index]
            if comment_char and text.startswith(comment_char):
                continue
            if pattern.match(text):
                line_no, cursor = index + 1, index
                break
        found.append(Trailer(canonical_key(key), value, line_no))
    found.reverse()
    return found


# --- values ------------------------------------------------------------------------


def assisted_by_parts(value: str) -> tuple[str, str, str] | None:
    """(agent, model, tools) of an `AGENT:MODEL [TOOL...]` value, or None."""
    match = _ASSISTED_BY.fullmatch(value.strip())
    if match is None:
        return None
    return match.group("agent"), match.group("model"), match.group("tools") or ""


def _check_prompt_hash(value: str) -> str | None:
    if _PROMPT_HASH.fullmatch(value):
        return None
    return "must be `sha256:` followed by 64 lowercase hex digits"


def _check_positive_int(value: str) -> str | None:
    return None if _POSITIVE_INT.fullmatch(value) else "must be a positive integer"


def _check_token(value: str) -> str | None:
    return None if _TOKEN.fullmatch(value) else "must be one token without spaces"


def _check_non_empty(value: str) -> str | None:
    return None if value.strip() else "must not be empty"


def _check_tools(value: str) -> str | None:
    items = [item.strip() for item in value.split(",")]
    if not value.strip() or any(not item for item in items):
        return "must be a comma-separated list of tool names, without empty items"
    return None


def _check_assisted_by(value: str) -> str | None:
    return (
        None if assisted_by_parts(value) else "must be `AGENT:MODEL` (optionally followed by tools)"
    )


def _check_origin(value: str) -> str | None:
    return None if value.lower() in ORIGINS else f"must be one of {', '.join(ORIGINS)}"


VALIDATORS: dict[str, Callable[[str], str | None]] = {
    RUN_ID: _check_token,
    MODEL: _check_non_empty,
    PROMPT_HASH: _check_prompt_hash,
    TOOLS: _check_tools,
    TURNS: _check_positive_int,
    CONTEXT_TOKENS: _check_positive_int,
    ASSISTED_BY: _check_assisted_by,
    ORIGIN: _check_origin,
}


def value_error(key: str, value: str) -> str | None:
    """Why `value` is not a well-formed value of trailer `key` (None when it is)."""
    check = VALIDATORS.get(key)
    return check(value) if check else None


# --- agents ------------------------------------------------------------------------


class AgentNames:
    """Known coding agents, matched case-insensitively as whole words of an identity."""

    def __init__(self, names: Iterable[str]) -> None:
        cleaned = sorted({name.strip() for name in names if name.strip()}, key=len, reverse=True)
        self.names = tuple(cleaned)
        alternatives = "|".join(re.escape(name) for name in cleaned)
        self._pattern = (
            re.compile(rf"(?<![A-Za-z0-9])(?:{alternatives})(?![A-Za-z0-9])", re.IGNORECASE)
            if cleaned
            else None
        )

    def find(self, identity: str) -> str | None:
        """The known agent named in `identity` ("Name <email>" or any text), or None."""
        if self._pattern is None:
            return None
        match = self._pattern.search(identity)
        return match.group(0) if match else None
