"""The settings of check-provenance (`[tool.driftgate.check-provenance]`), shared with
`driftgate provenance report`, which classifies commits the same way."""

from __future__ import annotations


from hooks._core.config import Option
from hooks._core.findings import HookError
from hooks._core.runner import COMMON_OPTIONS
from hooks._provenance import trailers as t
from hooks._provenance.assess import Policy, compile_author_patterns

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (~3 ms)
if TYPE_CHECKING:
    from typing import Any

RECORD_CHOICES = (*t.RECORD_KEYS, t.ASSISTED_BY)

OPTIONS: tuple[Option, ...] = (
    *(option for option in COMMON_OPTIONS if option.name not in ("exclude", "strict")),
    Option(
        "require",
        str,
        "agent",
        "agent: agent-made commits need a complete record; all: every commit declares its origin",
        ("agent", "all"),
    ),
    Option(
        "agent-authors",
        list,
        [],
        "regular expressions: an author `Name <email>` matching one is an agent",
        comma_separated=False,
    ),
    Option(
        "known-agents",
        list,
        list(t.DEFAULT_KNOWN_AGENTS),
        "agent names recognised in Co-authored-by / Assisted-by (replaces the built-in list)",
    ),
    Option("extend-known-agents", list, [], "agent names added to known-agents"),
    Option(
        "required-trailers", list, list(t.REQUIRED_KEYS), "trailers an agent-made commit must carry"
    ),
    Option("skip-merges", bool, True, "do not check merge commits"),
)


def policy_from(settings: dict[str, Any]) -> Policy:
    required = []
    for name in settings["required_trailers"]:
        key = t.canonical_key(name)
        if key not in RECORD_CHOICES:
            raise HookError(
                f"required-trailers: unknown trailer {name!r}; "
                f"choose from {', '.join(RECORD_CHOICES)}"
            )
        required.append(key)
    return Policy(
        require=settings["require"],
        agent_authors=compile_author_patterns(settings["agent_authors"]),
        agents=t.AgentNames([*settings["known_agents"], *settings["extend_known_agents"]]),
        required=tuple(required),
    )
