"""The `driftgate` hook (issue 15): every file gate in one process, through real pre-commit,
prints exactly what the separate hooks print."""
from __future__ import annotations

import os
import random
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Iterator

import pytest

from _deps_support import isolated_env, make_wheel, pypiserver
from _secrets_support import github_classic
from conftest import commit_all, init_repo, write_files
from hooks import cli
from hooks._core import registry

FINDING = re.compile(r"^\S+:\d+:\d+: DG\d{3} .+$")

DEEP = """\
import os
import ghost_module_xyz

TOKEN = "{token}"


def handle(items):
    for item in items:
        if item:
            while item:
                with item:
                    if os.environ["UNDECLARED_FLAG"]:
                        pass
"""


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    packages = tmp_path_factory.mktemp("pkgs")
    for version in ("1.0.0", "1.1.0"):
        make_wheel(str(packages), "fresh-lib", version)
    with pypiserver(str(packages)) as server:
        yield server.url


def _consumer(root: Path, index: str, hooks_yaml: str, hook_repo: tuple[Path, str]) -> Path:
    repo_path, sha = hook_repo
    init_repo(root)
    write_files(root, {
        "requirements.txt": "fresh-lib>=1\nghost-dep-xyz\n",
        "pyproject.toml": (
            f'[tool.driftgate.check-hallucinated-deps]\nindex-url = "{index}"\npublic-index-url = "{index}"\n'
            f'[tool.driftgate.check-undeclared-imports]\nindex-url = "{index}"\n'
        ),
        # a fake token in GitHub's documented shape, built at run time
        "app/handler.py": DEEP.format(token=github_classic("p")(random.Random(7))),
        "app/__init__.py": "",
        "README.md": "# consumer\n",
        ".pre-commit-config.yaml": f"repos:\n  - repo: {repo_path}\n    rev: {sha}\n    hooks:\n{hooks_yaml}",
    })
    commit_all(root)
    return root


def _run(consumer: Path, home: Path, cache: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PRE_COMMIT", "SKIP"))}
    env.update(PRE_COMMIT_HOME=str(home), PRE_COMMIT_COLOR="never", DRIFTGATE_CACHE_DIR=str(cache))
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", "run", "--all-files"],
        cwd=consumer, capture_output=True, text=True, env=env, timeout=600,
    )


def test_one_process_prints_exactly_what_the_separate_hooks_print(
    tmp_path: Path, index: str, hook_repo: tuple[Path, str], pre_commit_home: Path
) -> None:
    separate_yaml = "".join(f"      - id: {hook_id}\n" for hook_id in registry.FILE_HOOKS)
    separate = _run(_consumer(tmp_path / "separate", index, separate_yaml, hook_repo), pre_commit_home, tmp_path / "c1")
    umbrella = _run(_consumer(tmp_path / "umbrella", index, "      - id: driftgate\n", hook_repo), pre_commit_home, tmp_path / "c2")
    assert separate.returncode == umbrella.returncode == 1, separate.stdout + umbrella.stdout
    lines = sorted(line for line in separate.stdout.splitlines() if FINDING.match(line))
    assert lines == sorted(line for line in umbrella.stdout.splitlines() if FINDING.match(line))
    codes = {line.split(": ")[1].split()[0] for line in lines}
    # every gate found its planted problem: nesting, env var, secret, missing dep, hallucinated import
    assert {"DG501", "DG403", "DG303", "DG101", "DG202"} <= codes, lines
    assert "Traceback" not in separate.stdout + umbrella.stdout
    assert re.search(r"^driftgate \(every file gate, one process\)\.+Failed$", umbrella.stdout, flags=re.M)


def test_skip_leaves_the_network_gates_out(
    tmp_path: Path, index: str, hook_repo: tuple[Path, str], pre_commit_home: Path
) -> None:
    hooks_yaml = "      - id: driftgate\n        args: [--skip=check-hallucinated-deps, --skip=check-undeclared-imports]\n"
    proc = _run(_consumer(tmp_path / "c", index, hooks_yaml, hook_repo), pre_commit_home, tmp_path / "cache")
    codes = {line.split(": ")[1].split()[0] for line in proc.stdout.splitlines() if FINDING.match(line)}
    assert codes == {"DG501", "DG403", "DG303"}, proc.stdout


def test_run_gives_each_gate_only_its_own_files(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A deeply nested .js file is not Python: check-nesting must not see it, as its hook
    (types_or: python, pyi) would not; check-env-vars reads it."""
    write_files(repo, {"web/app.js": "const key = process.env.API_BASE;\n", "notes.txt": "for if while\n"})
    assert cli.main(["run", "web/app.js", "notes.txt", "--skip", "check-hallucinated-deps"]) == 1
    out, err = capsys.readouterr()
    assert [line.split(": ")[1].split()[0] for line in out.splitlines()] == ["DG401"], out
    assert out.startswith("web/app.js:1:") and "API_BASE" in out
    assert err == ""


def test_run_missing_file_and_unknown_gate_are_one_line_errors(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["run", "gone.py"]) == 2
    assert capsys.readouterr().err == "driftgate run: error: gone.py: no such file\n"
    assert cli.main(["run", "--skip", "check-nestin", "x.py"]) == 2
    assert capsys.readouterr().err.startswith("driftgate run: error: unknown hook 'check-nestin'")


def test_offline_reaches_the_network_gates(repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """--offline with an empty cache: the names are not checked (a warning), and no index is asked
    (the index URL points at a closed port, so asking it would be an exit 2)."""
    isolated_env(monkeypatch, tmp_path)  # no pip config from this machine: only the closed port
    write_files(repo, {
        "requirements.txt": "some-name\n",
        "pyproject.toml": '[tool.driftgate.check-hallucinated-deps]\nindex-url = "http://127.0.0.1:9/simple/"\n',
    })
    assert cli.main(["run", "--offline", "requirements.txt"]) == 0
    out, err = capsys.readouterr()
    assert out == ""
    assert "not checked" in err


def test_a_code_only_commit_still_gets_the_stale_doc_check(
    tmp_path: Path, hook_repo: tuple[Path, str], pre_commit_home: Path
) -> None:
    """check-doc-drift's hook is always_run: a commit touching only code can break a doc it
    does not touch. Through `driftgate`, which pre-commit runs once (require_serial), the
    same line is reported once."""
    from _doc_drift_support import ARGPARSE_SRC, make_repo
    from conftest import git, run_pre_commit

    repo_path, sha = hook_repo
    consumer = make_repo(
        tmp_path / "consumer", ARGPARSE_SRC,
        docs={"README.md": "```console\n$ mytool sync --dry-run x\n```\n", "docs/a.md": "a\n", "docs/b.md": "b\n"},
    )
    cli_file = consumer / "src/mytool/cli.py"
    cli_file.write_text(cli_file.read_text().replace('"--dry-run"', '"--simulate"'))
    git(consumer, "add", "src/mytool/cli.py")
    proc = run_pre_commit(consumer, pre_commit_home, "try-repo", str(repo_path), "driftgate", "--ref", sha)
    lines = [line for line in proc.stdout.splitlines() if FINDING.match(line)]
    assert [line.split(" DG")[0] for line in lines if " DG95" in line] == ["README.md:2:15:"], proc.stdout


HEAVY = ("urllib3", "requests.exceptions", "pip._internal", "yaml", "packaging.requirements",
         "urllib.request", "http.client", "importlib.metadata", "concurrent.futures", "email",
         "packaging.specifiers", "dataclasses")


# regular expressions this commit (Python code, a plain requirements.txt, no test file, no
# inline script metadata, a file:// index) never needs: compiled on first use, so not at all
LAZY_UNNEEDED = (
    ("hooks._deps.manifests", "_PEP723"), ("hooks._deps.manifests", "_BLANK_RUN"),
    ("hooks._deps.manifests", "_NPM_LIKE"), ("hooks._deps.pkgindex", "_HREF"),
    ("hooks._deps.pkgindex", "_META_TRACKS"), ("hooks.check_secrets", "_NEVER_COMMIT_NAME"),
    ("hooks.check_agent_leftovers", "_VALUE_WORDS"), ("hooks.check_agent_leftovers", "_SILENCED_WORDS"),
)


def test_a_warm_commit_imports_none_of_the_heavy_modules(tmp_path: Path) -> None:
    """What a commit costs is mostly imports (issue 15). Once the caches are warm, `driftgate
    run` on a commit touching code and requirements, with a secret to scan and compose
    files in the repository, imports no requests/urllib3 (detect-secrets only needs them to
    verify), no pip, no YAML parser, no packaging.specifiers (the chosen versions are remembered), no
    HTTP or metadata stack, no dataclasses; and prints the same findings as the cold run."""
    tree = tmp_path / "simple"  # a file:// index (a mirror on disk): no HTTP root check
    (tree / "fresh-lib").mkdir(parents=True)
    make_wheel(str(tree / "fresh-lib"), "fresh-lib", "1.0.0")
    index = tree.as_uri()
    root = init_repo(tmp_path / "repo")
    write_files(root, {
        "requirements.txt": "fresh-lib>=1\n",
        "pyproject.toml": (
            f'[tool.driftgate.check-hallucinated-deps]\nindex-url = "{index}"\npublic-index-url = "{index}"\n'
            f'[tool.driftgate.check-undeclared-imports]\nindex-url = "{index}"\n'
        ),
        "app/__init__.py": "",
        "app/handler.py": DEEP.format(token=github_classic("p")(random.Random(7))),
        "docker-compose.yml": "services:\n  app:\n    environment:\n      DATABASE_URL: x\n",
        ".env.example": "SECRET_KEY=\n",
    })
    commit_all(root)
    past = time.time() - 60  # committed a while ago: declaration files may be cached
    for path in root.rglob("*"):
        if ".git" not in path.parts and path.is_file():
            os.utime(path, (past, past))
    probe = (
        "import sys\nfrom hooks.cli import main\ncode = main(['run', *sys.argv[1:]])\n"
        f"print(sorted(f'{{m}}.{{n}}' for m, n in {LAZY_UNNEEDED!r} if getattr(sys.modules[m], n)._compiled is not None), file=sys.stderr)\n"
        f"print(code, [m for m in {HEAVY!r} if m in sys.modules], file=sys.stderr)\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("PIP_")}
    env.update(PYTHONPATH=str(Path(__file__).resolve().parents[1]), PIP_CONFIG_FILE=os.devnull,
               DRIFTGATE_CACHE_DIR=str(tmp_path / "cache"), HOME=str(tmp_path))
    files = ["app/handler.py", "requirements.txt"]
    cold, warm = (
        subprocess.run([sys.executable, "-c", probe, *files], cwd=root, env=env, capture_output=True, text=True, check=False)
        for _ in range(2)
    )
    assert cold.stdout == warm.stdout and {"DG501", "DG303", "DG202"} <= {
        line.split(": ")[1].split()[0] for line in warm.stdout.splitlines()}, cold.stdout + cold.stderr
    assert warm.stderr.splitlines()[-1] == "1 []", warm.stderr
    # patterns of what this commit does not hold are never compiled (issue 15: ~120 regex
    # compiles per commit before)
    assert warm.stderr.splitlines()[-2] == "[]", warm.stderr
    assert cold.stderr.splitlines()[-1] != "1 []"  # the cold run did need them
