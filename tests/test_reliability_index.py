"""Index faults taken as answers (issue 10): real loopback servers that trickle, cut
answers short, send garbage or 404 everything, and a cache doctored on disk."""
from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any, Iterator

import pytest

from _deps_support import BrokenIndex, isolated_env, make_wheel, pypiserver, write
from hooks import check_hallucinated_deps as deps_hook
from hooks import check_undeclared_imports as imports_hook

HOOK_LINE = "check-hallucinated-deps: error: "
FIX = "; fix the index URL or network, or pass --offline (cache only) or --on-network-error=warn"


@pytest.fixture(scope="module")
def broken() -> Iterator[BrokenIndex]:
    server = BrokenIndex()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def index(tmp_path_factory: Any) -> Iterator[str]:
    packages = tmp_path_factory.mktemp("pkgs")
    for name, version in [("requests", "2.31.0"), ("requests", "2.32.0"), ("attrs", "23.1.0"), ("attrs", "23.2.0")]:
        make_wheel(str(packages), name, version)
    with pypiserver(str(packages)) as server:
        yield server.url


@pytest.fixture(autouse=True)
def isolated(monkeypatch: Any, tmp_path: Path) -> Path:
    isolated_env(monkeypatch, tmp_path)
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    return work


def run(capsys: Any, main: Any, *argv: str) -> tuple[int, list[str], list[str]]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out.splitlines(), err.splitlines()


def on(url: str) -> list[str]:
    return ["--index-url", url, "--public-index-url", url]


# --- bounded in time ------------------------------------------------------------------


def test_a_trickling_index_is_cut_off_at_the_timeout(broken: BrokenIndex, capsys: Any) -> None:
    url = broken.url("trickle")
    write("requirements.txt", "requests\n")
    start = time.monotonic()
    code, out, err = run(capsys, deps_hook.main, *on(url), "--timeout", "1", "requirements.txt")
    elapsed = time.monotonic() - start
    assert (code, out) == (2, [])
    assert err == [f"{HOOK_LINE}cannot reach index {url.rstrip('/')}: timed out{FIX}"]
    assert elapsed < 4  # the whole page would take 40 s; one request may take 1 s (retries none)


def test_the_whole_run_has_a_budget(broken: BrokenIndex, capsys: Any) -> None:
    url = broken.url("slow")
    names = [f"slow-name-{i}" for i in range(200)]
    write("requirements.txt", "\n".join(names) + "\n")
    start = time.monotonic()
    # each answer takes 0.25 s, half the 0.5 s timeout; 200 of them over 8 connections take
    # 6 s, twice the run's budget of 6 x 0.5 s
    code, out, err = run(capsys, deps_hook.main, *on(url), "--timeout", "0.5", "requirements.txt")
    elapsed = time.monotonic() - start
    assert (code, out) == (2, [])
    assert len(err) == 1 and "timed out" in err[0]
    assert elapsed < 3 + 1.5


def test_the_budget_is_named_when_it_runs_out(broken: BrokenIndex) -> None:
    from hooks._deps.pkgindex import Client, Index, IndexUnavailable

    client = Client(timeout=0.5)
    start = time.monotonic()
    answers = client.lookup_many([(Index(broken.url("slow")), f"budget-{i}") for i in range(200)])
    assert time.monotonic() - start < 3 + 1.5
    spent = [a for a in answers.values() if isinstance(a, IndexUnavailable) and "network budget" in str(a)]
    assert spent and str(spent[0]).endswith("timed out (the run's 3 s network budget, 6 x --timeout, is spent)")


def test_undeclared_imports_is_bounded_too(broken: BrokenIndex, capsys: Any) -> None:
    url = broken.url("trickle")
    write("pyproject.toml", '[project]\nname = "x"\ndependencies = []\n')
    write("app.py", "import not_installed_anywhere_xyz\n")
    start = time.monotonic()
    code, out, err = run(capsys, imports_hook.main, "--index-url", url, "--timeout", "1", "app.py")
    assert time.monotonic() - start < 4
    assert code == 2 and len(err) == 1 and "timed out" in err[0]


# --- answers that are not answers -----------------------------------------------------


@pytest.mark.parametrize(
    ("mode", "reason"),
    [
        ("truncated", "cannot reach index {url}: IncompleteRead"),
        ("garbagehtml", "sent an unreadable answer for `requests` (UnicodeDecodeError)"),
        ("plaintext", "sent an unreadable answer for `requests` (ValueError)"),
    ],
)
def test_a_cut_or_garbled_page_is_an_index_error_not_no_releases(
    broken: BrokenIndex, capsys: Any, mode: str, reason: str
) -> None:
    url = broken.url(mode)
    write("requirements.txt", "requests==2.32.0\n")
    code, out, err = run(capsys, deps_hook.main, *on(url), "--timeout", "2", "requirements.txt")
    assert out == []  # never DG102 "matches no release" or DG103 "no release files"
    assert code == 2 and len(err) == 1
    assert reason.format(url=url.rstrip("/")) in err[0]
    code, out, err = run(capsys, deps_hook.main, *on(url), "--timeout", "2", "--on-network-error=warn", "requirements.txt")
    assert (code, out) == (0, [])
    assert err[0].startswith("check-hallucinated-deps: warning: ") and err[0].endswith("1 name(s) not checked")


def test_an_index_that_404s_everything_is_a_wrong_url_not_hallucinations(broken: BrokenIndex, capsys: Any) -> None:
    url = broken.url("wrong-path")
    write("requirements.txt", "requests\nattrs\nnumpy\n")
    code, out, err = run(capsys, deps_hook.main, *on(url), "requirements.txt")
    assert (code, out) == (2, [])
    assert err == [
        f"{HOOK_LINE}index {url.rstrip('/')} has none of the names and its root answers HTTP 404 too: "
        f"the index URL looks wrong (a Simple API URL usually ends in /simple/){FIX}"
    ]
    code, out, err = run(capsys, deps_hook.main, *on(url), "--on-network-error=warn", "requirements.txt")
    assert (code, out) == (0, [])
    assert len(err) == 1 and "the index URL looks wrong" in err[0] and err[0].endswith("3 name(s) not checked")
    # nothing was cached from the wrong URL: the next run asks again (and fails again)
    assert run(capsys, deps_hook.main, *on(url), "requirements.txt")[0] == 2


def test_every_name_missing_on_a_good_index_is_still_dg101(index: str, capsys: Any) -> None:
    write("requirements.txt", "ghost-one\nghost-two\n")
    code, out, err = run(capsys, deps_hook.main, *on(index), "requirements.txt")
    assert code == 1 and err == []
    assert [line.split(" ")[1] for line in out] == ["DG101", "DG101"]


# --- a doctored cache -----------------------------------------------------------------


def _entry_path(url: str, name: str) -> Path:
    from hooks._deps.pkgindex import DiskCache, Index

    return Path(DiskCache().path(Index(url), name))


def _good_entry(found: bool = True) -> dict[str, Any]:
    return {
        "fetched": time.time(), "ttl": 3600.0,
        "project": {"found": found, "versions": ["2.32.0"], "first_upload": None, "files": 1, "tracks": []},
    }


def _corrupt(kind: str) -> Any:
    entry = _good_entry()
    if kind == "first_upload-text":
        entry["project"]["first_upload"] = "last tuesday"
    elif kind == "first_upload-future":
        entry["project"]["first_upload"] = time.time() + 10 * 365 * 86400.0
    elif kind == "fetched-future":
        entry = _good_entry(found=False)  # "not found", dated ten years ahead: never expires
        entry["fetched"] = time.time() + 10 * 365 * 86400.0
    elif kind == "ttl-huge":
        entry = _good_entry(found=False)
        entry["ttl"] = 1e300
    elif kind == "versions-string":
        entry["project"]["versions"] = "2.32.0"
    elif kind == "versions-numbers":
        entry["project"]["versions"] = [2.32, None]
    elif kind == "files-text":
        entry["project"]["files"] = "many"
    elif kind == "project-list":
        entry["project"] = ["found"]
    elif kind == "found-text":
        entry["project"]["found"] = "no"
    elif kind == "top-list":
        entry = [1, 2, 3]
    elif kind == "nan":
        entry["fetched"] = float("nan")
    return entry


CORRUPTIONS = [
    "first_upload-text", "first_upload-future", "fetched-future", "ttl-huge", "versions-string",
    "versions-numbers", "files-text", "project-list", "found-text", "top-list", "nan",
]


@pytest.mark.parametrize("kind", CORRUPTIONS)
def test_a_corrupt_cache_entry_is_a_miss(index: str, capsys: Any, kind: str) -> None:
    write("requirements.txt", "requests\n")  # no pin: nothing but the entry decides
    path = _entry_path(index, "requests")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(_corrupt(kind)))
    # the real index has requests 2.31.0 and 2.32.0: asked again, all is well
    assert run(capsys, deps_hook.main, *on(index), "requirements.txt") == (0, [], [])
    # and the entry was rewritten with the real answer
    assert json.loads(path.read_text())["project"]["versions"] == ["2.31.0", "2.32.0"]


def test_a_cache_entry_that_is_a_device_or_huge_is_a_miss(index: str, capsys: Any) -> None:
    write("requirements.txt", "requests\nattrs\n")
    device = _entry_path(index, "requests")
    device.parent.mkdir(parents=True, exist_ok=True)
    device.symlink_to("/dev/zero")
    huge = _entry_path(index, "attrs")
    huge.write_bytes(b'{"fetched": 1, "ttl": 1, "project": {"versions": [' + b'"1",' * 2_000_000 + b'"2"]}}')
    start = time.monotonic()
    assert run(capsys, deps_hook.main, *on(index), "requirements.txt") == (0, [], [])
    assert time.monotonic() - start < 20


def test_offline_with_a_corrupt_entry_checks_nothing_rather_than_guess(index: str, capsys: Any) -> None:
    write("requirements.txt", "requests\n")
    path = _entry_path(index, "requests")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(_corrupt("fetched-future")))
    code, out, err = run(capsys, deps_hook.main, *on(index), "--offline", "requirements.txt")
    assert (code, out) == (0, [])
    assert err == ["check-hallucinated-deps: warning: --offline: 1 name(s) not in the cache were not checked"]
