"""Run the detector pack over one file: look-alike filters, allowlist pragmas, the baseline.

Imported only when a file passes the prefilter. detect-secrets is used as a library: its
plugin base (through `detectors`), its heuristic filters, its `pragma: allowlist secret`
matcher and its baseline reader. Its global settings singleton is never touched, files are
never opened in the locale's encoding, and no plugin's `verify` (network) is ever called.
"""
from __future__ import annotations

import bisect
import json
import os
from typing import NamedTuple

from hooks.check_secrets.lazy import defer_package_inits, defer_requests

defer_requests()  # before detect-secrets, whose plugins import requests only to verify
defer_package_inits()  # and whose package __init__s import its scanner and every filter

from detect_secrets.core.potential_secret import PotentialSecret  # noqa: E402
from detect_secrets.filters.allowlist import is_line_allowlisted
from detect_secrets.filters.heuristic import (
    is_not_alphanumeric_string,
    is_prefixed_with_dollar_sign,
    is_sequential_string,
    is_templated_secret,
)
from detect_secrets.util.code_snippet import get_code_snippet

from hooks._core.files import SourceFile, read_bytes, to_posix
from hooks._core.findings import Finding, HookError
from hooks.check_secrets.anchors import CODE_SUFFIXES, Hits
from hooks.check_secrets.detectors import (
    DETECTORS,
    Detector,
    GCPServiceAccountDetector,
    KeywordCredentialDetector,
    PrivateKeyDetector,
    URLPasswordDetector,
)
from hooks.check_secrets.generic import is_example_url_password, path_context

# Substrings that mark documentation and templates, not live credentials.
PLACEHOLDER_MARKERS = (
    "****", "...", "\u2026", "<", ">", "${", "{{", "}}", "example", "placeholder",
    "changeme", "your_", "your-", "yourkey", "redacted", "dummy", "replace_me", "replaceme",
    "insert_", "not_a_real", "notreal",
)
# Whole URL passwords that are words from a tutorial, not secrets.
URL_PASSWORD_PLACEHOLDERS = frozenset(
    {
        "password", "passwd", "pass", "pwd", "pw", "secret", "changeme", "changeit", "token",
        "apikey", "api_key", "key", "user", "username", "foo", "bar", "xxx", "example",
    }
)
_PEM_DETECTORS = (PrivateKeyDetector, GCPServiceAccountDetector)


class Candidate(NamedTuple):
    detector: Detector
    line: int
    col: int
    secret: str
    legacy: str  # what detect-secrets 1.x hashed for the same secret, when that differs
    offset: int = 0  # where the secret starts in the text


def looks_like_placeholder(secret: str, detector: Detector) -> bool:
    lowered = secret.lower()
    # exact case for x-runs: random base64 holds "XxXx" far more often than "xxxx"
    if "xxxx" in secret or "XXXX" in secret:
        return True
    if any(marker in lowered for marker in PLACEHOLDER_MARKERS):
        return True
    if isinstance(detector, URLPasswordDetector):
        return (
            lowered in URL_PASSWORD_PLACEHOLDERS
            or is_templated_secret(secret)
            or is_prefixed_with_dollar_sign(secret)
            or is_not_alphanumeric_string(secret)
            or "%s" in secret
            or "%(" in secret
        )
    if len(set(secret)) < 10:
        return True
    tail = secret[-16:]
    return _is_periodic(tail) or is_sequential_string(tail)


def _is_periodic(text: str) -> bool:
    return any(text == (text[:period] * len(text))[: len(text)] for period in range(1, 5))


class _LineCounter:
    """1-based line and column of increasing offsets, counting line breaks as SourceFile.lines
    does (\\n, \\r\\n, lone \\r) and only between consecutive offsets: a multi-MB file with one
    finding costs one count, not a table of every line."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.offset = 0
        self.line = 1
        self.line_start = 0

    def at(self, offset: int) -> tuple[int, int]:
        if offset < self.offset:  # out of order: count from the top again
            self.offset, self.line, self.line_start = 0, 1, 0
        text = self.text
        newlines = text.count("\n", self.offset, offset)
        returns = text.count("\r", self.offset, offset)
        if returns:  # offsets are secrets' first characters: never inside a \r\n pair
            returns -= text.count("\r\n", self.offset, offset)
        self.line += newlines + returns
        last = max(text.rfind("\n", self.offset, offset), text.rfind("\r", self.offset, offset))
        if last >= 0:
            self.line_start = last + 1
        self.offset = offset
        return self.line, offset - self.line_start + 1


def _line_at(text: str, offset: int) -> str:
    """The line holding `offset`, broken as SourceFile.lines breaks them (\\n, \\r\\n, \\r)."""
    start = max(text.rfind("\n", 0, offset), text.rfind("\r", 0, offset)) + 1
    ends = [end for end in (text.find("\n", offset), text.find("\r", offset)) if end >= 0]
    return text[start : min(ends) if ends else len(text)]


def _claim(claimed: list[tuple[int, int]], start: int, end: int) -> bool:
    """Claim [start, end) unless it overlaps a span claimed before (kept sorted, disjoint)."""
    index = bisect.bisect_left(claimed, (start, end))
    if index > 0 and claimed[index - 1][1] > start:
        return False
    if index < len(claimed) and claimed[index][0] < end:
        return False
    claimed.insert(index, (start, end))
    return True


def _pem_label(text: str, start: int) -> str:
    begin = text.find("-----BEGIN ", start, start + 200)
    if begin < 0:
        return ""
    end = text.find("-----", begin + 11)
    return "BEGIN " + text[begin + 11 : end] if end > 0 else ""


def redact(secret: str) -> str:
    """At most the first 4 characters, and never more than a quarter of the secret."""
    return secret[: min(4, len(secret) // 4)] + "\u2026"


class Scanner:
    """Everything that is built once per process: the detectors and the baseline."""

    def __init__(self, baseline_path: str) -> None:
        self.detectors = [cls() for cls in DETECTORS]
        self.generic = next(d for d in self.detectors if isinstance(d, KeywordCredentialDetector))
        self.baseline = load_baseline(baseline_path)

    def candidates(self, source: SourceFile) -> list[Candidate]:
        text = source.text
        hits = Hits(text)
        claimed: list[tuple[int, int]] = []
        spans: list[tuple[int, Detector, str]] = []
        context = path_context(to_posix(source.path))
        self.generic.bare_values = not source.path.lower().endswith(CODE_SUFFIXES)
        self.generic.python = source.path.lower().endswith((".py", ".pyi"))
        for detector in self.detectors:
            if detector is self.generic and context:
                continue  # test fixtures and documentation examples: see generic.py
            for start, end, secret in detector.find(text, hits):
                if looks_like_placeholder(secret, detector):
                    continue
                if isinstance(detector, URLPasswordDetector) and is_example_url_password(
                    secret, context, _line_at(text, start)
                ):
                    continue
                if not _claim(claimed, start, end):
                    continue
                spans.append((start, detector, secret))
        found: list[Candidate] = []
        lines = _LineCounter(text)
        for start, detector, secret in sorted(spans, key=lambda span: span[0]):
            line, col = lines.at(start)
            legacy = _pem_label(text, start) if isinstance(detector, _PEM_DETECTORS) else ""
            found.append(Candidate(detector, line, col, secret, legacy, start))
        return found

    def reportable(self, source: SourceFile) -> list[Candidate]:
        """Candidates that neither the baseline nor a `pragma: allowlist` accepts."""
        candidates = self.candidates(source)
        if not candidates:
            return []
        filename = to_posix(os.path.normpath(source.path))
        accepted = self.baseline.get(filename, frozenset())
        legacy_counts: dict[str, int] = {}
        for candidate in candidates:
            if candidate.legacy:
                legacy_counts[candidate.legacy] = legacy_counts.get(candidate.legacy, 0) + 1
        return [
            candidate
            for candidate in candidates
            if not _is_accepted(candidate, accepted, legacy_counts)
            and not _allowlisted(filename, source, candidate)
        ]

    def scan(self, source: SourceFile, hook_id: str) -> list[Finding]:
        return self.scan_lines(source, hook_id)[0]

    def scan_lines(self, source: SourceFile, hook_id: str) -> tuple[list[Finding], dict[int, str]]:
        """The findings and the text of their lines (for suppression comments): a run keeps
        those lines, not the whole file."""
        reportable = self.reportable(source)
        lines = {c.line: _line_at(source.text, c.offset) for c in reportable}
        return [_finding(source.path, candidate, hook_id) for candidate in reportable], lines


def _allowlisted(filename: str, source: SourceFile, candidate: Candidate) -> bool:
    """detect-secrets' `pragma: allowlist secret` on the line or `nextline` on the one before.
    Its regexes search the whole line: only ask when the word is there (a minified bundle's
    line is megabytes long), and never split the whole file into lines to find out."""
    text = source.text
    here = _line_at(text, candidate.offset)
    line_start = max(text.rfind("\n", 0, candidate.offset), text.rfind("\r", 0, candidate.offset))
    # the line before (a guard only: detect-secrets' own check below decides)
    before = _line_at(text, line_start - 1) if line_start > 0 else ""
    if "allowlist" not in here.lower() and "allowlist" not in before.lower():
        return False
    return is_line_allowlisted(
        filename=filename, line=here, context=get_code_snippet(source.lines, candidate.line)
    )


def _finding(path: str, candidate: Candidate, hook_id: str) -> Finding:
    detector = candidate.detector
    return Finding(
        path, candidate.line, candidate.col, detector.code,
        f"{detector.title or detector.secret_type} '{redact(candidate.secret)}' is hardcoded: "
        "remove it, rotate it, and read it from the environment or a secret store",
        hook_id,
    )


def _is_accepted(
    candidate: Candidate, accepted: frozenset[str], legacy_counts: dict[str, int]
) -> bool:
    """A baseline entry accepts exactly the secret it hashes, wherever it moved in the file."""
    if not accepted:
        return False
    if PotentialSecret.hash_secret(candidate.secret) in accepted:
        return True
    # detect-secrets hashed only a private key's BEGIN line: honour such an entry while it
    # can only mean this one key, never a second key added next to it.
    return (
        bool(candidate.legacy)
        and legacy_counts[candidate.legacy] == 1
        and PotentialSecret.hash_secret(candidate.legacy) in accepted
    )


def load_baseline(path: str) -> dict[str, frozenset[str]]:
    """File name -> sha1 hashes of the secrets an existing detect-secrets baseline accepts
    ({} when there is none; the hook has already refused a missing explicit one)."""
    if not os.path.exists(path):
        return {}
    try:
        data = json.loads(read_bytes(path).decode("utf-8-sig"))
    except OSError as exc:
        raise HookError(f"baseline {path}: cannot read: {exc.strerror or exc}") from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise HookError(f"baseline {path}: not a detect-secrets baseline (invalid JSON: {exc})") from None
    if not isinstance(data, dict) or not isinstance(data.get("results"), dict):
        raise HookError(f"baseline {path}: not a detect-secrets baseline (no `results` object)")
    from detect_secrets.core.secrets_collection import SecretsCollection

    try:
        collection = SecretsCollection.load_from_baseline({"results": data["results"]})
    except (KeyError, TypeError, AttributeError, ValueError) as exc:
        raise HookError(
            f"baseline {path}: malformed `results` entry ({type(exc).__name__}: {exc}); "
            "each needs `type` and `hashed_secret`"
        ) from None
    return {
        to_posix(os.path.normpath(filename)): frozenset(secret.secret_hash for secret in secrets)
        for filename, secrets in collection.data.items()
    }
