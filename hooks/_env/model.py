"""What the environment-read extraction produces (check-env-vars, check-doc-drift)."""
from __future__ import annotations

from hooks._core.record import dataclass, field


@dataclass(frozen=True)
class Read:
    """Code reads the environment variable `name` at `line`:`col` (1-based, characters).

    `required`: the program fails right there when the variable is unset (no default).
    `how`: the construct, for the message (`os.environ[...]`, `process.env`, ...).
    `case_insensitive`: pydantic-settings matches names ignoring case by default.
    `alternatives`: more names any of which satisfies the read (pydantic AliasChoices).
    `function`: the function whose body holds the read (it runs when that function is
    called, not when the module is imported); None for module and class level.
    """

    name: str
    line: int
    col: int
    required: bool
    how: str
    case_insensitive: bool = False
    alternatives: tuple[str, ...] = ()
    function: str | None = None

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.alternatives)


@dataclass
class FileReads:
    """The reads found in one code file, plus the prefixes of names it builds at run time
    (`os.environ[f"APP_{x}"]`), which make declarations starting with them count as read."""

    reads: list[Read] = field(default_factory=list)
    dynamic_prefixes: list[str] = field(default_factory=list)
