"""check-env-vars: documentation and the other places projects declare configuration
(Markdown/RST pages, commented-out examples, env files, entrypoint scripts, pytest-env),
and DG404 for teams that want every variable in a deployment file. Real git repos in tmp."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

import hooks.check_env_vars as env_hook
from hooks.check_env_vars import declarations, main

sys.path.insert(0, str(Path(__file__).parent))
from _env_vars_support import make_repo, write


@pytest.fixture(autouse=True)
def fresh_process_cache():
    env_hook._REPOSITORIES.clear()
    yield
    env_hook._REPOSITORIES.clear()


def run(capsys, *args: str) -> tuple[int, list[str], str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out.splitlines(), err


def sites(tmp_path: Path, files: dict[str, str]) -> list[tuple[str, str, int, bool]]:
    """(name, path, line, documentation) of every declaration the files make."""
    write(tmp_path, files)
    found = declarations.collect(
        str(tmp_path), declarations.repository_files(str(tmp_path), in_git=False), (), lambda p: False
    )
    assert found.errors == []
    return [(d.name, d.path, d.line, d.documentation) for d in found.sites]


def documented(tmp_path: Path, files: dict[str, str]) -> list[str]:
    return sorted({name for name, _, _, doc in sites(tmp_path, files) if doc})


def deployed(tmp_path: Path, files: dict[str, str]) -> list[str]:
    return sorted({name for name, _, _, doc in sites(tmp_path, files) if not doc})


MARKDOWN = """\
# Configuration

Healthchecks reads its settings from the environment. Set DEBUG_PROSE to anything.

## `SITE_ROOT` {: #SITE_ROOT }

## Mail settings for SMTP_RELAY_HOST and friends

| variable | meaning |
|---|---|
| `TABLE_VAR` | a table cell in code |
| PLAIN_CELL | a bare table cell |
| lower_cell | not a variable |

Set `INLINE_VAR` or `${BRACED_VAR}` or `$DOLLAR_VAR`; `print()` and `snake_case` are code,
`Some Words` are not one name, and `API` is a two-letter-plus word in code.

```bash
export EXPORTED_VAR='your-key'
ASSIGNED_VAR=1
docker run -e DOCKER_E_VAR=1 --env DOCKER_ENV_VAR=2 image
a == b
```

Plain prose: NOT_IN_CODE is mentioned without code marks.

```python
# a comment about COMMENT_IN_CODE_BLOCK is not a heading
```
"""

RST = """\
Settings
========

``RST_INLINE``
    Described here.

RST_HEADING
-----------

.. envvar:: RST_ENVVAR

   Described.
"""


def test_markdown_names_in_headings_tables_inline_code_and_assignments(tmp_path):
    assert documented(tmp_path, {"docs/configuration.md": MARKDOWN}) == sorted([
        "SITE_ROOT", "SMTP_RELAY_HOST", "TABLE_VAR", "PLAIN_CELL", "INLINE_VAR", "BRACED_VAR",
        "DOLLAR_VAR", "API", "EXPORTED_VAR", "ASSIGNED_VAR", "DOCKER_E_VAR", "DOCKER_ENV_VAR",
    ])


def test_prose_and_lower_case_words_are_not_variables(tmp_path):
    names = documented(tmp_path, {"README.md": MARKDOWN})
    for word in ("DEBUG_PROSE", "NOT_IN_CODE", "lower_cell", "snake_case", "Some", "Configuration",
                 "COMMENT_IN_CODE_BLOCK"):
        assert word not in names


def test_rst_inline_literals_headings_and_envvar_directives(tmp_path):
    assert documented(tmp_path, {"docs/settings.rst": RST}) == ["RST_ENVVAR", "RST_HEADING", "RST_INLINE"]


def test_documentation_positions(tmp_path):
    found = {name: (path, line) for name, path, line, _ in sites(tmp_path, {"docs/configuration.md": MARKDOWN})}
    assert found["SITE_ROOT"] == ("docs/configuration.md", 5)
    assert found["EXPORTED_VAR"] == ("docs/configuration.md", 19)


def test_commented_examples_in_env_templates_and_compose_files(tmp_path):
    files = {
        ".env.example": "SET_VAR=1\n# OPTIONAL_VAR=\n#export OPTIONAL_EXPORT=x\n# just a comment\n",
        "docker-compose.yml": (
            "services:\n  app:\n    build: .\n    environment:\n      - LIVE_VAR=1\n"
            "      # - COMMENTED_LIST=1\n      # COMMENTED_MAP: x\n# the Lower: comment\n"
            "      # - BARE_ITEM\n      # TODO: a note, not a variable\n      # NOTE: neither\n"
            "      # SINGLE=1\n"
        ),
    }
    assert documented(tmp_path, files) == [
        "BARE_ITEM", "COMMENTED_LIST", "COMMENTED_MAP", "OPTIONAL_EXPORT", "OPTIONAL_VAR", "SINGLE",
    ]
    assert deployed(tmp_path, files) == ["LIVE_VAR", "SET_VAR"]


def test_more_env_files_declare(tmp_path):
    files = {
        ".env.production": "PROD_VAR=1\n",
        ".env.development": "DEV_VAR=1\n",
        "deploy/template.env": "TEMPLATE_VAR=1\n",
        "app.conf.example": "[main]\nCONF_VAR = 1\nlower_key = 2\n",
        ".env": "TRACKED_DOT_ENV=1\n",  # only as a compose env_file target
        "worker.env": "ONLY_AS_ENV_FILE=1\n",
    }
    assert deployed(tmp_path, files) == ["DEV_VAR", "PROD_VAR", "TEMPLATE_VAR"]
    assert documented(tmp_path, files) == ["CONF_VAR"]


def test_entrypoint_exports_declare(tmp_path):
    files = {
        "bin/docker-entrypoint.sh": (
            "#!/bin/sh\nexport APP_MODE=web WORKERS=\"4 8\"\nexport ALREADY_SET\n"
            "export STAMP=$(date +%s) not a name\nFOO=1  # not exported\n"
        ),
        "docker/entrypoint": "#!/bin/bash\ndeclare -x FROM_DECLARE=1\n",
        "scripts/push.sh": "docker run \\\n  -e BUCKET=${BUCKET} \\\n  --env REGION image\n",
    }
    assert deployed(tmp_path, files) == [
        "ALREADY_SET", "APP_MODE", "BUCKET", "FROM_DECLARE", "REGION", "STAMP", "WORKERS",
    ]


def test_pytest_env_declares(tmp_path):
    files = {
        "pyproject.toml": (
            '[tool.pytest_env]\nFROM_TABLE = "1"\nWITH_OPTIONS = {value = "x", transform = true}\n'
            '[tool.pytest.ini_options]\nenv = ["D:FROM_INI_OPTIONS=1", "PLAIN_INI=2"]\n'
        ),
        "pytest.ini": "[pytest]\nenv =\n    FROM_PYTEST_INI=1\n    R:RAW_ONE=x\naddopts = -q\n",
        "setup.cfg": "[tool:pytest]\nenv = FROM_SETUP_CFG=1\n[flake8]\nenv = NOT_PYTEST=1\n",
    }
    assert deployed(tmp_path, files) == sorted([
        "FROM_TABLE", "WITH_OPTIONS", "FROM_INI_OPTIONS", "PLAIN_INI", "FROM_PYTEST_INI", "RAW_ONE",
        "FROM_SETUP_CFG",
    ])


def test_docs_that_are_not_utf8_are_skipped_quietly(tmp_path):
    files = {"docs/old.md": "x", "docs/new.md": "`NEW_VAR`\n"}
    write(tmp_path, files)
    (tmp_path / "docs" / "old.md").write_bytes("`OLD_VAR` caf\xe9\n".encode("latin-1"))
    found = declarations.collect(
        str(tmp_path), declarations.repository_files(str(tmp_path), in_git=False), (), lambda p: False
    )
    assert found.errors == []
    assert [d.name for d in found.sites] == ["NEW_VAR"]


# --- the hook ----------------------------------------------------------------------

APP = """\
import os

MAIL_HOST = os.environ.get("MAIL_HOST", "localhost")
SITE = os.environ.get("SITE_ROOT", "http://localhost")
UNDOCUMENTED = os.environ.get("UNDOCUMENTED_VAR", "")
"""


@pytest.fixture
def documented_repo(tmp_path, monkeypatch):
    repo = make_repo(tmp_path / "repo", {
        "app.py": APP,
        "docs/configuration.md": "# Settings\n\n## `SITE_ROOT`\n\nThe public URL.\n",
        "docker-compose.yml": "services:\n  app:\n    build: .\n    environment:\n      MAIL_HOST: smtp\n",
    })
    monkeypatch.chdir(repo)
    return repo


def test_a_documented_variable_is_declared_by_default(documented_repo, capsys):
    code, lines, _ = run(capsys, "app.py")
    assert lines == [
        "app.py:5:16: DG401 UNDOCUMENTED_VAR is read (os.environ.get(), has a default) but declared nowhere"
    ]
    assert code == 1


def test_dg404_reports_documentation_only_variables_and_says_where(documented_repo, capsys):
    code, lines, _ = run(capsys, "--extend-select", "DG404", "app.py")
    assert lines == [
        "app.py:4:8: DG404 SITE_ROOT is read (os.environ.get(), has a default) and documented in "
        "docs/configuration.md:3, but no deployment file sets it",
        "app.py:5:16: DG401 UNDOCUMENTED_VAR is read (os.environ.get(), has a default) but declared nowhere",
    ]
    assert code == 1


def test_dg404_from_the_config_file(documented_repo, capsys):
    write(documented_repo, {"pyproject.toml": '[tool.driftgate.check-env-vars]\nextend-select = ["DG404"]\n'})
    _, lines, _ = run(capsys, "app.py")
    assert [line.split(": ")[1].split()[0] for line in lines] == ["DG404", "DG401"]


def test_a_deployment_file_wins_over_documentation(documented_repo, capsys):
    write(documented_repo, {"docs/mail.md": "Set `MAIL_HOST`.\n"})
    _, lines, _ = run(capsys, "--extend-select", "DG404", "app.py")
    assert not any("MAIL_HOST" in line for line in lines)


def test_documentation_is_never_reported_unused(documented_repo, capsys):
    write(documented_repo, {"docs/more.md": "`NEVER_READ_ANYWHERE`\n"})
    _, lines, _ = run(capsys, "--extend-select", "DG410", ".")
    assert not any("NEVER_READ_ANYWHERE" in line for line in lines)


# --- test code, one finding per variable, vendored files ---------------------------------

TESTS_REPO = {
    "app/main.py": "import os\nTOKEN = os.environ.get('APP_TOKEN')\n",
    "tests/test_app.py": "import os\nSLOW = os.environ.get('SLOW_TESTS')\n",
    "app/test_units.py": "import os\nA = os.environ.get('UNIT_SWITCH')\n",
    "app/units_test.py": "import os\nB = os.environ.get('OTHER_SWITCH')\n",
    "conftest.py": "import os\nC = os.environ.get('FIXTURE_SWITCH')\n",
    "web/src/app.test.ts": "const d = process.env.JEST_SWITCH;\n",
    "web/src/__tests__/x.ts": "const e = process.env.JEST_DIR_SWITCH;\n",
}


def test_test_code_is_skipped_by_default(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(make_repo(tmp_path / "repo", TESTS_REPO))
    _, lines, _ = run(capsys, *sorted(TESTS_REPO))
    assert [line.split()[2] for line in lines] == ["APP_TOKEN"]


def test_check_tests_turns_test_code_back_on(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(make_repo(tmp_path / "repo", TESTS_REPO))
    _, lines, _ = run(capsys, "--check-tests", *sorted(TESTS_REPO))
    assert sorted(line.split()[2] for line in lines) == sorted([
        "APP_TOKEN", "SLOW_TESTS", "UNIT_SWITCH", "OTHER_SWITCH", "FIXTURE_SWITCH", "JEST_SWITCH",
        "JEST_DIR_SWITCH",
    ])


def test_pytest_env_declares_for_tests(tmp_path, monkeypatch, capsys):
    files = {**TESTS_REPO, "pyproject.toml": '[tool.pytest_env]\nSLOW_TESTS = "0"\n'}
    monkeypatch.chdir(make_repo(tmp_path / "repo", files))
    _, lines, _ = run(capsys, "--check-tests", "tests/test_app.py")
    assert lines == []


def test_dg410_still_counts_reads_in_test_code(tmp_path, monkeypatch, capsys):
    files = {**TESTS_REPO, ".env.example": "SLOW_TESTS=\nAPP_TOKEN=\nNOBODY_READS=\n"}
    monkeypatch.chdir(make_repo(tmp_path / "repo", files))
    _, lines, _ = run(capsys, "--select", "DG410", ".")
    assert [line.split()[2] for line in lines] == ["NOBODY_READS"]


ONE_PER_VARIABLE = {
    "a/first.py": "import os\nX = os.environ.get('SHARED_VAR')\nY = os.environ.get('SHARED_VAR', 'd')\n",
    "b/second.py": "import os\nZ = os.environ['SHARED_VAR']\nW = os.environ.get('ONCE_VAR')\n",
    "c/third.ts": "const v = process.env.SHARED_VAR;\n",
}


def test_one_finding_per_variable_at_its_most_serious_read(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(make_repo(tmp_path / "repo", ONE_PER_VARIABLE))
    _, lines, _ = run(capsys, *sorted(ONE_PER_VARIABLE))
    assert lines == [
        "b/second.py:2:5: DG402 SHARED_VAR is required (os.environ[...]: no default, the program "
        "fails at start without it) but declared nowhere (and 3 more reads)",
        "b/second.py:3:5: DG401 ONCE_VAR is read (os.environ.get(), has a default) but declared nowhere",
    ]


def test_one_finding_per_variable_first_read_when_all_alike(tmp_path, monkeypatch, capsys):
    files = {"a.py": "import os\nX = os.getenv('V')\n", "b.py": "import os\nX = os.getenv('V')\n"}
    monkeypatch.chdir(make_repo(tmp_path / "repo", files))
    _, lines, _ = run(capsys, "b.py", "a.py")
    assert lines == ["a.py:2:5: DG401 V is read (os.getenv(), has a default) but declared nowhere (and 1 more read)"]


def test_a_suppressed_read_does_not_hide_the_others(tmp_path, monkeypatch, capsys):
    files = {"a.py": "import os\nX = os.environ['V']  # driftgate: ignore[DG402]\nY = os.getenv('V')\n"}
    monkeypatch.chdir(make_repo(tmp_path / "repo", files))
    _, lines, _ = run(capsys, "a.py")
    assert lines == ["a.py:3:5: DG401 V is read (os.getenv(), has a default) but declared nowhere"]


VENDORED = {
    "web/static/lib.min.js": "var a = process.env.MIN_VAR;\n",
    "web/vendor/lib.js": "var a = process.env.VENDOR_VAR;\n",
    "web/node_modules/x/index.js": "var a = process.env.NODE_MODULES_VAR;\n",
    "web/dist/bundle.js": "var a = process.env.DIST_VAR;\n",
    "web/static/bundle.js": "var a = process.env.LONG_LINE_VAR;" + " " * 5001 + "\n",
    "web/src/app.js": "var a = process.env.APP_VAR;\n",
}


def test_minified_and_vendored_files_are_skipped_by_default(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(make_repo(tmp_path / "repo", VENDORED))
    _, lines, _ = run(capsys, *sorted(VENDORED))
    assert [line.split()[2] for line in lines] == ["APP_VAR"]
    _, lines, _ = run(capsys, "--check-vendored", *sorted(VENDORED))
    assert sorted(line.split()[2] for line in lines) == sorted([
        "MIN_VAR", "VENDOR_VAR", "NODE_MODULES_VAR", "DIST_VAR", "LONG_LINE_VAR", "APP_VAR",
    ])


def test_turbo_json_declares_names_and_globs(tmp_path, monkeypatch, capsys):
    files = {
        "turbo.json": (
            '{"globalEnv": ["API_URL", "!IGNORED"], "globalPassThroughEnv": ["VITE_*"],\n'
            ' "tasks": {"build": {"env": ["BUILD_ID"], "passThroughEnv": ["PASSED"]}}}\n'
        ),
        "web/src/app.ts": (
            "const a = process.env.API_URL;\nconst b = process.env.VITE_TITLE;\n"
            "const c = process.env.BUILD_ID;\nconst d = process.env.PASSED;\n"
            "const e = process.env.IGNORED;\nconst f = process.env.NOT_IN_TURBO;\n"
        ),
    }
    monkeypatch.chdir(make_repo(tmp_path / "repo", files))
    _, lines, _ = run(capsys, "web/src/app.ts")
    assert [line.split()[2] for line in lines] == ["IGNORED", "NOT_IN_TURBO"]


def test_distributed_launcher_variables_are_platform(tmp_path, monkeypatch, capsys):
    files = {"train.py": (
        "import os\nr = os.environ.get('LOCAL_RANK')\nw = os.environ.get('WORLD_SIZE')\n"
        "p = os.environ.get('PMI_SIZE')\nf = os.environ.get('ACCELERATE_USE_FSDP')\n"
        "mine = os.environ.get('MY_TRAINING_FLAG')\n"
    )}
    monkeypatch.chdir(make_repo(tmp_path / "repo", files))
    _, lines, _ = run(capsys, "train.py")
    assert [line.split()[2] for line in lines] == ["MY_TRAINING_FLAG"]


def test_variables_the_code_itself_sets_are_declared(tmp_path, monkeypatch, capsys):
    files = {
        "manage.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'app.settings')\n",
        "scripts/build_docs.py": "import os\nos.environ['BUILDING_DOCS'] = '1'\nos.putenv('PUT_VAR', 'x')\n"
                                 "os.environ.update({'UPDATED_VAR': '1'})\n",
        "web/setup.js": "process.env.SET_BY_JS = 'x';\n",
        "tests/test_x.py": "import os\nos.environ['ONLY_TESTS_SET'] = '1'\n",
        "app/main.py": (
            "import os\nm = os.environ['DJANGO_SETTINGS_MODULE']\nb = os.environ.get('BUILDING_DOCS')\n"
            "p = os.getenv('PUT_VAR')\nu = os.getenv('UPDATED_VAR')\nj = os.getenv('SET_BY_JS')\n"
            "t = os.getenv('ONLY_TESTS_SET')\nc = os.environ.get('COMPARED') == 'x'\n"
        ),
    }
    monkeypatch.chdir(make_repo(tmp_path / "repo", files))
    _, lines, _ = run(capsys, "app/main.py")
    assert [line.split()[2] for line in lines] == ["ONLY_TESTS_SET", "COMPARED"]


def test_a_script_documenting_its_own_variable_in_its_usage_text(tmp_path, monkeypatch, capsys):
    files = {"bench.py": (
        '"""Benchmarks.\n\n    $ BENCH_COMMAND="/my/python x" python bench.py\n"""\n'
        "import os\ncmd = os.getenv('BENCH_COMMAND')\nother = os.getenv('BENCH_OTHER')\n"
    )}
    monkeypatch.chdir(make_repo(tmp_path / "repo", files))
    _, lines, _ = run(capsys, "bench.py")
    assert [line.split()[2] for line in lines] == ["BENCH_OTHER"]
    _, lines, _ = run(capsys, "--extend-select", "DG404", "bench.py")
    assert lines[0] == ("bench.py:6:7: DG404 BENCH_COMMAND is read (os.getenv(), has a default) and "
                        "documented in bench.py:3, but no deployment file sets it")
