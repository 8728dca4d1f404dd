"""Environment variables documented as the project's settings that no code reads (DG956).

"Documented as a setting" is narrow on purpose (precision first). An entry is
- a table row whose first cell is the name (Markdown pipe tables, RST grid tables),
- a list item that starts with the name in code (`` * `FOO_URL`: ... ``, RST `* - ``FOO``
  list-table rows), or a definition list's term (reST, and Markdown's `: description`),
- a heading that is only the name (`## `FOO_URL``) or a Sphinx `.. envvar:: FOO_URL`,
- a `NAME=value` (or `export NAME=value`) line of a fenced `env`/`dotenv`/shell block,
in a section whose headings or text speak of environment variables, configuration or
settings. Entries are grouped (one table, one list, the headings under one parent, one
block); a group counts only when the code reads at least two of its names and at least half
of them (`hooks/_env/`: os.environ, getenv, django-environ, pydantic-settings fields with
their env_prefix, process.env, ...), so a table of a third-party image's settings never does.
In a shell block, a name must also share its first word (`FOO_` of `FOO_URL`) with a name the
code reads.

A name is reported only when no file of the repository other than the docs mentions it at
all (compose files, Dockerfiles, entrypoint scripts, CI, `.env` templates: each is a use), it
is not a platform or well-known third-party variable, and no read builds names dynamically
with a prefix it starts with (`os.environ[f"FOO_{key}"]`, a pydantic-settings class with a
nested delimiter or extra fields), nor a name that a settings class's fields may make (a nested
model field; any field when the class's env_prefix is not a literal)."""
from __future__ import annotations

import re
from hooks._core.record import dataclass

from hooks.check_doc_drift.project import Project

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (~3 ms)
if TYPE_CHECKING:
    from typing import Iterator, Sequence

CODE = "DG956"

_NAME = r"[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+"
_NAME_RE = re.compile(rf"\A{_NAME}\Z")
_HEADING_MD = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_RST_UNDERLINE = re.compile(r"^([=\-~^\"'`#*+:.])\1{2,}\s*$")
_TABLE_ROW = re.compile(rf"^\s*\|\s*(?:\*\*)?(``?)?(?P<name>{_NAME})\1?(?:\*\*)?\s*(?:<!--.*?-->\s*)?\|")
_LIST_ITEM = re.compile(
    rf"^\s*(?:[-*+]|\d+[.)])\s+(?:-\s+)?(?:\*\*)?(?P<tick>``?)(?P<name>{_NAME})(?P=tick)(?:\*\*)?"
    r"(?:\s*(?:[:(\u2013\u2014=]|-\s|$)|\s*<!--)"
)
# a definition list's term alone on its line (`FOO_URL`, ``FOO_URL``, **FOO_URL**)
_TERM = re.compile(rf"^(?:\*\*)?(?P<tick>`{{0,2}})(?P<name>{_NAME})(?P=tick)(?:\*\*)?\s*$")
_ENVVAR_DIRECTIVE = re.compile(rf"^\s*\.\.\s+envvar::\s+(?P<name>{_NAME})\s*$")
_ASSIGN = re.compile(rf"^\s*(?:\$\s+)?(?:export\s+)?(?P<name>{_NAME})=")
# the section speaks of the project's settings
_SETTINGS_WORDS = re.compile(r"environment|\benv\b|env[ -]?var|\.env\b|configur|\bconfig\b|settings?\b", re.I)
_ENV_LANGS = frozenset({"env", "dotenv", "sh", "bash", "shell", "console", "shell-session", "zsh", "ini", "properties"})

# Read by a third-party tool, image or library, not by the project's code: never reported.
THIRD_PARTY_NAMES = frozenset({
    "DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE", "DJANGO_CONFIGURATION", "CELERY_BROKER_URL",
    "WEB_CONCURRENCY", "FORWARDED_ALLOW_IPS", "GUNICORN_CMD_ARGS", "SENTRY_DSN", "SENTRY_ENVIRONMENT",
    "SENTRY_RELEASE", "SECRET_KEY_BASE", "TZ_DATA", "LD_LIBRARY_PATH", "LD_PRELOAD",
})
THIRD_PARTY_PREFIXES = (
    "POSTGRES_", "PG", "MYSQL_", "MARIADB_", "MONGO_INITDB_", "RABBITMQ_", "MINIO_", "REDIS_",
    "AWS_", "AZURE_", "GOOGLE_", "GCLOUD_", "OPENAI_", "ANTHROPIC_", "HF_", "HUGGINGFACE_",
    "TRANSFORMERS_", "TORCH_", "CUDA_", "NCCL_", "OMP_", "MKL_", "TOKENIZERS_", "WANDB_",
    "LOGFIRE_", "OTEL_", "SENTRY_", "UV_", "NODE_", "DOCKER_", "COMPOSE_", "TRAEFIK_", "NGINX_",
    "UVICORN_", "GUNICORN_", "DJANGO_", "SSL_", "UWSGI_", "CELERY_", "DD_", "NEW_RELIC_",
)


@dataclass(frozen=True)
class Entry:
    name: str
    line: int
    col: int


@dataclass
class Group:
    kind: str  # "table", "list", "heading", "block"
    entries: list[Entry]
    context: str  # headings and text of the section: does it speak of settings?


@dataclass(frozen=True)
class EnvProblem:
    line: int
    col: int
    name: str
    message: str


_ANY_NAME = re.compile(_NAME)


def may_document(lines: Sequence[str]) -> bool:
    """Cheap pre-filter: a doc without an UPPER_CASE name or a word about settings has none."""
    text = "\n".join(lines)
    return _ANY_NAME.search(text) is not None and _SETTINGS_WORDS.search(text) is not None


def documented_groups(path: str, lines: Sequence[str], blocks: Sequence[object]) -> list[Group]:
    """The groups of settings entries of one doc (see the module docstring)."""
    rst = path.lower().endswith(".rst")
    in_block = {c.line for b in blocks for c in b.lines}  # type: ignore[attr-defined]
    groups: list[Group] = []
    headings: list[tuple[int, str]] = []  # (level, title) chain
    section_text: list[str] = []
    current: Group | None = None
    heading_groups: dict[tuple[int, str], Group] = {}
    rst_levels: list[str] = []

    def context() -> str:
        return " ".join(t for _, t in headings) + " " + " ".join(section_text[-30:])

    def enter_heading(level: int, title: str, number: int) -> None:
        nonlocal current, section_text
        current = None
        while headings and headings[-1][0] >= level:
            headings.pop()
        name = _heading_name(title)
        if name is not None:
            key = (level, " / ".join(t for _, t in headings))
            group = heading_groups.get(key)
            if group is None:
                group = heading_groups[key] = Group("heading", [], context())
                groups.append(group)
            col = (lines[number - 1].find(name) + 1) or 1
            group.entries.append(Entry(name, number, col))
        headings.append((level, title))
        section_text = []

    index = 0
    while index < len(lines):
        number, text = index + 1, lines[index]
        index += 1
        if number in in_block:
            continue
        if rst and index < len(lines) and text.strip() and _RST_UNDERLINE.match(lines[index]) \
                and len(lines[index].rstrip()) >= len(text.rstrip()) and not _RST_UNDERLINE.match(text):
            char = lines[index].strip()[0]
            if char not in rst_levels:
                rst_levels.append(char)
            enter_heading(rst_levels.index(char) + 1, text.strip(), number)
            index += 1
            continue
        heading = None if rst else _HEADING_MD.match(text)
        if heading is not None:
            enter_heading(len(heading.group(1)), heading.group(2), number)
            continue
        match = _TABLE_ROW.match(text) or _LIST_ITEM.match(text) or _ENVVAR_DIRECTIVE.match(text)
        if match is None and index < len(lines) and _is_definition(lines[index], rst):
            match = _TERM.match(text)  # a definition list's term: the description follows
        if match is not None:
            kind = "table" if match.re is _TABLE_ROW else "list"
            if current is None or current.kind != kind:
                current = Group(kind, [], context() + (" environment" if match.re is _ENVVAR_DIRECTIVE else ""))
                groups.append(current)
            current.entries.append(Entry(match.group("name"), number, match.start("name") + 1))
            continue
        if not text.strip() or text.lstrip().startswith(("|", "*", "-", "+")):
            continue  # blank lines, other rows and items do not end a table or list
        if current is not None and not text.startswith((" ", "\t", ":")):
            current = None
        section_text.append(text)
    # fenced env/shell blocks: each is a group of its own, in the section it sits in
    for block in blocks:
        lang = block.lang  # type: ignore[attr-defined]
        if lang not in _ENV_LANGS:
            continue
        entries = []
        for code_line in block.lines:  # type: ignore[attr-defined]
            assign = _ASSIGN.match(code_line.text)
            if assign is not None:
                entries.append(Entry(assign.group("name"), code_line.line, code_line.indent + assign.start("name") + 1))
        if entries:
            first = block.lines[0].line  # type: ignore[attr-defined]
            groups.append(Group("block", entries, _context_before(lines, first, rst) + (" env" if lang in ("env", "dotenv") else "")))
    return [g for g in groups if g.entries]


def _is_definition(following: str, rst: bool) -> bool:
    """The line after a term: an indented description (reST), `: description` (Markdown)."""
    if rst:
        return following[:1] in (" ", "\t") and bool(following.strip())
    return following.startswith(": ")


def _heading_name(title: str) -> str | None:
    """The variable a heading consists of (`FOO_URL`, `` `FOO_URL` {: #FOO_URL }``), or None."""
    bare = re.sub(r"\{[^}]*\}\s*$", "", title).strip().strip("`*").strip()
    return bare if _NAME_RE.match(bare) else None


def _context_before(lines: Sequence[str], first: int, rst: bool) -> str:
    """The headings above line `first` (nearest of each level) and the text just before it."""
    text = [lines[i] for i in range(max(0, first - 12), first - 1)]
    titles: list[str] = []
    seen_levels: set[int] = set()
    for i in range(first - 2, -1, -1):
        heading = None if rst else _HEADING_MD.match(lines[i])
        if heading is not None and len(heading.group(1)) not in seen_levels:
            level = len(heading.group(1))
            if not seen_levels or level < min(seen_levels):
                titles.append(heading.group(2))
                seen_levels.add(level)
        elif rst and i + 1 < len(lines) and _RST_UNDERLINE.match(lines[i + 1]) and lines[i].strip():
            titles.append(lines[i].strip())
            if len(titles) > 3:
                break
    return " ".join(titles) + " " + " ".join(text)


# --- what the code reads and mentions ----------------------------------------------


@dataclass
class CodeEnv:
    exact: set[str]
    folded: set[str]  # pydantic-settings: matched ignoring case
    prefixes: tuple[str, ...]  # names built at run time start with one of these
    suffixes: tuple[str, ...] = ()  # `os.getenv(name + "_FILE")`: a read name plus one of these
    # fields of settings classes whose env_prefix is not a literal: `<any prefix>_<field>`
    field_ends: tuple[str, ...] = ()

    def reads(self, name: str) -> bool:
        if name in self.exact or name.lower() in self.folded or (bool(self.prefixes) and name.startswith(self.prefixes)):
            return True
        if self.field_ends and name.lower().endswith(self.field_ends):
            return True
        return any(name.endswith(s) and len(name) > len(s) and self.reads(name[: -len(s)]) for s in self.suffixes)


# a helper that reads a name it was given plus a suffix: `os.getenv(s + "_FILE")`, f"{s}_FILE"
_SUFFIX_READ = re.compile(
    r"""(?:getenv|environ(?:\.get)?)\s*[\[(]\s*(?:\w+\s*\+\s*['"]|f['"]\{\w+\})(_[A-Z0-9_]+)['"]"""
)
# annotated names in an indented body (class fields; a few parameters too: more "read", silence)
_FIELD = re.compile(r"^[ \t]+([A-Za-z_]\w*)[ \t]*:[ \t]*[^\s=]", re.MULTILINE)
_OPAQUE_PREFIX = re.compile(r"""env_prefix\s*[=:]\s*[^'"\s]""")
_DYNAMIC_SETTINGS = re.compile(r"env_nested_delimiter|extra\s*=\s*['\"]allow['\"]|Extra\.allow")
_ENV_PREFIX = re.compile(r"""env_prefix\s*[=:]\s*['"]([A-Za-z0-9_]+)['"]""")


def code_env(project: Project) -> CodeEnv:
    """Every environment read of the project's Python and JS/TS files (tests included: a read
    anywhere is a read), computed once per project state."""
    return project.memo("env-reads", lambda: _code_env(project))  # type: ignore[return-value]


_JS = (".js", ".mjs", ".cjs", ".jsx", ".ts", ".tsx", ".mts", ".cts", ".vue", ".svelte")


def _code_env(project: Project) -> CodeEnv:
    import os

    from hooks._core.files import SourceFile
    from hooks._env.reads_js import js_reads
    from hooks._env.reads_python import HelperIndex, mentions_env, python_reads

    helpers = HelperIndex(project.root, report=False)
    exact: set[str] = set()
    folded: set[str] = set()
    prefixes: list[str] = []
    suffixes: list[str] = []
    field_ends: set[str] = set()
    for path in project.files:
        if not path.endswith((".py", *_JS)) or "node_modules/" in path:
            continue
        text = project.text(path)
        if not text:
            continue
        if path.endswith(".py"):
            if not mentions_env(text, set()):
                continue
            found = project.file_memo("env", path, lambda p=path, t=text: python_reads(SourceFile(os.path.join(project.root, p), t), helpers, report=False))
            suffixes.extend(_SUFFIX_READ.findall(text))
            if "BaseSettings" in text:
                _settings_fields(text, folded, field_ends)
            if "env_prefix" in text and _DYNAMIC_SETTINGS.search(text):
                # a settings class that reads names it builds (nested models, extra fields)
                prefixes.extend(m.group(1).upper() for m in _ENV_PREFIX.finditer(text) if m.group(1))
        elif "env" in text:
            found = project.file_memo("env", path, lambda p=path, t=text: js_reads(SourceFile(os.path.join(project.root, p), t)))
        else:
            continue
        for read in found.reads:  # type: ignore[attr-defined]
            for name in read.names:
                (folded.add(name.lower()) if read.case_insensitive else exact.add(name))
        prefixes.extend(p for p in found.dynamic_prefixes if len(p) >= 3)  # type: ignore[attr-defined]
    return CodeEnv(exact, folded, tuple(prefixes), tuple(set(suffixes)), tuple(field_ends))


def _settings_fields(text: str, folded: set[str], field_ends: set[str]) -> None:
    """What the extraction leaves out of a pydantic-settings module, read generously: nested
    model fields (one variable holding JSON) under each literal env_prefix, and every field
    under any prefix when a class's env_prefix is not a literal."""
    fields = {f.lower() for f in _FIELD.findall(text) if not f.startswith("_")}
    for prefix in [*_ENV_PREFIX.findall(text), ""]:
        folded.update(prefix.lower() + f for f in fields)
    if _OPAQUE_PREFIX.search(text):
        field_ends.update("_" + f for f in fields)


# UPPER_CASE words with an underscore: a greedy run from its first capital, so `MYAPP_X` is
# not a mention of `APP_X` (a capital glued to lower-case letters still counts: silence)
_UPPER_WORD = re.compile(r"[A-Z][A-Z0-9]*_[A-Z0-9_]*[A-Z0-9]")


def mentioned_outside_docs(project: Project, names: set[str]) -> set[str]:
    """Which of `names` some file other than the docs mentions (as a whole word). Each file's
    UPPER_CASE words are collected once (shared by the states before and after a change)."""
    if not names:
        return set()
    found: set[str] = set()
    for path in project.files:
        if _is_doc_like(path):
            continue
        words = project.file_memo("upper-words", path, lambda p=path: _upper_words(project.text(p)))
        found |= names & words  # type: ignore[operator]
        if found >= names:
            break
    return found


def _upper_words(text: str | None) -> frozenset[str]:
    if not text or "_" not in text:
        return frozenset()
    return frozenset(_UPPER_WORD.findall(text))


def _is_doc_like(path: str) -> bool:
    """Docs and their rendered copies (a docs directory's HTML): they document, never read."""
    from hooks.check_doc_drift.docs import MARKDOWN_SUFFIXES, RST_SUFFIXES

    lowered = path.lower()
    if lowered.endswith(MARKDOWN_SUFFIXES + RST_SUFFIXES + (".txt",)):
        return True
    return lowered.endswith((".html", ".html-fragment")) and "docs" in lowered.split("/")[:-1]


def _third_party(name: str) -> bool:
    from hooks._env.platform import is_platform

    return is_platform(name) or name in THIRD_PARTY_NAMES or name.startswith(THIRD_PARTY_PREFIXES)


def _first_word(name: str) -> str:
    return name.split("_", 1)[0] + "_"


def problems(project: Project, groups: list[Group], lines: set[int] | None = None,
             names: set[str] | None = None) -> Iterator[EnvProblem]:
    """The entries of settings groups that no code reads nor any other file mentions; only
    entries on `lines` / named in `names` when given (diff mode: what the change touched)."""
    settings = [g for g in groups if _SETTINGS_WORDS.search(g.context)]
    wanted = {
        e for g in settings for e in g.entries
        if (lines is None or e.line in lines) and (names is None or e.name in names)
    }
    names = {e.name for e in wanted if not _third_party(e.name) and "__" not in e.name}
    if not names:
        return
    # cheap first: most documented names appear in some code or deployment file
    unmentioned = names - _mentions(project, names)
    if not unmentioned:
        return
    env = code_env(project)
    for group in settings:
        distinct = {e.name for e in group.entries}
        read = {n for n in distinct if env.reads(n)}
        if len(read) < 2 or 2 * len(read) < len(distinct):
            continue
        words = {_first_word(n) for n in read}
        reported: set[str] = set()
        for entry in group.entries:
            name = entry.name
            if entry not in wanted or name not in unmentioned or name in reported or env.reads(name):
                continue
            if group.kind == "block" and _first_word(name) not in words:
                continue  # not the project's own naming
            reported.add(name)
            yield EnvProblem(
                entry.line, entry.col, name,
                f"{name} is documented as a setting but no code reads it; "
                f"remove it from the docs or read it (e.g. os.environ.get(\"{name}\"))",
            )


def _mentions(project: Project, names: set[str]) -> set[str]:
    """`mentioned_outside_docs`, memoised per project state and name."""
    cache: dict[str, bool] = project.memo("env-mentions", dict)  # type: ignore[assignment]
    todo = {n for n in names if n not in cache}
    if todo:
        hit = mentioned_outside_docs(project, todo)
        for name in todo:
            cache[name] = name in hit
    return {n for n in names if cache[n]}
