"""check-undeclared-imports: first-party source roots (issue 16). One repository layout per
rule, each must not flag its own code; without the rule, each import is a DG202 (the names
are on no index: a real `pypiserver` on loopback answers 404)."""
from __future__ import annotations

from pathlib import Path
from typing import Any, Iterator

import pytest

from hooks import check_undeclared_imports as hook
from _deps_support import isolated_env, make_wheel, pypiserver, write


@pytest.fixture(scope="module")
def index(tmp_path_factory: Any) -> Iterator[str]:
    packages = tmp_path_factory.mktemp("pkgs")
    make_wheel(str(packages), "requests", "1.0.0")
    with pypiserver(str(packages)) as server:
        yield server.url


@pytest.fixture(autouse=True)
def work(monkeypatch: Any, tmp_path: Path) -> Path:
    isolated_env(monkeypatch, tmp_path)
    root = tmp_path / "repo"
    root.mkdir()
    monkeypatch.chdir(root)
    return root


def run(capsys: Any, *argv: str) -> tuple[int, list[str], list[str]]:
    code = hook.main(list(argv))
    out, err = capsys.readouterr()
    return code, out.splitlines(), err.splitlines()


PYPROJECT = '[project]\nname = "demo"\ndependencies = ["requests"]\n'

# (files, the importing file, its source): every import is the project's own code
LAYOUTS = {
    "django project in a subdirectory (manage.py), imported from outside it": (
        {"netbox/manage.py": "", "netbox/dcim/__init__.py": "", "netbox/dcim/models.py": "",
         "netbox/utilities/testing/__init__.py": ""},
        "scripts/migrate_data.py", "from dcim.models import Site\nimport utilities.testing\n",
    ),
    "django app importing a sibling app (ancestor rule)": (
        {"apps/api/plane/__init__.py": "", "apps/api/plane/db/__init__.py": "", "apps/api/core/models.py": ""},
        "apps/api/plane/app/views.py", "from plane.db import models\nfrom core import models as m\n",
    ),
    "setuptools package-dir in pyproject.toml": (
        {"pyproject.toml": PYPROJECT + '[tool.setuptools]\npackage-dir = {"" = "lib"}\n',
         "lib/corelib/__init__.py": ""},
        "tests/test_core.py", "import corelib\n",
    ),
    "setuptools packages.find where in pyproject.toml": (
        {"pyproject.toml": PYPROJECT + '[tool.setuptools.packages.find]\nwhere = ["python"]\n',
         "python/wherepkg/__init__.py": ""},
        "tests/test_where.py", "from wherepkg import thing\n",
    ),
    "setup.cfg package_dir and packages.find where": (
        {"setup.cfg": "[options]\npackage_dir =\n    =source\n[options.packages.find]\nwhere = other\n",
         "source/cfgpkg/__init__.py": "", "other/cfgwhere.py": ""},
        "tests/test_cfg.py", "import cfgpkg\nimport cfgwhere\n",
    ),
    "setup.py package_dir and find_packages(where=...)": (
        {"setup.py": 'from setuptools import setup, find_packages\n'
                     'setup(package_dir={"": "code"}, packages=find_packages(where="more"))\n',
         "code/setuppy_pkg/__init__.py": "", "more/setuppy_more/__init__.py": ""},
        "tests/test_setup.py", "import setuppy_pkg, setuppy_more\n",
    ),
    "pytest pythonpath in pyproject.toml": (
        {"pyproject.toml": PYPROJECT + '[tool.pytest.ini_options]\npythonpath = ["tools"]\n',
         "tools/helpers_mod.py": ""},
        "tests/unit/test_h.py", "import helpers_mod\n",
    ),
    "pytest pythonpath in pytest.ini and --rootdir in tox.ini": (
        {"pytest.ini": "[pytest]\npythonpath = support\n", "support/ini_helpers.py": "",
         "tox.ini": "[pytest]\naddopts = --rootdir=testroot\n", "testroot/rootdir_pkg/__init__.py": ""},
        "tests/unit/test_ini.py", "import ini_helpers\nimport rootdir_pkg\n",
    ),
    "mypy mypy_path in pyproject.toml and mypy.ini": (
        {"pyproject.toml": PYPROJECT + '[tool.mypy]\nmypy_path = "$MYPY_CONFIG_FILE_DIR/stubs"\n',
         "stubs/stubbed_mod.pyi": "", "mypy.ini": "[mypy]\nmypy_path = typings\n",
         "typings/typed_pkg/__init__.pyi": ""},
        "app/main.py", "import stubbed_mod\nimport typed_pkg\n",
    ),
    "a PEP 420 namespace package in the repo root": (
        {"acme_ns/tools/__init__.py": ""},
        "app/main.py", "from acme_ns.tools import x\n",
    ),
}


@pytest.mark.parametrize("layout", list(LAYOUTS))
def test_first_party_layouts_are_not_flagged(index: str, capsys: Any, layout: str) -> None:
    files, importer, code = LAYOUTS[layout]
    if "pyproject.toml" not in files:
        write("pyproject.toml", PYPROJECT)
    for path, text in files.items():
        write(path, text)
    write(importer, code)
    assert run(capsys, "--index-url", index, importer) == (0, [], [])


def test_packages_outside_every_root_stay_undeclared(index: str, capsys: Any) -> None:
    """A package in an unrelated subdirectory is not importable from app/: still DG202."""
    write("pyproject.toml", PYPROJECT)
    write("examples/demo/hidden_pkg/__init__.py", "")
    write("app/main.py", "import hidden_pkg\n")
    code, out, _ = run(capsys, "--index-url", index, "app/main.py")
    assert [line.split(" ")[1:3] for line in out] == [["DG202", "`hidden_pkg`"]]
    assert code == 1
