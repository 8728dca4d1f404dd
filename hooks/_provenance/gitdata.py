"""Commits as check-provenance sees them, read from git in as few calls as possible."""

from __future__ import annotations

import os

from hooks._core.findings import HookError
from hooks._core.git import run_git
from hooks._provenance import trailers as t
from hooks._provenance.assess import Assessment, CommitInfo, Policy, assess

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (~3 ms)
if TYPE_CHECKING:
    from typing import Mapping, Sequence

LABEL_LEN = 12  # findings name a commit by the first 12 hex digits of its sha: stable
_RECORD, _FIELD = "\x1e", "\x1f"
_LOG_FORMAT = _RECORD + _FIELD.join(("%H", "%P", "%an <%ae>", "%B", "%(trailers:only,unfold)"))


def repo_root() -> str:
    """The work tree root; HookError outside a git repository."""
    try:
        out = run_git(["rev-parse", "--show-toplevel"])
    except HookError:
        raise HookError(
            "not a git repository: run it inside the repository whose commits to check"
        ) from None
    return out.strip()


def root_and_git_paths(*names: str) -> tuple[str, list[str]]:
    """The work tree root and where each name lives in the git directory, in one git call;
    HookError outside a git repository."""
    args = ["rev-parse", "--show-toplevel"]
    for name in names:
        args += ["--git-path", name]
    try:
        lines = run_git(args).splitlines()
    except HookError:
        raise HookError(
            "not a git repository: run it inside the repository whose commits to check"
        ) from None
    root = lines[0]
    return root, [path if os.path.isabs(path) else os.path.join(root, path) for path in lines[1:]]


def _verify(rev: str, spec: str) -> str:
    try:
        return run_git(
            ["rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}"]
        ).strip()
    except HookError:
        raise HookError(
            f"range {spec!r}: {rev!r} is not a commit; pass --range A..B with two existing commits"
        ) from None


def resolve_range(spec: str) -> list[str]:
    """rev-list arguments for `A..B` (commits reachable from B and not from A) or a single
    commit `REV` (that commit alone)."""
    spec = spec.strip()
    if not spec or spec.startswith("-") or "..." in spec:
        raise HookError(f"range {spec!r}: expected A..B or a single commit")
    if ".." in spec:
        start, _, end = spec.partition("..")
        if not start or not end:
            raise HookError(
                f"range {spec!r}: expected A..B with both ends named, e.g. origin/main..HEAD"
            )
        return [_verify(end, spec), "--not", _verify(start, spec)]
    sha = _verify(spec, spec)
    return [sha, "-n", "1"]


def push_range(environ: Mapping[str, str]) -> tuple[list[str], str] | None:
    """The commits pre-commit's pre-push (or `run --from-ref/--to-ref`) asks about."""
    from_ref, to_ref = environ.get("PRE_COMMIT_FROM_REF"), environ.get("PRE_COMMIT_TO_REF")
    if from_ref and to_ref:
        spec = f"{from_ref}..{to_ref}"
        return resolve_range(spec), spec
    remote, local = environ.get("PRE_COMMIT_REMOTE_NAME"), environ.get("PRE_COMMIT_LOCAL_BRANCH")
    if remote and local:
        # pre-commit sets no refs when the push creates a branch holding the root commit:
        # check every commit of the branch the remote does not have yet
        tip = _verify(local, local)
        return [tip, "--not", f"--remotes={remote}"], f"{local} (not on {remote})"
    return None


def _clean(text: str) -> str:
    """Undo run_git's surrogateescape: bytes that are not UTF-8 become U+FFFD, printable."""
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def read_commits(revs: Sequence[str]) -> list[CommitInfo]:
    out = _clean(run_git(["log", f"--format={_LOG_FORMAT}", *revs, "--"]))
    commits = []
    for record in out.split(_RECORD)[1:]:
        fields = record.split(_FIELD)
        if len(fields) != 5:
            raise HookError(
                "git log returned a commit message with control characters driftgate cannot split"
            )
        sha, parents, author, message, parsed = fields
        lines = message.splitlines()
        commits.append(
            CommitInfo(
                label=sha[:LABEL_LEN],
                trailers=t.locate(lines, t.split_parsed(parsed), comment_char=None),
                author=author,
                is_merge=len(parents.split()) > 1,
                sha=sha,
                subject=lines[0] if lines else "",
            )
        )
    return commits


def read_message_file(path: str, run_active: bool, author: str) -> CommitInfo:
    try:
        with open(path, "rb") as handle:
            message = handle.read().decode("utf-8", errors="replace")
    except OSError as exc:
        raise HookError(f"{path}: cannot read the commit message: {exc.strerror}") from None
    parsed = _clean(run_git(["interpret-trailers", "--no-divider", "--parse", path]))
    lines = t.message_lines(message)
    kept = [line for line in lines if not line.startswith("#")]
    return CommitInfo(
        label=path,
        trailers=t.locate(lines, t.split_parsed(parsed)),
        author=author,
        run_active=run_active,
        subject=next((line for line in kept if line.strip()), ""),
    )


def pending_author() -> str:
    """The author the commit being made will have ("Name <email>")."""
    ident = run_git(["var", "GIT_AUTHOR_IDENT"], check=False).strip()
    end = ident.rfind(">")
    return ident[: end + 1] if end != -1 else ""


def changed_by(sha: str) -> list[str]:
    out = run_git(
        ["diff-tree", "-r", "--root", "--no-commit-id", "--name-only", "--no-renames", "-z", sha]
    )
    return [name for name in out.split("\0") if name]


def staged_changes() -> list[str]:
    out = run_git(["diff", "--cached", "--name-only", "--no-renames", "-z"])
    return [name for name in out.split("\0") if name]


def head_changes() -> list[str]:
    """What HEAD itself changed ([] on an unborn branch)."""
    head = run_git(["rev-parse", "--verify", "--quiet", "HEAD"], check=False).strip()
    return changed_by(head) if head else []


def blobs_at(requests: Sequence[tuple[str, str]]) -> dict[tuple[str, str], bytes | None]:
    """`path` as of commit `sha` for each (sha, path), None where that commit lacks it:
    one `git cat-file --batch` for the whole range instead of a `git show` per commit."""
    import subprocess

    if not requests:
        return {}
    query = "".join(f"{sha}:{path}\n" for sha, path in requests).encode()
    try:
        proc = subprocess.run(
            ["git", "cat-file", "--batch"], input=query, capture_output=True, check=False
        )
    except FileNotFoundError:
        raise HookError("git is not installed or not on PATH") from None
    if proc.returncode != 0:
        raise HookError(
            f"git cat-file --batch failed: {proc.stderr.decode(errors='replace').strip()}"
        )
    out, pos, found = proc.stdout, 0, {}
    for request in requests:
        end = out.index(b"\n", pos)
        header = out[pos:end].split()
        pos = end + 1
        if len(header) == 3 and header[2].isdigit():
            size = int(header[2])
            found[request] = out[pos : pos + size] if header[1] == b"blob" else None
            pos += size + 1
        else:
            found[request] = None  # "<name> missing" / "ambiguous"
    return found


def assess_range(
    revs: Sequence[str], policy: Policy, skip_merges: bool
) -> tuple[list[Assessment], int]:
    """The assessment of every commit in `revs` and how many merges were skipped."""
    assessments, skipped = [], 0
    for commit in read_commits(revs):
        if commit.is_merge and skip_merges:
            skipped += 1
            continue
        assessments.append(assess(commit, policy))
    return assessments, skipped
