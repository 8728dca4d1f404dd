"""Environment variable reads in JavaScript / TypeScript (and the <script> of .vue/.svelte).

No JS parser is available to a Python hook, so this is a careful scanner: it first finds the
spans that are not code (comments, string literals, template-literal text, regex literals)
and then matches `process.env.X`, `process.env["X"]`, `import.meta.env.X`,
`const { X, Y = "d" } = process.env`, `Deno.env.get("X")` and `Bun.env.X` only where they
start in code. A read followed by `??`/`||` has a default; an assignment is a write.
A same-file helper `function getEnv(name) { return process.env[name] }` is followed.
"""
from __future__ import annotations

import bisect
import os
import re

from hooks._core.files import SourceFile, read_source
from hooks._core.lazyre import lazy
from hooks._env.model import FileReads, Read
from hooks._env.platform import VITE_BUILTINS

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (~3 ms)
if TYPE_CHECKING:
    from typing import Iterator

_IDENT = r"[A-Za-z_$][\w$]*"
_DOT = r"\s*(?:\?\.|\.)\s*"
_KEY = r"\s*(?:\?\.)?\s*\[\s*(?P<q>['\"`])(?P<key>[^'\"`\\$\n]+)(?P=q)\s*\]"
_PROCESS_ENV = rf"\bprocess{_DOT}env"
_META_ENV = r"\bimport\s*\.\s*meta\s*\.\s*env"
_READ = lazy(
    rf"(?P<base>{_PROCESS_ENV}|{_META_ENV}|\bBun{_DOT}env)"
    rf"(?:{_DOT}(?P<prop>{_IDENT})|{_KEY})"
)
_DENO = lazy(r"\bDeno\s*\.\s*env\s*\.\s*get\s*\(\s*(?P<q>['\"`])(?P<key>[^'\"`\\$\n]+)(?P=q)")
_DESTRUCTURE = lazy(
    rf"\b(?:const|let|var)\s*\{{(?P<body>[^{{}}]*)\}}\s*=\s*(?P<base>{_PROCESS_ENV}|{_META_ENV})\b"
)
_DYNAMIC = lazy(rf"{_PROCESS_ENV}\s*(?:\?\.)?\s*\[\s*(?P<param>{_IDENT})\s*\]")
_FUNCTION_HEADS = (
    lazy(rf"\bfunction\s*\*?\s*(?P<name>{_IDENT})\s*\((?P<params>[^()]*)\)"),
    lazy(
        rf"\b(?:const|let|var)\s+(?P<name>{_IDENT})\s*(?::[^=]+)?=\s*(?:async\s+)?"
        rf"(?:function\s*\*?\s*(?:{_IDENT})?\s*)?\((?P<params>[^()]*)\)"
    ),
    lazy(
        rf"\b(?:const|let|var)\s+(?P<name>{_IDENT})\s*=\s*(?:async\s+)?(?P<params>{_IDENT})\s*=>"
    ),
)
_SCRIPT_BLOCK = lazy(r"<script\b[^>]*>(?P<body>.*?)</script\s*>", re.DOTALL | re.IGNORECASE)
_WRITE_AFTER = lazy(r"\s*(?:=(?!=)|\?\?=|\|\|=|&&=|\+\+|--)")
_DEFAULT_AFTER = lazy(r"\s*(?:\?\?|\|\|)")
_CALL_AFTER = lazy(r"\s*\(")
_DELETE_BEFORE = lazy(r"\bdelete\s*$")
# characters after which a `/` starts a regex literal rather than a division
# (not `<` or `>`: in JSX they open and close tags, `</div>` is no regex)
_REGEX_PRECEDERS = set("(,=:[!&|?{};+-*%~^")
_WORD = lazy(r"[\w$]+")
_REGEX_KEYWORDS = ("return", "typeof", "case", "do", "else", "in", "of", "yield", "await", "void")


_SPECIAL = lazy(r"[/'\"`{}]")
_STRING_BODY = {
    q: lazy(rf"(?:[^{q}\\\n]|\\.)*", re.DOTALL) for q in ("'", '"')
}
_TEMPLATE_BODY = lazy(r"(?:[^`\\$]|\\.|\$(?!\{))*", re.DOTALL)
_REGEX_BODY = lazy(r"(?:[^/\\\[\n]|\\.|\[(?:[^\]\\\n]|\\.)*\])*/")


def non_code_spans(text: str) -> list[tuple[int, int]]:
    """[start, end) spans of comments, strings, template text and regex literals.

    Linear in the length of the text: it jumps from one character that can open or close a
    span (`/ ' " ` { }`) to the next with a regex, skips each span with a regex, and only
    looks back (over blanks, comments and one word) to tell a regex from a division."""
    spans: list[tuple[int, int]] = []
    comments: dict[int, int] = {}  # end -> start of each comment, to look back past them
    # end of each string / template text / regex -> the character a look-back sees there
    # (its quote, "`" or "/"), whatever the span holds (an unterminated string ends at a newline)
    closers: dict[int, str] = {}
    i, n = 0, len(text)
    brace_stack: list[int] = []  # per open `${`: the brace depth inside it
    find = _SPECIAL.search
    while True:
        m = find(text, i)
        if m is None:
            return spans
        i = m.start()
        c = text[i]
        if c == "/" and text.startswith("//", i):
            end = text.find("\n", i)
            end = n if end < 0 else end
            spans.append((i, end))
            comments[end] = i
            i = end
        elif c == "/" and text.startswith("/*", i):
            end = text.find("*/", i + 2)
            end = n if end < 0 else end + 2
            spans.append((i, end))
            comments[end] = i
            i = end
        elif c in "'\"":
            end = _string_end(text, i, c)
            spans.append((i, end))
            closers[end] = c
            i = end
        elif c == "`" or (c == "}" and brace_stack and brace_stack[-1] == 0):
            if c == "}":
                brace_stack.pop()
            start = i
            i, opened = _template_text_end(text, i + 1)
            spans.append((start, i))
            closers[i] = "`"
            if opened:
                brace_stack.append(0)
        elif c == "/":
            end = _regex_end(text, i) if _starts_regex(*_before(text, i, comments, closers)) else i + 1
            if end > i + 1:
                spans.append((i, end))
                closers[end] = "/"
            i = end
        else:
            if c == "{" and brace_stack:
                brace_stack[-1] += 1
            elif c == "}" and brace_stack:
                brace_stack[-1] -= 1
            i += 1


def _before(text: str, i: int, comments: dict[int, int], closers: dict[int, str]) -> tuple[str, str]:
    """The last significant character before `i` (blanks and comments skipped; a string,
    template text or regex counts as its closing character) and, when it ends a word, that
    word."""
    p = i - 1
    while p >= 0:
        if p + 1 in closers:
            return closers[p + 1], ""
        comment = comments.get(p + 1)
        if comment is not None:
            p = comment - 1
        elif text[p].isspace():
            p -= 1
        else:
            break
    if p < 0:
        return "", ""
    last = text[p]
    if not (last.isalnum() or last in "_$"):
        return last, ""
    q = p
    while q > 0 and (text[q - 1].isalnum() or text[q - 1] in "_$"):
        q -= 1
    return last, text[q: p + 1]


def _string_end(text: str, start: int, quote: str) -> int:
    end = _STRING_BODY[quote].match(text, start + 1).end()  # type: ignore[union-attr]
    if end < len(text) and text[end] in (quote, "\n"):
        return end + 1
    return len(text)


def _template_text_end(text: str, i: int) -> tuple[int, bool]:
    """End of template text from `i`; True when it stops at a `${` (an expression opens)."""
    end = _TEMPLATE_BODY.match(text, i).end()  # type: ignore[union-attr]
    if text.startswith("`", end):
        return end + 1, False
    if text.startswith("${", end):
        return end + 2, True
    return len(text), False


def _starts_regex(last: str, last_word: str) -> bool:
    """Whether a `/` after the last significant character `last` (and, when that ends a
    word, the word `last_word`) opens a regex literal."""
    if last == "" or last in _REGEX_PRECEDERS:
        return True
    if last.isalnum() or last in "_$":
        return last_word in _REGEX_KEYWORDS
    return False


def _regex_end(text: str, start: int) -> int:
    """The end of the regex literal at `start`, or start + 1 when it does not close on its
    line (then the `/` was a division)."""
    m = _REGEX_BODY.match(text, start + 1)
    return m.end() if m is not None else start + 1


class _Locator:
    def __init__(self, text: str, spans: list[tuple[int, int]]) -> None:
        self.text = text
        self.starts = [s for s, _ in spans]
        self.spans = spans
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def in_code(self, offset: int) -> bool:
        k = bisect.bisect_right(self.starts, offset) - 1
        return k < 0 or offset >= self.spans[k][1]

    def position(self, offset: int) -> tuple[int, int]:
        k = bisect.bisect_right(self.line_starts, offset) - 1
        return k + 1, offset - self.line_starts[k] + 1


def _script_regions(path: str, text: str) -> list[tuple[int, str]]:
    if path.endswith((".vue", ".svelte")):
        return [(m.start("body"), m.group("body")) for m in _SCRIPT_BLOCK.finditer(text)]
    return [(0, text)]


def js_reads(source: SourceFile, index: JsHelperIndex | None = None) -> FileReads:
    """The file's reads; `index` resolves helpers imported from the repository's modules."""
    result = FileReads()
    text = source.text
    if not _may_read(text, index):
        return result
    for base, region in _script_regions(source.path, text):
        spans = non_code_spans(region)
        loc = _Locator(text, [(s + base, e + base) for s, e in spans])
        end = base + len(region)
        result.reads.extend(_reads_in(text, base, end, loc))
        helpers = {name: (name, d) for name, d in _find_helpers(text, base, end, loc).items()}
        if index is not None:
            helpers.update(index.imported(source.path, text, base, end, loc))
        result.reads.extend(_helper_calls(text, base, end, loc, helpers))
    result.reads.sort(key=lambda r: (r.line, r.col))
    return result


def _may_read(text: str, index: JsHelperIndex | None) -> bool:
    """Cheap pre-filter: `process.env`, `import.meta.env`, a helper named after the
    environment (`getEnv`), or a helper this process has already met elsewhere."""
    if "env" in text or "Env" in text or "ENV" in text:
        return True
    return index is not None and any(name in text for name in index.known_names)


_IMPORT_NAMED = lazy(
    rf"\bimport\s+(?:type\s+)?(?:{_IDENT}\s*,\s*)?\{{(?P<names>[^{{}}]*)\}}\s*from\s*"
    r"(?P<q>['\"])(?P<src>[^'\"\n]+)(?P=q)"
)
_REQUIRE_NAMED = lazy(
    r"\b(?:const|let|var)\s*\{(?P<names>[^{}]*)\}\s*=\s*require\s*\(\s*"
    r"(?P<q>['\"])(?P<src>[^'\"\n]+)(?P=q)\s*\)"
)
_RESOLVE_SUFFIXES = ("", ".ts", ".tsx", ".js", ".jsx", ".mjs", ".cjs", ".mts", ".cts")
_INDEX_FILES = ("index.ts", "index.tsx", "index.js", "index.jsx", "index.mjs")


class JsHelperIndex:
    """Helpers exported by the repository's JS/TS modules, each module read once per process.
    Import specifiers resolved: relative (`./env`, `../lib/env`) and the `@/` / `~/` aliases
    (tried as `src/` then the repository root)."""

    def __init__(self, root: str) -> None:
        self.root = os.path.abspath(root)
        self._by_file: dict[str, dict[str, bool]] = {}
        self.known_names: set[str] = set()

    def resolve(self, spec: str, importer: str) -> str | None:
        if spec.startswith(("./", "../")):
            bases = [os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(importer)), spec))]
        elif spec.startswith(("@/", "~/")):
            rest = os.path.normpath(spec[2:])
            bases = [os.path.join(self.root, "src", rest), os.path.join(self.root, rest)]
        else:
            return None  # a package: not the project's helper
        for base in bases:
            for candidate in (*(base + s for s in _RESOLVE_SUFFIXES),
                              *(os.path.join(base, i) for i in _INDEX_FILES)):
                if os.path.isfile(candidate):
                    return os.path.normpath(candidate)
        return None

    def helpers_in(self, path: str) -> dict[str, bool]:
        if path not in self._by_file:
            self._by_file[path] = {}
            try:
                source = read_source(path)
            except OSError:
                source = None
            if source is not None and "env" in source.text:
                text = source.text
                loc = _Locator(text, non_code_spans(text))
                self._by_file[path] = _find_helpers(text, 0, len(text), loc)
                self.known_names.update(self._by_file[path])
        return self._by_file[path]

    def imported(self, importer: str, text: str, start: int, end: int,
                 loc: _Locator) -> dict[str, tuple[str, bool]]:
        """local name -> (helper name, has a default) for helpers this file imports."""
        found: dict[str, tuple[str, bool]] = {}
        for pattern, separator in ((_IMPORT_NAMED, " as "), (_REQUIRE_NAMED, ":")):
            for m in pattern.finditer(text, start, end):
                if not loc.in_code(m.start()):
                    continue
                path = self.resolve(m.group("src"), importer)
                helpers = self.helpers_in(path) if path else {}
                for item in m.group("names").split(","):
                    original, _, local = item.strip().partition(separator)
                    original = original.strip().removeprefix("type ").strip()
                    if original in helpers:
                        found[local.strip() or original] = (original, helpers[original])
        return found


def _reads_in(text: str, start: int, end: int, loc: _Locator) -> Iterator[Read]:
    for m in _READ.finditer(text, start, end):
        if not loc.in_code(m.start()):
            continue
        name = m.group("prop") or m.group("key")
        after = m.end()
        if m.group("prop") and _CALL_AFTER.match(text, after):
            continue  # process.env.hasOwnProperty(...): a method, not a variable
        if _WRITE_AFTER.match(text, after):
            continue
        if _DELETE_BEFORE.search(text, max(start, m.start() - 10), m.start()):
            continue
        meta = "meta" in m.group("base")
        if meta and name in VITE_BUILTINS:
            continue
        how = "import.meta.env" if meta else "process.env"
        if m.group("base").startswith("Bun"):
            how = "Bun.env"
        yield _read(loc, m.start(), name, text, after, how)
    for m in _DENO.finditer(text, start, end):
        if loc.in_code(m.start()):
            close = text.find(")", m.end())
            yield _read(loc, m.start(), m.group("key"), text, close + 1 if close >= 0 else m.end(),
                        "Deno.env.get()")
    yield from _destructured(text, start, end, loc)


def _read(loc: _Locator, offset: int, name: str, text: str, after: int, how: str) -> Read:
    line, col = loc.position(offset)
    has_default = bool(_DEFAULT_AFTER.match(text, after))
    suffix = "with a default" if has_default else "no default: undefined when unset"
    return Read(name, line, col, False, f"{how}, {suffix}")


def _destructured(text: str, start: int, end: int, loc: _Locator) -> Iterator[Read]:
    for m in _DESTRUCTURE.finditer(text, start, end):
        if not loc.in_code(m.start()):
            continue
        meta = "meta" in m.group("base")
        how = "import.meta.env" if meta else "process.env"
        body_start = m.start("body")
        for item in re.finditer(r"[^,]+", m.group("body")):
            part = item.group(0)
            if part.strip().startswith("..."):
                continue
            key = re.match(r"\s*(?P<k>[A-Za-z_$][\w$]*)", part)
            if not key:
                continue
            name = key.group("k")
            if meta and name in VITE_BUILTINS:
                continue
            line, col = loc.position(body_start + item.start() + key.start("k"))
            default = "=" in part.split(":")[-1]
            suffix = "with a default" if default else "no default: undefined when unset"
            yield Read(name, line, col, False, f"{how} destructuring, {suffix}")


def _find_helpers(text: str, start: int, end: int, loc: _Locator) -> dict[str, bool]:
    """Functions that read `process.env[param]` with their first parameter: name -> whether
    that read has a default."""
    helpers: dict[str, bool] = {}
    for m in _DYNAMIC.finditer(text, start, end):
        if not loc.in_code(m.start()):
            continue
        head = _enclosing_head(text, start, m.start(), m.group("param"))
        if head is not None:
            helpers[head] = bool(_DEFAULT_AFTER.match(text, m.end()))
    return helpers


def _helper_calls(text: str, start: int, end: int, loc: _Locator,
                  helpers: dict[str, tuple[str, bool]]) -> Iterator[Read]:
    """`getEnv("X")` for each helper (local name -> (its name, has a default))."""
    for local, (name, has_default) in helpers.items():
        call = re.compile(
            rf"(?<![\w$.]){re.escape(local)}\s*\(\s*(?P<q>['\"`])(?P<key>[A-Za-z_]\w*)(?P=q)"
        )
        for m in call.finditer(text, start, end):
            if not loc.in_code(m.start()):
                continue
            line, col = loc.position(m.start())
            default = has_default or bool(re.match(r"\s*,", text[m.end(): m.end() + 200]))
            suffix = "with a default" if default else "no default: undefined when unset"
            yield Read(m.group("key"), line, col, False, f"{name}() via process.env, {suffix}")


def _enclosing_head(text: str, start: int, offset: int, param: str) -> str | None:
    """The nearest function header before `offset` whose first parameter is `param`."""
    best_start, best_name = -1, None
    window_start = max(start, offset - 2000)
    for pattern in _FUNCTION_HEADS:
        for m in pattern.finditer(text, window_start, offset):
            first = re.match(rf"\s*({_IDENT})", m.group("params"))
            if first and first.group(1) == param and m.start() > best_start:
                best_start, best_name = m.start(), m.group("name")
    return best_name
