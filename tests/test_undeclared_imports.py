"""check-undeclared-imports: tables of imports that must resolve and must be flagged, with a
real `pypiserver` on loopback answering whether an unknown import's name is published."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any, Iterator

import pytest

from hooks import check_undeclared_imports as hook
from hooks import cli
from _deps_support import BrokenIndex, isolated_env, make_wheel, pypiserver, write

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def index(tmp_path_factory: Any) -> Iterator[str]:
    packages = tmp_path_factory.mktemp("pkgs")
    for name in ("published-lib", "requests", "google-cloud-storage"):
        # the real google-cloud-storage installs google/cloud/storage (a namespace package)
        top = "google/cloud/storage" if name.startswith("google") else None
        make_wheel(str(packages), name, "1.0.0", top)
        make_wheel(str(packages), name, "1.1.0", top)
    with pypiserver(str(packages)) as server:
        yield server.url


@pytest.fixture(autouse=True)
def work(monkeypatch: Any, tmp_path: Path) -> Path:
    isolated_env(monkeypatch, tmp_path)
    root = tmp_path / "repo"
    root.mkdir()
    monkeypatch.chdir(root)
    return root


def project(*deps: str) -> None:
    listed = ", ".join(f'"{d}"' for d in deps)
    write("pyproject.toml", f'[project]\nname = "demo"\ndependencies = [{listed}]\n')


def run(capsys: Any, *argv: str) -> tuple[int, list[str], list[str]]:
    code = hook.main(list(argv))
    out, err = capsys.readouterr()
    return code, out.splitlines(), err.splitlines()


MUST_NOT_FLAG = [
    # stdlib, __future__, relative
    ("import os, json\nfrom __future__ import annotations\nfrom . import sibling\nfrom .x import y\n", ()),
    # declared, matched by normalized name (not installed here)
    ("import published_lib\nfrom published_lib.sub import x\n", ("published-lib>=1",)),
    # declared, matched through the bundled import-name map (not installed here)
    ("import cv2\nfrom sklearn import svm\nimport google.protobuf\n", ("opencv-python", "scikit-learn", "protobuf")),
    # declared, matched exactly through the running environment's installed metadata:
    # pip-requirements-parser (a runtime dependency, so always installed) also installs
    # packaging_legacy_version, a name no map or normalization leads to
    ("import packaging_legacy_version\n", ("pip-requirements-parser",)),
    # declared in an optional extra
    ("import yaml\n", ()),  # PyYAML comes from the extra below
    # namespace packages: the distribution is named after the dotted path
    ("from google.cloud import storage\nimport google.cloud.storage.blob\n", ("google-cloud-storage",)),
    # any of several distributions that provide one import name
    ("import cv2\nimport psycopg2\n", ("opencv-python-headless", "psycopg2-binary")),
]


@pytest.mark.parametrize(("code", "deps"), MUST_NOT_FLAG)
def test_must_not_flag(index: str, capsys: Any, code: str, deps: tuple[str, ...]) -> None:
    project(*deps)
    with open("pyproject.toml", "a") as handle:
        handle.write('[project.optional-dependencies]\nconfig = ["PyYAML"]\n')
    write("mod.py", code)
    assert run(capsys, "--index-url", index, "mod.py") == (0, [], [])


def test_first_party_flat_src_and_script_siblings(index: str, capsys: Any) -> None:
    project()
    write("mypkg/__init__.py", "")
    write("src/srcpkg/__init__.py", "")
    write("toplevel.py", "")
    write("scripts/helper.py", "")
    write("scripts/run.py", "import helper\nimport mypkg, srcpkg, toplevel\n")
    write("app.py", "import mypkg.core\nfrom srcpkg import thing\nimport toplevel\nimport vendored\n")
    assert run(capsys, "--index-url", index, "--known-first-party", "vendored", "scripts/run.py", "app.py") == (0, [], [])


def test_must_flag(index: str, capsys: Any) -> None:
    project("requests")
    write("app.py", """
        import requests
        import yaml
        import cv2
        import packaging_legacy_version
        from published_lib import thing
        import ghost_module_xyz.sub
        from   another_ghost import x  # indented col is still the statement's
        def f():
            import deep_ghost
        """)
    code, out, err = run(capsys, "--index-url", index, "app.py")
    assert out == [
        "app.py:2:1: DG201 `yaml` is imported but not declared: add `PyYAML` to the project's dependencies",
        "app.py:3:1: DG201 `cv2` is imported but not declared: add `opencv-python` to the project's dependencies",
        "app.py:4:1: DG201 `packaging_legacy_version` is imported but not declared: add "
        "`pip-requirements-parser` to the project's dependencies",
        "app.py:5:1: DG201 `published_lib` is imported but not declared: add `published-lib` to the project's dependencies",
        "app.py:6:1: DG202 `ghost_module_xyz.sub` is imported but no distribution provides it (not installed, "
        "not on the index): likely hallucinated",
        "app.py:7:1: DG202 `another_ghost` is imported but no distribution provides it (not installed, "
        "not on the index): likely hallucinated",
        "app.py:9:5: DG202 `deep_ghost` is imported but no distribution provides it (not installed, "
        "not on the index): likely hallucinated",
    ]
    assert code == 1 and err == []


def test_namespace_imports_name_the_right_distribution(index: str, capsys: Any) -> None:
    project("protobuf")
    write("app.py", """
        from google.protobuf import message
        from google.cloud import storage
        import zope.ghostly
        """)
    code, out, _ = run(capsys, "--index-url", index, "app.py")
    assert out == [
        "app.py:2:1: DG201 `google.cloud` is imported but not declared: add `google-cloud-storage` "
        "to the project's dependencies",
        "app.py:3:1: DG202 `zope.ghostly` is imported but no distribution provides it (not installed, "
        "not on the index): likely hallucinated",
    ]


def test_type_checking_and_import_error_fallbacks_are_dg203_off_by_default(index: str, capsys: Any) -> None:
    project()
    write("app.py", """
        from typing import TYPE_CHECKING
        if TYPE_CHECKING:
            import ghost_types
        try:
            import ghost_fast as impl
        except ImportError:
            import ghost_slow as impl
        try:
            import ghost_plain
        except ValueError:
            pass
        """)
    code, out, _ = run(capsys, "--index-url", index, "app.py")
    assert [line.split(" ")[1:3] for line in out] == [["DG202", "`ghost_plain`"]]
    code, out, _ = run(capsys, "--index-url", index, "--extend-select", "DG203", "app.py")
    assert [line.split(" ")[0:3] for line in out] == [
        ["app.py:3:5:", "DG203", "`ghost_types`"],
        ["app.py:5:5:", "DG203", "`ghost_fast`"],
        ["app.py:7:5:", "DG203", "`ghost_slow`"],
        ["app.py:9:5:", "DG202", "`ghost_plain`"],
    ]


def test_requirements_and_setup_cfg_declare_too(index: str, capsys: Any) -> None:
    write("requirements.txt", "published-lib==1.1.0\n")
    write("requirements/dev.txt", "pip-requirements-parser\n")
    write("setup.cfg", "[options]\ninstall_requires =\n    opencv-python\n")
    write("app.py", "import published_lib, packaging_legacy_version, cv2\n")
    assert run(capsys, "--index-url", index, "app.py") == (0, [], [])


def test_without_any_manifest_only_hallucinations_are_reported(index: str, capsys: Any) -> None:
    write("app.py", "import yaml\nimport ghost_module_xyz\n")
    code, out, _ = run(capsys, "--index-url", index, "app.py")
    assert [line.split(" ")[1] for line in out] == ["DG202"]


def test_inline_script_metadata_declares_for_that_script(index: str, capsys: Any) -> None:
    project()
    write("tool.py", """
        # /// script
        # dependencies = ["published-lib", "PyYAML"]
        # ///
        import published_lib
        import yaml
        """)
    assert run(capsys, "--index-url", index, "tool.py") == (0, [], [])


def test_syntax_errors_and_binary_files_are_skipped(index: str, capsys: Any) -> None:
    project()
    write("broken.py", "def (:\n")
    Path("blob.py").write_bytes(b"\x00\x01import ghost\n")
    assert run(capsys, "--index-url", index, "broken.py", "blob.py") == (0, [], [])


def test_index_down_exits_2_unless_warn(capsys: Any) -> None:
    broken = BrokenIndex()
    try:
        project()
        write("app.py", "import ghost_module_xyz\n")
        url = broken.url("500")
        code, out, err = run(capsys, "--index-url", url, "app.py")
        assert code == 2 and out == []
        assert err == [
            f"check-undeclared-imports: error: index {url.rstrip('/')} answered HTTP 500 for "
            "`ghost-module-xyz`; fix the index URL or network, or pass --offline (cache only) or "
            "--on-network-error=warn"
        ]
        code, out, err = run(capsys, "--index-url", url, "--on-network-error", "warn", "app.py")
        assert (code, out) == (0, [])
        assert err[0].startswith("check-undeclared-imports: warning: index ")
    finally:
        broken.stop()


def test_driftgate_scan_runs_both_dependency_hooks(index: str, capsys: Any) -> None:
    write("pyproject.toml", f"""
        [project]
        name = "demo"
        dependencies = ["requests", "ghost-dependency"]

        [tool.driftgate.check-hallucinated-deps]
        index-url = "{index}"
        public-index-url = "{index}"

        [tool.driftgate.check-undeclared-imports]
        index-url = "{index}"
        """)
    write("app.py", "import requests\nimport ghost_module_xyz\n")
    subprocess.run(["git", "init", "-q"], check=True)
    subprocess.run(["git", "add", "."], check=True)
    code = cli.main(["scan", "."])
    out = capsys.readouterr().out.splitlines()
    assert [" ".join(line.split(" ")[:3]) for line in out] == [
        "app.py:2:1: DG202 `ghost_module_xyz`",
        "pyproject.toml:3:30: DG101 `ghost-dependency`",
    ]
    assert code == 1


def test_subprocess_entry_point(index: str) -> None:
    project()
    write("app.py", "import ghost_module_xyz\n")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run(
        [sys.executable, "-m", "hooks.check_undeclared_imports", "--index-url", index, "app.py"],
        capture_output=True, text=True, env=env,
    )
    assert proc.returncode == 1 and proc.stderr == ""
    assert proc.stdout.startswith("app.py:1:1: DG202 `ghost_module_xyz`")


def test_bad_input_is_reported_not_crashed_on(index: str, capsys: Any) -> None:
    write("setup.cfg", "[options]\ninstall_requires\n")
    Path("latin.py").write_bytes("x = 'caf\xe9'\nimport ghost_module_xyz\n".encode("latin-1"))
    write("empty.py", "")
    code, out, err = run(capsys, "--index-url", index, "latin.py", "empty.py")
    assert (code, out) == (0, [])
    assert err[0] == (
        "check-undeclared-imports: warning: setup.cfg:2: invalid setup.cfg: cannot parse install_requires; "
        "what it declares is not counted"
    )
    assert len(err) == 2 and err[1].startswith("driftgate: latin.py: skipped, ")  # the core's wording
    code, out, err = run(capsys, "--index-url", index, "missing.py")
    assert (code, out) == (2, [])
    assert err[-1] == "check-undeclared-imports: error: missing.py: no such file"


def test_python_3_9_without_packages_distributions(index: str, capsys: Any, monkeypatch: Any) -> None:
    """importlib.metadata.packages_distributions is 3.10+; on 3.9 the map is built from each
    installed distribution's metadata. Hiding the helper runs that path on real metadata."""
    import importlib.metadata

    monkeypatch.delattr(importlib.metadata, "packages_distributions", raising=False)
    project()
    write("app.py", "import yaml\nimport packaging_legacy_version\n")
    code, out, _ = run(capsys, "--index-url", index, "app.py")
    assert [line.split("add ")[1] for line in out] == [
        "`PyYAML` to the project's dependencies", "`pip-requirements-parser` to the project's dependencies",
    ]


@pytest.mark.skipif(sys.version_info < (3, 10), reason="the sample uses a match statement")
def test_imports_nested_in_any_block_are_seen(index: str, capsys: Any) -> None:
    project()
    write("app.py", """
        class Plugin:
            import ghost_in_class
        with open(__file__) as handle:
            for line in handle:
                while line:
                    import ghost_in_loop
        match __name__:
            case "__main__":
                import ghost_in_match
        x = [__import__("os") for _ in range(1)]
        """)
    code, out, _ = run(capsys, "--index-url", index, "app.py")
    assert [(line.split(":")[1], line.split("`")[1]) for line in out] == [
        ("2", "ghost_in_class"), ("6", "ghost_in_loop"), ("9", "ghost_in_match"),
    ]


def test_installed_metadata_is_cached_until_the_environment_changes(tmp_path: Path) -> None:
    """What the hook's own environment has installed (RECORD and METADATA files, read through
    the email parser: tens of ms per commit) is remembered per interpreter, keyed by the
    modification time of every sys.path directory: a warm run imports no importlib.metadata,
    and a distribution installed since is seen at once."""
    site = tmp_path / "site"
    site.mkdir()
    tree = tmp_path / "simple"  # an index that has nothing: the environment decides
    tree.mkdir()
    project = tmp_path / "project"
    project.mkdir()
    (project / "requirements.txt").write_text("\n")
    (project / "app.py").write_text("import fakemod_xyz\n")
    probe = (
        "import sys\nfrom hooks.check_undeclared_imports import main\n"
        "code = main(sys.argv[1:])\n"
        "print(code, 'importlib.metadata' in sys.modules, file=sys.stderr)\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("PIP_")}
    env.update(PYTHONPATH=os.pathsep.join([str(ROOT), str(site)]), PIP_CONFIG_FILE=os.devnull,
               DRIFTGATE_CACHE_DIR=str(tmp_path / "cache"), HOME=str(tmp_path))

    def run_hook() -> tuple[str, str]:
        proc = subprocess.run([sys.executable, "-c", probe, "--index-url", tree.as_uri(), "app.py"],
                              cwd=project, env=env, capture_output=True, text=True, check=False)
        return proc.stdout, proc.stderr

    missing = run_hook()
    assert "DG202 `fakemod_xyz`" in missing[0] and missing[1] == "1 True\n"
    assert run_hook() == (missing[0], "1 False\n")  # warm: no installed metadata read
    info = site / "fake_dist_xyz-1.0.dist-info"  # now installed, as pip would leave it
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: fake-dist-xyz\nVersion: 1.0\n")
    (info / "RECORD").write_text("fakemod_xyz/__init__.py,,\nfake_dist_xyz-1.0.dist-info/METADATA,,\n")
    (info / "top_level.txt").write_text("fakemod_xyz\n")
    installed = run_hook()
    assert "DG201 `fakemod_xyz` is imported but not declared: add `fake-dist-xyz`" in installed[0]
    assert installed[1] == "1 True\n"
    assert run_hook() == (installed[0], "1 False\n")


def test_imports_are_kept_per_file_content_and_judged_against_todays_manifest(
    index: str, capsys: Any, work: Path
) -> None:
    """A warm run reads each unchanged file's imports from the cache (hooks._core.filecache)
    instead of parsing it; an edited file is parsed again, and the verdict always uses the
    manifests as they are now."""
    import json

    project("requests")
    write("app.py", "import yaml\n")
    yaml_line = "app.py:1:1: DG201 `yaml` is imported but not declared: add `PyYAML` to the project's dependencies"
    assert run(capsys, "--index-url", index, "app.py") == (1, [yaml_line], [])
    packs = list((work.parent / "cache" / "files-v1" / "check-undeclared-imports").glob("*.json"))
    assert packs
    for pack in packs:  # the file's cached imports, altered: proof that they are what is read
        data = json.loads(pack.read_text())
        pack.write_text(json.dumps(data).replace('"yaml"', '"cv2"'))
    cv2_line = "app.py:1:1: DG201 `cv2` is imported but not declared: add `opencv-python` to the project's dependencies"
    assert run(capsys, "--index-url", index, "app.py") == (1, [cv2_line], [])
    write("app.py", "import yaml \n")  # edited: parsed again
    assert run(capsys, "--index-url", index, "app.py") == (1, [yaml_line], [])
    project("requests", "PyYAML")  # the manifest changed: the cached imports are judged anew
    assert run(capsys, "--index-url", index, "app.py") == (0, [], [])
