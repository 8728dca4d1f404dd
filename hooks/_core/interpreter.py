"""The project's own Python, for hooks that must see the code's environment rather than
pre-commit's isolated one (check-hallucinated-apis, check-test-integrity's verify step).

One discovery, in order: `--python PATH`, `python = ...` in the hook's config table,
`VIRTUAL_ENV`, `.venv/` or `venv/` at the repository root, else `python3` on PATH. The
interpreter is asked once per process for its version and `sys.path`; the project's
libraries are never imported into the hook's process.
"""
from __future__ import annotations

import json
import os
import sys
from hooks._core.record import dataclass

from hooks._core.findings import HookError

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (~3 ms)
if TYPE_CHECKING:
    from typing import Optional

# Asked of the project's interpreter: nothing of the project is imported, only sys/sysconfig.
_PROBE = (
    "import json, sys, sysconfig\n"
    "print(json.dumps({'version': list(sys.version_info[:3]), 'path': sys.path[1:],"
    " 'prefix': sys.prefix, 'stdlib': sysconfig.get_paths().get('stdlib', ''),"
    " 'purelib': sysconfig.get_paths().get('purelib', ''),"
    " 'executable': sys.executable}))\n"
)
_PROBE_TIMEOUT_SECONDS = 20.0


@dataclass(frozen=True)
class Interpreter:
    """What the project's interpreter told us about itself."""

    executable: str
    version: tuple[int, int, int]
    sys_path: tuple[str, ...]
    prefix: str
    stdlib: str
    purelib: str
    # where the choice came from, for messages ("--python", "VIRTUAL_ENV", ".venv", ...)
    source: str

    @property
    def version_text(self) -> str:
        return ".".join(str(part) for part in self.version)


def _venv_python(venv_dir: str) -> Optional[str]:
    for relative in (("bin", "python"), ("bin", "python3"), ("Scripts", "python.exe")):
        candidate = os.path.join(venv_dir, *relative)
        if os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            return candidate
    return None


def _same_dir(a: str, b: str) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def which(name: str) -> Optional[str]:
    """shutil.which, imported only when asked: shutil (with bz2, lzma) costs ~3 ms of a commit,
    and a project with a venv never needs it (issue 15)."""
    import shutil

    return shutil.which(name)


def discover(root: str = ".", flag: Optional[str] = None, configured: Optional[str] = None) -> tuple[str, str]:
    """The interpreter to ask and where that choice came from. Raises HookError when an
    explicitly named interpreter does not exist (a typo must not silently fall back)."""
    for value, source in ((flag, "--python"), (configured, "config `python`")):
        if value:
            path = value if os.path.isabs(value) or os.sep in value else which(value) or value
            if os.path.isdir(path):
                venv_python = _venv_python(path)
                if venv_python:
                    return venv_python, source
            if not os.path.isfile(path):
                raise HookError(f"{source} {value!r}: no such interpreter; pass the project's python or its venv directory")
            return path, source
    virtual_env = os.environ.get("VIRTUAL_ENV")
    if virtual_env and os.environ.get("PRE_COMMIT") and _same_dir(virtual_env, sys.prefix):
        virtual_env = None  # pre-commit's own hook environment, not the project's
    if virtual_env:
        venv_python = _venv_python(virtual_env)
        if venv_python:
            return venv_python, "VIRTUAL_ENV"
    for name in (".venv", "venv"):
        venv_python = _venv_python(os.path.join(root, name))
        if venv_python:
            return venv_python, name
    found = which("python3") or which("python")
    if found:
        return found, "python3 on PATH"
    return sys.executable, "the hook's own interpreter"


_asked: dict[str, Interpreter] = {}


def _probe_key(executable: str) -> str:
    """What the probe's answer depends on: the interpreter binary and its venv's config (a
    venv rebuilt or upgraded in place changes one of them), and the probe itself."""
    from hooks._core.cache import digest

    parts = [_PROBE, os.path.abspath(executable)]
    candidates = [executable, os.path.realpath(executable)]
    candidates.append(os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(executable))), "pyvenv.cfg"))
    for path in candidates:
        try:
            info = os.stat(path)
            parts.append(f"{path}:{info.st_mtime_ns}:{info.st_size}")
        except OSError:
            parts.append(f"{path}:-")
    return digest("\0".join(parts).encode("utf-8", "surrogateescape"))


def _dir_stamps(paths: "list[str] | tuple[str, ...]") -> dict[str, int]:
    """The mtime of each sys.path directory: installing a package that adds a .pth file (an
    editable install) changes its site-packages directory, and so sys.path."""
    stamps: dict[str, int] = {}
    for path in paths:
        try:
            stamps[path] = os.stat(path).st_mtime_ns
        except OSError:
            stamps[path] = -1
    return stamps


def _cached_answer(executable: str) -> Optional[dict]:
    from hooks._core.cache import read_json, user_cache_dir

    path = os.path.join(user_cache_dir(), "interpreters", _probe_key(executable) + ".json")
    try:
        saved = read_json(path)
        answer, stamps = saved["answer"], saved["dirs"]
        if not isinstance(answer, dict) or stamps != _dir_stamps(list(stamps)):
            return None
        return answer
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _remember_answer(executable: str, answer: dict, facts: Interpreter) -> None:
    from hooks._core.cache import user_cache_dir, write_atomic

    dirs = [*facts.sys_path, facts.purelib]
    payload = json.dumps({"answer": answer, "dirs": _dir_stamps(dirs)})
    write_atomic(os.path.join(user_cache_dir(), "interpreters", _probe_key(executable) + ".json"), payload)


def ask(executable: str, source: str = "") -> Interpreter:
    """Run the probe once per executable per process; its answer is kept on disk while the
    interpreter and its venv are unchanged (starting another Python costs 20-200 ms a commit)."""
    if executable in _asked:
        return _asked[executable]
    cached = _cached_answer(executable)
    if cached is not None:
        try:
            facts = _facts(cached, executable, source)
            _asked[executable] = facts
            return facts
        except (ValueError, KeyError, TypeError):
            pass  # a damaged entry is a miss
    import subprocess  # only on a miss: ~5 ms of every warm run otherwise

    try:
        proc = subprocess.run(
            [executable, "-I", "-c", _PROBE], capture_output=True, text=True,
            timeout=_PROBE_TIMEOUT_SECONDS,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise HookError(f"cannot run the project's interpreter {executable}: {exc}") from None
    try:
        answer = json.loads(proc.stdout)
        facts = _facts(answer, executable, source)
    except (ValueError, KeyError, TypeError):
        detail = (proc.stderr.strip().splitlines() or [f"exit {proc.returncode}"])[-1]
        raise HookError(f"the project's interpreter {executable} is not a working Python: {detail}") from None
    _remember_answer(executable, answer, facts)
    _asked[executable] = facts
    return facts


def _facts(data: dict, executable: str, source: str) -> Interpreter:
    version = tuple(int(part) for part in data["version"])[:3]
    if len(version) != 3:
        raise ValueError("version")
    return Interpreter(
        executable=str(data["executable"] or executable),
        version=version,  # type: ignore[arg-type]
        sys_path=tuple(str(p) for p in data["path"] if p),
        prefix=str(data["prefix"]),
        stdlib=str(data["stdlib"]),
        purelib=str(data["purelib"]),
        source=source,
    )


def project_interpreter(root: str = ".", flag: Optional[str] = None, configured: Optional[str] = None) -> Interpreter:
    """Discover and ask the project's interpreter (once per process)."""
    executable, source = discover(root, flag, configured)
    return ask(executable, source)
