"""Fault corpus (issue 10): hostile input, index faults and bad values against every hook,
each case a real process with a deadline. Prints one line per defect and a summary of cases
tried and defects by kind; exits 1 when there is any defect.

    python benchmarks/fault_corpus.py [--only SUBSTRING] [-v]

Defect kinds: traceback (a Python traceback on stderr), crash (exit 3: the guard caught a
bug), hang (past the case's deadline), leak (a planted secret or file line in the output or
the cache), exit (an exit status the contract does not allow for that case), noisy (an exit 2
whose stderr is not one line). Fault servers are the test suite's loopback ones
(tests/_deps_support.py); nothing leaves the machine.
"""
from __future__ import annotations

import argparse
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Sequence

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from _deps_support import BrokenIndex, make_wheel, pypiserver  # noqa: E402

SECRET = "LEAKME-" + secrets.token_hex(6)  # planted in files and URLs; must never come out


@dataclass
class Case:
    name: str
    kind: str  # the class of fault, for the summary
    argv: list[str]  # after `python -m`
    files: dict[str, str | bytes] = field(default_factory=dict)
    exits: tuple[int, ...] = (0, 1, 2)
    deadline: float = 30.0
    env: dict[str, str] = field(default_factory=dict)
    setup: Callable[[Path], None] | None = None
    git: bool = False
    stderr_has: str = ""
    stdout_has: str = ""


@dataclass
class Outcome:
    case: Case
    code: int | None
    out: str
    err: str
    seconds: float
    defects: list[str]


def run_case(case: Case, cache: Path) -> Outcome:
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp) / "work"
        work.mkdir()
        if case.git:
            subprocess.run(["git", "init", "-q", str(work)], check=True)
        for name, content in case.files.items():
            path = work / name
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, encoding="utf-8")
        if case.setup:
            case.setup(work)
        if case.git:
            subprocess.run(["git", "add", "-A"], cwd=work, check=True, capture_output=True)
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("PIP_", "DRIFTGATE_"))},
            "PYTHONPATH": str(ROOT), "PIP_CONFIG_FILE": os.devnull, "HOME": str(Path(tmp) / "home"),
            "DRIFTGATE_CACHE_DIR": str(cache), **case.env,
        }
        start = time.monotonic()
        try:
            proc = subprocess.run(
                [sys.executable, "-m", *case.argv], cwd=work, capture_output=True, text=True,
                errors="replace", env=env, timeout=case.deadline, stdin=subprocess.DEVNULL,
            )
            code, out, err = proc.returncode, proc.stdout, proc.stderr
        except subprocess.TimeoutExpired as exc:
            code, out, err = None, str(exc.stdout or ""), str(exc.stderr or "")
        seconds = time.monotonic() - start
        if case.setup:  # undo chmod 000 and the like, so the temp dir can be removed
            for path in work.rglob("*"):
                if path.is_dir() and not path.is_symlink():
                    path.chmod(0o755)
    defects = []
    if code is None:
        defects.append("hang")
    if "Traceback (most recent call last)" in err:
        defects.append("traceback")
    if code == 3:
        defects.append("crash")
    if SECRET in out or SECRET in err or any(SECRET.encode() in p.read_bytes() for p in _files(cache)):
        defects.append("leak")
    if code is not None and code not in case.exits and code != 3:
        defects.append("exit")
    if code == 2 and len(err.strip().splitlines()) != 1:
        defects.append("noisy")
    if case.stderr_has and case.stderr_has not in err and code is not None:
        defects.append("exit")
    if case.stdout_has and case.stdout_has not in out and code is not None:
        defects.append("exit")
    return Outcome(case, code, out, err, seconds, sorted(set(defects)))


def _files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file() and not p.is_symlink()] if root.exists() else []


DEEP = "def f(x):\n" + "".join("    " * (i + 1) + f"for a{i} in x:\n" for i in range(6)) + "    " * 7 + "pass\n"
sys.path.insert(0, str(ROOT))
from hooks._core import registry  # noqa: E402

HOOKS = list(registry.FILE_HOOKS)  # every file hook, the ones added later too
MODULE = dict(registry.HOOK_MODULES)


def offline(hook: str) -> list[str]:
    return ["--offline"] if registry.load_module(hook).HOOK.needs_network else []


def cases(broken: BrokenIndex, good_index: str) -> list[Case]:
    out: list[Case] = []

    # bad values, from flags and from pyproject
    for hook in ("check-hallucinated-deps", "check-undeclared-imports"):
        for value in ("nan", "inf", "-inf", "1e999", "1e300", "-1", "0", "abc", ""):
            out.append(Case(f"{hook} --timeout {value!r}", "bad value",
                            [MODULE[hook], f"--timeout={value}", "--index-url", broken.url("404all"), "requirements.txt", "a.py"],
                            {"requirements.txt": "requests\n", "a.py": "import requests\n"}, exits=(0, 1, 2)))
        for value in ("nan", "inf", "-inf", '"10"', "[1]", "true"):
            out.append(Case(f"{hook} config timeout = {value}", "bad value", [MODULE[hook], "--offline", "requirements.txt"],
                            {"pyproject.toml": f"[tool.driftgate.{hook}]\ntimeout = {value}\n", "requirements.txt": "x\n"},
                            exits=(2,)))
    for value in ("-1", "0", "nan", '"4"', "1e9", "99999999999999999999"):
        out.append(Case(f"check-nesting max-depth = {value}", "bad value", ["hooks.check_nesting", "a.py"],
                        {"pyproject.toml": f"[tool.driftgate.check-nesting]\nmax-depth = {value}\n", "a.py": DEEP}))
    for hook in HOOKS:
        out.append(Case(f"{hook} unknown key", "bad value", [MODULE[hook], "a.py"],
                        {"pyproject.toml": f"[tool.driftgate.{hook}]\nmax-dpeth = 3\n", "a.py": "x=1\n"}, exits=(2,)))
        out.append(Case(f"{hook} --format bogus", "bad value", [MODULE[hook], "--format", "bogus", "a.py"],
                        {"a.py": "x=1\n"}, exits=(2,)))
        out.append(Case(f"{hook} [tool.driftgate] = 5", "bad value", [MODULE[hook], "a.py"],
                        {"pyproject.toml": "[tool]\ndriftgate = 5\n", "a.py": "x=1\n"}, exits=(2,)))

    # index faults (bounded in time; never taken as answers)
    for mode, deadline in [("trickle", 12), ("truncated", 12), ("garbagehtml", 12), ("plaintext", 12),
                           ("badjson", 12), ("garbage", 12), ("500", 12), ("close", 12), ("hang", 12),
                           ("404all", 12)]:
        url = broken.url(mode)
        for hook, files in (("check-hallucinated-deps", {"requirements.txt": "requests==2.32.0\nattrs\n"}),
                            ("check-undeclared-imports", {"a.py": "import not_installed_xyz\n", "pyproject.toml": '[project]\nname="p"\ndependencies=[]\n'})):
            public = ["--public-index-url", url] if hook == "check-hallucinated-deps" else []
            out.append(Case(f"{hook} index {mode}", "index fault",
                            [MODULE[hook], "--index-url", url, *public, "--timeout", "1", *list(files)[:1]],
                            files, exits=(2,), deadline=deadline))
            out.append(Case(f"{hook} index {mode} warn", "index fault",
                            [MODULE[hook], "--index-url", url, *public, "--timeout", "1",
                             "--on-network-error=warn", *list(files)[:1]], files, exits=(0,), deadline=deadline))
    names = "\n".join(f"slow-{i}" for i in range(200)) + "\n"
    out.append(Case("run budget (200 slow names: 6 s, budget 3 s)", "index fault",
                    ["hooks.check_hallucinated_deps", "--index-url", broken.url("slow"), "--timeout", "0.5", "requirements.txt"],
                    {"requirements.txt": names}, exits=(2,), deadline=5, stderr_has="timed out"))
    creds = broken.url("500").replace("http://", f"http://alice:{SECRET}@")
    out.append(Case("password in a failing index URL", "leak",
                    ["hooks.check_hallucinated_deps", "--index-url", creds, "requirements.txt"],
                    {"requirements.txt": "requests\n"}, exits=(2,)))
    out.append(Case("PIP_INDEX_URL with a password", "leak", ["hooks.check_hallucinated_deps", "requirements.txt"],
                    {"requirements.txt": "requests\n"}, env={"PIP_INDEX_URL": good_index.replace("http://", f"http://alice:{SECRET}@")},
                    exits=(0, 1)))

    # leaks and unbounded reads through includes and configs
    def outside(work: Path) -> None:
        (work.parent / "shadow").write_text(f"root:{SECRET}:19000::::::\n")
    out.append(Case("-r outside the repository", "leak", ["hooks.check_hallucinated_deps", "--offline", "requirements.txt"],
                    {"requirements.txt": "-r ../shadow\n"}, setup=outside, exits=(1,)))

    def link_out(work: Path) -> None:
        outside(work)
        (work / "more.txt").symlink_to(work.parent / "shadow")
    out.append(Case("-r symlink out of the repository", "leak", ["hooks.check_hallucinated_deps", "--offline", "requirements.txt"],
                    {"requirements.txt": "-r more.txt\n"}, setup=link_out, exits=(1,)))
    out.append(Case("-r /dev/zero", "unbounded read", ["hooks.check_hallucinated_deps", "--offline", "requirements.txt"],
                    {"requirements.txt": "-r /dev/zero\n"}, exits=(1,), deadline=15))
    for hook in HOOKS:
        out.append(Case(f"{hook} --config /dev/zero", "unbounded read", [MODULE[hook], "--config", "/dev/zero", "a.py"],
                        {"a.py": "x=1\n"}, exits=(2,), deadline=15, stderr_has="not a regular file"))

    def fifo(work: Path) -> None:
        os.mkfifo(work / "pipe.py")
    for hook in ("check-nesting", "check-env-vars", "check-undeclared-imports", "check-secrets"):
        out.append(Case(f"{hook} FIFO passed by name", "unbounded read", [MODULE[hook], *offline(hook), "pipe.py"],
                        setup=fifo, exits=(2,), deadline=15))

    def cache_zero(work: Path) -> None:
        sys.path.insert(0, str(ROOT))
        from hooks._deps.pkgindex import DiskCache, Index

        cache_root = Path(os.environ.get("FAULT_CACHE", ""))  # set below
        path = Path(DiskCache(str(cache_root)).path(Index(good_index), "requests"))
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.exists() or path.is_symlink():
            path.unlink()
        path.symlink_to("/dev/zero")
    out.append(Case("cache entry -> /dev/zero", "corrupt cache", ["hooks.check_hallucinated_deps", "--index-url", good_index,
                    "--public-index-url", good_index, "requirements.txt"], {"requirements.txt": "requests\n"},
                    setup=cache_zero, exits=(0, 1), deadline=20))

    # quadratic or huge input
    out.append(Case("100,000 spaces in a requirement line", "slow parse", ["hooks.check_hallucinated_deps", "--offline", "requirements.txt"],
                    {"requirements.txt": "requests" + " " * 100_000 + "x\n"}, exits=(1,), deadline=15))
    out.append(Case("1,000,000-character name", "slow parse", ["hooks.check_hallucinated_deps", "--index-url", broken.url("500"), "requirements.txt"],
                    {"requirements.txt": "a" * 1_000_000 + "\n"}, exits=(1,), deadline=15, stdout_has="not a package name"))
    out.append(Case("20 MB .js passed to check-hallucinated-deps", "slow parse", ["hooks.check_hallucinated_deps", "--offline", "bundle.js"],
                    {"bundle.js": "var a=1;\n" * 2_200_000}, exits=(0,), deadline=15))
    out.append(Case("40 MB source file", "unbounded read", ["hooks.check_nesting", "big.py"],
                    {"big.py": "#" * (40 << 20)}, exits=(0,), deadline=30, stderr_has="larger than"))
    deep_expr = "x = " + "(" * 5000 + ")" * 5000 + "\n"
    for hook in ("check-nesting", "check-env-vars", "check-undeclared-imports", "check-secrets"):
        out.append(Case(f"{hook} 5000 nested parentheses", "deep input", [MODULE[hook], *offline(hook), "a.py"],
                        {"a.py": deep_expr}, deadline=30))
        out.append(Case(f"{hook} 200-deep if chain", "deep input", [MODULE[hook], *offline(hook), "a.py"],
                        {"a.py": "".join(" " * i + "if x:\n" for i in range(200)) + " " * 200 + "pass\n"}, deadline=30))

    # nothing checked is not success
    def bare(work: Path) -> None:
        subprocess.run(["git", "init", "-q", "--bare", str(work / "bare.git")], check=True)
    out.append(Case("scan of a bare repository", "silent success", ["hooks.cli", "scan", "bare.git"], setup=bare, exits=(2,)))
    out.append(Case("scan from inside .git", "silent success", ["hooks.cli", "scan", ".git"], git=True, files={"a.py": "x=1\n"}, exits=(2,)))
    if os.geteuid() != 0 or shutil.which("setpriv"):
        def locked(work: Path) -> None:
            (work / "locked").mkdir()
            (work / "locked" / "a.py").write_text(DEEP)
            (work / "locked").chmod(0)
        prefix = ["--bounding-set", "-dac_override,-dac_read_search"]
        case = Case("unreadable directory argument", "silent success", ["hooks.check_nesting", "locked"], setup=locked, exits=(2,))
        case.argv = case.argv  # run under setpriv below
        case.env = {"FAULT_SETPRIV": " ".join(prefix)}
        out.append(case)

    # wrong shapes and odd bytes
    shapes = {
        "pyproject.toml": ['[project]\ndependencies = "requests"\n', "project = 5\n", '[tool.poetry]\ndependencies = ["a"]\n',
                           "[project]\noptional-dependencies = 3\n", "[dependency-groups]\nx = 1\n", "[build-system]\nrequires = {a=1}\n"],
        ".pre-commit-config.yaml": ["- a\n", "repos: 5\n", "repos:\n- hooks: 5\n",
                                    "repos:\n- repo: local\n  hooks:\n  - id: x\n    additional_dependencies: [1, null, [2]]\n"],
        "setup.cfg": ["[options]\ninstall_requires = \n  ===\n", "[options\n"],
        "s.py": ["# /// script\n# dependencies = 'requests'\n# ///\n", "# /// script\n# dependencies = [1]\n# ///\n"],
    }
    for name, texts in shapes.items():
        for n, text in enumerate(texts):
            out.append(Case(f"shape {name} #{n}", "wrong shape", ["hooks.check_hallucinated_deps", "--offline", name],
                            {name: text}, exits=(1,), stdout_has="DG100"))
    odd: dict[str, bytes] = {
        "binary": bytes(range(256)), "utf-16": "x = 1\n".encode("utf-16"), "latin-1": b"x = '\xe9'\n",
        "empty": b"", "nul": b"x = 1\x00\n", "bom": b"\xef\xbb\xbfx = 1\n", "crlf": b"x = 1\r\ny = 2\r\n",
        "bad-cookie": b"# -*- coding: nope -*-\nx = 1\n", "syntax": b"def (:\n",
    }
    for hook in HOOKS:
        for label, data in odd.items():
            for name in ("a.py", "requirements.txt", "pyproject.toml", ".env", "docker-compose.yml"):
                out.append(Case(f"{hook} {label} {name}", "odd bytes", [MODULE[hook], *offline(hook), name], {name: data}, git=True))
    out.append(Case("newline in a file name", "message", ["hooks.check_nesting", "a\nb.py"], {"a\nb.py": DEEP}, exits=(1,)))
    out.append(Case("unknown driftgate command", "bad value", ["hooks.cli", "frobnicate"], exits=(2,)))
    out.append(Case("scan of a file", "bad value", ["hooks.cli", "scan", "a.py"], {"a.py": "x=1\n"}, exits=(2,)))
    out.append(Case("scan of an empty directory", "bad value", ["hooks.cli", "scan", "--skip", "check-hallucinated-deps",
                    "--skip", "check-undeclared-imports", "."], exits=(0,)))
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default="", help="run the cases whose name contains this")
    parser.add_argument("-v", "--verbose", action="store_true", help="print every case")
    args = parser.parse_args(argv)
    broken = BrokenIndex()
    with tempfile.TemporaryDirectory() as tmp:
        packages = Path(tmp) / "pkgs"
        packages.mkdir()
        make_wheel(str(packages), "requests", "2.32.0")
        cache = Path(tmp) / "cache"
        os.environ["FAULT_CACHE"] = str(cache)
        with pypiserver(str(packages)) as server:
            todo = [c for c in cases(broken, server.url) if args.only in c.name]
            outcomes = []
            for case in todo:
                if "FAULT_SETPRIV" in case.env:
                    case.argv = case.argv  # setpriv wraps the interpreter
                    outcome = _run_setpriv(case, cache)
                else:
                    outcome = run_case(case, cache)
                outcomes.append(outcome)
                if outcome.defects or args.verbose:
                    status = ",".join(outcome.defects) or "ok"
                    code = "timeout" if outcome.code is None else outcome.code
                    first = (outcome.err.strip().splitlines() or [""])[0][:160]
                    print(f"{status:<10} exit {code!s:<7} {outcome.seconds:6.2f}s  {case.name}  | {first}")
    broken.stop()
    summarize(outcomes)
    return 1 if any(o.defects for o in outcomes) else 0


def _run_setpriv(case: Case, cache: Path) -> Outcome:
    prefix = case.env.pop("FAULT_SETPRIV").split()
    real_executable = sys.executable
    wrapper = Path(tempfile.mkdtemp()) / "python"
    wrapper.write_text(f"#!/bin/sh\nexec setpriv {' '.join(prefix)} {real_executable} \"$@\"\n")
    wrapper.chmod(0o755)
    sys.executable = str(wrapper)
    try:
        return run_case(case, cache)
    finally:
        sys.executable = real_executable
        shutil.rmtree(wrapper.parent, ignore_errors=True)


def summarize(outcomes: list[Outcome]) -> None:
    kinds: dict[str, list[Outcome]] = {}
    for outcome in outcomes:
        kinds.setdefault(outcome.case.kind, []).append(outcome)
    defect_names = ("traceback", "crash", "hang", "leak", "exit", "noisy")
    print()
    print("| class | cases | " + " | ".join(defect_names) + " | slowest s |")
    print("|---|---:|" + "---:|" * len(defect_names) + "---:|")
    for kind, group in sorted(kinds.items()):
        counts = [sum(1 for o in group if name in o.defects) for name in defect_names]
        slowest = max(o.seconds for o in group)
        print(f"| {kind} | {len(group)} | " + " | ".join(map(str, counts)) + f" | {slowest:.1f} |")
    totals = [sum(1 for o in outcomes if name in o.defects) for name in defect_names]
    print(f"| **all** | {len(outcomes)} | " + " | ".join(map(str, totals)) + f" | {max(o.seconds for o in outcomes):.1f} |")


if __name__ == "__main__":
    raise SystemExit(main())
