"""Pure parts of provenance: trailer values, locating trailers, agent names, judging a commit."""

from __future__ import annotations

import pytest
from _provenance_support import HASH

from hooks._core.findings import HookError
from hooks._provenance import context
from hooks._provenance import trailers as t
from hooks._provenance.assess import CommitInfo, Policy, assess, compile_author_patterns

# --- values -----------------------------------------------------------------------

WELL_FORMED = [
    (t.RUN_ID, "run-2026-05-01.abc"),
    (t.RUN_ID, "7f3a9c"),
    (t.MODEL, "claude-opus-4"),
    (t.MODEL, "GPT 5 (high)"),
    (t.PROMPT_HASH, HASH),
    (t.PROMPT_HASH, "sha256:" + "0123456789abcdef" * 4),
    (t.TOOLS, "Read"),
    (t.TOOLS, "Read, Edit, Bash"),
    (t.TOOLS, "web search,grep"),
    (t.TURNS, "1"),
    (t.TURNS, "42"),
    (t.CONTEXT_TOKENS, "180000"),
    (t.ASSISTED_BY, "claude-code:claude-opus-4"),
    (t.ASSISTED_BY, "Claude:claude-3-opus coccinelle sparse"),
    (t.ORIGIN, "human"),
    (t.ORIGIN, "Mixed"),
]

MALFORMED = [
    (t.RUN_ID, "", "must be one token without spaces"),
    (t.RUN_ID, "run 42", "must be one token without spaces"),
    (t.MODEL, "", "must not be empty"),
    (t.PROMPT_HASH, "ab" * 32, "must be `sha256:` followed by 64 lowercase hex digits"),
    (t.PROMPT_HASH, "sha256:" + "AB" * 32, "must be `sha256:` followed by 64 lowercase hex digits"),
    (t.PROMPT_HASH, "sha256:" + "ab" * 31, "must be `sha256:` followed by 64 lowercase hex digits"),
    (t.PROMPT_HASH, "md5:" + "ab" * 16, "must be `sha256:` followed by 64 lowercase hex digits"),
    (t.TOOLS, "", "must be a comma-separated list of tool names, without empty items"),
    (t.TOOLS, "Read,,Edit", "must be a comma-separated list of tool names, without empty items"),
    (t.TOOLS, "Read, Edit,", "must be a comma-separated list of tool names, without empty items"),
    (t.TURNS, "0", "must be a positive integer"),
    (t.TURNS, "-3", "must be a positive integer"),
    (t.TURNS, "12k", "must be a positive integer"),
    (t.CONTEXT_TOKENS, "1.5", "must be a positive integer"),
    (t.CONTEXT_TOKENS, "007", "must be a positive integer"),
    (t.ASSISTED_BY, "Claude", "must be `AGENT:MODEL` (optionally followed by tools)"),
    (
        t.ASSISTED_BY,
        "Claude <noreply@example.test>",
        "must be `AGENT:MODEL` (optionally followed by tools)",
    ),
    (t.ASSISTED_BY, ":claude-opus-4", "must be `AGENT:MODEL` (optionally followed by tools)"),
    (t.ORIGIN, "robot", "must be one of human, agent, mixed"),
]


@pytest.mark.parametrize(("key", "value"), WELL_FORMED)
def test_well_formed_values_pass(key, value):
    assert t.value_error(key, value) is None


@pytest.mark.parametrize(("key", "value", "problem"), MALFORMED)
def test_malformed_values_are_named(key, value, problem):
    assert t.value_error(key, value) == problem


# --- parsing and locating trailers ---------------------------------------------------


def test_split_parsed_keeps_colons_in_values():
    parsed = "Agent-Run-Id: r1\nAssisted-by: claude-code:claude-opus-4\nnot a trailer\n"
    assert t.split_parsed(parsed) == [
        ("Agent-Run-Id", "r1"),
        ("Assisted-by", "claude-code:claude-opus-4"),
    ]


def test_locate_finds_each_trailer_line_from_the_end():
    message = [
        "feat: add x",
        "",
        "Agent-Run-Id: mentioned in the body is not the trailer",
        "",
        "agent-run-id: r1",
        "Agent-Model: m",
        "# a comment line git strips",
        "Agent-Model: m2",
    ]
    pairs = [("agent-run-id", "r1"), ("Agent-Model", "m"), ("Agent-Model", "m2")]
    located = t.locate(message, pairs)
    assert located == [
        t.Trailer("Agent-Run-Id", "r1", 5),
        t.Trailer("Agent-Model", "m", 6),
        t.Trailer("Agent-Model", "m2", 8),
    ]


def test_message_lines_stop_at_the_scissors_of_commit_verbose():
    text = "subject\n\nAgent-Run-Id: r\n# ------------------------ >8 ------------------------\ndiff --git a b\nAgent-Model: x\n"
    assert t.message_lines(text) == ["subject", "", "Agent-Run-Id: r"]


# --- known agents ------------------------------------------------------------------

NAMES_AN_AGENT = [
    ("Claude <noreply@anthropic.com>", "Claude"),
    ("Copilot <175728472+Copilot@users.noreply.github.com>", "Copilot"),
    (
        "devin-ai-integration[bot] <158243242+devin-ai-integration[bot]@users.noreply.github.com>",
        "devin",
    ),
    ("Cursor Agent <cursoragent@cursor.com>", "Cursor"),
    ("Paul Gauthier (aider) <paul@example.test>", "aider"),
    ("gemini-code-assist[bot] <bot@example.test>", "gemini"),
]
NAMES_NO_AGENT = [
    "Hana Human <hana@example.test>",
    "Claudette Dupont <claudette@example.test>",
    "Recursor Team <team@example.test>",
    "Codexia <x@example.test>",
]


@pytest.mark.parametrize(("identity", "agent"), NAMES_AN_AGENT)
def test_known_agents_are_found_as_whole_words(identity, agent):
    assert t.AgentNames(t.DEFAULT_KNOWN_AGENTS).find(identity) == agent


@pytest.mark.parametrize("identity", NAMES_NO_AGENT)
def test_names_merely_containing_an_agent_are_not_agents(identity):
    assert t.AgentNames(t.DEFAULT_KNOWN_AGENTS).find(identity) is None


# --- judging a commit ----------------------------------------------------------------


def _commit(*trailers: tuple[str, str], author: str = "", run_active: bool = False) -> CommitInfo:
    return CommitInfo(
        "abc123def456",
        [t.Trailer(key, value, 3 + i) for i, (key, value) in enumerate(trailers)],
        author=author,
        run_active=run_active,
    )


FULL = ((t.RUN_ID, "r1"), (t.MODEL, "claude-opus-4"), (t.PROMPT_HASH, HASH))

# (trailers, author, run_active, policy kwargs, expected "code@line" list, origin)
JUDGED = [
    pytest.param((), "", False, {}, [], "human", id="plain human commit"),
    pytest.param(FULL, "", False, {}, [], "agent", id="complete record"),
    pytest.param(
        (
            *FULL,
            (t.TOOLS, "Read, Edit"),
            (t.TURNS, "12"),
            (t.CONTEXT_TOKENS, "90000"),
            (t.ASSISTED_BY, "claude-code:claude-opus-4"),
        ),
        "",
        False,
        {},
        [],
        "agent",
        id="complete record with every optional trailer",
    ),
    pytest.param(
        ((t.RUN_ID, "r1"),), "", False, {}, ["DG601@1", "DG601@1"], "agent", id="partial record"
    ),
    pytest.param(
        ((t.CO_AUTHORED_BY, "Claude <noreply@anthropic.com>"),),
        "",
        False,
        {},
        ["DG603@1"],
        "agent",
        id="co-author agent, no record",
    ),
    pytest.param(
        ((t.ASSISTED_BY, "codex:gpt-5"),),
        "",
        False,
        {},
        ["DG603@1"],
        "agent",
        id="assisted-by, no record",
    ),
    pytest.param(
        ((t.ASSISTED_BY, "Claude"),),
        "",
        False,
        {},
        ["DG603@1", "DG602@3"],
        "agent",
        id="assisted-by names agent badly",
    ),
    pytest.param(
        ((t.ASSISTED_BY, "Jane Doe <jane@example.test>"),),
        "",
        False,
        {},
        [],
        "human",
        id="human assisted-by is not judged",
    ),
    pytest.param(
        ((t.CO_AUTHORED_BY, "Jane Doe <jane@example.test>"),),
        "",
        False,
        {},
        [],
        "human",
        id="human co-author",
    ),
    pytest.param((), "", True, {}, ["DG603@1"], "agent", id="active run marker"),
    pytest.param(
        (),
        "bot <ci-agent@example.test>",
        False,
        {"agent_authors": ["^bot "]},
        ["DG603@1"],
        "agent",
        id="agent author",
    ),
    pytest.param(
        (),
        "Hana <hana@example.test>",
        False,
        {"agent_authors": ["^bot "]},
        [],
        "human",
        id="author not matching",
    ),
    pytest.param(
        ((t.RUN_ID, "r 1"), FULL[1], FULL[2]),
        "",
        False,
        {},
        ["DG602@3"],
        "agent",
        id="run id with space",
    ),
    pytest.param((*FULL, (t.RUN_ID, "r2")), "", False, {}, ["DG602@6"], "agent", id="two run ids"),
    pytest.param(
        (*FULL, (t.RUN_ID, "r1")), "", False, {}, [], "agent", id="repeated identical run id"
    ),
    pytest.param(
        (), "", False, {"require": "all"}, ["DG604@1"], "human", id="require all: undeclared"
    ),
    pytest.param(
        ((t.ORIGIN, "human"),),
        "",
        False,
        {"require": "all"},
        [],
        "human",
        id="require all: declared human",
    ),
    pytest.param(
        FULL,
        "",
        False,
        {"require": "all"},
        [],
        "agent",
        id="require all: agent record declares origin",
    ),
    pytest.param(
        ((t.ORIGIN, "mixed"),),
        "",
        False,
        {},
        ["DG603@1"],
        "mixed",
        id="declared mixed needs a record",
    ),
    pytest.param(
        (*FULL, (t.ORIGIN, "mixed")), "", False, {}, [], "mixed", id="declared mixed with record"
    ),
    pytest.param(
        (*FULL, (t.ORIGIN, "human")),
        "",
        False,
        {},
        [],
        "mixed",
        id="declared human with agent record",
    ),
    pytest.param(
        ((t.ORIGIN, "robot"),),
        "",
        False,
        {"require": "all"},
        ["DG604@1", "DG602@3"],
        "human",
        id="bad origin",
    ),
    pytest.param(
        ((t.CO_AUTHORED_BY, "Zed <zed@example.test>"),),
        "",
        False,
        {"known_agents": ["Zed"]},
        ["DG603@1"],
        "agent",
        id="configured known agent",
    ),
    pytest.param(
        ((t.RUN_ID, "r1"), (t.MODEL, "m")),
        "",
        False,
        {"required": (t.RUN_ID, t.MODEL)},
        [],
        "agent",
        id="required-trailers relaxed",
    ),
]


@pytest.mark.parametrize(
    ("trailers", "author", "run_active", "policy", "expected", "origin"), JUDGED
)
def test_assess(trailers, author, run_active, policy, expected, origin):
    kwargs = dict(policy)
    if "agent_authors" in kwargs:
        kwargs["agent_authors"] = compile_author_patterns(kwargs["agent_authors"])
    if "known_agents" in kwargs:
        kwargs["agents"] = t.AgentNames(kwargs.pop("known_agents"))
    result = assess(_commit(*trailers, author=author, run_active=run_active), Policy(**kwargs))
    assert [f"{f.code}@{f.line}" for f in result.findings] == expected
    assert result.origin == origin
    assert result.complete == (result.agent_made and not expected)


def test_dg603_names_the_evidence_and_the_fix():
    result = assess(_commit((t.CO_AUTHORED_BY, "Claude <noreply@anthropic.com>")), Policy())
    assert [f.message for f in result.findings] == [
        "agent-made commit (Co-authored-by names Claude) carries no provenance record: add "
        "Agent-Run-Id, Agent-Model, Agent-Prompt-Hash trailers (record-provenance writes them)"
    ]


def test_bad_agent_author_pattern_is_an_error():
    with pytest.raises(
        HookError, match=r"agent-authors: '\[bot' is not a valid regular expression"
    ):
        compile_author_patterns(["[bot"])


# --- context file ------------------------------------------------------------------


def test_context_schema_errors_are_dg606_at_the_key_line():
    text = "run_id: r1\nouput_files: [a.py]\ntools: Read\ninput_files: [1]\n"
    ctx = context.load(text, "ctx.yaml", "ctx.yaml", "check-provenance")
    assert [(f.line, f.code, f.message) for f in ctx.findings] == [
        (
            2,
            "DG606",
            "unknown key `ouput_files` in context file; expected run_id, agent, model, prompt_hash, input_files, output_files, tools",
        ),
        (3, "DG606", "`tools` must be a list of non-empty strings, got 'Read'"),
        (4, "DG606", "`input_files` must be a list of non-empty strings, got [1]"),
    ]


def test_context_that_is_not_a_mapping():
    ctx = context.load("- a\n- b\n", "ctx.yaml", "ctx.yaml", "h")
    assert [f.message for f in ctx.findings] == [
        "context file must be a mapping of run_id, agent, model, prompt_hash, input_files, output_files, tools, got list"
    ]


def test_malformed_context_yaml_is_one_clear_error():
    with pytest.raises(HookError) as info:
        context.load("output_files: [a.py\n", "l", ".agent-provenance/r1.yaml", "h")
    assert str(info.value).startswith(".agent-provenance/r1.yaml: line 2: invalid YAML (")
    assert str(info.value).endswith("); fix or delete the context file")


@pytest.mark.parametrize(
    ("declared", "changed", "also", "expected"),
    [
        (["a.py", "./b.py"], ["a.py", "b.py", ".agent-provenance/r1.yaml"], [], None),
        (["a.py"], ["a.py", "b.py"], [], "changed but not in output_files: b.py"),
        (["a.py", "c.py"], ["a.py"], [], "in output_files but not changed: c.py"),
        (["a.py", "c.py"], ["a.py"], ["c.py"], None),
        ([], ["a.py"], [], "changed but not in output_files: a.py"),
    ],
)
def test_output_files_compared_with_changed_files(declared, changed, also, expected):
    ctx = context.load(f"output_files: {declared!r}\n", "ctx.yaml", "ctx.yaml", "h")
    found = context.compare_outputs(ctx, changed, also, "h")
    assert [f.message for f in found] == ([expected] if expected else [])


@pytest.mark.parametrize("run_id", ["../escape", "a/b", ".hidden", ""])
def test_unsafe_run_ids_never_become_paths(run_id):
    assert context.context_path(run_id) is None
