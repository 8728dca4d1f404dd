"""Text addressed to an AI model where a reviewer does not look (DG820-DG823).

A phrase that speaks to an assistant (telling it to drop its earlier instructions, giving
orders to AI agents, keeping something from the user, setting rules for the code it writes;
the patterns are in PHRASES below) is only suspicious where it is hidden: in an HTML comment, a collapsed `<details>`, a Markdown link reference definition or
alt text, or a code comment or docstring. Agent rules files (AGENTS.md, CLAUDE.md, ...) are
instructions by design: there only their hidden channels, encoded blobs and fetch-and-run
commands are reported.
"""
from __future__ import annotations

import base64
import binascii
import re
from typing import Iterator, NamedTuple

from hooks.check_hidden_instructions import _keys
from hooks._core.lazyre import lazy

_F = re.IGNORECASE

# (regex, what it is, words it needs). Matched against hidden text only.
PHRASES: tuple[tuple[re.Pattern[str], str, tuple[str, ...]], ...] = (
    (lazy(
        r"\b(?:ignore|disregard|forget|override|bypass)\s+(?:(?:all|any|the|your|of|these|those|every)\s+)*"
        r"(?:previous|prior|above|earlier|preceding|foregoing|system|original|existing|safety|other)\s+"
        r"(?:instructions|prompts|rules|directions|directives|guidelines|messages|constraints)\b", _F),
     "an instruction to ignore previous instructions", _keys.IGNORE),
    (lazy(
        r"\b(?:ai|llm|coding|code)[ -](?:agents?|assistants?|bots?)\s+(?:reading\s+this\s+(?:file\s+)?)?"
        r"(?:must|should|shall|need\s+to|have\s+to|are\s+(?:required|instructed|expected)\s+to|will\s+always|always|never|may\s+not)\b", _F),
     "an order to AI agents", _keys.AI_AGENTS),
    (lazy(
        r"\b(?:if|when)\s+you\s+are\s+an?\s+(?:ai|llm|large\s+language\s+model|language\s+model|"
        r"(?:ai\s+|coding\s+)?assistant|(?:ai\s+|coding\s+)?agent|chatbot|bot)\b", _F),
     "text addressed to an AI model", _keys.YOU_ARE),
    (lazy(
        r"\b(?:note|attention|message|important|reminder)\s*(?:to|for)\s+(?:the\s+|any\s+|all\s+)?"
        r"(?:ai|llms?|ai\s+assistants?|(?:ai|coding)\s+agents?|copilot|claude|chatgpt|gpt|gemini|cursor|"
        r"language\s+models?)\s*[:,.!-]", _F),
     "a note addressed to AI models", _keys.NOTE_TO),
    (lazy(r"\b(?:hey|dear|hello)\s*,?\s+(?:ai|llm|assistant|claude|copilot|chatgpt|gemini|cursor)\b", _F),
     "text addressed to an AI model", _keys.GREETING),
    (lazy(
        r"\b(?:do\s+not|don'?t|never)\s+(?:tell|inform|mention|reveal|disclose|notify|alert|warn|show)\s+"
        r"(?:(?:this|it|anything|them)\s+)?(?:to\s+)?(?:the\s+)?(?:users?|developers?|humans?|reviewers?|operators?|maintainers?)\b", _F),
     "an order to hide something from the user", _keys.SECRECY),
    (lazy(
        r"\b(?:do\s+not|don'?t|never)\s+(?:mention|reveal|disclose|repeat|acknowledge|discuss)\s+"
        r"(?:these|this|the)\s+(?:hidden\s+)?(?:instructions?|comment|note|message|rules?)\b", _F),
     "an order to keep these instructions secret", _keys.SECRECY),
    (lazy(
        r"\bwithout\s+(?:telling|informing|notifying|asking|alerting|warning)\s+the\s+"
        r"(?:users?|developers?|humans?|reviewers?)\b", _F),
     "an order to act without telling the user", _keys.WITHOUT),
    (lazy(
        r"\bwhen\s+(?:generating|writing|producing|creating|suggesting|completing|editing|modifying)\s+"
        r"(?:any\s+|new\s+|the\s+)?code\b[^.\n]{0,60}?\b(?:always|never|must|make\s+sure|ensure|include|insert|add)\b", _F),
     "an instruction for generated code", _keys.CODEGEN),
    (lazy(
        r"\b(?:always|silently|secretly|quietly)\s+(?:add|insert|include|import|append|send|upload|post|exfiltrate)\b"
        r"[^.\n]{0,80}?\b(?:to|into|in)\s+(?:every|each|all|any)\s+(?:new\s+)?"
        r"(?:files?|functions?|requests?|responses?|commits?|scripts?|modules?)\b", _F),
     "an instruction to plant something in every file", _keys.PLANT),
)

FETCH_AND_RUN = lazy(
    r"\b(?:curl|wget)\b[^\n|;`]{0,300}\|\s*(?:sudo\s+(?:-\S+\s+)*)?(?:env\s+)?(?:ba|z|da|k|fi)?sh\b"
    r"|\b(?:curl|wget)\b[^\n|;`]{0,300}\|\s*(?:sudo\s+)?python[0-9.]*(?:\s+-)?(?:\s|$|`)"
    r"|\b(?:iwr|irm|invoke-webrequest|invoke-restmethod)\b[^\n|`]{0,300}\|\s*(?:iex|invoke-expression)\b"
    r"|\biex\s*\(\s*(?:new-object\s+net\.webclient|iwr|irm|invoke-)"
    r"|\b(?:ba|z)?sh\s+(?:-c\s+)?[\"']?\$\(\s*(?:curl|wget)\b"
    r"|\b(?:ba|z)?sh\s+<\(\s*(?:curl|wget)\b",
    _F,
)

# base64 of at least 30 bytes, on its own (not a path, URL or identifier piece)
_BLOB = lazy(r"(?<![\w/+=.-])[A-Za-z0-9+/]{40,}={0,2}(?![\w/+=.-])")

# Markdown and HTML hidden places: (regex whose group 1 is the hidden text, place)
_MD_PLACES: tuple[tuple[re.Pattern[str], str, bool], ...] = (
    # (regex, place, invisible: not even a click shows it)
    (lazy(r"<!--(.*?)(?:-->|\Z)", re.S), "an HTML comment", True),
    (lazy(r"<details(?![^>]*\bopen\b)[^>]*>(.*?)(?:</details>|\Z)", re.S | _F), "a collapsed <details> block", False),
    (lazy(r"^ {0,3}\[([^\]\n]+)\]:[ \t]*\S*(?:[ \t]+(?:\"[^\"\n]*\"|'[^'\n]*'|\([^)\n]*\)))?", re.M), "a link reference definition", True),
    (lazy(r"!\[([^\]\n]*)\]", 0), "image alt text", True),
    (lazy(r"<img\b[^>]*?\balt\s*=\s*[\"']([^\"']*)[\"']", _F), "image alt text", True),
)
_MD_SUFFIXES = (".md", ".markdown", ".mdx", ".mdc", ".html", ".htm", ".xhtml", ".xml", ".svg", ".vue", ".svelte")

_C_LIKE = (
    ".js", ".mjs", ".cjs", ".jsx", ".ts", ".tsx", ".mts", ".cts", ".c", ".h", ".cc", ".cpp",
    ".cxx", ".hpp", ".cs", ".java", ".kt", ".kts", ".go", ".rs", ".swift", ".scala", ".php",
    ".sol", ".dart", ".css", ".scss", ".less", ".groovy", ".vue", ".svelte", ".jsonc", ".zig",
)
_HASH = (
    ".sh", ".bash", ".zsh", ".rb", ".pl", ".pm", ".yaml", ".yml", ".toml", ".cfg", ".ini",
    ".conf", ".r", ".ps1", ".tf", ".nix", ".env", ".properties", ".mk", ".cmake", ".ex", ".exs",
)
_HASH_NAMES = ("dockerfile", "makefile", "containerfile", "gemfile", "rakefile", "procfile", ".gitignore", ".dockerignore")
_DASH = (".sql", ".lua", ".hs")

_DIRECTIVE = lazy(r"^\s*(?:[\w./-]+:|/?[\w.-]+\s*$|(?:begin|end|start|prettier|markdownlint|toc|eslint)\b)", _F)


class Hit(NamedTuple):
    start: int
    code: str
    message: str


class Region(NamedTuple):
    start: int
    end: int
    place: str
    invisible: bool  # a click does not reveal it either (comments, link definitions, alt text)
    code: bool = False  # a comment or docstring of code: hidden from the rendered page, not the diff


def _snippet(text: str, limit: int = 70) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _suffix(path: str) -> str:
    name = path.replace("\\", "/").rsplit("/", 1)[-1].lower()
    return name if "." not in name else name[name.rfind("."):]


def _basename(path: str) -> str:
    return path.replace("\\", "/").rsplit("/", 1)[-1].lower()


def scan(text: str, path: str, rules_file: bool) -> Iterator[Hit]:
    regions = hidden_regions(text, path, rules_file)
    if not regions and not rules_file:
        return
    hidden, index = _join(text, regions)
    reported: set[int] = set()
    for start, end, label in _phrase_matches(hidden):
        region, at = _locate(index, regions, start)
        if region.start in reported:
            continue  # one finding per hidden place
        reported.add(region.start)
        yield Hit(
            at, "DG820",
            f"{label} hidden in {region.place}: {_snippet(text[at:min(region.end, at + end - start + 60)])!r}; a reviewer "
            f"{'never sees it' if region.invisible else 'sees it only after a click'}, an agent "
            "reading the file may obey it; delete it (or state it openly in an agent rules file)",
        )
    fetch: list[tuple[int, str, str]] = []
    if rules_file:
        fetch = [(m.start(), m.group(), "an agent rules file") for m in _fetch_matches(text)]
    else:
        for match in _fetch_matches(hidden):
            region, at = _locate(index, regions, match.start())
            if region.invisible and not region.code:
                fetch.append((at, match.group(), region.place))
    for at, command, place in fetch:
        yield Hit(
            at, "DG821",
            f"fetch-and-run command in {place}: {_snippet(command)!r} downloads code and "
            "runs it unreviewed; an agent told to run it would; remove it, or pin a reviewed "
            "script in the repository",
        )
    yield from _blobs(text, regions, rules_file)
    if rules_file:
        for region in regions:
            if region.start in reported or not region.invisible:
                continue
            hidden_text = text[region.start:region.end]
            words = re.findall(r"[^\W\d_]{2,}", hidden_text)
            if len(words) >= 6 and not _DIRECTIVE.match(hidden_text):
                yield Hit(
                    region.start, "DG823",
                    f"text hidden in {region.place} of an agent rules file: {_snippet(hidden_text)!r}; "
                    "agents read it, the rendered file does not show it; make it visible text or delete it",
                )


def _join(text: str, regions: list[Region]) -> tuple[str, list[int]]:
    """The hidden text of every region, joined by newlines (phrases are searched there, not in
    the whole file), and where each region starts in it."""
    pieces, index, at = [], [], 0
    for region in regions:
        index.append(at)
        piece = text[region.start:region.end]
        pieces.append(piece)
        at += len(piece) + 1
    return "\n".join(pieces), index


def _locate(index: list[int], regions: list[Region], offset: int) -> tuple[Region, int]:
    """The region an offset of the joined hidden text falls in, and the offset in the file."""
    import bisect

    i = max(0, bisect.bisect_right(index, offset) - 1)
    region = regions[i]
    return region, min(region.start + offset - index[i], max(region.start, region.end - 1))


def _phrase_matches(text: str) -> list[tuple[int, int, str]]:
    """Every phrase match, found by searching a window around each occurrence of one of the
    phrase's words (a whole-file search with a case-insensitive alternation is 10x slower)."""
    lower = text.lower()
    if len(lower) != len(text):
        lower = text  # a few characters change length when lowercased; IGNORECASE copes
    found: dict[int, tuple[int, int, str]] = {}
    for pattern, label, keys in PHRASES:
        for key in keys:
            pos = lower.find(key)
            while pos >= 0:
                match = pattern.search(text, max(0, pos - _BEFORE), pos + len(key) + _AFTER)
                if match is not None and match.start() not in found:
                    found[match.start()] = (match.start(), match.end(), label)
                pos = lower.find(key, pos + len(key) + _AFTER if match is not None else pos + 1)
    return sorted(found.values())


# How far a phrase may start before, and end after, the word that located it.
_BEFORE, _AFTER = 60, 160


def _fetch_matches(text: str) -> list[re.Match[str]]:
    """FETCH_AND_RUN matches, each searched in a window around a fetch word."""
    lower = text.lower()
    found: dict[int, re.Match[str]] = {}
    for key in _keys.FETCH:
        pos = lower.find(key)
        while pos >= 0:
            match = FETCH_AND_RUN.search(text, max(0, pos - 40), pos + 340)
            if match is not None:
                found.setdefault(match.start(), match)
            pos = lower.find(key, pos + 1 if match is None else max(pos + 1, match.end()))
    return [found[k] for k in sorted(found)]


def _blobs(text: str, regions: list[Region], rules_file: bool) -> Iterator[Hit]:
    for region in regions if not rules_file else [Region(0, len(text), "an agent rules file", False)] + regions:
        if not (rules_file or region.invisible) or region.code:
            continue
        for match in _BLOB.finditer(text, region.start, region.end):
            decoded = _decode_text(match.group())
            if decoded is None:
                continue
            yield Hit(
                match.start(), "DG822",
                f"base64 blob in {region.place} decodes to hidden text {_snippet(decoded)!r}; "
                "an agent can decode and follow it, a reviewer sees noise; delete it",
            )
        if rules_file:
            break  # the whole file was searched once


def _decode_text(blob: str) -> str | None:
    """The decoded text when the blob is base64 of readable prose (words and spaces)."""
    try:
        raw = base64.b64decode(blob + "=" * (-len(blob) % 4), validate=True)
    except (binascii.Error, ValueError):
        return None
    try:
        decoded = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None
    printable = sum(ch.isprintable() or ch in "\n\t" for ch in decoded)
    if printable < len(decoded) * 0.95 or decoded.count(" ") < 3:
        return None
    return decoded


# --- where text is hidden ---------------------------------------------------------------


def hidden_regions(text: str, path: str, rules_file: bool) -> list[Region]:
    suffix = _suffix(path)
    name = _basename(path)
    regions: list[Region] = []
    if rules_file or suffix in _MD_SUFFIXES:
        regions.extend(_markup_regions(text))
    if suffix in (".py", ".pyi"):
        regions.extend(_python_regions(text))
    elif suffix in _C_LIKE:
        regions.extend(_marker_regions(text, ("//", "/*")))
    elif suffix in _HASH or name in _HASH_NAMES or name.startswith(("dockerfile", "makefile")):
        regions.extend(_marker_regions(text, ("#",)))
    elif suffix in _DASH:
        regions.extend(_marker_regions(text, ("--",)))
    regions.sort()
    return regions


_FENCE = lazy(r"^ {0,3}(`{3,}|~{3,})[^\n]*\n.*?(?:^ {0,3}\1[ \t]*$|\Z)|`[^`\n]+`", re.M | re.S)


def _markup_regions(text: str) -> list[Region]:
    """Hidden places of Markdown/HTML, outside fenced code blocks and inline code (shown as is)."""
    shown = [(m.start(), m.end()) for m in _FENCE.finditer(text)] if "`" in text or "~~~" in text else []
    regions = []
    for pattern, place, invisible in _MD_PLACES:
        for match in pattern.finditer(text):
            if shown and any(a <= match.start() < b for a, b in shown):
                continue
            if place == "a link reference definition":
                # the label and title are hidden; a bare [label]: url is ordinary Markdown
                regions.append(Region(match.start(), match.end(), place, invisible))
            else:
                regions.append(Region(match.start(1), match.end(1), place, invisible))
    return regions


def _marker_regions(text: str, markers: tuple[str, ...]) -> list[Region]:
    """Comments found from their markers (`#`, `//`, `/*`, `--`), as the core finds them."""
    from hooks._core.comments import comment_spans

    return [Region(start, end, "a code comment", False, True) for start, end in comment_spans(text, markers)]


# (the lookahead: most positions of a file start none of the three, and fail at one test)
_PY_TOKENS = lazy(
    r"(?=[rRbBuUfF\"'#])"
    r"[rRbBuUfF]{0,2}(\"\"\"(?:\\.|[^\\])*?(?:\"\"\"|\Z)|'''(?:\\.|[^\\])*?(?:'''|\Z))"
    r"|[rRbBuUfF]{0,2}(?:\"(?:\\.|[^\"\\\n])*\"|'(?:\\.|[^'\\\n])*')"
    r"|(#[^\n]*)"
)


def _python_regions(text: str) -> list[Region]:
    """Comments and docstrings of a Python file, from one regex pass that skips string
    literals (a tokenizer and a parser cost 10x more, and fail on broken files). A docstring is
    a triple-quoted string alone at the start of its line right after a `:` (def, class) or at
    the top of the module."""
    regions: list[Region] = []
    for match in _PY_TOKENS.finditer(text):
        if match.group(2) is not None:
            regions.append(Region(match.start(2), match.end(2), "a code comment", False, True))
        elif match.group(1) is not None:
            # a \r searched for after the last \n only: not back to the start of the file
            newline = text.rfind("\n", 0, match.start())
            line_start = max(newline, text.rfind("\r", newline + 1, match.start())) + 1
            if text[line_start:match.start()].strip():
                continue  # `x = """..."""`: a value, not a docstring
            j = line_start - 1
            while j >= 0 and text[j] in " \t\r\n":
                j -= 1
            if j < 0 or text[j] == ":":
                regions.append(Region(match.start(1), match.end(1), "a docstring", False, True))
    return regions
