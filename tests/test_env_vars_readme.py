"""The README's check-env-vars examples, run for real."""
from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

import hooks.check_env_vars as env_hook
from hooks.check_env_vars import main

sys.path.insert(0, str(Path(__file__).parent))
from _env_vars_support import make_repo

README = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")


def section() -> str:
    start = README.index("### check-env-vars")
    end = re.compile(r"\n#{2,3} ").search(README, start + 1)
    return README[start: end.start() if end else len(README)]


def blocks(lang: str) -> list[str]:
    return re.findall(rf"```{lang}\n(.*?)```", section(), re.DOTALL)


@pytest.fixture(autouse=True)
def fresh_process_cache():
    env_hook._REPOSITORIES.clear()
    yield
    env_hook._REPOSITORIES.clear()


def test_readme_console_example(tmp_path, monkeypatch, capsys):
    code_block = blocks("python")[0]
    console = blocks("console")[0].splitlines()
    assert console[0] == "$ check-env-vars app/settings.py"
    repo = make_repo(tmp_path / "r", {"app/settings.py": code_block, ".env.example": "SECRET_KEY=\n"})
    monkeypatch.chdir(repo)
    assert main(["app/settings.py"]) == 1
    assert capsys.readouterr().out.splitlines() == console[1:]


def test_readme_exclude_tests_example(tmp_path, monkeypatch, capsys):
    toml = blocks("toml")[0]
    repo = make_repo(tmp_path / "r", {
        "pyproject.toml": toml,
        "tests/test_app.py": "import os\nSLOW = os.getenv('SLOW_TESTS')\n",
        "tests/fixtures/.env.example": "FIXTURE_ONLY=\n",
        "app.py": "import os\nos.environ['FIXTURE_ONLY']\n",
    })
    monkeypatch.chdir(repo)
    assert main(["app.py", "tests/test_app.py"]) == 1
    assert capsys.readouterr().out.splitlines() == [
        "app.py:2:1: DG402 FIXTURE_ONLY is required (os.environ[...]: no default, the program "
        "fails at start without it) but declared nowhere",
    ]


def test_readme_config_example(tmp_path, monkeypatch, capsys):
    toml = blocks("toml")[1]
    repo = make_repo(tmp_path / "r", {
        "pyproject.toml": toml,
        "deploy/prod.vars": "QUEUE_URL=sqs://q\n",
        ".env.example": "QUEUE_URL=\nNEVER_READ=\n",
        "app.py": (
            "import os\n"
            "os.environ['SENTRY_DSN']\n"
            "os.environ['AWS_ROLE_ARN']\n"
            "os.environ['QUEUE_URL']\n"
            "os.environ['NOT_DECLARED']\n"
        ),
    })
    monkeypatch.chdir(repo)
    assert main(["app.py"]) == 1
    assert capsys.readouterr().out.splitlines() == [
        ".env.example:2:1: DG410 NEVER_READ is declared here (dotenv) but no code reads it",
        ("app.py:5:1: DG402 NOT_DECLARED is required (os.environ[...]: no default, the program "
        "fails at start without it) but declared nowhere"),
    ]


def test_readme_lists_every_option_and_code():
    text = section()
    for option in env_hook.OPTIONS:
        assert f"`--{option.name} " in text and f"`{option.name}`" in text
    for rule in env_hook.RULES:
        assert f"| {rule.code} | check-env-vars |" in README


def test_readme_dg404_example(tmp_path, monkeypatch, capsys):
    console = next(block for block in blocks("console") if "DG404" in block).splitlines()
    assert console[0] == "$ check-env-vars --extend-select DG404 app.py"
    repo = make_repo(tmp_path / "r", {
        "app.py": ("import os\n\nMAIL_HOST = os.environ.get(\"MAIL_HOST\", \"localhost\")\n"
                   "SITE = os.environ.get(\"SITE_ROOT\", \"http://localhost\")\n"),
        "docs/configuration.md": "# Settings\n\n## `SITE_ROOT`\n\nThe public URL.\n",
        "docker-compose.yml": "services:\n  app:\n    build: .\n    environment:\n      MAIL_HOST: smtp\n",
    })
    monkeypatch.chdir(repo)
    assert main(console[0].split()[2:]) == 1  # the arguments after the command name
    assert capsys.readouterr().out.splitlines() == console[1:]
