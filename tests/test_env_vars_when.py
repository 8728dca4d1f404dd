"""check-env-vars: when a required read fails (DG402 at start, DG403 when a function is
called), guarded reads, and pydantic-settings fields that are not environment reads."""
from __future__ import annotations

import sys
import textwrap
from pathlib import Path

import pytest

import hooks.check_env_vars as env_hook
from hooks._core.files import SourceFile
from hooks.check_env_vars import main
from hooks._env.reads_python import HelperIndex, python_reads

sys.path.insert(0, str(Path(__file__).parent))
from _env_vars_support import make_repo


def reads(code: str) -> list[tuple[str, bool, str | None]]:
    """(name, required, enclosing function) of every read."""
    source = SourceFile("app.py", textwrap.dedent(code))
    return [(r.name, r.required, r.function) for r in python_reads(source, HelperIndex(".")).reads]


WHERE = [
    ("import os\nA = os.environ['A']\n", [("A", True, None)]),
    ("import os\nclass C:\n    A = os.environ['A']\n", [("A", True, None)]),
    ("import os\ndef load():\n    return os.environ['A']\n", [("A", True, "load")]),
    ("import os\nclass C:\n    async def m(self):\n        return os.environ['A']\n", [("A", True, "m")]),
    ("import os\ndef outer():\n    def inner():\n        return os.environ['A']\n", [("A", True, "inner")]),
    ("import os\nf = lambda: os.environ['A']\n", [("A", True, "<lambda>")]),
    # a default argument is evaluated when the `def` runs: at import
    ("import os\ndef f(a=os.environ['A']):\n    pass\n", [("A", True, None)]),
    ("import os\n@decorate(os.environ['A'])\ndef f():\n    pass\n", [("A", True, None)]),
]


@pytest.mark.parametrize(("code", "expected"), WHERE)
def test_where_a_required_read_runs(code, expected):
    assert reads(code) == expected


GUARDED = [
    "import os\nif 'A' in os.environ:\n    A = os.environ['A']\n",
    "import os\nA = os.environ['A'] if 'A' in os.environ else None\n",
    "import os\nif os.environ.get('A'):\n    A = os.environ['A']\n",
    "import os\nif os.getenv('A') is not None:\n    A = os.environ['A']\n",
    "import os\nA = 'A' in os.environ and os.environ['A']\n",
    "import os\ntry:\n    A = os.environ['A']\nexcept KeyError:\n    A = None\n",
    "import os\ntry:\n    A = os.environ['A']\nexcept (ValueError, KeyError):\n    A = None\n",
    "import os\ntry:\n    A = os.environ['A']\nexcept Exception:\n    A = None\n",
    "import os\ntry:\n    A = os.environ['A']\nexcept:\n    A = None\n",
    "import os\ndef f():\n    if 'A' in os.environ:\n        return os.environ['A']\n",
]


@pytest.mark.parametrize("code", GUARDED)
def test_guarded_reads_are_not_required(code):
    assert all(not required for _, required, _ in reads(code))


NOT_GUARDED = [
    # the guard checks another variable
    "import os\nif 'B' in os.environ:\n    A = os.environ['A']\n",
    # the handler catches something else
    "import os\ntry:\n    A = os.environ['A']\nexcept ValueError:\n    A = None\n",
    # the read is in the handler, not the guarded body
    "import os\ntry:\n    pass\nexcept KeyError:\n    A = os.environ['A']\n",
    # after the `if`, not inside it
    "import os\nif 'A' in os.environ:\n    pass\nA = os.environ['A']\n",
]


@pytest.mark.parametrize("code", NOT_GUARDED)
def test_unguarded_reads_stay_required(code):
    assert ("A", True) in [(name, required) for name, required, _ in reads(code)]


@pytest.fixture(autouse=True)
def fresh_process_cache():
    env_hook._REPOSITORIES.clear()
    yield
    env_hook._REPOSITORIES.clear()


def run(capsys, *args: str) -> list[str]:
    main(list(args))
    return capsys.readouterr().out.splitlines()


def test_codes_and_messages(tmp_path, monkeypatch, capsys):
    files = {"app.py": (
        "import os\n"
        "AT_START = os.environ['AT_START']\n"
        "def handler():\n"
        "    return os.environ['IN_HANDLER']\n"
        "GUARDED = os.environ['GUARDED'] if 'GUARDED' in os.environ else None\n"
    )}
    monkeypatch.chdir(make_repo(tmp_path / "repo", files))
    assert run(capsys, "app.py") == [
        "app.py:2:12: DG402 AT_START is required (os.environ[...]: no default, the program fails "
        "at start without it) but declared nowhere",
        "app.py:4:12: DG403 IN_HANDLER is required (os.environ[...]: no default, handler() fails "
        "when called without it) but declared nowhere",
        # one finding for the guard and the guarded read on the same line
        "app.py:5:11: DG401 GUARDED is read (os.environ[...], guarded by a check) but declared nowhere",
    ]


def test_dg403_can_be_ignored_on_its_own(tmp_path, monkeypatch, capsys):
    files = {"app.py": "import os\nA = os.environ['A']\ndef f():\n    return os.environ['B']\n"}
    monkeypatch.chdir(make_repo(tmp_path / "repo", files))
    assert [line.split()[1] for line in run(capsys, "--ignore", "DG403", "app.py")] == ["DG402"]
