"""check-env-vars on a realistic multi-service repository (a real git repo in tmp)."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import hooks.check_env_vars as env_hook
from hooks import cli
from hooks.check_env_vars import main

sys.path.insert(0, str(Path(__file__).parent))
from _env_vars_support import (
    EXPECTED,
    FILES,
    build_fixture,
    code_files,
    git,
    make_repo,
    write,
)


@pytest.fixture(autouse=True)
def fresh_process_cache():
    """Each test is a new "process": declarations are cached per process by repo root."""
    env_hook._REPOSITORIES.clear()
    yield
    env_hook._REPOSITORIES.clear()


@pytest.fixture
def fixture_repo(tmp_path, monkeypatch):
    repo = build_fixture(tmp_path / "repo")
    monkeypatch.chdir(repo)
    return repo


def run(capsys, *args: str) -> tuple[int, list[str], str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out.splitlines(), err


def test_fixture_reports_exactly_the_undeclared_reads(fixture_repo, capsys):
    code, lines, err = run(capsys, *code_files())
    assert lines == EXPECTED
    assert code == 1
    assert err == ""


def test_untracked_files_are_never_read(fixture_repo, capsys):
    # junk/.env.example (untracked) declares API_BASE_URL and UPLOAD_BUCKET: still undeclared
    code, lines, _ = run(capsys, "services/web/src/config.ts")
    assert any(" API_BASE_URL " in line for line in lines)
    assert any(" UPLOAD_BUCKET " in line for line in lines)
    assert code == 1


def test_pre_commit_style_subset_still_sees_every_declaration(fixture_repo, capsys):
    # one file passed, declarations come from compose, k8s, Helm, Actions, GitLab, Dockerfile
    code, lines, _ = run(capsys, "services/web/src/config.ts", "services/web/src/client.tsx")
    assert lines == [line for line in EXPECTED if line.startswith("services/web/")]
    assert code == 1


def _names(lines: list[str]) -> set[str]:
    return {line.split(": ", 1)[1].split()[1] for line in lines}


# Delete one declaration file: exactly the variables it declared become findings.
DECLARED_BY = [
    (".env.example", {"SECRET_KEY", "SENTRY_DSN"}),
    ("docker-compose.yml", {"DATABASE_URL", "REDIS_URL", "QUEUE_NAME", "WORKER_CONCURRENCY", "BROKER_URL"}),
    ("services/worker/worker.env", {"BROKER_URL"}),
    ("services/api/Dockerfile", {"LOG_LEVEL"}),
    ("services/web/Dockerfile", {"VITE_APP_TITLE"}),
    ("deploy/k8s/api-deployment.yaml", {"FEATURE_FLAGS", "PAYMENTS_API_KEY", "CACHE_TTL", "SEARCH_URL"}),
    ("deploy/k8s/configmap.yaml", {"CACHE_TTL", "SEARCH_URL"}),
    ("deploy/chart/values.yaml", {"ANALYTICS_KEY", "TRACING_ENDPOINT"}),
    ("deploy/chart/templates/deployment.yaml", {"CHART_RELEASE"}),
    (".github/workflows/ci.yml", {"E2E_BASE_URL"}),
    (".gitlab-ci.yml", {"DEPLOY_REGION"}),
]


@pytest.mark.parametrize(("removed", "now_undeclared"), DECLARED_BY)
def test_each_declaration_source_counts(fixture_repo, capsys, removed, now_undeclared):
    git(fixture_repo, "rm", "-q", removed)
    git(fixture_repo, "commit", "-q", "-m", f"drop {removed}")
    code, lines, err = run(capsys, *code_files())
    assert code == 1, err
    assert _names(lines) - _names(EXPECTED) == now_undeclared


def test_reading_through_an_alias_choice_names_the_alternatives(fixture_repo, capsys):
    git(fixture_repo, "rm", "-q", "deploy/k8s/configmap.yaml")
    git(fixture_repo, "commit", "-q", "-m", "drop")
    _, lines, _ = run(capsys, "services/api/app/settings.py")
    assert (
        "services/api/app/settings.py:11:5: DG401 SEARCH_URL (or ELASTIC_URL) is read "
        "(pydantic-settings field Settings.search_url, has a default) but declared nowhere"
    ) in lines


def test_suppression_comment_on_the_read_line(fixture_repo, capsys):
    _, lines, _ = run(capsys, "services/api/app/main.py")
    assert not any("UNDECLARED_ON_PURPOSE" in line for line in lines)
    write(fixture_repo, {"services/web/src/x.ts": (
        "const a = process.env.NOT_HERE_A; // driftgate: ignore[DG401]\n"
        "const b = process.env.NOT_HERE_B; // driftgate: ignore[DG402]\n"
    )})
    _, lines, _ = run(capsys, "services/web/src/x.ts")
    assert lines == [
        ("services/web/src/x.ts:2:11: DG401 NOT_HERE_B is read (process.env, no default: "
        "undefined when unset) but declared nowhere")
    ]


# --- DG410 -----------------------------------------------------------------------

EXPECTED_UNUSED = [
    ".env.example:5:1: DG410 UNUSED_EXAMPLE_SETTING is declared here (dotenv) but no code reads it",
    "services/api/Dockerfile:5:5: DG410 LEGACY_MODE is declared here (Dockerfile ENV) but no code reads it",
]


def test_dg410_is_off_by_default(fixture_repo, capsys):
    _, lines, _ = run(capsys, *code_files())
    assert not any("DG410" in line for line in lines)


def test_dg410_when_every_code_file_is_checked(fixture_repo, capsys):
    code, lines, _ = run(capsys, "--extend-select", "DG410", *code_files())
    assert sorted(lines) == sorted(EXPECTED + EXPECTED_UNUSED)
    assert code == 1
    # a directory covers every code file too
    _, lines, _ = run(capsys, "--select", "DG410", ".")
    assert lines == EXPECTED_UNUSED


def test_dg410_is_silent_when_the_run_covers_only_some_files(fixture_repo, capsys):
    # pre-commit on a normal commit, or one of its parallel processes
    _, lines, _ = run(capsys, "--select", "DG410", *code_files()[1:])
    assert lines == []


def test_dg410_not_for_build_args_ci_variables_platform_or_third_party_images(fixture_repo, capsys):
    _, lines, _ = run(capsys, "--select", "DG410", ".")
    text = "\n".join(lines)
    for name in ("APP_VERSION", "WORKER_BUILD_ARG", "TEST_DATABASE_URL", "PYTHONUNBUFFERED",
                 "POSTGRES_PASSWORD"):
        assert name not in text


def test_dg410_ignores_allow_but_not_declared(tmp_path, monkeypatch, capsys):
    # `allow`: the platform consumes it; `declared`: declared elsewhere, still never read
    repo = make_repo(tmp_path / "r", {
        ".env.example": "GUNICORN_CMD_ARGS=\nALSO_IN_VAULT=\n",
        "pyproject.toml": ('[tool.driftgate.check-env-vars]\nallow = ["GUNICORN_*"]\n'
                           'declared = ["ALSO_IN_VAULT"]\n'),
        "app.py": "print(1)\n",
    })
    monkeypatch.chdir(repo)
    _, lines, _ = run(capsys, "--select", "DG410", "app.py")
    assert lines == [
        ".env.example:2:1: DG410 ALSO_IN_VAULT is declared here (dotenv) but no code reads it"]


def test_dg410_dynamic_prefix_and_suppression(tmp_path, monkeypatch, capsys):
    repo = make_repo(tmp_path / "r", {
        ".env.example": "PLUGIN_STRIPE=1\nOLD_FLAG=1  # driftgate: ignore[DG410]\nREALLY_UNUSED=1\n",
        "app.py": "import os\n\ndef plugin(name):\n    return os.environ.get(f'PLUGIN_{name}')\n",
    })
    monkeypatch.chdir(repo)
    code, lines, _ = run(capsys, "--select", "DG410", "app.py")
    assert lines == [".env.example:3:1: DG410 REALLY_UNUSED is declared here (dotenv) but no code reads it"]
    assert code == 1


# --- configuration ---------------------------------------------------------------


def test_config_declared_allow_and_declaration_files(fixture_repo, capsys):
    write(fixture_repo, {
        "pyproject.toml": (
            "[tool.driftgate.check-env-vars]\n"
            'declared = ["MAILER_PASSWORD", "JOB_*"]\n'
            'allow = ["STRIPE_*"]\n'
            'declaration-files = ["ops/*.vars", "ops/render.yaml"]\n'
        ),
        "ops/prod.vars": "ALLOWED_HOSTS=example.invalid\nMAX_RETRIES=5\n",
        "ops/render.yaml": "services:\n  - envVars: {}\n    environment:\n      UPLOAD_BUCKET: b\n",
    })
    git(fixture_repo, "add", "-A")
    git(fixture_repo, "commit", "-q", "-m", "config")
    _, lines, _ = run(capsys, *code_files())
    gone = {"MAILER_PASSWORD", "JOB_TOKEN", "STRIPE_API_KEY", "STRIPE_PUBLIC_KEY",
            "ALLOWED_HOSTS", "MAX_RETRIES", "UPLOAD_BUCKET"}
    assert _names(lines) == _names(EXPECTED) - gone


def test_cli_flags_override(fixture_repo, capsys):
    _, lines, _ = run(capsys, "--declared", "API_BASE_URL,UPLOAD_BUCKET", "--allow", "VITE_*",
                      "services/web/src/config.ts", "services/web/src/client.tsx")
    assert _names(lines) == {"STRIPE_PUBLIC_KEY"}


def test_unknown_config_key_is_exit_2(fixture_repo, capsys):
    write(fixture_repo, {"pyproject.toml": "[tool.driftgate.check-env-vars]\ndeclare = ['X']\n"})
    code, lines, err = run(capsys, "services/web/src/config.ts")
    assert code == 2
    assert lines == []
    assert "unknown key `declare`" in err
    assert len(err.strip().splitlines()) == 1


# --- malformed, binary, empty ----------------------------------------------------


def test_malformed_compose_is_one_error_line_and_the_rest_is_checked(fixture_repo, capsys):
    write(fixture_repo, {"docker-compose.yml": "services:\n  api:\n    environment: [a\n"})
    git(fixture_repo, "commit", "-qam", "break compose")
    code, lines, err = run(capsys, *code_files())
    assert code == 2
    err_lines = err.strip().splitlines()
    assert len(err_lines) == 1
    assert err_lines[0].startswith("check-env-vars: error: docker-compose.yml: cannot read declarations: invalid YAML at line 4")
    assert "DG401/DG402 may be false" in err_lines[0]
    # everything the other files declare still counts; compose's names are now findings
    assert _names(lines) - _names(EXPECTED) == {
        "DATABASE_URL", "REDIS_URL", "QUEUE_NAME", "WORKER_CONCURRENCY", "BROKER_URL"}


def test_malformed_manifest_and_workflow(fixture_repo, capsys):
    write(fixture_repo, {
        "deploy/k8s/configmap.yaml": "apiVersion: v1\nkind: ConfigMap\ndata:\n  A: 'unterminated\n",
        ".github/workflows/ci.yml": "env: {E2E_BASE_URL: x\n",
    })
    git(fixture_repo, "commit", "-qam", "break")
    code, lines, err = run(capsys, "services/api/app/jobs.py")
    assert code == 2
    assert [line.split(": cannot")[0] for line in err.strip().splitlines()] == [
        "check-env-vars: error: .github/workflows/ci.yml",
        "check-env-vars: error: deploy/k8s/configmap.yaml",
    ]
    assert "Traceback" not in err
    assert _names(lines) == {"JOB_TOKEN", "CACHE_TTL"}


def test_excluding_a_broken_declaration_file(fixture_repo, capsys):
    write(fixture_repo, {
        "deploy/k8s/broken.yaml": "apiVersion: v1\nkind: ConfigMap\ndata: [\n",
        "pyproject.toml": '[tool.driftgate]\nexclude = ["deploy/k8s/broken.yaml"]\n',
    })
    git(fixture_repo, "add", "-A")
    git(fixture_repo, "commit", "-qm", "broken")
    code, lines, err = run(capsys, *code_files())
    assert (code, lines, err) == (1, EXPECTED, "")


def test_templated_yaml_is_not_malformed(fixture_repo, capsys):
    # Helm templates and other `{{ }}` YAML are not YAML; they are scanned, not parsed
    code, _, err = run(capsys, "services/web/src/config.ts")
    assert code == 1 and err == ""


def test_non_utf8_and_binary_declaration_files(fixture_repo, capsys):
    write(fixture_repo, {
        ".env.example": b"SECRET_KEY=\n# caf\xe9\nSENTRY_DSN=\n",
        "deploy/Dockerfile.bin": b"\x00\x01ENV\x00",
        "empty/.env.sample": "",
        "empty/docker-compose.yml": "",
    })
    git(fixture_repo, "add", "-A")
    git(fixture_repo, "commit", "-qm", "odd files")
    code, lines, err = run(capsys, *code_files())
    assert code == 2
    assert err.strip().splitlines() == [
        ("check-env-vars: error: .env.example: cannot read declarations: not valid UTF-8 "
        "(invalid continuation byte at byte 17); the variables it declares are unknown")
    ]
    assert _names(lines) - _names(EXPECTED) == {"SECRET_KEY", "SENTRY_DSN"}


def test_binary_non_utf8_empty_and_broken_code_files(fixture_repo, capsys):
    write(fixture_repo, {
        "odd/binary.py": b"\x00\x01os.environ['X']\x00",
        "odd/latin1.py": b"import os\n# caf\xe9\nos.environ['LATIN']\n",
        "odd/empty.py": "",
        "odd/empty.ts": "",
        "odd/broken.py": "import os\nos.environ['BROKEN'\n",
        "odd/ok.py": "import os\nos.environ['FINE_BUT_UNDECLARED']\n",
    })
    paths = ["odd/binary.py", "odd/latin1.py", "odd/empty.py", "odd/empty.ts", "odd/broken.py", "odd/ok.py"]
    code, lines, err = run(capsys, *paths)
    assert lines == [
        ("odd/ok.py:2:1: DG402 FINE_BUT_UNDECLARED is required (os.environ[...]: no default, "
        "the program fails at start without it) but declared nowhere")
    ]
    latin1, broken = err.splitlines()
    assert latin1 == "driftgate: odd/latin1.py: skipped, not valid UTF-8 (invalid continuation byte at byte 15)"
    # the parser's own words differ between Python versions
    assert broken.startswith("driftgate: odd/broken.py: skipped, not valid Python (line 2: ")
    assert code == 1


def test_missing_file_is_exit_2(fixture_repo, capsys):
    code, _, err = run(capsys, "nope.py")
    assert code == 2
    assert err.strip() == "check-env-vars: error: nope.py: no such file"


# --- outside git, scan, formats, module entry point ------------------------------


def test_outside_git_the_tree_is_walked_without_node_modules(tmp_path, monkeypatch, capsys):
    write(tmp_path, {
        ".env.example": "A_DECLARED=\n",
        "node_modules/x/.env.example": "B_IN_NODE_MODULES=\n",
        "app.py": "import os\nos.environ['A_DECLARED']\nos.environ['B_IN_NODE_MODULES']\n",
    })
    monkeypatch.chdir(tmp_path)
    code, lines, _ = run(capsys, "app.py")
    assert _names(lines) == {"B_IN_NODE_MODULES"}
    assert code == 1


def test_driftgate_scan_runs_the_hook_with_whole_repo_declarations(fixture_repo, capsys, monkeypatch):
    code = cli.main(["scan", "--hook", "check-env-vars", "services/web"])
    out, err = capsys.readouterr()
    assert out.splitlines() == [line for line in EXPECTED if line.startswith("services/web/")]
    assert code == 1, err


def test_driftgate_scan_json_and_dg410(fixture_repo, capsys):
    code = cli.main(["scan", "--hook", "check-env-vars", "--select", "DG410", "--format", "json", "."])
    doc = json.loads(capsys.readouterr().out)
    assert [(f["path"], f["code"]) for f in doc["findings"]] == [
        (".env.example", "DG410"), ("services/api/Dockerfile", "DG410")]
    assert code == 1


def test_jsonl_format(fixture_repo, capsys):
    code, lines, _ = run(capsys, "--format", "jsonl", "services/worker/worker.py")
    assert [json.loads(line) for line in lines] == [{
        "path": "services/worker/worker.py", "line": 6, "col": 11, "code": "DG401",
        "message": "MAX_RETRIES is read (decouple config(), has a default) but declared nowhere",
        "hook": "check-env-vars",
    }]
    assert code == 1


def test_python_dash_m_entry_point(fixture_repo):
    proc = subprocess.run(
        [sys.executable, "-m", "hooks.check_env_vars", "services/worker/worker.py"],
        capture_output=True, text=True, cwd=fixture_repo, check=False,
        env={**__import__("os").environ, "PYTHONPATH": str(Path(__file__).parents[1])},
    )
    assert proc.returncode == 1
    assert proc.stdout.splitlines() == [l for l in EXPECTED if l.startswith("services/worker/")]


def test_fixture_files_are_what_the_expectations_assume():
    assert "services/api/app/main.py" in FILES and len(code_files()) == 9
