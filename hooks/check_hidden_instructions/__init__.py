"""check-hidden-instructions: what an agent reads in a repository that a reviewer cannot
see (DG800-DG849).

Import-cheap: the rule table and the byte-level fast path live here. A file that is pure
ASCII cannot hold an invisible code point or a confusable letter, so it is only searched (as
bytes, lowercased) for the few words that text addressed to an AI model must contain; the
scanners in `_invisible`, `_identifiers` and `_addressed` are imported only for the files
that need them.
"""
from __future__ import annotations

import re
from typing import Iterator, Sequence

from hooks._core.files import SourceFile, Unreadable, decode, is_binary, read_bytes, report_skipped
from hooks._core.findings import Finding, Rule
from hooks._core.runner import CheckRun, FileHook, enabled_codes, file_only_context, run_hook
from hooks.check_hidden_instructions import _keys

HOOK_ID = "check-hidden-instructions"

RULES = (
    Rule("DG801", "bidi control or mark that reorders displayed text (Trojan Source), outside balanced right-to-left text"),
    Rule("DG802", "zero-width character (U+200B-U+200D, U+2060, U+FEFF after the start) outside an emoji sequence or a joining script"),
    Rule("DG803", "Unicode tag characters (U+E0000-U+E007F) spelling hidden ASCII text (decoded in the message)"),
    Rule("DG804", "a run of variation selectors carrying hidden bytes (decoded in the message)"),
    Rule("DG805", "invisible operator (U+2061-U+2064)"),
    Rule("DG806", "Hangul filler (U+115F, U+1160, U+3164, U+FFA0) outside Korean text"),
    Rule("DG807", "another default-ignorable (invisible) code point"),
    Rule("DG810", "identifier mixing Latin with confusable letters of another script (TR39)"),
    Rule("DG811", "identifier that looks exactly like another ASCII name in the file (TR39 confusable)"),
    Rule("DG820", "text addressed to an AI model in a place reviewers do not see (HTML comment, collapsed details, link definition, alt text, code comment or docstring)"),
    Rule("DG821", "fetch-and-run command (`curl ... | sh`) in an agent rules file or a hidden place"),
    Rule("DG822", "encoded blob (base64) that decodes to hidden text, in an agent rules file or a hidden place"),
    Rule("DG823", "text hidden from the rendered view of an agent rules file (HTML comment, link definition, alt text)"),
)

# The words text addressed to an AI model, a fetch-and-run command or a Markdown hidden place
# must contain, as bytes (see `_keys`).
_TEXT_KEYS = tuple(key.encode() for key in _keys.ALL_TEXT_KEYS)
_MARKUP_KEYS = tuple(key.encode() for key in _keys.MARKUP)
_MARKUP_SUFFIXES = (".md", ".markdown", ".mdx", ".mdc", ".html", ".htm", ".xhtml", ".xml", ".svg", ".vue", ".svelte")
# kept equal to _identifiers.CODE_SUFFIXES (a test checks it) without importing it here
_CODE_SUFFIXES = (
    ".py", ".pyi", ".pyx", ".js", ".mjs", ".cjs", ".jsx", ".ts", ".tsx", ".mts", ".cts", ".go",
    ".rs", ".c", ".h", ".cc", ".cpp", ".cxx", ".hpp", ".hh", ".cs", ".csx", ".java", ".kt",
    ".kts", ".scala", ".swift", ".rb", ".php", ".sh", ".bash", ".zsh", ".sol", ".s", ".asm",
    ".lua", ".pl", ".pm", ".r", ".sql", ".vue", ".svelte", ".dart", ".m", ".mm", ".ex",
    ".exs", ".erl", ".hs", ".ml", ".fs", ".clj", ".groovy", ".ps1", ".zig", ".nim", ".jl",
)
_CHAR_CODES = ("DG801", "DG802", "DG803", "DG804", "DG805", "DG806", "DG807", "DG810", "DG811")
_TEXT_CODES = ("DG820", "DG821", "DG822", "DG823")

RULES_FILE_NAMES = frozenset(
    {"agents.md", "claude.md", "claude.local.md", "gemini.md", ".cursorrules", ".windsurfrules",
     ".clinerules", "copilot-instructions.md"}
)


def is_rules_file(path: str) -> bool:
    """An agent rules file: instructions to an agent by design."""
    posix = path.replace("\\", "/").lower()
    name = posix.rsplit("/", 1)[-1]
    if name in RULES_FILE_NAMES:
        return name != "copilot-instructions.md" or posix.endswith(".github/copilot-instructions.md")
    return (
        "/.cursor/rules/" in f"/{posix}" or "/.clinerules/" in f"/{posix}"
        or "/.windsurf/rules/" in f"/{posix}" or name.endswith(".instructions.md")
        and "/.github/instructions/" in f"/{posix}"
    )


def check(run: CheckRun) -> Iterator[Finding]:
    codes = enabled_codes(RULES, run.settings)
    # with only the code-point rules selected, no file is searched for words at all
    chars = any(code in codes for code in _CHAR_CODES)
    words = any(code in codes for code in _TEXT_CODES)
    for path in run.paths:
        try:
            data = read_bytes(path)
        except OSError as exc:
            run.errors.append(f"{path}: cannot read: {exc.strerror or exc}")
            continue
        yield from check_bytes(path, data, run, chars, words)


# The UTF-8 encodings of every code point `_invisible` reports (its SUSPECT_CLASS), and of the
# letters `_identifiers` reads (Greek, Cyrillic, Armenian, Cherokee, fullwidth, mathematical).
# A UTF-8 file with none of these is not decoded at all.
_SUSPECT_UTF8 = re.compile(
    rb"\xc2\xad|\xcd\x8f|\xd8\x9c|\xe1\x85[\x9f\xa0]|\xe1\x9e[\xb4\xb5]|\xe1\xa0[\x8b-\x8f]"
    rb"|\xe2\x80[\x8b-\x8f\xaa-\xae]|\xe2\x81[\xa0-\xaf]|\xe3\x85\xa4|\xef\xb8[\x80-\x8f]|\xef\xbb\xbf"
    rb"|\xef\xbe\xa0|\xef\xbf[\xb0-\xb8]|\xf0\x9b\xb2[\xa0-\xa3]|\xf0\x9d\x85[\xb3-\xba]|\xf3\xa0"
)
# (the lead bytes of those letters, tested as substrings: a regex alternation starting with a
# byte class is several times slower than these memchr-speed searches)
_LETTERS_UTF8 = tuple(bytes([lead]) for lead in range(0xCE, 0xD7)) + (
    b"\xe1\x8e", b"\xe1\x8f", b"\xef\xbc", b"\xef\xbd", b"\xf0\x9d",
)


def _may_hold_code_points(path: str, data: bytes) -> bool:
    """False when `data` is UTF-8 without any byte sequence the code-point
    and identifier rules could report (UTF-16 and other encodings are always decoded)."""
    body = data[3:] if data.startswith(b"\xef\xbb\xbf") else data
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or b"coding" in data[:200]:
        return True
    if _SUSPECT_UTF8.search(body):
        return True
    if path.lower().endswith(_CODE_SUFFIXES) and any(lead in body for lead in _LETTERS_UTF8):
        return True
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return True  # not UTF-8: decoding reports it as skipped, as for every hook
    return False


def check_bytes(
    path: str, data: bytes, run: CheckRun | None = None, chars: bool = True, words: bool = True
) -> list[Finding]:
    scan_chars = chars and not data.isascii() and _may_hold_code_points(path, data)
    if scan_chars and is_binary(data):
        return []
    rules_file = words and is_rules_file(path)
    addressed = words and (rules_file or _mentions_addressed_text(path, data))
    if not scan_chars and not addressed:
        return []  # the fast path: nearly every file of nearly every repository
    try:
        text = decode(path, data)
    except Unreadable as exc:
        report_skipped(path, str(exc))
        return []
    source = SourceFile(path, text)
    if run is not None:
        run.sources.put(source)  # suppression comments are read from it, not re-read
    return check_source(source, rules_file, scan_chars=scan_chars, addressed=addressed)


def _mentions_addressed_text(path: str, data: bytes) -> bool:
    lower = data.lower()
    if any(key in lower for key in _TEXT_KEYS):
        return True
    return path.lower().endswith(_MARKUP_SUFFIXES) and any(key in lower for key in _MARKUP_KEYS)


def check_source(source: SourceFile, rules_file: bool, scan_chars: bool = True, addressed: bool = True) -> list[Finding]:
    text, path = source.text, source.path
    hits: list[tuple[int, str, str]] = []
    if scan_chars:
        from hooks.check_hidden_instructions import _identifiers, _invisible

        hits.extend(_invisible.scan(text, path))
        if _identifiers.is_code(path):
            hits.extend(_identifiers.scan(text))
    if addressed:
        from hooks.check_hidden_instructions import _addressed

        hits.extend(_addressed.scan(text, path, rules_file))
    if not hits:
        return []
    locate = _Locator(text)
    findings = []
    for start, code, message in hits:
        line, col = locate(start)
        findings.append(Finding(path, line, col, code, message, HOOK_ID))
    return findings


class _Locator:
    """Offset -> (line, column), 1-based, breaking lines as SourceFile.lines does."""

    def __init__(self, text: str) -> None:
        import bisect

        self._bisect = bisect.bisect_right
        self._starts = [0] + [m.end() for m in re.finditer(r"\r\n|\r|\n", text)]

    def __call__(self, offset: int) -> tuple[int, int]:
        index = self._bisect(self._starts, offset) - 1
        return index + 1, offset - self._starts[index] + 1


def _cache_context(run: CheckRun) -> str | None:
    """No result cache when only the code-point and identifier rules are selected: their
    common case is one read and a `bytes.isascii()` per file, cheaper than the cache's own
    hash, lookup and write (a first run on new files took twice as long with it)."""
    codes = enabled_codes(RULES, run.settings)
    if not any(code in codes for code in _TEXT_CODES):
        return None
    return file_only_context(run)


HOOK = FileHook(
    id=HOOK_ID,
    description="Report invisible or reordering code points, confusable identifiers and text "
    "addressed to AI models in places reviewers do not see.",
    rules=RULES,
    selects=lambda path: True,
    check=check,
    cache_context=_cache_context,
)


def main(argv: Sequence[str] | None = None) -> int:
    return run_hook(HOOK, argv)


if __name__ == "__main__":
    raise SystemExit(main())
