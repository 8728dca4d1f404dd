"""DG327 (password in a URL) is quiet where the password is obviously not a credential
(issue 9): test code and documentation examples with word passwords, URLs built in test
assertions, defaults whose password is the user name, word passwords to the developer's own
machine. Random passwords are still reported everywhere; they are built at run time."""
from __future__ import annotations

import random

import _secrets_support as fakes
import pytest
from conftest import write_files

from hooks.check_secrets import main


def run(tmp_path, monkeypatch, capsys, files):
    monkeypatch.chdir(tmp_path)
    write_files(tmp_path, files)
    code = main(list(files))
    out, _ = capsys.readouterr()
    return code, out.splitlines()


def random_password(seed: int, size: int = 20) -> str:
    return fakes.rand(random.Random(seed), size)


@pytest.mark.parametrize(
    ("path", "line"),
    [
        ("saleor/plugins/tests/test_plugin.py", 'email_url="smtp://some-user:secret-password@smtp.mail.internal:587/?tls=True",'),
        ("tests/conftest.py", 'CACHE = "redis://:test@cache.internal:6379/0"'),
        ("app/webhook/tests/test_utils.py", '"awssqs://key_id:secret%2B%2Faccess@sqs.eu-west-1.amazonaws.com/1/q",'),
        ("src/db_test.go", 'dsn := "postgres://app:hunter2@db.internal/app"'),
        ("web/src/api.spec.ts", "const url = 'https://bob:pass123@api.internal/v1';"),
        ("docs/configuration.md", "DATABASE_URL=postgres://shop:s3cr3tpw@db.internal/shop"),
        ("README.rst", "    mysql://root:mypass99@db.internal/app"),
    ],
)
def test_word_passwords_in_tests_and_docs_are_quiet(tmp_path, monkeypatch, capsys, path, line):
    assert run(tmp_path, monkeypatch, capsys, {path: line + "\n"}) == (0, [])


def test_the_same_word_password_in_application_code_is_reported(tmp_path, monkeypatch, capsys):
    code, out = run(
        tmp_path, monkeypatch, capsys,
        {"app/settings.py": 'DATABASE_URL = "postgres://shop:s3cr3tpw@db.internal/shop"\n'},
    )
    assert code == 1
    assert [f.split(" ")[1] for f in out] == ["DG327"]


@pytest.mark.parametrize("path", ["tests/test_db.py", "docs/deploy.md"])
def test_random_password_in_tests_and_docs_is_still_reported(tmp_path, monkeypatch, capsys, path):
    line = 'URL = "postgres://app:' + random_password(1) + '@db.internal/app"'
    code, out = run(tmp_path, monkeypatch, capsys, {path: line + "\n"})
    assert code == 1
    assert [f.split(":")[:3] for f in out] == [[path, "1", str(line.index("app:") + 5)]]


def test_url_built_in_a_test_assertion_is_quiet(tmp_path, monkeypatch, capsys):
    password = random_password(2)
    text = (
        "def test_dsn():\n"
        f'    assert build_dsn(password="{password}") == "postgres://app:{password}@db.internal/app"\n'
        f'    self.assertEqual(url, "redis://:{password}@cache.internal:6379")\n'
    )
    assert run(tmp_path, monkeypatch, capsys, {"tests/test_dsn.py": text}) == (0, [])


@pytest.mark.parametrize(
    "line",
    [
        'default="postgres://saleor:saleor@db.internal:5432/saleor",',
        "  AMQP_URL: ${AMQP_URL:-amqp://plane:plane@plane-mq:5672/plane}",
        "server_dsn = 'postgresql://postgres:postgres@db.internal:54320'",
        '# default="postgres://saleor_read_only:saleor@localhost:5432/saleor",',
        'REDIS = "redis://:devpass@127.0.0.1:6379/0"',
    ],
)
def test_defaults_and_local_word_passwords_are_quiet_everywhere(tmp_path, monkeypatch, capsys, line):
    assert run(tmp_path, monkeypatch, capsys, {"app/settings.py": line + "\n"}) == (0, [])


def test_random_password_to_localhost_is_reported(tmp_path, monkeypatch, capsys):
    line = 'DSN = "postgres://app:' + random_password(3) + '@localhost:5432/app"'
    code, out = run(tmp_path, monkeypatch, capsys, {"app/settings.py": line + "\n"})
    assert code == 1
    assert [f.split(" ")[1] for f in out] == ["DG327"]


def test_mixed_password_with_short_letter_runs_in_docs_is_reported(tmp_path, monkeypatch, capsys):
    """`p@0DdF12:/#meR3Jg!$` has letter pairs that read like English (`me`, `er`) but no
    run of letters long enough to be a word: it is random, and reported even in docs."""
    line = 'DATABASE_URL = "postgres://app:p@0DdF12:/#meR3Jg!$@db.internal:5432/app"'
    code, out = run(tmp_path, monkeypatch, capsys, {"docs/module.md": line + "\n"})
    assert code == 1
    assert [f.split(" ")[1] for f in out] == ["DG327"]
