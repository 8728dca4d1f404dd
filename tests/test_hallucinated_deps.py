"""check-hallucinated-deps against real indexes: `pypiserver` processes on loopback
holding wheels built here, a broken Simple API server, file:// trees, and (one test)
the default index pip uses."""
from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path
from typing import Any, Iterator

import pytest

from hooks import check_hallucinated_deps as hook
from _deps_support import (
    BrokenIndex, guarded_pypiserver, isolated_env, json_project, make_wheel, pypiserver, write,
)

ROOT = Path(__file__).resolve().parent.parent

PUBLIC_WHEELS = [
    ("requests", "2.31.0"), ("requests", "2.32.0"), ("requestss", "0.0.1"),
    ("acme-utils", "9.0.0"), ("mirror-lib", "1.0.0"), ("mirror-lib", "1.1.0"),
    ("setuptools", "70.0.0"), ("setuptools", "71.0.0"), ("fresh-lib", "1.0.0"), ("fresh-lib", "1.1.0"),
    ("psycopg2", "2.9.9"), ("psycopg2", "2.9.10"), ("mirror-lab", "1.0.0"), ("mirror-lab", "2.0.0"),
]
PRIVATE_WHEELS = [
    ("acme-utils", "1.0.0"), ("acme-utils", "1.1.0"), ("internal-only", "1.0.0"),
    ("internal-only", "2.0.0"), ("mirror-lib", "1.0.0"), ("single-internal", "0.0.1"),
]


@pytest.fixture(scope="module")
def servers(tmp_path_factory: Any) -> Iterator[dict[str, Any]]:
    base = tmp_path_factory.mktemp("indexes")
    public_dir, private_dir = base / "public", base / "private"
    public_dir.mkdir()
    private_dir.mkdir()
    for name, version in PUBLIC_WHEELS:
        make_wheel(str(public_dir), name, version)
    for name, version in PRIVATE_WHEELS:
        make_wheel(str(private_dir), name, version)
    password = secrets.token_hex(8)  # made at run time: no credential lives in the repo
    broken = BrokenIndex()
    with pypiserver(str(public_dir)) as public, pypiserver(str(private_dir)) as private, \
            guarded_pypiserver(str(private_dir), "alice", password) as guarded:
        yield {"public": public.url, "private": private.url, "guarded": guarded, "password": password,
               "broken": broken}
    broken.stop()


@pytest.fixture(autouse=True)
def isolated(monkeypatch: Any, tmp_path: Path) -> Path:
    isolated_env(monkeypatch, tmp_path)
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    return work


def run(capsys: Any, *argv: str) -> tuple[int, list[str], list[str]]:
    code = hook.main(list(argv))
    out, err = capsys.readouterr()
    return code, out.splitlines(), err.splitlines()


def public_args(servers: dict[str, Any]) -> list[str]:
    return ["--index-url", servers["public"], "--public-index-url", servers["public"]]


# --- names, versions, look-alikes ---------------------------------------------------


def test_requirements_file_findings_point_at_each_line(servers: dict[str, Any], capsys: Any) -> None:
    write("requirements.txt", """
        requests==2.32.0
        requests==2.99.0
        no-such-pkg-xyz>=1
        attr==23.1
        -e ./local
        thing @ https://example.invalid/thing-1.0.whl
        ./vendor/other-1.0-py3-none-any.whl
        requestss
        Requests[socks] >= 2.31 ; python_version >= "3.8"
        """)
    code, out, err = run(capsys, *public_args(servers), "requirements.txt")
    public = servers["public"].rstrip("/")
    assert out == [
        "requirements.txt:2:1: DG102 `requests==2.99.0` matches no release on the index (latest: 2.32.0)",
        f"requirements.txt:3:1: DG101 `no-such-pkg-xyz` is not on the index ({public}): likely hallucinated",
        "requirements.txt:4:1: DG106 `attr` is the import name of `attrs`; declare `attrs` "
        "(the project published as `attr`, if any, is a different one)",
        "requirements.txt:8:1: DG103 `requestss` exists but looks suspicious: only one release (0.0.1), "
        "placeholder version; check it is the project you meant",
        "requirements.txt:8:1: DG104 `requestss` is a near-miss of the widely used `requests`: check the spelling",
    ]
    assert code == 1 and err == []


def test_import_names_declared_as_distributions(servers: dict[str, Any], capsys: Any) -> None:
    write("requirements.txt", "pil\nPyYAML\nyaml>=6\npsycopg2\nsklearn\n")
    code, out, _ = run(capsys, *public_args(servers), "requirements.txt")
    assert [line.split(" (")[0] for line in out] == [
        "requirements.txt:1:1: DG106 `pil` is the import name of `Pillow`; declare `Pillow`",
        "requirements.txt:2:1: DG101 `PyYAML` is not on the index",
        "requirements.txt:3:1: DG106 `yaml` is the import name of `PyYAML`; declare `PyYAML`",
        "requirements.txt:5:1: DG106 `sklearn` is the import name of `scikit-learn`; declare `scikit-learn`",
    ]


def test_clean_manifest_is_quiet(servers: dict[str, Any], capsys: Any) -> None:
    write("requirements.txt", "requests>=2.31\nmirror-lib~=1.0\nsetuptools<71\n")
    assert run(capsys, *public_args(servers), "requirements.txt") == (0, [], [])


def test_unknown_name_suggests_the_popular_one(servers: dict[str, Any], capsys: Any) -> None:
    write("requirements.txt", "reqeusts\n")
    code, out, _ = run(capsys, *public_args(servers), "requirements.txt")
    public = servers["public"].rstrip("/")
    assert out == [
        f"requirements.txt:1:1: DG101 `reqeusts` is not on the index ({public}): likely hallucinated; "
        "did you mean `requests`?"
    ]


def test_near_miss_of_another_declared_dependency(servers: dict[str, Any], capsys: Any) -> None:
    write("requirements.txt", "fresh-lib\nfresh-lb\n")
    code, out, _ = run(capsys, *public_args(servers), "requirements.txt")
    assert out == [
        f"requirements.txt:2:1: DG101 `fresh-lb` is not on the index ({servers['public'].rstrip('/')}): "
        "likely hallucinated"
    ]
    write("requirements.txt", "mirror-lib\nmirror-lib2\n")
    # mirror-lib2 does not exist: only a DG101; near-misses are judged among existing names
    code, out, _ = run(capsys, *public_args(servers), "requirements.txt")
    assert [line.split(" ")[1] for line in out] == ["DG101"]
    write("requirements.txt", "mirror-lib\nmirror-lab\n")
    code, out, _ = run(capsys, *public_args(servers), "requirements.txt")
    assert out == [
        "requirements.txt:1:1: DG104 `mirror-lib` is a near-miss of `mirror-lab`, also declared: check the spelling",
        "requirements.txt:2:1: DG104 `mirror-lab` is a near-miss of `mirror-lib`, also declared: check the spelling",
    ]


def test_includes_point_at_the_included_file(servers: dict[str, Any], capsys: Any) -> None:
    write("requirements/base.txt", "requests\nghost-package-abc\n")
    write("requirements/dev.txt", "-r base.txt\n-c constraints.txt\nrequests==2.31.0\n")
    write("requirements/constraints.txt", "# pins\nmirror-lib==7.0\n")
    code, out, _ = run(capsys, *public_args(servers), "requirements/dev.txt")
    public = servers["public"].rstrip("/")
    assert out == [
        f"requirements/base.txt:2:1: DG101 `ghost-package-abc` is not on the index ({public}): likely hallucinated",
        "requirements/constraints.txt:2:1: DG102 `mirror-lib==7.0` matches no release on the index (latest: 1.1.0)",
    ]
    assert code == 1


def test_pyproject_every_table(servers: dict[str, Any], capsys: Any) -> None:
    write("pyproject.toml", """
        [build-system]
        requires = ["setuptools>=70", "ghost-backend"]

        [project]
        name = "demo"
        dependencies = [
            "requests>=2",
            "ghost-runtime",  # not on the index
        ]

        [project.optional-dependencies]
        cli = ["ghost-extra"]

        [dependency-groups]
        test = ["ghost-test", {include-group = "lint"}]
        lint = ["requests==1.0"]

        [tool.poetry.dependencies]
        python = "^3.9"
        ghost-poetry = "^1.0"
        requests = "^3.0"
        local-thing = {path = "../local"}

        [tool.poetry.group.dev.dependencies]
        ghost-poetry-dev = {version = "*"}
        """)
    code, out, _ = run(capsys, *public_args(servers), "pyproject.toml")
    assert [line.split(" DG")[0] + " DG" + line.split(" DG")[1][:3] for line in out] == [
        "pyproject.toml:2:32: DG101",
        "pyproject.toml:8:6: DG101",
        "pyproject.toml:12:9: DG101",
        "pyproject.toml:15:10: DG101",
        "pyproject.toml:16:10: DG102",
        "pyproject.toml:20:1: DG101",
        "pyproject.toml:21:1: DG102",
        "pyproject.toml:25:1: DG101",
    ]
    assert "`requests>=3.0,<4` matches no release" in out[6]


def test_setup_cfg_pre_commit_config_and_inline_script(servers: dict[str, Any], capsys: Any) -> None:
    write("setup.cfg", """
        [metadata]
        name = demo

        [options]
        install_requires =
            requests>=2
            ghost-cfg
        [options.extras_require]
        test = ghost-cfg-extra
        """)
    write(".pre-commit-config.yaml", """
        repos:
          - repo: https://example.invalid/mirrors-mypy
            rev: v1.0
            hooks:
              - id: mypy
                additional_dependencies: [requests, ghost-types]
          - repo: https://example.invalid/mirrors-eslint
            rev: v9.0
            hooks:
              - id: eslint
                additional_dependencies: ["eslint@9.0.0", "eslint-plugin-ghost"]
          - repo: local
            hooks:
              - id: tsc
                name: tsc
                entry: tsc
                language: node
                additional_dependencies: [typescript-ghost]
        """)
    write("tool.py", """
        # /// script
        # requires-python = ">=3.11"
        # dependencies = [
        #   "requests<3",
        #   "ghost-script",
        # ]
        # ///
        import requests
        """)
    code, out, _ = run(capsys, *public_args(servers), "setup.cfg", ".pre-commit-config.yaml", "tool.py")
    assert [line.split(": ")[0] + ": " + line.split(": ")[1].split(" ")[0] + " " + line.split("`")[1] for line in out] == [
        ".pre-commit-config.yaml:6:45: DG101 ghost-types",
        "setup.cfg:7:5: DG101 ghost-cfg",
        "setup.cfg:9:8: DG101 ghost-cfg-extra",
        "tool.py:5:6: DG101 ghost-script",
    ]


# --- private indexes, confusion, auth -----------------------------------------------


def test_private_and_public_index_dependency_confusion(servers: dict[str, Any], capsys: Any) -> None:
    # single-internal (one 0.0.1 release) is only on the private index: an internal package,
    # not a squat, so no DG103 for it
    write("requirements.txt", "acme-utils==1.1.0\ninternal-only>=2\nmirror-lib==1.0.0\nrequests\nsingle-internal\n")
    private = servers["private"].rstrip("/")
    public = servers["public"].rstrip("/")
    code, out, err = run(
        capsys, "--index-url", servers["private"], "--extra-index-url", servers["public"],
        "--public-index-url", servers["public"], "requirements.txt",
    )
    assert out == [
        # the public acme-utils is a one-release squat: both findings
        "requirements.txt:1:1: DG103 `acme-utils` exists but looks suspicious: only one release (9.0.0); "
        "check it is the project you meant",
        f"requirements.txt:1:1: DG105 `acme-utils` is on {private} and also on the public index {public}: "
        "pip takes the highest version from either (dependency confusion); publish a placeholder or use "
        "only one index for it"
    ]
    assert code == 1 and err == []


def test_index_url_inside_requirements_file_is_used(servers: dict[str, Any], capsys: Any) -> None:
    write("requirements.txt", f"--index-url {servers['private']}\ninternal-only\n")
    assert run(capsys, "--public-index-url", servers["public"], "requirements.txt") == (0, [], [])
    # the command line wins over the file: the public index has no internal-only
    code, out, _ = run(capsys, *public_args(servers), "requirements.txt")
    assert code == 1 and "DG101 `internal-only`" in out[0]


def test_pip_environment_and_pip_config_file_choose_the_index(
    servers: dict[str, Any], capsys: Any, monkeypatch: Any, tmp_path: Path
) -> None:
    write("requirements.txt", "internal-only\n")
    monkeypatch.setenv("PIP_INDEX_URL", servers["private"])
    assert run(capsys, "--public-index-url", servers["public"], "requirements.txt") == (0, [], [])
    monkeypatch.delenv("PIP_INDEX_URL")
    conf = tmp_path / "pip.conf"
    conf.write_text(f"[global]\nindex-url = {servers['public']}\nextra-index-url = {servers['private']}\n")
    monkeypatch.setenv("PIP_CONFIG_FILE", str(conf))
    write("requirements.txt", "internal-only\nacme-utils\n")
    code, out, _ = run(capsys, "--public-index-url", servers["public"], "requirements.txt")
    assert [line.split(" ")[1:3] for line in out] == [["DG103", "`acme-utils`"], ["DG105", "`acme-utils`"]]


def test_config_file_keys(servers: dict[str, Any], capsys: Any) -> None:
    write("pyproject.toml", f"""
        [project]
        name = "demo"
        dependencies = ["internal-only"]

        [tool.driftgate.check-hallucinated-deps]
        index-url = "{servers['public']}"
        extra-index-url = ["{servers['private']}"]
        public-index-url = "{servers['public']}"
        min-age-days = 30
        timeout = 5.0
        on-network-error = "error"
        """)
    assert run(capsys, "pyproject.toml") == (0, [], [])


def test_credentials_from_url_and_netrc_never_printed(
    servers: dict[str, Any], capsys: Any, tmp_path: Path, monkeypatch: Any
) -> None:
    guarded, password = servers["guarded"], servers["password"]
    write("requirements.txt", "internal-only\nghost-private\n")
    # no credentials: the index refuses, exit 2 with one line
    code, out, err = run(capsys, "--index-url", guarded.url, "--public-index-url", guarded.url, "requirements.txt")
    assert code == 2 and out == []
    assert err == [
        f"check-hallucinated-deps: error: index {guarded.url.rstrip('/')} refused access (HTTP 401); put the "
        "credentials in the index URL or in ~/.netrc; fix the index URL or network, or pass --offline "
        "(cache only) or --on-network-error=warn"
    ]
    with_creds = f"http://alice:{password}@127.0.0.1:{guarded.port}/simple/"
    code, out, err = run(capsys, "--index-url", with_creds, "--public-index-url", guarded.url, "requirements.txt")
    assert code == 1 and len(out) == 1 and "DG101 `ghost-private`" in out[0]
    assert password not in "\n".join(out + err) and "alice" not in "\n".join(out + err)
    # ~/.netrc (a fresh cache, so the index is really asked)
    monkeypatch.setenv("DRIFTGATE_CACHE_DIR", str(tmp_path / "cache2"))
    netrc = tmp_path / "home" / ".netrc"
    netrc.write_text(f"machine 127.0.0.1 login alice password {password}\n")
    netrc.chmod(0o600)
    code, out, err = run(capsys, "--index-url", guarded.url, "--public-index-url", guarded.url, "requirements.txt")
    assert code == 1 and "DG101 `ghost-private`" in out[0] and err == []


# --- an index that is down, slow or broken ------------------------------------------


@pytest.mark.parametrize(
    ("mode", "reason"),
    [
        ("500", "answered HTTP 500 for `requests`"),
        ("hang", "cannot reach index {url}: timed out"),
        ("close", "cannot reach index {url}: "),
        ("garbage", "sent `application/octet-stream` for `requests`, not a Simple Repository API page; check the index URL"),
        ("badjson", "sent an unreadable answer for `requests` (JSONDecodeError)"),
    ],
)
def test_broken_index_exits_2_with_one_line(servers: dict[str, Any], capsys: Any, mode: str, reason: str) -> None:
    url = servers["broken"].url(mode)
    write("requirements.txt", "requests\n")
    code, out, err = run(capsys, "--index-url", url, "--public-index-url", url, "--timeout", "0.5", "requirements.txt")
    assert code == 2 and out == []
    assert len(err) == 1 and err[0].startswith("check-hallucinated-deps: error: ")
    assert reason.format(url=url.rstrip("/")) in err[0]
    assert err[0].endswith("or pass --offline (cache only) or --on-network-error=warn")
    # warn: the check goes on without that index
    code, out, err = run(
        capsys, "--index-url", url, "--public-index-url", url, "--timeout", "0.5",
        "--on-network-error=warn", "requirements.txt",
    )
    assert code == 0 and out == []
    assert len(err) == 1 and err[0].startswith("check-hallucinated-deps: warning: ")
    assert err[0].endswith("1 name(s) not checked")


def test_unreachable_port_in_a_subprocess_has_no_traceback(tmp_path: Path) -> None:
    from _deps_support import free_port

    Path("requirements.txt").write_text("requests\n")
    url = f"http://127.0.0.1:{free_port()}/simple/"
    proc = subprocess.run(
        [sys.executable, "-m", "hooks.check_hallucinated_deps", "--index-url", url, "requirements.txt"],
        capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert proc.returncode == 2 and proc.stdout == ""
    assert proc.stderr.splitlines() == [
        f"check-hallucinated-deps: error: cannot reach index {url.rstrip('/')}: connection refused; fix the "
        "index URL or network, or pass --offline (cache only) or --on-network-error=warn"
    ]


def test_pep_691_json_index_with_upload_times(servers: dict[str, Any], capsys: Any) -> None:
    import datetime

    broken = servers["broken"]
    now = datetime.datetime.now(datetime.timezone.utc)
    old = (now - datetime.timedelta(days=400)).isoformat().replace("+00:00", "Z")
    new = (now - datetime.timedelta(days=2)).isoformat()
    broken.projects["seasoned"] = json_project("seasoned", {"1.0": old, "2.0": old})
    broken.projects["brand-new"] = json_project("brand-new", {"0.0.0": new})
    url = broken.url("json")
    write("requirements.txt", "seasoned==2.0\nbrand-new\nseasoned==3\n")
    code, out, _ = run(capsys, "--index-url", url, "--public-index-url", url, "requirements.txt")
    assert out == [
        "requirements.txt:2:1: DG103 `brand-new` exists but looks suspicious: first uploaded 2 day(s) ago "
        "(min-age-days 14), only one release (0.0.0), placeholder version; check it is the project you meant",
        "requirements.txt:3:1: DG102 `seasoned==3` matches no release on the index (latest: 2.0)",
    ]
    code, out, _ = run(capsys, "--index-url", url, "--public-index-url", url, "--min-age-days", "1", "requirements.txt")
    assert "first uploaded" not in out[0]


def test_file_tree_index(capsys: Any, tmp_path: Path) -> None:
    tree = tmp_path / "simple"
    (tree / "local-pkg").mkdir(parents=True)
    (tree / "local-pkg" / "index.html").write_text(
        '<html><body><a href="../../f/local_pkg-1.2.0.tar.gz#sha256=00">local_pkg-1.2.0.tar.gz</a>'
        '<a href="../../f/local_pkg-1.3.0-py3-none-any.whl">local_pkg-1.3.0-py3-none-any.whl</a></body></html>'
    )
    write("requirements.txt", "local-pkg==1.2.0\nlocal-pkg>=2\nnot-in-tree\n")
    url = tree.as_uri()
    code, out, _ = run(capsys, "--index-url", url, "--public-index-url", url, "requirements.txt")
    assert out == [
        "requirements.txt:2:1: DG102 `local-pkg>=2` matches no release on the index (latest: 1.3.0)",
        f"requirements.txt:3:1: DG101 `not-in-tree` is not on the index ({url}): likely hallucinated",
    ]



def test_file_tree_index_is_read_once_per_process_without_threads(tmp_path: Path, monkeypatch: Any) -> None:
    """A file:// index (a mirror on disk) is read in place: every name once per process,
    however many questions the hooks of one `driftgate run` ask, and with no thread (starting
    one costs more than reading a small page: ~40 ms of a commit on a machine whose pip
    config lists file:// indexes)."""
    from concurrent import futures

    from hooks._deps.pkgindex import Client, Index, lookup_names

    tree = tmp_path / "simple"
    names = [f"tree-pkg-{i}" for i in range(12)]
    for name in names:
        (tree / name).mkdir(parents=True)
        wheel = f"{name.replace('-', '_')}-1.0-py3-none-any.whl"
        (tree / name / "index.html").write_text(f'<a href="{wheel}">{wheel}</a>')

    def no_pool(*args: Any, **kwargs: Any) -> Any:  # the assertion: no pool is started
        raise AssertionError("a thread pool for file:// lookups")

    monkeypatch.setattr(futures, "ThreadPoolExecutor", no_pool)
    client, index = Client(), Index(tree.as_uri())
    first = lookup_names(client, [index], [*names, "not-in-tree"])
    assert [name for name, lookup in first.items() if lookup.found_on] == names
    assert first["tree-pkg-3"].versions == ("1.0",)
    (tree / "tree-pkg-3").rename(tree / "moved")  # the same process asks again: from memory
    again = lookup_names(client, [index], ["tree-pkg-3"])
    assert again["tree-pkg-3"].versions == ("1.0",)
    assert lookup_names(Client(), [index], ["tree-pkg-3"])["tree-pkg-3"].found_on == []  # a new run reads the tree


# --- the cache ----------------------------------------------------------------------


def test_warm_cache_answers_without_the_index(capsys: Any, tmp_path: Path) -> None:
    directory = tmp_path / "pkgs"
    directory.mkdir()
    make_wheel(str(directory), "cached-lib", "1.0")
    make_wheel(str(directory), "cached-lib", "1.1")
    write("requirements.txt", "cached-lib\nghost-cached\n")
    with pypiserver(str(directory)) as server:
        args = ["--index-url", server.url, "--public-index-url", server.url, "requirements.txt"]
        first = run(capsys, *args)
    assert first[0] == 1 and "DG101 `ghost-cached`" in first[1][0]
    assert run(capsys, *args) == first  # the server is gone: answers come from the cache
    assert run(capsys, "--offline", *args) == first
    files = sorted(p.name for p in (tmp_path / "cache" / "index-v1").rglob("*.json"))
    assert files == ["cached-lib.json", "ghost-cached.json"]
    # a damaged cache file is a miss, not a crash: the (stopped) index is asked again
    next((tmp_path / "cache").rglob("cached-lib.json")).write_text("{not json")
    code, out, err = run(capsys, *args)
    assert code == 2 and "cannot reach index" in err[0]


def test_offline_without_cache_warns_and_checks_nothing(capsys: Any) -> None:
    write("requirements.txt", "requests\n")
    code, out, err = run(capsys, "--offline", "--index-url", "http://127.0.0.1:9/simple/",
                         "--public-index-url", "http://127.0.0.1:9/simple/", "requirements.txt")
    assert (code, out) == (0, [])
    assert err == ["check-hallucinated-deps: warning: --offline: 1 name(s) not in the cache were not checked"]


def test_offline_gives_no_verdict_from_a_file_index_alone(capsys: Any, tmp_path: Path) -> None:
    """pip's configuration may list a file:// mirror next to the real index (this machine's
    does). With --offline and a cold cache only the mirror answers: a name it lacks is not
    "not on the index", and one release there is not the project's history. No verdict."""
    tree = tmp_path / "mirror"
    (tree / "mirror-only").mkdir(parents=True)
    wheel = "mirror_only-1.0-py3-none-any.whl"
    (tree / "mirror-only" / "index.html").write_text(f'<a href="{wheel}">{wheel}</a>')
    write("requirements.txt", "mirror-only\nnot-in-mirror\n")
    args = ["--index-url", "http://127.0.0.1:9/simple/", "--extra-index-url", tree.as_uri(),
            "--public-index-url", "http://127.0.0.1:9/simple/", "requirements.txt"]
    code, out, err = run(capsys, "--offline", *args)
    assert (code, out) == (0, [])
    assert err == ["check-hallucinated-deps: warning: --offline: 2 name(s) not in the cache were not checked"]


def test_parallel_processes_share_the_cache_safely(servers: dict[str, Any], tmp_path: Path) -> None:
    names = [f"ghost-{i}" for i in range(20)] + ["requests", "mirror-lib"]
    Path("requirements.txt").write_text("\n".join(names) + "\n")
    # pypiserver here is single-threaded (wsgiref, listen backlog 5): 4 processes at once can
    # queue a request past the 10 s default, which is the server's limit, not the cache's
    cmd = [sys.executable, "-m", "hooks.check_hallucinated_deps", *public_args(servers), "--timeout", "60",
           "requirements.txt"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    procs = [subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(4)]
    results = [p.communicate() for p in procs]
    assert [p.returncode for p in procs] == [1, 1, 1, 1], [err for _, err in results]
    assert all(len(out.splitlines()) == 20 and err == "" for out, err in results)
    cached = list((tmp_path / "cache" / "index-v1").rglob("*"))
    assert not list((tmp_path / "cache").rglob("*.tmp"))
    assert len([p for p in cached if p.suffix == ".json"]) == 22


# --- --changed-only -----------------------------------------------------------------


def test_changed_only_checks_names_the_change_adds(servers: dict[str, Any], capsys: Any) -> None:
    subprocess.run(["git", "init", "-q"], check=True)
    Path("requirements.txt").write_text("ghost-old\nrequests\n")
    subprocess.run(["git", "add", "."], check=True)
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "x"], check=True)
    Path("requirements.txt").write_text("ghost-old\nrequests\nghost-new\n")
    code, out, _ = run(capsys, *public_args(servers), "--changed-only", "requirements.txt")
    assert [line.split("`")[1] for line in out] == ["ghost-new"]
    code, out, _ = run(capsys, *public_args(servers), "requirements.txt")
    assert [line.split("`")[1] for line in out] == ["ghost-old", "ghost-new"]


# --- bad input ----------------------------------------------------------------------


def test_unreadable_manifests_are_findings_not_crashes(servers: dict[str, Any], capsys: Any) -> None:
    write("pyproject.toml", '[project]\ndependencies = ["requests",\n')
    write(".pre-commit-config.yaml", "repos:\n  - repo: x\n    hooks: [\n")
    write("requirements.txt", "-r missing.txt\nrequests ==== 2\n")
    write("setup.cfg", "[options]\ninstall_requires\n  x\n[[[\n")
    Path("requirements-bin.txt").write_bytes(b"\x00\x01\x02binary")
    write("empty/requirements.txt", "")
    write("settings.toml", "")  # the core reads ./pyproject.toml for settings: point it elsewhere
    code, out, err = run(capsys, *public_args(servers), "--config", "settings.toml", "pyproject.toml", ".pre-commit-config.yaml",
                         "requirements.txt", "setup.cfg", "requirements-bin.txt", "empty/requirements.txt")
    assert code == 1
    assert [line.split(": ", 2)[0] + ": " + line.split(": ", 2)[1][:5] for line in out] == [
        ".pre-commit-config.yaml:4:1: DG100",
        "pyproject.toml:2:1: DG100",
        "requirements.txt:1:1: DG100",
        "requirements.txt:2:1: DG100",
        "setup.cfg:2:1: DG100",
    ]
    assert out[4].endswith("DG100 invalid setup.cfg: cannot parse install_requires")
    assert "included file `missing.txt` not found" in out[2]
    assert not any("Traceback" in line for line in err)


def test_bad_option_values_exit_2(capsys: Any) -> None:
    write("requirements.txt", "requests\n")
    code, out, err = run(capsys, "--on-network-error", "ignore", "requirements.txt")
    assert code == 2 and "invalid choice: 'ignore'" in err[0]
    code, out, err = run(capsys, "--timeout", "0", "--index-url", "http://127.0.0.1:9/", "requirements.txt")
    assert code == 2 and err == ["check-hallucinated-deps: error: timeout must be positive, got 0.0"]


# --- the default index (pip's own) --------------------------------------------------


def test_default_index_knows_a_real_name_and_not_a_made_up_one(capsys: Any) -> None:
    from hooks._deps.pkgindex import Client, Index, IndexUnavailable, pip_default_index

    default = Index(pip_default_index())
    try:
        Client(timeout=5).fetch(default, "pip")
    except IndexUnavailable as exc:
        pytest.skip(f"pip's default index is unreachable from here: {exc}")
    made_up = "driftgate-made-up-" + secrets.token_hex(6)
    write("requirements.txt", f"pip\n{made_up}\n")
    code, out, err = run(capsys, "requirements.txt")
    assert code == 1 and err == []
    assert out == [
        f"requirements.txt:2:1: DG101 `{made_up}` is not on the index ({default.display}): likely hallucinated"
    ]


# --- plain requirements files take a short cut; it must agree with the full parser ---

SIMPLE_FILES = [
    "requests\nRequests[socks] >= 2.31 , <3\nnumpy==1.26.0   # pinned\n\n# comment\nfoo.bar_baz~=1.0\n",
    "x===1.0+local\na!=1.*,>0\n  indented>=1\n",
]
NOT_SIMPLE_LINES = [
    "requests ; python_version < '3.11'",  # markers: the full parser validates them
    "-r other.txt",
    "--index-url http://127.0.0.1:9/simple/",
    "thing @ https://example.invalid/thing.whl",
    "requests==2.0garbage",  # invalid: the full parser reports it (DG100)
    "a>=1.*",
    "requests==2.0 \\",
    "requests#no-space-comment",
]


@pytest.mark.parametrize("text", SIMPLE_FILES)
def test_short_cut_agrees_with_pip_requirements_parser(text: str) -> None:
    from hooks._deps import manifests

    Path("requirements.txt").write_text(text)
    lines = text.splitlines()
    fast = manifests._simple_requirements(lines)
    assert fast is not None
    slow = [
        (item.name, str(item.specifier or ""), item.line_number, manifests._name_col(lines[item.line_number - 1], item.name))
        for item in manifests._parse_requirement_lines("requirements.txt", False)
        if getattr(item, "name", None)
    ]
    assert fast == slow


@pytest.mark.parametrize("line", NOT_SIMPLE_LINES)
def test_anything_unusual_goes_to_the_full_parser(line: str) -> None:
    from hooks._deps import manifests

    assert manifests._simple_requirements(["requests", line]) is None


def test_pip_configuration_answer_is_cached_until_a_file_changes(
    servers: dict[str, Any], capsys: Any, monkeypatch: Any, tmp_path: Path
) -> None:
    conf = tmp_path / "pip.conf"
    conf.write_text(f"[global]\nindex-url = {servers['private']}\n")
    monkeypatch.setenv("PIP_CONFIG_FILE", str(conf))
    write("requirements.txt", "internal-only\n")
    args = ("--public-index-url", servers["public"], "requirements.txt")
    assert run(capsys, *args) == (0, [], [])
    assert len(list((tmp_path / "cache").glob("pip-config-*.json"))) == 1
    # same file, new content (and size): pip is asked again, so the public index is used now
    conf.write_text(f"# moved\n[global]\nindex-url = {servers['public']}\n")
    code, out, _ = run(capsys, *args)
    assert code == 1 and "DG101 `internal-only`" in out[0]


def test_interpreters_sharing_one_cache_keep_their_own_pip_answer(tmp_path: Path) -> None:
    """pre-commit's hook venv and another Python (each with its own pip) alternate on one
    cache directory: after each has run once, neither imports pip's configuration again."""
    other = tmp_path / "other-python"
    other.symlink_to(os.path.realpath(sys.executable))  # another sys.executable, with pip
    code = (
        "import sys; from hooks._deps.pkgindex import pip_settings_cached; "
        f"pip_settings_cached({str(tmp_path / 'cache')!r}); "
        "print('pip._internal.configuration' in sys.modules)"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    answers = [
        subprocess.run([python, "-c", code], capture_output=True, text=True, check=True, env=env).stdout.strip()
        for python in (sys.executable, str(other), sys.executable, str(other))
    ]
    assert answers == ["True", "True", "False", "False"]


def test_pip_default_index_comes_from_the_cache_too(tmp_path: Path) -> None:
    """With no index configured, pip's default index is the primary: it is remembered with
    pip's settings (pip's version is in the fingerprint, read from pip's `__init__.py` without
    importing it), so a warm run imports no pip module, not even `pip` itself (~1.5 ms), and
    chooses the same indexes."""
    code = (
        "import sys; from hooks._deps.pkgindex import choose_indexes; "
        "choice = choose_indexes([(None, [])]); "
        "print([i.url for i in choice.indexes], choice.public, "
        "sorted(m for m in sys.modules if m == 'pip' or m.startswith('pip.')))"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("PIP_")}
    env.update(PYTHONPATH=str(ROOT), PIP_CONFIG_FILE=os.devnull, DRIFTGATE_CACHE_DIR=str(tmp_path / "cache"))
    cold, warm = (
        subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env).stdout
        for _ in range(2)
    )
    assert "'pip._internal" in cold
    assert warm.endswith(" []\n") and warm.rsplit(" [", 1)[0] == cold.rsplit(" [", 1)[0]
    assert "://" in warm  # an index was chosen


def test_pip_cache_fingerprint_follows_pip_version_without_importing_pip(tmp_path: Path) -> None:
    """The cached pip answers are keyed by pip's version, read from pip's `__init__.py`
    (an upgrade rewrites it) instead of importing pip: another version is another key."""
    fake = tmp_path / "site" / "pip"
    fake.mkdir(parents=True)
    code = "import sys; from hooks._deps.pkgindex import _pip_fingerprint; print(_pip_fingerprint([]), 'pip' in sys.modules)"
    env = {k: v for k, v in os.environ.items() if not k.startswith("PIP_")}
    env.update(PYTHONPATH=f"{tmp_path / 'site'}{os.pathsep}{ROOT}")

    def fingerprint(version: str) -> list[str]:
        (fake / "__init__.py").write_text(f'__version__ = "{version}"\n')
        return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env).stdout.split()

    first, again, upgraded = fingerprint("24.0"), fingerprint("24.0"), fingerprint("24.1")
    assert first == again and first[1] == "False"
    assert upgraded[0] != first[0]


def test_importing_the_dependency_hooks_stays_cheap() -> None:
    """Hooks run on every commit: no network, pip, packaging or parser import until needed."""
    code = (
        "import sys; import hooks.check_hallucinated_deps, hooks.check_undeclared_imports; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in "
        "{'pip', 'packaging', 'pip_requirements_parser', 'yaml', 'http', 'ssl', 'concurrent'}))"
    )
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert proc.stdout.strip() == "[]"


def test_missing_and_undecodable_files(capsys: Any) -> None:
    Path("requirements.txt").write_bytes("caf\xe9-lib\n".encode("latin-1"))
    code, out, err = run(capsys, "--index-url", "http://127.0.0.1:9/simple/", "requirements.txt", "requirements-gone.txt")
    assert (code, out) == (2, [])
    assert err == [
        "driftgate: requirements.txt: skipped, not valid UTF-8 (invalid continuation byte at byte 3)",
        "check-hallucinated-deps: error: requirements-gone.txt: no such file",
    ]


def test_older_pip_configuration_shape(monkeypatch: Any, tmp_path: Path) -> None:
    """pip < 24's Configuration.items() yields merged (key, value) pairs, newer pip one
    (file, {key: value}) pair per file. Only the newer pip is installed here, so the older
    shape is simulated on top of the real loaded configuration."""
    from hooks._deps import pkgindex

    Configuration = pytest.importorskip("pip._internal.configuration").Configuration

    conf = tmp_path / "pip.conf"
    conf.write_text("[global]\nindex-url = http://127.0.0.1:9/simple/\n")
    monkeypatch.setenv("PIP_CONFIG_FILE", str(conf))
    newer, _ = pkgindex.pip_settings()
    real_items = Configuration.items

    def merged_pairs(self: Any) -> Any:
        merged: dict[str, Any] = {}
        for key, value in real_items(self):
            if isinstance(value, dict):
                merged.update(value)
            else:  # this pip is already the older kind
                merged[key] = value
        return merged.items()

    monkeypatch.setattr(Configuration, "items", merged_pairs)
    older, _ = pkgindex.pip_settings()
    assert older == newer and pkgindex.pip_option(older, "index-url") == "http://127.0.0.1:9/simple/"


def test_pep_708_tracks_marks_a_private_project_as_the_public_one(servers: dict[str, Any], capsys: Any) -> None:
    broken = servers["broken"]
    private = broken.url("json")
    old = "2020-01-01T00:00:00Z"
    broken.projects["acme-utils"] = json_project("acme-utils", {"1.0.0": old, "1.1.0": old})
    write("requirements.txt", "acme-utils\n")
    args = ("--index-url", private, "--extra-index-url", servers["public"], "--public-index-url",
            servers["public"], "--ignore", "DG103", "requirements.txt")
    code, out, _ = run(capsys, *args)
    assert [line.split(" ")[1] for line in out] == ["DG105"]
    broken.projects["acme-utils"]["meta"]["tracks"] = [servers["public"] + "acme-utils/"]
    Path(os.environ["DRIFTGATE_CACHE_DIR"]).rename(os.environ["DRIFTGATE_CACHE_DIR"] + "-old")
    assert run(capsys, *args) == (0, [], [])


def test_connections_are_kept_alive_and_reused(servers: dict[str, Any], capsys: Any) -> None:
    broken = servers["broken"]
    url = broken.url("json")
    names = [f"ghost-keepalive-{i}" for i in range(40)]
    write("requirements.txt", "\n".join(names) + "\n")
    before = len(broken.client_ports)
    code, out, _ = run(capsys, "--index-url", url, "--public-index-url", url, "requirements.txt")
    assert code == 1 and len(out) == 40
    ports = broken.client_ports[before:]
    # one request per name, then (every name missing) one check of the index root
    assert len(ports) == 41 and broken.requests[-1] == "/json/"
    assert len(set(ports[:40])) <= 8  # the names over at most 8 connections (the pool), each reused


def test_index_url_that_is_not_an_index(capsys: Any, tmp_path: Path) -> None:
    write("requirements.txt", "requests\n")
    missing = (tmp_path / "no-such-tree").as_uri()
    code, out, err = run(capsys, "--index-url", missing, "--public-index-url", missing, "requirements.txt")
    assert (code, out) == (2, [])
    assert err == [
        f"check-hallucinated-deps: error: index {missing} is not a directory; fix the index URL or "
        "network, or pass --offline (cache only) or --on-network-error=warn"
    ]
    code, out, err = run(capsys, "--index-url", "not-a-url", "--public-index-url", "not-a-url", "requirements.txt")
    assert (code, out) == (2, [])
    assert err[0].startswith("check-hallucinated-deps: error: index not-a-url: unsupported URL scheme ''")


# --- DG104 and established projects (issue 9, issue 16) ----------------------------

# Real look-alike pairs: every name here is a project of its own with years of releases.
ESTABLISHED_PAIRS = ["ijson", "ujson", "PyPDF2", "pypdf", "tablib", "tblib", "mkdocstrings", "mkdocstrings-python"]


@pytest.fixture(scope="module")
def history_index(tmp_path_factory: Any) -> Iterator[str]:
    """pypiserver (HTML, no upload times) with six releases of each established name and
    one release of a fresh look-alike."""
    packages = tmp_path_factory.mktemp("history")
    for name in ESTABLISHED_PAIRS:
        for minor in range(6):
            make_wheel(str(packages), name, f"1.{minor}.0")
    make_wheel(str(packages), "ijsonn", "1.0.0")
    make_wheel(str(packages), "ijsonn", "1.1.0")
    with pypiserver(str(packages)) as server:
        yield server.url


def test_no_near_miss_between_established_projects(history_index: str, capsys: Any) -> None:
    write("requirements.txt", "\n".join(ESTABLISHED_PAIRS) + "\nijsonn\n")
    code, out, _ = run(capsys, "--index-url", history_index, "--public-index-url", history_index, "requirements.txt")
    # only the thin newcomer is a look-alike (of ijson, also declared)
    assert out == [
        "requirements.txt:9:1: DG104 `ijsonn` is a near-miss of `ijson`, also declared: check the spelling",
    ]


def test_age_from_the_index_decides_when_it_tells_upload_times(servers: dict[str, Any], capsys: Any) -> None:
    """PEP 700 upload times: many releases in a few weeks is not a history."""
    import datetime

    broken = servers["broken"]
    now = datetime.datetime.now(datetime.timezone.utc)
    stamp = lambda days: (now - datetime.timedelta(days=days)).isoformat()  # noqa: E731
    broken.projects["ujsno"] = json_project("ujsno", {f"1.{i}": stamp(30 - i) for i in range(8)})
    broken.projects["ijson"] = json_project("ijson", {f"3.{i}": stamp(4000 - 300 * i) for i in range(8)})
    url = broken.url("json")
    write("requirements.txt", "ujsno\nijson\n")
    code, out, _ = run(capsys, "--index-url", url, "--public-index-url", url, "requirements.txt")
    assert out == [
        "requirements.txt:1:1: DG104 `ujsno` is a near-miss of the widely used `ujson`: check the spelling",
    ]


PLAIN_AND_ODD_REQUIREMENTS = [
    "requests", "requests>=2.22.0", "requests[socks]>=2.22.0", "Pygments >= 2.5.2", "a <2 , >=1",
    "a[x,y]", "a[]", "a[x,,y]", "a>=1,>=1", "a==1.0.*", "a~=1.0", "a===foo", 'a>=1; python_version<"3.8"',
    "a @ https://example.invalid/a.whl", "a (>=1)", "a>=2.0-foo", "zope.interface>=5", "a_b-c.d>1",
    "a>=1 # c", "a>=", "-e .", "a >= 1.0 ,< 2.0", "a>=1.0a1", "a==1.0+local",
    "colorama>=0.2.4; sys_platform==\"win32\"", "b ; python_version < '3.8' and os_name != \"nt\"",
    "c>=1;extra=='test'", "d; platform_machine in 'x86_64 aarch64'", "e; os_name not in 'nt'",
    "f; python_version<\"3.8\" or (os_name=='nt')", "g; bogus_var == '1'", "h; python_version <",
    "i; python_version == '3' and", "j;python_full_version>='3.9.1'", "k; 'nt' == os_name",
    "l; implementation_name=='cpython' or platform_python_implementation=='PyPy'",
]


@pytest.mark.parametrize("text", PLAIN_AND_ODD_REQUIREMENTS)
def test_requirement_strings_read_as_packaging_reads_them(text: str) -> None:
    """pyproject/setup.cfg requirement strings are read without packaging.requirements when
    they are plain; the answer is packaging's own, to the character (or an error likewise)."""
    from packaging.requirements import InvalidRequirement, Requirement

    from hooks._deps.manifests import parse_requirement

    try:
        req = Requirement(text)
        expected: Any = None if req.url else (req.name, str(req.specifier))
    except InvalidRequirement:
        expected = str
    got = parse_requirement(text)
    assert isinstance(got, str) if expected is str else got == expected


def test_a_plain_pyproject_is_read_without_packaging_requirements(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "x"\ndependencies = ["requests[socks] >=2.22, <3", "rich"]\n')
    code = (
        "import sys; from hooks._deps.manifests import read_all; "
        "m = read_all(['pyproject.toml']); "
        "print([(d.name, d.spec) for d in m.declared], 'packaging.requirements' in sys.modules)"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True, check=True).stdout
    assert out == "[('requests', '<3,>=2.22'), ('rich', '')] False\n"


def _reference_find(lines: list[str], claimed: set[tuple[int, int]], name: str) -> tuple[int, int]:
    """The locator as it was written first (one regex per name over every line): the oracle
    for the one-scan locator, which must answer the same on any text."""
    import re

    from hooks._deps.pkgindex import normalize

    pattern = re.compile(
        r"(?<![A-Za-z0-9._-])" + r"[-_.]+".join(map(re.escape, normalize(name).split("-")))
        + r"(?![A-Za-z0-9_-])", re.I,
    )
    for number, text in enumerate(lines, 1):
        if text.lstrip().startswith("#"):
            continue
        for match in pattern.finditer(text):
            hash_at = text.find("#")
            in_comment = 0 <= hash_at < match.start() and text[:hash_at].count('"') % 2 == 0
            if (number, match.start()) not in claimed and not in_comment:
                claimed.add((number, match.start()))
                return number, match.start() + 1
    return 1, 1


def test_declared_names_are_located_as_the_per_name_regex_located_them() -> None:
    """Where a declared name is written (the finding's line and column): one scan of each
    line for every name gives exactly what a regex per name gave, on random text with
    separators, case, comments, quotes and a non-ASCII letter that re.I folds onto `s`."""
    import random

    from hooks._core.files import SourceFile
    from hooks._deps.manifests import Locator

    rng = random.Random(15)
    alphabet = ["req", "uests", "a", "B", "-", "_", ".", ".", " ", "#", '"', "=", ">", "1", "[", "]", "\u017f", "x"]
    names = ["requests", "a", "a-b", "req-uests", "x.a", "b_1", "reque-sts", "ab", "1", "a--b"]
    for _ in range(300):
        lines = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 14))) for _ in range(rng.randint(1, 6))]
        locator, claimed = Locator(SourceFile("pyproject.toml", "\n".join(lines) + "\n")), set()
        for name in [rng.choice(names) for _ in range(6)]:
            assert locator.find(name) == _reference_find(locator.source.lines, claimed, name), (lines, name)
