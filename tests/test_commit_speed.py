"""Work done once per `driftgate run` (issue 15): what every gate would otherwise redo."""
from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import commit_all, init_repo, write_files
from hooks import cli
from hooks._core import files, runner

NESTED = (
    "import os\n\n\ndef handle(items):\n    for item in items:\n        if item:\n"
    "            while item:\n                with open(item) as f:\n                    if f:\n"
    "                        return os.environ['UNDECLARED_X']\n"
)


def test_a_commit_parses_each_python_file_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """check-nesting, check-env-vars, check-undeclared-imports and check-hallucinated-apis all
    read the file's syntax tree: `driftgate run` parses it once, and finds what each gate finds."""
    root = init_repo(tmp_path / "repo")
    write_files(root, {"app/handler.py": NESTED, "app/__init__.py": ""})
    commit_all(root)
    monkeypatch.chdir(root)
    parsed: list[str] = []
    real_parse = ast.parse

    def counting_parse(source: str, filename: str = "<unknown>", *args: object, **kwargs: object) -> ast.AST:
        parsed.append(filename)
        return real_parse(source, filename, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(ast, "parse", counting_parse)
    monkeypatch.setattr(files, "_TREES", {})
    monkeypatch.setattr(runner, "RUNS_ALONE", runner.RUNS_ALONE)  # `run` sets it: restored after
    cli.main(["run", "--offline", "app/handler.py"])
    out = capsys.readouterr().out
    assert {"DG501", "DG403"} <= {line.split(": ")[1].split()[0] for line in out.splitlines()}, out
    assert parsed.count("app/handler.py") == 1, parsed


def test_a_changed_file_is_parsed_again(tmp_path: Path) -> None:
    """The tree is remembered by path and text: new content under the same path is parsed
    anew (as at the next commit in one process), and only the last few trees are kept."""
    path = str(tmp_path / "m.py")
    first = files.parse_python(files.SourceFile(path, "x = 1\n"))
    assert files.parse_python(files.SourceFile(path, "x = 1\n")) is first
    second = files.parse_python(files.SourceFile(path, "def f():\n    pass\n"))
    assert isinstance(second.body[0], ast.FunctionDef)
    for n in range(files._TREES_KEPT + 1):
        files.parse_python(files.SourceFile(os.path.join(str(tmp_path), f"f{n}.py"), f"y = {n}\n"))
    assert len(files._TREES) == files._TREES_KEPT
    assert files.parse_python(files.SourceFile(path, "x = 1\n")) is not first


@pytest.fixture()
def memo_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    from hooks._deps import specmemo

    monkeypatch.setenv("DRIFTGATE_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(specmemo, "_loaded", None)
    monkeypatch.setattr(specmemo, "_new", {})
    return tmp_path / "cache"


def test_chosen_versions_are_remembered_until_the_index_lists_a_new_release(memo_dir: Path) -> None:
    """The release a specifier picks is computed once per (spec, version list): a later
    process answers from the disk without packaging, and a new release on the index (a new
    version list) or another specifier is a new question."""
    from hooks._deps import specmemo
    from hooks._deps.wheels import choose_version

    assert choose_version(["1.0", "1.5", "2.0rc1"], ">=1") == "1.5"
    specmemo.flush()
    assert json.loads((memo_dir / "specifiers-v1.json").read_text())  # on disk for the next commit
    specmemo._loaded = None  # a new process: what it knows comes from the file
    calls: list[str] = []
    real = specmemo.remembered

    def spying(question: str, spec: str, versions: object, compute: object) -> object:
        return real(question, spec, versions, lambda: calls.append(spec) or compute())  # type: ignore[arg-type, func-returns-value, operator]

    specmemo.remembered = spying  # type: ignore[assignment]
    try:
        assert choose_version(["1.0", "1.5", "2.0rc1"], ">=1") == "1.5"
        assert calls == []  # from the disk
        assert choose_version(["1.0", "1.5", "1.6", "2.0rc1"], ">=1") == "1.6"  # a new release
        assert choose_version(["1.0", "1.5", "2.0rc1"], ">=2.0rc1") == "2.0rc1"  # another spec
        assert calls == [">=1", ">=2.0rc1"]
    finally:
        specmemo.remembered = real  # type: ignore[assignment]


def test_a_damaged_memo_is_a_miss_and_parallel_writers_merge(memo_dir: Path) -> None:
    from hooks._deps import specmemo
    from hooks._deps.wheels import choose_version

    memo_dir.mkdir(parents=True)
    (memo_dir / "specifiers-v1.json").write_text("{not json")
    assert choose_version(["1.0", "2.0"], "<2") == "1.0"
    # another hook process wrote its own answer meanwhile: both survive this one's flush
    (memo_dir / "specifiers-v1.json").write_text(json.dumps({"choose\0>=9\0x": "9.1"}))
    specmemo.flush()
    saved = json.loads((memo_dir / "specifiers-v1.json").read_text())
    assert saved["choose\0>=9\0x"] == "9.1" and "1.0" in saved.values()


def test_nested_garbage_in_a_memo_is_a_miss_not_a_crash(memo_dir: Path) -> None:
    """JSON nested past the decoder's recursion limit (a damaged or hostile cache file) raises
    RecursionError, not ValueError: it must read as a miss like any other damage."""
    from hooks._deps.wheels import choose_version

    memo_dir.mkdir(parents=True)
    (memo_dir / "specifiers-v1.json").write_text("[" * 200_000)
    assert choose_version(["1.0", "2.0"], "<2") == "1.0"


def test_every_cache_file_full_of_nested_garbage_is_recomputed(tmp_path: Path) -> None:
    """What a commit leaves in the cache (declarations, code writes, installed packages,
    per-file results), each file overwritten with deeply nested garbage: the next run prints
    what the first printed, with no internal error."""
    (tmp_path / "app.py").write_text("import os\nimport requests\nTOKEN = os.environ['APP_TOKEN']\n")
    (tmp_path / "requirements.txt").write_text("requests\n")
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    subprocess.run(["git", "add", "."], cwd=tmp_path, check=True)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "DRIFTGATE_CACHE_DIR": str(tmp_path / ".cache")}
    argv = [sys.executable, "-m", "hooks.cli", "run", "--offline", "app.py", "requirements.txt"]

    def run() -> tuple[int, str, str]:
        proc = subprocess.run(argv, cwd=tmp_path, env=env, capture_output=True, text=True, check=False)
        return proc.returncode, proc.stdout, proc.stderr

    first = run()
    assert first[0] == 1 and "DG40" in first[1], first
    damaged = sorted((tmp_path / ".cache").rglob("*.json"))
    assert damaged
    for path in damaged:
        path.write_text("[" * 200_000)
    assert run() == first


def test_plain_specifiers_are_judged_as_packaging_judges_them() -> None:
    """Requirement specifiers skip packaging when they are plain release numbers: every
    operator x version shape gets the answer packaging's Specifier gives."""
    import itertools

    from packaging.specifiers import InvalidSpecifier, Specifier

    from hooks._deps.manifests import _valid_specifiers

    def packaging_says(part: str) -> bool:
        try:
            Specifier(part)
        except InvalidSpecifier:
            return False
        return True

    ops = (">=", "<=", ">", "<", "==", "!=", "~=", "===")
    versions = ("1", "1.0", "1.2.3", "01.2", "1.*", "1.0.*", "1.0a1", "1.0.post1", "1.0+local", "*",
                "1..2", "1.", ".1", "1.0.0.0.0", "0", "v1", "1.0.*.1", "2.0.0", "1.0.dev0", "1.0.*+x")
    for op, version in itertools.product(ops, versions):
        assert _valid_specifiers([op + version]) == packaging_says(op + version), op + version
    assert _valid_specifiers([">=1.0", "<2"]) and not _valid_specifiers([">=1.0", "~=1"])


def test_a_finished_hook_leaves_its_heap_to_the_exit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """When a hook's work is done, everything still alive is frozen out of the cyclic
    collector, so the interpreter's final collections do not walk a commit's heap again
    (20-40 ms of each hook process's exit)."""
    import gc

    from hooks import check_nesting

    (tmp_path / "deep.py").write_text(NESTED)
    monkeypatch.chdir(tmp_path)
    gc.unfreeze()
    try:
        assert check_nesting.main(["deep.py"]) == 1
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
    assert "deep.py:9:21: DG501" in capsys.readouterr().out
    assert gc.isenabled()  # the caller's collector is as it was


def test_the_collector_stays_off_while_driftgate_imports_its_gates(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Importing the gates allocates what lives until the process ends: the cyclic collector
    is off from the start of the run (not only while a check runs), and on again after."""
    import gc

    from hooks._core import registry

    (tmp_path / "deep.py").write_text(NESTED)
    monkeypatch.chdir(tmp_path)
    seen: list[bool] = []
    real_load = registry.load_module

    def load(hook_id: str) -> object:
        seen.append(gc.isenabled())
        return real_load(hook_id)

    monkeypatch.setattr(registry, "load_module", load)
    monkeypatch.setattr(runner, "RUNS_ALONE", runner.RUNS_ALONE)  # `run` sets it: restored after
    try:
        assert cli.main(["run", "--offline", "--hook", "check-nesting", "deep.py"]) == 1
    finally:
        gc.unfreeze()
    assert seen == [False] and gc.isenabled()
    assert "deep.py:9:21: DG501" in capsys.readouterr().out


def test_installed_distributions_are_reread_when_one_is_installed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """check-hallucinated-apis maps each installed top-level package to its distribution
    (reading every dist-info): remembered on disk while site-packages is unchanged, read
    again once a distribution is installed (its dist-info directory changes the directory)."""
    import time

    from hooks._api import index as api_index

    site = tmp_path / "site"
    (site / "alpha").mkdir(parents=True)
    (site / "alpha" / "__init__.py").write_text("def run():\n    pass\n")
    (site / "alpha-1.0.dist-info").mkdir()
    (site / "alpha-1.0.dist-info" / "top_level.txt").write_text("alpha\n")
    past = time.time() - 60
    os.utime(site, (past, past))
    cache = str(tmp_path / "cache")
    assert api_index.ApiIndex([str(site)], cache_dir=cache)._read_distributions(str(site)) == {"alpha": ("alpha", "1.0")}

    def no_reading(*args: object) -> dict[str, tuple[str, str]]:
        raise AssertionError("read again although site-packages did not change")

    with monkeypatch.context() as patch:
        patch.setattr(api_index, "read_distributions", no_reading)
        assert api_index.ApiIndex([str(site)], cache_dir=cache)._read_distributions(str(site)) == {"alpha": ("alpha", "1.0")}
    (site / "beta-2.0.dist-info").mkdir()  # pip installs beta
    (site / "beta-2.0.dist-info" / "top_level.txt").write_text("beta\n")
    os.utime(site, (past + 10, past + 10))
    assert api_index.ApiIndex([str(site)], cache_dir=cache)._read_distributions(str(site)) == {
        "alpha": ("alpha", "1.0"), "beta": ("beta", "2.0")}


def test_the_work_tree_root_is_asked_of_git_once_per_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Several gates ask for the repository's root in one `driftgate run`: one git process;
    a directory that was outside any repository is asked again (it may be one now)."""
    import subprocess

    from hooks._core import git

    outside = tmp_path / "plain"
    outside.mkdir()
    assert git.repo_root(str(outside)) is None or not str(git.repo_root(str(outside))).startswith(str(outside))
    root = init_repo(tmp_path / "repo")
    (root / "sub").mkdir()
    calls: list[object] = []
    real_run = subprocess.run

    def counting_run(*args: object, **kwargs: object) -> object:
        calls.append(args[0])
        return real_run(*args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(git.subprocess, "run", counting_run)
    first = git.repo_root(str(root / "sub"))
    assert first is not None and os.path.samefile(first, root)
    assert git.repo_root(str(root / "sub")) == first
    assert len(calls) == 1
    init_repo(outside)  # `git init` where there was no repository: seen at once
    found = git.repo_root(str(outside))
    assert found is not None and os.path.samefile(found, outside)


ROOT = Path(__file__).resolve().parents[1]
# a zero-width space, built here so this file holds none
ZWSP = chr(0x200B)


def _hidden_probe(tmp_path: Path, *args: str, extra_env: dict[str, str] | None = None) -> "subprocess.CompletedProcess[str]":
    import subprocess
    import sys

    probe = (
        "import sys\nfrom hooks.check_hidden_instructions import main\ncode = main(sys.argv[1:])\n"
        "print(code, [m for m in ('shutil', 'hashlib') if m in sys.modules], file=sys.stderr)\n"
    )
    env = {"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path),
           "DRIFTGATE_CACHE_DIR": str(tmp_path / "cache"), **(extra_env or {})}
    return subprocess.run([sys.executable, "-c", probe, *args], cwd=tmp_path, env=env,
                          capture_output=True, text=True, check=False)


def test_the_code_point_check_starts_without_shutil_or_hashlib(tmp_path: Path) -> None:
    """Issue 12: `check-hidden-instructions --select DG80` is start-up bound (1,500 files in
    a few times grep's time), so argparse's formatters no longer import shutil (bz2, lzma) for
    the terminal width and the result cache hashes with blake2b without hashlib's OpenSSL;
    cold and warm (cached) runs still report the hidden character, a missing file still errors."""
    (tmp_path / "note.md").write_text(f"hello{ZWSP}world\n", encoding="utf-8")
    (tmp_path / "plain.md").write_text("nothing here\n")
    past = time.time() - 60  # settled files: the warm run reads the cache and writes nothing
    for name in ("note.md", "plain.md"):
        os.utime(tmp_path / name, (past, past))
    cold, warm = (_hidden_probe(tmp_path, "--select", "DG80", "note.md", "plain.md") for _ in range(2))
    assert cold.stdout == warm.stdout and warm.stdout.startswith("note.md:1:6: DG802 "), cold.stdout + cold.stderr
    assert warm.stdout.count("\n") == 1 and warm.stderr.splitlines()[-1] == "1 []", warm.stderr
    missing = _hidden_probe(tmp_path, "--select", "DG80", "gone.md", "plain.md")
    assert "gone.md: no such file" in missing.stderr and missing.stderr.splitlines()[-1].startswith("2 ")


def test_help_still_fits_the_terminal_width(tmp_path: Path) -> None:
    """The width argparse got from shutil now comes from COLUMNS (or the terminal) directly."""
    widths: dict[int, list[int]] = {}
    for columns in (50, 120):
        proc = _hidden_probe(tmp_path, "--help", extra_env={"COLUMNS": str(columns)})
        widths[columns] = [len(line) for line in proc.stdout.splitlines()]
        assert "--select" in proc.stdout, proc.stdout
    # help wraps to the width: more, shorter lines in 50 columns than in 120
    assert len(widths[50]) > len(widths[120]) and max(widths[120]) > 50
    assert sorted(widths[50])[len(widths[50]) // 2] <= 48

def test_cache_writes_are_atomic_owner_only_and_need_no_tempfile(tmp_path: Path) -> None:
    """Issue 15: every commit writes a result pack; write_atomic makes its own exclusive temp
    file instead of importing tempfile (shutil, bz2, lzma, random). The entry is replaced whole,
    readable by its owner only, no temp file is left, and an unwritable place stays quiet."""
    import subprocess
    import sys

    target = tmp_path / "cache" / "deep" / "pack.json"
    probe = (
        "import sys\nfrom hooks._core.cache import write_atomic\n"
        "write_atomic(sys.argv[1], 'first')\nwrite_atomic(sys.argv[1], '{\"second\": 2}')\n"
        "write_atomic('/proc/driftgate-no/x.json', 'x')\n"
        "print([m for m in ('tempfile', 'shutil', 'random') if m in sys.modules])\n"
    )
    proc = subprocess.run([sys.executable, "-c", probe, str(target)], env={"PYTHONPATH": str(ROOT)},
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 0 and proc.stdout.strip() == "[]", proc.stdout + proc.stderr
    assert json.loads(target.read_text()) == {"second": 2}
    assert os.listdir(target.parent) == ["pack.json"]
    if os.name == "posix":
        assert target.stat().st_mode & 0o077 == 0


def test_never_commit_names_are_judged_as_the_globs_judge_them() -> None:
    """check-secrets compiles its never-commit regex only for a name that starts and ends like
    one of the globs (issue 15): every name fnmatch matches still gets its reason, the others
    none, and no glob uses a wildcard the start/end test would not cover."""
    import fnmatch

    from hooks import check_secrets as cs

    assert not any(ch in glob for glob, _ in cs.NEVER_COMMIT for ch in "?[")
    names = ["README.md", "setup.py", ".env", ".env.local", "prod.env", "server.pem", "ID_RSA", "id_rsa.pub",
             "client_secret_123.json", "service-account-x.json", "a-credentials.json", "credentials.json",
             "key", "keys.py", "x.keystore", "environment", ".envrc", "env", "cert.pem.bak", ".netrc"]
    for name in names:
        lowered = name.lower()
        expected = next((why for glob, why in cs.NEVER_COMMIT if fnmatch.fnmatchcase(lowered, glob)), None)
        assert cs.never_commit_reason(f"some/dir/{name}") == expected, name


def test_check_secrets_reads_the_keyword_denylist_without_compiling_detect_secrets_keyword_regexes(tmp_path: Path) -> None:
    """check-secrets needs only detect-secrets' keyword denylist, not the module's ten regexes:
    the list is read from its source (the same words as the import gives), and a run that
    reports a keyword assignment never imports detect_secrets.plugins.keyword."""
    import subprocess
    import sys

    from detect_secrets.plugins.keyword import DENYLIST

    from hooks.check_secrets import generic

    assert generic.DENYLIST == tuple(DENYLIST)
    import random
    import string

    rng = random.Random(15)  # a fake credential built at run time
    secret = "".join(rng.choice(string.ascii_letters + string.digits) for _ in range(24))
    (tmp_path / "settings.py").write_text(f'db_password = "{secret}"\n')
    probe = (
        "import sys\nfrom hooks.check_secrets import main\ncode = main(sys.argv[1:])\n"
        "print(code, 'detect_secrets.plugins.keyword' in sys.modules, file=sys.stderr)\n"
    )
    proc = subprocess.run([sys.executable, "-c", probe, "settings.py"], cwd=tmp_path, capture_output=True, text=True,
                          env={"PYTHONPATH": str(ROOT), "HOME": str(tmp_path), "DRIFTGATE_CACHE_DIR": str(tmp_path / "c")},
                          check=False)
    assert proc.stderr.splitlines()[-1] == "1 False", proc.stdout + proc.stderr
    assert proc.stdout.startswith("settings.py:1:"), proc.stdout


# a project configured by setup.cfg only (httpie's shape, bench_commit's commit)
SETUP_CFG_PROJECT = {
    "setup.cfg": "[metadata]\nname = webtool\n\n[options]\npackages = find:\ninstall_requires =\n    requests>=2.0\n",
    "requirements.txt": "requests>=2.0\n",
    "webtool/__init__.py": "",
    "webtool/core.py": NESTED + "\n\nimport requests\nimport yaml\n\n\ndef get(url):\n    return requests.get(url)\n",
}
# what such a commit never needs: modules (and the test's reason) this commit must not import
SETUP_CFG_UNNEEDED = (
    "tomllib",  # no pyproject.toml anywhere: no TOML parser
    "tomli",
    "difflib",  # no API finding: no close-match suggestions
    "hooks.check_doc_drift.engine",  # no doc among the files, nothing staged: nothing can be stale
    "hooks.check_doc_drift.project",  # asking git what is staged needs no project model
    "configparser",  # setup.cfg's declarations and source roots are remembered (parsecache)
    "hooks.check_doc_drift.docs",  # no .md/.rst file: choosing check-doc-drift's files needs no doc parser
)


def test_a_setup_cfg_project_commit_imports_nothing_it_does_not_need(tmp_path: Path) -> None:
    """Issue 15: on a commit of a project without pyproject.toml (setup.cfg, requirements.txt),
    a warm `driftgate run` (the files changed again, as at every commit: no per-file cache
    hit) imports none of SETUP_CFG_UNNEEDED, although the API index did its work, and prints
    what the cold run printed (the nesting finding, the undeclared `yaml` import)."""
    root = init_repo(tmp_path / "repo")
    write_files(root, SETUP_CFG_PROJECT)
    commit_all(root)
    probe = (
        "import sys\nfrom hooks.cli import main\ncode = main(['run', '--offline', *sys.argv[1:]])\n"
        "print('hooks._api.index' in sys.modules, file=sys.stderr)\n"
        f"print(code, [m for m in {SETUP_CFG_UNNEEDED!r} if m in sys.modules], file=sys.stderr)\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("PIP_")}
    env.update(PYTHONPATH=str(Path(__file__).resolve().parents[1]), PIP_CONFIG_FILE=os.devnull,
               DRIFTGATE_CACHE_DIR=str(tmp_path / "cache"), HOME=str(tmp_path),
               PRE_COMMIT="1")  # as pre-commit runs it (`pre-commit run --files`, nothing staged)
    files = ["webtool/core.py", "requirements.txt"]
    runs = []
    for run in range(2):
        for name in files:  # a new commit: new content
            with open(root / name, "a", encoding="utf-8") as handle:
                handle.write(f"# commit {run}\n")
        runs.append(subprocess.run([sys.executable, "-c", probe, *files], cwd=root, env=env,
                                   capture_output=True, text=True, check=False))
    cold, warm = runs
    codes = {line.split(": ")[1].split()[0] for line in warm.stdout.splitlines()}
    assert cold.stdout == warm.stdout and {"DG501", "DG201"} <= codes, cold.stdout + cold.stderr
    assert warm.stderr.splitlines()[-2:] == ["True", "1 []"], warm.stderr
