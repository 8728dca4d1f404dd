"""Generated inputs for the parsers (hypothesis): whatever the bytes, a hook answers 0, 1 or 2
with at most one-line errors; never a crash (exit 3), never a traceback, never a hang.

Examples stay few per test (the suite runs on five Pythons in CI); hypothesis keeps the
failing ones it finds in its database and shrinks them to a small reproducer."""
from __future__ import annotations

import contextlib
import io
import json
import os
import tempfile
from pathlib import Path
from typing import Any, Callable, Iterator, Sequence

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import working_directory

# DRIFTGATE_FUZZ_EXAMPLES=2000 for a deeper hunt (then without derandomize, new inputs each run)
EXAMPLES = int(os.environ.get("DRIFTGATE_FUZZ_EXAMPLES", "60"))
FUZZ = settings(
    max_examples=EXAMPLES, deadline=None, derandomize="DRIFTGATE_FUZZ_EXAMPLES" not in os.environ, database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture(autouse=True)
def offline_cache(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No pip configuration, credentials or cache from this machine; nothing on the network."""
    from _deps_support import isolated_env

    isolated_env(monkeypatch, tmp_path)


@contextlib.contextmanager
def tree(files: dict[str, str | bytes]) -> Iterator[Path]:
    from hooks._core import files as core_files

    # "skipped, not valid UTF-8" is said once per path and process: the examples' files must
    # not use up that one line for the tests that run after these in the same process
    reported = set(core_files._reported_undecodable)
    with tempfile.TemporaryDirectory() as tmp, working_directory(Path(tmp)) as root:
        for name, content in files.items():
            path = root / name
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, encoding="utf-8", errors="surrogatepass")
        try:
            yield root
        finally:
            core_files._reported_undecodable.clear()
            core_files._reported_undecodable.update(reported)


def run_main(main: Callable[[Sequence[str]], int], argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(argv)
    return code, out.getvalue(), err.getvalue()


def assert_well_behaved(code: int, out: str, err: str) -> None:
    assert code in (0, 1, 2), err  # 3 would be a crash caught by the guard
    assert "Traceback" not in err and "internal error" not in err, err
    for line in err.splitlines():
        assert len(line) < 2000, line[:200]  # one clear line, not a dump of the input


# --- requirements lines -----------------------------------------------------------------

NAME = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9._-]{0,20}", fullmatch=True)
PIECES = st.sampled_from([
    "==", ">=", "<", "~=", "!=", "===", ",", ";", " ", "\t", "#", "[", "]", "@", "\\", "-r ", "-c ",
    "--index-url ", "-e ", "python_version", "'3.9'", "\"x\"", "1.0", "*", "file:", "git+https://", "..",
    "/", "\x00", "\r", "\u00e9", "\u202e", "  " * 40,
])
REQ_LINE = st.lists(st.one_of(NAME, PIECES, st.text(max_size=8)), max_size=8).map("".join)


@FUZZ
@given(st.lists(REQ_LINE, max_size=12))
def test_requirements_files_never_crash(lines: list[str]) -> None:
    from hooks import check_hallucinated_deps

    text = "\n".join(lines)
    with tree({"requirements.txt": text.encode("utf-8", "surrogatepass"), "other.txt": "six\n"}):
        assert_well_behaved(*run_main(check_hallucinated_deps.main, ["--offline", "requirements.txt"]))


# --- pyproject.toml shapes --------------------------------------------------------------

SCALAR = st.one_of(
    st.text(max_size=12), st.integers(-5, 10**6), st.booleans(),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
)
VALUE = st.recursive(
    SCALAR, lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(NAME, inner, max_size=4)),
    max_leaves=10,
)
KEY_PATHS = st.sampled_from([
    ("project",), ("project", "dependencies"), ("project", "optional-dependencies"),
    ("project", "optional-dependencies", "dev"), ("build-system",), ("build-system", "requires"),
    ("dependency-groups",), ("dependency-groups", "test"), ("tool", "poetry"),
    ("tool", "poetry", "dependencies"), ("tool", "poetry", "group", "dev", "dependencies"),
    ("tool", "driftgate"), ("tool", "driftgate", "check-hallucinated-deps"),
    ("tool", "driftgate", "check-hallucinated-deps", "timeout"),
    ("tool", "driftgate", "check-nesting", "max-depth"), ("tool", "driftgate", "exclude"),
])


def toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value)  # a JSON string is a TOML basic string (\\uXXXX escapes included)
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    return "{" + ", ".join(f"{json.dumps(k)} = {toml_value(v)}" for k, v in value.items()) + "}"


def toml_document(assignments: list[tuple[tuple[str, ...], Any]]) -> str:
    """Each value at its dotted key; a key assigned twice is invalid TOML, also worth trying."""
    return "".join(".".join(json.dumps(k) for k in path) + f" = {toml_value(value)}\n" for path, value in assignments)


@FUZZ
@given(st.lists(st.tuples(KEY_PATHS, VALUE), min_size=1, max_size=4))
def test_pyproject_shapes_never_crash(assignments: list[tuple[tuple[str, ...], Any]]) -> None:
    from hooks import check_hallucinated_deps, check_nesting

    with tree({"pyproject.toml": toml_document(assignments), "a.py": "x = 1\n"}):
        assert_well_behaved(*run_main(check_hallucinated_deps.main, ["--offline", "pyproject.toml"]))
        assert_well_behaved(*run_main(check_nesting.main, ["a.py"]))


# --- YAML: .pre-commit-config.yaml and compose files -------------------------------------

YAML_VALUE = st.recursive(
    st.one_of(st.none(), st.text(max_size=10), st.integers(), st.booleans()),
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.sampled_from(["repos", "hooks", "repo", "id", "language", "additional_dependencies",
                                         "services", "environment", "env", "name", "value"]), inner, max_size=4),
    ),
    max_leaves=12,
)


@FUZZ
@given(YAML_VALUE)
def test_yaml_shapes_never_crash(doc: Any) -> None:
    import yaml

    from hooks import check_env_vars, check_hallucinated_deps

    text = yaml.safe_dump(doc, allow_unicode=True)
    with tree({".pre-commit-config.yaml": text, "docker-compose.yml": text, "app.py": "import os\nos.environ['X_Y']\n"}):
        assert_well_behaved(*run_main(check_hallucinated_deps.main, ["--offline", ".pre-commit-config.yaml"]))
        assert_well_behaved(*run_main(check_env_vars.main, ["app.py"]))


# --- env files and code that reads variables ----------------------------------------------

ENV_LINE = st.lists(
    st.one_of(NAME, st.sampled_from(["=", "export ", "#", "'", '"', "${", "}", " ", "\\", "\x00", "\r"]), st.text(max_size=6)),
    max_size=6,
).map("".join)


@FUZZ
@given(st.lists(ENV_LINE, max_size=10), st.text(max_size=60))
def test_env_files_and_code_never_crash(env_lines: list[str], code_text: str) -> None:
    from hooks import check_env_vars

    files: dict[str, str | bytes] = {
        ".env.example": "\n".join(env_lines).encode("utf-8", "surrogatepass"),
        "app.py": ("import os\nos.environ.get(" + json.dumps(code_text) + ")\n" + code_text).encode("utf-8", "surrogatepass"),
        "web.js": ("const x = process.env." + code_text + ";\n").encode("utf-8", "surrogatepass"),
    }
    with tree(files):
        assert_well_behaved(*run_main(check_env_vars.main, ["app.py", "web.js"]))


# --- arbitrary bytes to every file hook ----------------------------------------------------


@FUZZ
@given(st.binary(max_size=400), st.sampled_from(["x.py", "requirements.txt", "pyproject.toml", "setup.cfg", ".env", "a.js"]))
def test_any_bytes_to_every_file_hook(data: bytes, name: str) -> None:
    from hooks._core import registry

    with tree({name: data}):
        for hook_id in registry.FILE_HOOKS:
            main = registry.load_module(hook_id).main
            argv = ["--offline", name] if registry.load_module(hook_id).HOOK.needs_network else [name]
            assert_well_behaved(*run_main(main, argv))


# --- output: any path, one line -------------------------------------------------------------


@FUZZ
@given(st.text(min_size=1, max_size=40), st.text(max_size=40))
def test_a_text_finding_is_always_one_line(path: str, message: str) -> None:
    from hooks._core.findings import Finding
    from hooks._core.output import format_text

    line = format_text(Finding(path, 1, 1, "DG000", message, "h"))
    assert "\n" not in line and "\r" not in line and "\x1b" not in line
