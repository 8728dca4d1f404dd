"""check-undeclared-imports: exact import names read from each declared distribution's wheel
(issue 9). The wheels are real zip files built here and served by a real `pypiserver` on
loopback, which honours HTTP Range; a second, deliberately simple server ignores Range."""
from __future__ import annotations

import http.server
import io
import os
import subprocess
import tarfile
import threading
import time
from pathlib import Path
from typing import Any, Iterator

import pytest

from hooks import check_undeclared_imports as hook
from hooks import cli
from _deps_support import isolated_env, make_wheel, pypiserver, write

# distribution -> (version, the wheel's files): the real layouts of the issue's list
WHEELS: dict[str, tuple[str, list[str]]] = {
    "djangorestframework": ("3.15.2", ["rest_framework/__init__.py", "rest_framework/views.py"]),
    "django-filter": ("24.3", ["django_filters/__init__.py", "django_filters/rest_framework/__init__.py"]),
    "django-guardian": ("2.4.0", ["guardian/__init__.py", "guardian/shortcuts.py"]),
    "django-allauth": ("65.0.2", ["allauth/__init__.py", "allauth/account/__init__.py"]),
    "llama-index-core": ("0.11.0", ["llama_index/core/__init__.py", "llama_index/core/llms/__init__.py"]),
    "opentelemetry-api": ("1.27.0", ["opentelemetry/trace/__init__.py", "opentelemetry/context/__init__.py",
                                     "opentelemetry/propagators/textmap.py"]),
    "opentelemetry-sdk": ("1.27.0", ["opentelemetry/sdk/__init__.py", "opentelemetry/sdk/trace/__init__.py"]),
    "arize-phoenix": ("5.0.0", ["phoenix/__init__.py", "phoenix/otel/__init__.py"]),
    "pyhumps": ("3.8.0", ["humps/__init__.py", "humps/main.py"]),
    "zxing-cpp": ("2.2.0", ["zxingcpp.cpython-311-x86_64-linux-gnu.so"]),
    "factory-boy": ("3.3.1", ["factory/__init__.py", "factory/django.py"]),
    "python-gnupg": ("0.5.3", ["gnupg.py"]),
    "django-phonenumber-field": ("8.0.0", ["phonenumber_field/__init__.py"]),
    "django": ("5.1.0", ["django/__init__.py", "django/db/__init__.py"]),
    "humps": ("0.2.2", ["camel_humps/__init__.py"]),  # a project named after the import: not it
    "plain-lib": ("1.0.0", ["plain_lib/__init__.py"]),
    "strawberry-graphql": ("0.240.0", ["strawberry/__init__.py"]),
    "graphql-core": ("3.2.4", ["graphql/__init__.py"]),
    "graphql": ("0.1.0", ["graphql_tools/__init__.py"]),  # named after the import, provides other
}
REQUIRES = {"djangorestframework": ["django>=4.2"], "django-filter": ["Django>=4.2"],
            "arize-phoenix": ["pyhumps; extra == 'dev'"], "strawberry-graphql": ["graphql-core<3.4,>=3.2"]}


def make_sdist(directory: str, name: str, version: str) -> None:
    """An sdist (only its file name matters to the index)."""
    with tarfile.open(os.path.join(directory, f"{name}-{version}.tar.gz"), "w:gz") as archive:
        data = f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n".encode()
        info = tarfile.TarInfo(f"{name}-{version}/PKG-INFO")
        info.size = len(data)
        archive.addfile(info, io.BytesIO(data))


@pytest.fixture(scope="module")
def packages(tmp_path_factory: Any) -> str:
    directory = str(tmp_path_factory.mktemp("pkgs"))
    for name, (version, members) in WHEELS.items():
        tag = "cp311-cp311-manylinux_2_17_x86_64" if name == "zxing-cpp" else "py3-none-any"
        make_wheel(directory, name, version, members=members, requires=REQUIRES.get(name), tag=tag)
    make_sdist(directory, "openai-whisper", "20240930")  # sdist-only, as on the real index
    make_sdist(directory, "mystery-sdist", "1.0")
    return directory


@pytest.fixture(scope="module")
def index(packages: str) -> Iterator[str]:
    with pypiserver(packages) as server:
        yield server.url


@pytest.fixture(autouse=True)
def work(monkeypatch: Any, tmp_path: Path) -> Path:
    isolated_env(monkeypatch, tmp_path)
    root = tmp_path / "repo"
    root.mkdir()
    monkeypatch.chdir(root)
    return root


def project(*deps: str, extra: str = "") -> None:
    listed = ", ".join(f'"{d}"' for d in deps)
    write("pyproject.toml", f'[project]\nname = "demo"\ndependencies = [{listed}]\n{extra}')


def run(capsys: Any, *argv: str) -> tuple[int, list[str], list[str]]:
    code = hook.main(list(argv))
    out, err = capsys.readouterr()
    return code, out.splitlines(), err.splitlines()


ISSUE_IMPORTS = """
import rest_framework
from django_filters.rest_framework import DjangoFilterBackend
from guardian.shortcuts import assign_perm
from allauth.account import app_settings
from llama_index.core import VectorStoreIndex
from opentelemetry import trace
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.propagators.textmap import Getter
import whisper
import phoenix as px
import humps
import zxingcpp
import factory
import gnupg
from phonenumber_field.modelfields import PhoneNumberField
"""


def test_the_issues_import_names_resolve_from_their_wheels(index: str, capsys: Any) -> None:
    project("djangorestframework", "django-filter", "django-guardian", "django-allauth", "llama-index-core",
            "opentelemetry-sdk", "opentelemetry-api", "openai-whisper", "arize-phoenix", "pyhumps", "zxing-cpp",
            "factory-boy", "python-gnupg", "django-phonenumber-field", "django")
    write("app.py", ISSUE_IMPORTS)
    assert run(capsys, "--index-url", index, "app.py") == (0, [], [])


def test_namespace_prefixes_are_exact(index: str, capsys: Any) -> None:
    """llama-index-core provides llama_index.core, not llama_index.agent; opentelemetry-api
    does not provide opentelemetry.sdk, opentelemetry-sdk does (its wheel says so): each is
    judged at its full dotted path."""
    project("llama-index-core", "opentelemetry-api")
    write("app.py", "from llama_index.core import x\nfrom llama_index.agent import y\n"
                    "from opentelemetry import trace\nfrom opentelemetry.sdk import trace as t\n")
    code, out, _ = run(capsys, "--index-url", index, "app.py")
    assert [line.split(" ")[:3] for line in out] == [
        ["app.py:2:1:", "DG202", "`llama_index.agent`"], ["app.py:4:1:", "DG201", "`opentelemetry.sdk`"],
    ]
    assert out[1].endswith("add `opentelemetry-sdk` to the project's dependencies")


def test_a_suggestion_names_only_a_distribution_that_provides_the_import(index: str, capsys: Any) -> None:
    """`humps` is a project on the index, but its wheel installs `camel_humps`: naming it
    would send the user to the wrong project."""
    project("plain-lib")
    write("app.py", "import humps\n")
    code, out, _ = run(capsys, "--index-url", index, "app.py")
    assert out == [
        "app.py:1:1: DG201 `humps` is imported but no declared dependency provides it: declare the "
        "distribution that does (or map it with `import-names`)",
    ]
    # phonenumber_field: no project of that name, and no exact mapping: DG202, never a guess
    write("app.py", "import phonenumber_field\n")
    code, out, _ = run(capsys, "--index-url", index, "app.py")
    assert [line.split(" ")[1] for line in out] == ["DG202"]


def test_no_dg202_when_a_declared_distribution_could_provide_it(index: str, capsys: Any) -> None:
    """mystery-sdist has no wheel: its import names are unknown, so it could provide
    `ghost_xyz`. With only wheel-backed declarations the same import is DG202."""
    project("plain-lib", "mystery-sdist")
    write("app.py", "import ghost_xyz\n")
    assert run(capsys, "--index-url", index, "app.py") == (0, [], [])
    project("plain-lib")
    code, out, _ = run(capsys, "--index-url", index, "app.py")
    assert [line.split(" ")[1:3] for line in out] == [["DG202", "`ghost_xyz`"]]


def test_transitive_import_has_its_own_code_naming_the_declared_parent(index: str, capsys: Any) -> None:
    project("djangorestframework", "arize-phoenix")
    write("app.py", "import rest_framework\nfrom django.db import models\nimport humps\n")
    code, out, _ = run(capsys, "--index-url", index, "app.py")
    assert out[0] == (
        "app.py:2:1: DG204 `django.db` comes from `django`, installed only as a dependency of the "
        "declared `djangorestframework`: add `django` to the project's dependencies"
    )
    # pyhumps is only an extra of arize-phoenix ("extra == 'dev'"): not brought in, and the
    # `humps` project does not provide the import: an unnamed DG201
    assert out[1].startswith("app.py:3:1: DG201 `humps` is imported but no declared dependency provides it")
    assert code == 1 and len(out) == 2


def test_import_names_setting_maps_and_suggests(index: str, capsys: Any) -> None:
    """A private distribution the index does not have: only the user's table knows it."""
    project("acme-keyholder", extra='[tool.driftgate.check-undeclared-imports]\n'
                                    'import-names = {keyholder = "acme-keyholder", "acme.vault" = "acme-vault"}\n')
    write("app.py", "import keyholder\nfrom acme.vault import open_vault\n")
    code, out, _ = run(capsys, "--index-url", index, "app.py")
    assert out == [
        "app.py:2:1: DG201 `acme.vault` is imported but not declared: add `acme-vault` to the project's dependencies",
    ]
    code, out, _ = run(capsys, "--index-url", index, "--import-names", "acme.vault=acme-keyholder", "app.py")
    assert (code, out) == (0, [])
    subprocess.run(["git", "init", "-q"], check=True)
    subprocess.run(["git", "add", "."], check=True)
    with open("pyproject.toml", "a") as handle:
        handle.write(f'index-url = "{index}"\n[tool.driftgate.check-hallucinated-deps]\nindex-url = "{index}"\n'
                     f'public-index-url = "{index}"\n')
    code = cli.main(["scan", ".", "--skip", "check-hallucinated-deps"])
    out = capsys.readouterr().out.splitlines()
    assert [line for line in out if "DG2" in line] == [
        "app.py:2:1: DG201 `acme.vault` is imported but not declared: add `acme-vault` to the project's dependencies",
    ]


@pytest.mark.parametrize(("table", "message"), [
    ('import-names = ["keyholder"]', "`import-names` must be a table of strings, got ['keyholder']"),
    ('import-names = {keyholder = 1}', "`import-names` must be a table of strings, got {'keyholder': 1}"),
    ('import-names = {"not a name" = "x"}', "import-names: `not a name` is not an import name (a dotted Python name)"),
])
def test_bad_import_names_tables_exit_2(index: str, capsys: Any, table: str, message: str) -> None:
    project("plain-lib", extra=f"[tool.driftgate.check-undeclared-imports]\n{table}\n")
    write("app.py", "import ghost_xyz\n")
    code, out, err = run(capsys, "--index-url", index, "app.py")
    assert (code, out, len(err)) == (2, [], 1)
    assert err[0].startswith("check-undeclared-imports: error: ") and err[0].endswith(message)
    project("plain-lib")
    code, _, err = run(capsys, "--index-url", index, "--import-names", "keyholder", "app.py")
    assert code == 2 and err == ["check-undeclared-imports: error: --import-names takes KEY=VALUE, got 'keyholder'"]


def test_each_file_is_judged_against_its_nearest_manifest(index: str, capsys: Any) -> None:
    """Nested requirements files add to the project's declarations (peft's benchmarks:
    "apart from the normal dependencies, install these"); a nested project with its own
    pyproject.toml dependencies stands alone; a tool-only pyproject.toml is passed over."""
    project("django")
    write("examples/x/requirements.txt", "plain-lib\n")
    write("examples/x/main.py", "import plain_lib\nimport django\n")
    write("services/api/pyproject.toml", '[project]\nname = "api"\ndependencies = ["plain-lib"]\n')
    write("services/api/main.py", "import plain_lib\nimport django\n")
    write("tools/pyproject.toml", "[tool.ruff]\nline-length = 100\n")  # declares nothing: not a manifest
    write("tools/run.py", "import django\n")
    write("app.py", "import django\nimport plain_lib\n")
    paths = ["examples/x/main.py", "services/api/main.py", "tools/run.py", "app.py"]
    code, out, _ = run(capsys, "--index-url", index, *paths)
    assert out == [
        "app.py:2:1: DG201 `plain_lib` is imported but not declared: add `plain-lib` to the project's dependencies",
        "services/api/main.py:2:1: DG201 `django` is imported but not declared: add `django` to the project's "
        "dependencies",
    ]


# --- the wheel reader on its own ----------------------------------------------------


class NoRangeServer:
    """A Simple API page and files, served whole whatever the Range header says."""

    def __init__(self, packages: str, trickle: bool = False) -> None:
        self.requests: list[tuple[str, str]] = []
        owner = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:  # http.server's method name
                owner.requests.append((self.path, self.headers.get("Range", "")))
                parts = self.path.strip("/").split("/")
                if parts[0] == "simple" and len(parts) == 2:
                    links = "".join(f'<a href="/files/{f}">{f}</a>' for f in sorted(os.listdir(packages))
                                    if f.split("-")[0].lower().replace("_", "-") == parts[1])
                    body, ctype = f"<html><body>{links}</body></html>".encode(), "text/html"
                elif parts[0] == "files":
                    body, ctype = Path(packages, parts[1]).read_bytes(), "application/octet-stream"
                else:
                    self.send_response(404)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                self.send_response(200)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if trickle and parts[0] == "files":  # one byte every 0.2 s: no read ever times out
                    for offset in range(len(body)):
                        self.wfile.write(body[offset:offset + 1])
                        self.wfile.flush()
                        time.sleep(0.2)
                    return
                self.wfile.write(body)

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/simple/"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def test_reader_uses_range_requests_and_falls_back_to_whole_files(index: str, packages: str) -> None:
    from hooks._deps.pkgindex import Client, Index
    from hooks._deps.wheels import WheelReader

    reader = WheelReader(Client(), [Index(index)])
    names = reader.names({"django-filter": "", "opentelemetry-api": "", "openai-whisper": "", "ghost-xyz": ""})
    assert names["django-filter"].provides == {"django_filters"}
    assert names["django-filter"].requires == ("django",)
    assert names["opentelemetry-api"].provides == {
        "opentelemetry.trace", "opentelemetry.context", "opentelemetry.propagators.textmap"}
    assert not names["openai-whisper"].has_wheel and names["openai-whisper"].on_index
    assert not names["ghost-xyz"].on_index
    assert (reader.ranged, reader.whole) == (2, 0)  # pypiserver honours Range

    plain = NoRangeServer(packages)
    try:
        reader = WheelReader(Client(), [Index(plain.url)])
        assert reader.names({"pyhumps": ""})["pyhumps"].provides == {"humps"}
        assert (reader.ranged, reader.whole) == (0, 1)
        assert [r for r in plain.requests if r[0].startswith("/files/")] == [
            ("/files/pyhumps-3.8.0-py3-none-any.whl", "bytes=-65536")]
    finally:
        plain.stop()


def test_answers_are_cached_per_distribution_and_version(index: str, packages: str, tmp_path: Path) -> None:
    from hooks._deps.pkgindex import Client, Index
    from hooks._deps.wheels import WheelReader

    WheelReader(Client(), [Index(index)]).names({"factory-boy": "", "python-gnupg": "<1"})
    cached = sorted(p.name for p in (tmp_path / "cache").rglob("*.json") if "wheels-v" in str(p))
    assert cached == ["factory-boy-3.3.1.json", "python-gnupg-0.5.3.json"]
    offline = WheelReader(Client(offline=True), [Index(index)])
    assert offline.names({"factory-boy": ""})["factory-boy"].provides == {"factory"}
    assert offline.ranged == offline.whole == 0
    # a damaged entry is a miss, never a crash
    for path in (tmp_path / "cache").rglob("factory-boy-*.json"):
        path.write_text('{"answer": {"dist": 1}}')
    assert WheelReader(Client(offline=True), [Index(index)]).names({"factory-boy": ""})["factory-boy"] is None


def test_transitive_provider_found_through_the_declared_distributions_wheels(index: str, capsys: Any) -> None:
    """`graphql` names a project that does not provide it; graphql-core, which the declared
    strawberry-graphql requires, does: that is the distribution to name."""
    project("strawberry-graphql")
    write("app.py", "import strawberry\nfrom graphql import GraphQLError\n")
    code, out, _ = run(capsys, "--index-url", index, "app.py")
    assert out == [
        "app.py:2:1: DG204 `graphql` comes from `graphql-core`, installed only as a dependency of the "
        "declared `strawberry-graphql`: add `graphql-core` to the project's dependencies",
    ]
    # a build requirement is not installed with the project: it brings nothing in
    write("pyproject.toml", '[build-system]\nrequires = ["strawberry-graphql"]\n'
                            '[project]\nname = "demo"\ndependencies = ["plain-lib"]\n')
    write("app.py", "from graphql import GraphQLError\n")
    code, out, _ = run(capsys, "--index-url", index, "app.py")
    assert [line.split(" ")[1] for line in out] == ["DG201"]


def test_imports_inside_functions_are_optional_integrations(index: str, capsys: Any) -> None:
    """An undeclared import inside a function runs only when the feature is used (peft's
    deepspeed, torchao): DG203, off by default. A hallucinated one is still DG202."""
    project("plain-lib")
    write("app.py", "def use_django():\n    import django\n    import ghost_xyz\n")
    code, out, _ = run(capsys, "--index-url", index, "app.py")
    assert [line.split(" ")[1:3] for line in out] == [["DG202", "`ghost_xyz`"]]
    code, out, _ = run(capsys, "--index-url", index, "--extend-select", "DG203", "app.py")
    assert out[0] == (
        "app.py:2:5: DG203 `django` is imported only inside a function (an optional integration, "
        "loaded when used); `django` is not declared"
    )


DYNAMIC = {
    "hatch metadata hook (uv-dynamic-versioning)": {
        "pyproject.toml": '[project]\nname = "demo"\ndynamic = ["dependencies"]\n'
                          '[tool.hatch.metadata.hooks.uv-dynamic-versioning]\n'
                          'dependencies = ["django-filter=={{ version }}", "plain-lib"]\n'},
    "setuptools dynamic file": {
        "pyproject.toml": '[project]\nname = "demo"\ndynamic = ["dependencies"]\n'
                          '[tool.setuptools.dynamic]\ndependencies = {file = ["deps.in"]}\n',
        "deps.in": "django-filter\nplain-lib\n"},
    "setup.py lists, wherever they are built": {
        "setup.py": 'from setuptools import setup\nextras = {}\nextras["test"] = ["plain-lib>=1"]\n'
                    'setup(name="demo", install_requires=["django-filter"], extras_require=extras,\n'
                    '      classifiers=["Framework :: Django"], packages=["app"])\n'},
    "URL and VCS requirements": {
        "requirements.txt": "git+https://github.com/example/django-filter.git@main\n"
                            "plain-lib @ https://example.invalid/plain_lib-1.0.0-py3-none-any.whl\n"},
}


@pytest.mark.parametrize("layout", list(DYNAMIC))
def test_dependencies_declared_where_build_backends_read_them(index: str, capsys: Any, layout: str) -> None:
    for path, text in DYNAMIC[layout].items():
        write(path, text)
    write("app.py", "import django_filters\nimport plain_lib\nimport humps\n")
    code, out, _ = run(capsys, "--index-url", index, "app.py")
    # only the undeclared one: the declared ones were read
    assert [line.split(" ")[1:3] for line in out] == [["DG201", "`humps`"]]


def test_unreadable_dynamic_dependencies_judge_nothing(index: str, capsys: Any) -> None:
    write("pyproject.toml", '[project]\nname = "demo"\ndynamic = ["dependencies"]\n'
                            '[build-system]\nrequires = ["some-backend"]\n')
    write("app.py", "import humps\nimport ghost_xyz\n")
    assert run(capsys, "--index-url", index, "app.py") == (0, [], [])


def test_workspace_members_are_first_party_and_bring_their_declarations(index: str, capsys: Any) -> None:
    """A uv workspace: the root declares its member `demo-core` (with an extra); tests at
    the root import the member's package and what the member declares."""
    write("pyproject.toml", '[project]\nname = "demo"\ndependencies = ["demo-core[web]"]\n'
                            '[tool.uv.workspace]\nmembers = ["libs/*"]\n')
    write("libs/core/pyproject.toml", '[project]\nname = "demo-core"\ndependencies = ["plain-lib"]\n'
                                      '[project.optional-dependencies]\nweb = ["django-filter"]\n')
    write("libs/core/src/demo_core/__init__.py", "")
    write("packages/extra/setup.py", 'from setuptools import setup\nsetup(name="demo-extra")\n')
    write("packages/extra/demo_extra/__init__.py", "")
    write("tests/test_core.py", "import demo_core\nimport demo_extra\nimport plain_lib\nimport django_filters\n")
    assert run(capsys, "--index-url", index, "tests/test_core.py") == (0, [], [])


def test_availability_checks_and_import_swallowing_contexts_guard_imports(index: str, capsys: Any) -> None:
    """peft's `if is_te_available():`, `find_spec(...) is not None`, pydantic-ai's `with
    try_import():` and `contextlib.suppress(ImportError)`: optional dependencies (DG203)."""
    project("plain-lib")
    write("app.py", """
        import contextlib
        import importlib.util
        from .utils import is_te_available, try_import
        if is_te_available():
            import django
        if importlib.util.find_spec("humps") is not None:
            import humps
        with try_import() as ok:
            import django_filters
        with contextlib.suppress(ImportError):
            import rest_framework
        """)
    assert run(capsys, "--index-url", index, "app.py") == (0, [], [])
    code, out, _ = run(capsys, "--index-url", index, "--extend-select", "DG203", "app.py")
    assert [line.split(" ")[1:3] for line in out] == [
        ["DG203", "`django`"], ["DG203", "`humps`"], ["DG203", "`django_filters`"], ["DG203", "`rest_framework`"],
    ]
    assert "only under TYPE_CHECKING, an availability check or an ImportError fallback" in out[0]


def test_directories_a_script_puts_on_sys_path(index: str, capsys: Any) -> None:
    project("plain-lib")
    write("tests/json_body_serializer.py", "")
    write("scripts/scrub.py", "import sys\nsys.path.insert(0, 'tests')\nimport json_body_serializer\n")
    write("scripts/dynamic.py", "import os, sys\nsys.path.append(os.environ['X'])\nimport ghost_xyz\n")
    write("scripts/plain.py", "import ghost_xyz\n")
    code, out, _ = run(capsys, "--index-url", index, "scripts/scrub.py", "scripts/dynamic.py", "scripts/plain.py")
    # a computed sys.path entry may hold anything: no DG202 there; elsewhere the same import is one
    assert [line.split(" ")[0:2] for line in out] == [["scripts/plain.py:1:1:", "DG202"]]


def test_a_wheel_server_that_trickles_is_cut_off_at_the_timeout(packages: str) -> None:
    """The timeout bounds the whole wheel request, not each read (issue 10's trickle, on the
    wheel reader's own connection): the names are unknown, never a hang."""
    from hooks._deps.pkgindex import Client, Index
    from hooks._deps.wheels import WheelReader

    slow = NoRangeServer(packages, trickle=True)
    answers: list[Any] = []
    try:
        reader = WheelReader(Client(timeout=1.0), [Index(slow.url)])
        worker = threading.Thread(target=lambda: answers.append(reader.names({"pyhumps": ""})), daemon=True)
        started = time.monotonic()
        worker.start()
        worker.join(20)
        assert not worker.is_alive(), "the wheel read was not cut off"
        assert time.monotonic() - started < 10
        assert answers == [{"pyhumps": None}]
    finally:
        slow.stop()


def test_a_wheel_that_is_not_a_zip_leaves_its_names_unknown(tmp_path: Path) -> None:
    """A truncated or corrupt wheel on the index: no crash, the names are unknown (so the
    distribution could provide anything: no DG202 rests on it)."""
    from hooks._deps.pkgindex import Client, Index
    from hooks._deps.wheels import WheelReader

    broken_dir = tmp_path / "broken"
    broken_dir.mkdir()
    (broken_dir / "broken_wheel-1.0.0-py3-none-any.whl").write_bytes(b"PK\x03\x04 not really a zip" * 10)
    plain = NoRangeServer(str(broken_dir))
    try:
        reader = WheelReader(Client(), [Index(plain.url)])
        assert reader.names({"broken-wheel": ""}) == {"broken-wheel": None}
    finally:
        plain.stop()


def test_index_down_in_warn_mode_warns_once_and_judges_nothing_it_cannot(capsys: Any) -> None:
    from _deps_support import BrokenIndex

    broken = BrokenIndex()
    try:
        project("plain-lib", "django")
        write("app.py", "import humps\nimport ghost_xyz\nfrom graphql import x\n")
        code, out, err = run(capsys, "--index-url", broken.url("500"), "--on-network-error", "warn", "app.py")
        assert (code, out) == (0, [])
        assert len(err) == 1 and err[0].startswith("check-undeclared-imports: warning: index ")
    finally:
        broken.stop()
