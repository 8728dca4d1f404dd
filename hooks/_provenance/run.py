"""Is an agent run active, and what does it say about itself?

A run is active when any of these is present (env wins over files; files live at the
repository root):

    DRIFTGATE_AGENT_RUN_ID  or  .agent-run-active   (first line: the run id)
    DRIFTGATE_AGENT_MODEL   or  .agent-model        (first line: the model)

The other values come from env, else from `Trailer-Name: value` lines after the run id in
`.agent-run-active`, else (prompt hash only) from `.agent-prompt-hash` or the SHA-256 of
`.agent-prompt`.
"""

from __future__ import annotations

import hashlib
import os
from hooks._core.record import dataclass, field

from hooks._core.findings import HookError
from hooks._provenance import trailers as t

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (~3 ms)
if TYPE_CHECKING:
    from typing import Mapping

MARKER = ".agent-run-active"
MODEL_FILE = ".agent-model"
PROMPT_HASH_FILE = ".agent-prompt-hash"
PROMPT_FILE = ".agent-prompt"

# trailer (or the agent name, for Assisted-by) -> environment variable
ENV = {
    t.RUN_ID: "DRIFTGATE_AGENT_RUN_ID",
    t.MODEL: "DRIFTGATE_AGENT_MODEL",
    t.PROMPT_HASH: "DRIFTGATE_AGENT_PROMPT_HASH",
    t.TOOLS: "DRIFTGATE_AGENT_TOOLS",
    t.TURNS: "DRIFTGATE_AGENT_TURNS",
    t.CONTEXT_TOKENS: "DRIFTGATE_AGENT_CONTEXT_TOKENS",
    "Agent-Name": "DRIFTGATE_AGENT_NAME",
}
AGENT_NAME = "Agent-Name"


@dataclass
class RunValues:
    """The values of an active run, by trailer key, and where each came from."""

    values: dict[str, str] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)

    def set(self, key: str, value: str, source: str) -> None:
        if key not in self.values:
            self.values[key] = value
            self.sources[key] = source


def _read_bytes(root: str, name: str) -> bytes | None:
    """The file `name` at the repository root (None when absent); errors name it."""
    try:
        with open(os.path.join(root, name), "rb") as handle:
            return handle.read()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise HookError(f"{name}: cannot read: {exc.strerror}") from None


def _read_text(root: str, name: str) -> str | None:
    data = _read_bytes(root, name)
    if data is None:
        return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise HookError(f"{name}: not UTF-8 text; write the value as UTF-8") from None


def _first_line(text: str | None) -> str:
    return text.strip().splitlines()[0].strip() if text and text.strip() else ""


def is_active(root: str, environ: Mapping[str, str]) -> bool:
    if environ.get(ENV[t.RUN_ID], "").strip() or environ.get(ENV[t.MODEL], "").strip():
        return True
    return os.path.exists(os.path.join(root, MARKER)) or os.path.exists(
        os.path.join(root, MODEL_FILE)
    )


def _is_value_line(line: str) -> bool:
    key, sep, _ = line.partition(":")
    return bool(sep) and (key.strip().lower() == "agent-name" or t.canonical_key(key) in ENV)


def gather(root: str, environ: Mapping[str, str]) -> RunValues:
    """Every value the active run declares; raises HookError for a malformed one."""
    run = RunValues()
    for key, var in ENV.items():
        if environ.get(var, "").strip():
            run.set(key, environ[var].strip(), var)
    marker = _read_text(root, MARKER)
    if marker is not None:
        lines = marker.strip().splitlines()
        if lines and not _is_value_line(lines[0]):
            run.set(t.RUN_ID, lines[0].strip(), MARKER)
            lines = lines[1:]
        for line in lines:
            key, sep, value = line.partition(":")
            name = AGENT_NAME if key.strip().lower() == "agent-name" else t.canonical_key(key)
            if not sep or name not in ENV:
                raise HookError(
                    f"{MARKER}: line {line.strip()!r} is not `Trailer-Name: value` for one of "
                    f"{', '.join(ENV)}; the first line may be the bare run id"
                )
            if value.strip():
                run.set(name, value.strip(), MARKER)
    model = _first_line(_read_text(root, MODEL_FILE))
    if model:
        run.set(t.MODEL, model, MODEL_FILE)
    prompt_hash = _first_line(_read_text(root, PROMPT_HASH_FILE))
    if prompt_hash:
        run.set(t.PROMPT_HASH, prompt_hash, PROMPT_HASH_FILE)
    elif t.PROMPT_HASH not in run.values:
        prompt = _read_bytes(root, PROMPT_FILE)
        if prompt is not None:
            run.set(t.PROMPT_HASH, f"sha256:{hashlib.sha256(prompt).hexdigest()}", PROMPT_FILE)
    _validate(run)
    return run


def _validate(run: RunValues) -> None:
    for key, value in run.values.items():
        if "\n" in value or "\r" in value:
            raise HookError(f"{run.sources[key]}: the {key} value must be one line")
        if key == AGENT_NAME:
            if t.VALIDATORS[t.RUN_ID](value) is not None or ":" in value:
                raise HookError(
                    f"{run.sources[key]}: the agent name must be one word without `:`, "
                    f"got {value!r}"
                )
            continue
        problem = t.value_error(key, value)
        if problem:
            raise HookError(f"{run.sources[key]}: {key} {problem}, got {value!r}")


def trailers_to_write(run: RunValues) -> list[tuple[str, str]]:
    """The trailers of the run, in record order; Assisted-by when the agent name is known
    and the model is one word (the `AGENT:MODEL` form has no room for spaces)."""
    out = [(key, run.values[key]) for key in t.RECORD_KEYS if key in run.values]
    model = run.values.get(t.MODEL, "")
    if AGENT_NAME in run.values and model and not any(c.isspace() for c in model):
        out.append((t.ASSISTED_BY, f"{run.values[AGENT_NAME]}:{run.values[t.MODEL]}"))
    return out
