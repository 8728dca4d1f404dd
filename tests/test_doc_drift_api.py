"""check-doc-drift DG955: Python API references in docs (python and pycon blocks, doctest
lines, inline `mypkg.client.fetch()`) against the repository's own packages, through the
shared static API index (hooks/_api), in a real src/ layout project."""
from __future__ import annotations

from pathlib import Path

import pytest

from _doc_drift_support import LIBRARY_SRC, make_repo, run_hook
from conftest import working_directory

MUST_FLAG = [
    ("```python\nfrom mypkg.client import fetch, fetch_all\n```\n",
     "README.md:2:1: DG955 `mypkg.client.fetch_all` does not exist: mypkg.client has no `fetch_all`; "
     "did you mean `fetch`?; fix the doc or the code"),
    ("```python\nimport mypkg\n\nmypkg.client.Client.post('/x')\n```\n",
     "README.md:4:21: DG955 `mypkg.client.Client.post` does not exist: mypkg.client.Client has no `post`; "
     "fix the doc or the code"),
    ("```pycon\n>>> from mypkg import fetch\n>>> fetch('u', timout=3)\n'u'\n```\n",
     "README.md:3:16: DG955 `mypkg.fetch(timout=...)`: fetch takes no keyword `timout`; did you mean "
     "`timeout`?; fix the doc or the signature"),
    ("Use `mypkg.client.fetch_many()` for batches.\n",
     "README.md:1:6: DG955 `mypkg.client.fetch_many` does not exist: mypkg.client has no `fetch_many`; "
     "did you mean `fetch`?; fix the doc or the code"),
    ("```python\nfrom mypkg.transport import Client\n```\n",
     "README.md:2:1: DG955 `mypkg.transport`: no such module in this repository (mypkg has no "
     "`transport`); fix the doc or the code"),
    ("Example::\n\n    >>> import mypkg.client as c\n    >>> c.Client('u', timeout=1, verify=False)\n",
     "README.rst:4:34: DG955 `mypkg.client.Client(verify=...)`: Client takes no keyword `verify`; "
     "fix the doc or the signature"),
]

MUST_NOT_FLAG = [
    "```python\nfrom mypkg import Client, fetch\nc = Client('u', timeout=2)\nfetch('u', timeout=1)\n```\n",
    "```python\nfrom mypkg.dynamic import anything\n```\n",  # a module-level __getattr__
    "```python\nimport requests\nrequests.nothing_here()\n```\n",  # not ours: check-hallucinated-apis' job
    "```python\nfrom mypkg import fetch\nfetch = lambda u: u\nfetch.whatever\n```\n",  # rebound
    "```python\nfrom mypkg import (\n```\n",  # does not parse
    "```python\nfrom mypkg.client import MyCustomClient\n```\n",  # a tutorial's placeholder
    "`mypkg.fetch`, `mypkg.toml`, `mypkg.nothing` and `app.frontend()` in prose.\n",
    "```python\nfrom mypkg.client import fetch_all  # driftgate: ignore[DG955]\n```\n",
    "```text\nfrom mypkg.client import fetch_all\n```\n",
]


@pytest.mark.parametrize("doc, expected", MUST_FLAG)
def test_must_flag(tmp_path: Path, doc: str, expected: str) -> None:
    name = "README.rst" if "::" in doc else "README.md"
    root = make_repo(tmp_path / "proj", LIBRARY_SRC, docs={name: doc})
    with working_directory(root):
        code, out, err = run_hook("--all", name)
    assert (code, out) == (1, [expected]), err


@pytest.mark.parametrize("doc", MUST_NOT_FLAG)
def test_must_not_flag(tmp_path: Path, doc: str) -> None:
    root = make_repo(tmp_path / "proj", LIBRARY_SRC, docs={"README.md": doc})
    with working_directory(root):
        code, out, err = run_hook("--all", "README.md")
    assert (code, out) == (0, []), err


def test_flat_layout_and_disk_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A flat layout resolves the same; the second run reads the extracted API from the
    cache (DRIFTGATE_CACHE_DIR), and an edited module is read again."""
    monkeypatch.setenv("DRIFTGATE_CACHE_DIR", str(tmp_path / "cache"))
    flat = {k.replace("src/", ""): v for k, v in LIBRARY_SRC.items()}
    doc = "```python\nfrom mypkg.client import fetch_all\n```\n"
    root = make_repo(tmp_path / "proj", flat, docs={"README.md": doc})
    with working_directory(root):
        first = run_hook("--all", "README.md")
        assert first[0] == 1 and "mypkg.client.fetch_all" in first[1][0]
        assert list((tmp_path / "cache").rglob("*.json"))
        assert run_hook("--all", "README.md")[:2] == first[:2]
        client = root / "mypkg" / "client.py"
        client.write_text(client.read_text() + "\n\ndef fetch_all(urls):\n    return urls\n")
        assert run_hook("--all", "README.md")[:2] == (0, [])
