"""The standard library's compiled modules (sys, builtins, posix, math, itertools, _io...)
have no source to read. The project's interpreter lists their names itself: one
subprocess per interpreter, importing only its own standard-library extension modules
(never a third-party module), answers cached on disk per interpreter and version.

The answer has the same shape as `hooks._api.extract.extract`'s, one per module.
"""
from __future__ import annotations

import json
import subprocess

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (~3 ms)
if TYPE_CHECKING:
    from typing import Any, Optional

# Run by the project's interpreter. Modules with side effects on import (a terminal, a
# GUI toolkit) or meant for CPython's own tests are skipped.
_PROBE = r'''
import importlib, inspect, json, os, sys, sysconfig
SKIP = {"readline", "_tkinter", "_curses", "_curses_panel", "antigravity", "this", "idlelib",
        "tkinter", "turtle", "_xxsubinterpreters", "_xxinterpchannels"}
names = set(sys.builtin_module_names)
dynload = os.path.join(sysconfig.get_paths()["stdlib"], "lib-dynload")
try:
    for entry in os.listdir(dynload):
        if entry.endswith((".so", ".pyd")):
            names.add(entry.split(".")[0])
except OSError:
    pass
KINDS = {"POSITIONAL_ONLY": "p", "POSITIONAL_OR_KEYWORD": "pk", "VAR_POSITIONAL": "a",
         "KEYWORD_ONLY": "k", "VAR_KEYWORD": "kw"}
def sig(obj, drop_first=False):
    try:
        params = list(inspect.signature(obj).parameters.values())
    except Exception:  # text signatures that do not evaluate (3.13's select.epoll)
        return None
    out = [[p.name, KINDS[p.kind.name], p.default is not p.empty or p.kind.name in ("VAR_POSITIONAL", "VAR_KEYWORD")] for p in params]
    return out
def entry(value):
    if inspect.ismodule(value):
        return ["m", value.__name__]
    if isinstance(value, type):
        members = {}
        for name in dir(value):
            try:
                raw = inspect.getattr_static(value, name)
            except AttributeError:
                members[name] = ["v"]
                continue
            if isinstance(raw, (staticmethod, classmethod)) or not callable(raw) or name.startswith("__"):
                members[name] = ["v"]
            else:
                # a method reached on an instance: inspect gives self when unbound
                s = sig(raw)
                if s and s[0][1] in ("p", "pk") and s[0][0] in ("self", "$self"):
                    s = s[1:]
                else:
                    s = None
                members[name] = ["f", s, "m"]
        dyn = type(value) is not type or "__getattr__" in vars(value)
        return ["c", {"b": [], "m": members, "dyn": dyn, "kw": False, "dc": None, "builtin": True}]
    if inspect.isbuiltin(value) or inspect.isfunction(value):
        return ["f", sig(value), ""]
    return ["v"]
out = {}
for name in sorted(names - SKIP):
    if name.startswith(("_test", "xx")):
        continue
    try:
        module = importlib.import_module(name)
    except Exception:
        continue
    names = {}
    for key, value in list(vars(module).items()):
        try:
            names[key] = entry(value)
        except Exception:
            names[key] = ["v"]
    out[name] = {"dyn": hasattr(module, "__getattr__"), "names": names,
                 "stars": [], "all": list(getattr(module, "__all__", []) or []) or None, "stub": False, "sysmod": False}
print(json.dumps(out))
'''
_TIMEOUT_SECONDS = 60.0


def probe(executable: str) -> Optional[dict[str, Any]]:
    """module name -> API for every compiled stdlib module of `executable`; None when the
    interpreter cannot answer (then those modules stay unknown)."""
    try:
        proc = subprocess.run(
            [executable, "-I", "-S", "-c", _PROBE], capture_output=True, text=True,
            timeout=_TIMEOUT_SECONDS,
        )
        data = json.loads(proc.stdout)
    except (OSError, subprocess.TimeoutExpired, ValueError):
        return None
    return data if isinstance(data, dict) else None
