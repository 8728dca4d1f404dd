"""`driftgate provenance report [--range A..B] [--format table|json]`: the commits of a
range by origin (agent / human / mixed), how many agent-made ones carry a complete
record, and how many commits each model made. Reads [tool.driftgate.check-provenance]."""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter

from hooks._core.findings import HookError
from hooks._core.runner import EXIT_ERROR, EXIT_OK, parse_settings, report_error

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (~3 ms)
if TYPE_CHECKING:
    from typing import Any, Sequence

PROG = "driftgate provenance report"
ORIGIN_ORDER = ("agent", "mixed", "human")
USAGE = (
    "usage: driftgate provenance report [--range A..B] [--format table|json] [--config PYPROJECT]\n"
)


def _add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--range",
        default="HEAD",
        metavar="A..B",
        help="commits to report: A..B, or every commit reachable from REV (default: HEAD)",
    )
    parser.add_argument(
        "--format", choices=("table", "json"), default="table", help="output format"
    )


def _revs(spec: str) -> list[str]:
    from hooks._provenance import gitdata

    gitdata.repo_root()
    if ".." in spec:
        return gitdata.resolve_range(spec)
    # a single REV reports its whole history, unlike check-provenance's single commit
    return [gitdata.resolve_range(spec)[0]]


def build(spec: str, settings: dict[str, Any]) -> dict[str, Any]:
    from hooks._provenance.gitdata import assess_range
    from hooks._provenance.options import policy_from

    policy = policy_from(settings)
    assessments, skipped = assess_range(_revs(spec), policy, settings["skip_merges"])
    assessments.reverse()  # oldest first
    origins: dict[str, dict[str, int]] = {o: {"commits": 0, "complete": 0} for o in ORIGIN_ORDER}
    models: Counter[str] = Counter()
    for result in assessments:
        origins[result.origin]["commits"] += 1
        origins[result.origin]["complete"] += int(result.complete)
        if result.agent_made:
            models[result.model or "(unknown)"] += 1
    agent_made = sum(1 for r in assessments if r.agent_made)
    complete = sum(1 for r in assessments if r.complete)
    return {
        "range": spec,
        "commits": len(assessments),
        "skipped_merges": skipped,
        "origins": origins,
        "coverage": {
            "agent_made": agent_made,
            "complete": complete,
            "percent": round(100.0 * complete / agent_made, 1) if agent_made else None,
        },
        "models": dict(sorted(models.items(), key=lambda item: (-item[1], item[0]))),
        "entries": [
            {
                "commit": r.commit.sha,
                "origin": r.origin,
                "complete": r.complete,
                "model": r.model,
                "subject": r.commit.subject,
            }
            for r in assessments
        ],
    }


def _percent(part: int, whole: int) -> str:
    return f"{100.0 * part / whole:.0f}%" if whole else "-"


def render_table(doc: dict[str, Any]) -> str:
    skipped = f", {doc['skipped_merges']} merge(s) skipped" if doc["skipped_merges"] else ""
    lines = [f"provenance of {doc['range']}: {doc['commits']} commit(s){skipped}", ""]
    lines.append(f"{'origin':<8} {'commits':>7} {'complete':>8} {'coverage':>8}")
    for origin in ORIGIN_ORDER:
        row = doc["origins"][origin]
        if origin == "human":
            lines.append(f"{origin:<8} {row['commits']:>7} {'-':>8} {'-':>8}")
        else:
            lines.append(
                f"{origin:<8} {row['commits']:>7} {row['complete']:>8} "
                f"{_percent(row['complete'], row['commits']):>8}"
            )
    cov = doc["coverage"]
    lines.append(
        f"{'total':<8} {doc['commits']:>7} {cov['complete']:>8} "
        f"{_percent(cov['complete'], cov['agent_made']):>8}"
    )
    if doc["models"]:
        width = max(len("model"), *(len(m) for m in doc["models"]))
        lines += ["", f"{'model':<{width}} {'commits':>7}"]
        lines += [f"{model:<{width}} {count:>7}" for model, count in doc["models"].items()]
    return "\n".join(lines) + "\n"


def report(argv: Sequence[str]) -> int:
    from hooks._provenance.assess import HOOK_ID
    from hooks._provenance.options import OPTIONS

    try:
        args, settings = parse_settings(
            HOOK_ID,
            "Report the commits of a range by origin, record coverage and model.",
            OPTIONS,
            argv,
            _add_arguments,
            prog=PROG,
        )
        doc = build(args.range, settings)
    except HookError as exc:
        report_error(PROG, str(exc))
        return EXIT_ERROR
    if args.format == "json":
        json.dump(doc, sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(render_table(doc))
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] == "report":
        return report(args[1:])
    if args and args[0] in ("-h", "--help"):
        sys.stdout.write(USAGE)
        return EXIT_OK
    report_error(
        "driftgate provenance",
        f"expected the subcommand `report`, got {args[0]!r}"
        if args
        else "expected the subcommand `report`",
    )
    return EXIT_ERROR
