"""Identifiers that mix scripts or only look like ASCII names (Unicode TR39), DG810-DG811.

The confusables table is a bundled subset of TR39's confusables.txt (Unicode 15.1): the
Cyrillic, Greek, Armenian and Cherokee letters whose prototype there is a single Latin letter
a-z/A-Z. Compatibility forms (fullwidth and mathematical letters) are handled by NFKC
instead, which is also what Python does to identifiers.
"""
from __future__ import annotations

import re
import unicodedata
from typing import Iterator, NamedTuple

from hooks.check_hidden_instructions._keys import CODE_SUFFIXES as CODE_SUFFIXES
from hooks.check_hidden_instructions._keys import is_code as is_code

# letter -> the Latin letter it is confusable with (TR39 confusables.txt, subset)
CONFUSABLES: dict[str, str] = {
    # Cyrillic lower case
    "\u0430": "a", "\u0441": "c", "\u0501": "d", "\u0435": "e", "\u04bb": "h", "\u0456": "i",
    "\u0458": "j", "\u04cf": "l", "\u043e": "o", "\u0440": "p", "\u051b": "q", "\u0455": "s",
    "\u051d": "w", "\u0445": "x", "\u0443": "y", "\u0491": "r",
    # Cyrillic upper case
    "\u0410": "A", "\u0412": "B", "\u0421": "C", "\u0415": "E", "\u041d": "H", "\u0406": "I",
    "\u0408": "J", "\u041a": "K", "\u041c": "M", "\u041e": "O", "\u0420": "P", "\u0405": "S",
    "\u0422": "T", "\u0425": "X", "\u04ae": "Y", "\u0417": "3", "\u051c": "W", "\u04c0": "l",
    # Greek
    "\u03b1": "a", "\u03b9": "i", "\u03ba": "k", "\u03bd": "v", "\u03bf": "o", "\u03c1": "p",
    "\u03c5": "u", "\u0391": "A", "\u0392": "B", "\u0395": "E", "\u0396": "Z", "\u0397": "H",
    "\u0399": "I", "\u039a": "K", "\u039c": "M", "\u039d": "N", "\u039f": "O", "\u03a1": "P",
    "\u03a4": "T", "\u03a5": "Y", "\u03a7": "X", "\u03f3": "j",
    # Armenian
    "\u0570": "h", "\u0578": "n", "\u057d": "u", "\u0585": "o", "\u0581": "g", "\u0584": "f",
    # Cherokee
    "\u13a0": "D", "\u13a1": "R", "\u13a2": "T", "\u13a9": "Y", "\u13aa": "A", "\u13ab": "J",
    "\u13ac": "E", "\u13b3": "W", "\u13b7": "M", "\u13bb": "H", "\u13bd": "Y", "\u13c0": "G",
    "\u13c2": "h", "\u13c3": "Z", "\u13cf": "b", "\u13d2": "R", "\u13da": "S", "\u13de": "L",
    "\u13df": "C", "\u13e2": "P", "\u13e6": "K", "\u13f4": "B",
}

_WORD = re.compile(r"[^\W\d]\w*")
# Scripts that may mix with Latin in one identifier without suspicion (TR39 "highly
# restrictive": Latin + Han + Hiragana + Katakana, Latin + Han + Hangul, Latin + Han + Bopomofo).
_CJK_SCRIPTS = frozenset({"CJK", "HIRAGANA", "KATAKANA", "HANGUL", "BOPOMOFO", "IDEOGRAPHIC"})


class IdentHit(NamedTuple):
    start: int
    code: str
    message: str


def _script(ch: str) -> str:
    if ch.isascii():
        return "LATIN" if ch.isalpha() else "COMMON"
    if not ch.isalpha():
        return "COMMON"
    word = unicodedata.name(ch, "UNKNOWN").split(" ", 1)[0]
    return "CJK" if word in _CJK_SCRIPTS else word


def _describe(ch: str) -> str:
    return f"`{ch}` (U+{ord(ch):04X} {unicodedata.name(ch, 'unnamed')})"


def scan(text: str) -> Iterator[IdentHit]:
    """Identifier findings in a code file's text (only words with non-ASCII letters)."""
    ascii_words: set[str] | None = None
    for match in _WORD.finditer(text):
        word = match.group()
        if word.isascii():
            continue
        hit = _judge(word, match.start())
        if hit is not None:
            yield hit
            continue
        skeleton = _skeleton(word) if len(word) >= 3 else None  # `α`, `λ`: maths, not disguise
        if skeleton is not None and skeleton != word:
            if ascii_words is None:
                ascii_words = {w for w in _WORD.findall(text) if w.isascii()}
            if skeleton in ascii_words:
                yield IdentHit(
                    match.start(), "DG811",
                    f"identifier `{word}` looks exactly like `{skeleton}`, also used in this file, "
                    "but is a different name (confusable letters); rename it to plain ASCII",
                )


def _judge(word: str, start: int) -> IdentHit | None:
    """DG810 when the word mixes Latin with a letter confusable with Latin."""
    scripts = {_script(c) for c in word} - {"COMMON"}
    if "LATIN" not in scripts or len(scripts - _CJK_SCRIPTS - {"CJK"}) < 2:
        return None
    lookalikes = [c for c in word if c in CONFUSABLES]
    if not lookalikes or any(not c.isascii() and c not in CONFUSABLES for c in word):
        return None  # e.g. `Δx` or `σ_max`: a letter no one mistakes for Latin
    if sum(c.isascii() and c.isalpha() for c in word) < 2:
        return None  # a table of look-alike letters (diacritics folding), not a name
    other = sorted(scripts - {"LATIN"})
    plain = "".join(CONFUSABLES.get(c, c) for c in word)
    return IdentHit(
        start, "DG810",
        f"identifier `{word}` mixes Latin and {'/'.join(s.title() for s in other)} letters: "
        f"{_describe(lookalikes[0])} looks like Latin `{CONFUSABLES[lookalikes[0]]}`, so it reads as "
        f"`{plain}` but is another name; retype it in ASCII",
    )


def _skeleton(word: str) -> str | None:
    """The ASCII name `word` is mistaken for, or None when it does not look like one."""
    out = []
    for ch in word:
        if ch.isascii():
            out.append(ch)
            continue
        mapped = CONFUSABLES.get(ch)
        if mapped is None:
            # fullwidth and mathematical letters (not superscripts, subscripts or modifiers)
            if unicodedata.category(ch) not in ("Lu", "Ll"):
                return None
            folded = unicodedata.normalize("NFKC", ch)
            if not (folded.isascii() and folded.isalpha()):
                return None
            mapped = folded
        out.append(mapped)
    return "".join(out)
