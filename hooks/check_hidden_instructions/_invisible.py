"""Invisible and reordering code points (DG801-DG807).

Every default-ignorable code point (Unicode's DerivedCoreProperties) plus the bidi marks is
found by one regex; each run of them is then judged by its neighbours, so that the ordinary
uses (an emoji ZWJ sequence, a subdivision flag, bidi marks in Arabic or Hebrew text, a joiner
inside Persian or Indic words, a soft hyphen in prose) stay quiet.
"""
from __future__ import annotations

import re
import unicodedata
from typing import Iterator, NamedTuple

from hooks.check_hidden_instructions._keys import HTML_SUFFIXES as _HTML_SUFFIXES
from hooks.check_hidden_instructions._keys import PROSE_SUFFIXES as PROSE_SUFFIXES

# Default_Ignorable_Code_Point (Unicode 15) plus U+061C/U+200E/U+200F (bidi marks, which it
# includes too). Kept in sync with the `grep -P` class in benchmarks/bench_hidden.py.
SUSPECT_CLASS = (
    "\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e"
    "\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufff8"
    "\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0000-\U000e0fff"
)
SUSPECT = re.compile(f"[{SUSPECT_CLASS}]+")

_BIDI_OPEN = frozenset("\u202a\u202b\u202d\u202e\u2066\u2067\u2068")
_BIDI_CLOSE_EMBED = "\u202c"
_BIDI_CLOSE_ISOLATE = "\u2069"
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_BIDI_MARKS = frozenset("\u200e\u200f\u061c")
_ZERO_WIDTH = frozenset("\u200b\u200c\u200d\u2060\ufeff")
_INVISIBLE_OPERATORS = frozenset("\u2061\u2062\u2063\u2064")
_HANGUL_FILLERS = frozenset("\u115f\u1160\u3164\uffa0")
# right-to-left scripts: Hebrew, Arabic, Syriac, Thaana, NKo, Samaritan, Mandaic, the
# presentation forms, and the supplementary RTL blocks
_RTL = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefe\U00010800-\U00010fff\U0001e800-\U0001efff]")
# data files where a lone zero-width string is an ordinary value (Jupyter widget placeholders)
_DATA_SUFFIXES = (".ipynb", ".json")


class Hit(NamedTuple):
    start: int  # offset in the text
    code: str
    message: str


def _is_vs(ch: str) -> bool:
    cp = ord(ch)
    return 0xFE00 <= cp <= 0xFE0F or 0xE0100 <= cp <= 0xE01EF


def _is_tag(ch: str) -> bool:
    return 0xE0000 <= ord(ch) <= 0xE007F


def _name(ch: str) -> str:
    return f"U+{ord(ch):04X} {unicodedata.name(ch, 'unnamed')}"


def _is_emoji(ch: str) -> bool:
    """An emoji or a piece of an emoji sequence (skin tone, keycap, VS16)."""
    if not ch:
        return False
    cp = ord(ch)
    return (
        cp >= 0x1F000 and cp <= 0x1FAFF
        or 0x2600 <= cp <= 0x27BF
        or 0x2300 <= cp <= 0x23FF
        or 0x2B00 <= cp <= 0x2BFF
        or cp in (0xFE0F, 0x20E3, 0x00A9, 0x00AE, 0x203C, 0x2049, 0x2122, 0x2139, 0x3030, 0x303D)
        or 0x2190 <= cp <= 0x21FF
        or unicodedata.category(ch) == "So"
    )


def _is_complex_letter(ch: str) -> bool:
    """A letter or mark of a script that uses joiners inside words (Arabic, Persian, Indic,
    Southeast Asian, ...): anything beyond Latin, Greek and Cyrillic."""
    return bool(ch) and ord(ch) >= 0x0590 and unicodedata.category(ch)[0] in "LM"


def _decode_tags(run: str) -> str:
    return "".join(chr(ord(c) - 0xE0000) for c in run if 0xE0020 <= ord(c) <= 0xE007E)


def _vs_byte(ch: str) -> int:
    cp = ord(ch)
    return cp - 0xFE00 if cp <= 0xFE0F else cp - 0xE0100 + 16


def _preview(text: str, limit: int = 80) -> str:
    text = text.replace("\n", " ").strip()
    text = "".join(c if c.isprintable() else "?" for c in text)
    return text if len(text) <= limit else text[: limit - 3] + "..."


_BIDI_CONTROL_RE = re.compile("[" + "".join(sorted(_BIDI_CONTROLS)) + "]")


def _bidi_balanced(line: str) -> bool:
    """Every embedding/override/isolate opened on the line is closed on it, in order."""
    stack: list[str] = []
    for ch in _BIDI_CONTROL_RE.findall(line):  # the controls only: a minified line is 1 MB
        if ch in _BIDI_OPEN:
            stack.append(_BIDI_CLOSE_ISOLATE if ch in "\u2066\u2067\u2068" else _BIDI_CLOSE_EMBED)
        elif ch in (_BIDI_CLOSE_EMBED, _BIDI_CLOSE_ISOLATE):
            if not stack or stack.pop() != ch:
                return False
    return not stack


def _line_around(text: str, start: int, end: int) -> str:
    left = max(text.rfind("\n", 0, start), text.rfind("\r", 0, start)) + 1
    right_n = text.find("\n", end)
    right = len(text) if right_n < 0 else right_n
    return text[left:right]


# Recorded data (API cassettes, snapshots, fixtures): what a model or a web page sent, kept
# byte for byte; stray zero-width or direction characters there are the data, not a trick.
_RECORDED_DIRS = ("/cassettes/", "/fixtures/", "/__snapshots__/", "/snapshots/", "/testdata/", "/test_data/")
_RECORDED_SUFFIXES = (".json", ".jsonl", ".yaml", ".yml", ".txt", ".csv", ".tsv", ".html", ".xml", ".snap")
_QUIET_IN_RECORDED = frozenset({"DG801", "DG802", "DG806", "DG807"})


def is_minified(lower_path: str) -> bool:
    """A minified bundle (`x.min.js`): a library's character tables written as raw characters,
    not code anyone reviews line by line. Tag and variation-selector payloads are still reported."""
    name = lower_path.replace("\\", "/").rsplit("/", 1)[-1]
    return ".min." in name or name.endswith((".bundle.js", "-min.js"))


def scan(text: str, path: str) -> Iterator[Hit]:
    """Findings for the invisible code points of `text` (already decoded, BOM removed)."""
    lower = path.lower()
    recorded = (
        lower.endswith(_RECORDED_SUFFIXES) and any(d in "/" + lower.replace("\\", "/") for d in _RECORDED_DIRS)
        or is_minified(lower)
    )
    prose = "html" if lower.endswith(_HTML_SUFFIXES) else "data" if lower.endswith(_DATA_SUFFIXES) else (
        "prose" if lower.endswith(PROSE_SUFFIXES) else ""
    )
    bidi_lines: set[int] = set()  # one DG801 per line: its message names every control there
    for match in SUSPECT.finditer(text):
        for hit in _judge_run(text, match.start(), match.end(), prose):
            if recorded and hit.code in _QUIET_IN_RECORDED:
                continue
            if hit.code == "DG801":
                line_start = max(text.rfind("\n", 0, hit.start), text.rfind("\r", 0, hit.start)) + 1
                if line_start in bidi_lines:
                    continue
                bidi_lines.add(line_start)
            yield hit


def _groups(run: str) -> Iterator[tuple[int, int, str]]:
    """Split a run into (start, end, kind) pieces of one kind each."""
    start = 0
    kind = _kind(run[0])
    for i in range(1, len(run)):
        k = _kind(run[i])
        if k != kind:
            yield start, i, kind
            start, kind = i, k
    yield start, len(run), kind


def _kind(ch: str) -> str:
    if ch in _BIDI_CONTROLS:
        return "bidi"
    if ch in _BIDI_MARKS:
        return "mark"
    if ch in _ZERO_WIDTH:
        return "zw"
    if _is_tag(ch):
        return "tag"
    if _is_vs(ch):
        return "vs"
    if ch in _INVISIBLE_OPERATORS:
        return "op"
    if ch in _HANGUL_FILLERS:
        return "hangul"
    return "other"


def _judge_run(text: str, run_start: int, run_end: int, prose: str) -> Iterator[Hit]:
    run = text[run_start:run_end]
    if prose == "html" and _is_preheader_filler(text, run_start, run_end):
        return
    for g_start, g_end, kind in _groups(run):
        piece = run[g_start:g_end]
        start = run_start + g_start
        prev = text[start - 1] if start else ""
        nxt = text[run_start + g_end] if run_start + g_end < len(text) else ""
        hit = _JUDGES[kind](text, start, piece, prev, nxt, prose)
        if hit is not None:
            yield hit


def _is_preheader_filler(text: str, start: int, end: int) -> bool:
    """The e-mail preheader spacer: `&nbsp;&zwnj;` (or the raw characters) repeated after the
    preview text so mail clients do not fill the preview with the body. Zero-width joiners,
    spaces and direction marks only, next to a no-break space."""
    if any(c not in "\u200b\u200c\u200d\u200e\u200f\u2060\ufeff\u00ad\u034f" for c in text[start:end]):
        return False
    around = text[max(0, start - 6):start] + text[end:end + 6]
    return "\u00a0" in around or "&nbsp;" in around or "&#160;" in around or "&#847;" in around


def _judge_bidi(text: str, start: int, piece: str, prev: str, nxt: str, prose: str) -> Hit | None:
    line = _line_around(text, start, start + len(piece))
    if _RTL.search(line) and _bidi_balanced(line):
        return None  # isolates/embeddings around right-to-left words, each one closed
    controls = _BIDI_CONTROL_RE.findall(line)
    names = ", ".join(f"U+{ord(c):04X}" for c in controls)
    unbalanced = "" if _bidi_balanced(line) else ", unbalanced,"
    return Hit(
        start, "DG801",
        f"{len(controls)} bidi control(s) on this line ({names}){unbalanced} reorder how it is "
        "displayed (Trojan Source): reviewers see another order than the compiler or an agent "
        "reads; delete them (inside a string, write an escape such as \\u202e)",
    )


def _judge_mark(text: str, start: int, piece: str, prev: str, nxt: str, prose: str) -> Hit | None:
    line = _line_around(text, start, start + len(piece))
    if _RTL.search(line):
        return None  # a direction mark in Arabic or Hebrew text
    return Hit(
        start, "DG801",
        f"bidi mark {_name(piece[0])} on a line without right-to-left text: it is invisible "
        "and only changes display order; delete it",
    )


def _judge_zero_width(text: str, start: int, piece: str, prev: str, nxt: str, prose: str) -> Hit | None:
    if piece == "\u200d" and (_is_emoji(prev) or ord(prev or "\0") in range(0x1F3FB, 0x1F400)) and _is_emoji(nxt):
        return None  # an emoji ZWJ sequence
    if piece in ("\u200c", "\u200d") and (_is_complex_letter(prev) or _is_complex_letter(nxt)):
        return None  # joiner/non-joiner inside Persian, Arabic, Indic, ... words
    if piece == "\u200b" and _is_complex_letter(prev) and _is_complex_letter(nxt):
        return None  # word break in Thai, Khmer, Myanmar, CJK text
    if prose == "data" and len(piece) == 1 and prev == '"' and nxt == '"':
        return None  # a JSON string that is one blank-looking character (widget placeholders)
    if len(piece) >= 8:
        what = f"a run of {len(piece)} zero-width characters ({', '.join(sorted({f'U+{ord(c):04X}' for c in piece}))})"
        why = "long enough to encode hidden data"
    else:
        what = "zero-width character " + ", ".join(_name(c) for c in piece[:3]) + ("..." if len(piece) > 3 else "")
        why = "it makes two different names or strings look identical"
    return Hit(start, "DG802", f"{what}: {why}; delete it")


def _judge_tags(text: str, start: int, piece: str, prev: str, nxt: str, prose: str) -> Hit | None:
    if prev == "\U0001f3f4" and piece.endswith("\U000e007f") and len(piece) <= 8 and re.fullmatch(
        "[\U000e0030-\U000e0039\U000e0061-\U000e007a]+\U000e007f", piece
    ):
        return None  # a subdivision flag (England, Scotland, Wales)
    hidden = _decode_tags(piece)
    return Hit(
        start, "DG803",
        f"{len(piece)} invisible Unicode tag characters spell hidden text {_preview(hidden)!r}: "
        "an agent reads it, a reviewer sees nothing; delete them",
    )


def _judge_vs(text: str, start: int, piece: str, prev: str, nxt: str, prose: str) -> Hit | None:
    if len(piece) == 1:
        return None  # one selector picks a glyph variant (emoji/text style, CJK variants)
    data = bytes(_vs_byte(c) for c in piece)
    decoded = data.decode("utf-8", errors="replace")
    return Hit(
        start, "DG804",
        f"a run of {len(piece)} variation selectors after {_name(prev) if prev else 'the start of the file'} "
        f"carries {len(piece)} bytes of hidden data (decoded: {_preview(decoded)!r}); "
        "one selector is a glyph choice, a run is a smuggled payload: delete it",
    )


def _judge_operator(text: str, start: int, piece: str, prev: str, nxt: str, prose: str) -> Hit | None:
    return Hit(
        start, "DG805",
        f"invisible operator {_name(piece[0])}: it renders as nothing but is a character of "
        "the name or string; delete it",
    )


def _judge_hangul(text: str, start: int, piece: str, prev: str, nxt: str, prose: str) -> Hit | None:
    if piece in ("\u115f", "\u1160") and (0x1100 <= ord(prev or "\0") <= 0x11FF or 0x1100 <= ord(nxt or "\0") <= 0x11FF):
        return None  # a filler inside a conjoining jamo syllable
    return Hit(
        start, "DG806",
        f"Hangul filler {_name(piece[0])} outside Korean text: it renders blank and is "
        "valid in identifiers (an invisible variable); delete it",
    )


def _judge_other(text: str, start: int, piece: str, prev: str, nxt: str, prose: str) -> Hit | None:
    first = piece[0]
    if first == "\u00ad" and prose in ("prose", "html"):
        return None  # a soft hyphen in prose or markup is typography (or a spacer cell)
    if first in "\u180b\u180c\u180d\u180f" and 0x1800 <= ord(prev or "\0") <= 0x18AF:
        return None  # Mongolian free variation selector
    if first == "\u034f" and prev and unicodedata.category(prev)[0] in "LM" and ord(prev) > 0x7F:
        return None  # combining grapheme joiner inside a word
    if first in "\u17b4\u17b5" and 0x1780 <= ord(prev or "\0") <= 0x17FF:
        return None  # Khmer inherent vowels inside Khmer text
    if 0x1D173 <= ord(first) <= 0x1D17A and 0x1D100 <= ord(prev or "\0") <= 0x1D1FF:
        return None  # musical notation formatting
    return Hit(
        start, "DG807",
        f"invisible character {_name(first)}" + (f" (and {len(piece) - 1} more)" if len(piece) > 1 else "")
        + ": it renders as nothing; delete it",
    )


_JUDGES = {
    "bidi": _judge_bidi,
    "mark": _judge_mark,
    "zw": _judge_zero_width,
    "tag": _judge_tags,
    "vs": _judge_vs,
    "op": _judge_operator,
    "hangul": _judge_hangul,
    "other": _judge_other,
}
