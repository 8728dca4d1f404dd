"""The whole-run check: read each doc once, find its references, resolve them against the
project (read once per process)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator, Sequence

from hooks._core.files import SourceFile
from hooks._core.findings import Finding
from hooks._core.runner import CheckRun
from hooks.check_doc_drift import clis
from hooks.check_doc_drift.docs import CodeBlock, InlineCode, code_blocks, inline_code
from hooks.check_doc_drift.project import Project, worktree_project

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


def doc_problems(project: Project, doc: Doc) -> Iterator[Problem]:
    yield from cli_problems(project, doc)
    yield from key_problems(project, doc)
    yield from route_problems(project, doc)


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


def check_docs(run: CheckRun) -> Iterator[Finding]:
    project = worktree_project(run.root)
    for source in run.sources_iter():
        doc = read_doc(source.path, source.text)
        for problem in doc_problems(project, doc):
            yield problem.finding()
