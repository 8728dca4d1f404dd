from __future__ import annotations

from pathlib import Path

import pytest

from hooks._core.config import Option, driftgate_table, hook_settings, validate_top_level
from hooks._core.findings import HookError
from hooks._core.runner import enabled_codes
from hooks._core.findings import Rule

OPTIONS = (
    Option("max-depth", int, 4, "depth"),
    Option("ratio", float, 0.5, "ratio"),
    Option("mode", str, "a", "mode", choices=("a", "b")),
    Option("strict", bool, False, "strict"),
    Option("names", list, [], "names"),
)


def test_defaults_then_file_values() -> None:
    table = {"exclude": ["vendor/*"], "demo": {"max-depth": 2, "ratio": 1, "names": ["x"]}}
    settings = hook_settings(table, "pyproject.toml", "demo", OPTIONS)
    assert settings == {
        "max_depth": 2, "ratio": 1.0, "mode": "a", "strict": False, "names": ["x"],
        "exclude": ["vendor/*"],
    }


@pytest.mark.parametrize(
    ("section", "message"),
    [
        ({"max-depht": 3}, "pyproject.toml [tool.driftgate.demo]: unknown key `max-depht`; valid keys: max-depth, mode, names, ratio, strict"),
        ({"max-depth": True}, "pyproject.toml [tool.driftgate.demo]: `max-depth` must be an integer, got True"),
        ({"mode": "c"}, "pyproject.toml [tool.driftgate.demo]: `mode` must be one of a, b, got 'c'"),
        ({"names": "x"}, "pyproject.toml [tool.driftgate.demo]: `names` must be a list of strings, got 'x'"),
        ({"strict": "yes"}, "pyproject.toml [tool.driftgate.demo]: `strict` must be true or false, got 'yes'"),
    ],
)
def test_bad_values_name_the_key(section: dict[str, object], message: str) -> None:
    with pytest.raises(HookError) as info:
        hook_settings({"demo": section}, "pyproject.toml", "demo", OPTIONS)
    assert str(info.value) == message


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ({"check-nestng": {}}, "unknown key `check-nestng` in [tool.driftgate]"),
        ({"exclude": "x"}, "[tool.driftgate] `exclude` must be a list of strings"),
        ({"check-nesting": 3}, "[tool.driftgate.check-nesting] must be a table"),
    ],
)
def test_top_level_is_validated(table: dict[str, object], message: str) -> None:
    with pytest.raises(HookError) as info:
        validate_top_level(table, "pyproject.toml", ("check-nesting",))
    assert message in str(info.value)


def test_no_pyproject_means_defaults(tmp_path: Path) -> None:
    assert driftgate_table(None, str(tmp_path)) == ({}, "")


def test_explicit_missing_config_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(HookError, match="cannot read config"):
        driftgate_table(str(tmp_path / "missing.toml"))


def test_non_utf8_toml_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "pyproject.toml"
    path.write_bytes(b"[tool.driftgate]\nx = '\xff'\n")
    with pytest.raises(HookError, match="invalid TOML"):
        driftgate_table(str(path))


RULES = (Rule("DG201", "a"), Rule("DG202", "b"), Rule("DG203", "info", enabled_by_default=False), Rule("DG501", "c"))


@pytest.mark.parametrize(
    ("settings", "codes"),
    [
        ({}, {"DG201", "DG202", "DG501"}),
        ({"select": ["DG2"]}, {"DG201", "DG202", "DG203"}),
        ({"extend_select": ["DG203"]}, {"DG201", "DG202", "DG203", "DG501"}),
        ({"ignore": ["DG20"]}, {"DG501"}),
        ({"select": ["dg5, DG201"]}, {"DG201", "DG501"}),
    ],
)
def test_rule_selection_by_prefix(settings: dict[str, list[str]], codes: set[str]) -> None:
    assert enabled_codes(RULES, settings) == codes


def test_list_flags_split_on_commas_unless_values_may_hold_commas() -> None:
    import argparse

    from hooks._core.runner import merge_cli

    options = (Option("codes", list, [], "codes"), Option("patterns", list, [], "regexes", comma_separated=False))
    args = argparse.Namespace(codes=["DG1,DG2", "DG3"], patterns=[r"^bot{1,3} "])
    settings: dict[str, object] = {}
    merge_cli(settings, args, options)
    assert settings == {"codes": ["DG1", "DG2", "DG3"], "patterns": [r"^bot{1,3} "]}
