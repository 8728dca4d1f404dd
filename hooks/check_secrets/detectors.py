"""The detector pack: one small detect-secrets `RegexBasedDetector` per credential format.

Each class names its rule code, its detect-secrets `secret_type`, its `anchors` (literals,
and `lower_anchors` in any case, where a match can start: its regexes are tried only there,
see `anchors.py`), and its `denylist`. A regex with a `secret` group reports that group (and hashes it, as the
detect-secrets baseline does); otherwise the whole match. `is_valid` rejects matches that have
the shape but not the structure (checksums, JSON inside a JWT, ...).

This module imports detect-secrets, whose plugin base imports `requests`: it is imported only
when a file contains a keyword, so a clean commit never pays for it. `verify` is never called:
no detector here talks to the network.
"""
from __future__ import annotations

import base64
import binascii
import json
import re

from hooks.check_secrets.lazy import defer_package_inits, defer_requests

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (~3 ms)
if TYPE_CHECKING:
    from typing import ClassVar, Iterator, Pattern

defer_requests()
defer_package_inits()  # see lazy.py: imported first, this module decides what detect-secrets costs

from detect_secrets.plugins.base import RegexBasedDetector

from hooks._core.lazyre import lazy
from hooks.check_secrets.anchors import (
    KEYWORDS,
    TOKEN_CHARS as _TOKEN_CHARS,
    Hits,
    assignments,
)

# Token edges: a token is not part of a longer run of token characters.
_END = r"(?![A-Za-z0-9_-])"
_BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


# Regexes whose match must not follow these characters (a token is not the tail of a longer
# run). Checked in Python, not with a leading lookbehind: a pattern that starts with a
# lookbehind is tried at every position of the text; one that starts with a literal is only
# tried where `anchors.anchor_hits` found that literal.
_EDGES: dict[Pattern[str], frozenset[str]] = {}


def _token(
    body: str, flags: int = 0, edge: frozenset[str] = _TOKEN_CHARS, end: str = _END
) -> Pattern[str]:
    regex = lazy(f"(?P<secret>{body}){end}", flags)
    _EDGES[regex] = edge
    return regex


def base62_crc32(data: str) -> str:
    """The 6-character checksum GitHub and npm append to their tokens: CRC32, base62."""
    value = binascii.crc32(data.encode("ascii"))
    digits = ""
    while value:
        value, rest = divmod(value, 62)
        digits = _BASE62[rest] + digits
    return digits.rjust(6, "0")


def _b64url_json(part: str) -> object:
    """Decode one base64url JWT segment as JSON; raise ValueError when it is not."""
    padded = part + "=" * (-len(part) % 4)
    return json.loads(base64.urlsafe_b64decode(padded.encode("ascii")).decode("utf-8"))


class Detector(RegexBasedDetector):
    """A credential format. Subclasses set the class attributes below.

    `secret_type` is what a baseline entry records; where detect-secrets has a plugin for the
    same format it is that plugin's exact name, so `detect-secrets audit` knows the entry.
    """

    code: ClassVar[str]
    secret_type: ClassVar[str]  # type: ignore[misc]  # detect-secrets declares a property
    denylist: ClassVar[tuple[Pattern[str], ...]]  # type: ignore[misc]
    title: ClassVar[str] = ""  # how findings name it, when not `secret_type`
    # Where a match can start: exact literals, and literals in any case. Each denylist regex
    # is tried (`match`) only at these offsets, so a large file costs a few C scans.
    anchors: ClassVar[tuple[str, ...]] = ()
    lower_anchors: ClassVar[tuple[str, ...]] = ()

    def find(self, text: str, hits: Hits | None = None) -> Iterator[tuple[int, int, str]]:
        """(start, end, secret) of every valid match in `text` (`hits`: its shared anchor scans)."""
        if hits is None:
            hits = Hits(text)
        offsets = hits.exact(self.anchors)
        if self.lower_anchors:
            offsets = sorted(set(offsets).union(hits.any_case(self.lower_anchors)))
        end = -1
        for hit in offsets:
            if hit < end:
                continue  # inside the previous match
            for regex in self.denylist:
                edge = _EDGES.get(regex)
                if edge is not None and hit > 0 and text[hit - 1] in edge:
                    continue
                match = regex.match(text, hit)
                if match is None:
                    continue
                group = "secret" if "secret" in regex.groupindex else 0
                secret = match.group(group)
                if secret and self.is_valid(secret):
                    end = match.end()
                    yield match.start(group), match.end(group), secret
                    break

    def is_valid(self, secret: str) -> bool:
        return True

    def analyze_string(self, string: str) -> Iterator[str]:  # type: ignore[override]
        """detect-secrets' plugin interface, so the pack also runs inside its engine."""
        for _, _, secret in self.find(string):
            yield secret


class OpenAIDetector(Detector):
    code = "DG301"
    secret_type = "OpenAI Token"
    title = "OpenAI API Key"
    anchors = ("sk-",)
    denylist = (
        _token(r"sk-(?:proj|svcacct|admin)-[A-Za-z0-9_-]{40,}"),
        _token(r"sk-[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20}"),
        # any other sk-<scope>- key that carries OpenAI's T3BlbkFJ marker (sk-None-, ...)
        _token(r"sk-(?:[A-Za-z0-9]{1,20}-)?[A-Za-z0-9_-]{20,200}T3BlbkFJ[A-Za-z0-9_-]{20,200}"),
    )


class AnthropicDetector(Detector):
    code = "DG302"
    secret_type = "Anthropic API Key"
    anchors = ("sk-",)  # shared with OpenAI's scan
    denylist = (_token(r"sk-ant-(?:api|admin|oat)\d\d-[A-Za-z0-9_-]{80,}"),)


class GitHubDetector(Detector):
    code = "DG303"
    secret_type = "GitHub Token"
    anchors = ("gh", "github_pat_")
    denylist = (
        _token(r"gh[pousr]_[A-Za-z0-9]{36}"),
        _token(r"github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59}"),
    )

    def is_valid(self, secret: str) -> bool:
        if secret.startswith("github_pat_"):
            return True  # fine-grained tokens carry no public checksum
        # gh?_ + 30 random base62 + their CRC32 in 6 base62 digits; placeholders fail it
        return base62_crc32(secret[4:-6]) == secret[-6:]


class GitLabDetector(Detector):
    code = "DG304"
    secret_type = "GitLab Token"
    anchors = ("gl",)
    denylist = (
        _token(
            r"(?:glpat|gldt|glrt|glptt|glft|glsoat)-[A-Za-z0-9_-]{20,}"
            r"(?:\.[0-9a-z]{2}\.[0-9a-z]{7,9})?"
        ),
    )


class HuggingFaceDetector(Detector):
    code = "DG305"
    secret_type = "Hugging Face Token"
    anchors = ("hf_", "api_org_")
    denylist = (_token(r"(?:hf|api_org)_[A-Za-z]{34}"),)


class GoogleAPIKeyDetector(Detector):
    code = "DG306"
    secret_type = "Google API Key"
    anchors = ("AIza",)
    denylist = (_token(r"AIza[0-9A-Za-z_-]{35}"),)


class SlackDetector(Detector):
    code = "DG307"
    secret_type = "Slack Token"
    anchors = ("xox", "xapp-", "hooks.slack.com/")
    denylist = (
        _token(r"xox[abeoprs]-(?:\d+-){1,4}[A-Za-z0-9]{8,}(?:-[A-Za-z0-9]+)*"),
        _token(r"xapp-\d-[A-Z0-9]{8,}-\d{8,}-[a-f0-9]{32,}"),
        _token(r"xoxe\.xox[bp]-\d-[A-Za-z0-9]{60,}"),
        lazy(
            r"hooks\.slack\.com/(?:services|workflows)/"
            r"(?P<secret>T[A-Z0-9]{6,}/[A-Z0-9/]{8,}/[A-Za-z0-9]{20,})"
        ),
    )


class StripeDetector(Detector):
    code = "DG308"
    secret_type = "Stripe Access Key"
    title = "Stripe Live Key"
    anchors = ("sk_live_", "rk_live_")
    denylist = (_token(r"[sr]k_live_[0-9A-Za-z]{20,}"),)


class TwilioDetector(Detector):
    code = "DG309"
    secret_type = "Twilio API Key"
    title = "Twilio API key or auth token"
    anchors = ("SK",)
    lower_anchors = ("twilio",)
    denylist = (
        _token(r"SK[0-9a-f]{32}"),
        lazy(
            r"twilio[\w.-]{0,20}?(?:auth[_-]?token|secret|token)[\"']?\s*(?::=|=>|[:=,(])\s*[\"']?"
            r"(?P<secret>[0-9a-f]{32})(?![0-9A-Za-z])",
            re.IGNORECASE,
        ),
    )


class SendGridDetector(Detector):
    code = "DG310"
    secret_type = "SendGrid API Key"
    anchors = ("SG.",)
    denylist = (_token(r"SG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}"),)


class NpmDetector(Detector):
    code = "DG311"
    secret_type = "NPM tokens"
    title = "npm Token"
    anchors = ("npm_",)
    denylist = (_token(r"npm_[A-Za-z0-9]{36}"),)

    def is_valid(self, secret: str) -> bool:
        return base62_crc32(secret[4:-6]) == secret[-6:]


class PyPIDetector(Detector):
    code = "DG312"
    secret_type = "PyPI Token"
    title = "PyPI Upload Token"
    anchors = ("pypi-AgE",)
    # "pypi-" + a base64url macaroon; every macaroon starts with the same version bytes
    denylist = (_token(r"pypi-AgE[A-Za-z0-9_-]{70,}"),)


class DatabricksDetector(Detector):
    code = "DG313"
    secret_type = "Databricks Token"
    anchors = ("dapi",)
    denylist = (_token(r"dapi[0-9a-f]{32}(?:-\d)?"),)


class DigitalOceanDetector(Detector):
    code = "DG314"
    secret_type = "DigitalOcean Token"
    anchors = ("dop_v1_", "doo_v1_", "dor_v1_")
    denylist = (_token(r"do[opr]_v1_[0-9a-f]{64}"),)


class ShopifyDetector(Detector):
    code = "DG315"
    secret_type = "Shopify Token"
    anchors = ("shp",)
    denylist = (_token(r"shp(?:at|ca|pa|ss)_[0-9a-fA-F]{32}"),)


class GroqDetector(Detector):
    code = "DG316"
    secret_type = "Groq API Key"
    anchors = ("gsk_",)
    denylist = (_token(r"gsk_[A-Za-z0-9]{52}"),)


class XAIDetector(Detector):
    code = "DG317"
    secret_type = "xAI API Key"
    anchors = ("xai-",)
    denylist = (_token(r"xai-[A-Za-z0-9]{80}"),)


class MailgunDetector(Detector):
    code = "DG318"
    secret_type = "Mailgun API Key"
    anchors = ("key-",)
    lower_anchors = ("mailgun",)
    denylist = (
        _token(r"key-[0-9a-f]{32}"),
        lazy(
            r"mailgun[\w.-]{0,30}?[\"']?\s*(?::=|=>|[:=,(])\s*[\"']?"
            r"(?P<secret>[0-9a-f]{32}-[0-9a-f]{8}-[0-9a-f]{8})(?![0-9A-Za-z-])",
            re.IGNORECASE,
        ),
    )


class TelegramDetector(Detector):
    code = "DG319"
    secret_type = "Telegram Bot Token"
    anchors = (":A",)
    denylist = (lazy(r":A[A-Za-z0-9_-]{34}(?![A-Za-z0-9_-])"),)

    def find(self, text: str, hits: Hits | None = None) -> Iterator[tuple[int, int, str]]:
        # 8 to 10 digits before ":A", not preceded by a word character or a colon
        for hit in (hits or Hits(text)).exact(self.anchors):
            start = hit
            while start > 0 and hit - start < 11 and text[start - 1].isdigit() and text[start - 1].isascii():
                start -= 1
            if not 8 <= hit - start <= 10 or (start > 0 and (text[start - 1].isalnum() or text[start - 1] in "_:")):
                continue
            match = self.denylist[0].match(text, hit)
            if match is not None:
                yield start, match.end(), text[start : match.end()]


class AzureStorageKeyDetector(Detector):
    code = "DG320"
    secret_type = "Azure Storage Account access key"
    title = "Azure Storage Account Key"
    lower_anchors = ("accountkey=", "azure", "storage")
    denylist = (
        lazy(r"AccountKey=(?P<secret>[A-Za-z0-9+/]{86}==)", re.IGNORECASE),
        lazy(
            r"(?:azure|storage)[\w.-]{0,30}?key[\"']?\s*(?::=|=>|[:=,(])\s*[\"']?"
            r"(?P<secret>[A-Za-z0-9+/]{86}==)",
            re.IGNORECASE,
        ),
    )


_AZURE_SECRET_CHARS = _TOKEN_CHARS | frozenset("~.")


class AzureClientSecretDetector(Detector):
    code = "DG321"
    secret_type = "Azure Client Secret"
    anchors = ("Q~",)
    # Entra ID app secrets: 3 characters, a digit, "Q~", then 31-34 more
    denylist = (
        lazy(r"(?P<secret>[A-Za-z0-9_~.-]{3}\dQ~[A-Za-z0-9_~.-]{31,34})(?![A-Za-z0-9_~.-])"),
    )

    def find(self, text: str, hits: Hits | None = None) -> Iterator[tuple[int, int, str]]:
        for hit in (hits or Hits(text)).exact(self.anchors):
            start = hit - 4
            if start < 0 or (start > 0 and text[start - 1] in _AZURE_SECRET_CHARS):
                continue
            match = self.denylist[0].match(text, start)
            if match is not None:
                yield match.start("secret"), match.end("secret"), match.group("secret")


class AWSAccessKeyDetector(Detector):
    code = "DG322"
    secret_type = "AWS Access Key"
    anchors = ("AKIA", "ASIA", "ABIA", "ACCA", "A3T")
    denylist = (
        _token(
            r"(?:A3T[A-Z0-9]|ABIA|ACCA|AKIA|ASIA)[0-9A-Z]{16}",
            edge=frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"), end=r"(?![A-Z0-9])",
        ),
    )


class AWSSecretKeyDetector(Detector):
    code = "DG323"
    secret_type = "AWS Access Key"  # what detect-secrets calls both halves of the pair
    title = "AWS Secret Access Key"
    lower_anchors = ("aws",)
    denylist = (
        lazy(
            r"aws[\w.-]{0,20}?(?:secret|key|pwd|token)[\w.-]{0,20}?[\"']?\s*(?::=|=>|[:=,(])\s*[\"']?"
            r"(?P<secret>[A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])",
            re.IGNORECASE,
        ),
    )

    def is_valid(self, secret: str) -> bool:
        # 40 random base64 characters mix cases; hex digests (git SHAs, sha1) do not
        return any(c.isupper() for c in secret) and any(c.islower() for c in secret)


class JWTDetector(Detector):
    code = "DG324"
    secret_type = "JSON Web Token"
    anchors = ("eyJ",)
    denylist = (_token(r"eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{16,}"),)

    def is_valid(self, secret: str) -> bool:
        header_part, payload_part, _ = secret.split(".")
        try:
            header = _b64url_json(header_part)
            payload = _b64url_json(payload_part)
        except (ValueError, UnicodeDecodeError, binascii.Error):
            return False
        if not isinstance(header, dict) or not isinstance(payload, dict):
            return False
        alg = header.get("alg")
        if not isinstance(alg, str) or alg.lower() == "none":
            return False
        # the example token every JWT tutorial shows
        return not (payload.get("sub") == "1234567890" and payload.get("name") == "John Doe")


# The body of a PEM block as it appears in a file: real newlines, or "\n" escapes inside a
# JSON/YAML/TOML string, around base64 lines and optional RFC 1421 headers.
_PEM = lazy(
    r"-----BEGIN (?P<label>(?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?)-----"
    # never across another "-----": a BEGIN without its END costs one short scan
    r"(?P<secret>(?:\\[nr]|[\sA-Za-z0-9+/=:,.]|-(?!----))*?)"
    r"-----END (?P=label)-----"
)


def pem_body(block: str) -> str:
    """The base64 characters of a PEM body (headers and escapes dropped)."""
    lines = block.replace("\\r", "\n").replace("\\n", "\n").splitlines()
    return "".join(line.strip() for line in lines if ":" not in line)


class PrivateKeyDetector(Detector):
    code = "DG325"
    secret_type = "Private Key"
    anchors = ("-----BEGIN ",)
    denylist = (_PEM,)

    def find(self, text: str, hits: Hits | None = None) -> Iterator[tuple[int, int, str]]:
        for match in _PEM.finditer(text):
            body = pem_body(match.group("secret"))
            if len(body) >= 40 and len(set(body)) >= 16:
                yield match.start(), match.end(), body


_SERVICE_ACCOUNT = lazy(r"[\"']type[\"']\s*:\s*[\"']service_account[\"']")


class GCPServiceAccountDetector(Detector):
    code = "DG326"
    secret_type = "Private Key"
    title = "GCP Service Account Key"
    anchors = ("service_account",)
    denylist = (
        lazy(
            r"[\"']private_key[\"']\s*:\s*[\"'](?P<secret>-----BEGIN [A-Z ]*PRIVATE KEY-----[^\"']+)[\"']"
        ),
    )

    def find(self, text: str, hits: Hits | None = None) -> Iterator[tuple[int, int, str]]:
        if "service_account" not in text or not _SERVICE_ACCOUNT.search(text):
            return
        for match in self.denylist[0].finditer(text):
            body = pem_body(match.group("secret").split("-----", 2)[-1].split("-----END")[0])
            if len(body) >= 40 and len(set(body)) >= 16:
                yield match.start("secret"), match.end("secret"), body


# Host names reserved for documentation (RFC 2606, RFC 6761): credentials pointing there
# are examples, not leaks.
_DOCUMENTATION_HOST = lazy(
    r"(?:^|\.)(?:example\.(?:com|net|org)|example|test|invalid)$", re.IGNORECASE
)
_LOOPBACK = lazy(r"(?:localhost|127(?:\.\d{1,3}){3}|0\.0\.0\.0|\[::1?\])\Z", re.IGNORECASE)


def _looks_random(password: str) -> bool:
    from hooks.check_secrets.generic import EXAMPLE_PASSWORD_LENGTH, looks_random

    return looks_random(password, EXAMPLE_PASSWORD_LENGTH)


# "host:8080/@scope/pkg" and "host:123,other@..." are a port, not a password
_PORT = lazy(r"\d{1,5}(?:[/,]|$)")


def _url_regex(password_excludes: str) -> Pattern[str]:
    return lazy(
        r"://(?P<user>[^\s:/@\"'`<>]{0,200}):(?P<secret>[^\s" + password_excludes + r"]{1,200})@"
        r"(?P<host>[A-Za-z0-9_.~-]+|\[[0-9A-Fa-f:.]+\])(?=[:/?#\s\"'`,;)>\]]|$)"
    )


# The password may hold any punctuation, quotes included, except the quote that opened the
# string the URL sits in.
_URL = _url_regex("")
_URL_INSIDE = {quote: _url_regex(quote) for quote in "\"'`"}
_SCHEME_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+.-")


def _opening_quote(text: str, colon: int) -> str:
    """The quote right before the URL's scheme (which ends at `colon`), or ''."""
    index = colon
    while index > 0 and text[index - 1] in _SCHEME_CHARS:
        index -= 1
    return text[index - 1] if index > 0 and text[index - 1] in _URL_INSIDE else ""


class URLPasswordDetector(Detector):
    code = "DG327"
    secret_type = "Basic Auth Credentials"
    title = "Password in URL"
    anchors = ("://",)
    # scheme://user:password@host -- the last @ before a host name ends the password, so it
    # may hold @ : / # and any other punctuation.
    denylist = (_URL,)

    def find(self, text: str, hits: Hits | None = None) -> Iterator[tuple[int, int, str]]:
        position = 0
        while True:
            match = _URL.search(text, position)
            if match is None:
                return
            quote = _opening_quote(text, match.start())
            if quote and quote in match.group("secret"):
                match = _URL_INSIDE[quote].match(text, match.start()) or match
                if quote in match.group("secret"):
                    position = match.start() + 3
                    continue
            position = match.end()
            secret = match.group("secret")
            if _PORT.match(secret) or _DOCUMENTATION_HOST.search(match.group("host")):
                continue
            if secret == match.group("user"):
                continue  # `postgres:postgres@`, `guest:guest@`: a default, not a secret
            if _LOOPBACK.match(match.group("host")) and not _looks_random(secret):
                continue  # a database on the developer's own machine, with a word for a password
            yield match.start("secret"), match.end("secret"), secret


# --- generic: a credential's name assigned a random literal -------------------------------

# Values in a format another detector knows: that detector's verdict stands (a `ghp_` token
# with a broken checksum is a placeholder, not a generic credential).
_VENDOR_PREFIX = lazy(
    r"(?:sk-|sk_|rk_|pk_|gh[pousr]_|github_pat_|gl(?:pat|dt|rt|ptt|ft|soat)-|hf_|api_org_|AIza|"
    r"xox[abeoprs]|xapp-|SG\.|npm_|pypi-|dapi|do[opr]_v1_|shp(?:at|ca|pa|ss)_|gsk_|xai-|key-|"
    r"(?:A3T[A-Z0-9]|ABIA|ACCA|AKIA|ASIA)[A-Z0-9]{4}|eyJ)"
)


class KeywordCredentialDetector(Detector):
    """A name that holds a credential (`SECRET_KEY`, `db_password`, `api_key=`, `"token":`)
    assigned a string literal that is long and random (see `hooks/check_secrets/generic.py`).

    detect-secrets' KeywordDetector finds the same shapes but reports any value (`password =
    "x"`); this one needs randomness, so placeholders, words and references stay quiet.
    """

    code = "DG328"
    secret_type = "Secret Keyword"  # detect-secrets' KeywordDetector: its baseline entries count
    title = "Hardcoded credential"
    lower_anchors = KEYWORDS
    denylist = ()
    bare_values = True  # set per file by the engine: False for code files
    python = False  # set per file by the engine: docstrings are documentation

    def find(self, text: str, hits: Hits | None = None) -> Iterator[tuple[int, int, str]]:
        from hooks.check_secrets.generic import is_secret_name, looks_random

        hits = hits or Hits(text)
        for start, end, match, group in assignments(text, hits.lower(), hits):
            if group == "bare" and not self.bare_values:
                continue
            value = match.group(group)
            if not is_secret_name(text[start:end]) or _VENDOR_PREFIX.match(value):
                continue  # a known format: its own detector judged it (checksum, shape)
            if looks_random(value) and not (self.python and _in_docstring(text, start)):
                yield match.start(group), match.end(group), value


def _in_docstring(text: str, offset: int) -> bool:
    """Inside a triple-quoted string (a docstring's example, such as an RFC's sample token)?"""
    before = text[:offset]
    return before.count('"""') % 2 == 1 or before.count("'''") % 2 == 1


# Order matters where two formats overlap: the more specific one claims the span first.
DETECTORS: tuple[type[Detector], ...] = (
    GCPServiceAccountDetector,
    PrivateKeyDetector,
    AnthropicDetector,
    OpenAIDetector,
    GitHubDetector,
    GitLabDetector,
    HuggingFaceDetector,
    GoogleAPIKeyDetector,
    SlackDetector,
    StripeDetector,
    TwilioDetector,
    SendGridDetector,
    NpmDetector,
    PyPIDetector,
    DatabricksDetector,
    DigitalOceanDetector,
    ShopifyDetector,
    GroqDetector,
    XAIDetector,
    MailgunDetector,
    TelegramDetector,
    AzureStorageKeyDetector,
    AzureClientSecretDetector,
    AWSAccessKeyDetector,
    AWSSecretKeyDetector,
    JWTDetector,
    URLPasswordDetector,
    KeywordCredentialDetector,
)
