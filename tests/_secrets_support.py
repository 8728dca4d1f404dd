"""Fake credentials for the check-secrets tests and benchmark, built at run time.

Every token is assembled from pieces (prefixes are split, bodies are random) so that this
repository never contains a literal that looks like a live credential: GitHub push
protection and our own check-secrets hook stay quiet on our own tree. Each builder follows
the format's documented public shape: prefix, length, alphabet, and the checksum where the
format has one (GitHub and npm: CRC32 of the random part in 6 base62 digits).
"""
from __future__ import annotations

import base64
import binascii
import json
import random
import string
from dataclasses import dataclass
from typing import Callable

ALNUM = string.ascii_letters + string.digits
URLSAFE = ALNUM + "_-"
HEX = "0123456789abcdef"
BASE62 = string.digits + string.ascii_uppercase + string.ascii_lowercase


def rand(rng: random.Random, size: int, alphabet: str = ALNUM) -> str:
    return "".join(rng.choice(alphabet) for _ in range(size))


def crc32_base62(data: str) -> str:
    """GitHub/npm token checksum, written independently of the hook's implementation."""
    value = binascii.crc32(data.encode())
    out = []
    while value:
        value, digit = divmod(value, 62)
        out.append(BASE62[digit])
    return "".join(reversed(out)).rjust(6, "0")


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


# --- builders: rng -> the raw secret ------------------------------------------------


def openai_project(rng: random.Random) -> str:
    return "sk-" + "proj-" + rand(rng, 74, URLSAFE) + "T3Blbk" + "FJ" + rand(rng, 74, URLSAFE)


def openai_svcacct(rng: random.Random) -> str:
    return "sk-" + "svcacct-" + rand(rng, 74, URLSAFE) + "T3Blbk" + "FJ" + rand(rng, 74, URLSAFE)


def openai_legacy(rng: random.Random) -> str:
    return "sk-" + rand(rng, 20) + "T3Blbk" + "FJ" + rand(rng, 20)


def anthropic(rng: random.Random) -> str:
    return "sk-" + "ant-" + "api03-" + rand(rng, 93, URLSAFE) + "AA"


def github_classic(kind: str) -> Callable[[random.Random], str]:
    def build(rng: random.Random) -> str:
        body = rand(rng, 30)
        return "gh" + kind + "_" + body + crc32_base62(body)

    return build


def github_fine_grained(rng: random.Random) -> str:
    return "github" + "_pat_" + rand(rng, 22) + "_" + rand(rng, 59)


def gitlab(rng: random.Random) -> str:
    return "gl" + "pat-" + rand(rng, 20, URLSAFE)


def huggingface(rng: random.Random) -> str:
    return "hf" + "_" + rand(rng, 34, string.ascii_letters)


def google(rng: random.Random) -> str:
    return "AI" + "za" + rand(rng, 35, URLSAFE)


def slack_bot(rng: random.Random) -> str:
    return "xo" + "xb-" + rand(rng, 11, string.digits) + "-" + rand(rng, 13, string.digits) + "-" + rand(rng, 24)


def slack_webhook(rng: random.Random) -> str:
    upper = string.ascii_uppercase + string.digits
    return (
        "https://hooks.slack.com/" + "services/T" + rand(rng, 10, upper) + "/B"
        + rand(rng, 10, upper) + "/" + rand(rng, 24)
    )


def stripe(rng: random.Random) -> str:
    return rng.choice(("s", "r")) + "k_" + "live_" + rand(rng, 99)


def twilio_key(rng: random.Random) -> str:
    return "S" + "K" + rand(rng, 32, HEX)


def sendgrid(rng: random.Random) -> str:
    return "S" + "G." + rand(rng, 22, URLSAFE) + "." + rand(rng, 43, URLSAFE)


def npm(rng: random.Random) -> str:
    body = rand(rng, 30)
    return "np" + "m_" + body + crc32_base62(body)


def pypi(rng: random.Random) -> str:
    # "pypi-" + base64url(macaroon); the macaroon's first bytes are fixed by its format
    return "py" + "pi-" + "AgE" + "IcHlwaS5vcmc" + rand(rng, 140, URLSAFE)


def databricks(rng: random.Random) -> str:
    return "da" + "pi" + rand(rng, 32, HEX)


def digitalocean(rng: random.Random) -> str:
    return "do" + "p_v1_" + rand(rng, 64, HEX)


def shopify(rng: random.Random) -> str:
    return "sh" + "pat_" + rand(rng, 32, HEX)


def groq(rng: random.Random) -> str:
    return "gs" + "k_" + rand(rng, 52)


def xai(rng: random.Random) -> str:
    return "xa" + "i-" + rand(rng, 80)


def mailgun(rng: random.Random) -> str:
    return "ke" + "y-" + rand(rng, 32, HEX)


def telegram(rng: random.Random) -> str:
    return str(rng.randint(10**8, 10**10 - 1)) + ":" + "A" + rand(rng, 34, URLSAFE)


def azure_storage(rng: random.Random) -> str:
    return base64.b64encode(rng.randbytes(64)).decode()


def azure_client_secret(rng: random.Random) -> str:
    charset = ALNUM + "_~.-"
    return rand(rng, 3, ALNUM) + rng.choice(string.digits) + "Q" + "~" + rand(rng, 34, charset)


def aws_key_id(rng: random.Random) -> str:
    return "AK" + "IA" + rand(rng, 16, string.ascii_uppercase + "234567")


def aws_secret(rng: random.Random) -> str:
    return rand(rng, 40, ALNUM + "/+")


def jwt(rng: random.Random) -> str:
    header = b64url(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
    payload = b64url(json.dumps({"sub": rand(rng, 12), "iat": rng.randint(10**9, 2 * 10**9)}).encode())
    return header + "." + payload + "." + b64url(rng.randbytes(32))


def pem_body(rng: random.Random, size: int = 600) -> list[str]:
    encoded = base64.b64encode(rng.randbytes(size)).decode()
    return [encoded[i : i + 64] for i in range(0, len(encoded), 64)]


def pem_key(rng: random.Random, label: str = "RSA PRIVATE KEY") -> str:
    dashes = "-" * 5
    return "\n".join(
        [dashes + "BEGIN " + label + dashes, *pem_body(rng), dashes + "END " + label + dashes]
    )


def gcp_service_account(rng: random.Random) -> str:
    key = pem_key(rng, "PRIVATE KEY") + "\n"
    return json.dumps(
        {
            "type": "service" + "_account",
            "project_id": "demo-" + rand(rng, 6, string.ascii_lowercase),
            "private_key_id": rand(rng, 40, HEX),
            "private_key": key,
            "client_email": "bot@demo.iam.gserviceaccount.test",
        },
        indent=2,
    )


def url_password(rng: random.Random) -> str:
    return "p@" + rand(rng, 6) + ":/#" + rand(rng, 6) + "!$"


# --- planted formats: how each secret sits in a file -------------------------------


@dataclass(frozen=True)
class Format:
    name: str
    code: str
    build: Callable[[random.Random], str]
    template: str = 'API_TOKEN = "{secret}"'  # {secret} is replaced by the built secret

    def plant(self, rng: random.Random) -> tuple[str, str]:
        """(text to put in a file, the secret inside it)."""
        secret = self.build(rng)
        return self.template.replace("{secret}", secret), secret


FORMATS: tuple[Format, ...] = (
    Format("openai-project", "DG301", openai_project),
    Format("openai-svcacct", "DG301", openai_svcacct),
    Format("openai-legacy", "DG301", openai_legacy),
    Format("anthropic", "DG302", anthropic),
    Format("github-ghp", "DG303", github_classic("p")),
    Format("github-gho", "DG303", github_classic("o")),
    Format("github-ghu", "DG303", github_classic("u")),
    Format("github-ghs", "DG303", github_classic("s")),
    Format("github-ghr", "DG303", github_classic("r")),
    Format("github-fine-grained", "DG303", github_fine_grained),
    Format("gitlab", "DG304", gitlab),
    Format("huggingface", "DG305", huggingface),
    Format("google", "DG306", google),
    Format("slack-bot", "DG307", slack_bot),
    Format("slack-webhook", "DG307", slack_webhook, 'WEBHOOK = "{secret}"'),
    Format("stripe", "DG308", stripe),
    Format("twilio-api-key", "DG309", twilio_key),
    Format("twilio-auth-token", "DG309", lambda rng: rand(rng, 32, HEX), 'TWILIO_AUTH_TOKEN = "{secret}"'),
    Format("sendgrid", "DG310", sendgrid),
    Format("npm", "DG311", npm),
    Format("pypi", "DG312", pypi),
    Format("databricks", "DG313", databricks),
    Format("digitalocean", "DG314", digitalocean),
    Format("shopify", "DG315", shopify),
    Format("groq", "DG316", groq),
    Format("xai", "DG317", xai),
    Format("mailgun", "DG318", mailgun),
    Format("telegram", "DG319", telegram),
    Format(
        "azure-storage", "DG320", azure_storage,
        'CONN = "DefaultEndpointsProtocol=https;AccountName=demo;AccountKey={secret};EndpointSuffix=core.windows.net"',
    ),
    Format("azure-client-secret", "DG321", azure_client_secret, 'AZURE_CLIENT_SECRET = "{secret}"'),
    Format("aws-key-id", "DG322", aws_key_id),
    Format("aws-secret", "DG323", aws_secret, 'aws_secret_access_key = "{secret}"'),
    Format("jwt", "DG324", jwt, 'SESSION = "{secret}"'),
    Format("pem", "DG325", pem_key, "{secret}"),
    Format("gcp-service-account", "DG326", gcp_service_account, "{secret}"),
    Format("url-password", "DG327", url_password, 'DATABASE_URL = "postgres://app:{secret}@db.internal:5432/app"'),
)


def jwt_io_example() -> str:
    """The example token of every JWT tutorial (its documented header, payload, key)."""
    import hashlib
    import hmac

    header = b64url(json.dumps({"alg": "HS256", "typ": "JWT"}, separators=(",", ":")).encode())
    claims = {"sub": "1234567890", "name": "John Doe", "iat": 1516239022}
    payload = b64url(json.dumps(claims, separators=(",", ":")).encode())
    signing_input = f"{header}.{payload}".encode()
    signature = hmac.new(b"your-256-bit-secret", signing_input, hashlib.sha256).digest()
    return f"{header}.{payload}.{b64url(signature)}"


def look_alikes(rng: random.Random) -> list[tuple[str, str]]:
    """(name, line) pairs that must never be reported: placeholders, env reads, hashes, ..."""
    dashes = "-" * 5
    bad_checksum_body = rand(rng, 36)
    return [
        ("angle-placeholder", 'OPENAI_API_KEY = "<your-key>"'),
        ("dots-placeholder", 'client = OpenAI(api_key="sk-...")'),
        ("x-placeholder", 'OPENAI_API_KEY = "sk-' + "proj-" + "x" * 48 + '"'),
        ("x-github", 'GITHUB_TOKEN = "gh' + "p_" + "x" * 36 + '"'),
        ("github-bad-checksum", 'GITHUB_TOKEN = "gh' + "p_" + bad_checksum_body + '"'),
        ("npm-bad-checksum", 'NPM_TOKEN = "np' + "m_" + bad_checksum_body + '"'),
        ("template-var", 'token = "${GITHUB_TOKEN}"'),
        ("jinja", "api_key: {{ vault_openai_key }}"),
        ("changeme", 'DATABASE_URL = "postgres://app:changeme@db:5432/app"'),
        ("password-word", "REDIS_URL=redis://:password@localhost:6379/0"),
        ("url-env-password", 'DATABASE_URL = "postgres://app:${DB_PASSWORD}@db:5432/app"'),
        ("url-dollar-password", "DATABASE_URL=postgres://app:$DB_PASSWORD@db:5432/app"),
        ("url-format-password", 'dsn = "postgres://%s:%s@%s/app" % (user, pw, host)'),
        ("url-braces", 'dsn = f"postgres://{user}:{password}@{host}/app"'),
        ("url-port-path", 'script = "http://localhost:5173/@vite/client"'),
        ("url-no-password", 'remote = "ssh://git@example.test/org/repo.git"'),
        ("env-read", 'key = os.getenv("OPENAI_API_KEY")'),
        ("env-index", 'token = os.environ["GITHUB_TOKEN"]'),
        ("env-js", "const key = process.env.STRIPE_SECRET_KEY;"),
        ("lock-integrity", '"integrity": "sha512-' + base64.b64encode(rng.randbytes(64)).decode() + '"'),
        ("pip-hash", "requests==2.32.3 --hash=sha256:" + rand(rng, 64, HEX)),
        ("uuid", 'REQUEST_ID = "' + str(__import__("uuid").UUID(int=rng.getrandbits(128))) + '"'),
        ("git-sha", 'aws_build_key_sha = "' + rand(rng, 40, HEX) + '"'),
        ("css-colour", "color: #" + rand(rng, 6, HEX) + ";"),
        ("aws-doc-key-id", 'AWS_ACCESS_KEY_ID = "AKIA' + "IOSFODNN7" + 'EXAMPLE"'),
        ("aws-doc-secret", 'aws_secret_access_key = "wJalrXUtnFEMI/K7MDENG/' + 'bPxRfiCY' + 'EXAMPLEKEY"'),
        ("jwt-io-example", 'TOKEN = "' + jwt_io_example() + '"'),
        ("jwt-garbage", 'x = "eyJ' + rand(rng, 20) + ".eyJ" + rand(rng, 20) + "." + rand(rng, 30) + '"'),
        ("stripe-test-key", 'STRIPE_KEY = "sk' + "_test_" + rand(rng, 24) + '"'),
        ("slack-docs", 'SLACK_TOKEN = "xo' + 'xb-not-a-real-token-this-will-not-work"'),
        ("base64-blob", 'BLOB = "' + base64.b64encode(rng.randbytes(48)).decode() + '"'),
        ("pem-public", dashes + "BEGIN PUBLIC KEY" + dashes + "\n" + "\n".join(pem_body(rng, 200)) + "\n" + dashes + "END PUBLIC KEY" + dashes),
        ("pem-doc", dashes + "BEGIN RSA PRIVATE KEY" + dashes + "\n...\n" + dashes + "END RSA PRIVATE KEY" + dashes),
        ("clock-time", 'starts = "12:30"; ratio = "16:9"'),
        ("sequential", 'SHOPIFY_TOKEN = "sh' + "pat_" + "0123456789abcdef" * 2 + '"'),
        ("repeated", 'DATABRICKS_TOKEN = "da' + "pi" + "ab" * 16 + '"'),
    ]
