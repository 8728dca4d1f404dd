"""The README tells the truth: every hook id, rule code, flag, config example and console
example it shows exists and behaves as shown."""
from __future__ import annotations

import contextlib
import io
import re
import shlex
import sys
from pathlib import Path

import pytest
import yaml

from conftest import PROJECT_ROOT
from hooks import cli
from hooks._core import config as cfg
from hooks._core import registry

README = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")

# Flags of other tools that the README shows next to ours (pre-commit, pip, git).
EXTERNAL_FLAGS = {
    "--all-files", "--hook-type", "--files", "--ref", "--version", "--help",  # pre-commit
    "--from-ref", "--to-ref", "--hook-stage",  # pre-commit run
    "--if-exists", "--if-missing", "--no-divider", "--where", "--signoff", "--cached",  # git
}


def fenced_blocks(lang: str) -> list[str]:
    return re.findall(rf"^```{lang}\n(.*?)^```", README, flags=re.S | re.M)


def all_rules() -> dict[str, str]:
    rules: dict[str, str] = {}
    for hook_id in registry.HOOK_MODULES:
        module = registry.load_module(hook_id)
        for rule in getattr(module, "RULES", ()):
            rules[rule.code] = hook_id
    return rules


# Commands whose options the README may show; extra commands are named with their subcommand.
EXTRA_COMMAND_HELP = [["provenance", "report"], ["secrets-baseline"]]


def help_text(*command: str) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        try:
            cli.main([*command, "--help"])
        except SystemExit as exc:
            assert exc.code in (0, None)
    return out.getvalue()


def test_hook_ids_agree_everywhere() -> None:
    manifest = yaml.safe_load((PROJECT_ROOT / ".pre-commit-hooks.yaml").read_text())
    manifest_ids = {hook["id"] for hook in manifest}
    if sys.version_info >= (3, 11):
        import tomllib
    else:
        import tomli as tomllib
    scripts = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text())["project"]["scripts"]
    # `driftgate` is the one hook that is not a single check: every file gate in one process
    assert manifest_ids == set(registry.HOOK_MODULES) | {"driftgate"}
    assert set(scripts) == manifest_ids
    for hook in manifest:
        entry = "driftgate run" if hook["id"] == "driftgate" else hook["id"]
        assert hook["entry"] == entry, "entry must be the console script of the same name"
    hooks_section = README.split("\n## Hooks\n", 1)[1].split("\n#", 1)[0]
    table_ids = set(re.findall(r"^\| `([a-z-]+)` \|", hooks_section, flags=re.M))
    assert table_ids == manifest_ids, "README hook table lists exactly the hooks that exist"
    for hook_id in manifest_ids:
        assert f"### {hook_id}" in README, f"README has a section for {hook_id}"


def test_every_rule_code_is_documented_and_every_documented_code_exists() -> None:
    rules = all_rules()
    documented = set(re.findall(r"^\| (DG\d{3}) \|", README, flags=re.M))
    assert documented == set(rules)
    mentioned = set(re.findall(r"\bDG\d{3}\b", README))
    assert mentioned <= set(rules), f"README mentions codes that do not exist: {mentioned - set(rules)}"


def test_every_flag_shown_exists() -> None:
    assert {c[0] for c in EXTRA_COMMAND_HELP} == set(registry.EXTRA_COMMANDS)
    commands = [[hook_id] for hook_id in registry.HOOK_MODULES] + [["scan"], *EXTRA_COMMAND_HELP]
    helps = "\n".join(help_text(*command) for command in commands)
    shown = set(re.findall(r"(?<![\w-])(--[a-z][a-z-]*)", README))
    missing = {flag for flag in shown - EXTERNAL_FLAGS if flag not in helps}
    assert not missing, f"README shows flags no command accepts: {sorted(missing)}"


def hook_options(hook_id: str) -> tuple[cfg.Option, ...]:
    """A file hook's options are the common ones plus its HOOK's; other hooks list OPTIONS."""
    from hooks._core.runner import COMMON_OPTIONS

    module = registry.load_module(hook_id)
    hook = getattr(module, "HOOK", None)
    return (*COMMON_OPTIONS, *hook.options) if hook is not None else tuple(getattr(module, "OPTIONS", ()))


def test_toml_examples_are_valid_config() -> None:
    blocks = fenced_blocks("toml")
    assert blocks
    hook_ids = tuple(registry.HOOK_MODULES)

    for block in blocks:
        if sys.version_info >= (3, 11):
            import tomllib
        else:
            import tomli as tomllib
        table = tomllib.loads(block)["tool"]["driftgate"]
        cfg.validate_top_level(table, "README", hook_ids)
        for hook_id in table:
            if hook_id in hook_ids:
                cfg.hook_settings(table, "README", hook_id, hook_options(hook_id))


def test_yaml_examples_use_real_hook_ids() -> None:
    for block in fenced_blocks("yaml"):
        doc = yaml.safe_load(block)
        if not isinstance(doc, dict):
            continue  # a deployment-file example, not a pre-commit config
        for repo in doc.get("repos", []):
            for hook in repo["hooks"]:
                assert hook["id"] in (*registry.HOOK_MODULES, "driftgate")


def test_check_nesting_console_examples_run_as_shown(
    in_tmp: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`$ command` lines followed by their output: the command run on the file the README
    shows just before it must print exactly that output."""
    sources = {}
    for block in fenced_blocks("python"):
        first, _, rest = block.partition("\n")
        if first.startswith("# ") and first[2:].endswith(".py"):
            sources[first[2:]] = block
    ran = 0
    for block in fenced_blocks("console"):
        lines = block.splitlines()
        if not lines or not lines[0].startswith("$ "):
            continue
        argv = shlex.split(lines[0][2:])
        if argv[0] != "check-nesting":
            continue  # other hooks' examples need more context; their own README tests run them
        for name, text in sources.items():
            (in_tmp / name).parent.mkdir(parents=True, exist_ok=True)
            (in_tmp / name).write_text(text)
        code = cli.main(argv)
        out = capsys.readouterr().out.splitlines()
        assert out == lines[1:], f"README example `{lines[0]}`"
        assert code == (1 if lines[1:] else 0)
        ran += 1
    assert ran >= 1


def test_setup_commands_and_ci_agree() -> None:
    assert "pip install . && driftgate scan ." in README
    test_command = "pip install '.[test]' && python -m nox"  # every supported Python (noxfile.py)
    assert test_command in README
    ci = (PROJECT_ROOT / ".ci" / "run").read_text()
    assert [line for line in ci.splitlines() if "pip install" in line] == [test_command]


def test_pre_commit_config_examples_pass_pre_commit_validation(tmp_path: Path) -> None:
    """Each README block that is a whole .pre-commit-config.yaml is valid to pre-commit itself."""
    from conftest import run_pre_commit

    checked = 0
    for n, block in enumerate(fenced_blocks("yaml")):
        doc = yaml.safe_load(block)
        if not (isinstance(doc, dict) and "repos" in doc):
            continue
        path = tmp_path / f"config-{n}.yaml"
        path.write_text(block)
        proc = run_pre_commit(tmp_path, tmp_path / "home", "validate-config", str(path))
        assert proc.returncode == 0, proc.stdout + proc.stderr
        checked += 1
    assert checked >= 1


def test_readme_passes_check_doc_drift(capsys: pytest.CaptureFixture[str]) -> None:
    """Dogfood: the README's console examples use only the options and subcommands driftgate's
    parsers define (check-doc-drift reads hooks/cli.py and the runner's build_parser)."""
    from hooks import check_doc_drift
    from conftest import working_directory

    with working_directory(PROJECT_ROOT):
        code = check_doc_drift.main(["--all", "README.md"])
    assert (code, capsys.readouterr().out) == (0, "")


def test_check_doc_drift_would_catch_a_stale_readme_example(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The dogfood above is not vacuous: the same README with one flag renamed fails."""
    from hooks import check_doc_drift
    from conftest import working_directory

    stale = README.replace("$ check-nesting --max-depth 2 example.py", "$ check-nesting --max-deep 2 example.py")
    assert stale != README
    (tmp_path / "STALE.md").write_text(stale, encoding="utf-8")
    with working_directory(PROJECT_ROOT):
        code = check_doc_drift.main(["--all", str(tmp_path / "STALE.md")])
    out = capsys.readouterr().out
    assert code == 1 and "check-nesting defines no option `--max-deep`" in out
