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

from hooks._core.files import SourceFile, Unreadable, decode, is_binary, read_bytes, report_skipped
from hooks._core.findings import Finding, Rule
from hooks._core.lazyre import lazy
from hooks._core.runner import CheckRun, FileHook, enabled_codes, file_only_context, run_hook
from hooks.check_hidden_instructions import _keys

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (~3 ms)
if TYPE_CHECKING:
    from typing import Iterator, Sequence

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
# which files hold code: _identifiers' own test, from _keys without importing _identifiers
_CODE_SUFFIXES = _keys.CODE_SUFFIXES
_is_code = _keys.is_code
_INVISIBLE_CODES = ("DG801", "DG802", "DG803", "DG804", "DG805", "DG806", "DG807")
_IDENTIFIER_CODES = ("DG810", "DG811")
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
    # each scanner runs only when one of its rules is selected: with only the code-point
    # rules, no file is searched for words and no identifier is read
    invisible = any(code in codes for code in _INVISIBLE_CODES)
    identifiers = any(code in codes for code in _IDENTIFIER_CODES)
    words = any(code in codes for code in _TEXT_CODES)
    for path in run.paths:
        try:
            data = read_bytes(path)
        except OSError as exc:
            run.errors.append(f"{path}: cannot read: {exc.strerror or exc}")
            continue
        yield from check_bytes(path, data, run, invisible, words, identifiers)


# The UTF-8 encodings of every code point `_invisible` reports (its SUSPECT_CLASS), and of the
# letters `_identifiers` reads (Greek, Cyrillic, Armenian, Cherokee, fullwidth, mathematical).
# A UTF-8 file with none of these is not decoded at all. Every alternative is one character's
# encoding (or its first bytes), starting with its lead byte. Compiled on first use: a run
# over ASCII files never needs it.
_SUSPECT_UTF8 = lazy(
    rb"\xc2\xad|\xcd\x8f|\xd8\x9c|\xe1\x85[\x9f\xa0]|\xe1\x9e[\xb4\xb5]|\xe1\xa0[\x8b-\x8f]"
    rb"|\xe2\x80[\x8b-\x8f\xaa-\xae]|\xe2\x81[\xa0-\xaf]|\xe3\x85\xa4|\xef\xb8[\x80-\x8f]|\xef\xbb\xbf"
    rb"|\xef\xbe\xa0|\xef\xbf[\xb0-\xb8]|\xf0\x9b\xb2[\xa0-\xa3]|\xf0\x9d\x85[\xb3-\xba]|\xf3\xa0"
)
# (the lead bytes of those letters, tested as substrings: a regex alternation starting with a
# byte class is several times slower than these memchr-speed searches)
_LETTERS_UTF8 = tuple(bytes([lead]) for lead in range(0xCE, 0xD7)) + (
    b"\xe1\x8e", b"\xe1\x8f", b"\xef\xbc", b"\xef\xbd", b"\xf0\x9d",
)
_ASCII = bytes(range(0x80))


def _non_ascii(body: bytes) -> bytes:
    """The bytes of `body` that are not ASCII, in order: for UTF-8, its non-ASCII characters,
    each whole (bytes.translate: ~20x faster than a regex over a mostly ASCII file). A
    pattern that is one character's encoding from its lead byte matches there exactly when it
    matches in `body`; what was next to what is lost (characters with ASCII between them
    become neighbours)."""
    return body.translate(None, _ASCII)


def _may_hold_code_points(path: str, data: bytes) -> bool:
    """False when `data` is UTF-8 without any byte sequence the code-point
    and identifier rules could report (UTF-16 and other encodings are always decoded)."""
    body = data[3:] if data.startswith(b"\xef\xbb\xbf") else data
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or b"coding" in data[:200]:
        return True
    chars = _non_ascii(body)  # equivalent for UTF-8; any other encoding fails the decode below
    if _SUSPECT_UTF8.search(chars):
        return True
    if path.lower().endswith(_CODE_SUFFIXES) and any(lead in chars for lead in _LETTERS_UTF8):
        return True
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return True  # not UTF-8: decoding reports it as skipped, as for every hook
    return False


def check_bytes(
    path: str, data: bytes, run: CheckRun | None = None, invisible: bool = True, words: bool = True,
    identifiers: bool = True,
) -> list[Finding]:
    scan_chars = code = False
    if (invisible or identifiers) and not data.isascii():
        code = identifiers and _is_code(path)
        if code:
            scan_chars = _may_hold_code_points(path, data)
            if scan_chars and is_binary(data):
                return []
        else:
            # an emoji's selector or joiner, a soft hyphen in prose: nothing to report (and
            # anything _only_quiet_marks does not pass, _may_hold_code_points would)
            scan_chars = not _only_quiet_marks(path, data)
            if is_binary(data) and (scan_chars or _may_hold_code_points(path, data)):
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
    return check_source(
        source, rules_file, scan_chars=scan_chars, addressed=addressed, invisible=invisible, identifiers=code,
    )


# What _invisible never reports, at the byte level: one variation selector (U+FE00-U+FE0F)
# not next to another (a glyph choice: VS16 after an emoji), a zero-width joiner between two
# emoji (a ZWJ sequence), and in prose and markup a soft hyphen. _LOUD_UTF8 is _SUSPECT_UTF8
# without those (and without the soft hyphen, tested apart); a UTF-8 file where it finds
# nothing is not decoded for the code-point rules. (Emoji here: U+1F000-U+1FAFF,
# U+2600-U+27BF and VS16 before the joiner, as _invisible's _is_emoji counts them; a test
# checks every suspect code point in such places.) Every alternative starts with a literal
# byte, lookbehinds after it: the regex engine then skips to the possible first bytes; a
# leading lookbehind made it 30x slower.
_ZWJ_OUTSIDE_EMOJI = (
    rb"\xe2(?<!\xf0\x9f[\x80-\xab][\x80-\xbf]\xe2)(?<!\xe2[\x98-\x9e][\x80-\xbf]\xe2)(?<!\xef\xb8\x8f\xe2)\x80\x8d"
    rb"|\xe2\x80\x8d(?!\xf0\x9f[\x80-\xab]|\xe2[\x98-\x9e])"
)
_LOUD_PARTS = (
    rb"\xcd\x8f|\xd8\x9c|\xe1\x85[\x9f\xa0]|\xe1\x9e[\xb4\xb5]|\xe1\xa0[\x8b-\x8f]"
    rb"|\xe2\x80[\x8b\x8c\x8e\x8f\xaa-\xae]|ZWJ"
    rb"|\xe2\x81[\xa0-\xaf]|\xe3\x85\xa4|\xef\xb8[\x80-\x8f](?=\xef\xb8[\x80-\x8f]|\xf3\xa0)|\xef\xbb\xbf"
    rb"|\xef\xbe\xa0|\xef\xbf[\xb0-\xb8]|\xf0\x9b\xb2[\xa0-\xa3]|\xf0\x9d\x85[\xb3-\xba]|\xf3\xa0"
)
_LOUD_UTF8 = lazy(_LOUD_PARTS.replace(b"ZWJ", _ZWJ_OUTSIDE_EMOJI))
# the same over _non_ascii(body), where neighbours may be false: every joiner counts (then
# _LOUD_UTF8 decides on the whole text); selectors falsely side by side only cost a scan
_LOUD_CHARS = lazy(_LOUD_PARTS.replace(b"ZWJ", b"\xe2\x80\x8d"))
# a soft hyphen in prose or markup is typography (what _invisible says of it too)
_SOFT_HYPHEN_SUFFIXES = _keys.PROSE_SUFFIXES + _keys.HTML_SUFFIXES


def _only_quiet_marks(path: str, data: bytes) -> bool:
    """True when `data` is UTF-8 whose only invisible code points are ones _invisible never
    reports, so it need not be decoded for the code-point rules (the identifier rules decide
    for themselves: this is not asked for code files when they are selected)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or b"coding" in data[:200]:
        return False
    body = data[3:] if data.startswith(b"\xef\xbb\xbf") else data
    chars = _non_ascii(body)
    if b"\xc2\xad" in chars and not path.lower().endswith(_SOFT_HYPHEN_SUFFIXES):
        return False
    if _LOUD_CHARS.search(chars) and _LOUD_UTF8.search(body):
        return False
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return False  # decoding reports it as skipped, as for every hook
    return True


def _mentions_addressed_text(path: str, data: bytes) -> bool:
    lower = data.lower()
    if any(key in lower for key in _TEXT_KEYS):
        return True
    return path.lower().endswith(_MARKUP_SUFFIXES) and any(key in lower for key in _MARKUP_KEYS)


def check_source(
    source: SourceFile, rules_file: bool, scan_chars: bool = True, addressed: bool = True,
    invisible: bool = True, identifiers: bool = True,
) -> list[Finding]:
    """`invisible` and `identifiers` say which code-point scanners run when `scan_chars`."""
    text, path = source.text, source.path
    hits: list[tuple[int, str, str]] = []
    if scan_chars and invisible:
        from hooks.check_hidden_instructions import _invisible

        hits.extend(_invisible.scan(text, path))
    if scan_chars and identifiers and _is_code(path):
        from hooks.check_hidden_instructions import _identifiers

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
