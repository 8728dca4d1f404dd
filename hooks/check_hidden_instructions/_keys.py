"""Literal words (lowercase) that each kind of text addressed to an AI model must contain.

Checked with `in` on a file's lowercased text before any regex runs: substring search is
fast, an alternation regex walks every position. Shared by the import-cheap fast path in
`__init__` and by `_addressed`, so they cannot drift apart; so are the suffixes that decide
which files hold code (`_identifiers`) and prose (`_invisible`)."""
from __future__ import annotations

_NEGATED_VERBS = ("tell", "inform", "mention", "reveal", "disclose", "notify", "acknowledge")

IGNORE = ("ignore", "disregard", "forget", "bypass", "override")
AI_AGENTS = ("ai a", "ai-a", "ai b", "llm", "coding a", "coding-a", "code a")
YOU_ARE = ("you are a",)
NOTE_TO = ("note ", "attention", "message ", "reminder", "important ")
GREETING = ("hey", "dear", "hello")
SECRECY = _NEGATED_VERBS + ("the user", "the developer", "the reviewer")
WITHOUT = ("without ",)
CODEGEN = ("when ",)
PLANT = ("always ", "silently ", "secretly ", "quietly ")
FETCH = ("curl", "wget", "iwr", "irm ", "invoke-", "iex")
MARKUP = ("<!--", "<details", "alt=", "alt =", "![", "]:")

PHRASE_KEYS = IGNORE + AI_AGENTS + YOU_ARE + NOTE_TO + GREETING + SECRECY + WITHOUT + CODEGEN + PLANT
ALL_TEXT_KEYS = tuple(dict.fromkeys(PHRASE_KEYS + FETCH))


def has_any(lower: str | bytes, keys: tuple[str, ...]) -> bool:
    if isinstance(lower, bytes):
        return any(key.encode() in lower for key in keys)
    return any(key in lower for key in keys)


# Languages whose identifiers `_identifiers` reads: a word of letters, digits and underscores.
CODE_SUFFIXES = (
    ".py", ".pyi", ".pyx", ".js", ".mjs", ".cjs", ".jsx", ".ts", ".tsx", ".mts", ".cts", ".go",
    ".rs", ".c", ".h", ".cc", ".cpp", ".cxx", ".hpp", ".hh", ".cs", ".csx", ".java", ".kt",
    ".kts", ".scala", ".swift", ".rb", ".php", ".sh", ".bash", ".zsh", ".sol", ".s", ".asm",
    ".lua", ".pl", ".pm", ".r", ".sql", ".vue", ".svelte", ".dart", ".m", ".mm", ".ex",
    ".exs", ".erl", ".hs", ".ml", ".fs", ".clj", ".groovy", ".ps1", ".zig", ".nim", ".jl",
)
# Prose formats: a soft hyphen there is typography, not a trick.
PROSE_SUFFIXES = (
    ".md", ".markdown", ".rst", ".txt", ".html", ".htm", ".po", ".pot", ".xml", ".svg", ".tex",
    ".mjml", ".hbs", ".jinja", ".j2", ".liquid", ".eml",
)
HTML_SUFFIXES = (".html", ".htm", ".mjml", ".hbs", ".jinja", ".j2", ".liquid", ".eml", ".xhtml")


def is_code(path: str) -> bool:
    lower = path.lower()
    name = lower.replace("\\", "/").rsplit("/", 1)[-1]
    # a minified bundle's look-alike tables (diacritics folding) are data, not names
    return lower.endswith(CODE_SUFFIXES) and ".min." not in name
