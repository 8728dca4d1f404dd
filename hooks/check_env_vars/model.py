"""What the readers and the declaration collectors produce."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Read:
    """Code reads the environment variable `name` at `line`:`col` (1-based, characters).

    `required`: the program fails right there when the variable is unset (no default).
    `how`: the construct, for the message (`os.environ[...]`, `process.env`, ...).
    `case_insensitive`: pydantic-settings matches names ignoring case by default.
    `alternatives`: more names any of which satisfies the read (pydantic AliasChoices).
    """

    name: str
    line: int
    col: int
    required: bool
    how: str
    case_insensitive: bool = False
    alternatives: tuple[str, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.alternatives)


@dataclass(frozen=True)
class Declaration:
    """A deployment file declares `name` at `path`:`line`:`col` (path relative to the repo root).

    `reportable`: whether a DG410 (declared, never read) may point here. Build arguments,
    CI job variables and third-party images' settings are consumed by something other than
    the project's code, so they are declarations but never DG410 candidates.
    """

    name: str
    path: str
    line: int
    col: int
    kind: str
    reportable: bool = True


@dataclass
class FileReads:
    """The reads found in one code file, plus the prefixes of names it builds at run time
    (`os.environ[f"APP_{x}"]`), which make declarations starting with them count as read."""

    reads: list[Read] = field(default_factory=list)
    dynamic_prefixes: list[str] = field(default_factory=list)
