"""The changes a commit (or the staged index) makes, and the file versions on both sides,
read from git in few calls: one `diff` per commit and one `cat-file --batch` for all blobs."""
from __future__ import annotations

from hooks._core.record import dataclass, field

from hooks._core.git import run_git
from hooks._provenance.assess import CommitInfo
from hooks._provenance.gitdata import blobs_at

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (~3 ms)
if TYPE_CHECKING:
    from typing import Optional, Sequence

TEST_CHANGE_REASON = "test-change-reason"


@dataclass(frozen=True)
class Change:
    status: str  # A, M, D, R (rename), C, T
    old_path: Optional[str]
    new_path: Optional[str]


@dataclass
class ChangeSet:
    """One commit's changes against its first parent, or the index against HEAD."""

    label: str  # '' for the staged index, else the first 12 hex digits of the sha
    old_rev: Optional[str]  # the parent revision ('HEAD', 'sha^'), None for a root commit
    new_rev: str  # '' for the index (`:path`), else the sha
    changes: list[Change] = field(default_factory=list)
    commit: Optional[CommitInfo] = None  # trailers and author, when known

    def old_spec(self, path: str) -> Optional[tuple[str, str]]:
        return (self.old_rev, path) if self.old_rev else None

    def new_spec(self, path: str) -> tuple[str, str]:
        return (self.new_rev, path)

    def reason(self) -> str:
        """The Test-Change-Reason trailer's value, '' when there is none."""
        if self.commit is None:
            return ""
        for trailer in self.commit.trailers:
            if trailer.key.lower() == TEST_CHANGE_REASON and trailer.value.strip():
                return trailer.value.strip()
        return ""


def parse_name_status(out: str) -> list[Change]:
    """`--name-status -z` output: STATUS NUL PATH NUL [PATH NUL] ..."""
    parts = out.split("\0")
    changes = []
    index = 0
    while index < len(parts):
        status = parts[index]
        if not status:
            index += 1
            continue
        letter = status[0]
        if letter in "RC" and index + 2 < len(parts):
            old, new = parts[index + 1], parts[index + 2]
            changes.append(Change(letter, old if letter == "R" else None, new))
            index += 3
            continue
        path = parts[index + 1] if index + 1 < len(parts) else ""
        index += 2
        if letter == "A":
            changes.append(Change("A", None, path))
        elif letter == "D":
            changes.append(Change("D", path, None))
        else:
            changes.append(Change("M", path, path))
    return changes


def has_head(cwd: str = ".") -> bool:
    return bool(run_git(["rev-parse", "--verify", "--quiet", "HEAD"], cwd=cwd, check=False).strip())


def staged(commit: Optional[CommitInfo] = None) -> ChangeSet:
    out = run_git(["diff", "--cached", "--name-status", "-M", "-z", "--no-ext-diff"])
    return ChangeSet("", "HEAD" if has_head() else None, "", parse_name_status(out), commit)


def of_commit(commit: CommitInfo, has_parent: bool) -> ChangeSet:
    out = run_git(["diff-tree", "-r", "-M", "--root", "--no-commit-id", "--name-status", "-z", commit.sha])
    return ChangeSet(commit.sha[:12], f"{commit.sha}^" if has_parent else None, commit.sha, parse_name_status(out), commit)


def parents_of(revs: Sequence[str]) -> dict[str, int]:
    """sha -> number of parents for the commits of `revs`."""
    out = run_git(["rev-list", "--parents", *revs])
    return {line.split()[0]: len(line.split()) - 1 for line in out.splitlines() if line.strip()}


def fetch(requests: Sequence[tuple[str, str]]) -> dict[tuple[str, str], Optional[bytes]]:
    """Blob contents for (rev, path) pairs; rev '' reads the index."""
    return blobs_at(list(dict.fromkeys(requests)))
