"""The planted set for check-test-integrity (part 1) and verify-tests (part 2).

A scratch repository holds a small package and its tests. Each planted commit starts from that
base, changes the package (so the commit "changes code") and weakens a test in one known way;
part 1 must flag it with the planted rule. Each part-2 commit changes the package and adds or
changes a test that passes without the change; verify-tests must report DG940. Control
commits (a test that needs the change; a refactor that keeps every assertion) must stay quiet.

    python benchmarks/bench_test_integrity.py recall
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

CODE = '''\
import json


def total(items):
    return sum(items)


def label(n):
    return f"n={n}"


def parse(text):
    if not text:
        raise ValueError("empty input")
    return json.loads(text)


def ratio(a, b):
    return a / b


def notify(sender, message):
    sender.send(message.upper())
    return True


def load_user(db, user_id):
    return db.get(user_id)
'''

CODE_CHANGED = CODE.replace("return sum(items)", "return sum(items) + 0").replace('return f"n={n}"', 'return "n=" + str(n)')

TESTS = '''\
import unittest
from unittest import mock

import pytest

from pkg.core import label, load_user, notify, parse, ratio, total


def test_total():
    assert total([1, 2]) == 3
    assert total([]) == 0


def test_label():
    assert label(3) == "n=3"


def test_parse():
    assert parse('{"a": 1}') == {"a": 1}


def test_parse_empty():
    with pytest.raises(ValueError, match="empty input"):
        parse("")


def test_ratio():
    assert ratio(1, 3) == 0.3333333333333333


def test_ratio_approx():
    assert ratio(2, 3) == pytest.approx(0.6667, abs=1e-4)


def test_notify():
    sender = mock.Mock()
    assert notify(sender, "hi") is True
    sender.send.assert_called_once_with("HI")


def test_load_user():
    db = {1: "ann"}
    assert load_user(db, 1) == "ann"
    assert load_user(db, 2) is None


@pytest.mark.parametrize("items,expected", [([1], 1), ([1, 2], 3), ([], 0), ([-1, 1], 0)])
def test_total_cases(items, expected):
    assert total(items) == expected


class TestLabel:
    def test_zero(self):
        assert label(0) == "n=0"

    def test_negative(self):
        assert label(-1) == "n=-1"


class CoreTests(unittest.TestCase):
    def test_total(self):
        self.assertEqual(total([2, 2]), 4)
        self.assertIsNone(load_user({}, 1))

    def test_parse_raises(self):
        with self.assertRaises(ValueError):
            parse("")

    def test_label(self):
        self.assertEqual(label(5), "n=5")
'''


def r(old: str, new: str) -> str:
    assert old in TESTS, old
    return TESTS.replace(old, new, 1)


def add(text: str) -> str:
    return TESTS + "\n\n" + text


# (name, planted rule, the commit's test file)
PART1 = [
    # DG901 removed / deleted
    ("remove-one-assert", "DG901", r("    assert total([]) == 0\n", "")),
    ("remove-is-none", "DG901", r("    assert load_user(db, 2) is None\n", "")),
    ("remove-mock-assert", "DG901", r('    sender.send.assert_called_once_with("HI")\n', "")),
    ("remove-unittest-assert", "DG901", r("        self.assertIsNone(load_user({}, 1))\n", "")),
    ("assert-to-call", "DG901", r('    assert label(3) == "n=3"\n', "    label(3)\n")),
    ("delete-function", "DG901", r('def test_label():\n    assert label(3) == "n=3"\n\n\n', "")),
    ("delete-method", "DG901", r('    def test_negative(self):\n        assert label(-1) == "n=-1"\n', "    pass\n")),
    ("delete-class", "DG901", r('class TestLabel:\n    def test_zero(self):\n        assert label(0) == "n=0"\n\n    def test_negative(self):\n        assert label(-1) == "n=-1"\n\n\n', "")),
    ("delete-case", "DG901", r("([1], 1), ([1, 2], 3), ([], 0), ([-1, 1], 0)", "([1], 1), ([1, 2], 3), ([], 0)")),
    ("delete-raises-block", "DG901", r('    with pytest.raises(ValueError, match="empty input"):\n        parse("")\n', '    parse("x") if False else None\n')),
    # DG902 loosened
    ("eq-to-ge", "DG902", r("assert total([1, 2]) == 3", "assert total([1, 2]) >= 3")),
    ("eq-to-in", "DG902", r('assert label(3) == "n=3"', 'assert "3" in label(3)')),
    ("eq-to-is-not-none", "DG902", r('assert parse(\'{"a": 1}\') == {"a": 1}', "assert parse('{\"a\": 1}') is not None")),
    ("eq-to-truthy", "DG902", r('assert parse(\'{"a": 1}\') == {"a": 1}', "assert parse('{\"a\": 1}')")),
    ("is-none-to-falsy-ne", "DG902", r("    assert load_user(db, 2) is None\n", "    assert load_user(db, 2) != 'bob'\n")),
    ("exact-to-approx", "DG902", r("assert ratio(1, 3) == 0.3333333333333333", "assert ratio(1, 3) == pytest.approx(0.3333333333333333, rel=0.1)")),
    ("wider-tolerance", "DG902", r("pytest.approx(0.6667, abs=1e-4)", "pytest.approx(0.6667, abs=0.1)")),
    ("expected-any", "DG902", r('assert label(3) == "n=3"', "assert label(3) == mock.ANY")),
    ("once-with-to-called", "DG902", r('sender.send.assert_called_once_with("HI")', "sender.send.assert_called()")),
    ("raises-to-exception", "DG902", r("pytest.raises(ValueError, match=", "pytest.raises(Exception, match=")),
    ("raises-match-dropped", "DG902", r('pytest.raises(ValueError, match="empty input")', "pytest.raises(ValueError)")),
    ("unittest-equal-to-true", "DG902", r("self.assertEqual(total([2, 2]), 4)", "self.assertTrue(total([2, 2]))")),
    ("unittest-raises-broader", "DG902", r("self.assertRaises(ValueError)", "self.assertRaises(Exception)")),
    # DG903 expected rewritten
    ("int-rewritten", "DG903", r("assert total([1, 2]) == 3", "assert total([1, 2]) == 4")),
    ("str-rewritten", "DG903", r('assert label(3) == "n=3"', 'assert label(3) == "n:3"')),
    ("dict-rewritten", "DG903", r('== {"a": 1}', '== {"a": 2}')),
    ("case-rewritten", "DG903", r("([1, 2], 3)", "([1, 2], 4)")),
    ("unittest-rewritten", "DG903", r('self.assertEqual(label(5), "n=5")', 'self.assertEqual(label(5), "n = 5")')),
    ("method-rewritten", "DG903", r('assert label(0) == "n=0"', 'assert label(0) == "0"')),
    # DG904 skipped / uncollected
    ("skip", "DG904", r("def test_label():", "@pytest.mark.skip(reason='wip')\ndef test_label():")),
    ("skipif", "DG904", r("def test_ratio():", "@pytest.mark.skipif(True, reason='x')\ndef test_ratio():")),
    ("xfail", "DG904", r("def test_parse():", "@pytest.mark.xfail(strict=False)\ndef test_parse():")),
    ("skip-call", "DG904", r("def test_total():\n", "def test_total():\n    pytest.skip('later')\n")),
    ("unittest-skip", "DG904", r("    def test_label(self):", "    @unittest.skip('later')\n    def test_label(self):")),
    ("skiptest-call", "DG904", r("    def test_label(self):\n", "    def test_label(self):\n        self.skipTest('later')\n")),
    ("rename-underscore", "DG904", r("def test_parse_empty():", "def _test_parse_empty():")),
    ("rename-class", "DG904", r("class TestLabel:", "class LabelChecks:")),
    # DG905 unit mocked
    ("patch-decorator", "DG905", add('@mock.patch("pkg.core.total", return_value=3)\ndef test_total_patched(fake):\n    from pkg import core\n    assert core.total([1, 2]) == 3\n')),
    ("patch-with", "DG905", add('def test_label_patched():\n    with mock.patch("pkg.core.label", return_value="n=3"):\n        from pkg import core\n        assert core.label(3) == "n=3"\n')),
    ("patch-object", "DG905", add('def test_parse_patched():\n    from pkg import core\n    with mock.patch.object(core, "parse", return_value={}):\n        assert core.parse("x") == {}\n')),
    ("patch-in-changed", "DG905", r("def test_ratio():\n    assert ratio(1, 3)", 'def test_ratio():\n    from pkg import core\n    mock.patch("pkg.core.ratio", return_value=0.3333333333333333).start()\n    assert core.ratio(1, 3)')),
    # DG906 swallowed
    ("except-assertion", "DG906", r('    assert label(3) == "n=3"\n', '    try:\n        assert label(3) == "n=3"\n    except AssertionError:\n        pass\n')),
    ("bare-except", "DG906", r("    assert total([1, 2]) == 3\n", "    try:\n        assert total([1, 2]) == 3\n    except:\n        pass\n")),
    ("except-exception", "DG906", r('    assert parse(\'{"a": 1}\') == {"a": 1}\n', '    try:\n        assert parse(\'{"a": 1}\') == {"a": 1}\n    except Exception:\n        print("ignored")\n')),
    ("unittest-except", "DG906", r('        self.assertEqual(label(5), "n=5")\n', '        try:\n            self.assertEqual(label(5), "n=5")\n        except AssertionError:\n            pass\n')),
    # DG910 no assertion
    ("new-smoke", "DG910", add("def test_total_runs():\n    total([1, 2, 3])\n")),
    ("new-pass", "DG910", add("def test_todo():\n    pass\n")),
    ("new-print", "DG910", add("def test_label_prints():\n    print(label(1))\n")),
    ("new-method", "DG910", add("class TestMore:\n    def test_runs(self):\n        ratio(1, 2)\n")),
    # DG911 tautology
    ("assert-true", "DG911", add("def test_ok():\n    total([1])\n    assert True\n")),
    ("assert-same", "DG911", add("def test_same():\n    value = total([1])\n    assert value == value\n")),
    ("assert-tuple", "DG911", add('def test_tuple():\n    assert (total([1]) == 1, "total")\n')),
    ("assert-constants", "DG911", add("def test_const():\n    total([1])\n    assert 1 == 1\n")),
    ("unittest-true", "DG911", add("class MoreTests(unittest.TestCase):\n    def test_t(self):\n        total([1])\n        self.assertTrue(True)\n")),
]

# part 2: commits whose new or changed test passes on the parent (code changed alongside)
PART2 = [
    ("new-test-of-old-behaviour", add("def test_total_single():\n    assert total([5]) == 5\n")),
    ("new-label-test", add('def test_label_big():\n    assert label(100) == "n=100"\n')),
    ("changed-to-other-old-case", r("assert total([1, 2]) == 3", "assert total([2, 2]) == 4")),
    ("new-class-test", add("class TestTotals:\n    def test_two(self):\n        assert total([1, 1]) == 2\n")),
    ("new-parametrized", add("@pytest.mark.parametrize('n', [1, 2, 3])\ndef test_label_many(n):\n    assert label(n) == f'n={n}'\n")),
    ("new-unittest", add("class MoreCoreTests(unittest.TestCase):\n    def test_ratio(self):\n        self.assertEqual(ratio(4, 2), 2)\n")),
    ("new-raises", add("def test_parse_bad():\n    with pytest.raises(ValueError):\n        parse('{')\n")),
    ("new-mock", add("def test_notify_twice():\n    sender = mock.Mock()\n    notify(sender, 'a')\n    sender.send.assert_called_once_with('A')\n")),
    ("weakened-and-passing", r('assert label(3) == "n=3"', 'assert "3" in label(3)')),
    ("new-none", add("def test_missing_user():\n    assert load_user({}, 9) is None\n")),
]
# controls: tests that need the change (part 2 must stay quiet)
CODE_NEW_FEATURE = CODE_CHANGED + '\n\ndef double(items):\n    return 2 * total(items)\n'
PART2_CONTROLS = [
    ("needs-new-function", add("def test_double():\n    from pkg.core import double\n    assert double([1, 2]) == 6\n")),
    ("needs-new-module-import", add("from pkg.core import double\n\n\ndef test_double_empty():\n    assert double([]) == 0\n")),
]


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True).stdout


def build(where: Path) -> tuple[Path, str, dict, dict, dict]:
    if where.exists():
        shutil.rmtree(where)
    where.mkdir(parents=True)
    git(where, "init", "-q", "-b", "main")
    git(where, "config", "user.name", "Planter")
    git(where, "config", "user.email", "planter@example.invalid")
    git(where, "config", "commit.gpgsign", "false")
    (where / "pkg").mkdir()
    (where / "tests").mkdir()
    (where / "pkg" / "__init__.py").write_text("")
    (where / "pkg" / "core.py").write_text(CODE)
    (where / "tests" / "test_core.py").write_text(TESTS)
    git(where, "add", "-A")
    git(where, "commit", "-q", "-m", "base")
    base = git(where, "rev-parse", "HEAD").strip()

    def plant(tests: str, code: str, message: str) -> str:
        git(where, "checkout", "-q", "--detach", base)
        (where / "pkg" / "core.py").write_text(code)
        (where / "tests" / "test_core.py").write_text(tests)
        git(where, "commit", "-q", "-am", message)
        return git(where, "rev-parse", "HEAD").strip()

    part1 = {plant(tests, CODE_CHANGED, name): (name, rule) for name, rule, tests in PART1}
    part2 = {plant(tests, CODE_CHANGED, name): name for name, tests in PART2}
    controls = {plant(tests, CODE_NEW_FEATURE, name): name for name, tests in PART2_CONTROLS}
    return where, base, part1, part2, controls


def main(where: Path) -> int:
    here = Path(__file__).resolve().parents[1]
    sys.path.insert(0, str(here))
    from hooks import check_test_integrity as hook
    from hooks import verify_tests as verify
    from hooks._core.runner import load_settings
    from hooks._provenance import gitdata
    from hooks._testint import changes

    repo, base, part1, part2, controls = build(where)
    old = os.getcwd()
    os.chdir(repo)
    try:
        settings = load_settings(hook.HOOK_ID, hook.OPTIONS, None, str(here / "benchmarks"))
        caught, missed, extra = 0, [], []
        by_rule: dict = {}
        for sha, (name, rule) in part1.items():
            commit = gitdata.read_commits([sha, "-n", "1"])[0]
            found = hook._check_all([changes.of_commit(commit, True)], hook._Parsed(), settings, hook._default_policy(), False)
            codes = sorted({f.code for f in found})
            hit = rule in codes
            caught += hit
            by_rule.setdefault(rule, [0, 0])
            by_rule[rule][0] += hit
            by_rule[rule][1] += 1
            if not hit:
                missed.append(f"{name} ({rule}): got {codes}")
            if set(codes) - {rule}:
                extra.append(f"{name} ({rule}): also {sorted(set(codes) - {rule})}")
        print(f"part 1: {caught}/{len(part1)} planted weakenings caught ({100 * caught / len(part1):.0f}%)")
        for rule, (hit, total) in sorted(by_rule.items()):
            print(f"  {rule}: {hit}/{total}")
        for line in missed:
            print(f"  missed: {line}")
        for line in extra:
            print(f"  other codes: {line}")
        verify_settings = load_settings(verify.HOOK_ID, verify.OPTIONS, None, str(here / "benchmarks"))
        verify_settings["python"] = sys.executable
        import argparse

        hits, quiet = 0, 0
        import time

        started = time.perf_counter()
        for sha, name in part2.items():
            args = argparse.Namespace(range=sha, python=sys.executable)
            found = verify.find(args, verify_settings)
            ok = any(f.code == "DG940" for f in found)
            hits += ok
            if not ok:
                print(f"  part 2 missed: {name}: {[f.code for f in found]}")
        for sha, name in controls.items():
            args = argparse.Namespace(range=sha, python=sys.executable)
            found = verify.find(args, verify_settings)
            quiet += not found
            if found:
                print(f"  part 2 control not quiet: {name}: {[f.message for f in found]}")
        per_commit = (time.perf_counter() - started) / (len(part2) + len(controls))
        print(f"part 2: {hits}/{len(part2)} planted 'passes without the change' commits caught "
              f"({100 * hits / len(part2):.0f}%); controls quiet: {quiet}/{len(controls)}; "
              f"{per_commit:.2f} s per verified commit (worktree + pytest run)")
    finally:
        os.chdir(old)
    return 0
