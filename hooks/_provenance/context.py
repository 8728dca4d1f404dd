"""The optional context file `.agent-provenance/<run-id>.yaml` of an agent run:

    run_id: 2026-05-01-abc      # optional; when present must equal the commit's Agent-Run-Id
    agent: claude-code          # optional strings
    model: claude-opus-4
    prompt_hash: sha256:...
    input_files: [docs/spec.md]  # optional lists of strings
    output_files: [src/app.py]
    tools: [Read, Edit]

Malformed YAML is an error (exit 2); a document that breaks this schema is DG606; output
files that differ from the files the commit changed are DG605.
"""

from __future__ import annotations

import posixpath
from hooks._core.record import dataclass

from hooks._core.findings import Finding, HookError

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (~3 ms)
if TYPE_CHECKING:
    from typing import Any, Collection

CONTEXT_DIR = ".agent-provenance"
_STRING_KEYS = ("run_id", "agent", "model", "prompt_hash")
_LIST_KEYS = ("input_files", "output_files", "tools")
KNOWN_KEYS = (*_STRING_KEYS, *_LIST_KEYS)


def context_path(run_id: str) -> str | None:
    """Where the run's context file lives, or None for a run id unsafe as a file name."""
    if not run_id or "/" in run_id or "\\" in run_id or run_id.startswith("."):
        return None
    return f"{CONTEXT_DIR}/{run_id}.yaml"


@dataclass
class Context:
    label: str  # the `path` of its findings
    data: dict[str, Any]
    key_lines: dict[str, int]
    findings: list[Finding]


def _key_lines(text: str) -> dict[str, int]:
    """1-based line of each top-level key (for findings); {} when it is not a mapping."""
    import yaml

    node = yaml.compose(text, Loader=yaml.SafeLoader)
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {
        str(key.value): key.start_mark.line + 1
        for key, _ in node.value
        if isinstance(key, yaml.ScalarNode)
    }


def load(text: str, label: str, shown_as: str, hook: str) -> Context:
    """Parse and validate a context file. `shown_as` names it in the one-line YAML error."""
    import yaml

    try:
        data = yaml.safe_load(text)
        key_lines = _key_lines(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" line {mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise HookError(
            f"{shown_as}:{where}: invalid YAML ({problem}); fix or delete the context file"
        ) from None
    findings: list[Finding] = []

    def bad(key: str | None, message: str) -> None:
        line = key_lines.get(key, 1) if key else 1
        findings.append(Finding(label, line, 1, "DG606", message, hook))

    if data is None:
        data = {}
    if not isinstance(data, dict):
        bad(
            None,
            f"context file must be a mapping of {', '.join(KNOWN_KEYS)}, got {type(data).__name__}",
        )
        return Context(label, {}, key_lines, findings)
    for key, value in data.items():
        name = str(key)
        if name not in KNOWN_KEYS:
            bad(name, f"unknown key `{name}` in context file; expected {', '.join(KNOWN_KEYS)}")
        elif name in _STRING_KEYS and not (isinstance(value, str) and value.strip()):
            bad(name, f"`{name}` must be a non-empty string, got {value!r}")
        elif name in _LIST_KEYS and not (
            isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value)
        ):
            bad(name, f"`{name}` must be a list of non-empty strings, got {value!r}")
    return Context(label, data, key_lines, findings)


def _normal(path: str) -> str:
    return posixpath.normpath(path.strip().replace("\\", "/")).lstrip("/")


def compare_outputs(
    context: Context, changed: Collection[str], also_changed: Collection[str] = (), hook: str = ""
) -> list[Finding]:
    """DG605 when the declared output_files and the changed files differ.

    `also_changed`: files a declared output may have been changed by without this diff
    showing it (the amended commit's own changes, at commit-msg stage)."""
    declared_raw = context.data.get("output_files")
    if not isinstance(declared_raw, list) or any(f.code == "DG606" for f in context.findings):
        return []
    declared = {_normal(p) for p in declared_raw}
    actual = {p for p in changed if not p.startswith(CONTEXT_DIR + "/")}
    undeclared = sorted(actual - declared)
    unchanged = sorted(declared - actual - set(also_changed))
    parts = []
    if undeclared:
        parts.append(f"changed but not in output_files: {', '.join(undeclared)}")
    if unchanged:
        parts.append(f"in output_files but not changed: {', '.join(unchanged)}")
    if not parts:
        return []
    line = context.key_lines.get("output_files", 1)
    return [Finding(context.label, line, 1, "DG605", "; ".join(parts), hook)]


def run_id_mismatch(context: Context, run_id: str, hook: str) -> list[Finding]:
    declared = context.data.get("run_id")
    if isinstance(declared, str) and declared.strip() and declared.strip() != run_id:
        line = context.key_lines.get("run_id", 1)
        return [
            Finding(
                context.label,
                line,
                1,
                "DG606",
                f"run_id {declared!r} differs from the commit's Agent-Run-Id {run_id!r}",
                hook,
            )
        ]
    return []
