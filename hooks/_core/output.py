"""Render findings. Hook formats are line-based because pre-commit concatenates the
stdout of parallel processes; whole-document formats belong to `driftgate scan`.

json is imported where a format needs it: a text run never does (~1 ms of every hook's start)."""
from __future__ import annotations

import re

from hooks import __version__
from hooks._core.findings import Finding, Rule

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (~3 ms)
if TYPE_CHECKING:
    from typing import Iterable, Sequence, TextIO

LINE_FORMATS = ("text", "jsonl", "github")
DOCUMENT_FORMATS = ("json", "sarif")
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def _escape_text(value: str) -> str:
    """Control characters as JSON writes them (`\\n`, `\\u001b`): a file name with a newline
    must not split a finding over two lines, nor an escape sequence reach the terminal."""
    if not _CONTROL.search(value):
        return value
    import json

    return _CONTROL.sub(lambda m: json.dumps(m.group())[1:-1], value)


def format_text(finding: Finding) -> str:
    return (
        f"{_escape_text(finding.path)}:{finding.line}:{finding.col}: {finding.code} "
        f"{_escape_text(finding.message)}"
    )


def format_jsonl(finding: Finding) -> str:
    import json

    return json.dumps(finding.as_dict(), ensure_ascii=False)


def _escape_github_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_github_property(value: str) -> str:
    return _escape_github_data(value).replace(":", "%3A").replace(",", "%2C")


def format_github(finding: Finding) -> str:
    props = ",".join(
        (
            f"file={_escape_github_property(finding.path)}",
            f"line={finding.line}",
            f"col={finding.col}",
            f"title={_escape_github_property(finding.code)}",
        )
    )
    return f"::error {props}::{_escape_github_data(finding.code + ' ' + finding.message)}"


_LINE_FORMATTERS = {"text": format_text, "jsonl": format_jsonl, "github": format_github}


def write_lines(findings: Iterable[Finding], fmt: str, out: TextIO) -> None:
    render = _LINE_FORMATTERS[fmt]
    out.writelines(render(finding) + "\n" for finding in findings)


def json_document(findings: Sequence[Finding]) -> dict[str, object]:
    codes: dict[str, int] = {}
    for finding in findings:
        codes[finding.code] = codes.get(finding.code, 0) + 1
    return {
        "tool": "driftgate",
        "version": __version__,
        "findings": [finding.as_dict() for finding in findings],
        "summary": {"total": len(findings), "by_code": dict(sorted(codes.items()))},
    }


def sarif_document(findings: Sequence[Finding], rules: Sequence[Rule]) -> dict[str, object]:
    """SARIF 2.1.0 with exactly one run, as GitHub code scanning requires."""
    rule_ids = [rule.code for rule in rules]
    rule_index = {code: i for i, code in enumerate(rule_ids)}
    results = []
    for finding in findings:
        result: dict[str, object] = {
            "ruleId": finding.code,
            "level": "error",
            "message": {"text": finding.message},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": finding.path, "uriBaseId": "%SRCROOT%"},
                        "region": {"startLine": finding.line, "startColumn": finding.col},
                    }
                }
            ],
            "properties": {"hook": finding.hook},
        }
        if finding.code in rule_index:
            result["ruleIndex"] = rule_index[finding.code]
        results.append(result)
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "driftgate",
                        "version": __version__,
                        "rules": [
                            {
                                "id": rule.code,
                                "shortDescription": {"text": rule.summary},
                                "defaultConfiguration": {
                                    "enabled": rule.enabled_by_default,
                                    "level": "error",
                                },
                            }
                            for rule in rules
                        ],
                    }
                },
                "results": results,
            }
        ],
    }


def write_document(
    findings: Sequence[Finding], rules: Sequence[Rule], fmt: str, out: TextIO
) -> None:
    import json

    doc = json_document(findings) if fmt == "json" else sarif_document(findings, rules)
    json.dump(doc, out, indent=2, ensure_ascii=False)
    out.write("\n")
