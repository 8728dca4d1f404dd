"""check-test-integrity: tests bent to fit the change, and tests that test nothing (DG900-DG939).

At pre-commit stage it compares each staged test file with its HEAD version; given the commit
message file (commit-msg stage) it also reads the message's trailers; with `--range A..B`
(CI) it compares every commit of the range with its first parent. Test files are compared as
parsed trees (pytest and unittest). The comparison rules (DG901-DG906) apply when the same
commit also changes non-test code, or to every commit held to the strict setting (agent-made
commits by default); DG910/DG911 judge the tests a commit adds. A `Test-Change-Reason:`
trailer acknowledges an intended change to the tests: the comparison rules stay quiet.
"""
from __future__ import annotations

import argparse
import os

from hooks._core.config import Option
from hooks._core.findings import Finding, Rule
from hooks._core.output import LINE_FORMATS
from hooks._core.runner import (
    run_command_hook,
    COMMON_OPTIONS, enabled_codes,
)

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (~3 ms)
if TYPE_CHECKING:
    from typing import Any, Optional, Sequence

HOOK_ID = "check-test-integrity"
DESCRIPTION = "Report tests weakened in the same commit as the code they test, and tests that assert nothing."

RULES = (
    Rule("DG901", "an assertion removed, or a test function, class or parametrize case deleted"),
    Rule("DG902", "an assertion loosened"),
    Rule("DG903", "an expected value rewritten in the same commit as the code producing it"),
    Rule("DG904", "a test newly skipped/xfailed, or renamed so the runner no longer collects it"),
    Rule("DG905", "the unit under test patched out in its own test"),
    Rule("DG906", "a failing assertion swallowed by except AssertionError or a bare/broad except"),
    Rule("DG910", "an added test that asserts nothing"),
    Rule("DG911", "a tautology: an assertion that cannot fail"),
)

OPTIONS: tuple[Option, ...] = (
    # the common `strict` (Python files too new to parse) does not apply: no file is parsed
    # by the running interpreter's grammar alone
    *(option for option in COMMON_OPTIONS if option.name != "strict"),
    Option(
        "strict-commits", str, "agent",
        "commits whose tests are compared even when they change no non-test code: "
        "agent (agent-made commits), all, none",
        ("agent", "all", "none"),
    ),
)

_MESSAGE_NAMES = ("COMMIT_EDITMSG", "MERGE_MSG", "SQUASH_MSG")


def _add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--range", metavar="A..B", help="check the commits of this range (or one commit) instead of the staged changes")
    parser.add_argument("--format", choices=LINE_FORMATS, default="text", help="output format")
    parser.add_argument("files", nargs="*", help="ignored except a commit message file (commit-msg stage): the staged diff is checked")


# --- one change set -------------------------------------------------------------------


def _decode(data: Optional[bytes]) -> Optional[str]:
    if data is None or b"\0" in data[:8000]:
        return None
    from hooks._core.files import Unreadable, decode

    try:
        return decode("x.py", data)
    except Unreadable:
        return None


class _Parsed:
    """Each blob parsed once per process (a test file unchanged across commits is shared)."""

    def __init__(self) -> None:
        self._cache: dict = {}

    def get(self, path: str, data: Optional[bytes]) -> Any:
        if data is None:
            return None
        text = _decode(data)
        return None if text is None else self.text(path, text)

    def text(self, path: str, text: str, real: Optional[str] = None) -> Any:
        from hooks._testint.model import parse_tests

        key = (path, hash(text), len(text))
        if key not in self._cache:
            parsed = parse_tests(path, text)
            if parsed is not None:
                parsed.real_text = real if real is not None else text
            self._cache[key] = parsed
        return self._cache[key]

    def pair(self, old_path: str, old_data: Optional[bytes], new_path: str, new_data: Optional[bytes]) -> tuple:
        """Both versions of a modified test file; a large one is parsed as skeletons (the
        bodies of unchanged tests left out), a skeleton that does not parse as a whole."""
        from hooks._testint.model import skeletons

        old_text, new_text = _decode(old_data), _decode(new_data)
        if old_text is None or new_text is None:
            return (self.text(old_path, old_text) if old_text is not None else None,
                    self.text(new_path, new_text) if new_text is not None else None)
        old_skeleton, new_skeleton = skeletons(old_text, new_text)
        old = self.text(old_path, old_skeleton, old_text)
        new = self.text(new_path, new_skeleton, new_text)
        if (old is None or new is None) and (old_skeleton is not old_text):
            old, new = self.text(old_path, old_text), self.text(new_path, new_text)
        return old, new


def _is_strict(changeset: Any, strict: str, policy: Any, run_active: bool) -> bool:
    if strict == "all":
        return True
    if strict == "none":
        return False
    if run_active:
        return True
    if changeset.commit is None:
        return False
    from hooks._provenance.assess import evidence_of

    return bool(evidence_of(changeset.commit, policy))


def check_changeset(changeset: Any, blobs: dict, parsed: _Parsed, strict: bool) -> list[Finding]:
    from hooks._testint import compare as cmp
    from hooks._testint.model import is_code_file, is_test_file

    tests = [c for c in changeset.changes if is_test_file(c.new_path or c.old_path or "")
             or (c.status == "R" and is_test_file(c.old_path or ""))]
    if not tests:
        return []
    code_changed = any(is_code_file(p) for c in changeset.changes for p in (c.old_path, c.new_path) if p)
    weakening = (code_changed or strict) and not changeset.reason()
    versions = []
    for change in tests:
        old_data = blobs.get(changeset.old_spec(change.old_path)) if change.old_path else None
        new_data = blobs.get(changeset.new_spec(change.new_path)) if change.new_path else None
        if old_data is not None and new_data is not None:
            old, new = parsed.pair(change.old_path, old_data, change.new_path, new_data)
        else:
            old, new = parsed.get(change.old_path, old_data), parsed.get(change.new_path, new_data)
        versions.append((change, old, new))
    elsewhere = cmp.Elsewhere()
    for change, old, new in versions:
        if old is not None:
            kept = new.tests if new is not None else {}
            elsewhere.gone.update(t.name for q, t in old.tests.items() if q not in kept)
        if new is None:
            continue
        elsewhere.texts.append((change.new_path, new.real_text))
        for qual, test in new.tests.items():
            if old is not None and qual in old.tests and old.tests[qual].full != test.full:
                elsewhere.names.update((qual, test.name))  # changed: may have absorbed a moved test
            if old is None or qual not in old.tests:
                elsewhere.names.update((qual, test.name))
                elsewhere.bodies.add(test.body)
                if weakening:
                    elsewhere.keys.update(check.key for check in test.checks)
    findings: list[Finding] = []
    prefix = f"{changeset.label}:" if changeset.label else ""
    for change, old, new in versions:
        if change.new_path is None or not is_test_file(change.new_path):
            findings += _gone(change, old, weakening, elsewhere, changeset, prefix)
            continue
        if new is None:
            continue  # does not parse, or not text: check-nesting and the runner say so
        raws = cmp.compare(old, new, weakening, elsewhere)
        lines = new.text_lines
        for raw in raws:
            line_text = lines[raw.line - 1] if 0 < raw.line <= len(lines) else ""
            finding = Finding(f"{prefix}{change.new_path}", raw.line, raw.col, raw.code, raw.message, HOOK_ID)
            from hooks._core.suppress import is_suppressed

            if not is_suppressed(finding, line_text):
                findings.append(finding)
    return findings


def _gone(change: Any, old: Any, weakening: bool, elsewhere: Any, changeset: Any, prefix: str) -> list[Finding]:
    """A test file deleted, or renamed to a name the runner does not collect."""
    import posixpath

    if old is None or not weakening:
        return []
    collected = [t for t in old.tests.values() if t.collected]
    kept = [t for t in collected if t.body not in elsewhere.bodies and t.qualname not in elsewhere.names]
    if not kept:
        return []
    if change.status == "R" and change.new_path:
        return [Finding(f"{prefix}{change.new_path}", 1, 1, "DG904", f"test file renamed from {change.old_path} to a name the runner does not collect: its {len(collected)} test(s) no longer run; name it test_*.py or *_test.py", HOOK_ID)]
    stem = posixpath.basename(change.old_path)[:-3]
    unit = stem[5:] if stem.startswith("test_") else stem[:-5] if stem.endswith("_test") else stem
    removed_units = {posixpath.basename(c.old_path or "")[:-3] for c in changeset.changes if c.status in ("D", "R") and c.old_path}
    if unit in removed_units:
        return []  # the module it tests went with it
    return [Finding(f"{prefix}{change.old_path}", 1, 1, "DG901", f"test file deleted with {len(kept)} test(s) while the code it tests changes; keep the tests of behaviour that still exists", HOOK_ID)]


# --- entry point ------------------------------------------------------------------------


def _message_file(files: Sequence[str]) -> Optional[str]:
    for name in files:
        if os.path.basename(name) in _MESSAGE_NAMES or not name.endswith(".py"):
            return name
    return None


def _default_policy() -> Any:
    from hooks._provenance.assess import Policy

    return Policy()


def find(args: argparse.Namespace, settings: dict[str, Any]) -> list[Finding]:
    from hooks._provenance import gitdata
    from hooks._provenance import run as agent_run
    from hooks._testint import changes

    root = gitdata.repo_root()
    policy = _default_policy()
    parsed = _Parsed()
    if args.range is not None:
        revs = gitdata.resolve_range(args.range)
        parents = changes.parents_of(revs)
        changesets = [
            changes.of_commit(commit, parents.get(commit.sha, 0) > 0)
            for commit in reversed(gitdata.read_commits(revs)) if not commit.is_merge
        ]
        run_active = False
    else:
        message = _message_file(args.files)
        run_active = agent_run.is_active(root, os.environ)
        commit = gitdata.read_message_file(message, run_active, "") if message else None
        changesets = [changes.staged(commit)]
    return _check_all(changesets, parsed, settings, policy, run_active)


def _check_all(changesets: list, parsed: _Parsed, settings: dict[str, Any], policy: Any, run_active: bool) -> list[Finding]:
    from hooks._testint import changes
    from hooks._testint.model import is_test_file

    requests = []
    for cs in changesets:
        for change in cs.changes:
            if is_test_file(change.new_path or "") or is_test_file(change.old_path or ""):
                if change.old_path and cs.old_rev:
                    requests.append((cs.old_rev, change.old_path))
                if change.new_path:
                    requests.append((cs.new_rev, change.new_path))
    blobs = changes.fetch(requests)
    findings: list[Finding] = []
    for cs in changesets:
        strict = _is_strict(cs, settings["strict_commits"], policy, run_active)
        findings += sorted(check_changeset(cs, blobs, parsed, strict), key=Finding.sort_key)
    codes = enabled_codes(RULES, settings)
    from hooks._core.runner import is_excluded

    return [f for f in findings if f.code in codes and not is_excluded(f.path.split(":", 1)[-1] if ":" in f.path else f.path, settings["exclude"])]


def main(argv: Sequence[str] | None = None) -> int:
    return run_command_hook(HOOK_ID, DESCRIPTION, OPTIONS, argv, _add_arguments, find)


if __name__ == "__main__":
    raise SystemExit(main())
