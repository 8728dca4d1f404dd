"""Import detect-secrets without paying for `requests`.

detect-secrets' plugin base and several plugins `import requests` at module level, only to
verify secrets over the network, which driftgate never does; requests (with urllib3, email,
http.client) is ~60 ms of a commit's ~75 ms detect-secrets import. `defer_requests` puts a
stand-in module for it in sys.modules whose module `__getattr__` (PEP 562) imports the real
requests on the first attribute it lacks, then takes on all of the real module's attributes:
code that does use requests gets exactly what it would have had. detect-secrets touches no
attribute of requests at import time (only in `except requests.exceptions...` clauses and
verification functions).

Not `importlib.util.LazyLoader`: the import statement itself reads `module.__spec__` of a
module already in sys.modules (is it still initializing?), and any attribute read of a
LazyLoader module loads it, so every `import requests` in detect-secrets would load it at once.
The stand-in has a real `__spec__`, found without running anything.
"""
from __future__ import annotations

import importlib
import sys
import threading
import types

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (~3 ms)
if TYPE_CHECKING:
    from typing import Any

NAME = "requests"
_LOCK = threading.Lock()


def defer_requests() -> None:
    """Make `import requests` free until requests is used; nothing when it is imported
    already or not installed."""
    if NAME in sys.modules:
        return
    import importlib.util

    try:
        spec = importlib.util.find_spec(NAME)
    except (ImportError, ValueError):
        return
    if spec is None:
        return
    stand_in = types.ModuleType(NAME)
    stand_in.__spec__ = spec

    def __getattr__(attr: str) -> Any:  # noqa: N807 (PEP 562 module hook)
        if attr != "__path__":
            return getattr(_load(stand_in), attr)
        # `import requests.x` with the stand-in in place: the import system reads __path__,
        # then loads x itself, although loading requests (here) has just loaded x too. The
        # finder below hands it the module requests' own import made, so x runs once.
        before = set(sys.modules)
        real = _load(stand_in)
        _JUST_LOADED.update(m for m in set(sys.modules) - before if m.startswith(NAME + "."))
        return real.__path__

    stand_in.__getattr__ = __getattr__  # type: ignore[attr-defined]
    if _FINDER not in sys.meta_path:
        sys.meta_path.insert(0, _FINDER)

    sys.modules[NAME] = stand_in


_JUST_LOADED: set[str] = set()  # submodules the real import made while one was being imported


class _Existing:
    """Loader of a module already in sys.modules: creates nothing, runs nothing, and leaves
    the module's own __spec__ as it was."""

    def __init__(self, module: types.ModuleType) -> None:
        self.module = module
        self.spec = module.__spec__

    def create_module(self, spec: Any) -> types.ModuleType:
        return self.module

    def exec_module(self, module: types.ModuleType) -> None:
        module.__spec__ = self.spec


class _JustLoadedFinder:
    """First on sys.meta_path: answers only for a submodule in _JUST_LOADED, once."""

    def find_spec(self, name: str, path: Any = None, target: Any = None) -> Any:
        if name not in _JUST_LOADED or name not in sys.modules:
            return None
        _JUST_LOADED.discard(name)
        from importlib.machinery import ModuleSpec

        module = sys.modules[name]
        return ModuleSpec(name, _Existing(module), origin=getattr(module.__spec__, "origin", None))


_FINDER = _JustLoadedFinder()


def _load(stand_in: types.ModuleType) -> types.ModuleType:
    """The real requests; the stand-in takes on its attributes, so later reads are direct."""
    with _LOCK:
        current = sys.modules.get(NAME)
        if current is stand_in:
            del sys.modules[NAME]
            current = None
        real = current if current is not None else importlib.import_module(NAME)
        if stand_in.__dict__.get("__file__") is None:
            stand_in.__dict__.update(real.__dict__)
        return real


# detect-secrets' package `__init__`s import what driftgate never runs: `detect_secrets`
# imports SecretsCollection (its scanner, with multiprocessing and logging) and
# `detect_secrets.filters` imports every filter (gibberish loads the whole plugin registry).
# driftgate imports the submodules it uses by their full names, which runs each parent
# package's __init__ first: ~13 ms of every commit's check-secrets.
PACKAGES = ("detect_secrets", "detect_secrets.filters")


def defer_package_inits() -> None:
    """_defer_packages(), then defer_inject(): what detect-secrets' modules cost driftgate."""
    _defer_packages()
    defer_inject()


def _defer_packages() -> None:
    """Put each of PACKAGES in sys.modules as its real module object (spec, __path__,
    __file__) whose `__init__` has not run yet: importing its submodules works as before, and
    the first attribute the package lacks (`detect_secrets.SecretsCollection`, `from
    detect_secrets.filters import regex`, ...) runs the `__init__` into it, so code that uses
    the package gets exactly what it would have had. Nothing when a package is imported
    already or not installed."""
    import importlib.util

    for name in PACKAGES:
        if name in sys.modules:
            return
        try:
            spec = importlib.util.find_spec(name)
        except (ImportError, ValueError):
            return
        if spec is None or spec.loader is None or spec.submodule_search_locations is None:
            return
        module = importlib.util.module_from_spec(spec)
        module.__getattr__ = _init_on_first_use(module)  # type: ignore[attr-defined]
        sys.modules[name] = module
        parent, _, child = name.rpartition(".")
        if parent:
            setattr(sys.modules[parent], child, module)  # as the import system binds it


def _init_on_first_use(module: types.ModuleType) -> Any:
    def __getattr__(attr: str) -> Any:  # noqa: N807 (PEP 562 module hook)
        with _LOCK:
            if module.__dict__.pop("__getattr__", None) is not None:
                module.__spec__.loader.exec_module(module)  # type: ignore[union-attr]
        try:
            return module.__dict__[attr]
        except KeyError:
            raise AttributeError(f"module {module.__name__!r} has no attribute {attr!r}") from None

    return __getattr__


# detect-secrets' plugin base imports `call_function_with_arguments` from this module, which
# imports inspect (with dis and opcode: ~2.5 ms of every commit) to call plugins' verify and
# filter functions by their parameter names: what its scanner does, never driftgate's engine.
INJECT = "detect_secrets.util.inject"
INJECT_FUNCTIONS = ("call_function_with_arguments", "make_function_self_aware", "get_injectable_variables")


def defer_inject() -> None:
    """Put INJECT in sys.modules as its real module object (spec, __file__) that has not run
    yet and holds a stand-in for each of INJECT_FUNCTIONS: calling one, or reading any other
    attribute, runs the module, whose real functions then replace the stand-ins (a stand-in
    imported before calls the real function). Nothing when it is imported already or not
    installed; after _defer_packages (finding it imports its parent packages)."""
    if INJECT in sys.modules or "detect_secrets" not in sys.modules:
        return
    import importlib.util

    try:
        spec = importlib.util.find_spec(INJECT)
    except (ImportError, ValueError):
        return
    if spec is None or spec.loader is None:
        return
    module = importlib.util.module_from_spec(spec)
    run_on_first_use = _init_on_first_use(module)

    def __getattr__(attr: str) -> Any:  # noqa: N807 (PEP 562 module hook)
        if attr == "__path__":  # `from ... import x` asks whether it is a package: it is not
            raise AttributeError(attr)
        return run_on_first_use(attr)

    module.__getattr__ = __getattr__  # type: ignore[attr-defined]
    for name in INJECT_FUNCTIONS:
        module.__dict__[name] = _calls_real(module, name)
    sys.modules[INJECT] = module
    parent = sys.modules.get(INJECT.rpartition(".")[0])
    if parent is not None:
        setattr(parent, INJECT.rpartition(".")[2], module)  # as the import system binds it


def _calls_real(module: types.ModuleType, name: str) -> Any:
    def stand_in(*args: Any, **kwargs: Any) -> Any:
        with _LOCK:
            if module.__dict__.pop("__getattr__", None) is not None:
                module.__spec__.loader.exec_module(module)  # type: ignore[union-attr]
        return module.__dict__[name](*args, **kwargs)

    stand_in.__name__ = stand_in.__qualname__ = name
    return stand_in
