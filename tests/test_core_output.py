from __future__ import annotations

import io
import json

from hooks._core.findings import Finding, Rule, char_col
from hooks._core.output import (
    format_github, format_jsonl, format_text, sarif_document, write_document, write_lines,
)

FINDING = Finding("src/app.py", 12, 5, "DG501", "`f` nests blocks 5 deep (max 4): if > for", "check-nesting")


def test_text_is_path_line_col_code_message() -> None:
    assert format_text(FINDING) == "src/app.py:12:5: DG501 `f` nests blocks 5 deep (max 4): if > for"


def test_jsonl_has_the_six_fields_on_one_line() -> None:
    line = format_jsonl(FINDING)
    assert "\n" not in line
    assert json.loads(line) == {
        "path": "src/app.py", "line": 12, "col": 5, "code": "DG501",
        "message": "`f` nests blocks 5 deep (max 4): if > for", "hook": "check-nesting",
    }


def test_github_annotation_escapes_properties_and_data() -> None:
    odd = Finding("a,b:c.py", 3, 1, "DG301", "100% bad\nsecond line", "check-secrets")
    assert format_github(odd) == (
        "::error file=a%2Cb%3Ac.py,line=3,col=1,title=DG301::DG301 100%25 bad%0Asecond line"
    )


def test_write_lines_one_per_finding() -> None:
    out = io.StringIO()
    write_lines([FINDING, FINDING], "text", out)
    assert out.getvalue().count("\n") == 2


def test_sarif_is_2_1_0_with_one_run_and_rule_index() -> None:
    rules = [Rule("DG500", "syntax"), Rule("DG501", "too deep"), Rule("DG502", "merge", False)]
    doc = sarif_document([FINDING], rules)
    assert doc["version"] == "2.1.0"
    assert len(doc["runs"]) == 1
    run = doc["runs"][0]
    assert [r["id"] for r in run["tool"]["driver"]["rules"]] == ["DG500", "DG501", "DG502"]
    assert run["tool"]["driver"]["rules"][2]["defaultConfiguration"]["enabled"] is False
    (result,) = run["results"]
    assert result["ruleId"] == "DG501" and result["ruleIndex"] == 1
    location = result["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "src/app.py"
    assert location["region"] == {"startLine": 12, "startColumn": 5}


def test_json_document_counts_by_code() -> None:
    out = io.StringIO()
    write_document([FINDING, FINDING], [], "json", out)
    doc = json.loads(out.getvalue())
    assert doc["summary"] == {"total": 2, "by_code": {"DG501": 2}}
    assert doc["findings"][0]["path"] == "src/app.py"


def test_char_col_converts_utf8_byte_offsets() -> None:
    line = "é = ü + x"
    assert char_col(line, len("é = ü + ".encode())) == len("é = ü + ") + 1
    assert char_col("plain", 3) == 4
