"""verify-tests: new and changed tests that pass without the change they come with (DG940, DG941).

For each commit of a range that changes both non-test code and test files, the tests the
commit adds or changes are run against the parent's code: a temporary `git worktree` of the
parent with the commit's test files laid over it, in the project's own interpreter (`--python`,
config `python`, VIRTUAL_ENV, .venv/venv, python3). A test that passes there does not exercise
the change (DG940). Only the selected node ids run, within one time budget for the whole
range; a run that cannot happen (no pytest, the parent's tree does not load, the budget ran
out) is one DG941 finding, never a crash.
"""
from __future__ import annotations

import argparse
import os
import time
from hooks._core.record import dataclass, field

from hooks._core.config import Option
from hooks._core.findings import Finding, HookError, Rule
from hooks._core.output import LINE_FORMATS
from hooks._core.runner import (
    run_command_hook,
    COMMON_OPTIONS, enabled_codes,
)

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (~3 ms)
if TYPE_CHECKING:
    from typing import Any, Optional, Sequence

HOOK_ID = "verify-tests"
DESCRIPTION = "Run the tests each commit adds or changes against the parent's code: a test that passes there does not exercise the change."
DEFAULT_BUDGET_SECONDS = 300

RULES = (
    Rule("DG940", "a new or changed test passes on the parent commit: it does not exercise the change"),
    Rule("DG941", "the new or changed tests could not be run on the parent commit"),
)

OPTIONS: tuple[Option, ...] = (
    *(option for option in COMMON_OPTIONS if option.name not in ("exclude", "strict")),
    Option("python", str, "", "the project's interpreter or venv (default: VIRTUAL_ENV, .venv/venv, python3)"),
    Option("budget", int, DEFAULT_BUDGET_SECONDS, "seconds for every test run of the range together"),
)


def _add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--range", metavar="A..B", help="verify the commits of this range (or one commit)")
    parser.add_argument("--format", choices=LINE_FORMATS, default="text", help="output format")


@dataclass
class Selected:
    path: str  # the test file, relative to the root
    qualname: str  # Class.test or test
    line: int

    @property
    def node_id(self) -> str:
        return f"{self.path}::{self.qualname.replace('.', '::')}"


@dataclass
class Plan:
    """One commit to verify: the tests to run and the files to lay over the parent."""

    sha: str
    code_files: list[str]
    tests: list[Selected] = field(default_factory=list)
    overlay: dict = field(default_factory=dict)  # path -> bytes (None: delete)
    parent_tests: dict = field(default_factory=dict)  # test file -> the parent's own version


def _decode(data: Optional[bytes]) -> Optional[str]:
    if data is None:
        return None
    from hooks._core.files import Unreadable, decode

    try:
        return decode("x.py", data)
    except Unreadable:
        return None


def plan_commits(revs: Sequence[str]) -> list[Plan]:
    """The commits of `revs` that change code and tests, with the tests they add or change."""
    from hooks._provenance import gitdata
    from hooks._testint import changes
    from hooks._testint.model import in_test_dir, is_code_file, is_test_file, parse_tests

    parents = changes.parents_of(revs)
    sets = [
        changes.of_commit(commit, True)
        for commit in reversed(gitdata.read_commits(revs))
        if parents.get(commit.sha, 0) == 1  # root commits have no parent to run on; merges are skipped
    ]
    wanted = []
    for cs in sets:
        code = sorted({p for c in cs.changes for p in (c.old_path, c.new_path) if p and is_code_file(p)})
        support = [c for c in cs.changes if is_test_file(c.new_path or c.old_path or "") or in_test_dir(c.new_path or c.old_path or "")]
        if code and any(c.new_path and is_test_file(c.new_path) for c in support):
            wanted.append((cs, code, support))
    requests = []
    for cs, _, support in wanted:
        for change in support:
            if change.new_path:
                requests.append((cs.new_rev, change.new_path))
            if change.old_path and change.new_path and is_test_file(change.new_path):
                requests.append((cs.old_rev, change.old_path))
                requests.append((cs.old_rev, change.new_path))
    blobs = changes.fetch(requests)
    plans = []
    for cs, code, support in wanted:
        plan = Plan(cs.commit.sha, code)
        for change in support:
            if change.old_path and change.old_path != change.new_path:
                plan.overlay[change.old_path] = None
            if change.new_path:
                plan.overlay[change.new_path] = blobs.get((cs.new_rev, change.new_path))
            if not (change.new_path and is_test_file(change.new_path)):
                continue
            new_text = _decode(blobs.get((cs.new_rev, change.new_path)))
            old_text = _decode(blobs.get((cs.old_rev, change.old_path))) if change.old_path else None
            parent_own = blobs.get((cs.old_rev, change.new_path))
            if parent_own is not None:
                plan.parent_tests[change.new_path] = parent_own
            new = parse_tests(change.new_path, new_text) if new_text is not None else None
            old = parse_tests(change.old_path, old_text) if old_text is not None and change.old_path else None
            if new is None:
                continue
            for qual, test in new.tests.items():
                before = old.tests.get(qual) if old else None
                if not test.collected or test.marks or test.skip_calls:
                    continue
                if before is not None and before.full == test.full:
                    continue
                plan.tests.append(Selected(change.new_path, qual, test.line))
        if plan.tests:
            plans.append(plan)
    return plans


# --- running one commit -------------------------------------------------------------------


@dataclass
class Outcome:
    passed: list[Selected]
    error: str = ""  # why the tests could not run ('' when they ran)


def _junit_results(xml_path: str) -> tuple[dict, dict]:
    """(classname, function name) -> True when every case passed, False when one failed;
    and the modules that failed to collect -> the error's message."""
    import xml.etree.ElementTree as ET

    results: dict = {}
    broken: dict = {}
    for case in ET.parse(xml_path).getroot().iter("testcase"):
        if not case.get("classname"):
            error = next((child for child in case if child.tag == "error"), None)
            if error is not None:
                text = (error.text or error.get("message", "")).strip().splitlines()
                broken[case.get("name", "")] = next((line[2:].strip() for line in reversed(text) if line.startswith("E ")), text[-1] if text else "collection failure")
            continue
        name = case.get("name", "").split("[", 1)[0]
        key = (case.get("classname", ""), name)
        bad = any(child.tag in ("failure", "error") for child in case)
        skipped = any(child.tag == "skipped" for child in case)
        if skipped:
            results.setdefault(key, None)
        elif key not in results or results[key] is None:
            results[key] = not bad
        else:
            results[key] = results[key] and not bad
    return results, broken


def _junit_key(test: Selected) -> tuple[str, str]:
    module = test.path[:-3].replace("/", ".")
    parts = test.qualname.split(".")
    return ".".join([module, *parts[:-1]]), parts[-1]


def _git(args: Sequence[str], cwd: str) -> None:
    import subprocess

    proc = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True)
    if proc.returncode != 0:
        detail = (proc.stderr.strip().splitlines() or [f"exit {proc.returncode}"])[-1]
        raise OSError(f"git {args[0]} {args[1] if len(args) > 1 else ''}: {detail}")


def _reason(output: str, tree: str) -> str:
    """The most telling line of a failed pytest run, with the temporary tree's path removed."""
    lines = [line.strip() for line in output.replace(tree + os.sep, "").splitlines() if line.strip()]
    errors = [line[1:].strip() for line in lines if line.startswith("E ") and "Error" in line]
    detail = errors[-1] if errors else next((line for line in lines if line.startswith("ERROR")), lines[-1] if lines else "no output")
    return detail[:200]


def _parent_fails_to_collect(python: str, tree: str, env: dict, path: str, data: bytes, seconds: float) -> bool:
    """A test file that fails to load with the commit's version: does the parent's own version
    load? If not, the parent does not build; if it does, the new tests need the change."""
    import subprocess

    full = os.path.join(tree, *path.split("/"))
    with open(full, "wb") as handle:
        handle.write(data)
    try:
        proc = subprocess.run(
            [python, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--collect-only", f"--rootdir={tree}", path],
            cwd=tree, env=env, capture_output=True, text=True, timeout=max(min(seconds, 120), 1),
        )
    except (subprocess.TimeoutExpired, OSError):
        return False
    return proc.returncode not in (0, 5)


def run_on_parent(root: str, plan: Plan, python: str, seconds: float) -> Outcome:
    """Lay the commit's test files over a worktree of its parent and run the selected ids."""
    import shutil
    import subprocess
    import tempfile

    scratch = tempfile.mkdtemp(prefix="driftgate-verify-")
    tree = os.path.join(scratch, "tree")
    try:
        try:
            _git(["worktree", "add", "--detach", "--quiet", tree, f"{plan.sha}^"], root)
        except OSError as exc:
            return Outcome([], f"cannot check out the parent: {exc}")
        for path, data in plan.overlay.items():
            full = os.path.join(tree, *path.split("/"))
            if data is None:
                if os.path.isfile(full):
                    os.remove(full)
                continue
            os.makedirs(os.path.dirname(full), exist_ok=True)
            with open(full, "wb") as handle:
                handle.write(data)
        report = os.path.join(scratch, "report.xml")
        env = dict(os.environ)
        paths = [tree] + ([os.path.join(tree, "src")] if os.path.isdir(os.path.join(tree, "src")) else [])
        # the parent's modules, not an editable install of the checked-out branch
        env["PYTHONPATH"] = os.pathsep.join(paths + ([env["PYTHONPATH"]] if env.get("PYTHONPATH") else []))
        env["PYTHONDONTWRITEBYTECODE"] = "1"
        for name in [k for k in env if k.startswith("PRE_COMMIT")]:
            del env[name]
        command = [
            python, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--continue-on-collection-errors", f"--rootdir={tree}",
            f"--junitxml={report}", "-o", "junit_family=xunit1", *[t.node_id for t in plan.tests],
        ]
        try:
            proc = subprocess.run(command, cwd=tree, env=env, capture_output=True, text=True, timeout=max(seconds, 1))
        except subprocess.TimeoutExpired:
            return Outcome([], f"the run took longer than the {seconds:.0f} s left of the budget")
        except OSError as exc:
            return Outcome([], f"cannot run {python}: {exc}")
        if "No module named pytest" in proc.stderr:
            return Outcome([], f"pytest is not installed in the project's interpreter {python}")
        # a node id in a module that fails to import is "not found" (exit 4): that module's
        # collection error is in the report, judged below like any other
        uncollectable = proc.returncode == 4 and "found no collectors for" in proc.stdout + proc.stderr
        if (proc.returncode in (3, 4) and not uncollectable) or not os.path.isfile(report):
            return Outcome([], f"the parent does not build (pytest exit {proc.returncode}): {_reason(proc.stdout + chr(10) + proc.stderr, tree)}")
        try:
            results, broken = _junit_results(report)
        except Exception as exc:  # a malformed report is "could not run", never a crash
            return Outcome([], f"unreadable pytest report: {exc}")
        for module, message in broken.items():
            path = module.replace(".", "/") + ".py"
            if path in plan.parent_tests and _parent_fails_to_collect(python, tree, env, path, plan.parent_tests[path], seconds):
                return Outcome([], f"the parent does not build: its own {path} fails to load: {message[:200]}")
        return Outcome([t for t in plan.tests if results.get(_junit_key(t)) is True])
    finally:
        subprocess.run(["git", "worktree", "remove", "--force", tree], cwd=root, capture_output=True)
        shutil.rmtree(scratch, ignore_errors=True)
        subprocess.run(["git", "worktree", "prune"], cwd=root, capture_output=True)


# --- entry point ----------------------------------------------------------------------------


def _revs(args: argparse.Namespace) -> list[str]:
    from hooks._provenance import gitdata

    if args.range is not None:
        return gitdata.resolve_range(args.range)
    pushed = gitdata.push_range(os.environ) if any(os.environ.get(n) for n in ("PRE_COMMIT_FROM_REF", "PRE_COMMIT_REMOTE_NAME")) else None
    if pushed is None:
        raise HookError("nothing to verify: pass --range A..B (under pre-commit: the pre-push stage, or run --hook-stage manual with --from-ref/--to-ref)")
    return pushed[0]


def find(args: argparse.Namespace, settings: dict[str, Any]) -> list[Finding]:
    from hooks._core.interpreter import project_interpreter
    from hooks._provenance import gitdata

    root = gitdata.repo_root()
    revs = _revs(args)
    if settings["budget"] < 1:
        raise HookError(f"budget must be at least 1 second, got {settings['budget']}")
    plans = plan_commits(revs)
    if not plans:
        return []
    flag = getattr(args, "python", None)
    interpreter = project_interpreter(root, flag, None if flag else settings["python"] or None)
    deadline = time.monotonic() + settings["budget"]
    findings: list[Finding] = []
    for plan in plans:
        label = plan.sha[:12]
        first = plan.tests[0]
        left = deadline - time.monotonic()
        if left < 1:
            findings.append(Finding(f"{label}:{first.path}", first.line, 1, "DG941", f"not run: the time budget ({settings['budget']} s, --budget) ran out before this commit; raise it or verify a shorter range", HOOK_ID))
            continue
        outcome = run_on_parent(root, plan, interpreter.executable, left)
        if outcome.error:
            findings.append(Finding(f"{label}:{first.path}", first.line, 1, "DG941", f"could not run {len(plan.tests)} new or changed test(s) on the parent: {outcome.error}", HOOK_ID))
            continue
        changed = ", ".join(plan.code_files[:3]) + (" ..." if len(plan.code_files) > 3 else "")
        for test in outcome.passed:
            findings.append(Finding(
                f"{label}:{test.path}", test.line, 1, "DG940",
                f"{test.node_id} passes on the parent {label}^ without the change to {changed}: "
                "it does not exercise the change; assert on what the change does",
                HOOK_ID,
            ))
    codes = enabled_codes(RULES, settings)
    return [f for f in findings if f.code in codes]


def main(argv: Sequence[str] | None = None) -> int:
    return run_command_hook(HOOK_ID, DESCRIPTION, OPTIONS, argv, _add_arguments, find)


if __name__ == "__main__":
    raise SystemExit(main())
