from __future__ import annotations

import pytest

from hooks._core.findings import Finding
from hooks._core.suppress import is_suppressed

FINDING = Finding("a.py", 1, 1, "DG501", "m", "check-nesting")


@pytest.mark.parametrize(
    ("line", "suppressed"),
    [
        ("if x:  # driftgate: ignore[DG501]", True),
        ("if x:  # driftgate: ignore[DG502, DG501]", True),
        ("if x:  # driftgate: ignore[dg501]", True),
        ("if x:  # driftgate: ignore", True),
        ("if x:  #driftgate:ignore", True),
        ("if x:  # driftgate: ignore[DG502]", False),
        ("if x:  # driftgate: ignore[DG50]", False),
        ("if x:  # noqa", False),
        ("if x:", False),
        ("", False),
    ],
)
def test_suppression_comment(line: str, suppressed: bool) -> None:
    assert is_suppressed(FINDING, line) is suppressed
