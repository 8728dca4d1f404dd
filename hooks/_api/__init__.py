"""The API index shared by check-hallucinated-apis and check-doc-drift: which modules,
names, class members and call parameters exist in a set of source roots (an interpreter's
sys.path, or a repository's own packages), read statically from .py and .pyi files; nothing
is imported.

Interface (stable; extend, don't rename):

    from hooks._api import ApiIndex, FOUND, MISSING, UNKNOWN

    index = ApiIndex(search_paths, python_version=(3, 11, 7), cache_dir=None, stdlib=None)
    index.resolve("pkg.mod.Name.attr")   -> Resolution(status, path, kind, owner, parent,
                                            parent_kind, name, nearest, elsewhere, installed)
    index.module_status("pkg.mod")       -> Resolution (does `import pkg.mod` work?)
    index.signature("pkg.mod.func", receiver=None)
                                         -> Signature(params=(Param(name, kind, has_default),
                                            ...), forwarded, unless) or None when not certain;
                                            receiver: the class a method's instance certainly
                                            is, so self.other(**kw) inside is followed
    signature.accepted_keywords(passed, positional, star_args)
                                         -> the keywords a call may pass (with **kwargs: the
                                            function's own plus those of the callee it passes
                                            them to, when certain), or None: any keyword
    index.call_kind("pkg.mod.Cls.meth")  -> "function" | "class" | "method" | ""
    index.owner("pkg.mod")               -> "pkg 1.2.3" | "Python 3.11" | "pkg"
    index.exists("pkg.mod")              -> bool: a module file, package or compiled stdlib module
    index_for_interpreter(interp, cache_dir, executable=interp.executable)
                                         -> ApiIndex over a project's interpreter

For MISSING, `parent` is the canonical path of the module or class that was read
(`requests.sessions.Session` for `requests.Session.close_all`); callers word their message
with the spelling the user wrote.

`status` is FOUND, MISSING (certainly absent; `nearest` holds close real names and
`elsewhere` the modules of the same package that do bind it) or UNKNOWN (dynamic, compiled
without stub, not installed: say nothing).
"""
from __future__ import annotations


from hooks._api.index import FOUND, MISSING, UNKNOWN, ApiIndex, Param, Resolution, Signature

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (~3 ms)
if TYPE_CHECKING:
    from typing import Any, Optional

if TYPE_CHECKING:
    from hooks._core.interpreter import Interpreter

__all__ = [
    "FOUND", "MISSING", "UNKNOWN", "ApiIndex", "Param", "Resolution", "Signature",
    "index_for_interpreter", "default_cache_dir",
]


def default_cache_dir() -> str:
    """The per-user cache directory (DRIFTGATE_CACHE_DIR overrides), shared with the
    other hooks' caches."""
    from hooks._core.cache import user_cache_dir

    return user_cache_dir()


def index_for_interpreter(interpreter: "Interpreter", cache_dir: Optional[str] = None, **extra: Any) -> ApiIndex:
    """The index of everything the project's interpreter can import (its sys.path)."""
    return ApiIndex(
        interpreter.sys_path, interpreter.version, cache_dir=cache_dir, stdlib=interpreter.stdlib, **extra
    )
