"""Judge one commit: is it agent-made, what origin does it declare, is its provenance
record complete and well formed. Pure: the git side lives in gitdata.py."""

from __future__ import annotations

import re
from hooks._core.record import dataclass, field

from hooks._core.findings import Finding, HookError, Rule
from hooks._provenance import trailers as t

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (~3 ms)
if TYPE_CHECKING:
    from typing import Sequence

HOOK_ID = "check-provenance"

RULES = (
    Rule("DG601", "agent-made commit whose provenance record lacks a required trailer"),
    Rule("DG602", "provenance trailer with a malformed or conflicting value"),
    Rule("DG603", "agent evidence but no provenance record at all"),
    Rule("DG604", "commit declares no origin (--require all)"),
    Rule("DG605", "context file's output_files differ from the files the commit changed"),
    Rule("DG606", "context file .agent-provenance/<run-id>.yaml does not follow its schema"),
)


@dataclass
class CommitInfo:
    """One commit (or the message being committed) as the checks see it."""

    label: str  # the `path` of its findings: message file, or first 12 hex digits of the sha
    trailers: list[t.Trailer]
    author: str = ""  # "Name <email>", '' when unknown
    is_merge: bool = False
    run_active: bool = False  # an agent run marker is present (commit-msg stage only)
    sha: str = ""
    subject: str = ""

    def values(self, key: str) -> list[t.Trailer]:
        return [trailer for trailer in self.trailers if trailer.key == key]

    def first(self, key: str) -> str | None:
        found = self.values(key)
        return found[0].value if found else None


@dataclass
class Policy:
    require: str = "agent"  # "agent" or "all"
    agent_authors: Sequence[re.Pattern[str]] = ()
    agents: t.AgentNames = field(default_factory=lambda: t.AgentNames(t.DEFAULT_KNOWN_AGENTS))
    required: tuple[str, ...] = t.REQUIRED_KEYS


@dataclass
class Assessment:
    commit: CommitInfo
    evidence: list[str]
    origin: str  # agent / human / mixed
    has_record: bool
    complete: bool  # agent-made with every required trailer present and well formed
    model: str | None
    findings: list[Finding]

    @property
    def agent_made(self) -> bool:
        return bool(self.evidence)


def compile_author_patterns(patterns: Sequence[str]) -> list[re.Pattern[str]]:
    compiled = []
    for pattern in patterns:
        try:
            compiled.append(re.compile(pattern, re.IGNORECASE))
        except re.error as exc:
            raise HookError(
                f"agent-authors: {pattern!r} is not a valid regular expression ({exc})"
            ) from None
    return compiled


def evidence_of(commit: CommitInfo, policy: Policy) -> list[str]:
    """Why the commit counts as agent-made, one phrase per reason (empty: it does not)."""
    reasons: list[str] = []
    record = sorted(
        {tr.key for tr in commit.trailers if tr.key in t.RECORD_KEYS}, key=t.RECORD_KEYS.index
    )
    if record:
        reasons.append(f"it has {', '.join(record)}")
    for trailer in commit.trailers:
        if trailer.key == t.ASSISTED_BY and (
            t.assisted_by_parts(trailer.value) or policy.agents.find(trailer.value)
        ):
            reasons.append(f"Assisted-by: {trailer.value}")
        elif trailer.key == t.CO_AUTHORED_BY:
            agent = policy.agents.find(trailer.value)
            if agent:
                reasons.append(f"Co-authored-by names {agent}")
        elif trailer.key == t.ORIGIN and trailer.value.lower() in ("agent", "mixed"):
            reasons.append(f"Origin: {trailer.value.lower()}")
    if commit.author and any(p.search(commit.author) for p in policy.agent_authors):
        reasons.append(f"author {commit.author} matches agent-authors")
    if commit.run_active:
        reasons.append("an agent run is active")
    return reasons


def _finding(commit: CommitInfo, line: int, code: str, message: str) -> Finding:
    return Finding(commit.label, line, 1, code, message, HOOK_ID)


def _value_findings(commit: CommitInfo, agent_made: bool) -> list[Finding]:
    findings = []
    for trailer in commit.trailers:
        if trailer.key == t.ASSISTED_BY and not agent_made:
            continue  # a human "Assisted-by: Jane <jane@...>" is not ours to judge
        problem = t.value_error(trailer.key, trailer.value)
        if problem:
            findings.append(
                _finding(
                    commit, trailer.line, "DG602", f"{trailer.key} {problem}, got {trailer.value!r}"
                )
            )
    for key in t.SINGLE_VALUED:
        found = commit.values(key)
        if len({tr.value for tr in found}) > 1:
            values = ", ".join(repr(tr.value) for tr in found)
            findings.append(
                _finding(
                    commit,
                    found[1].line,
                    "DG602",
                    f"{key} given {len(found)} times with different values ({values}); keep one",
                )
            )
    return findings


def declared_origin(commit: CommitInfo) -> str | None:
    value = commit.first(t.ORIGIN)
    return value.lower() if value and value.lower() in t.ORIGINS else None


def model_of(commit: CommitInfo) -> str | None:
    model = commit.first(t.MODEL)
    if model:
        return model
    for trailer in commit.values(t.ASSISTED_BY):
        parts = t.assisted_by_parts(trailer.value)
        if parts:
            return parts[1]
    return None


def assess(commit: CommitInfo, policy: Policy) -> Assessment:
    evidence = evidence_of(commit, policy)
    agent_made = bool(evidence)
    findings = _value_findings(commit, agent_made)
    present = {tr.key for tr in commit.trailers}
    has_record = any(key in present for key in t.RECORD_KEYS)
    missing = [key for key in policy.required if key not in present]
    declared = declared_origin(commit)
    if agent_made and missing and not has_record and not present.intersection(policy.required):
        findings.append(
            _finding(
                commit,
                1,
                "DG603",
                f"agent-made commit ({'; '.join(evidence)}) carries no provenance record: "
                f"add {', '.join(policy.required)} trailers (record-provenance writes them)",
            )
        )
    elif agent_made:
        findings.extend(
            _finding(commit, 1, "DG601", f"agent-made commit lacks the {key} trailer")
            for key in missing
        )
    if policy.require == "all" and not agent_made and declared != "human":
        findings.append(
            _finding(
                commit,
                1,
                "DG604",
                "commit declares no origin: add an `Origin: human` trailer, or the provenance "
                "trailers of the agent run that made it",
            )
        )
    complete = (
        agent_made
        and not missing
        and not any(f.code in ("DG601", "DG602", "DG603") for f in findings)
    )
    if not agent_made:
        origin = "human"
    elif declared in ("mixed", "human"):
        origin = "mixed"  # declared mixed, or declared human yet carrying agent evidence
    else:
        origin = "agent"
    findings.sort(key=Finding.sort_key)
    return Assessment(commit, evidence, origin, has_record, complete, model_of(commit), findings)
