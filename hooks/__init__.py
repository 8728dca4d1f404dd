"""driftgate: pre-commit hooks that stop the drift coding agents leave behind."""
from __future__ import annotations

__version__ = "0.1.0"
