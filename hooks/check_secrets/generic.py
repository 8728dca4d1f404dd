"""Is this name a credential's, and is this value a live credential or a placeholder?

Shared by the generic keyword detector (DG328) and DG390's judgement of env files. A value
counts as a credential only when it is long and random: detect-secrets' Shannon entropy
helpers (its high-entropy plugins' `calculate_shannon_entropy`) measure the randomness, its
heuristic filters drop UUIDs, templates and sequences, and two checks of our own tell random
strings from words (`not-a-real-secret`, `supersecretpassword`): random letters rarely
follow each other as in language, measured with the letter-pair model detect-secrets ships
for its gibberish filter.

Imported only when a file needs it: detect-secrets' plugin base imports `requests`.
"""
from __future__ import annotations

import json
import math
import os
import re
import string
from functools import lru_cache

from hooks.check_secrets.lazy import defer_package_inits, defer_requests

defer_requests()
defer_package_inits()  # see lazy.py: imported first, this module decides what detect-secrets costs

from detect_secrets.filters.heuristic import (
    is_potential_uuid,
    is_sequential_string,
    is_templated_secret,
)
from detect_secrets.plugins.high_entropy_strings import (
    HexHighEntropyString,
    HighEntropyStringsPlugin,
)
from hooks._core.lazyre import lazy


def _keyword_denylist() -> tuple[str, ...]:
    """detect-secrets' KeywordDetector denylist (`detect_secrets.plugins.keyword.DENYLIST`),
    read from the module's source: importing the module compiles its ten keyword regexes
    (~4 ms of every commit's check-secrets, issue 15), none of which driftgate uses. Any
    surprise in the source (another version's layout) falls back to the import."""
    import ast
    import sys
    from importlib.util import find_spec

    if "detect_secrets.plugins.keyword" not in sys.modules:
        try:
            spec = find_spec("detect_secrets.plugins.keyword")
            with open(spec.origin, encoding="utf-8") as handle:  # type: ignore[union-attr, arg-type]
                text = handle.read()
            start = text.index("\nDENYLIST = (") + len("\nDENYLIST = ")
            words = ast.literal_eval(text[start:text.index("\n)", start) + 2])
            if isinstance(words, tuple) and words and all(isinstance(w, str) for w in words):
                return words
        except (AttributeError, TypeError, OSError, ValueError, SyntaxError, ImportError):
            pass
    from detect_secrets.plugins.keyword import DENYLIST

    return tuple(DENYLIST)


DENYLIST = _keyword_denylist()

MIN_LENGTH = 16  # shorter values are passwords a reviewer can judge, or placeholders

# The last word of a name that holds a credential. detect-secrets' KeywordDetector denylist
# (`password`, `passwd`, `pwd`, `secret`, `api_?key`, `private_?key`, ...) plus what the
# issue and agent-written code add: tokens, credentials, auth.
_DENYLIST_WORDS = frozenset(
    word.replace("_?", "") for word in DENYLIST if "_?" not in word or word.endswith("_?key")
)
SECRET_WORDS = frozenset(
    {"password", "passwd", "pwd", "passphrase", "secret", "secrets", "token", "apikey",
     "credential", "credentials", "creds", "auth", "contraseña", "contrasena"}
) | {word for word in _DENYLIST_WORDS if not word.endswith("key")}
# `<qualifier>_key` is a credential (`secret_key`, `api_key`); a bare `key` is not.
KEY_QUALIFIERS = frozenset(
    {"api", "secret", "private", "priv", "access", "signing", "encryption", "master", "client",
     "auth", "service", "account", "app", "webhook", "db", "database", "license", "hmac",
     "jwt", "session", "consumer", "subscription", "admin", "write", "deploy"}
)
# `<qualifier>_token` that is not a credential: tokenizer vocabulary, pagination cursors,
# CSRF tokens (per session, public in every form).
TOKEN_NOT_SECRET = frozenset(
    {"pad", "bos", "eos", "unk", "cls", "mask", "sep", "start", "end", "special", "next",
     "page", "continuation", "cursor", "csrf", "xsrf", "max", "num", "sync", "image", "eot",
     "chat", "prompt", "stop", "split", "sentinel", "first", "last", "begin", "added",
     "default", "vocab", "bpe", "sample", "dummy", "fake", "test", "mock", "example"}
)

_CAMEL = lazy(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+")


def name_words(name: str) -> list[str]:
    """`DB_PASSWORD` -> [db, password]; `apiKey` -> [api, key]; `x-api-key` -> [x, api, key]."""
    return [word.lower() for part in re.split(r"[^A-Za-z0-9ñÑ]+", name) for word in _CAMEL.findall(part) or [part] if word]


def is_secret_name(name: str) -> bool:
    words = name_words(name)
    if not words:
        return False
    last = words[-1]
    before = words[-2] if len(words) > 1 else ""
    if last == "token" and before in TOKEN_NOT_SECRET:
        return False
    if before == "ice":
        return False  # WebRTC `ice-pwd`: a per-session value in every SDP offer
    if last in SECRET_WORDS:
        return True
    return last == "key" and before in KEY_QUALIFIERS


# --- values ----------------------------------------------------------------------------

# Words that mark a value as a placeholder, a test fixture or documentation.
PLACEHOLDER_WORDS = frozenset(
    {"change", "changeme", "changethis", "changeit", "replace", "replaceme", "placeholder",
     "example", "examples", "sample", "dummy", "fake", "mock", "test", "tests", "testing",
     "secret", "secrets", "password", "passwd", "your", "yours", "todo", "fixme", "redacted",
     "xxx", "foo", "bar", "baz", "foobar", "default", "notsecret", "insert", "enter", "here",
     "local", "localhost", "dev", "development", "demo", "none", "null", "undefined", "empty",
     "token", "apikey", "key", "scrubbed", "masked", "hidden", "invalid", "unused"}
)
# (a random string holds one of these by chance about once in a hundred thousand)
_GLUED_WORDS = (
    "changeme", "changethis", "password", "placeholder", "dummy", "example", "sample", "secret",
    "apikey", "token", "fake", "test", "mock",
)
_PLACEHOLDER_MARKERS = ("****", "...", "\u2026", "<", ">", "${", "{", "}", "xxxx", "XXXX")
# printf templates (`%s`, `%(name)s`); a bare `%s` or `%(` turns up by chance in random
# Django keys (their alphabet holds `%`, `s` and `(`), so only whole templates count
_PRINTF = lazy(r"%\([A-Za-z_]\w*\)[sdr]|(?:^|[^A-Za-z0-9!@#$^&*+=])%[sd](?![A-Za-z0-9])")
_ALPHA_RUN = lazy(r"[A-Za-z]+")
_DOTTED_NAME = lazy(r"[A-Za-z_][\w]*(?:[.:][A-Za-z_][\w]*)+\Z")
_PATH_LIKE = lazy(r"(?:[~.]{0,2}/|[A-Za-z]:\\)|.*\.(?:pem|key|crt|cer|json|txt|p12|pfx|jks|der|pub|ya?ml|env)\Z")
_SEPARATORS = frozenset("-_./: ")
_HEX = frozenset(string.hexdigits)


class _PrintableEntropy(HighEntropyStringsPlugin):
    """detect-secrets' entropy over every printable character (a Django key holds `!@#$%^&*(`)."""

    secret_type = "Printable High Entropy String"

    def __init__(self) -> None:
        super().__init__(charset=string.digits + string.ascii_letters + string.punctuation, limit=0.0)


_PRINTABLE = _PrintableEntropy()
_HEXPLUGIN = HexHighEntropyString()


def has_placeholder_word(value: str) -> bool:
    """`change-me`, `test-secret-key-123`, `your_api_key`: words that say it is not live."""
    lowered = value.lower()
    if any(marker in value for marker in _PLACEHOLDER_MARKERS) or _PRINTF.search(value):
        return True
    runs = [run.lower() for run in _ALPHA_RUN.findall(value)]
    if any(run in PLACEHOLDER_WORDS for run in runs):
        return True
    # glued words: `supersecretpassword`, `AIzaFakeApiKey1234`, `pylf_v1_gatewayapikey`
    return any(word in lowered for word in _GLUED_WORDS)


# Average log-probability of a letter pair above which text reads like words. Measured with
# detect-secrets' own letter-pair model (below): English identifiers and phrases score -2.2 to
# -3.0; random letters -3.5 to -5 (95% of random 16-character strings below -3.3).
WORDLIKE_SCORE = -3.1
_LETTER_RUN = lazy(r"[A-Za-z]{2,}")
_WORD_PREFIX = lazy(r"[A-Za-z]{2,12}[-_]")
_SEGMENT_SPLIT = lazy(r"[-_./:,;\s]+")


@lru_cache(maxsize=1)
def _pair_log_probabilities() -> dict[str, dict[str, float]]:
    """Letter-pair log-probabilities from the model detect-secrets' gibberish filter ships
    (`filters/gibberish/rfc.model`, letter-pair counts over RFC text; add-one smoothed).
    Read as plain JSON: the optional gibberish-detector package is not needed."""
    import detect_secrets.filters.gibberish as gibberish

    path = os.path.join(gibberish.__path__[0], "rfc.model")
    with open(path, encoding="utf-8") as handle:
        counts: dict[str, dict[str, int]] = json.load(handle)["counts"]
    letters = string.ascii_lowercase
    table = {}
    for first in letters:
        row = counts.get(first, {})
        total = sum(row.values()) + len(letters)
        table[first] = {second: math.log((row.get(second, 0) + 1) / total) for second in letters}
    return table


def bigram_score(value: str) -> tuple[float, int]:
    """(average letter-pair log-probability, number of pairs) over the value's letter runs."""
    table = _pair_log_probabilities()
    total = 0.0
    pairs = 0
    for run in _LETTER_RUN.findall(value):
        run = run.lower()
        for first, second in zip(run, run[1:]):
            total += table[first][second]
            pairs += 1
    return (total / pairs if pairs else 0.0), pairs


def _char_class(char: str) -> int:
    if char.islower():
        return 0
    if char.isupper():
        return 1
    if char.isdigit():
        return 2
    return 3


def entropy(value: str) -> float:
    """Shannon entropy per character, as detect-secrets' high-entropy plugins compute it."""
    if set(value) <= _HEX:
        return _HEXPLUGIN.calculate_shannon_entropy(value)
    return _PRINTABLE.calculate_shannon_entropy(value)


_CLASS_SIZES = (26, 26, 10, 16)  # lower, upper, digit, symbol


def entropy_floor(value: str) -> float:
    """What a random string of this length over the alphabet it uses reaches, with a margin."""
    if set(value) <= _HEX:
        return 0.75 * min(4.0, math.log2(len(value)))
    else:
        alphabet = sum(_CLASS_SIZES[cls] for cls in {_char_class(c) for c in value if c not in _SEPARATORS})
    # n random symbols from k: about log2(min(n, k)) bits each, less the small-sample bias
    return min(math.log2(max(alphabet, 2)), math.log2(len(value))) * 0.8


def looks_random(value: str, min_length: int = MIN_LENGTH) -> bool:
    """A long random string: a generated password, key or token, not words or an identifier."""
    if len(value) < min_length or len(value) > 500 or any(char.isspace() for char in value):
        return False
    if value.isdigit() or _DOTTED_NAME.match(value) or _PATH_LIKE.match(value):
        return False
    if "://" in value or "@" in value and "." in value.rsplit("@", 1)[-1]:
        return False  # a URL (DG327 judges its password) or an e-mail address
    if is_templated_secret(value) or value.startswith("$") or is_potential_uuid(value):
        return False
    if len(set(value)) < min(10, len(value) // 2) or is_sequential_string(value[-16:]):
        return False
    if has_placeholder_word(value):
        return False
    if entropy(value) < entropy_floor(value):
        return False
    if set(value) <= _HEX:
        return True  # too few letters to read as words (detect-secrets' gibberish filter skips hex too)
    # words, identifiers and CamelCase names read like language; random text does not. A
    # prefix of words (`django-insecure-`, `live_`) says what the random part is: drop it.
    body = value
    while True:
        prefix = _WORD_PREFIX.match(body)
        if prefix is None or len(body) - prefix.end() < MIN_LENGTH:
            break
        body = body[prefix.end() :]
    # A random string mixes character classes inside long stretches; versions, dates, model
    # names and identifiers (`gpt-4o-mini-2024-07-18`, `v1.2.3-rc.1`) keep letters and digits
    # in separate short segments.
    mixed = any(
        len(segment) >= 6 and len({_char_class(char) for char in segment}) >= 2
        for segment in _SEGMENT_SPLIT.split(body)
    )
    runs = _LETTER_RUN.findall(body)
    if mixed and (not runs or max(len(run) for run in runs) <= 3):
        return True  # letters only in short runs between digits and symbols: no words there
    score, pairs = bigram_score(body)
    if not mixed:  # one class per segment: random only as a long run of consonant soup
        return pairs >= 8 and score < WORDLIKE_SCORE
    return pairs < 4 or score < WORDLIKE_SCORE


# --- where a file sits: test code and documentation --------------------------------------

_TEST_DIRS = frozenset({"test", "tests", "testing", "__tests__", "spec", "specs", "e2e", "fixtures", "cassettes"})
_TEST_FILE = lazy(
    r"(?:test_.*|.*_tests?|conftest|.*\.(?:test|spec))\.(?:py|pyi|js|jsx|ts|tsx|mjs|cjs|go|rb)\Z"
)
_DOC_SUFFIXES = (".md", ".markdown", ".rst", ".adoc", ".txt", ".ipynb", ".mdx")
_DOC_DIRS = frozenset({"doc", "docs", "documentation"})


def path_context(path: str) -> str:
    """'test' for test code and fixtures, 'docs' for documentation, '' otherwise."""
    parts = path.replace("\\", "/").lower().split("/")
    name = parts[-1]
    if _TEST_DIRS.intersection(parts[:-1]) or _TEST_FILE.match(name):
        return "test"
    if name.endswith(_DOC_SUFFIXES) or _DOC_DIRS.intersection(parts[:-1]):
        return "docs"
    return ""


_ASSERTION = lazy(r"\bassert|\bexpect\(|\.to(?:Be|Equal|Match)\(|\bassertEqual")
# A password in a test or a documentation example is reported only when it is random and at
# least this long: `test`, `secret-password`, `hunter2` are fixtures, not leaks.
EXAMPLE_PASSWORD_LENGTH = 12


def is_example_url_password(password: str, context: str, line: str) -> bool:
    """A URL password that is obviously not a credential in test code or documentation."""
    if not context:
        return False
    if context == "test" and _ASSERTION.search(line):
        return True  # a URL built in an assertion is the expected value, not a secret
    return not looks_random(password, EXAMPLE_PASSWORD_LENGTH)


# --- env files ---------------------------------------------------------------------------

_ENV_LINE = lazy(
    r"\s*(?:export\s+)?(?P<name>[A-Za-z_][A-Za-z0-9_.-]*)\s*=\s*(?P<value>.*?)\s*\Z"
)
_BOOLEAN = frozenset({"true", "false", "yes", "no", "on", "off", "y", "n", "t", "f"})
_HOST = lazy(r"[A-Za-z0-9.-]+(?::\d{1,5})?\Z")
_NUMBER = lazy(r"[-+]?\d[\d_.]*[a-zA-Z%]{0,3}\Z")  # 30, 1.5, 10s, 512M, 80%
# Names whose values are public by design: bundlers inline them into the page.
PUBLIC_PREFIXES = ("NEXT_PUBLIC_", "VITE_", "REACT_APP_", "PUBLIC_", "EXPO_PUBLIC_", "NUXT_PUBLIC_")


def env_value(raw: str) -> str:
    """The value of a dotenv line: quotes removed, a trailing ` # comment` dropped."""
    if raw[:1] in ("'", '"') and raw.count(raw[0]) >= 2:
        return raw[1 : raw.index(raw[0], 1)]
    return re.split(r"\s+#", raw, maxsplit=1)[0].strip()


def env_assignments(text: str) -> list[tuple[int, str, str]]:
    """(line number, name, value) of each `NAME=value` line of a dotenv file."""
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        if line.lstrip().startswith("#"):
            continue
        match = _ENV_LINE.match(line)
        if match:
            found.append((number, match.group("name"), env_value(match.group("value"))))
    return found


def is_trivial_value(name: str, value: str) -> bool:
    """Empty, a placeholder or reference, a boolean, a number, a host, a URL without a
    password, an e-mail address, or a name public by design (`NEXT_PUBLIC_*`)."""
    if not value or name.upper().startswith(PUBLIC_PREFIXES):
        return True
    lowered = value.lower()
    if lowered in _BOOLEAN or _NUMBER.match(value) or value.startswith("$"):
        return True
    if has_placeholder_word(value) or is_templated_secret(value):
        return True
    if "://" in value:
        # a URL: its password is DG327's to judge, the rest is configuration
        return True
    if "@" in value and "." in value.rsplit("@", 1)[-1]:
        return True
    return bool(_HOST.match(value) and "." in value) or _PATH_LIKE.match(value) is not None


def credential_lines(text: str) -> list[tuple[int, str]]:
    """(line, name) of values that are credentials: a credential's name and a random value."""
    return [
        (number, name)
        for number, name, value in env_assignments(text)
        if is_secret_name(name) and not is_trivial_value(name, value) and looks_random(value)
    ]


def possible_secret_lines(text: str) -> list[tuple[int, str]]:
    """(line, name) of values that may be secrets: a credential's name with a value that is
    not trivially public, or a random value under any name."""
    found = []
    for number, name, value in env_assignments(text):
        if is_trivial_value(name, value):
            continue
        if is_secret_name(name) or looks_random(value):
            found.append((number, name))
    return found
