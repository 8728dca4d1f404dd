"""check-doc-drift DG956: environment variables documented as the project's settings that no
code reads, in real git repos (a pydantic-settings class, os.environ reads, a compose file),
`--all` and diff mode (the change staged, PRE_COMMIT=1)."""
from __future__ import annotations

import re
from pathlib import Path
from typing import Iterator

import pytest

from _doc_drift_support import make_repo, run_hook
from conftest import PROJECT_ROOT, git, working_directory, write_files

# The code reads APP_TIMEOUT and APP_DEBUG_SQL directly, APP_CACHE_DIR and APP_WORKERS through
# a pydantic-settings class's env_prefix (no literal names them), APP_DYN_* through f-strings;
# compose.yaml sets APP_COMPOSE_ONLY for a sidecar image.
APP = {
    "pyproject.toml": '[project]\nname = "app"\nversion = "1.0"\n',
    "src/app/__init__.py": "",
    "src/app/config.py": """\
import os

from pydantic_settings import BaseSettings, SettingsConfigDict

TIMEOUT = int(os.environ.get("APP_TIMEOUT", "5"))
DEBUG_SQL = os.getenv("APP_DEBUG_SQL", "0") == "1"


def feature(flag: str) -> bool:
    return os.environ.get(f"APP_DYN_{flag}") == "1"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="APP_")

    cache_dir: str = "/tmp"
    workers: int = 2
""",
    "compose.yaml": 'services:\n  web:\n    environment:\n      APP_COMPOSE_ONLY: "1"\n',
}

HEAD = (
    "# Configuration\n\nThe service reads these environment variables:\n\n"
    "| Variable | Default | Meaning |\n|---|---|---|\n"
    "| `APP_TIMEOUT` | 5 | seconds |\n| `APP_DEBUG_SQL` | 0 | log SQL |\n"
    "| `APP_CACHE_DIR` | /tmp | cache |\n| `APP_WORKERS` | 2 | workers |\n"
)  # 10 lines: the next row is line 11

MESSAGE = ("DG956 {name} is documented as a setting but no code reads it; remove it from the docs "
           'or read it (e.g. os.environ.get("{name}"))')

MUST_FLAG = [
    # a row of a settings table that no code reads
    (HEAD + "| `APP_RETRIES` | 3 | retries |\n", "docs/configuration.md:11:4: " + MESSAGE.format(name="APP_RETRIES")),
    # a list item in an "Environment variables" section
    ("## Environment variables\n\n* `APP_TIMEOUT`: seconds\n* `APP_WORKERS`: workers\n"
     "* `APP_RETRIES`: retries\n", "docs/configuration.md:5:4: " + MESSAGE.format(name="APP_RETRIES")),
    # headings under a settings page
    ("# Settings\n\n## `APP_TIMEOUT`\n\nSeconds.\n\n## `APP_DEBUG_SQL`\n\nLog SQL.\n\n## `APP_RETRIES`\n\nRetries.\n",
     "docs/configuration.md:11:5: " + MESSAGE.format(name="APP_RETRIES")),
    # a Markdown definition list
    ("## Settings\n\n`APP_TIMEOUT`\n: seconds\n\n`APP_WORKERS`\n: workers\n\n`APP_RETRIES`\n: retries\n",
     "docs/configuration.md:9:2: " + MESSAGE.format(name="APP_RETRIES")),
    # NAME=value lines of an env block, the project's own naming
    ("## Configuration\n\n```env\nAPP_TIMEOUT=5\nAPP_WORKERS=2\nAPP_RETRIES=3\n```\n",
     "docs/configuration.md:6:1: " + MESSAGE.format(name="APP_RETRIES")),
]

MUST_NOT_FLAG = [
    HEAD,  # read directly and through the pydantic-settings env_prefix + field names
    HEAD + "| `APP_COMPOSE_ONLY` | 1 | for the sidecar |\n",  # compose uses it
    HEAD + "| `POSTGRES_PASSWORD` | | the database image |\n| `DJANGO_SETTINGS_MODULE` | | |\n"
    "| `PYTHONPATH` | | |\n| `DATABASE_URL` | | read by the ORM |\n",  # third-party and platform
    HEAD + "| `APP_DYN_BETA` | 0 | a feature flag |\n",  # the code builds APP_DYN_* names
    HEAD + "| `APP_RETRIES` | 3 | retries | <!-- driftgate: ignore[DG956] -->\n",  # suppressed
    # a table whose names the code mostly does not read: another tool's settings
    "## Environment\n\n| `APP_TIMEOUT` | |\n| `APP_WORKERS` | |\n| `OTHER_ONE` | |\n| `OTHER_TWO` | |\n"
    "| `OTHER_THREE` | |\n",
    # not about settings: a table of error codes
    "# Errors\n\n| `APP_TIMEOUT` | x |\n| `APP_WORKERS` | y |\n| `APP_RETRIES` | z |\n",
    # a shell block naming a variable of another tool's naming
    "## Configuration\n\n```bash\nexport APP_TIMEOUT=5\nexport APP_WORKERS=2\nexport TOOL_TOKEN=x\n```\n",
]


@pytest.mark.parametrize("doc, expected", MUST_FLAG)
def test_must_flag(tmp_path: Path, doc: str, expected: str) -> None:
    root = make_repo(tmp_path / "proj", APP, docs={"docs/configuration.md": doc})
    with working_directory(root):
        code, out, err = run_hook("--all", "docs/configuration.md")
    assert (code, out) == (1, [expected]), err


@pytest.mark.parametrize("doc", MUST_NOT_FLAG)
def test_must_not_flag(tmp_path: Path, doc: str) -> None:
    root = make_repo(tmp_path / "proj", APP, docs={"docs/configuration.md": doc})
    with working_directory(root):
        code, out, err = run_hook("--all", "docs/configuration.md")
    assert (code, out) == (0, []), err


RST_SETTINGS = """\
Settings
========

The service reads these environment variables.

``APP_TIMEOUT``
    Seconds before giving up.

``APP_WORKERS``
    Worker processes.

``APP_RETRIES``
    Retries.

.. envvar:: APP_DEBUG_SQL

   Log SQL.
"""


def test_rst_definition_lists_and_envvar_directives(tmp_path: Path) -> None:
    doc = RST_SETTINGS + "\n.. envvar:: APP_GONE\n\n   Removed.\n"
    root = make_repo(tmp_path / "proj", APP, docs={"docs/settings.rst": doc})
    with working_directory(root):
        code, out, err = run_hook("--all", "docs/settings.rst")
    assert (code, out) == (1, [
        "docs/settings.rst:12:3: " + MESSAGE.format(name="APP_RETRIES"),
        "docs/settings.rst:19:13: " + MESSAGE.format(name="APP_GONE"),
    ]), err


def test_an_unresolvable_settings_class_silences_its_prefix(tmp_path: Path) -> None:
    """A settings class with a nested delimiter reads names built from nested models: its
    prefix's names cannot be judged."""
    project = dict(APP)
    project["src/app/nested.py"] = (
        "from pydantic_settings import BaseSettings, SettingsConfigDict\n\n\n"
        "class Nested(BaseSettings):\n"
        '    model_config = SettingsConfigDict(env_prefix="APP_", env_nested_delimiter="__")\n\n'
        "    db: dict = {}\n"
    )
    root = make_repo(tmp_path / "proj", project, docs={"docs/configuration.md": MUST_FLAG[0][0]})
    with working_directory(root):
        assert run_hook("--all", "docs/configuration.md")[:2] == (0, [])


def test_code_that_does_not_parse_is_skipped_quietly(tmp_path: Path) -> None:
    """A broken or binary code file is no reason to stop judging the docs, nor to warn about
    code in a docs hook: the reads of the other files still count."""
    project = dict(APP)
    project["src/app/broken.py"] = "import os\nX = os.environ.get('APP_TIMEOUT'\n"
    project["src/app/blob.py"] = "\0\x01 os.environ"
    root = make_repo(tmp_path / "proj", project, docs={"docs/configuration.md": MUST_FLAG[0][0]})
    with working_directory(root):
        code, out, err = run_hook("--all", "docs/configuration.md")
    assert (code, out, err) == (1, [MUST_FLAG[0][1]], "")


@pytest.mark.parametrize("module", [
    # the prefix is a constant: the fields' names are unknown, any `<prefix>_RETRIES` may be one
    "from pydantic_settings import BaseSettings, SettingsConfigDict\n\nPREFIX = 'APP_'\n\n\n"
    "class More(BaseSettings):\n    model_config = SettingsConfigDict(env_prefix=PREFIX)\n\n    retries: int = 3\n",
    # a nested model field: one variable (APP_RETRIES) holding JSON
    "from pydantic import BaseModel\nfrom pydantic_settings import BaseSettings, SettingsConfigDict\n\n\n"
    "class Retries(BaseModel):\n    count: int = 3\n\n\n"
    "class More(BaseSettings):\n    model_config = SettingsConfigDict(env_prefix='APP_')\n\n    retries: Retries = Retries()\n",
])
def test_settings_fields_the_extraction_cannot_name_stay_silent(tmp_path: Path, module: str) -> None:
    project = dict(APP)
    project["src/app/more.py"] = module
    root = make_repo(tmp_path / "proj", project, docs={"docs/configuration.md": MUST_FLAG[0][0]})
    with working_directory(root):
        assert run_hook("--all", "docs/configuration.md")[:2] == (0, [])


def test_the_readme_example(tmp_path: Path) -> None:
    """The README's DG956 example is what the hook prints for such a project."""
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"\$ (check-doc-drift --all docs/configuration\.md)\n\s*(docs/configuration\.md:\S+ DG956 .*)\n", readme)
    assert block is not None
    doc = HEAD.replace("`", "") + "| APP_RETRIES | 3 | retries |\n"
    root = make_repo(tmp_path / "proj", APP, docs={"docs/configuration.md": doc})
    with working_directory(root):
        code, out, _ = run_hook(*block.group(1).split()[1:])
    assert (code, out) == (1, [block.group(2)])


# --- diff mode ------------------------------------------------------------------------


@pytest.fixture
def staged(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The project committed with a consistent settings table, run as pre-commit runs hooks."""
    root = make_repo(tmp_path / "proj", APP, docs={"docs/configuration.md": HEAD})
    monkeypatch.setenv("PRE_COMMIT", "1")
    for name in ("PRE_COMMIT_FROM_REF", "PRE_COMMIT_TO_REF"):
        monkeypatch.delenv(name, raising=False)
    with working_directory(root):
        yield root


def test_a_change_that_removes_the_last_read_is_reported(staged: Path) -> None:
    config = staged / "src/app/config.py"
    config.write_text(config.read_text().replace('"APP_DEBUG_SQL"', '"APP_SQL_ECHO"'))
    git(staged, "add", "-A")
    code, out, _ = run_hook()  # only code changed: pre-commit passes no doc
    assert (code, out) == (1, ["docs/configuration.md:8:4: " + MESSAGE.format(name="APP_DEBUG_SQL")])


def test_a_doc_line_that_documents_an_unread_variable_is_reported(staged: Path) -> None:
    doc = staged / "docs/configuration.md"
    doc.write_text(doc.read_text() + "| `APP_RETRIES` | 3 | retries |\n")
    git(staged, "add", "-A")
    code, out, _ = run_hook("docs/configuration.md")
    assert (code, out) == (1, ["docs/configuration.md:11:4: " + MESSAGE.format(name="APP_RETRIES")])


def test_old_debts_and_unrelated_changes_stay_silent_in_diff_mode(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An unread variable documented before the change is `--all`'s business, not this commit's."""
    root = make_repo(tmp_path / "proj", APP, docs={"docs/configuration.md": MUST_FLAG[0][0]})
    monkeypatch.setenv("PRE_COMMIT", "1")
    with working_directory(root):
        write_files(root, {"src/app/extra.py": "import os\n\nX = os.environ.get('APP_TIMEOUT')\n"})
        git(root, "add", "-A")
        assert run_hook()[:2] == (0, [])
        doc = root / "docs/configuration.md"
        doc.write_text(doc.read_text().replace("# Configuration", "# Configuration of the service"))
        git(root, "add", "-A")
        assert run_hook("docs/configuration.md")[:2] == (0, [])
        assert run_hook("--all", "docs/configuration.md")[0] == 1
