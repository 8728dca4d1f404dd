"""check-provenance: agent-made commits must say where they came from (DG6xx).

At commit-msg stage it checks the message being committed; at pre-push (and in CI) the
commits of a range: `--range A..B`, else pre-commit's PRE_COMMIT_FROM_REF..PRE_COMMIT_TO_REF.
A commit is agent-made when it has an Agent-* trailer, an Assisted-by or Co-authored-by
naming a known agent, an `Origin: agent|mixed` trailer, an author matching `agent-authors`,
or (commit-msg stage only) an active agent run marker.
"""

from __future__ import annotations

import argparse
import os

from hooks._core.files import read_bytes
from hooks._core.findings import Finding, HookError
from hooks._core.output import LINE_FORMATS
from hooks._core.runner import (
    run_command_hook,
    enabled_codes,
)
from hooks._provenance import trailers as t
from hooks._provenance.assess import HOOK_ID, RULES, CommitInfo, Policy, assess
from hooks._provenance.options import OPTIONS, policy_from

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (~3 ms)
if TYPE_CHECKING:
    from typing import Any, Sequence

DESCRIPTION = "Check that agent-made commits carry complete, well-formed provenance trailers."


def _add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--range", metavar="A..B", help="check the commits of this range (or one commit)"
    )
    parser.add_argument("--format", choices=LINE_FORMATS, default="text", help="output format")
    parser.add_argument("message", nargs="*", help="the commit message file (commit-msg stage)")


def _context_relative(commit: CommitInfo) -> str | None:
    """`.agent-provenance/<run-id>.yaml` for the commit's well-formed run id, else None."""
    from hooks._provenance import context

    run_id = commit.first(t.RUN_ID)
    if not run_id or t.value_error(t.RUN_ID, run_id):
        return None
    return context.context_path(run_id)


# --- the commit being made (commit-msg) ----------------------------------------------


def check_message(path: str, policy: Policy, skip_merges: bool) -> list[Finding]:
    from hooks._provenance import context, gitdata, run

    root, (merge_head,) = gitdata.root_and_git_paths("MERGE_HEAD")
    if skip_merges and os.path.exists(merge_head):
        return []
    author = gitdata.pending_author() if policy.agent_authors else ""
    commit = gitdata.read_message_file(path, run.is_active(root, os.environ), author)
    result = assess(commit, policy)
    findings = list(result.findings)
    relative = _context_relative(commit)
    if relative is not None:
        full = os.path.join(root, relative)
        if os.path.isfile(full):
            text = _decode(_read(full), relative)
            ctx = context.load(text, os.path.relpath(full), relative, HOOK_ID)
            findings += ctx.findings + context.run_id_mismatch(
                ctx, commit.first(t.RUN_ID) or "", HOOK_ID
            )
            findings += context.compare_outputs(
                ctx, gitdata.staged_changes(), also_changed=gitdata.head_changes(), hook=HOOK_ID
            )
    return sorted(findings, key=Finding.sort_key)


def _read(path: str) -> bytes:
    try:
        return read_bytes(path)
    except OSError as exc:
        raise HookError(f"{path}: cannot read: {exc.strerror}") from None


def _decode(data: bytes, shown_as: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise HookError(f"{shown_as}: not UTF-8 text; save the context file as UTF-8") from None


# --- commits already made (pre-push, CI) ----------------------------------------------


def _context_request(commit: CommitInfo) -> tuple[str, str] | None:
    relative = _context_relative(commit)
    return (commit.sha, relative) if relative else None


def context_findings(
    commit: CommitInfo, relative: str, data: bytes | None, root: str
) -> list[Finding]:
    """DG605/DG606 of a committed commit's context file: `data` from the commit's own tree,
    else the work tree's copy (a context directory kept out of git)."""
    from hooks._provenance import context, gitdata

    label = f"{commit.label}:{relative}"
    if data is None:
        full = os.path.join(root, relative)
        if not os.path.isfile(full):
            return []
        data = _read(full)
    run_id = commit.first(t.RUN_ID) or ""
    ctx = context.load(_decode(data, label), label, label, HOOK_ID)
    findings = ctx.findings + context.run_id_mismatch(ctx, run_id, HOOK_ID)
    return findings + context.compare_outputs(ctx, gitdata.changed_by(commit.sha), hook=HOOK_ID)


def check_range(revs: Sequence[str], policy: Policy, skip_merges: bool) -> list[Finding]:
    from hooks._provenance import gitdata

    root = gitdata.repo_root()
    assessments, _ = gitdata.assess_range(revs, policy, skip_merges)
    wanted = {
        result.commit.sha: request
        for result in assessments
        if result.agent_made and (request := _context_request(result.commit))
    }
    blobs = gitdata.blobs_at(list(wanted.values()))
    findings: list[Finding] = []
    for result in reversed(assessments):  # oldest first, as the history reads
        own = list(result.findings)
        request = wanted.get(result.commit.sha)
        if request is not None:
            own += context_findings(result.commit, request[1], blobs[request], root)
        findings += sorted(own, key=Finding.sort_key)
    return findings


# --- entry point -----------------------------------------------------------------------


def _range_to_check(args: argparse.Namespace) -> list[str] | None:
    from hooks._provenance import gitdata

    if args.range is not None:
        gitdata.repo_root()
        return gitdata.resolve_range(args.range)
    pushed = gitdata.push_range(os.environ) if _pre_push_env() else None
    if pushed is not None:
        gitdata.repo_root()
        return pushed[0]
    return None


def _pre_push_env() -> bool:
    return any(os.environ.get(name) for name in ("PRE_COMMIT_FROM_REF", "PRE_COMMIT_REMOTE_NAME"))


def find(args: argparse.Namespace, settings: dict[str, Any]) -> list[Finding]:
    policy = policy_from(settings)
    revs = _range_to_check(args)
    if revs is not None:
        findings = check_range(revs, policy, settings["skip_merges"])
    elif len(args.message) == 1:
        findings = check_message(args.message[0], policy, settings["skip_merges"])
    elif args.message:
        raise HookError(
            f"expected one commit message file, got {len(args.message)} paths; "
            "use --range A..B for commits"
        )
    else:
        raise HookError(
            "nothing to check: pass the commit message file, or --range A..B "
            "(under pre-commit: install the commit-msg / pre-push hooks, "
            "or run with --from-ref/--to-ref)"
        )
    codes = enabled_codes(RULES, settings)
    return [f for f in findings if f.code in codes]


def main(argv: Sequence[str] | None = None) -> int:
    return run_command_hook(HOOK_ID, DESCRIPTION, OPTIONS, argv, _add_arguments, find)


if __name__ == "__main__":
    raise SystemExit(main())
