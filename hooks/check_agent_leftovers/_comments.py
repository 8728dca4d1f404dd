"""Placeholder comments and blanket suppressions in any language with `#`, `//` or `/* */`
comments (DG852, DG855), and the phrases both the Python and the other scanners share."""
from __future__ import annotations

import re
from typing import NamedTuple

from hooks._core.comments import comment_spans
from hooks._core.lazyre import lazy

PLACEHOLDER = lazy(
    r"\bin\s+a\s+real(?:[- ]world)?\s+(?:implementation|app(?:lication)?|system|scenario|project|"
    r"environment|deployment|codebase|world)\b"
    r"|\bin\s+(?:a\s+)?production(?:\s+(?:environment|system|setting|code|app))?,?\s+(?:you|we|this|one|it)\s+"
    r"(?:would|should|'d)\b"
    r"|\bfor\s+now,?\s+(?:we\s+|i\s+|this\s+|it\s+)?(?:just|simply|only)\s+(?:return|pass|use|log|print|skip|ignore|assume|hard-?code|mock|fake|stub)"
    r"|\bsimplified\s+(?:version|implementation|logic|approach|placeholder)\b(?!\s+(?:of|from|based)\b)"
    r"|\bplaceholder\s+(?:implementation|logic|code|function|method|body|value|response|result)\b"
    r"|\bplaceholder\s+for\s+(?:now|the\s+(?:real|actual)|real|actual)\b"
    r"|\bthis\s+is\s+(?:just\s+|only\s+)?a\s+(?:placeholder|stub|mock\s+implementation)\b"
    r"|\b(?:mock|dummy|fake)\s+implementation\b"
    r"|\btodo\b\s*:?\s*implement\b"
    r"|\btodo\s*\(\s*(?:ai|agent|llm|claude|copilot|gpt|cursor|codex)\s*\)"
    r"|\b(?:ai|llm)[- ]generated\b"
    r"|\bgenerated\s+(?:by|with|using)\s+(?:an?\s+)?(?:ai|llm|chatgpt|gpt-?[\w.]*|claude(?:\s+code)?|copilot|"
    r"gemini|cursor|codex|devin|aider|windsurf|cline)\b"
    r"|\breplace\s+(?:this\s+)?with\s+(?:a\s+|the\s+|your\s+)?(?:real|actual|proper)\s+"
    r"(?:implementation|logic|code|api|call|data|values?|check)\b"
    r"|\bimplement\s+(?:this|me)\s+(?:later|properly)\b",
    re.IGNORECASE,
)
# Test doubles are meant to be fake: in tests only the markers of unfinished work count.
PLACEHOLDER_IN_TESTS = lazy(
    r"\btodo\b\s*:?\s*implement\b|\btodo\s*\(\s*(?:ai|agent|llm|claude|copilot|gpt|cursor|codex)\s*\)"
    r"|\bgenerated\s+(?:by|with|using)\s+(?:an?\s+)?(?:ai|llm|chatgpt|gpt-?[\w.]*|claude|copilot|gemini|cursor|codex)\b",
    re.IGNORECASE,
)

BLANKET_TYPE_IGNORE = lazy(r"#\s*type:\s*ignore(?!\s*\[)(?![\w-])")
BLANKET_NOQA = lazy(r"#\s*noqa(?!\s*:\s*[A-Z]+[0-9])\b", re.IGNORECASE)
# `eslint-disable-next-line` / `-line` with no rule; a file-wide `/* eslint-disable */` is how
# generated and vendored files opt out of linting, and stays quiet
BLANKET_ESLINT = lazy(r"eslint-disable(?:-next-line|-line)[ \t]*(?:\*/)?[ \t]*$")

_HASH_SUFFIXES = (".rb", ".sh", ".bash")


class Hit(NamedTuple):
    line: int
    col: int
    code: str
    message: str
    lines: tuple[int, ...]  # the lines the finding covers (for the staged-diff filter)


def placeholder_message(phrase: str) -> str:
    return (
        f"comment says the code is not the real thing ({' '.join(phrase.split())!r}): finish the "
        "implementation or remove the code before committing"
    )


def blanket_message(kind: str) -> str:
    if kind == "eslint":
        return "`eslint-disable` without a rule name silences every rule: name the rule (eslint-disable-next-line RULE)"
    if kind == "noqa":
        return "`# noqa` without a code silences every lint on the line: name the code (`# noqa: E501`)"
    return "`# type: ignore` without a code silences every type error on the line: name it (`# type: ignore[attr-defined]`)"


def scan(path: str, text: str, wants: frozenset[str], test: bool) -> list[Hit]:
    import bisect

    markers = ("#",) if path.endswith(_HASH_SUFFIXES) else ("//", "/*")
    starts = [0] + [m.end() for m in re.finditer(r"\n", text)]
    hits: list[Hit] = []
    placeholder = PLACEHOLDER_IN_TESTS if test else PLACEHOLDER
    for offset, end in comment_spans(text, markers):
        comment = text[offset:end]
        line = bisect.bisect_right(starts, offset) - 1
        if "DG852" in wants:
            found = placeholder.search(comment)
            if found:
                at = offset + found.start()
                at_line = bisect.bisect_right(starts, at) - 1
                hits.append(Hit(at_line + 1, at - starts[at_line] + 1, "DG852", placeholder_message(found.group()), (at_line + 1,)))
        if "DG855" in wants and BLANKET_ESLINT.search(comment):
            hits.append(Hit(line + 1, offset - starts[line] + 1, "DG855", blanket_message("eslint"), (line + 1,)))
    return hits
