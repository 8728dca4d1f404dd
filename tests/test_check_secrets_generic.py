"""DG328: a credential's name assigned a long random literal (issue 9). Every credential is
random at run time; the must-not-flag table holds what real projects write instead."""
from __future__ import annotations

import json
import random
import subprocess
import sys
import uuid

import _secrets_support as fakes
import pytest
from conftest import write_files

from hooks.check_secrets import main

DJANGO_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789!@#$%^&*(-_=+)"


def run(tmp_path, monkeypatch, capsys, files, *args):
    monkeypatch.chdir(tmp_path)
    write_files(tmp_path, files)
    code = main([*args, *files])
    out, err = capsys.readouterr()
    return code, out.splitlines(), err


def rand(seed: int, size: int, alphabet: str = fakes.ALNUM) -> str:
    return fakes.rand(random.Random(seed), size, alphabet)


def must_flag() -> list[tuple[str, str, str]]:
    """(file, text, the secret inside it)."""
    django = "django-insecure-" + rand(1, 50, DJANGO_ALPHABET)
    password = rand(2, 24, fakes.ALNUM + "!#%*")
    api_key = rand(3, 40)
    compose = rand(4, 32)
    return [
        ("mysite/settings.py", f"SECRET_KEY = '{django}'\n", django),
        ("app/config.py", f'DB_PASSWORD = "{password}"\n', password),
        ("app/client.py", f'client = Client(base_url=URL, api_key="{api_key}")\n', api_key),
        ("docker-compose.yml", f"services:\n  db:\n    environment:\n      POSTGRES_PASSWORD: {compose}\n", compose),
        ("compose.yaml", f"services:\n  db:\n    environment:\n      - POSTGRES_PASSWORD={compose}\n", compose),
        ("app/settings.py", f'SECRET_KEY: str = "{api_key}"\n', api_key),
        ("web/src/api.ts", f"const apiKey = '{api_key}';\n", api_key),
        ("config/oauth.json", json.dumps({"client_secret": api_key}) + "\n", api_key),
        ("deploy/values.yaml", f"auth:\n  signingKey: \"{password}\"\n", password),
        ("cmd/main.go", f'accessToken := "{api_key}"\n', api_key),
    ]


@pytest.mark.parametrize("index", range(len(must_flag())))
def test_must_flag_a_random_literal_under_a_credentials_name(tmp_path, monkeypatch, capsys, index):
    path, text, secret = must_flag()[index]
    code, out, err = run(tmp_path, monkeypatch, capsys, {path: text})
    assert (code, err) == (1, "")
    line = next(n for n, l in enumerate(text.splitlines(), 1) if secret in l)
    col = text.splitlines()[line - 1].index(secret) + 1
    assert out == [
        f"{path}:{line}:{col}: DG328 Hardcoded credential '{secret[:4]}\u2026' is hardcoded: remove it, "
        "rotate it, and read it from the environment or a secret store"
    ]


def must_not_flag() -> list[tuple[str, str]]:
    random_value = rand(10, 32)
    return [
        ("settings.py", 'SECRET_KEY = "change-me-in-production-please"'),
        ("settings.py", 'SECRET_KEY = "not-very-secret-key-for-tests"'),
        ("settings.py", 'SECRET_KEY = env("SECRET_KEY", default="unsafe-secret-key")'),
        ("client.py", 'client = Client(api_key="your-api-key-here")'),
        ("client.py", "client = Client(api_key=api_key)"),
        ("client.py", 'token = os.environ["SERVICE_TOKEN"]'),
        ("client.py", "password = get_password()"),
        ("client.py", 'password = "hunter2"'),
        ("client.py", f'password = f"{{prefix}}{random_value}"'),
        ("client.py", f'if token == "{random_value}":'),
        ("client.py", f'request_id = "{uuid.UUID(int=random.Random(5).getrandbits(128))}"'),
        ("client.py", f'api_key = "{uuid.UUID(int=random.Random(6).getrandbits(128))}"'),
        ("client.py", 'auth_backend = "myapp.auth.backends.TokenAuthenticationBackend"'),
        ("client.py", 'token_url = "https://auth.internal/oauth2/token/refresh"'),
        ("client.py", f'password_hash = "{rand(11, 64, fakes.HEX)}"'),
        ("client.py", 'private_key = "/etc/ssl/private/server-certificate.pem"'),
        ("client.py", 'SECRET_KEY = "' + "0123456789abcdef" * 2 + '"'),
        ("model.py", 'pad_token = "<|reserved_special_token_0|>"'),
        ("model.py", 'tokenizer_name_or_path = "meta-llama/Llama-2-7b-chat-hf"'),
        ("model.py", 'next_page_token = "' + random_value + '"'),
        ("model.py", 'csrf_token = "' + random_value + '"'),
        ("docker-compose.yml", "      POSTGRES_PASSWORD: ${POSTGRES_PASSWORD:?Variable not set}"),
        ("docker-compose.yml", "      - SECRET_KEY=${SECRET_KEY}"),
        ("offer.yaml", "      a=ice-ufrag:YnNx\\r\\na=ice-pwd:" + random_value + "\\r\\n"),
        ("tests/test_client.py", f'client = Client(api_key="{random_value}")'),
        ("tests/cassettes/login.yaml", f'    body: \'{{"auth_token": "{random_value}"}}\''),
        ("docs/install.md", f"        'PASSWORD': '{random_value}',"),
        ("oauth.py", f'"""For example::\n\n    oauth_token="{random_value}",\n"""'),
        ("gh.py", 'GITHUB_TOKEN = "gh' + "p_" + rand(12, 36) + '"'),  # fails GitHub's checksum
        ("settings.py", f'SECRET_KEY = "{random_value}"  # pragma: allowlist secret'),
    ]


@pytest.mark.parametrize("index", range(len(must_not_flag())))
def test_must_not_flag(tmp_path, monkeypatch, capsys, index):
    path, line = must_not_flag()[index]
    assert run(tmp_path, monkeypatch, capsys, {path: line + "\n"}) == (0, [], "")


def test_detect_secrets_baseline_entry_accepts_the_value(tmp_path, monkeypatch, capsys):
    """detect-secrets' KeywordDetector records the same value as `Secret Keyword`."""
    value = rand(20, 32)
    (tmp_path / "config.py").write_text(f'DB_PASSWORD = "{value}"\n', encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "detect_secrets", "scan", "--no-verify", "config.py"],
        cwd=tmp_path, capture_output=True, text=True, check=True,
    )
    assert "Secret Keyword" in [e["type"] for e in json.loads(proc.stdout)["results"]["config.py"]]
    (tmp_path / ".secrets.baseline").write_text(proc.stdout, encoding="utf-8")
    assert run(tmp_path, monkeypatch, capsys, {"config.py": f'DB_PASSWORD = "{value}"\n'}) == (0, [], "")
    other = rand(21, 32)
    code, out, _ = run(tmp_path, monkeypatch, capsys, {"config.py": f'DB_PASSWORD = "{other}"\n'})
    assert code == 1
    assert [f.split(" ")[1] for f in out] == ["DG328"]


def test_dg328_can_be_ignored(tmp_path, monkeypatch, capsys):
    path, text, _ = must_flag()[1]
    assert run(tmp_path, monkeypatch, capsys, {path: text}, "--ignore", "DG328") == (0, [], "")


def test_django_startproject_keys_are_found(tmp_path, monkeypatch, capsys):
    """Django's alphabet holds `%`, `s` and `(`: a random key must not read as a `%s` template."""
    keys = ["django-insecure-" + rand(100 + seed, 50, DJANGO_ALPHABET) for seed in range(200)]
    text = "".join(f"SECRET_KEY = '{key}'\n" for key in keys)
    code, out, _ = run(tmp_path, monkeypatch, capsys, {"settings.py": text})
    assert code == 1
    assert len([line for line in out if " DG328 " in line]) >= 198  # 1% may look like words


def test_versions_model_names_and_dates_are_not_random(tmp_path, monkeypatch, capsys):
    lines = [
        'api_key = "gpt-4o-mini-2024-07-18"',
        'auth_token = "claude-3-5-sonnet-20241022"',
        'secret = "2024-01-15T10:30:00.000Z"',
        'token = "en-US,en;q=0.9,fr;q=0.8"',
    ]
    assert run(tmp_path, monkeypatch, capsys, {"cfg.py": "\n".join(lines) + "\n"}) == (0, [], "")
