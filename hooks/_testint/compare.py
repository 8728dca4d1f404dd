"""Compare a test file with its parent version and say how its tests were weakened.

`compare` is pure: two parsed models in, (line, col, code, message) out. The comparison
rules (DG901-DG906) only run when `weakening` is on (the commit also changes non-test code,
or the commit is held to the strict setting); DG910/DG911 judge added tests on their own.
"""
from __future__ import annotations

from hooks._core.record import dataclass, field

from hooks._testint.model import (
    BROAD_EXCEPTIONS, EXACT_KINDS, LOOSE_KINDS, MOCK_STRENGTH, Check, Test, TestFile,
)

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (~3 ms)
if TYPE_CHECKING:
    from typing import Optional

# code -> one-line summary (the README's rule-code table says the same)
RULES = {
    "DG901": "an assertion removed from a test, or a test function, class or parametrize case deleted",
    "DG902": "an assertion loosened: == to in/>=/is not None/truthiness, exact to approx or ANY, "
    "assert_called_once_with to assert_called, pytest.raises to a broader class or without match=",
    "DG903": "an expected value rewritten in the same commit as the code that produces it",
    "DG904": "a test newly skipped or xfailed, or renamed so the runner no longer collects it",
    "DG905": "the unit under test patched out in its own test",
    "DG906": "a failure swallowed: except AssertionError, or a bare/broad except around assertions",
    "DG910": "an added test that asserts nothing",
    "DG911": "a tautology: an assertion that cannot fail",
}
COMPARISON_CODES = ("DG901", "DG902", "DG903", "DG904", "DG905", "DG906")


@dataclass(frozen=True)
class Raw:
    line: int
    col: int
    code: str
    message: str


@dataclass
class Elsewhere:
    """Tests of the commit's other test files: a test moved there is not deleted."""

    names: set = field(default_factory=set)
    bodies: set = field(default_factory=set)
    keys: set = field(default_factory=set)  # check keys of the tests added anywhere in the commit
    gone: set = field(default_factory=set)  # names of tests that left some file of the commit
    texts: list = field(default_factory=list)  # (path, new text) of the commit's test files


def _short(text: str) -> str:
    return f"`{text}`"


# --- loosening ----------------------------------------------------------------------


def _approx_width(check: Check) -> Optional[float]:
    """The tolerance of an approx check (pytest.approx default rel 1e-6), None when exact."""
    extra = check.extra
    if check.kind == "approx":
        if "delta" in extra:
            return abs(float(extra["delta"]))
        return 10.0 ** -float(extra.get("places", "7"))
    if "approx" not in extra:
        return None
    widths = [abs(float(extra[key])) for key in ("rel", "abs") if key in extra]
    return max(widths) if widths else 1e-6


def loosening(old: Check, new: Check) -> Optional[str]:
    """How `new` asserts less than `old` about the same subject, or None."""
    if old.kind == "mock" and new.kind == "mock":
        before, after = MOCK_STRENGTH.get(old.extra.get("method", ""), 0), MOCK_STRENGTH.get(new.extra.get("method", ""), 0)
        if after and before > after:
            return f"`{old.extra['method']}` became `{new.extra['method']}`"
        return None
    if old.kind in ("raises", "warns") and new.kind == old.kind:
        old_name, new_name = old.extra.get("excname", ""), new.extra.get("excname", "")
        if old_name and new_name and old_name != new_name and new_name.rsplit(".", 1)[-1] in BROAD_EXCEPTIONS:
            return f"expects `{new_name}` instead of `{old_name}`"
        if "match" in old.extra and "match" not in new.extra and old.extra.get("exc") == new.extra.get("exc"):
            return "no longer checks the message (`match=` dropped)"
        return None
    if old.kind in ("raises", "warns") or new.kind in ("raises", "warns", "mock", "other"):
        return None
    old_width, new_width = _approx_width(old), _approx_width(new)
    if old.kind in EXACT_KINDS and new.kind in LOOSE_KINDS:
        return f"`{old.source}` became `{new.source}`"
    if old.kind == "eq" and new.kind in ("eq", "approx"):
        if new.extra.get("any") and not old.extra.get("any"):
            return f"the expected value became `ANY`: `{new.source}`"
        if old_width is None and new_width is not None and old.expected == new.expected:
            return f"exact comparison became approximate: `{new.source}`"
    if old_width is not None and new_width is not None and new_width > old_width and old.expected == new.expected:
        return f"tolerance widened from {old_width:g} to {new_width:g}: `{new.source}`"
    return None


def _rewritten(old: Check, new: Check) -> bool:
    return (
        old.kind == new.kind and old.kind in ("eq", "is", "ne", "in", "approx", "cmp")
        and old.expected_literal and new.expected_literal and old.expected != new.expected
        and old.extra.get("op") == new.extra.get("op")
    )


# --- one test -------------------------------------------------------------------------


_QUOTED = __import__("re").compile(r"""("[^"\\]{4,}"|'[^'\\]{4,}')""")


def _literal_elsewhere(check: Check, path: str, elsewhere: Elsewhere) -> bool:
    """A string the assertion checks for appears in another test file of the commit: the
    assertion moved there, perhaps rewritten."""
    literals = [m[1:-1] for m in _QUOTED.findall(check.source) if not m.endswith("...")]
    return bool(literals) and any(
        other != path and all(lit in text for lit in literals) for other, text in elsewhere.texts
    )


def _closest(candidates: list, check: Check) -> Optional[Check]:
    """The candidate whose expected value reads most like `check`'s (several assertions on
    one value are paired by content, not by order)."""
    if len(candidates) <= 1:
        return candidates[0] if candidates else None
    import difflib

    def score(candidate: Check) -> float:
        kind_bonus = 0.5 if candidate.kind == check.kind else 0.0
        return kind_bonus + difflib.SequenceMatcher(None, check.expected_source, candidate.expected_source).ratio()

    return max(candidates, key=score)


_INVERSE = frozenset({
    ("falsy", "truthy"), ("truthy", "falsy"), ("none", "notnone"), ("notnone", "none"),
    ("eq", "ne"), ("ne", "eq"), ("in", "notin"), ("notin", "in"), ("is", "isnot"), ("isnot", "is"),
})


def _pair_checks(old: Test, new: Test, new_file: TestFile, weakening: bool, elsewhere: Elsewhere) -> list[Raw]:
    found: list[Raw] = []
    remaining_new = list(new.checks)
    unmatched_old: list[Check] = []
    for check in old.checks:
        for index, candidate in enumerate(remaining_new):
            if candidate.key == check.key:
                del remaining_new[index]
                break
        else:
            unmatched_old.append(check)
    still_old: list[Check] = []
    for check in unmatched_old:
        partner = _closest([c for c in remaining_new if c.subject == check.subject and check.subject], check)
        if partner is None and check.kind in ("raises", "warns", "mock"):
            partner = next((c for c in remaining_new if c.kind == check.kind), None)
        if partner is None:
            still_old.append(check)
            continue
        remaining_new.remove(partner)
        if (check.kind, partner.kind) in _INVERSE and check.expected == partner.expected:
            if weakening:
                found.append(Raw(
                    partner.line, partner.col, "DG903",
                    f"expectation of `{new.qualname}` inverted with the code it checks: `{check.source}` -> "
                    f"`{partner.source}`; if the behaviour change is intended, say why in a Test-Change-Reason trailer",
                ))
            continue
        how = loosening(check, partner)
        if how and weakening:
            found.append(Raw(partner.line, partner.col, "DG902", f"assertion loosened in `{new.qualname}`: {how} (was line {check.line})"))
        elif _rewritten(check, partner) and weakening:
            found.append(Raw(
                partner.line, partner.col, "DG903",
                f"expected value of `{new.qualname}` rewritten with the code it checks: "
                f"{check.expected_source} -> {partner.expected_source}; if the behaviour change "
                "is intended, say why in a Test-Change-Reason trailer",
            ))
    # an assertion whose subject changed (a renamed variable) is rewritten, not removed
    lost = [c for c in still_old if c.key not in new_file.check_keys and c.key not in elsewhere.keys
            and not _literal_elsewhere(c, new_file.path, elsewhere)
            and not (c.source and not c.source.endswith("...") and c.source in new_file.real_text)]
    excess = len(lost) - len(remaining_new)
    helper_added = new.may_assert and not old.may_assert  # the assertions may have moved into it
    if excess > 0 and weakening and not helper_added:
        shown = ", ".join(_short(c.source) for c in lost[:3]) + (" ..." if len(lost) > 3 else "")
        found.append(Raw(
            new.line, new.col, "DG901",
            f"{excess} assertion(s) removed from `{new.qualname}` ({len(old.checks)} -> "
            f"{len(new.checks)}): {shown}; restore them or say why in a Test-Change-Reason trailer",
        ))
    return found


def _params(old: Test, new: Test, weakening: bool) -> list[Raw]:
    found: list[Raw] = []
    new_by_names = {names: cases for names, cases in new.params}
    for names, old_cases in old.params:
        new_cases = new_by_names.get(names)
        if new_cases is None:
            continue
        new_dumps = [dump for dump, *_ in new_cases]
        missing = [case for case in old_cases if case[0] not in new_dumps]
        if len(new_cases) < len(old_cases) and missing:  # a duplicate case removed is no loss
            shown = ", ".join(_short(source) for _, source, _, _ in missing[:3])
            found.append(Raw(
                new.line, new.col, "DG901",
                f"{len(missing)} parametrize case(s) of `{new.qualname}` deleted: {shown}",
            ))
        elif len(new_cases) == len(old_cases):
            found += _rewritten_cases(names, old_cases, new_cases, new)
    return found if weakening else []


_EXPECTED_NAMES = ("expected", "expect", "want", "result", "output", "out", "answer")


def _rewritten_cases(names: tuple, old_cases: list, new_cases: list, new: Test) -> list[Raw]:
    """A case whose only changed values are expected-output literals (the same inputs)."""
    import ast

    found = []
    for (old_dump, _, _, old_node), (new_dump, _, line, new_node) in zip(old_cases, new_cases):
        if old_dump == new_dump:
            continue
        old_items = _case_items(old_node)
        new_items = _case_items(new_node)
        if old_items is None or new_items is None or len(old_items) != len(new_items) or len(old_items) != len(names):
            continue
        changed = [i for i, (a, b) in enumerate(zip(old_items, new_items)) if ast.dump(a) != ast.dump(b)]
        if changed and all(names[i].lower().startswith(_EXPECTED_NAMES) for i in changed):
            i = changed[0]
            old_text, new_text = ast.unparse(old_items[i]), ast.unparse(new_items[i])
            found.append(Raw(
                line, 1, "DG903",
                f"expected value `{names[i]}` of a `{new.qualname}` case rewritten with the code it "
                f"checks: {old_text} -> {new_text}; if the behaviour change is intended, say why in "
                "a Test-Change-Reason trailer",
            ))
    return found


def _case_items(node: object) -> Optional[list]:
    import ast

    if isinstance(node, ast.Call) and node.func and getattr(node.func, "attr", "") == "param":
        return list(node.args)
    if isinstance(node, (ast.Tuple, ast.List)):
        return list(node.elts)
    return None


def _skips(old: Test, new: Test) -> list[Raw]:
    added = sorted(new.marks - old.marks)
    found = []
    if added:
        marks = ", ".join(mark.replace("module:", "module-level ") for mark in added)
        found.append(Raw(new.line, new.col, "DG904", f"`{new.qualname}` newly marked {marks}; fix the code or the test instead of skipping it"))
    if new.skip_calls > old.skip_calls:
        found.append(Raw(new.line, new.col, "DG904", f"`{new.qualname}` now skips itself in its body (pytest.skip / skipTest)"))
    if old.collected and not new.collected:
        found.append(Raw(new.line, new.col, "DG904", f"`{new.qualname}` is no longer collected by the runner (its class is not a test class any more, or `__test__ = False`)"))
    return found


def mocked_unit(test: Test) -> list[Raw]:
    """patch("pkg.mod.func") in a test named for func that then calls func: it tests the mock."""
    found = []
    stem = test.name[4:].strip("_").lower() if test.name.startswith("test") else test.name.lower()
    for target, line, col in test.patches:
        leaf = target.rsplit(".", 1)[-1]
        if len(leaf) < 3 or leaf.startswith("_") and len(leaf) < 5:
            continue
        if leaf.lower() in stem and leaf in test.calls and _names_unit(stem, leaf.lower()):
            found.append(Raw(line, col, "DG905", f"`{test.qualname}` patches `{target}`, the unit it is named for and calls: it tests the mock; patch what `{leaf}` depends on instead"))
    return found


def _names_unit(stem: str, leaf: str) -> bool:
    """The test's name starts with the unit's name or names it as a whole word."""
    words = stem.split("_")
    leaf_words = leaf.split("_")
    for start in range(len(words) - len(leaf_words) + 1):
        if words[start : start + len(leaf_words)] == leaf_words:
            return True
    return False


def _new_items(old_items: list, new_items: list) -> list:
    remaining = [item[2] for item in old_items]
    fresh = []
    for item in new_items:
        if item[2] in remaining:
            remaining.remove(item[2])
        else:
            fresh.append(item)
    return fresh


def tautologies(test: Test, old: Optional[Test]) -> list[Raw]:
    old_keys = {c.key for c in old.checks} if old else set()
    found = []
    for check in test.checks:
        if check.key in old_keys:
            continue
        why = check.tautology
        if why:
            found.append(Raw(check.line, check.col, "DG911", f"`{check.source}` in `{test.qualname}` cannot fail ({why}); assert on what the code returned"))
    return found


def no_assertion(test: Test) -> list[Raw]:
    if test.checks or test.may_assert or test.marks or test.skip_calls:
        return []
    return [Raw(test.line, test.col, "DG910", f"added test `{test.qualname}` asserts nothing: it fails only if the code raises; assert on what it returns or does")]


def _swallows(old: Optional[Test], new: Test) -> list[Raw]:
    fresh = _new_items(old.swallows if old else [], new.swallows)
    return [Raw(line, col, "DG906", f"{what} in `{new.qualname}` swallows a failing assertion: the test cannot fail; let it propagate") for line, col, what in fresh]


# --- one file -------------------------------------------------------------------------


def compare(old: Optional[TestFile], new: TestFile, weakening: bool, elsewhere: Elsewhere) -> list[Raw]:
    """Findings for `new` against its parent version `old` (None: the file is new)."""
    found: list[Raw] = []
    old_tests = old.tests if old else {}
    renames = _renames(old_tests, new.tests)
    for qual, test in new.tests.items():
        before = old_tests.get(qual) or renames.get(qual)
        if before is None:
            if test.name in elsewhere.gone and not (old and test.name in {t.name for t in old.tests.values()}):
                continue  # moved here from another test file of the commit: not a new test
            found += no_assertion(test) if test.collected else []
            found += tautologies(test, None)
            if weakening:
                found += mocked_unit(test) + _swallows(None, test)
            continue
        if before.full == test.full and before.marks == test.marks and before.collected == test.collected:
            continue
        found += tautologies(test, before)
        if not weakening:
            continue
        found += _pair_checks(before, test, new, weakening, elsewhere)
        found += _params(before, test, weakening)
        found += _skips(before, test)
        if not before.patches or set(p[0] for p in test.patches) - set(p[0] for p in before.patches):
            old_targets = {p[0] for p in before.patches}
            found += [raw for raw in mocked_unit(test) if not any(t in raw.message for t in old_targets)]
        found += _swallows(before, test)
    if old is not None and weakening:
        found += _deleted(old, new, elsewhere, {t.qualname for t in renames.values()})
    return found


def _renames(old_tests: dict, new_tests: dict) -> dict:
    """new qualname -> the old test it renames: the same body, or (in the same class) a body
    that is mostly the same lines."""
    import difflib

    gone = [t for q, t in old_tests.items() if q not in new_tests]
    added = [t for q, t in new_tests.items() if q not in old_tests]
    if not gone or not added:
        return {}
    pairs: dict = {}
    by_body = {t.body: t for t in gone}
    for test in added:
        match = by_body.get(test.body)
        if match is not None and match.qualname not in {p.qualname for p in pairs.values()}:
            pairs[test.qualname] = match
    if len(gone) * len(added) > 400:
        return pairs  # a mass rewrite: only exact renames
    taken = {p.qualname for p in pairs.values()}
    for test in added:
        if test.qualname in pairs:
            continue
        best, best_ratio = None, 0.6
        for candidate in gone:
            if candidate.qualname in taken or candidate.class_name != test.class_name:
                continue
            ratio = difflib.SequenceMatcher(None, candidate.body.splitlines(), test.body.splitlines()).ratio()
            if difflib.SequenceMatcher(None, candidate.name, test.name).ratio() >= 0.75:
                ratio += 0.3  # test_it_does_x -> test_it_does_not_x: the same test, edited
            if ratio > best_ratio:
                best, best_ratio = candidate, ratio
        if best is not None:
            pairs[test.qualname] = best
            taken.add(best.qualname)
    return pairs


def _deleted(old: TestFile, new: TestFile, elsewhere: Elsewhere, renamed: set) -> list[Raw]:
    found: list[Raw] = []
    new_bodies = {test.body: test for test in new.tests.values()}
    gone_by_class: dict = {}
    for qual, test in old.tests.items():
        if qual in new.tests or not test.collected or qual in renamed:
            continue
        if test.body in new_bodies:
            continue  # renamed, still collected: a refactor
        if test.body in elsewhere.bodies or test.qualname in elsewhere.names or test.name in elsewhere.names:
            continue  # moved to another test file of the same commit
        uncollected = _uncollected_rename(test, new)
        if uncollected:
            found.append(uncollected)
            continue
        if test.checks and all(c.key in new.check_keys or c.key in elsewhere.keys for c in test.checks):
            continue  # its assertions live on in another test: merged or moved
        gone_by_class.setdefault(test.class_name, []).append(test)
    for class_name, tests in sorted(gone_by_class.items()):
        if class_name and class_name not in new.class_lines:
            line = 1
            found.append(Raw(line, 1, "DG901", f"test class `{class_name}` deleted with {len(tests)} test(s) (was line {old.class_lines.get(class_name, tests[0].line)}); keep the tests of behaviour that still exists"))
            continue
        line = new.class_lines.get(class_name, 1) if class_name else 1
        names = ", ".join(f"`{t.qualname}`" for t in tests[:4]) + (" ..." if len(tests) > 4 else "")
        found.append(Raw(line, 1, "DG901", f"{len(tests)} test(s) deleted: {names} (was line {tests[0].line}); keep the tests of behaviour that still exists"))
    return found


def _uncollected_rename(test: Test, new: TestFile) -> Optional[Raw]:
    """The same body under a name the runner does not collect (`_test_x`, `xtest_x`), or in
    a class that is no longer a test class."""
    from hooks._testint.model import body_text

    collected = {id(t.node) for t in new.tests.values() if t.collected}
    for node in new.functions():
        name = node.name  # type: ignore[attr-defined]
        if id(node) in collected or "test" not in name.lower():
            continue
        if body_text(new.text_lines, node) == test.body:
            where = f"renamed to `{name}`, which" if name != test.name else f"moved to a class (line {node.lineno}) that"  # type: ignore[attr-defined]
            return Raw(node.lineno, node.col_offset + 1, "DG904", f"`{test.qualname}` {where} the runner does not collect: the test no longer runs")  # type: ignore[attr-defined]
    return None
