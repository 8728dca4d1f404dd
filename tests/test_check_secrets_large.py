"""check-secrets on large files (issue 15): memory stays one file's, line numbers stay right
without a table of every line, allowlist pragmas still work on megabyte lines, and the cheap
prefilter knows every place a detector's match can start. Speed itself is measured by
benchmarks/bench_secrets_large.py, not here."""
from __future__ import annotations

import random

import _secrets_support as fakes
from conftest import write_files

from hooks._core.runner import CheckRun
from hooks.check_secrets import HOOK, PREFILTER_ANCHORS, PREFILTER_LOWER_ANCHORS, check, main


def token(seed: int) -> str:
    return fakes.github_classic("p")(random.Random(seed))


def test_a_run_keeps_the_lines_of_findings_not_whole_files(tmp_path, monkeypatch):
    blob = "".join(f'"k{i}": "{fakes.rand(random.Random(i), 40)}",\n' for i in range(20000))
    write_files(tmp_path, {
        "dump.json": blob + f'"t": "{token(1)}"\n' + blob,
        "clean.json": blob,
    })
    monkeypatch.chdir(tmp_path)
    run = CheckRun("check-secrets", ["dump.json", "clean.json"], {"baseline": ".secrets.baseline", "allow_files": []})
    findings = list(check(run))
    assert [(f.path, f.line, f.code) for f in findings] == [("dump.json", 20001, "DG303")]
    kept = run.sources._files  # what the run holds on to for suppression lookups
    assert set(kept) == {"dump.json"}
    assert kept["dump.json"].text == ""  # not the 2 MB text
    assert kept["dump.json"].line(20001) == f'"t": "{token(1)}"'


def test_line_numbers_break_only_where_python_and_git_do(tmp_path, monkeypatch, capsys):
    """\\r\\n, lone \\r and \\n break lines; form feeds, vertical tabs, NEL and U+2028 do not."""
    text = "a\r\nb\rc\n\x0cd \x0b e \x85 f \u2028 g\n" + f'T = "{token(2)}"\n'
    write_files(tmp_path, {"mixed.py": text})
    monkeypatch.chdir(tmp_path)
    assert main(["mixed.py"]) == 1
    assert capsys.readouterr().out.startswith("mixed.py:5:6: DG303 ")


def test_allowlist_pragma_on_a_megabyte_line(tmp_path, monkeypatch, capsys):
    filler = "var a=1;" * 150000
    write_files(tmp_path, {
        "bundle.min.js": f'{filler}T="{token(3)}"; // pragma: allowlist secret\n{filler}U="{token(4)}";\n',
    })
    monkeypatch.chdir(tmp_path)
    assert main(["bundle.min.js"]) == 1
    out = capsys.readouterr().out.splitlines()
    assert [line.split(":")[1:3] for line in out] == [["2", str(len(filler) + 4)]]


def test_prefilter_knows_where_every_detector_can_match():
    from hooks.check_secrets.detectors import DETECTORS, KeywordCredentialDetector

    for detector in DETECTORS:
        if detector is KeywordCredentialDetector:
            continue  # the prefilter runs its keyword + assignment scan itself
        for anchor in detector.anchors:
            # every text holding a match of the detector holds a prefilter anchor
            assert any(anchor in p or p in anchor for p in PREFILTER_ANCHORS), (detector.__name__, anchor)
        for anchor in detector.lower_anchors:
            assert anchor in PREFILTER_LOWER_ANCHORS, (detector.__name__, anchor)
    assert HOOK.id == "check-secrets"


def test_long_lines_keep_only_their_suppression_comment(tmp_path, monkeypatch, capsys):
    filler = "var a=1;" * 150000
    write_files(tmp_path, {
        "a.min.js": f'{filler}T="{token(5)}"; // driftgate: ignore[DG303]\n{filler}U="{token(6)}";\n',
    })
    monkeypatch.chdir(tmp_path)
    run = CheckRun("check-secrets", ["a.min.js"], {"baseline": ".secrets.baseline", "allow_files": []})
    assert [f.line for f in check(run)] == [1, 2]
    kept = run.sources._files["a.min.js"]
    assert (kept.line(1), kept.line(2)) == ("# driftgate: ignore[DG303]", "")  # not 1.2 MB each
    assert main(["a.min.js"]) == 1
    assert [line.split(":")[1] for line in capsys.readouterr().out.splitlines()] == ["2"]
