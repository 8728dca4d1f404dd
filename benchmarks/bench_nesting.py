"""Benchmark check-nesting against ruff PLR1702 and pylint R1702 on a real code base.

    python benchmarks/bench_nesting.py [--max-depth N] [--runs N] [--tree PATH]
                                       [--skip-pylint] [--reuse-pylint] [--skip-pre-commit]

Downloads a pinned sdist of a big public Python project with pip (the sdist is the checkout)
into benchmarks/.work/, then on the same files:

1. runs our hook as a subprocess (so interpreter start-up and imports count), ruff and pylint
   at the same limit, maps every finding to its enclosing function (one ast-based mapping for
   all three tools) and compares the sets of flagged functions. Each difference is explained by
   replaying the counting rules step by step from ours to the peer's (`Rules` below); a
   difference no rule explains is printed as UNEXPLAINED, which is what a bug looks like;
2. times `pre-commit run check-nesting --all-files` on a git repo of 1,500 of those files
   against a baseline run with no hooks.

This is a script, not a test: it prints figures for benchmarks/README.md.
"""
from __future__ import annotations

import argparse
import ast
import json
import os
import resource
import shutil
import subprocess
import sys
import tarfile
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Callable, Iterable, Sequence

PROJECT, VERSION = "django", "5.2.8"
REPO_ROOT = Path(__file__).resolve().parent.parent
WORK = REPO_ROOT / "benchmarks" / ".work"
PRE_COMMIT_FILES = 1500
MODULE = "<module>"

FunctionKey = tuple[str, str]  # (path relative to the project root, qualname)


# --- the project --------------------------------------------------------------------------


def fetch_project() -> Path:
    """The unpacked sdist of PROJECT==VERSION (downloaded once, then reused)."""
    root = WORK / "src" / f"{PROJECT}-{VERSION}"
    if root.is_dir():
        return root
    download = WORK / "dl" / f"{PROJECT}-{VERSION}"
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary", ":all:",
         f"{PROJECT}=={VERSION}", "-d", str(download)],
        check=True, stdout=subprocess.DEVNULL,
    )
    (sdist,) = download.glob("*.tar.gz")
    with tarfile.open(sdist) as archive:
        archive.extractall(WORK / "src", filter="data")
    if not root.is_dir():
        raise SystemExit(f"expected {root} in {sdist}")
    return root


def python_files(root: Path) -> list[str]:
    """Every .py file under root, except installed third-party code (site-packages)."""
    return sorted(
        p.relative_to(root).as_posix() for p in root.rglob("*.py")
        if p.is_file() and "site-packages" not in p.relative_to(root).parts
    )


# --- running the three tools -------------------------------------------------------------


@dataclass(frozen=True)
class Hit:
    path: str
    line: int
    col: int  # 1-based


@dataclass(frozen=True)
class Timing:
    wall: float  # seconds, best of the runs
    cpu: float  # user + system seconds of the tool and its children, best of the runs


def timed(
    command: Sequence[str], cwd: Path, env: dict[str, str] | None = None,
    ok: Callable[[int], bool] = lambda rc: rc in (0, 1),
) -> tuple[Timing, str]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if not ok(proc.returncode):
        raise SystemExit(f"{command[:3]} failed ({proc.returncode}): {proc.stderr[-2000:]}")
    return Timing(wall, cpu), proc.stdout


@dataclass(frozen=True)
class Job:
    command: Sequence[str]
    cwd: Path
    env: dict[str, str] | None = None
    ok: Callable[[int], bool] = lambda rc: rc in (0, 1)


def best_of(runs: int, *jobs: Job) -> list[tuple[Timing, str]]:
    """Best wall and best CPU time of each job over `runs` rounds. The rounds interleave the
    jobs, so a busy neighbour on a shared machine slows all of them alike."""
    results: list[list[tuple[Timing, str]]] = [[] for _ in jobs]
    for _ in range(runs):
        for job, found in zip(jobs, results):
            found.append(timed(job.command, job.cwd, job.env, job.ok))
    return [
        (Timing(min(t.wall for t, _ in found), min(t.cpu for t, _ in found)), found[0][1])
        for found in results
    ]


def normalise(root: Path, path: str) -> str:
    return Path(os.path.relpath(root / path, root)).as_posix()


def ours_command(files: Sequence[str], max_depth: int) -> list[str]:
    return [sys.executable, "-m", "hooks.check_nesting", "--max-depth", str(max_depth),
            "--format", "jsonl", *files]


def ours_env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(REPO_ROOT)}


def parse_ours(root: Path, stdout: str) -> list[Hit]:
    hits = []
    for line in stdout.splitlines():
        finding = json.loads(line)
        if finding["code"] == "DG501":
            hits.append(Hit(normalise(root, finding["path"]), finding["line"], finding["col"]))
    return hits


def ruff_command(files: Sequence[str], max_depth: int) -> list[str]:
    # PLR1702 is a preview rule in ruff 0.17; --isolated keeps the project's own ruff config
    # out, --ignore-noqa keeps its blanket noqa comments from hiding findings.
    return ["ruff", "check", "--isolated", "--preview", "--ignore-noqa", "--select", "PLR1702",
            "--config", f"lint.pylint.max-nested-blocks={max_depth}",
            "--output-format", "json", "--no-cache", *files]


def parse_ruff(root: Path, stdout: str) -> list[Hit]:
    return [
        Hit(normalise(root, d["filename"]), d["location"]["row"], d["location"]["column"])
        for d in json.loads(stdout) if d["code"] == "PLR1702"
    ]


def pylint_command(files: Sequence[str], max_depth: int) -> list[str]:
    return ["pylint", "--rcfile", os.devnull, "--disable=all", "--enable=R1702",
            f"--max-nested-blocks={max_depth}", "--output-format=json", "--score=n", *files]


def parse_pylint(root: Path, stdout: str) -> list[Hit]:
    return [
        Hit(normalise(root, d["path"]), d["line"], d["column"] + 1)
        for d in json.loads(stdout) if d["message-id"] == "R1702"
    ]


# --- mapping a finding to its function ---------------------------------------------------


class Project:
    """Parsed files of the project, parsed once and shared by the mapping and the models."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._trees: dict[str, tuple[ast.Module, list[bytes]] | None] = {}
        self._scopes: dict[str, list[tuple[str, ast.AST]]] = {}

    def is_utf8(self, path: str) -> bool:
        try:
            (self.root / path).read_bytes().decode("utf-8")
        except UnicodeDecodeError:
            return False
        return True

    def tree(self, path: str) -> tuple[ast.Module, list[bytes]] | None:
        if path not in self._trees:
            data = (self.root / path).read_bytes()
            try:
                self._trees[path] = (ast.parse(data, path), data.splitlines())
            except (SyntaxError, ValueError):
                self._trees[path] = None
        return self._trees[path]

    def scope_of(self, hit: Hit) -> str:
        parsed = self.tree(hit.path)
        if parsed is None:
            return MODULE
        if hit.path not in self._scopes:
            self._scopes[hit.path] = scopes(parsed[0])
        best, best_start = MODULE, 0
        for qualname, node in self._scopes[hit.path]:
            if node.lineno <= hit.line <= (node.end_lineno or node.lineno) and node.lineno >= best_start:
                best, best_start = qualname, node.lineno
        return best


def scopes(tree: ast.Module) -> list[tuple[str, ast.AST]]:
    """(qualname, node) of every def and class, nested ones named `outer.inner`."""
    found: list[tuple[str, ast.AST]] = []

    def visit(node: ast.AST, prefix: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                found.append((prefix + child.name, child))
                visit(child, f"{prefix}{child.name}.")
            elif isinstance(child, (ast.stmt, ast.excepthandler, ast.match_case)):
                visit(child, prefix)

    visit(tree, "")
    return found


def flagged_functions(project: Project, hits: Iterable[Hit]) -> set[FunctionKey]:
    return {(hit.path, project.scope_of(hit)) for hit in hits}


# --- counting-rule models ------------------------------------------------------------------


@dataclass(frozen=True)
class Rules:
    """One way of counting nesting. `OURS` is check-nesting's documented rules; each peer's
    model is reached from it by the named steps in `PEER_STEPS`, so the step at which a
    function's verdict flips is the counting rule that explains the difference."""

    functions_only: bool = False  # module- and class-level blocks are not checked
    count_match: bool = True
    count_with: bool = True
    count_async: bool = True  # async for / async with
    count_try_star: bool = True
    restart_in_uncounted: bool = False  # pylint: a block directly under an uncounted block,
    # an `except` handler or a `case` starts again at depth 1
    inherit_into_defs: bool = False  # ruff: a nested def/class continues its parent's count,
    # and the finding is attributed to the outermost block of the chain
    pylint_stack: bool = False  # replay pylint's own stack of blocks, which loses the
    # enclosing blocks for good after such a restart or after a nested def (see _PylintStack)


OURS = Rules()
PEER_STEPS: dict[str, list[tuple[str, dict[str, bool]]]] = {
    "ruff": [
        ("module/class-level code (ruff checks functions only)", {"functions_only": True}),
        ("`match` (ruff does not count it)", {"count_match": False}),
        ("nested def (ruff keeps counting the enclosing function's blocks into it)",
         {"inherit_into_defs": True}),
    ],
    "pylint": [
        ("module/class-level code (pylint checks functions only)", {"functions_only": True}),
        ("`match` (pylint does not count it)", {"count_match": False}),
        ("`with` (pylint does not count it)", {"count_with": False}),
        ("`async for`/`async with` (pylint does not count them)", {"count_async": False}),
        ("`try/except*` (pylint does not count it)", {"count_try_star": False}),
        ("pylint restarts the count under `with`/`except`/`case`/async blocks",
         {"restart_in_uncounted": True}),
        (("pylint forgets the enclosing blocks for the rest of the function after such a "
          "restart or a nested def"), {"pylint_stack": True}),
    ],
}


def peer_rule_chain(peer: str) -> list[tuple[str, Rules]]:
    chain, rules = [("driftgate rules", OURS)], OURS
    for label, change in PEER_STEPS[peer]:
        rules = replace(rules, **change)
        chain.append((label, rules))
    return chain


def _counted(stmt: ast.stmt, rules: Rules) -> bool:
    if isinstance(stmt, (ast.If, ast.For, ast.While, ast.Try)):
        return True
    if isinstance(stmt, ast.With):
        return rules.count_with
    if isinstance(stmt, ast.AsyncFor):
        return rules.count_async
    if isinstance(stmt, ast.AsyncWith):
        return rules.count_with and rules.count_async
    if sys.version_info >= (3, 11) and isinstance(stmt, ast.TryStar):
        return rules.count_try_star
    if sys.version_info >= (3, 10) and isinstance(stmt, ast.Match):
        return rules.count_match
    return False


def _is_elif(node: ast.stmt, lines: list[bytes]) -> bool:
    # col_offset is a UTF-8 byte offset, so compare bytes
    return isinstance(node, ast.If) and lines[node.lineno - 1][node.col_offset:].startswith(b"elif")


def _child_bodies(stmt: ast.stmt, lines: list[bytes]) -> list[tuple[list[ast.stmt], bool]]:
    """(body, is the statement's own body) for each nested body; an elif chain is flattened,
    handler and case bodies are not the statement's own body (their parent is the handler)."""
    if isinstance(stmt, ast.If):
        bodies = [(stmt.body, True)]
        while len(stmt.orelse) == 1 and _is_elif(stmt.orelse[0], lines):
            stmt = stmt.orelse[0]  # type: ignore[assignment]
            bodies.append((stmt.body, True))
        bodies.append((stmt.orelse, True))
        return bodies
    if isinstance(stmt, (ast.For, ast.AsyncFor, ast.While)):
        return [(stmt.body, True), (stmt.orelse, True)]
    if isinstance(stmt, (ast.With, ast.AsyncWith)):
        return [(stmt.body, True)]
    if isinstance(stmt, ast.Try) or (sys.version_info >= (3, 11) and isinstance(stmt, ast.TryStar)):
        return [(stmt.body, True), *((h.body, False) for h in stmt.handlers),
                (stmt.orelse, True), (stmt.finalbody, True)]
    if sys.version_info >= (3, 10) and isinstance(stmt, ast.Match):
        return [(case.body, False) for case in stmt.cases]
    return []


@dataclass(frozen=True)
class _Frame:
    scope: str  # qualname of the scope the block is in


class _Model:
    def __init__(self, lines: list[bytes], rules: Rules, max_depth: int) -> None:
        self.lines, self.rules, self.max_depth = lines, rules, max_depth
        self.flagged: set[str] = set()

    def body(self, body: Sequence[ast.stmt], scope: str, kind: str,
             stack: tuple[_Frame, ...], in_own_body: bool) -> None:
        for stmt in body:
            self.stmt(stmt, scope, kind, stack, in_own_body)

    def stmt(self, stmt: ast.stmt, scope: str, kind: str,
             stack: tuple[_Frame, ...], in_own_body: bool) -> None:
        rules = self.rules
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            inner = stmt.name if scope == MODULE else f"{scope}.{stmt.name}"
            inner_kind = "class" if isinstance(stmt, ast.ClassDef) else "function"
            self.body(stmt.body, inner, inner_kind, stack if rules.inherit_into_defs else (), True)
            return
        bodies = _child_bodies(stmt, self.lines)
        if not _counted(stmt, rules):
            for child, _ in bodies:
                # an uncounted block is transparent, or (pylint) breaks the chain
                self.body(child, scope, kind, stack, in_own_body=False)
            return
        keep = bool(stack)
        if rules.restart_in_uncounted and not in_own_body:
            keep = False
        own = (*stack, _Frame(scope)) if keep else (_Frame(scope),)
        reportable = kind == "function" or not rules.functions_only
        if len(own) > self.max_depth and reportable:
            self.flagged.add(own[0].scope if rules.inherit_into_defs else scope)
        for child, is_own in bodies:
            self.body(child, scope, kind, own, in_own_body=is_own)


class _PylintStack:
    """pylint's too-many-nested-blocks (RefactoringChecker._check_nested_blocks) replayed on
    the stdlib ast: visiting an if/for/while/try in a function pops its stack down to the
    block's direct parent (all of it when the parent is a `with`, an `except` handler, a
    `case`, an async block or the function), an `elif` replaces its `if`, and a stack that
    shrinks, or is left at the end of a (non-async) def, is reported when deeper than the limit.
    """

    _COUNTED = (ast.If, ast.For, ast.While, ast.Try)

    def __init__(self, lines: list[bytes], max_depth: int) -> None:
        self.lines, self.max_depth = lines, max_depth
        self.stack: list[tuple[ast.AST, str]] = []
        self.flagged: set[str] = set()

    def emit(self, stack: list[tuple[ast.AST, str]]) -> None:
        if len(stack) > self.max_depth:
            self.flagged.add(stack[0][1])

    def body(self, body: Sequence[ast.stmt], parent: ast.AST, scope: str, kind: str) -> None:
        for stmt in body:
            self.stmt(stmt, parent, scope, kind)

    def stmt(self, stmt: ast.stmt, parent: ast.AST, scope: str, kind: str) -> None:
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            inner = stmt.name if scope == MODULE else f"{scope}.{stmt.name}"
            inner_kind = "class" if isinstance(stmt, ast.ClassDef) else "function"
            self.body(stmt.body, stmt, inner, inner_kind)
            if isinstance(stmt, ast.FunctionDef):  # pylint has no leave_asyncfunctiondef
                self.emit(self.stack)
                self.stack = []
            return
        if type(stmt) in self._COUNTED and kind == "function":
            self.visit_block(stmt, parent, scope)
        for child, owner in self._children(stmt):
            self.body(child, owner, scope, kind)

    def visit_block(self, node: ast.stmt, parent: ast.AST, scope: str) -> None:
        saved = self.stack[:]
        if isinstance(parent, (ast.FunctionDef, ast.AsyncFunctionDef)):
            self.stack = [(node, scope)]
        else:
            while self.stack and self.stack[-1][0] is not parent:
                self.stack.pop()
            if _is_elif(node, self.lines) and isinstance(parent, ast.If) and self.stack:
                self.stack.pop()
            self.stack.append((node, scope))
        if len(saved) > len(self.stack):
            self.emit(saved)

    @staticmethod
    def _children(stmt: ast.stmt) -> list[tuple[list[ast.stmt], ast.AST]]:
        """Nested bodies in pylint's visiting order, each with its astroid parent."""
        if isinstance(stmt, (ast.If, ast.For, ast.AsyncFor, ast.While)):
            return [(stmt.body, stmt), (stmt.orelse, stmt)]
        if isinstance(stmt, (ast.With, ast.AsyncWith)):
            return [(stmt.body, stmt)]
        if isinstance(stmt, ast.Try) or (sys.version_info >= (3, 11) and isinstance(stmt, ast.TryStar)):
            return [(stmt.body, stmt), *((h.body, h) for h in stmt.handlers),
                    (stmt.orelse, stmt), (stmt.finalbody, stmt)]
        if sys.version_info >= (3, 10) and isinstance(stmt, ast.Match):
            return [(case.body, case) for case in stmt.cases]
        return []


def model_flags(project: Project, files: Iterable[str], rules: Rules, max_depth: int) -> set[FunctionKey]:
    flagged: set[FunctionKey] = set()
    for path in files:
        parsed = project.tree(path)
        if parsed is None:
            continue
        tree, lines = parsed
        model: _Model | _PylintStack
        if rules.pylint_stack:
            model = _PylintStack(lines, max_depth)
            model.body(tree.body, tree, MODULE, "module")
        else:
            model = _Model(lines, rules, max_depth)
            model.body(tree.body, MODULE, "module", (), in_own_body=True)
        flagged.update((path, scope) for scope in model.flagged)
    return flagged


# --- comparison ---------------------------------------------------------------------------


@dataclass
class Comparison:
    peer: str
    both: int
    ours_only: list[tuple[FunctionKey, str]]
    peer_only: list[tuple[FunctionKey, str]]
    neutral_union: int  # functions flagged by either tool where the counting rules agree
    neutral_both: int
    ours_vs_model: int  # functions where driftgate's verdict differs from its documented rules
    peer_vs_model: int  # functions where the peer's verdict differs from its model

    @property
    def unexplained(self) -> list[tuple[FunctionKey, str]]:
        return [d for d in self.ours_only + self.peer_only if d[1].startswith("UNEXPLAINED")]


def compare(
    peer: str, ours: set[FunctionKey], theirs: set[FunctionKey],
    models: list[tuple[str, set[FunctionKey]]], project: Project,
) -> Comparison:
    ours_model, peer_model = models[0][1], models[-1][1]

    def cause(key: FunctionKey) -> str:
        if (key in ours) != (key in ours_model):
            return "UNEXPLAINED: driftgate differs from its own documented rules"
        if peer == "ruff" and key not in theirs and not project.is_utf8(key[0]):
            return "file is not UTF-8: ruff skips it, driftgate honours its coding declaration"
        if (key in theirs) != (key in peer_model):
            return f"UNEXPLAINED: {peer} differs from its modelled rules"
        flips = [label for (label, now), (_, before) in zip(models[1:], models) if (key in now) != (key in before)]
        return "; ".join(flips) or "UNEXPLAINED"

    neutral = {k for k in ours | theirs if (k in ours_model) == (k in peer_model)}
    return Comparison(
        peer=peer,
        both=len(ours & theirs),
        ours_only=[(k, cause(k)) for k in sorted(ours - theirs)],
        peer_only=[(k, cause(k)) for k in sorted(theirs - ours)],
        neutral_union=len(neutral),
        neutral_both=len(neutral & ours & theirs),
        ours_vs_model=len(ours ^ ours_model),
        peer_vs_model=len(theirs ^ peer_model),
    )


def print_comparison(c: Comparison, ours_n: int, peer_n: int) -> None:
    print(f"\n## driftgate vs {c.peer}: {ours_n} vs {peer_n} functions flagged, {c.both} by both")
    for title, diffs in (("driftgate only", c.ours_only), (f"{c.peer} only", c.peer_only)):
        counts: dict[str, int] = {}
        for _, why in diffs:
            counts[why] = counts.get(why, 0) + 1
        print(f"  {title}: {len(diffs)}")
        for why, n in sorted(counts.items(), key=lambda kv: -kv[1]):
            print(f"    {n:4d}  {why}")
    for (path, qualname), why in c.unexplained:
        print(f"  ! {path}::{qualname}: {why}")
    print(f"  functions whose verdict differs from the tool's rules as modelled here: "
          f"driftgate {c.ours_vs_model}, {c.peer} {c.peer_vs_model}")
    agreement = c.neutral_both / c.neutral_union if c.neutral_union else 1.0
    print(f"  where the counting rules agree: {c.neutral_both}/{c.neutral_union} "
          f"functions flagged by both = {agreement:.1%} agreement")


# --- pre-commit ----------------------------------------------------------------------------


def git(*args: str, cwd: Path) -> str:
    return subprocess.run(
        ["git", "-c", "user.name=bench", "-c", "user.email=bench@example.invalid",
         "-c", "commit.gpgsign=false", *args],
        cwd=cwd, check=True, capture_output=True, text=True,
    ).stdout.strip()


def hook_repo_copy(dest: Path) -> str:
    """A git repo holding this worktree's tracked files as they are now; returns its HEAD."""
    tracked = git("ls-files", "-z", cwd=REPO_ROOT).split("\0")
    for rel in filter(None, tracked):
        source = REPO_ROOT / rel
        if source.is_file():
            (dest / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, dest / rel)
    git("init", "-q", cwd=dest)
    git("add", "-A", cwd=dest)
    git("commit", "-q", "-m", "driftgate snapshot", cwd=dest)
    return git("rev-parse", "HEAD", cwd=dest)


def target_repo(dest: Path, root: Path, files: Sequence[str]) -> None:
    for rel in files:
        (dest / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(root / rel, dest / rel)
    git("init", "-q", cwd=dest)
    git("add", "-A", cwd=dest)
    git("commit", "-q", "-m", "files", cwd=dest)


def pre_commit_bar(root: Path, files: Sequence[str], max_depth: int, runs: int) -> dict[str, Any]:
    base = WORK / "pre-commit"
    shutil.rmtree(base, ignore_errors=True)
    hooks, target, home = base / "hook-repo", base / "target", base / "home"
    for d in (hooks, target, home):
        d.mkdir(parents=True)
    rev = hook_repo_copy(hooks)
    chosen = files[:PRE_COMMIT_FILES]
    target_repo(target, root, chosen)
    with_hook = base / "with-hook.yaml"
    with_hook.write_text(
        f"repos:\n  - repo: {hooks}\n    rev: {rev}\n    hooks:\n"
        f"      - id: check-nesting\n        args: [--max-depth={max_depth}]\n"
    )
    baseline = base / "baseline.yaml"
    baseline.write_text("repos: []\n")
    env = {**os.environ, "PRE_COMMIT_HOME": str(home)}
    env.pop("PYTHONPATH", None)
    hook_cmd = [sys.executable, "-m", "pre_commit", "run", "check-nesting", "--all-files", "-c", str(with_hook)]
    base_cmd = [sys.executable, "-m", "pre_commit", "run", "--all-files", "-c", str(baseline)]
    timed(hook_cmd, target, env)  # installs the hook's environment once
    (hook_t, out), (base_t, _) = best_of(
        runs, Job(hook_cmd, target, env), Job(base_cmd, target, env, ok=lambda rc: rc == 0)
    )
    if "check-nesting" not in out:
        raise SystemExit(f"pre-commit did not run check-nesting:\n{out}")
    return {"files": len(chosen), "with_hook": hook_t, "baseline": base_t}


def parse_floor(root: Path, files: Sequence[str]) -> float:
    """CPU seconds CPython's ast.parse alone takes on the files, cycle collector off: the
    floor under any hook built on the stdlib parser, however little else it does."""
    import gc

    sources = [(root / path).read_bytes() for path in files]
    gc.disable()
    start = time.process_time()
    for source, path in zip(sources, files):
        try:
            ast.parse(source, path)
        except SyntaxError:
            pass
    elapsed = time.process_time() - start
    gc.enable()
    return elapsed


# --- main ------------------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-depth", type=int, default=4,
                        help="our --max-depth and the peers' max-nested-blocks (default 4)")
    parser.add_argument("--runs", type=int, default=3, help="best of N for the timed runs")
    parser.add_argument("--skip-pylint", action="store_true")
    parser.add_argument("--skip-pre-commit", action="store_true")
    parser.add_argument("--tree", metavar="PATH",
                        help="compare on the .py files under PATH instead of the Django sdist")
    parser.add_argument("--reuse-pylint", action="store_true",
                        help="reuse the last pylint run's output and time (benchmarks/.work/)")
    args = parser.parse_args(argv)
    n = args.max_depth

    root = Path(args.tree).resolve() if args.tree else fetch_project()
    files = python_files(root)
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    name = root if args.tree else f"{PROJECT} {VERSION}"
    print(f"{name}: {len(files)} .py files, limit {n}, {cores} cores, "
          f"python {sys.version.split()[0]}")

    (ours_s, out), (ruff_s, ruff_out) = best_of(
        args.runs, Job(ours_command(files, n), root, ours_env()), Job(ruff_command(files, n), root)
    )
    ours_hits = parse_ours(root, out)
    ruff_hits = parse_ruff(root, ruff_out)
    ruff_version = subprocess.run(["ruff", "--version"], capture_output=True, text=True, check=True).stdout.strip()
    pylint_s, pylint_hits = None, None
    if not args.skip_pylint:
        label = Path(args.tree).resolve().name if args.tree else f"{PROJECT}-{VERSION}"
        saved = WORK / f"pylint-{label}-{n}.json"
        if args.reuse_pylint and saved.is_file():
            wall, cpu, out = json.loads(saved.read_text())
            pylint_s = Timing(wall, cpu)
        else:
            # one run: it takes minutes. Its exit status is a bit mask of message kinds
            # (2 = the syntax-error file, 8 = refactor messages); 32 is a usage error.
            pylint_s, out = timed(pylint_command(files, n), root, ok=lambda rc: not rc & (32 | 1))
            saved.write_text(json.dumps([pylint_s.wall, pylint_s.cpu, out]))
        pylint_hits = parse_pylint(root, out)

    project = Project(root)
    ours = flagged_functions(project, ours_hits)
    results: dict[str, tuple[set[FunctionKey], Comparison]] = {}
    for peer, hits in (("ruff", ruff_hits), ("pylint", pylint_hits)):
        if hits is None:
            continue
        theirs = flagged_functions(project, hits)
        models = [(label, model_flags(project, files, rules, n)) for label, rules in peer_rule_chain(peer)]
        results[peer] = (theirs, compare(peer, ours, theirs, models, project))
        print_comparison(results[peer][1], len(ours), len(theirs))

    print(f"\n## speed ({len(files)} files; ours and ruff best of {args.runs}, pylint one run)")
    print("| tool | functions flagged | wall s | cpu s |")
    print("|---|---|---|---|")
    rows = [("check-nesting (python -m hooks.check_nesting)", ours, ours_s),
            (f"{ruff_version} PLR1702", results["ruff"][0], ruff_s)]
    if pylint_s is not None:
        rows.append(("pylint R1702", results["pylint"][0], pylint_s))
    for name, flagged, t in rows:
        print(f"| {name} | {len(flagged)} | {t.wall:.2f} | {t.cpu:.2f} |")
    if pylint_s is not None:
        print(f"pylint / ours = {pylint_s.wall / ours_s.wall:.1f}x wall, "
              f"{pylint_s.cpu / ours_s.cpu:.1f}x cpu (bar: >= 5x)")
    print(f"ours / ruff = {ours_s.wall / ruff_s.wall:.1f}x wall, "
          f"{ours_s.cpu / ruff_s.cpu:.1f}x cpu (bar: <= 5x)")
    floor = min(parse_floor(root, files) for _ in range(args.runs))
    print(f"ast.parse alone: {floor:.2f} s cpu = {floor / ruff_s.cpu:.1f}x ruff's whole run")
    print(f"load average {os.getloadavg()[0]:.1f} (other jobs on the machine slow every figure)")

    if not args.skip_pre_commit:
        bar = pre_commit_bar(root, files, n, args.runs)
        print(f"\n## pre-commit run check-nesting --all-files on {bar['files']} files "
              f"(best of {args.runs})")
        hook_t, base_t = bar["with_hook"], bar["baseline"]
        print(f"with check-nesting {hook_t.wall:.2f} s wall ({hook_t.cpu:.2f} s cpu), "
              f"baseline (no hooks) {base_t.wall:.2f} s wall ({base_t.cpu:.2f} s cpu): "
              f"adds {hook_t.wall - base_t.wall:.2f} s wall, {hook_t.cpu - base_t.cpu:.2f} s cpu "
              "(bar: < 3 s)")
    unexplained = sum(len(c.unexplained) for _, c in results.values())
    return 1 if unexplained else 0


if __name__ == "__main__":
    raise SystemExit(main())
