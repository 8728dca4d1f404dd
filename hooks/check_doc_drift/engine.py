"""The whole-run check: read each doc once, find its references, resolve them against the
project (read once per process)."""
from __future__ import annotations

import re
from hooks._core.record import dataclass

from hooks._core.files import SourceFile
from hooks._core.findings import Finding
from hooks._core.runner import CheckRun
from hooks.check_doc_drift import clis
from hooks.check_doc_drift.docs import CodeBlock, InlineCode, code_blocks, inline_code
from hooks.check_doc_drift.project import Project, worktree_project

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (~3 ms)
if TYPE_CHECKING:
    from typing import Iterator, Sequence

if TYPE_CHECKING:
    from hooks.check_doc_drift.diff import Change

HOOK_ID = "check-doc-drift"


@dataclass(frozen=True)
class Problem:
    """A reference the project does not have. `key` identifies what was looked up, so diff
    mode can ask whether the same reference resolved before the change."""

    path: str
    line: int
    col: int
    code: str
    message: str
    key: tuple[str, ...]

    def finding(self) -> Finding:
        return Finding(self.path, self.line, self.col, self.code, self.message, HOOK_ID)


@dataclass
class Doc:
    path: str
    lines: Sequence[str]
    blocks: list[CodeBlock]
    inline: list[InlineCode]


def read_doc(path: str, text: str) -> Doc:
    source = SourceFile(path, text)
    lines = source.lines
    blocks, inside = code_blocks(path, lines)
    return Doc(path, lines, blocks, list(inline_code(path, lines, inside)))


# "api" is not rechecked against the state before a change: the API index reads the work
# tree (DG954 covers the names a change removes)
KINDS = ("cli", "keys", "routes", "api")


def doc_problems(project: Project, doc: Doc, kinds: Sequence[str] = KINDS) -> Iterator[Problem]:
    if "cli" in kinds:
        yield from cli_problems(project, doc)
    if "keys" in kinds:
        yield from key_problems(project, doc)
    if "routes" in kinds:
        yield from route_problems(project, doc)
    if "api" in kinds:
        yield from api_problems(project, doc)


def api_problems(project: Project, doc: Doc) -> Iterator[Problem]:
    from hooks.check_doc_drift import api_refs

    found = list(api_refs.block_problems(project, project.root, doc.blocks))
    found += api_refs.inline_problems(project, project.root, [(i.line, i.col, i.text) for i in doc.inline])
    for problem in found:
        yield Problem(doc.path, problem.line, problem.col, "DG955", problem.message, problem.key)


def env_problems(project: Project, doc: Doc, lines: set[int] | None = None,
                 names: set[str] | None = None) -> Iterator[Problem]:
    """DG956: environment variables documented as settings that no code reads (the whole doc
    is read: an entry counts only with the rest of its table, list or block); only entries on
    `lines` or named in `names` when given."""
    from hooks.check_doc_drift import env_docs

    if not env_docs.may_document(doc.lines):
        return
    groups = env_docs.documented_groups(doc.path, doc.lines, doc.blocks)
    for problem in env_docs.problems(project, groups, lines, names):
        yield Problem(doc.path, problem.line, problem.col, env_docs.CODE, problem.message, ("env", problem.name))


def route_problems(project: Project, doc: Doc) -> Iterator[Problem]:
    from hooks.check_doc_drift.routes import check_lines

    for problem in check_lines(project, doc.lines):
        yield Problem(doc.path, problem.line, problem.col, "DG953", problem.message, problem.key)


def key_problems(project: Project, doc: Doc) -> Iterator[Problem]:
    from hooks.check_doc_drift.config_keys import toml_block_problems

    for block in doc.blocks:
        if block.lang != "toml" or "[tool." not in "".join(c.text for c in block.lines):
            continue
        lines = [(c.line, c.text) for c in block.lines]
        for problem in toml_block_problems(project, lines, [c.indent for c in block.lines]):
            yield Problem(doc.path, problem.line, problem.col, "DG952", problem.message, problem.key)


def script_clis(project: Project) -> dict[str, clis.ScriptCli]:
    """Invocation name -> CLI, for every console script whose parser reads statically; a
    script's module also answers to `python -m module`."""

    def build() -> dict[str, clis.ScriptCli]:
        found: dict[str, clis.ScriptCli] = {}
        for script in project.scripts:
            cli = clis.script_cli(project, script)
            if cli is None:
                continue
            found.setdefault(script.name, cli)
            module = script.module[: -len(".__main__")] if script.module.endswith(".__main__") else None
            if module:
                found.setdefault(f"-m {module}", cli)
        return found

    return project.memo("clis", build)  # type: ignore[return-value]


def cli_problems(project: Project, doc: Doc) -> Iterator[Problem]:
    if not project.scripts:
        return
    blocks = [(b.lang, [(c.line, c.text) for c in b.lines]) for b in doc.blocks]
    inline = [(i.line, i.col, i.text) for i in doc.inline]
    names = [s.name for s in project.scripts]
    names += [f"-m {s.module[: -len('.__main__')]}" for s in project.scripts if s.module.endswith(".__main__")]
    invocations = list(clis.find_invocations(blocks, inline, names, doc.lines))
    if not invocations:
        return
    known = script_clis(project)
    for invocation in invocations:
        cli = known.get(invocation.argv[0])
        if cli is None:
            continue
        for problem in clis.check_invocation(project, cli, invocation):
            yield Problem(doc.path, problem.line, problem.col, "DG951", problem.message, problem.key)


def check_docs(run: CheckRun, change: Change | None) -> Iterator[Finding]:
    """`change`: the staged change under pre-commit (hooks.check_doc_drift.check asks git),
    None outside pre-commit, with `all`, or on a first commit."""
    project = worktree_project(run.root)
    # nothing staged (`pre-commit run --all-files` in CI): the files passed, whole
    if change is not None and change.status:
        yield from diff_findings(run, project, change)
        return
    for source in run.sources_iter():
        doc = read_doc(source.path, source.text)
        for problem in doc_problems(project, doc):
            yield problem.finding()
        for problem in env_problems(project, doc):
            yield problem.finding()


def _affected_kinds(before: Project, after: Project, paths: Sequence[str]) -> list[str]:
    """The kinds of reference a change to `paths` can break (the others are not rechecked)."""
    from hooks.check_doc_drift.routes import _WEB_HINTS

    kinds: list[str] = []
    metadata = set(after.metadata_files()) | set(before.metadata_files())
    code = [p for p in paths if p.endswith(".py")]
    if any(p in metadata for p in paths) or code:
        kinds.append("cli")
    if code:
        kinds.append("keys")
    if any(
        _WEB_HINTS.search(project.text(p) or "") or p.endswith(("urls.py", "settings.py"))
        for p in code for project in (before, after)
    ):
        kinds.append("routes")
    return kinds


def diff_findings(run: CheckRun, after: Project, change: Change) -> Iterator[Finding]:
    from hooks._core.runner import is_excluded
    from hooks.check_doc_drift import diff

    docs = [d for d in after.docs if not is_excluded(d, run.settings.get("exclude", []))]
    changed_docs = [d for d in docs if d in change.status]
    diff.changed_doc_lines(change, changed_docs, run.root)
    seen: set[tuple[str, int, int, str]] = set()

    def emit(problem: Problem) -> Iterator[Finding]:
        ident = (problem.path, problem.line, problem.col, problem.code)
        if ident not in seen:
            seen.add(ident)
            yield problem.finding()

    parsed: dict[str, Doc] = {}

    def doc_of(path: str) -> Doc | None:
        if path not in parsed:
            text = after.text(path)
            if text is None:
                return None
            parsed[path] = read_doc(path, text)
        return parsed[path]

    # 1. lines the change added or edited in a doc: checked as in --all
    for path in changed_docs:
        doc = doc_of(path)
        lines = change.added_lines.get(path, set())
        if doc is None or not lines:
            continue
        for problem in doc_problems(after, _only_lines(doc, lines)):
            if problem.line in lines:
                yield from emit(problem)
        for problem in env_problems(after, doc, lines=lines):  # documented a variable nothing reads
            yield from emit(problem)
    code_paths = [p for p in change.touched() if not p.endswith((".md", ".markdown", ".rst"))]
    if not code_paths:
        return
    before = diff.base_project(after, change, run.root)
    # DG956: the change took out the last read (or mention) of a documented variable
    removed_all = _removed_words(before, after, code_paths)
    gone = {w for w in removed_all if w.isupper() and "_" in w}
    if gone:
        for path in docs:
            text = after.text(path)
            if not text or not any(w in text for w in gone):
                continue
            doc = doc_of(path)
            for problem in env_problems(after, doc, names=gone) if doc is not None else ():
                yield from emit(problem)
    # 2. references that resolved before the change and do not after: only a doc that
    # mentions something the change took out of the code (a literal, a name) can be one
    kinds = _affected_kinds(before, after, code_paths)
    removed = removed_all if kinds else set()
    if removed:
        pattern = re.compile(
            r"(?<!\w)(?:" + "|".join(re.escape(w) for w in sorted(removed, key=len, reverse=True)) + r")(?!\w)"
        )
        for path in docs:
            text = after.text(path)
            if not text or not pattern.search(text):
                continue
            doc = doc_of(path)
            if doc is None:
                continue
            now = list(doc_problems(after, doc, kinds))
            if not now:
                continue
            # an option or key the state after lacks resolved before iff the changed files
            # had it as a literal: the untouched files are the same in both states, so the
            # state before need not be built for these (routes are rebuilt: a few files)
            quick = [p for p in now if p.key[0] in ("option", "command", "key")]
            rest = [p for p in now if p.key[0] not in ("option", "command", "key")]
            for problem in quick:
                if _had_literal(before, after, code_paths, problem.key):
                    yield from emit(problem)
            if rest:
                then = {(p.key, p.line) for p in doc_problems(before, doc, kinds)}
                for problem in rest:
                    if (problem.key, problem.line) not in then:
                        yield from emit(problem)
    # 3. Python names the change removed that the docs still show
    removed = diff.removed_names(before, after, change, run.root)
    if not removed:
        return
    for path in docs:
        doc = doc_of(path)
        if doc is None:
            continue
        inline = [(i.line, i.col, i.text) for i in doc.inline]
        python_lines = [
            (c.line, c.indent, c.text) for b in doc.blocks if b.lang in PYTHON_LANGS for c in b.lines
        ]
        for line, col, gone in diff.stale_mentions(path, list(doc.lines), inline, python_lines, removed):
            renamed = f" (renamed to `{gone.renamed_to}`?)" if gone.renamed_to else ""
            yield from emit(Problem(
                path, line, col, "DG954",
                f"`{gone.name}` no longer exists: this change removed it from {gone.path}{renamed}; "
                "update the doc",
                ("removed", gone.name),
            ))


def _had_literal(before: Project, after: Project, paths: Sequence[str], key: tuple[str, ...]) -> bool:
    """Whether a changed file had, before the change and not after, what `key` names: the
    option or command string (or its bare name), or the config key (or its snake_case)."""
    from hooks.check_doc_drift.project import _file_literals

    name = key[-1]
    bare = name.lstrip("-")
    forms = {name, bare, bare.replace("-", "_"), bare.replace("_", "-")}
    for path in paths:
        if not path.endswith(".py"):
            continue
        old, new = _file_literals(before.text(path)), _file_literals(after.text(path))
        if any(form in old and form not in new for form in forms):
            return True  # the literal went (a module path may still spell the word)
        if key[0] == "key":
            # a key also lives as a field name (`line_length: int`)
            old_words, new_words = set(_WORD.findall(before.text(path) or "")), set(_WORD.findall(after.text(path) or ""))
            if any(form in old_words and form not in new_words for form in forms):
                return True
    return False


def _only_lines(doc: Doc, lines: set[int]) -> Doc:
    """The doc reduced to what is on `lines` (blocks that touch them, their inline code)."""
    blocks = [b for b in doc.blocks if any(c.line in lines for c in b.lines)]
    inline = [i for i in doc.inline if i.line in lines]
    text = [t if n in lines else "" for n, t in enumerate(doc.lines, 1)]
    return Doc(doc.path, text, blocks, inline)


_WORD = re.compile(r"[A-Za-z_][\w-]*[A-Za-z0-9_]")


def _removed_words(before: Project, after: Project, paths: Sequence[str]) -> set[str]:
    """Words (of identifiers and string literals) that the changed files have fewer of after
    the change: what a doc reference this change broke must contain. Counted, not merely
    present: renaming `"--agent"` leaves the word `agent` in `args.agent`, one fewer."""
    from collections import Counter

    removed: set[str] = set()
    for path in paths:
        old, new = before.text(path) or "", after.text(path) or ""
        if old != new:
            removed |= set(Counter(_WORD.findall(old)) - Counter(_WORD.findall(new)))
    return removed


from hooks.check_doc_drift.api_refs import PYTHON_LANGS  # noqa: E402
