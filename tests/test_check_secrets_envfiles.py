"""DG390 judges an env file by its values (issue 9): public configuration may be committed,
env files that compose loads or that document a stage are fine unless a value is a credential,
and the advice never contradicts check-env-vars (which reads those files as declarations).
Credentials are random at run time (tests/_secrets_support.py)."""
from __future__ import annotations

import random
import subprocess
import sys

import _secrets_support as fakes
import pytest
from conftest import PROJECT_ROOT, commit_all, init_repo, write_files

from hooks.check_secrets import main

PUBLIC_ONLY = "\n".join(
    [
        "# Local development defaults",
        "COMPOSE_PROJECT_NAME=shop",
        "NEXT_PUBLIC_API_URL=https://api.shop.internal",
        "NEXT_PUBLIC_STRIPE_KEY=pk_demo_abc",
        "SECRET_KEY=change-me",
        "FIRST_SUPERUSER_PASSWORD=changethis",
        "SMTP_PASSWORD=",
        "DEBUG=true",
        "SMTP_TLS=False",
        "SMTP_PORT=1025",
        "SMTP_HOST=mail.shop.internal",
        "EMAILS_FROM_EMAIL=info@shop.internal",
        'PROJECT_NAME="Full Stack Shop"',
        "DATABASE_URL=postgresql://app:${POSTGRES_PASSWORD}@localhost:5432/app",
        "REDIS_URL=redis://cache:6379/0",
        "API_TOKEN=<your-token>",
        "export LOG_LEVEL=info",
    ]
) + "\n"


def run(tmp_path, monkeypatch, capsys, files, *args):
    monkeypatch.chdir(tmp_path)
    write_files(tmp_path, files)
    code = main([*args, *files])
    out, err = capsys.readouterr()
    return code, out.splitlines(), err


def secret(seed: int, size: int = 40) -> str:
    return fakes.rand(random.Random(seed), size)


@pytest.mark.parametrize("name", [".env", ".env.local", "deploy/prod.env", ".env.production"])
def test_env_file_with_only_public_values_is_fine(tmp_path, monkeypatch, capsys, name):
    code, out, err = run(tmp_path, monkeypatch, capsys, {name: PUBLIC_ONLY})
    assert (code, out, err) == (0, [], "")


@pytest.mark.parametrize(
    ("line", "what"),
    [
        ("POSTGRES_PASSWORD=postgres", "`POSTGRES_PASSWORD` on line 18"),
        ("STRIPE_SECRET_KEY={secret}", "`STRIPE_SECRET_KEY` on line 18"),
        ("SESSION_SIGNING_VALUE={secret}", "`SESSION_SIGNING_VALUE` on line 18"),
    ],
)
def test_plain_env_file_with_a_possible_secret_is_reported(tmp_path, monkeypatch, capsys, line, what):
    text = PUBLIC_ONLY + line.replace("{secret}", secret(1)) + "\n"
    code, out, _ = run(tmp_path, monkeypatch, capsys, {".env": text})
    assert code == 1
    assert [f for f in out if " DG390 " in f] == [
        f".env:1:1: DG390 `.env` should never be committed (it holds {what}): `git rm --cached` it "
        "and add it to `.gitignore` (commit a template such as `.env.example` with placeholders "
        "instead), or replace the value with a placeholder and read the real one from the "
        "environment, or list it in `allow-files`"
    ]


def test_the_message_names_the_credential_first(tmp_path, monkeypatch, capsys):
    text = "POSTGRES_PASSWORD=postgres\nSECRET_KEY=" + secret(2) + "\n"
    _, out, _ = run(tmp_path, monkeypatch, capsys, {"app.env": text})
    dg390 = [f for f in out if " DG390 " in f]
    assert len(dg390) == 1
    assert "(it holds `SECRET_KEY` on line 2 and 1 more)" in dg390[0]


COMPOSE = """\
services:
  api:
    image: shop/api
    env_file:
      - common.env
      - path: ./backend.env
        required: false
  worker:
    image: shop/worker
    env_file: worker.env
"""


def compose_repo(tmp_path, envs: dict[str, str]):
    repo = init_repo(tmp_path / "repo")
    write_files(repo, {".devcontainer/docker-compose.yml": COMPOSE, **envs})
    commit_all(repo)
    return repo


@pytest.mark.parametrize("form", ["common.env", "backend.env", "worker.env"])
def test_env_file_target_with_dev_defaults_is_fine(tmp_path, monkeypatch, capsys, form):
    """A compose `env_file:` target is configuration check-env-vars reads as declarations:
    a default password such as `saleor`, `changeme` or `postgres` is no reason to untrack it."""
    text = "SECRET_KEY=changeme\nPOSTGRES_PASSWORD=postgres\nDATABASE_URL=postgres://shop:${DB_PASSWORD}@db/shop\n"
    repo = compose_repo(tmp_path, {f".devcontainer/{form}": text})
    monkeypatch.chdir(repo)
    assert main([f".devcontainer/{form}"]) == 0
    assert capsys.readouterr().out == ""
    # the same file, loaded by no compose file, may hold a password: reported
    write_files(repo, {"other/backend.env": text})
    assert main(["other/backend.env"]) == 1
    assert "should never be committed (it holds `POSTGRES_PASSWORD` on line 2)" in capsys.readouterr().out


def test_env_file_target_with_a_credential_says_keep_the_file(tmp_path, monkeypatch, capsys):
    text = "DEBUG=1\nSECRET_KEY=" + secret(3) + "\n"
    repo = compose_repo(tmp_path, {".devcontainer/backend.env": text})
    monkeypatch.chdir(repo)
    assert main([".devcontainer/backend.env", "--ignore", "DG328"]) == 1
    out = capsys.readouterr().out
    assert out == (
        ".devcontainer/backend.env:1:1: DG390 `backend.env` (loaded by `env_file:` in "
        "`.devcontainer/docker-compose.yml`) holds a credential (`SECRET_KEY` on line 2): keep "
        "the file, replace the value with a placeholder and supply the real one from the "
        "deployment's environment or a secret store, or list the file in `allow-files`\n"
    )
    assert "git rm" not in out  # check-env-vars reads this file: never advise untracking it


def test_stage_env_file_with_a_credential_says_keep_the_file(tmp_path, monkeypatch, capsys):
    text = "POSTGRES_PASSWORD=postgres\nAPI_KEY=" + secret(4, 32) + "\n"
    code, out, _ = run(tmp_path, monkeypatch, capsys, {".env.production": text}, "--ignore", "DG328")
    assert code == 1
    assert out == [
        ".env.production:1:1: DG390 `.env.production` (per-stage configuration) holds a credential "
        "(`API_KEY` on line 2): keep the file, replace the value with a placeholder and supply "
        "the real one from the deployment's environment or a secret store, or list the file in "
        "`allow-files`"
    ]
    # a default password alone is not a credential in a per-stage file
    code, out, _ = run(tmp_path, monkeypatch, capsys, {".env.production": "POSTGRES_PASSWORD=postgres\n"})
    assert (code, out) == (0, [])


def test_broken_compose_file_is_not_an_error(tmp_path, monkeypatch, capsys):
    repo = init_repo(tmp_path / "repo")
    write_files(repo, {"compose.yaml": "services: [unclosed\n", "app.env": "SECRET_KEY=" + secret(5) + "\n"})
    commit_all(repo)
    monkeypatch.chdir(repo)
    assert main(["app.env", "--ignore", "DG328"]) == 1
    out, err = capsys.readouterr()
    assert err == ""
    assert "should never be committed (it holds `SECRET_KEY` on line 1)" in out


def test_driftgate_scan_agrees_for_compose_targets(tmp_path):
    """Through `driftgate scan` (whole tree, one process) the same file is judged the same."""
    repo = compose_repo(tmp_path, {".devcontainer/common.env": "SECRET_KEY=changeme\nDB_PASSWORD=shop\n"})
    proc = subprocess.run(
        [sys.executable, "-m", "hooks.cli", "scan", ".", "--hook", "check-secrets"], cwd=repo,
        env={"PYTHONPATH": str(PROJECT_ROOT), "PATH": "/usr/bin:/bin"}, capture_output=True, text=True,
        check=False,
    )
    assert (proc.returncode, proc.stdout) == (0, ""), proc.stderr
