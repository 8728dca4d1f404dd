"""The README's sections on the dependency hooks tell the truth: each example runs and prints
what the README shows, each flag and config key exists, each rule code is documented."""
from __future__ import annotations

import re
import shlex
from pathlib import Path
from typing import Any, Iterator

import pytest
import yaml

from hooks import check_hallucinated_deps, check_undeclared_imports
from _deps_support import isolated_env, make_wheel, pypiserver

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
EXAMPLE_BASE = "http://127.0.0.1:8080"  # the loopback URL the README's example shows


def section(title: str) -> str:
    start = README.index(f"### {title}\n")
    end = README.find("\n## ", start)
    nxt = README.find("\n### ", start + 1)
    return README[start: min(e for e in (end, nxt) if e > 0)]


def blocks(text: str, lang: str) -> list[str]:
    return re.findall(rf"```{lang}\n(.*?)```", text, re.S)


def console_session(block: str) -> tuple[dict[str, str], list[str], list[str]]:
    """Files shown with `$ cat`, the last command's argv and its expected output lines."""
    files: dict[str, str] = {}
    current: str | None = None
    argv: list[str] = []
    output: list[str] = []
    for line in block.splitlines():
        if not argv and current is None and line.startswith("# "):
            continue  # the block's context line
        if line.startswith("$ cat "):
            current = line[6:].strip()
            files[current] = ""
        elif line.startswith("$ "):
            current = None
            argv = shlex.split(line[2:], comments=True)
        elif current is not None:
            files[current] += line + "\n"
        else:
            output.append(line)
    return files, argv, output


@pytest.fixture(scope="module")
def index(tmp_path_factory: Any) -> Iterator[str]:
    packages = tmp_path_factory.mktemp("pkgs")
    for version in ("2.31.0", "2.32.0"):
        make_wheel(str(packages), "requests", version)
    with pypiserver(str(packages)) as server:
        yield f"http://127.0.0.1:{server.port}"


@pytest.fixture(autouse=True)
def work(monkeypatch: Any, tmp_path: Path) -> None:
    isolated_env(monkeypatch, tmp_path)
    monkeypatch.chdir(tmp_path)


def test_check_hallucinated_deps_example(index: str, capsys: Any) -> None:
    (block,) = blocks(section("check-hallucinated-deps"), "console")
    files, argv, expected = console_session(block)
    for name, text in files.items():
        Path(name).write_text(text)
    assert argv[0] == "check-hallucinated-deps"
    code = check_hallucinated_deps.main([a.replace(EXAMPLE_BASE, index) for a in argv[1:]])
    out = capsys.readouterr().out.replace(index, EXAMPLE_BASE)
    assert out.splitlines() == expected and code == 1


def test_check_undeclared_imports_example(index: str, capsys: Any, monkeypatch: Any) -> None:
    (block,) = blocks(section("check-undeclared-imports"), "console")
    files, argv, expected = console_session(block)
    for name, text in files.items():
        Path(name).write_text(text)
    Path("pyproject.toml").write_text('[project]\nname = "app"\ndependencies = ["requests"]\n')
    monkeypatch.setenv("PIP_INDEX_URL", index + "/simple/")  # the README's index order: env var
    assert argv[0] == "check-undeclared-imports"
    code = check_undeclared_imports.main(argv[1:])
    assert capsys.readouterr().out.splitlines() == expected and code == 1


def test_config_example_is_valid(capsys: Any) -> None:
    (toml,) = blocks(section("check-hallucinated-deps"), "toml")
    Path("pyproject.toml").write_text(toml)
    Path("requirements.txt").write_text("")
    assert check_hallucinated_deps.main(["requirements.txt"]) == 0
    assert capsys.readouterr().err == ""


def test_pre_commit_ci_skip_names_the_network_hooks() -> None:
    (snippet,) = blocks(section("Network hooks: check-hallucinated-deps and check-undeclared-imports"), "yaml")
    skip = yaml.safe_load(snippet)["ci"]["skip"]
    hooks = {h["id"]: h for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())}
    assert skip == ["check-hallucinated-deps", "check-undeclared-imports"]
    for hook_id in skip:
        assert "network hook" in hooks[hook_id]["description"] and "pre-commit.ci" in hooks[hook_id]["description"]


@pytest.mark.parametrize("module", [check_hallucinated_deps, check_undeclared_imports])
def test_documented_flags_and_codes_exist(module: Any, capsys: Any) -> None:
    text = section(module.HOOK_ID)
    documented = set(re.findall(r"`(--[a-z-]+)", text))
    assert documented, "the section documents its flags"
    with pytest.raises(SystemExit):
        module.main(["--help"])
    help_text = capsys.readouterr().out
    for flag in documented:
        assert flag in help_text, flag
    for option in module.OPTIONS:
        assert f"`{option.name}`" in text or option.name in ("index-url", "extra-index-url", "offline",
                                                              "on-network-error", "timeout")
    rule_table = README[README.index("## Rule codes"):]
    for rule in module.RULES:
        on = "on" if rule.enabled_by_default else "off"
        assert f"| {rule.code} | {module.HOOK_ID} | {on} |" in rule_table


def test_scan_without_the_network_hooks_as_the_readme_says(capsys: Any) -> None:
    import subprocess

    from hooks import cli

    command = re.search(r"`(driftgate scan \. --skip [^`]+)`", README)
    assert command, "the README shows how to scan without the network hooks"
    Path("requirements.txt").write_text("ghost-dep-xyz\n")
    Path("app.py").write_text("import ghost_module_xyz\n")
    subprocess.run(["git", "init", "-q"], check=True)
    subprocess.run(["git", "add", "."], check=True)
    argv = shlex.split(command.group(1))[1:]
    assert cli.main(argv) == 0  # nothing asked of any index, nothing else to report
    assert capsys.readouterr().out == ""
