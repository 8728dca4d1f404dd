"""Diff mode, the default under pre-commit: only what the change broke or made stale.

- a doc line the change adds or edits is checked like in `--all`;
- a reference anywhere in the docs that resolved against the code before the change and no
  longer does is reported (the same doc text checked against both states of the code);
- a Python function or class the change removed (or renamed) that the docs still name in
  inline code or a Python block is reported (DG954).

The change is the staged one (index against HEAD), or PRE_COMMIT_FROM_REF..PRE_COMMIT_TO_REF
when pre-commit passes a range (pre-push, `pre-commit run --from-ref/--to-ref`)."""
from __future__ import annotations

import ast
import os
import re
from hooks._core.record import dataclass, field

from hooks._core.findings import HookError
from hooks._core.git import run_git

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (~3 ms)
if TYPE_CHECKING:
    from typing import Iterator
    from hooks.check_doc_drift.project import Project


@dataclass
class Change:
    base: str
    status: dict[str, str] = field(default_factory=dict)  # path after -> A, M, D, R...
    old_path: dict[str, str] = field(default_factory=dict)  # renamed: new -> old
    added_lines: dict[str, set[int]] = field(default_factory=dict)  # path -> changed line numbers

    def touched(self) -> list[str]:
        return [*self.status, *self.old_path.values()]


def staged_change(root: str = ".") -> Change | None:
    """The change to judge, or None when there is no parent state (first commit, not git)."""
    start, end = os.environ.get("PRE_COMMIT_FROM_REF"), os.environ.get("PRE_COMMIT_TO_REF")
    if start and end:
        change = Change(start)
        out = run_git(["diff", "-M", "--name-status", "-z", start, end], cwd=root)
    else:
        change = Change("HEAD")
        try:  # one git process on every commit; a first commit (no HEAD) is told apart after
            out = run_git(["diff", "-M", "--name-status", "-z", "--cached", "HEAD"], cwd=root)
        except HookError:
            try:
                run_git(["rev-parse", "--verify", "-q", "HEAD"])
            except HookError:
                return None  # the first commit: nothing to compare with
            raise
    parts = out.split("\0")
    i = 0
    while i < len(parts) and parts[i]:
        status = parts[i][0]
        if status in "RC":
            old, new = parts[i + 1], parts[i + 2]
            change.status[new] = status
            if status == "R":
                change.old_path[new] = old
            i += 3
        else:
            change.status[parts[i + 1]] = status
            i += 2
    return change


def changed_doc_lines(change: Change, docs: list[str], root: str = ".") -> None:
    """Fill `change.added_lines` for the changed docs (the new side's line numbers)."""
    targets = [d for d in docs if change.status.get(d, "D") != "D"]
    if not targets:
        return
    args = ["--cached", change.base] if change.base == "HEAD" and not os.environ.get("PRE_COMMIT_TO_REF") else [
        change.base, os.environ.get("PRE_COMMIT_TO_REF", "")]
    out = run_git(["diff", "-M", "-U0", "--no-color", "--no-ext-diff", *args, "--", *targets], cwd=root)
    current = None
    for line in out.splitlines():
        if line.startswith("+++ "):
            name = line[4:]
            current = name[2:] if name.startswith("b/") else None
            if current is not None:
                change.added_lines.setdefault(current, set())
        elif line.startswith("@@") and current is not None:
            match = re.match(r"@@ -\S+ \+(\d+)(?:,(\d+))? @@", line)
            if match:
                start, count = int(match.group(1)), int(match.group(2) or 1)
                change.added_lines[current].update(range(start, start + count))


def base_project(after: Project, change: Change, root: str = ".") -> Project:
    """The project as it was at the change's base: unchanged files are read from the work
    tree, changed ones from git."""
    from hooks.check_doc_drift.project import Project

    added = {p for p, s in change.status.items() if s in "AC"}
    renamed_new = set(change.old_path)
    files = [f for f in after.files if f not in added and f not in renamed_new]
    files += [p for p, s in change.status.items() if s == "D"]
    files += list(change.old_path.values())
    from_git = {p for p, s in change.status.items() if s in "MDT"} | set(change.old_path.values())

    def read(path: str) -> str | None:
        try:
            return run_git(["show", f"{change.base}:{path}"], cwd=root)
        except HookError:
            return None

    changed = frozenset(from_git | added | renamed_new)
    return Project(sorted(set(files)), read, root=root, same_as=after, changed=changed)


# --- removed Python names -------------------------------------------------------------


def defined_names(text: str | None) -> dict[str, int]:
    """Top-level functions and classes and the methods of top-level classes: name -> line."""
    if not text:
        return {}
    try:
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return {}
    names: dict[str, int] = {}
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names[node.name] = node.lineno
        if isinstance(node, ast.ClassDef):
            for item in node.body:
                if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    names.setdefault(item.name, item.lineno)
    return names


@dataclass(frozen=True)
class Removed:
    name: str
    path: str  # where it was defined before
    renamed_to: str | None


def removed_names(before: Project, after: Project, change: Change, root: str = ".") -> list[Removed]:
    from hooks.check_doc_drift.project import is_runtime_code

    removed: list[Removed] = []
    for path in change.touched():
        if not path.endswith(".py") or not is_runtime_code(path) or change.status.get(path) == "A":
            continue
        old_path = change.old_path.get(path, path)
        old = defined_names(before.text(old_path))
        new = defined_names(after.text(path)) if change.status.get(path) != "D" else {}
        gone = [n for n in old if n not in new and not n.startswith("_") and _distinctive(n)]
        if not gone:
            continue
        fresh = [n for n in new if n not in old and not n.startswith("_")]
        for name in gone:
            renamed = _rename_of(name, fresh)
            removed.append(Removed(name, old_path, renamed))
    if not removed:
        return removed
    still = _defined_elsewhere([r.name for r in removed], root)
    return [r for r in removed if r.name not in still]


def _distinctive(name: str) -> bool:
    """Names a doc can only mean one way: snake_case with `_`, CamelCase, or long."""
    return "_" in name.strip("_") or any(c.isupper() for c in name) or len(name) >= 10


def _rename_of(name: str, fresh: list[str]) -> str | None:
    if len(fresh) == 1:
        return fresh[0]
    import difflib

    match = difflib.get_close_matches(name, fresh, n=1, cutoff=0.5)
    return match[0] if match else None


def _defined_elsewhere(names: list[str], root: str) -> set[str]:
    """The names some runtime code file (tests do not count) still defines."""
    from hooks.check_doc_drift.project import is_runtime_code

    pattern = r"^[[:space:]]*(async[[:space:]]+)?(def|class)[[:space:]]+(" + "|".join(re.escape(n) for n in names) + r")\b"
    try:
        out = run_git(["grep", "-I", "-E", pattern, "--", "*.py"], cwd=root, check=False)
    except HookError:
        return set()
    found = set()
    for line in out.splitlines():
        path, _, text = line.partition(":")
        if is_runtime_code(path):
            match = re.search(r"(?:def|class)\s+(\w+)", text)
            if match:
                found.add(match.group(1))
    return found


def stale_mentions(doc_path: str, lines: list[str], inline: list[tuple[int, int, str]],
                   python_lines: list[tuple[int, int, str]], removed: list[Removed]) -> Iterator[tuple[int, int, Removed]]:
    """(line, col, removed name) for each inline code span or Python block line naming it."""
    by_name = {r.name: r for r in removed}
    pattern = re.compile(r"(?<![\w])(" + "|".join(re.escape(n) for n in by_name) + r")(?![\w])")
    for number, col, text in inline:
        for match in pattern.finditer(text):
            yield number, col + match.start(), by_name[match.group(1)]
    for number, offset, text in python_lines:
        for match in pattern.finditer(text):
            yield number, offset + match.start() + 1, by_name[match.group(1)]
