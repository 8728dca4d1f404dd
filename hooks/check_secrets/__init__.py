"""check-secrets: hardcoded credentials and files that should never be committed (DG3xx).

This module stays import-cheap: it holds the rule table, the one-regex prefilter and the
DG390 file-name rules. The detector pack (`detectors`, built on detect-secrets' plugin base)
and the engine that applies filters, suppressions and the baseline (`engine`) are imported
only when a file's text passes the prefilter, so a clean commit never imports detect-secrets.
"""
from __future__ import annotations

import fnmatch
import os
import re

from hooks._core.config import Option
from hooks._core.files import (
    SourceFile,
    Unreadable,
    decode,
    is_binary,
    to_posix,
)
from hooks._core.findings import Finding, HookError, Rule
from hooks._core.lazyre import lazy
from hooks._core.runner import CheckRun, FileHook, run_hook
from hooks._core.suppress import suppressed_codes

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (~3 ms)
if TYPE_CHECKING:
    from typing import Iterator, Sequence

HOOK_ID = "check-secrets"
DEFAULT_BASELINE = ".secrets.baseline"

RULES = (
    Rule("DG301", "OpenAI API key (sk-proj-, sk-svcacct-, sk-admin-, legacy T3BlbkFJ)"),
    Rule("DG302", "Anthropic API key (sk-ant-)"),
    Rule("DG303", "GitHub token (ghp_, gho_, ghu_, ghs_, ghr_ with a valid checksum; github_pat_)"),
    Rule("DG304", "GitLab token (glpat-, gldt-, glrt-, ...)"),
    Rule("DG305", "Hugging Face token (hf_, api_org_)"),
    Rule("DG306", "Google API key (AIza)"),
    Rule("DG307", "Slack token (xox*, xapp-) or incoming-webhook URL"),
    Rule("DG308", "Stripe live secret or restricted key (sk_live_, rk_live_)"),
    Rule("DG309", "Twilio API key (SK...) or auth token"),
    Rule("DG310", "SendGrid API key (SG.)"),
    Rule("DG311", "npm access token (npm_ with a valid checksum)"),
    Rule("DG312", "PyPI upload token (pypi-AgE...)"),
    Rule("DG313", "Databricks token (dapi)"),
    Rule("DG314", "DigitalOcean token (dop_v1_, doo_v1_, dor_v1_)"),
    Rule("DG315", "Shopify access token (shpat_, shpca_, shppa_, shpss_)"),
    Rule("DG316", "Groq API key (gsk_)"),
    Rule("DG317", "xAI API key (xai-)"),
    Rule("DG318", "Mailgun API key"),
    Rule("DG319", "Telegram bot token"),
    Rule("DG320", "Azure storage account key"),
    Rule("DG321", "Azure client secret (Entra ID app secret)"),
    Rule("DG322", "AWS access key id"),
    Rule("DG323", "AWS secret access key"),
    Rule("DG324", "JSON Web Token (decoded: a signed header and a JSON payload)"),
    Rule("DG325", "PEM private key"),
    Rule("DG326", "GCP service-account key (JSON)"),
    Rule("DG327", "URL with a password (scheme://user:password@host)"),
    Rule("DG328", "hardcoded credential: a credential's name (password, secret_key, api_key, token, ...) assigned a long random string"),
    Rule("DG390", "a file that should never be committed (.env, *.pem, id_rsa, credential JSON, ...)"),
)

# Where any detector's match can start (the literals every match of each detector holds,
# checked by a test): nearly every file of nearly every commit holds none of them and is done after a few
# C scans, without importing detect-secrets.
# `://` first: most files that hold an anchor hold a URL, and any() stops at the first
# anchor found (each other one is a search of the whole text: 28 ms on a 1 MB file)
PREFILTER_ANCHORS = (
    "://", "sk-", "ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_", "glpat-", "gldt-", "glrt-",
    "glptt-", "glft-", "glsoat-", "hf_", "api_org_", "AIza", "xox", "xapp-", "hooks.slack.com/",
    "sk_live_", "rk_live_", "SK", "SG.", "npm_", "pypi-AgE", "dapi", "dop_v1_", "doo_v1_",
    "dor_v1_", "shpat_", "shpca_", "shppa_", "shpss_", "gsk_", "xai-", "key-", ":A", "Q~",
    "AKIA", "ASIA", "ABIA", "ACCA", "A3T", "eyJ", "-----BEGIN ", "service_account",
)
PREFILTER_LOWER_ANCHORS = ("twilio", "mailgun", "accountkey=", "azure", "storage", "aws")


def might_hold_secret(text: str, path: str = "") -> bool:
    if any(anchor in text for anchor in PREFILTER_ANCHORS):
        return True
    from hooks.check_secrets.anchors import CODE_SUFFIXES, assignments, lowered_text

    lowered = lowered_text(text)
    if lowered is None:
        return True  # rare: let the detectors look
    if any(anchor in lowered for anchor in PREFILTER_LOWER_ANCHORS):
        return True
    # DG328: in code only a quoted value counts (`password = models.CharField(...)` does not)
    quoted_only = path.lower().endswith(CODE_SUFFIXES)
    return any(not quoted_only or group == "quoted" for *_, group in assignments(text, lowered))


# --- DG390: files that should never be committed ------------------------------------

# (glob on the file name, why it must not be committed)
NEVER_COMMIT: tuple[tuple[str, str], ...] = (
    (".env", "environment files hold live credentials"),
    (".env.*", "environment files hold live credentials"),
    ("*.env", "environment files hold live credentials"),
    ("*.pem", "PEM files hold private keys"),
    ("*.key", "key files hold private keys"),
    ("id_rsa", "an SSH private key"),
    ("id_dsa", "an SSH private key"),
    ("id_ecdsa", "an SSH private key"),
    ("id_ed25519", "an SSH private key"),
    ("*.ppk", "a PuTTY private key"),
    ("*.p12", "a PKCS#12 keystore"),
    ("*.pfx", "a PKCS#12 keystore"),
    ("*.jks", "a Java keystore"),
    ("*.keystore", "a keystore"),
    (".netrc", "a netrc file holds login passwords"),
    (".pgpass", "a pgpass file holds database passwords"),
    ("credentials.json", "a credential file"),
    ("*-credentials.json", "a credential file"),
    ("*_credentials.json", "a credential file"),
    ("client_secret*.json", "an OAuth client secret file"),
    ("service-account*.json", "a service-account key file"),
    ("service_account*.json", "a service-account key file"),
)
# one regex for all the globs, compiled when a name gets past _GLOB_ENDS; group gN is NEVER_COMMIT[N]
_NEVER_COMMIT_NAME = lazy(
    "|".join(f"(?P<g{index}>{fnmatch.translate(glob)})" for index, (glob, _) in enumerate(NEVER_COMMIT))
)
# each glob's literal start and end (before its first `*`, after its last; the globs hold no
# other wildcard): a name that starts and ends like no glob matches none, and nearly every
# committed name is such a name, so the regex above (~1 ms to compile) is rarely needed
_GLOB_ENDS = tuple((glob.split("*", 1)[0], glob.rsplit("*", 1)[-1]) for glob, _ in NEVER_COMMIT)
# `.env.example`, `example.env`, `service-account-sample.json`: templates are meant to be
# shared (a name part between `.`, `-` or `_` says so).
TEMPLATE_PARTS = frozenset(
    {"example", "examples", "sample", "template", "tmpl", "tpl", "dist", "defaults"}
)
# Key files that hold only public material (certificates, public keys) are fine.
_PUBLIC_ONLY_SUFFIXES = (".pem", ".key")


def never_commit_reason(path: str) -> str | None:
    """Why a file with this name should never be committed, or None."""
    name = to_posix(path).rsplit("/", 1)[-1].lower()
    if not any(name.startswith(head) and name.endswith(tail) for head, tail in _GLOB_ENDS):
        return None
    if TEMPLATE_PARTS.intersection(re.split(r"[._-]", name)):
        return None
    match = _NEVER_COMMIT_NAME.match(name)
    return NEVER_COMMIT[int(match.lastgroup[1:])][1] if match else None


ENV_FILE_REASON = NEVER_COMMIT[0][1]


def holds_only_public_material(text: str) -> bool:
    return "PRIVATE KEY" not in text and ("BEGIN CERTIFICATE" in text or "PUBLIC KEY" in text)


def is_allowed(path: str, patterns: Sequence[str]) -> bool:
    posix = to_posix(os.path.normpath(path))
    name = posix.rsplit("/", 1)[-1]
    return any(fnmatch.fnmatchcase(posix, p) or fnmatch.fnmatchcase(name, p) for p in patterns)


def never_commit_finding(path: str, reason: str) -> Finding:
    name = to_posix(path).rsplit("/", 1)[-1]
    return Finding(
        path, 1, 1, "DG390",
        f"`{name}` should never be committed ({reason}): `git rm --cached` it and add it to "
        "`.gitignore` (commit a template such as `.env.example` instead), or list it in "
        "`allow-files`",
        HOOK_ID,
    )


# --- the check ----------------------------------------------------------------------

# Never worth reading: formats that cannot hold a pasted token as text.
BINARY_SUFFIXES = (
    ".png", ".jpg", ".jpeg", ".gif", ".bmp", ".ico", ".webp", ".tif", ".tiff", ".psd",
    ".pdf", ".zip", ".gz", ".tgz", ".bz2", ".xz", ".7z", ".rar", ".tar", ".jar", ".whl",
    ".woff", ".woff2", ".ttf", ".otf", ".eot", ".mp3", ".mp4", ".mov", ".avi", ".wav",
    ".so", ".dylib", ".dll", ".exe", ".class", ".pyc", ".pyo", ".o", ".a",
)


def check(run: CheckRun) -> Iterator[Finding]:
    baseline = run.settings["baseline"]
    if baseline != DEFAULT_BASELINE and not os.path.exists(baseline):
        raise HookError(baseline_not_found(baseline))
    baseline_posix = to_posix(os.path.normpath(baseline))
    scanner = None  # the detector pack, built on the first file that passes the prefilter
    for path in run.paths:
        posix = to_posix(os.path.normpath(path))
        if posix == baseline_posix:
            continue  # it holds hashes, and must be committed
        source = None if posix.lower().endswith(BINARY_SUFFIXES) else _read(run, path)
        findings = []
        kept: dict[int, str] = {}
        finding = _never_commit(path, source, run.settings["allow_files"])
        if finding is not None:
            findings.append(finding)
            if source is not None:
                kept[1] = _for_suppression(_first_line(source.text))
        if source is not None and might_hold_secret(source.text, path):
            if scanner is None:
                from hooks.check_secrets.engine import Scanner

                scanner = Scanner(baseline)
            found, lines = scanner.scan_lines(source, HOOK_ID)
            findings.extend(found)
            kept.update((number, _for_suppression(line)) for number, line in lines.items())
        if kept:
            # suppression comments are looked up in these lines: a run keeps the lines of its
            # findings, never whole files, so its memory is one file's, not the tree's
            run.sources.put(_KeptLines(path, kept))
        yield from findings


def _cache_context(run: CheckRun) -> str:
    """Findings also depend on the baseline's content and detect-secrets' version (env files,
    judged against the compose files that load them, are never cached: `_depends_on_others`)."""
    from hooks._core.filecache import file_digest

    baseline = run.settings["baseline"]
    return f"{file_digest(baseline) if os.path.exists(baseline) else ''}:{_detect_secrets_stamp()}"


def _detect_secrets_stamp() -> str:
    """Which detect-secrets is installed, without importing it (its import costs 0.1 s)."""
    import importlib.util

    spec = importlib.util.find_spec("detect_secrets")
    if spec is None or not spec.origin:
        return ""
    version = os.path.join(os.path.dirname(spec.origin), "__version__.py")
    try:
        with open(version, encoding="utf-8") as handle:
            return f"{spec.origin}:{handle.read().strip()}"
    except OSError:
        return spec.origin


def _depends_on_others(path: str) -> bool:
    return never_commit_reason(to_posix(os.path.normpath(path))) is not None


class _KeptLines(SourceFile):
    """The lines of a file that hold findings (the only ones suppression looks at)."""

    def __init__(self, path: str, lines: dict[int, str]) -> None:
        super().__init__(path, "")
        self.kept = lines

    def line(self, number: int) -> str:
        return self.kept.get(number, "")


_LONG_LINE = 1000


def _for_suppression(line: str) -> str:
    """What suppression needs of a line: the line, or for a long one (a minified bundle's line
    is megabytes) just its `driftgate: ignore[...]` comment, read the same way."""
    if len(line) <= _LONG_LINE:
        return line
    codes = suppressed_codes(line)
    if codes is None:
        return ""
    return "# driftgate: ignore" + (f"[{','.join(sorted(codes))}]" if codes else "")


def _first_line(text: str) -> str:
    ends = [end for end in (text.find("\n"), text.find("\r")) if end >= 0]
    return text[: min(ends) if ends else len(text)]


def _never_commit(path: str, source: SourceFile | None, allow: Sequence[str]) -> Finding | None:
    """DG390 for `path`, unless allowed or (for key files) holding only public material."""
    posix = to_posix(os.path.normpath(path))
    reason = never_commit_reason(posix)
    if reason is None or is_allowed(posix, allow):
        return None
    if (
        source is not None
        and posix.lower().endswith(_PUBLIC_ONLY_SUFFIXES)
        and holds_only_public_material(source.text)
    ):
        return None
    if reason == ENV_FILE_REASON and source is not None:
        # an env file is judged by its values (hooks/check_secrets/envfiles.py)
        from hooks.check_secrets.envfiles import judge

        message = judge(path, source.text)
        return None if message is None else Finding(path, 1, 1, "DG390", message, HOOK_ID)
    return never_commit_finding(path, reason)


def baseline_not_found(path: str) -> str:
    return (
        f"baseline {path} not found: create it (`driftgate secrets-baseline --baseline {path}`) "
        "or fix `baseline`"
    )


_SNIFF_BYTES = 8192  # as much as the core's binary sniff looks at


def _read(run: CheckRun, path: str) -> SourceFile | None:
    """The file's text; None for binary or unreadable files (the latter recorded as errors).

    Unlike other hooks, a text file that is not valid UTF-8 is still scanned, decoded as
    Latin-1: credentials are ASCII, so an encoding must not be a way past the gate.
    """
    if os.path.exists(path) and not os.path.isfile(path):  # a FIFO or device: blocks or never ends
        run.errors.append(f"{path}: cannot read: not a regular file")
        return None
    try:
        with open(path, "rb") as handle:
            head = handle.read(_SNIFF_BYTES)
            if is_binary(head):  # a model, a database, an archive: never read it all
                return None
            handle.seek(0)
            data = handle.read()  # one buffer, not head + rest (twice the file in memory)
    except OSError as exc:
        run.errors.append(f"{path}: cannot read: {exc.strerror or exc}")
        return None
    try:
        text = decode(path, data)
    except Unreadable:
        if is_binary(data):
            return None
        text = data.decode("latin-1")
    del data
    return SourceFile(path, text)


OPTIONS = (
    Option(
        "baseline", str, DEFAULT_BASELINE,
        "detect-secrets baseline whose accepted secrets are not reported (used when it exists)",
    ),
    Option("allow-files", list, [], "glob patterns of files DG390 allows to be committed"),
)

HOOK = FileHook(
    id=HOOK_ID,
    description="Report hardcoded credentials and files that should never be committed.",
    rules=RULES,
    selects=lambda _path: True,  # content of every text file, names of all
    check=check,
    options=OPTIONS,
    cache_context=_cache_context,
    uncacheable=_depends_on_others,
)


def main(argv: Sequence[str] | None = None) -> int:
    return run_hook(HOOK, argv)
