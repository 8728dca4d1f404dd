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
from typing import Iterator, Sequence

from hooks._core.config import Option
from hooks._core.files import (
    SourceFile,
    Unreadable,
    decode,
    is_binary,
    to_posix,
)
from hooks._core.findings import Finding, HookError, Rule
from hooks._core.runner import CheckRun, FileHook, run_hook

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
    Rule("DG390", "a file that should never be committed (.env, *.pem, id_rsa, credential JSON, ...)"),
)

# A superset of every detector, searched once over the lowercased text of a file. When it
# finds nothing -- nearly every file of nearly every commit -- the file is done.
PREFILTER = re.compile(
    "|".join(
        (
            r"sk-(?:proj|svcacct|admin|ant)-",
            r"t3blbkfj",
            r"gh[pousr]_[a-z0-9]{36}",
            r"github_pat_",
            r"gl(?:pat|dt|rt|ptt|ft|soat)-",
            r"(?:hf|api_org)_[a-z]{34}",
            r"aiza[0-9a-z_-]{35}",
            r"xox[abeoprs][-.]",
            r"xapp-\d-",
            r"hooks\.slack\.com/",
            r"[sr]k_live_",
            r"sk[0-9a-f]{32}",
            r"twilio",
            r"sg\.[a-z0-9_-]{22}\.",
            r"npm_[a-z0-9]{36}",
            r"pypi-age",
            r"dapi[0-9a-f]{32}",
            r"do[opr]_v1_",
            r"shp(?:at|ca|pa|ss)_",
            r"gsk_[a-z0-9]{52}",
            r"xai-[a-z0-9]{80}",
            r"key-[0-9a-f]{32}",
            r"mailgun",
            r"\d{8}:a[a-z0-9_-]{34}",
            r"accountkey=",
            r"(?:azure|storage)[\w.-]{0,30}?key",
            r"\dq~",
            r"(?:a3t[a-z0-9]|abia|acca|akia|asia)[0-9a-z]{16}",
            r"aws[\w.-]{0,20}?(?:secret|key|pwd|token)",
            r"eyj[a-z0-9_-]{8,}\.eyj",
            r"private key",
            r"service_account",
            r"://[^\s:/@\"'`<>]{0,200}:\S{1,200}@",
        )
    )
)


def might_hold_secret(text: str) -> bool:
    return PREFILTER.search(text.lower()) is not None


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
# one regex for all the globs; group gN is NEVER_COMMIT[N]
_NEVER_COMMIT_NAME = re.compile(
    "|".join(f"(?P<g{index}>{fnmatch.translate(glob)})" for index, (glob, _) in enumerate(NEVER_COMMIT))
)
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
    if TEMPLATE_PARTS.intersection(re.split(r"[._-]", name)):
        return None
    match = _NEVER_COMMIT_NAME.match(name)
    return NEVER_COMMIT[int(match.lastgroup[1:])][1] if match else None


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
        finding = _never_commit(path, source, run.settings["allow_files"])
        if finding is not None:
            yield finding
        if source is None or not might_hold_secret(source.text):
            continue
        if scanner is None:
            from hooks.check_secrets.engine import Scanner

            scanner = Scanner(baseline)
        yield from scanner.scan(source, HOOK_ID)


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
            data = head + handle.read()
    except OSError as exc:
        run.errors.append(f"{path}: cannot read: {exc.strerror or exc}")
        return None
    try:
        text = decode(path, data)
    except Unreadable:
        if is_binary(data):
            return None
        text = data.decode("latin-1")
    source = SourceFile(path, text)
    run.sources.put(source)  # suppression comments are looked up in this same text
    return source


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
)


def main(argv: Sequence[str] | None = None) -> int:
    return run_hook(HOOK, argv)
