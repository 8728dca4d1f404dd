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

from detect_secrets.core.potential_secret import PotentialSecret
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
from hooks.check_secrets.detectors import (
    DETECTORS,
    Detector,
    CODE_SUFFIXES,
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


def _line_starts(text: str) -> list[int]:
    """Offsets where each line starts, splitting exactly as SourceFile.lines does."""
    starts = [0]
    offset = 0
    for line in text.splitlines(keepends=True):
        offset += len(line)
        starts.append(offset)
    return starts


def _line_at(text: str, offset: int) -> str:
    start = text.rfind("\n", 0, offset) + 1
    end = text.find("\n", offset)
    return text[start : end if end >= 0 else len(text)]


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
        self.keywords = frozenset(k for detector in self.detectors for k in detector.keywords)
        self.baseline = load_baseline(baseline_path)

    def candidates(self, source: SourceFile) -> list[Candidate]:
        text = source.text
        lowered = text.lower()
        starts = _line_starts(text)
        claimed: list[tuple[int, int]] = []
        found: list[Candidate] = []
        present = {keyword for keyword in self.keywords if keyword in lowered}
        context = path_context(to_posix(source.path))
        self.generic.bare_values = not source.path.lower().endswith(CODE_SUFFIXES)
        self.generic.python = source.path.lower().endswith((".py", ".pyi"))
        for detector in self.detectors:
            if present.isdisjoint(detector.keywords):
                continue
            if detector is self.generic and context:
                continue  # test fixtures and documentation examples: see generic.py
            for start, end, secret in detector.find(text):
                if looks_like_placeholder(secret, detector):
                    continue
                if isinstance(detector, URLPasswordDetector) and is_example_url_password(
                    secret, context, _line_at(text, start)
                ):
                    continue
                if not _claim(claimed, start, end):
                    continue
                index = bisect.bisect_right(starts, start) - 1
                legacy = _pem_label(text, start) if isinstance(detector, _PEM_DETECTORS) else ""
                found.append(Candidate(detector, index + 1, start - starts[index] + 1, secret, legacy))
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
            and not is_line_allowlisted(
                filename=filename,
                line=source.line(candidate.line),
                context=get_code_snippet(source.lines, candidate.line),
            )
        ]

    def scan(self, source: SourceFile, hook_id: str) -> list[Finding]:
        return [_finding(source.path, candidate, hook_id) for candidate in self.reportable(source)]


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
