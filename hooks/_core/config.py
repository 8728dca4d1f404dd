"""`[tool.driftgate]` configuration: one table per hook id; default < file < CLI.

Unknown keys are an error that names the key: a typo must not silently disable a gate.
"""
from __future__ import annotations

import os
import sys
from hooks._core.record import dataclass

from hooks._core.findings import HookError

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (~3 ms)
if TYPE_CHECKING:
    from typing import Any, Mapping, Sequence

# Keys allowed directly under [tool.driftgate] (every other key must be a hook table).
GLOBAL_KEYS = ("exclude",)


_KIND_NAMES = {
    int: "an integer", float: "a finite number", str: "a string", bool: "true or false",
    list: "a list of strings", dict: "a table of strings",
}


@dataclass(frozen=True)
class Option:
    """A setting that is both a config key and a `--flag` of the same name."""

    name: str
    kind: type  # int, float, str, bool, list (of str) or dict (str -> str)
    default: Any
    help: str
    choices: tuple[str, ...] = ()
    # list flags split "a,b" into two values, unless a value may itself hold commas (regexes)
    comma_separated: bool = True

    @property
    def dest(self) -> str:
        return self.name.replace("-", "_")

    def coerce(self, value: Any, where: str) -> Any:
        """Validate a value read from the config file."""
        ok: bool
        if self.kind is list:
            ok = isinstance(value, list) and all(isinstance(v, str) for v in value)
        elif self.kind is dict:
            ok = isinstance(value, dict) and all(isinstance(v, str) and v for v in value.values())
        elif self.kind is float:
            # nan and inf are TOML floats too, but no setting means anything with them
            ok = isinstance(value, (int, float)) and not isinstance(value, bool) and _isfinite(value)
        elif self.kind is int:
            ok = isinstance(value, int) and not isinstance(value, bool)
        else:
            ok = isinstance(value, self.kind)
        if not ok:
            raise HookError(f"{where}: `{self.name}` must be {_KIND_NAMES[self.kind]}, got {value!r}")
        if self.choices and value not in self.choices:
            raise HookError(
                f"{where}: `{self.name}` must be one of {', '.join(self.choices)}, got {value!r}"
            )
        return float(value) if self.kind is float else value


def _isfinite(value: float) -> bool:
    """math.isfinite, imported when a float setting is given (math: ~0.3 ms of every start)."""
    import math

    return math.isfinite(value)


def finite_float(text: str) -> float:
    """argparse `type` for float options: `nan`, `inf` and `1e999` are not numbers a
    timeout or threshold can use (nan compares false with everything, so it slips through
    every later range check)."""
    import argparse

    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid number: {text!r}") from None
    if not _isfinite(value):
        raise argparse.ArgumentTypeError(f"must be a finite number, got {text!r}")
    return value


def load_toml(path: str) -> dict[str, Any]:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised on Python < 3.11 only
        import tomli as tomllib
    from hooks._core.files import read_bytes

    try:
        return tomllib.loads(read_bytes(path).decode("utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise HookError(f"{path}: invalid TOML: {exc}; fix the file or pass --config") from None
    except UnicodeDecodeError:
        raise HookError(f"{path}: invalid TOML: not UTF-8 text") from None
    except OSError as exc:
        raise HookError(f"{path}: cannot read config: {exc.strerror}") from None


def driftgate_table(config_path: str | None, root: str = ".") -> tuple[dict[str, Any], str]:
    """The `[tool.driftgate]` table and the file it came from ('' when there is none)."""
    explicit = config_path is not None
    path = config_path if explicit else "pyproject.toml" if root == "." else os.path.join(root, "pyproject.toml")
    if not explicit and not os.path.isfile(path):
        return {}, ""
    data = load_toml(path)
    table = data.get("tool", {}).get("driftgate", {})
    if not isinstance(table, dict):
        raise HookError(f"{path}: [tool.driftgate] must be a table")
    return table, path


def validate_top_level(table: Mapping[str, Any], where: str, hook_ids: Sequence[str]) -> None:
    for key, value in table.items():
        if key in GLOBAL_KEYS:
            if not (isinstance(value, list) and all(isinstance(v, str) for v in value)):
                raise HookError(f"{where}: [tool.driftgate] `{key}` must be a list of strings")
            continue
        if key not in hook_ids:
            raise HookError(
                f"{where}: unknown key `{key}` in [tool.driftgate]; "
                f"expected a hook table ({', '.join(sorted(hook_ids))}) or {', '.join(GLOBAL_KEYS)}"
            )
        if not isinstance(value, dict):
            raise HookError(f"{where}: [tool.driftgate.{key}] must be a table")


def hook_settings(
    table: Mapping[str, Any], where: str, hook_id: str, options: Sequence[Option]
) -> dict[str, Any]:
    """Defaults overlaid with the hook's table; unknown keys raise HookError."""
    settings = {option.dest: option.default for option in options}
    by_name = {option.name: option for option in options}
    section = table.get(hook_id, {})
    label = f"{where} [tool.driftgate.{hook_id}]"
    for key, value in section.items():
        option = by_name.get(key)
        if option is None:
            raise HookError(
                f"{label}: unknown key `{key}`; valid keys: {', '.join(sorted(by_name))}"
            )
        settings[option.dest] = option.coerce(value, label)
    settings["exclude"] = list(table.get("exclude", [])) + list(settings.get("exclude") or [])
    return settings
