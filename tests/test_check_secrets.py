"""check-secrets: every fake credential here is built at run time (tests/_secrets_support.py)."""
from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from typing import Mapping

import _secrets_support as fakes
import pytest
from conftest import write_files

from hooks.check_secrets import RULES, main

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FORMATS = {fmt.name: fmt for fmt in fakes.FORMATS}
LOOK_ALIKE_NAMES = [name for name, _ in fakes.look_alikes(random.Random(0))]


def run(
    tmp_path, monkeypatch, capsys, files: Mapping[str, str | bytes], *args: str,
    check: list[str] | None = None,
) -> tuple[int, list[str], str]:
    """Write `files` under tmp_path, run the hook there on them; (exit, stdout lines, stderr)."""
    monkeypatch.chdir(tmp_path)
    write_files(tmp_path, files)
    code = main([*args, *(check if check is not None else files)])
    out, err = capsys.readouterr()
    return code, out.splitlines(), err


def planted(name: str, seed: int = 1) -> tuple[str, str]:
    return FORMATS[name].plant(random.Random(seed))


def shown(secret: str) -> str:
    return f"'{secret[: min(4, len(secret) // 4)]}\u2026'"


# --- must flag: every format, in its documented shape --------------------------------


def expected_position(name: str, text: str, secret: str) -> tuple[int, int]:
    if name == "pem":
        return 1, 1
    if name == "gcp-service-account":
        for number, line in enumerate(text.splitlines(), start=1):
            if '"private_key"' in line:
                return number, line.index("-----BEGIN") + 1
    if name == "slack-webhook":
        return 1, text.index(secret) + len("https://hooks.slack.com/services/") + 1
    return 1, text.index(secret) + 1


@pytest.mark.parametrize("name", list(FORMATS))
def test_must_flag_every_format_with_its_code(tmp_path, monkeypatch, capsys, name):
    text, secret = planted(name)
    code, out, err = run(tmp_path, monkeypatch, capsys, {"settings.py": text + "\n"})
    line, col = expected_position(name, text, secret)
    assert code == 1, err
    assert len(out) == 1
    assert out[0].startswith(f"settings.py:{line}:{col}: {FORMATS[name].code} ")
    assert out[0].endswith(
        "is hardcoded: remove it, rotate it, and read it from the environment or a secret store"
    )
    # never the whole secret: at most its first 4 characters
    for piece in secret.splitlines():
        if len(piece) > 8:
            assert piece not in out[0]
    if name not in ("pem", "gcp-service-account", "slack-webhook"):
        assert shown(secret) in out[0]


def test_message_names_type_and_first_four_characters(tmp_path, monkeypatch, capsys):
    text, secret = planted("github-ghp")
    _, out, _ = run(tmp_path, monkeypatch, capsys, {"app.py": "\n\n" + text + "\n"})
    assert out == [
        (
            f"app.py:3:14: DG303 GitHub Token '{secret[:4]}\u2026' is hardcoded: remove it, "
            "rotate it, and read it from the environment or a secret store"
        )
    ]


@pytest.mark.parametrize(
    ("filename", "template", "fmt"),
    [
        (".env.local", "OPENAI_API_KEY={secret}", "openai-project"),
        ("deploy/prod.env", "export STRIPE_KEY={secret}", "stripe"),
        ("docs/setup.md", "Paste `{secret}` into the settings page.", "anthropic"),
        ("docs/notes.md", "- token: {secret}", "huggingface"),
        ("config.yaml", "slack:\n  token: {secret}", "slack-bot"),
        ("package.json", '{"config": {"npmToken": "{secret}"}}', "npm"),
        ("Dockerfile", "ENV GROQ_API_KEY={secret}", "groq"),
        ("main.tf", 'token = "{secret}"', "digitalocean"),
        ("settings.toml", "[db]\nurl = 'mysql://root:{secret}@10.0.0.5/app'", "url-password"),
        (".pypirc", "[pypi]\nusername = __token__\npassword = {secret}", "pypi"),
        ("src/index.ts", "const key = '{secret}';", "xai"),
    ],
)
def test_must_flag_unquoted_env_markdown_and_config_lines(
    tmp_path, monkeypatch, capsys, filename, template, fmt
):
    secret = FORMATS[fmt].build(random.Random(3))
    text = template.replace("{secret}", secret)
    code, out, _ = run(
        tmp_path, monkeypatch, capsys, {filename: text + "\n"}, "--ignore", "DG390"
    )
    assert code == 1
    assert [line.split(" ")[1] for line in out] == [FORMATS[fmt].code]
    assert out[0].startswith(filename + ":")


@pytest.mark.parametrize(
    ("template", "fmt"),
    [
        ('client = OpenAI(api_key="{secret}")', "openai-project"),
        ('client = anthropic.Anthropic(api_key="{secret}")', "anthropic"),
        ('gh = Github("{secret}")', "github-ghp"),
        ('key = os.getenv("OPENAI_API_KEY", "{secret}")', "openai-legacy"),
        ('token = os.environ.get("HF_TOKEN", "{secret}")', "huggingface"),
        ('stripe.api_key = os.getenv("STRIPE_KEY") or "{secret}"', "stripe"),
        ("headers = {{'Authorization': f'Bearer {secret}'}}", "groq"),
    ],
)
def test_must_flag_agent_style_calls(tmp_path, monkeypatch, capsys, template, fmt):
    """detect-secrets' indirect-reference filter drops whole lines shaped `x = call(...)`."""
    secret = FORMATS[fmt].build(random.Random(5))
    text = template.replace("{secret}", secret)
    code, out, _ = run(tmp_path, monkeypatch, capsys, {"agent.py": text + "\n"})
    assert code == 1
    assert out == [
        f"agent.py:1:{text.index(secret) + 1}: {FORMATS[fmt].code} "
        + out[0].split(f"{FORMATS[fmt].code} ", 1)[1]
    ]


def test_several_secrets_in_one_file_each_reported_once(tmp_path, monkeypatch, capsys):
    rng = random.Random(9)
    lines = [FORMATS[name].plant(rng)[0] for name in ("aws-key-id", "aws-secret", "jwt", "telegram")]
    code, out, _ = run(tmp_path, monkeypatch, capsys, {"conf.py": "\n".join(lines) + "\n"})
    assert code == 1
    assert [(line.split(":")[1], line.split(" ")[1]) for line in out] == [
        ("1", "DG322"), ("2", "DG323"), ("3", "DG324"), ("4", "DG319"),
    ]


@pytest.mark.parametrize(
    ("template", "passwords"),
    [
        ("DATABASE_URL=postgres://app:{0}@db.internal/app", ["pa\"s's"]),
        ("u = 'mysql://root:{0}@db.internal/app'", ["s3cr@t!#x"]),
        ('urls = ["postgres://a:{0}@db1.internal/x", "redis://:{1}@cache.internal:6379"]', ["pw1xyz", "pw2abc"]),
        ('pair = ("postgres://u:{0}@db.internal/x","ops@corp.internal")', ["q9w8e7"]),
    ],
)
def test_url_passwords_with_any_punctuation(tmp_path, monkeypatch, capsys, template, passwords):
    # the passwords get a random tail at run time, so this file holds no URL with a password
    rng = random.Random(32)
    passwords = [password + fakes.rand(rng, 6) for password in passwords]
    line = template.format(*passwords)
    code, out, _ = run(tmp_path, monkeypatch, capsys, {"urls.txt": line + "\n"})
    assert code == 1
    assert [f.split(":")[2] for f in out] == [str(line.index(p) + 1) for p in passwords]
    assert all(" DG327 " in f for f in out)


def test_token_inside_url_is_reported_as_the_token_not_as_a_password(tmp_path, monkeypatch, capsys):
    token = FORMATS["github-ghp"].build(random.Random(2))
    text = f'REMOTE = "https://x-access-token:{token}@github.test/org/repo.git"\n'
    _, out, _ = run(tmp_path, monkeypatch, capsys, {"ci.py": text})
    assert [line.split(" ")[1] for line in out] == ["DG303"]


# --- must not flag ------------------------------------------------------------------


@pytest.mark.parametrize("name", LOOK_ALIKE_NAMES)
def test_must_not_flag_look_alikes(tmp_path, monkeypatch, capsys, name):
    line = dict(fakes.look_alikes(random.Random(11)))[name]
    code, out, err = run(tmp_path, monkeypatch, capsys, {"example.py": line + "\n"})
    assert (code, out, err) == (0, [], "")


def test_lock_files_with_hashes_are_quiet(tmp_path, monkeypatch, capsys):
    rng = random.Random(4)
    lock = {
        "lockfileVersion": 3,
        "packages": {
            f"node_modules/pkg{i}": {
                "version": "1.0.0",
                "resolved": f"https://registry.example.test/pkg{i}/-/pkg{i}-1.0.0.tgz",
                "integrity": "sha512-" + fakes.base64.b64encode(rng.randbytes(64)).decode(),
            }
            for i in range(50)
        },
    }
    poetry = "\n".join(
        f'{{file = "pkg{i}-1.0.tar.gz", hash = "sha256:{fakes.rand(rng, 64, fakes.HEX)}"}},' for i in range(50)
    )
    code, out, _ = run(
        tmp_path, monkeypatch, capsys,
        {"package-lock.json": json.dumps(lock, indent=2), "poetry.lock": poetry + "\n"},
    )
    assert (code, out) == (0, [])


def test_github_checksum_decides(tmp_path, monkeypatch, capsys):
    """A ghp_ token whose CRC32 suffix does not match its body is a made-up placeholder."""
    good = FORMATS["github-ghp"].build(random.Random(8))
    broken = good[:-1] + ("A" if good[-1] != "A" else "B")
    code, out, _ = run(
        tmp_path, monkeypatch, capsys, {"t.py": f'A = "{good}"\nB = "{broken}"\n'}
    )
    assert code == 1
    assert [line.split(":")[1] for line in out] == ["1"]


# --- suppressions -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "reported"),
    [
        ('T = "{secret}"  # pragma: allowlist secret', False),
        ("# pragma: allowlist nextline secret\nT = \"{secret}\"", False),
        ('T = "{secret}"  # driftgate: ignore[DG303]', False),
        ('T = "{secret}"  # driftgate: ignore', False),
        ('T = "{secret}"  # driftgate: ignore[DG301]', True),
        ('T = "{secret}"  # pragma: allowlist nextline secret', True),
        ('T = "{secret}"\n# pragma: allowlist secret', True),
    ],
)
def test_inline_suppressions(tmp_path, monkeypatch, capsys, text, reported):
    secret = FORMATS["github-ghp"].build(random.Random(6))
    code, out, _ = run(tmp_path, monkeypatch, capsys, {"s.py": text.replace("{secret}", secret) + "\n"})
    assert code == (1 if reported else 0)
    assert len(out) == (1 if reported else 0)


def test_markdown_comment_allowlist(tmp_path, monkeypatch, capsys):
    secret = FORMATS["slack-bot"].build(random.Random(6))
    text = f"Example: `{secret}` <!-- pragma: allowlist secret -->\n"
    assert run(tmp_path, monkeypatch, capsys, {"README.md": text})[:2] == (0, [])


# --- baselines: an existing detect-secrets baseline, by hash not line --------------------


def detect_secrets_baseline(cwd, *files: str) -> dict:
    """A baseline written by the real detect-secrets CLI (verification off: no network)."""
    proc = subprocess.run(
        [sys.executable, "-m", "detect_secrets", "scan", "--no-verify", *files],
        cwd=cwd, capture_output=True, text=True, check=True,
    )
    baseline = json.loads(proc.stdout)
    (cwd / ".secrets.baseline").write_text(proc.stdout, encoding="utf-8")
    return baseline


def test_existing_baseline_accepts_its_token_not_another_of_the_same_type(
    tmp_path, monkeypatch, capsys
):
    rng = random.Random(12)
    accepted, other = (FORMATS["github-ghp"].build(rng) for _ in range(2))
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "app.py").write_text(f'TOKEN = "{accepted}"\n', encoding="utf-8")
    baseline = detect_secrets_baseline(tmp_path, "src/app.py")
    assert "GitHub Token" in [entry["type"] for entry in baseline["results"]["src/app.py"]]

    code, out, err = run(tmp_path, monkeypatch, capsys, {}, check=["src/app.py"])
    assert (code, out, err) == (0, [], "")

    # the accepted token moved (other line numbers); a second token of the same type arrives
    moved = f'"""Client."""\n\nTOKEN = "{accepted}"\nBACKUP = "{other}"\n'
    code, out, _ = run(tmp_path, monkeypatch, capsys, {"src/app.py": moved})
    assert code == 1
    assert len(out) == 1
    assert out[0].startswith("src/app.py:4:11: DG303 GitHub Token ")


def test_baseline_for_one_file_does_not_accept_the_token_in_another(tmp_path, monkeypatch, capsys):
    token = FORMATS["github-ghp"].build(random.Random(13))
    (tmp_path / "a.py").write_text(f'T = "{token}"\n', encoding="utf-8")
    detect_secrets_baseline(tmp_path, "a.py")
    code, out, _ = run(tmp_path, monkeypatch, capsys, {"b.py": f'T = "{token}"\n'}, check=["a.py", "b.py"])
    assert code == 1
    assert [line.split(":")[0] for line in out] == ["b.py"]


def test_baseline_private_key_entry_accepts_only_a_lone_key(tmp_path, monkeypatch, capsys):
    """detect-secrets hashes a key's BEGIN line: it stands for one key, never a second."""
    rng = random.Random(14)
    first, second = fakes.pem_key(rng), fakes.pem_key(rng)
    (tmp_path / "keys.txt").write_text(first + "\n", encoding="utf-8")
    detect_secrets_baseline(tmp_path, "keys.txt")
    assert run(tmp_path, monkeypatch, capsys, {}, check=["keys.txt"])[:2] == (0, [])
    code, out, _ = run(tmp_path, monkeypatch, capsys, {"keys.txt": first + "\n" + second + "\n"})
    assert code == 1
    assert [line.split(" ")[1] for line in out] == ["DG325", "DG325"]


def test_baseline_written_by_hand_with_our_types(tmp_path, monkeypatch, capsys):
    """Formats detect-secrets does not know go in the same file shape, keyed by sha1."""
    import hashlib

    secret = FORMATS["groq"].build(random.Random(15))
    baseline = {
        "version": "1.5.0",
        "plugins_used": [],
        "filters_used": [],
        "results": {
            "llm.py": [
                {
                    "type": "Groq API Key",
                    "filename": "llm.py",
                    "hashed_secret": hashlib.sha1(secret.encode()).hexdigest(),
                    "is_verified": False,
                    "line_number": 40,
                }
            ]
        },
    }
    code, out, _ = run(
        tmp_path, monkeypatch, capsys,
        {"llm.py": f'KEY = "{secret}"\n', "ci/secrets.json": json.dumps(baseline)},
        "--baseline", "ci/secrets.json", check=["llm.py", "ci/secrets.json"],
    )
    assert (code, out) == (0, [])


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "baseline .secrets.baseline: not a detect-secrets baseline (invalid JSON"),
        ('["results"]', "baseline .secrets.baseline: not a detect-secrets baseline (no `results` object)"),
        ('{"results": {"a.py": [{"line_number": 3}]}}', "baseline .secrets.baseline: malformed `results` entry"),
        (b"\xff\xfe\x00garbage", "baseline .secrets.baseline: not a detect-secrets baseline (invalid JSON"),
    ],
)
def test_broken_baseline_exits_2_with_one_line(tmp_path, monkeypatch, capsys, content, message):
    token = FORMATS["github-ghp"].build(random.Random(16))
    code, out, err = run(
        tmp_path, monkeypatch, capsys,
        {"a.py": f'T = "{token}"\n', ".secrets.baseline": content}, check=["a.py"],
    )
    assert code == 2
    assert out == []
    assert len(err.splitlines()) == 1
    assert err.startswith("check-secrets: error: " + message)


def test_missing_explicit_baseline_exits_2(tmp_path, monkeypatch, capsys):
    code, out, err = run(tmp_path, monkeypatch, capsys, {"a.py": "x = 1\n"}, "--baseline", "nope.json")
    assert (code, out) == (2, [])
    assert err == (
        "check-secrets: error: baseline nope.json not found: create it "
        "(`driftgate secrets-baseline --baseline nope.json`) or fix `baseline`\n"
    )


# --- DG390: files that should never be committed -----------------------------------------

CERT = "-" * 5 + "BEGIN CERTIFICATE" + "-" * 5 + "\nMIIB\n" + "-" * 5 + "END CERTIFICATE" + "-" * 5 + "\n"
# An env file holding a live-shaped credential (random at run time). Env files holding only
# public values (`DEBUG=1`) are no longer reported: issue 9 (DG390 judges the content).
LIVE_ENV = "DEBUG=1\nDB_PASSWORD=" + fakes.rand(random.Random(40), 10) + "\n"


@pytest.mark.parametrize(
    ("name", "content", "flagged"),
    [
        (".env", LIVE_ENV, True),
        (".env.local", LIVE_ENV, True),
        ("deploy/prod.env", LIVE_ENV, True),
        (".env", "DEBUG=1\n", False),
        (".env.local", "DEBUG=1\n", False),
        ("deploy/prod.env", "DEBUG=1\n", False),
        (".env.example", "OPENAI_API_KEY=<your-key>\n", False),
        (".env.sample", "OPENAI_API_KEY=\n", False),
        ("example.env", "OPENAI_API_KEY=\n", False),
        ("certs/ca.pem", CERT, False),
        ("certs/server.pem", "", True),
        ("id_rsa", "", True),
        ("id_ed25519", "", True),
        ("id_rsa.pub", "ssh-ed25519 AAAAC3Nz user@host\n", False),
        ("credentials.json", "{}\n", True),
        ("gcp/service-account-prod.json", "{}\n", True),
        ("client_secret_1234.apps.json", "{}\n", True),
        ("credentials.json.example", "{}\n", False),
        ("service-account-sample.json", "{}\n", False),
        ("config/.ENV", LIVE_ENV, True),
        ("config/.ENV", "DEBUG=1\n", False),
        ("release.keystore", b"\xfe\xed\xfe\xed\x00\x00\x00\x02", True),
        ("store.p12", b"0\x82\x06\x00\x02\x01\x03", True),
        (".netrc", "machine example.test login me password hunter2\n", True),
        ("README.md", "# hi\n", False),
        ("environment.py", "x = 1\n", False),
    ],
)
def test_dg390_files_that_should_never_be_committed(tmp_path, monkeypatch, capsys, name, content, flagged):
    code, out, _ = run(tmp_path, monkeypatch, capsys, {name: content})
    dg390 = [line for line in out if " DG390 " in line]
    assert bool(dg390) is flagged
    assert code == (1 if flagged else 0)
    if flagged:
        assert dg390[0].startswith(f"{name}:1:1: DG390 `{name.rsplit('/', 1)[-1]}` should never be committed (")


def test_dg390_message(tmp_path, monkeypatch, capsys):
    """Contract change (issue 9): an env file's message names the value that makes it a
    secret file and offers replacing the value as well as untracking the file."""
    _, out, _ = run(tmp_path, monkeypatch, capsys, {".env": LIVE_ENV})
    assert out == [
        (
            ".env:1:1: DG390 `.env` should never be committed (it holds `DB_PASSWORD` on line 2): "
            "`git rm --cached` it and add it to `.gitignore` (commit a template such as "
            "`.env.example` with placeholders instead), or replace the value with a placeholder "
            "and read the real one from the environment, or list it in `allow-files`"
        )
    ]
    _, out, _ = run(tmp_path, monkeypatch, capsys, {"id_rsa": ""})
    assert out == [
        (
            "id_rsa:1:1: DG390 `id_rsa` should never be committed (an SSH private key): "
            "`git rm --cached` it and add it to `.gitignore` (commit a template such as "
            "`.env.example` instead), or list it in `allow-files`"
        )
    ]


def test_private_key_file_reports_name_and_content(tmp_path, monkeypatch, capsys):
    key = fakes.pem_key(random.Random(17))
    code, out, _ = run(tmp_path, monkeypatch, capsys, {"deploy/server.pem": key + "\n"})
    assert code == 1
    assert [line.split(" ")[1] for line in out] == ["DG325", "DG390"]


def test_allow_files_from_config_and_cli(tmp_path, monkeypatch, capsys):
    key = fakes.pem_key(random.Random(18))
    files = {"tests/fixtures/server.pem": key + "\n", ".env": LIVE_ENV}
    (tmp_path / "pyproject.toml").write_text(
        '[tool.driftgate.check-secrets]\nallow-files = ["tests/fixtures/*.pem"]\n', encoding="utf-8"
    )
    code, out, _ = run(tmp_path, monkeypatch, capsys, files)
    # the fixture may be committed; the key inside is still a key
    assert [(line.split(":")[0], line.split(" ")[1]) for line in out] == [
        (".env", "DG390"), ("tests/fixtures/server.pem", "DG325"),
    ]
    code, out, _ = run(tmp_path, monkeypatch, capsys, files, "--allow-files", ".env,tests/fixtures/*.pem", "--ignore", "DG325")
    assert (code, out) == (0, [])


def test_unknown_config_key_exits_2(tmp_path, monkeypatch, capsys):
    (tmp_path / "pyproject.toml").write_text(
        "[tool.driftgate.check-secrets]\nallow-file = ['x']\n", encoding="utf-8"
    )
    code, _, err = run(tmp_path, monkeypatch, capsys, {"a.py": "x = 1\n"})
    assert code == 2
    assert "unknown key `allow-file`" in err
    assert len(err.splitlines()) == 1


# --- awkward files ------------------------------------------------------------------


def test_binary_non_utf8_and_empty_files(tmp_path, monkeypatch, capsys):
    token = FORMATS["github-ghp"].build(random.Random(19))
    files = {
        "blob.bin": b"\x00\x01" + token.encode() + b"\x00",
        "image.png": b"\x89PNG\r\n\x1a\n" + token.encode(),
        "latin1.cfg": "caf\xe9 = 1\n".encode("latin-1"),
        "empty.py": "",
        "bad_coding.py": b"# -*- coding: uft-8 -*-\nx = 1\n",
    }
    code, out, err = run(tmp_path, monkeypatch, capsys, files)
    assert (code, out, err) == (0, [], "")


def test_non_utf8_text_is_still_scanned(tmp_path, monkeypatch, capsys):
    """Credentials are ASCII: a cp1252 or Latin-1 file must not be a way past the gate."""
    rng = random.Random(27)
    token, ignored = FORMATS["github-ghp"].build(rng), FORMATS["github-ghp"].build(rng)
    text = f"caf\xe9 = 1\nT = '{token}'\nU = '{ignored}'  # driftgate: ignore[DG303]\n"
    code, out, err = run(tmp_path, monkeypatch, capsys, {"legacy.ini": text.encode("cp1252")})
    assert (code, err) == (1, "")
    assert [line.split(" ")[:2] for line in out] == [["legacy.ini:2:6:", "DG303"]]


def test_utf16_file_is_decoded_and_scanned(tmp_path, monkeypatch, capsys):
    text, _ = planted("slack-bot")
    code, out, _ = run(tmp_path, monkeypatch, capsys, {"w.ps1": (text + "\r\n").encode("utf-16")})
    assert code == 1
    assert [line.split(" ")[1] for line in out] == ["DG307"]


def test_missing_file_exits_2(tmp_path, monkeypatch, capsys):
    code, out, err = run(tmp_path, monkeypatch, capsys, {}, check=["gone.py"])
    assert (code, out) == (2, [])
    assert err == "check-secrets: error: gone.py: no such file\n"


def test_jsonl_output_never_holds_the_secret(tmp_path, monkeypatch, capsys):
    text, secret = planted("aws-secret")
    code, out, _ = run(tmp_path, monkeypatch, capsys, {"c.py": text + "\n"}, "--format", "jsonl")
    assert code == 1
    record = json.loads(out[0])
    assert (record["path"], record["line"], record["code"], record["hook"]) == (
        "c.py", 1, "DG323", "check-secrets",
    )
    assert secret not in out[0]
    assert secret[:4] in record["message"]


# --- shape of the package ----------------------------------------------------------------


def run_probe(cwd, probe, *args):
    """`probe` (a Python program) in a fresh interpreter with this checkout on its path: what
    a hook process imports shows only there."""
    env = {**os.environ, "PYTHONPATH": REPO}
    return subprocess.run([sys.executable, "-c", probe, *args], cwd=cwd, env=env, capture_output=True,
                          check=False, text=True)


def test_clean_files_never_import_detect_secrets(tmp_path):
    """Import time matters: detect-secrets (which pulls in requests) loads only on a hit."""
    (tmp_path / "clean.py").write_text("import os\nprint(os.getcwd())\n", encoding="utf-8")
    text, _ = planted("groq")
    (tmp_path / "dirty.py").write_text(text + "\n", encoding="utf-8")
    probe = (
        "import sys\nfrom hooks.check_secrets import main\n"
        "code = main(sys.argv[1:])\n"
        "print(code, 'detect_secrets' in sys.modules, file=sys.stderr)\n"
    )
    clean = run_probe(tmp_path, probe, "clean.py")
    dirty = run_probe(tmp_path, probe, "dirty.py")
    assert clean.stderr == "0 False\n"
    assert dirty.stderr == "1 True\n"


def test_rules_match_the_detector_pack_and_readme():
    from hooks.check_secrets.detectors import DETECTORS

    rule_codes = [rule.code for rule in RULES]
    assert sorted({d.code for d in DETECTORS} | {"DG390"}) == rule_codes
    with open(os.path.join(REPO, "README.md"), encoding="utf-8") as handle:
        readme = handle.read()
    for code in rule_codes:
        assert f"| {code} | check-secrets |" in readme


def test_module_entry_point(tmp_path):
    text, _ = planted("shopify")
    (tmp_path / "x.py").write_text(text + "\n", encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "hooks.check_secrets", "x.py"], cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": REPO}, capture_output=True, check=False, text=True,
    )
    assert proc.returncode == 1
    assert proc.stdout.startswith("x.py:1:14: DG315 Shopify Token 'shpa\u2026'")


def test_driftgate_scan_runs_check_secrets(tmp_path):
    text, _ = planted("databricks")
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    (tmp_path / "job.py").write_text(text + "\n", encoding="utf-8")
    (tmp_path / ".env").write_text(LIVE_ENV, encoding="utf-8")
    (tmp_path / "untracked.py").write_text(text + "\n", encoding="utf-8")
    subprocess.run(["git", "add", "job.py", ".env"], cwd=tmp_path, check=True)
    proc = subprocess.run(
        [sys.executable, "-m", "hooks.cli", "scan", ".", "--hook", "check-secrets"], cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": REPO}, capture_output=True, check=False, text=True,
    )
    assert proc.returncode == 1, proc.stderr
    assert [line.split(" ")[0:2] for line in proc.stdout.splitlines()] == [
        [".env:1:1:", "DG390"], ["job.py:1:14:", "DG313"],
    ]


def _variant(name: str, rng: random.Random) -> str:
    """Prefix and shape variants of a format, each built from pieces."""
    dashes = "-" * 5
    body64 = "\n".join(fakes.pem_body(rng))
    variants = {
        "openai-admin": lambda: "sk-" + "admin-" + fakes.rand(rng, 60, fakes.URLSAFE),
        "openai-none": lambda: "sk-" + "None-" + fakes.rand(rng, 30) + "T3Blbk" + "FJ" + fakes.rand(rng, 30),
        "anthropic-oauth": lambda: "sk-" + "ant-oat01-" + fakes.rand(rng, 93, fakes.URLSAFE) + "AA",
        "gitlab-deploy": lambda: "gl" + "dt-" + fakes.rand(rng, 20, fakes.URLSAFE),
        "gitlab-runner": lambda: "gl" + "rt-" + fakes.rand(rng, 20, fakes.URLSAFE),
        "hf-org": lambda: "api" + "_org_" + fakes.rand(rng, 34, fakes.string.ascii_letters),
        "slack-user": lambda: "xo" + "xp-" + "-".join(fakes.rand(rng, 12, fakes.string.digits) for _ in range(3)) + "-" + fakes.rand(rng, 32, fakes.HEX),
        "slack-app": lambda: "xa" + "pp-1-A" + fakes.rand(rng, 10, fakes.string.ascii_uppercase + fakes.string.digits) + "-" + fakes.rand(rng, 13, fakes.string.digits) + "-" + fakes.rand(rng, 64, fakes.HEX),
        "shopify-shared-secret": lambda: "sh" + "pss_" + fakes.rand(rng, 32, fakes.HEX),
        "digitalocean-oauth": lambda: "do" + "o_v1_" + fakes.rand(rng, 64, fakes.HEX),
        "aws-session-key-id": lambda: "AS" + "IA" + fakes.rand(rng, 16, fakes.string.ascii_uppercase),
        "databricks-suffix": lambda: "da" + "pi" + fakes.rand(rng, 32, fakes.HEX) + "-2",
        "mailgun-context": lambda: "MAILGUN_API_KEY = '" + "-".join(fakes.rand(rng, n, fakes.HEX) for n in (32, 8, 8)) + "'",
        "azure-storage-context": lambda: "azure_storage_key: " + fakes.azure_storage(rng),
        "openssh-key": lambda: dashes + "BEGIN OPENSSH PRIVATE KEY" + dashes + "\n" + body64 + "\n" + dashes + "END OPENSSH PRIVATE KEY" + dashes,
        "encrypted-key": lambda: dashes + "BEGIN ENCRYPTED PRIVATE KEY" + dashes + "\n" + body64 + "\n" + dashes + "END ENCRYPTED PRIVATE KEY" + dashes,
        "pem-in-json-string": lambda: json.dumps({"key": fakes.pem_key(rng, "EC PRIVATE KEY")}),
        "url-password-at-colon": lambda: "amqp://guest:" + "s3:cr@t/" + fakes.rand(rng, 8) + "@mq.internal:5672/",
        "url-password-redis-no-user": lambda: "redis://:" + fakes.rand(rng, 16) + "@cache.internal:6379/0",
    }
    return variants[name]()


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("openai-admin", "DG301"), ("openai-none", "DG301"), ("anthropic-oauth", "DG302"),
        ("gitlab-deploy", "DG304"), ("gitlab-runner", "DG304"),
        ("hf-org", "DG305"), ("slack-user", "DG307"), ("slack-app", "DG307"), ("shopify-shared-secret", "DG315"),
        ("digitalocean-oauth", "DG314"), ("aws-session-key-id", "DG322"),
        ("databricks-suffix", "DG313"), ("mailgun-context", "DG318"),
        ("azure-storage-context", "DG320"), ("openssh-key", "DG325"), ("encrypted-key", "DG325"),
        ("pem-in-json-string", "DG325"), ("url-password-at-colon", "DG327"),
        ("url-password-redis-no-user", "DG327"),
    ],
)
def test_must_flag_prefix_and_shape_variants(tmp_path, monkeypatch, capsys, name, code):
    text = _variant(name, random.Random(21))
    status, out, _ = run(tmp_path, monkeypatch, capsys, {"v.txt": text + "\n"})
    assert status == 1
    assert [line.split(" ")[1] for line in out] == [code]


def test_readme_config_example_is_valid(tmp_path, monkeypatch, capsys):
    with open(os.path.join(REPO, "README.md"), encoding="utf-8") as handle:
        readme = handle.read()
    start = readme.index("[tool.driftgate.check-secrets]")
    block = readme[start : readme.index("```", start)]
    (tmp_path / "pyproject.toml").write_text(block, encoding="utf-8")
    jwt_text, _ = planted("jwt")
    key = fakes.pem_key(random.Random(22))
    code, out, _ = run(
        tmp_path, monkeypatch, capsys,
        {"tests/fixtures/server.pem": key + "\n", "auth.py": jwt_text + "\n"},
    )
    # allow-files lets the fixture's name through, ignore drops DG324; the key is reported
    assert code == 1
    assert [line.split(" ")[:2] for line in out] == [["tests/fixtures/server.pem:1:1:", "DG325"]]


def test_pathological_files_stay_linear(tmp_path, monkeypatch, capsys):
    """Thousands of BEGIN lines without an END, and URLs without a password, in one file."""
    begin = "-" * 5 + "BEGIN RSA PRIVATE KEY" + "-" * 5
    files = {
        "keys.txt": (begin + "\n" + "A" * 64 + "\n") * 5000,
        "bundle.min.js": "".join(f"u{i}=https://cdn.example.test/{i}/x:y;" for i in range(50000)),
    }
    code, out, _ = run(tmp_path, monkeypatch, capsys, files)
    assert (code, out) == (0, [])


def test_many_tokens_in_one_file_each_reported(tmp_path, monkeypatch, capsys):
    rng = random.Random(23)
    tokens = [FORMATS["aws-key-id"].build(rng) for _ in range(2000)]
    code, out, _ = run(tmp_path, monkeypatch, capsys, {"dump.csv": "\n".join(tokens) + "\n"})
    assert code == 1
    assert len(out) == 2000


# --- driftgate secrets-baseline -----------------------------------------------------------


def driftgate(cwd, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "hooks.cli", *args], cwd=cwd, env={**os.environ, "PYTHONPATH": REPO},
        capture_output=True, check=False, text=True,
    )


def test_secrets_baseline_accepts_todays_findings_only(tmp_path):
    rng = random.Random(24)
    groq, ghp, later = FORMATS["groq"].build(rng), FORMATS["github-ghp"].build(rng), FORMATS["groq"].build(rng)
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "llm.py").write_text(f'KEY = "{groq}"\n', encoding="utf-8")
    (tmp_path / "gh.py").write_text(f'gh = Github("{ghp}")  # driftgate: ignore[DG303]\nT = "{ghp}"\n', encoding="utf-8")
    (tmp_path / "clean.py").write_text("x = 1\n", encoding="utf-8")
    subprocess.run(["git", "add", "."], cwd=tmp_path, check=True)

    made = driftgate(tmp_path, "secrets-baseline")
    assert (made.returncode, made.stdout, made.stderr) == (
        0, ".secrets.baseline: added 2 secret(s) in 2 file(s)\n", "",
    )
    document = json.loads((tmp_path / ".secrets.baseline").read_text(encoding="utf-8"))
    assert {name: [(e["type"], e["line_number"]) for e in entries] for name, entries in document["results"].items()} == {
        "gh.py": [("GitHub Token", 2)],
        "src/llm.py": [("Groq API Key", 1)],
    }
    assert groq not in json.dumps(document) and ghp not in json.dumps(document)
    # detect-secrets itself reads the file (all of its settings and results)
    loaded = subprocess.run(
        [sys.executable, "-c", "from detect_secrets.core import baseline as b; "
         "print(len(list(b.load(b.load_from_file('.secrets.baseline')))))"],
        cwd=tmp_path, capture_output=True, check=False, text=True,
    )
    assert loaded.stdout == "2\n", loaded.stderr

    assert driftgate(tmp_path, "check-secrets", "src/llm.py", "gh.py").returncode == 0
    (tmp_path / "src" / "llm.py").write_text(f'KEY = "{groq}"\nNEW = "{later}"\n', encoding="utf-8")
    again = driftgate(tmp_path, "check-secrets", "src/llm.py")
    assert again.returncode == 1
    assert [line.split(" ")[0] for line in again.stdout.splitlines()] == ["src/llm.py:2:8:"]

    # a second run adds only the new one and keeps what was there
    subprocess.run(["git", "add", "."], cwd=tmp_path, check=True)
    assert driftgate(tmp_path, "secrets-baseline").stdout == ".secrets.baseline: added 1 secret(s) in 1 file(s)\n"
    assert driftgate(tmp_path, "check-secrets", "src/llm.py").returncode == 0


def test_secrets_baseline_keeps_a_detect_secrets_baseline(tmp_path):
    rng = random.Random(25)
    ghp, groq = FORMATS["github-ghp"].build(rng), FORMATS["groq"].build(rng)
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    (tmp_path / "a.py").write_text(f'T = "{ghp}"\n', encoding="utf-8")
    before = detect_secrets_baseline(tmp_path, "a.py")
    (tmp_path / "a.py").write_text(f'T = "{ghp}"\nG = "{groq}"\n', encoding="utf-8")
    subprocess.run(["git", "add", "a.py"], cwd=tmp_path, check=True)
    made = driftgate(tmp_path, "secrets-baseline", "--baseline", ".secrets.baseline")
    assert made.returncode == 0, made.stderr
    after = json.loads((tmp_path / ".secrets.baseline").read_text(encoding="utf-8"))
    assert after["plugins_used"] == before["plugins_used"]
    assert after["results"]["a.py"][: len(before["results"]["a.py"])] == before["results"]["a.py"]
    assert [e["type"] for e in after["results"]["a.py"]][-1] == "Groq API Key"


def test_secrets_baseline_refuses_a_broken_baseline(tmp_path):
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    (tmp_path / ".secrets.baseline").write_text("{oops", encoding="utf-8")
    made = driftgate(tmp_path, "secrets-baseline")
    assert made.returncode == 2
    assert made.stderr.startswith(
        "driftgate secrets-baseline: error: baseline .secrets.baseline: not a detect-secrets baseline"
    )
    assert (tmp_path / ".secrets.baseline").read_text(encoding="utf-8") == "{oops"


# --- per-detector must-not-flag: near misses of each format --------------------------------


def near_misses(rng: random.Random) -> list[tuple[str, str]]:
    """(code the line imitates, line): wrong length, alphabet, prefix, checksum or a placeholder."""
    r, hexa, letters = fakes.rand, fakes.HEX, fakes.string.ascii_letters
    ghp = FORMATS["github-ghp"].build(rng)
    dashes = "-" * 5
    return [
        ("DG301", 'k = "sk-' + "proj-" + r(rng, 20) + '"'),
        ("DG301", 'k = "sk-' + r(rng, 48) + '"'),
        ("DG301", 'k = "sk-' + "proj-" + "x" * 60 + '"'),
        ("DG302", 'k = "sk-' + "ant-api03-" + r(rng, 30) + '"'),
        ("DG302", 'k = "sk-' + 'ant-<your-key>"'),
        ("DG303", 'k = "' + ghp[:-1] + ('0' if ghp[-1] != '0' else '1') + '"'),
        ("DG303", 'k = "gh' + "p_" + r(rng, 35) + '"'),
        ("DG303", 'k = "gh' + "x_" + r(rng, 36) + '"'),
        ("DG303", 'k = "github' + "_pat_" + r(rng, 22) + "_" + r(rng, 40) + '"'),
        ("DG304", 'k = "gl' + "pat-" + r(rng, 12) + '"'),
        ("DG304", 'k = "gl' + "pat-" + "x" * 20 + '"'),
        ("DG305", 'k = "hf' + "_" + r(rng, 30, fakes.string.digits) + r(rng, 4, letters) + '"'),
        ("DG305", "from huggingface_hub import hf_hub_download"),
        ("DG306", 'k = "AI' + "za" + r(rng, 30) + '"'),
        ("DG307", 'k = "xo' + 'xb-not-a-real-token-this-will-not-work"'),
        ("DG307", 'k = "xo' + 'xb-${SLACK_BOT_TOKEN}"'),
        ("DG308", 'k = "sk' + "_test_" + r(rng, 99) + '"'),
        ("DG308", 'k = "pk' + "_live_" + r(rng, 99) + '"'),
        ("DG309", 'sid = "A' + "C" + r(rng, 32, hexa) + '"'),
        ("DG309", 'k = "S' + "K" + r(rng, 31, hexa) + '"'),
        ("DG309", 'twilio_auth_token = "' + r(rng, 32, hexa) + '0"'),
        ("DG310", 'k = "S' + "G." + r(rng, 22) + "." + r(rng, 40) + '"'),
        ("DG311", 'k = "np' + "m_" + r(rng, 36) + '"'),
        ("DG311", "npm_config_registry = " + "npm_install_" + r(rng, 24)),
        ("DG312", 'k = "py' + "pi-AgE" + r(rng, 30) + '"'),
        ("DG312", 'k = "py' + "pi-" + r(rng, 120) + '"'),
        ("DG313", 'k = "da' + "pi" + r(rng, 31, hexa) + '"'),
        ("DG313", 'k = "da' + "pi" + r(rng, 32, "ghijklmnop") + '"'),
        ("DG314", 'k = "do' + "p_v1_" + r(rng, 63, hexa) + '"'),
        ("DG315", 'k = "sh' + "pat_" + r(rng, 32, "ghijklmnopqrstuvwxyz") + '"'),
        ("DG316", 'k = "gs' + "k_" + r(rng, 51) + '"'),
        ("DG317", 'k = "xa' + "i-" + r(rng, 79) + '"'),
        ("DG317", 'model = "xa' + 'i-grok-2-latest"'),
        ("DG318", 'k = "ke' + "y-" + r(rng, 31, hexa) + '"'),
        ("DG318", 'cache = "ke' + 'y-value-store"'),
        ("DG319", 'k = "' + r(rng, 7, fakes.string.digits) + ":A" + r(rng, 34) + '"'),
        ("DG319", 'k = "' + r(rng, 9, fakes.string.digits) + ":B" + r(rng, 34) + '"'),
        ("DG320", 'conn = "AccountName=a;AccountKey=<storage-key>;EndpointSuffix=core.windows.net"'),
        ("DG320", 'conn = "AccountKey=${AZURE_STORAGE_KEY}"'),
        ("DG321", 'k = "' + r(rng, 4) + "Q~" + r(rng, 34) + '"'),
        ("DG321", 'k = "' + r(rng, 3) + "1Q~" + r(rng, 12) + '"'),
        ("DG322", 'k = "AK' + "IA" + r(rng, 15, fakes.string.ascii_uppercase) + '"'),
        ("DG322", 'k = "ak' + "ia" + r(rng, 16, fakes.string.ascii_lowercase) + '"'),
        ("DG323", "aws_secret_access_key = os.environ['AWS_SECRET_ACCESS_KEY']"),
        ("DG323", 'aws_secret_access_key = "' + r(rng, 40, fakes.string.ascii_lowercase + "/+") + '"'),
        ("DG323", 'aws_commit = "' + r(rng, 40, hexa) + '"'),
        ("DG324", 'k = "' + fakes.b64url(b'{"alg":"none"}') + "." + fakes.b64url(b'{"sub":"u1"}') + "." + r(rng, 20) + '"'),
        ("DG324", 'k = "eyJ' + r(rng, 30) + ".eyJ" + r(rng, 30) + "." + r(rng, 30) + '"'),
        ("DG325", dashes + "BEGIN PUBLIC KEY" + dashes + "\n" + "\n".join(fakes.pem_body(rng, 100)) + "\n" + dashes + "END PUBLIC KEY" + dashes),
        ("DG325", "Look for a line like `" + dashes + "BEGIN OPENSSH PRIVATE KEY" + dashes + "` in the file."),
        ("DG326", json.dumps({"type": "service" + "_account", "private_key": dashes + "BEGIN PRIVATE KEY" + dashes + "\n...\n" + dashes + "END PRIVATE KEY" + dashes + "\n"})),
        ("DG326", json.dumps({"type": "service" + "_account", "client_email": "bot@demo.test"})),
        ("DG327", "see https://user@example.test/path and git@example.test:org/repo.git"),
        ("DG327", 'url = "https://example.test:8443/@scope/pkg"'),
        ("DG327", 'url = "postgres://app:<password>@db/app"'),
        ("DG327", 'url = "mysql://root:****@db/app"'),
        ("DG327", "MultiHostUrl('https://foo.test:123,other:8080@bar.internal/path')"),
        ("DG327", 'url = "http://evil:' + r(rng, 12) + '@api.example.com/"'),
        ("DG327", 'url = "amqp://guest:' + r(rng, 12) + '@broker.test:5672/"'),
        ("DG328", 'SECRET_KEY = "not-very-secret-key-for-tests"'),
        ("DG328", 'client = Client(api_key="your-api-key-goes-here")'),
        ("DG328", 'DB_PASSWORD = "' + r(rng, 12) + '"'),
        ("DG328", 'token_url = "https://auth.internal/' + r(rng, 24) + '"'),
    ]


def test_every_detector_has_near_misses():
    codes = {code for code, _ in near_misses(random.Random(0))}
    assert codes == {rule.code for rule in RULES} - {"DG390"}


@pytest.mark.parametrize("index", range(len(near_misses(random.Random(0)))))
def test_must_not_flag_near_misses(tmp_path, monkeypatch, capsys, index):
    code, line = near_misses(random.Random(26))[index]
    status, out, err = run(tmp_path, monkeypatch, capsys, {"near.txt": line + "\n"})
    assert (status, out, err) == (0, [], ""), f"{code}: {line}"


def test_detectors_are_detect_secrets_plugins():
    """Each format is a detect-secrets RegexBasedDetector: its plugin interface works too."""
    from detect_secrets.plugins.base import RegexBasedDetector

    from hooks.check_secrets.detectors import DETECTORS, GitHubDetector, base62_crc32

    assert all(issubclass(detector, RegexBasedDetector) for detector in DETECTORS)
    assert len({detector.__name__ for detector in DETECTORS}) == len(DETECTORS)
    token = FORMATS["github-ghp"].build(random.Random(28))
    found = GitHubDetector().analyze_line(filename="x.py", line=f'T = "{token}"', line_number=3)
    assert [(s.type, s.secret_value, s.line_number, s.is_verified) for s in found] == [
        ("GitHub Token", token, 3, False)
    ]
    # the hook's checksum agrees with the independent one the fakes use
    body = fakes.rand(random.Random(29), 30)
    assert base62_crc32(body) == fakes.crc32_base62(body)


def test_secrets_baseline_path_and_config(tmp_path):
    """PATH limits the scan; the config's `baseline` and `exclude` apply; paths stay root-relative."""
    rng = random.Random(30)
    inside, outside, excluded = (FORMATS["xai"].build(rng) for _ in range(3))
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    for name, token in (("svc/a.py", inside), ("other/b.py", outside), ("svc/gen/c.py", excluded)):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(f'K = "{token}"\n', encoding="utf-8")
    (tmp_path / "cfg").mkdir()
    (tmp_path / "cfg" / "pyproject.toml").write_text(
        '[tool.driftgate]\nexclude = ["svc/gen/*"]\n'
        '[tool.driftgate.check-secrets]\nbaseline = "ci/accepted.json"\n',
        encoding="utf-8",
    )
    (tmp_path / "ci").mkdir()
    subprocess.run(["git", "add", "."], cwd=tmp_path, check=True)
    made = driftgate(tmp_path / "svc", "secrets-baseline", ".", "--config", "../cfg/pyproject.toml")
    assert (made.returncode, made.stdout) == (0, "ci/accepted.json: added 1 secret(s) in 1 file(s)\n")
    document = json.loads((tmp_path / "ci" / "accepted.json").read_text(encoding="utf-8"))
    assert list(document["results"]) == ["svc/a.py"]


def test_ordinary_django_code_never_imports_detect_secrets(tmp_path):
    """A `password = models.CharField(...)` field and a docstring mentioning tokens are not a
    reason to load the detector pack: the prefilter wants a quoted value in code."""
    (tmp_path / "models.py").write_text(
        "from django.db import models\n\n"
        "class User(models.Model):\n"
        "    password = models.CharField(max_length=128)\n"
        "    api_key = settings.SERVICE_API_KEY_FROM_ENVIRONMENT\n"
        '    token_type = "bearer"\n',
        encoding="utf-8",
    )
    probe = (
        "import sys\nfrom hooks.check_secrets import main\n"
        "code = main(sys.argv[1:])\n"
        "print(code, 'detect_secrets' in sys.modules, file=sys.stderr)\n"
    )
    proc = run_probe(tmp_path, probe, "models.py")
    assert proc.stderr == "0 False\n"


def test_a_hit_loads_detect_secrets_but_not_requests(tmp_path):
    """detect-secrets imports requests only to verify secrets, which this hook never does: a
    file with a secret is reported without loading requests (and urllib3, http.client: ~60 ms
    of every commit that touches a keyword), and code that does use requests afterwards gets
    the real module."""
    text, _ = planted("groq")
    (tmp_path / "dirty.py").write_text(text + "\n", encoding="utf-8")
    probe = (
        "import sys\nfrom hooks.check_secrets import main\n"
        "code = main(sys.argv[1:])\n"
        "loaded = [m for m in ('requests.exceptions', 'urllib3', 'http.client') if m in sys.modules]\n"
        "print(code, 'detect_secrets' in sys.modules, loaded, file=sys.stderr)\n"
        "import requests, detect_secrets.plugins.base as base\n"
        "print(issubclass(base.requests.exceptions.RequestException, IOError), 'urllib3' in sys.modules,\n"
        "      requests.get is sys.modules['requests'].get, file=sys.stderr)\n"
    )
    proc = run_probe(tmp_path, probe, "dirty.py")
    assert proc.stderr == "1 True []\nTrue True True\n"
    assert "DG3" in proc.stdout


def test_code_importing_a_requests_submodule_first_gets_one_copy_of_it(tmp_path):
    """With the stand-in in place, `import requests.adapters` loads requests once and each of
    its modules once: the classes requests raises are the classes the caller catches."""
    probe = (
        "import sys\nfrom hooks.check_secrets.lazy import defer_requests\ndefer_requests()\n"
        "import requests.adapters as adapters\nimport requests.exceptions as exceptions\n"
        "import requests, requests.sessions as sessions\n"
        "print(sessions.HTTPAdapter is adapters.HTTPAdapter, adapters.ConnectionError is exceptions.ConnectionError,\n"
        "      requests.exceptions is exceptions, type(adapters.__spec__.loader).__name__)\n"
        "import importlib\nprint(importlib.reload(adapters) is adapters)\n"
    )
    proc = run_probe(tmp_path, probe)
    assert proc.stdout == "True True True SourceFileLoader\nTrue\n", proc.stderr


def test_a_hit_runs_neither_of_detect_secrets_package_inits(tmp_path):
    """`detect_secrets/__init__.py` imports its scanner (multiprocessing, logging) and
    `detect_secrets/filters/__init__.py` every filter (the whole plugin registry): neither
    is needed to report a secret (~13 ms of every commit). Code that then uses the packages
    gets them whole: their attributes, `from ... import` of any filter, one class each."""
    text, _ = planted("groq")
    (tmp_path / "dirty.py").write_text(text + "\n", encoding="utf-8")
    probe = (
        "import sys\nfrom hooks.check_secrets import main\n"
        "code = main(sys.argv[1:])\n"
        "loaded = [m for m in ('multiprocessing', 'logging', 'detect_secrets.core.secrets_collection',\n"
        "                      'detect_secrets.filters.gibberish') if m in sys.modules]\n"
        "print(code, loaded, file=sys.stderr)\n"
        "import detect_secrets, detect_secrets.core.secrets_collection as sc\n"
        "from detect_secrets.filters import regex, gibberish\n"
        "import detect_secrets.filters.heuristic as heuristic\n"
        "print(detect_secrets.SecretsCollection is sc.SecretsCollection, callable(regex.should_exclude_line),\n"
        "      detect_secrets.filters.heuristic is heuristic, 'detect_secrets.filters.wordlist' in sys.modules,\n"
        "      file=sys.stderr)\n"
    )
    proc = run_probe(tmp_path, probe, "dirty.py")
    assert proc.stderr == "1 []\nTrue True True True\n", proc.stderr
    assert "DG3" in proc.stdout


def test_a_hit_does_not_import_inspect_and_detect_secrets_still_injects(tmp_path):
    """detect-secrets' plugin base imports `call_function_with_arguments` from
    detect_secrets.util.inject, which imports inspect (dis, opcode: ~2.5 ms of every commit)
    for calling plugins by parameter name, which driftgate's engine never does. A hit is
    reported without importing it; detect-secrets' own scanner, run afterwards, finds the
    same secret and the module's functions answer as the real ones."""
    text, _ = planted("groq")
    (tmp_path / "dirty.py").write_text(text + "\n", encoding="utf-8")
    probe = (
        "import sys\nfrom hooks.check_secrets import main\n"
        "code = main(sys.argv[1:])\n"
        "print(code, [m for m in ('inspect', 'dis') if m in sys.modules], file=sys.stderr)\n"
        "from detect_secrets.core.secrets_collection import SecretsCollection\n"
        "from detect_secrets.settings import default_settings\n"
        "with default_settings():\n"
        "    found = SecretsCollection()\n"
        "    found.scan_file('dirty.py')\n"
        "print(sorted(s.type for _, s in found), 'inspect' in sys.modules, file=sys.stderr)\n"
        "import detect_secrets.util.inject as inject, detect_secrets.plugins.base as base\n"
        "class Plugin:\n"
        "    def verify(self, secret):\n"
        "        return secret * 2\n"
        "print(inject.get_injectable_variables(lambda a, b=1: 0), base.call_function_with_arguments(Plugin().verify, secret=2, other=3),\n"
        "      file=sys.stderr)\n"
    )
    proc = run_probe(tmp_path, probe, "dirty.py")
    first, scanned, injected = proc.stderr.splitlines()
    assert first == "1 []" and "DG3" in proc.stdout, proc.stderr
    assert scanned.endswith("] True") and scanned != "[] True", proc.stderr
    assert injected == "('a', 'b') 4", proc.stderr
