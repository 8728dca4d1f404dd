"""Every hook id and the module that implements it, imported only when that hook runs."""
from __future__ import annotations

import importlib

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (~3 ms)
if TYPE_CHECKING:
    from typing import Any

# id -> module. Keep in sync with .pre-commit-hooks.yaml and [project.scripts].
HOOK_MODULES: dict[str, str] = {
    "check-nesting": "hooks.check_nesting",
    "check-provenance": "hooks.check_provenance",
    "record-provenance": "hooks.record_provenance",
    "check-env-vars": "hooks.check_env_vars",
    "check-secrets": "hooks.check_secrets",
    "check-hallucinated-deps": "hooks.check_hallucinated_deps",
    "check-undeclared-imports": "hooks.check_undeclared_imports",
    "check-doc-drift": "hooks.check_doc_drift",
    "check-hallucinated-apis": "hooks.check_hallucinated_apis",
    "check-hidden-instructions": "hooks.check_hidden_instructions",
    "check-agent-leftovers": "hooks.check_agent_leftovers",
    "check-test-integrity": "hooks.check_test_integrity",
    "verify-tests": "hooks.verify_tests",
}

# Hooks that `driftgate scan` runs over a tree (each module exposes `HOOK`, a FileHook).
FILE_HOOKS: tuple[str, ...] = (
    "check-nesting", "check-env-vars", "check-secrets", "check-hallucinated-deps",
    "check-undeclared-imports", "check-hallucinated-apis", "check-hidden-instructions",
    "check-agent-leftovers", "check-doc-drift",
)


# Other `driftgate` subcommands: name -> (module with main(argv), one-line help).
EXTRA_COMMANDS: dict[str, tuple[str, str]] = {
    "provenance": ("hooks._provenance.report", "report [--range A..B]: commits by origin, record coverage, models"),
    "secrets-baseline": (
        "hooks.check_secrets.write_baseline",
        "add today's check-secrets findings to .secrets.baseline",
    ),
}


def load_module(hook_id: str) -> Any:
    return importlib.import_module(HOOK_MODULES[hook_id])
