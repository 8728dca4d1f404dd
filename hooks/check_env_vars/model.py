"""What the declaration collectors produce (the reads' model is in hooks/_env/model.py)."""
from __future__ import annotations

from hooks._core.record import dataclass


@dataclass(frozen=True)
class Declaration:
    """A deployment file declares `name` at `path`:`line`:`col` (path relative to the repo root).

    `reportable`: whether a DG410 (declared, never read) may point here. Build arguments,
    CI job variables and third-party images' settings are consumed by something other than
    the project's code, so they are declarations but never DG410 candidates.

    `documentation`: the name is only documented here (a Markdown/RST page, a commented-out
    example line), not set by anything that deploys the code. It still counts as declared
    unless DG404 is selected; never a DG410 candidate.
    """

    name: str
    path: str
    line: int
    col: int
    kind: str
    reportable: bool = True
    documentation: bool = False
