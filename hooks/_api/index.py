"""The API index: which modules, names, members and parameters exist, read statically.

    index = ApiIndex(search_paths, python_version=(3, 11, 7), cache_dir=..., stdlib=...)
    index.resolve("requests.Session.close_all")
        -> Resolution(status="missing", owner="requests 2.32.3", parent="requests.Session",
                      name="close_all", nearest=("close",), ...)
    index.signature("json.loads") -> Signature(params=(Param("s", "pk", False), ...)) or None

Answers are one of three statuses: FOUND, MISSING (certainly absent: every place the name
could come from was read and none binds it) and UNKNOWN (dynamic module or class, compiled
module without a stub, base class out of reach, not installed). Callers stay silent on
UNKNOWN. Modules owned by an installed distribution are cached per distribution name and
version (the standard library per interpreter version) as JSON files; a warm run reads no
library source.
"""
from __future__ import annotations

import hashlib
import json
import os
import sys
from hooks._core.record import dataclass, field

from hooks._api.extract import FORMAT, extract
from hooks._api.finder import Finder, Location, read_distributions

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (~3 ms)
if TYPE_CHECKING:
    from typing import Any, Optional, Sequence

FOUND, MISSING, UNKNOWN = "found", "missing", "unknown"

# Attributes every module object has, whatever its source binds.
_MODULE_ATTRS = frozenset({
    "__name__", "__file__", "__doc__", "__spec__", "__loader__", "__package__", "__dict__",
    "__builtins__", "__cached__", "__annotations__", "__path__", "__all__", "__getattr__",
    "__dir__", "__class__",
})
# Attributes every class has (type's and object's, over the supported Python versions).
_CLASS_ATTRS = frozenset(dir(type)) | frozenset(dir(object)) | frozenset({
    "__dict__", "__module__", "__qualname__", "__annotations__", "__slots__", "__weakref__",
    "__getstate__", "__orig_bases__", "__parameters__", "__type_params__", "__class_getitem__",
    "__init_subclass__", "__match_args__", "__dataclass_fields__", "__dataclass_params__",
    "__firstlineno__", "__static_attributes__", "__abstractmethods__", "__wrapped__",
})
_BUILTIN_NAMES = frozenset(dir(__import__("builtins")))
# How many **kwargs hops are followed (json.loads -> JSONDecoder is one; requests.get ->
# request -> Session.request two).
_FORWARD_DEPTH = 6


@dataclass(frozen=True)
class Param:
    name: str
    kind: str  # "p" positional-only, "pk", "a" (*args), "k" keyword-only, "kw" (**kwargs)
    has_default: bool


@dataclass(frozen=True)
class Signature:
    """A callable's parameters. When it takes **kwargs and passes them on to callees the
    index resolves with certainty (see hooks._api.forward), `forwarded` holds the keywords
    those callees take (None: any keyword may be fine) and `unless` the parameters that, if
    the call passes them, choose another callee (json.loads' `cls`): then nothing is certain."""

    params: tuple[Param, ...]
    forwarded: Optional[tuple[str, ...]] = None
    unless: tuple[str, ...] = ()

    @property
    def takes_var_positional(self) -> bool:
        return any(p.kind == "a" for p in self.params)

    @property
    def takes_var_keyword(self) -> bool:
        return any(p.kind == "kw" for p in self.params)

    @property
    def max_positional(self) -> int:
        return sum(1 for p in self.params if p.kind in ("p", "pk"))

    def keyword_names(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.params if p.kind in ("pk", "k"))

    def accepted_keywords(self, passed: Sequence[Optional[str]], positional: int,
                          star_args: bool) -> Optional[tuple[str, ...]]:
        """The keywords a call may pass, given the keyword names it passes (None for a
        `**mapping`), how many positional arguments and whether a `*args`; None when any
        keyword may be accepted."""
        if not self.takes_var_keyword:
            return self.keyword_names()
        if self.forwarded is None:
            return None
        if self.unless:
            if star_args or None in passed or any(name in passed for name in self.unless):
                return None
            filled = [p.name for p in self.params if p.kind in ("p", "pk")][:positional]
            if any(name in filled for name in self.unless):
                return None
        return tuple(dict.fromkeys([*self.keyword_names(), *self.forwarded]))


@dataclass(frozen=True)
class Resolution:
    """What `resolve` found. For MISSING: `parent` (the module or class read) lacks `name`;
    `nearest` are close real names; `elsewhere` are modules of the same distribution that
    do bind `name` (where it moved)."""

    status: str
    path: str
    kind: str = ""  # "module", "class", "function", "value" when FOUND
    owner: str = ""  # "requests 2.32.3", "Python 3.11", "mypkg"
    parent: str = ""
    parent_kind: str = ""
    name: str = ""
    nearest: tuple[str, ...] = ()
    elsewhere: tuple[str, ...] = ()
    installed: bool = True


# --- targets: what a dotted path designates while resolving ------------------------


@dataclass
class _Target:
    kind: str  # "module", "class", "function", "value", "union", "unknown"
    path: str
    module: str = ""  # the module whose namespace the object was written in
    data: Any = None  # module api / class info / function entry / union members
    how: str = ""  # a function's "", "m", "s", "c", "?"


_UNKNOWN = _Target("unknown", "")


@dataclass
class _Lookup:
    status: str
    target: _Target = field(default_factory=lambda: _UNKNOWN)
    candidates: tuple[str, ...] = ()  # the names that do exist, for "did you mean"


class ApiIndex:
    """Static API of the modules on `search_paths` (an interpreter's sys.path, or a
    repository's own source roots). `stdlib` is the interpreter's standard-library directory:
    modules there are labelled "Python X.Y"; `cache_dir` None disables the disk cache;
    `executable`, the interpreter whose compiled stdlib modules (sys, math, posix...) are
    listed by asking it (see hooks._api.compiled)."""

    def __init__(
        self,
        search_paths: Sequence[str],
        python_version: Sequence[int] = tuple(sys.version_info[:3]),
        cache_dir: Optional[str] = None,
        stdlib: Optional[str] = None,
        executable: Optional[str] = None,
    ) -> None:
        self.python_version = tuple(python_version)
        # the interpreter that lists its compiled stdlib modules (None: they stay unknown)
        self.executable = executable
        self._compiled_apis: Optional[_CompiledApis] = None
        self.finder = Finder(search_paths)
        self.cache_dir = cache_dir
        self.stdlib = os.path.realpath(stdlib) if stdlib else None
        self._apis: dict[str, Optional[dict[str, Any]]] = {}
        self._resolved: dict[str, Resolution] = {}
        self._signatures: dict[str, Optional[Signature]] = {}
        self._expanding: list[str] = []  # functions whose **kwargs are being followed
        self._dists: dict[str, dict[str, tuple[str, str]]] = {}

    # --- public interface ---------------------------------------------------------

    @property
    def python_label(self) -> str:
        return "Python " + ".".join(str(v) for v in self.python_version[:2])

    def module_status(self, module: str) -> Resolution:
        """FOUND if `module` can be imported, MISSING if its package is installed and has
        no such submodule, UNKNOWN when not installed or not certain."""
        top = module.split(".")[0]
        if not self.exists(top):
            return Resolution(UNKNOWN, module, installed=False)
        if self.exists(module):
            return Resolution(FOUND, module, "module", self.owner(module))
        head, _, last = module.rpartition(".")
        parent_status = self.module_status(head)
        if parent_status.status != FOUND:
            return parent_status
        # `import a.b` also works when a binds b and puts it in sys.modules (os.path)
        lookup = self._member(self._module_target(head), last)
        head_api = self.module_api(head)
        if lookup.status != MISSING or head_api is None or head_api.get("sysmod"):
            return Resolution(UNKNOWN, module)
        parent_loc = self.finder.find(head)
        candidates = self.finder.submodules(parent_loc) if parent_loc else []
        return Resolution(
            MISSING, module, owner=self.owner(head), parent=head, parent_kind="module", name=last,
            nearest=_nearest(last, candidates),
        )

    def resolve(self, dotted: str) -> Resolution:
        """Walk `pkg.mod.Name.attr` from its top-level module (answers kept per process)."""
        known = self._resolved.get(dotted)
        if known is None:
            known = self._resolved[dotted] = self._resolve(dotted)
        return known

    def _resolve(self, dotted: str) -> Resolution:
        parts = dotted.split(".")
        if not self.exists(parts[0]):
            return Resolution(UNKNOWN, dotted, installed=False)
        target = self._module_target(parts[0])
        for index, part in enumerate(parts[1:], start=1):
            lookup = self._member(target, part)
            if lookup.status == MISSING:
                return self._missing(target, part, lookup)
            if lookup.status == UNKNOWN:
                return Resolution(UNKNOWN, dotted)
            target = lookup.target
        return self._found(dotted, target)

    def resolve_member(self, owner_path: str, name: str) -> Resolution:
        """The member `name` of the module or class at `owner_path` (same as resolve of the
        joined path, for callers that hold the parts apart)."""
        return self.resolve(f"{owner_path}.{name}")

    def signature(self, dotted: str, receiver: Optional[str] = None) -> Optional[Signature]:
        """Parameters a call to `dotted` takes (a class: its constructor's, without self;
        a method: without self), or None when not certain. `receiver`: the class the call's
        instance certainly is exactly (`x = Cls(); x.meth(...)`), so that `self.other(**kw)`
        inside the method is followed."""
        key = f"{dotted}\0{receiver or ''}"
        if key not in self._signatures:
            target = self._target_of(dotted)
            owner = self._target_of(receiver) if receiver else None
            owner = owner if owner is not None and owner.kind == "class" else None
            self._signatures[key] = None if target is None else self._signature(target, owner)
        return self._signatures[key]

    def call_kind(self, dotted: str) -> str:
        """"function", "class", "method" (plain method reached through its class: the call
        passes self explicitly), or "" when not certain."""
        target = self._target_of(dotted)
        if target is None:
            return ""
        if target.kind == "class":
            return "class"
        if target.kind == "union" and all(t.kind == "function" for t in target.data):
            target = target.data[0]
        if target.kind == "function":
            return "method" if target.how.endswith("m") else "function"  # "m!" is bound
        return ""

    def class_of_instance_member(self, class_path: str, name: str) -> Resolution:
        """`name` looked up on an instance of the class at `class_path` (same members as
        on the class; instance attributes set through self count)."""
        return self.resolve(f"{class_path}.{name}")

    def owner(self, module: str) -> str:
        """"requests 2.32.3", "Python 3.11", or the top-level name for code that no
        installed distribution owns (a repository's own packages)."""
        location = self.finder.find(module.split(".")[0])
        if location is None:
            return self.python_label if module.split(".")[0] in self._compiled() else module.split(".")[0]
        if self._is_stdlib(location):
            return self.python_label
        dist = self._distribution(location)
        if dist is None:
            return module.split(".")[0]
        return f"{dist[0]} {dist[1]}"

    # --- resolution ---------------------------------------------------------------

    def exists(self, module: str) -> bool:
        """A module file (or package) for `module`, or a compiled stdlib module."""
        return self.finder.find(module) is not None or module in self._compiled()

    def _compiled(self) -> _CompiledApis:
        if self._compiled_apis is None:
            where = None
            if self.cache_dir is not None and self.executable:
                key = "python-{}-{}".format(".".join(map(str, self.python_version)),
                                            _short_hash(f"{self.executable}\0{self.stdlib}"))
                where = os.path.join(self.cache_dir, f"api-v{FORMAT}", key, "__compiled__")
            self._compiled_apis = _CompiledApis(self.executable, where)
        return self._compiled_apis

    def _target_of(self, dotted: str) -> Optional[_Target]:
        parts = dotted.split(".")
        if not self.exists(parts[0]):
            return None
        target = self._module_target(parts[0])
        for part in parts[1:]:
            lookup = self._member(target, part)
            if lookup.status != FOUND:
                return None
            target = lookup.target
        return target

    def _found(self, dotted: str, target: _Target) -> Resolution:
        kind = target.kind
        if kind == "union":
            # one of several modules or classes (os.path: posixpath or ntpath)
            kinds = {t.kind for t in target.data}
            kind = kinds.pop() if len(kinds) == 1 else ""
        kind = kind if kind in ("module", "class", "function", "value") else ""
        return Resolution(FOUND, target.path or dotted, kind, self.owner(target.module or dotted))

    def _missing(self, target: _Target, name: str, lookup: _Lookup) -> Resolution:
        module = target.module or target.path
        elsewhere: tuple[str, ...] = ()
        if target.kind == "module":
            elsewhere = self._elsewhere(target.path, name)
        return Resolution(
            MISSING, f"{target.path}.{name}", owner=self.owner(module), parent=target.path,
            parent_kind=target.kind, name=name, nearest=_nearest(name, lookup.candidates),
            elsewhere=elsewhere,
        )

    def _module_target(self, module: str) -> _Target:
        return _Target("module", module, module)

    def _member(self, target: _Target, name: str, depth: int = 0) -> _Lookup:
        if depth > 40:
            return _Lookup(UNKNOWN)
        if target.kind == "module":
            return self._module_member(target.path, name, depth)
        if target.kind == "class":
            return self._class_member(target, name, depth, set())
        if target.kind == "union":
            return self._union_member(target, name, depth)
        if target.kind == "instance":
            lookup = self._class_member(target.data, name, depth, set())
            if lookup.status == FOUND:
                lookup = _Lookup(FOUND, _bound(lookup.target))
            return lookup
        return _Lookup(UNKNOWN)

    def _union_member(self, target: _Target, name: str, depth: int) -> _Lookup:
        results = [self._member(t, name, depth + 1) for t in target.data]
        if all(r.status == MISSING for r in results):
            names = sorted({c for r in results for c in r.candidates})
            return _Lookup(MISSING, candidates=tuple(names))
        found = [r.target for r in results if r.status == FOUND]
        if len(found) == len(results):
            return _Lookup(FOUND, found[0] if len(found) == 1 else _Target("union", found[0].path, data=found))
        if found:
            # found in some branch, unknown in another: exists, but its nature is uncertain
            return _Lookup(FOUND, _Target("value", found[0].path, found[0].module))
        return _Lookup(UNKNOWN)

    def _module_member(self, module: str, name: str, depth: int, seen: Optional[set[str]] = None) -> _Lookup:
        if depth > 40:
            return _Lookup(UNKNOWN)  # an import cycle the library itself would not survive
        api = self.module_api(module)
        location = self.finder.find(module)
        if location is None and api is None:
            return _Lookup(UNKNOWN)
        submodules = self.finder.submodules(location) if location and location.is_package else []
        if api is None:
            if location and location.is_package and location.file is None and not location.opaque:
                api = {"dyn": False, "names": {}, "stars": [], "all": None}  # namespace package
            else:
                return _Lookup(UNKNOWN)
        entry = api["names"].get(name)
        if entry is not None:
            return _Lookup(FOUND, self._entry_target(module, f"{module}.{name}", entry, depth))
        if name in submodules:
            return _Lookup(FOUND, self._module_target(f"{module}.{name}"))
        if name in _MODULE_ATTRS or name in api.get("lazy", ()):
            return _Lookup(FOUND, _Target("value", f"{module}.{name}", module))
        seen = seen if seen is not None else set()
        seen.add(module)
        star_names: list[str] = []
        for star in api["stars"]:
            if star in seen:
                continue
            if not self.exists(star):
                continue  # that import fails here, so its branch binds nothing (os: nt)
            star_api = self.module_api(star)
            if star_api is None:
                return _Lookup(UNKNOWN)
            if name.startswith("_") and name not in (star_api.get("all") or ()):
                continue
            lookup = self._module_member(star, name, depth + 1, seen)
            if lookup.status != MISSING:
                return lookup
            star_names.extend(n for n in lookup.candidates if not n.startswith("_"))
        if api["dyn"]:
            return _Lookup(UNKNOWN)
        if location is not None and location.is_stub and (location.from_stub_package or name.startswith("_")):
            # a third-party stub package, or a private name a stub may leave out: missing
            # only if the source it describes lacks it too
            source_api = self._source_api(module)
            if source_api is None or source_api["dyn"] or source_api["stars"] or name in source_api["names"]:
                return _Lookup(UNKNOWN)
        return _Lookup(MISSING, candidates=tuple([*api["names"], *submodules, *star_names]))

    def _source_api(self, module: str) -> Optional[dict[str, Any]]:
        """The API read from the .py a stub describes (not cached on disk: rarely needed)."""
        key = module + "\0source"
        if key not in self._apis:
            location = self.finder.find(module, stubs=False)
            api = None
            if location is not None and location.file is not None:
                try:
                    with open(location.file, "rb") as handle:
                        api = extract(handle.read().decode("utf-8"), module, location.is_package, False)
                except (OSError, UnicodeDecodeError, SyntaxError, ValueError, RecursionError):
                    api = None
            self._apis[key] = api
        return self._apis[key]

    def _entry_target(self, module: str, path: str, entry: list, depth: int) -> _Target:
        kind = entry[0]
        if kind == "m":
            return self._module_target(entry[1]) if self.exists(entry[1]) else _UNKNOWN
        if kind == "i":
            source, attr = entry[1], entry[2]
            if self.finder.find(f"{source}.{attr}") is not None and (
                    source == module or attr not in (self.module_api(source) or {}).get("names", {})):
                return self._module_target(f"{source}.{attr}")  # `from . import submodule`
            if source == module or not self.exists(source):
                return _UNKNOWN
            lookup = self._module_member(source, attr, depth + 1)
            if lookup.status == FOUND:
                return lookup.target
            return _UNKNOWN
        if kind == "c":
            return _Target("class", path, module, entry[1])
        if kind == "f":
            return _Target("function", path, module, entry, entry[2] if len(entry) > 2 else "?")
        if kind == "t":
            declared = self._name_in_module(module, entry[1], depth + 1) if depth < 30 else None
            if declared is not None and declared.kind == "class":
                return _Target("instance", path, module, declared)
            return _Target("value", path, module)
        if kind == "a":
            aliased = self._name_in_module(module, entry[1], depth + 1) if depth < 30 else None
            return aliased if aliased is not None else _Target("value", path, module)
        if kind == "u":
            members = [self._entry_target(module, path, e, depth + 1) for e in entry[1]]
            if any(m.kind == "unknown" for m in members):
                # exists for sure; what it is depends on a branch we cannot read
                return _Target("value", path, module)
            return _Target("union", path, module, members)
        return _Target("value", path, module)

    # --- classes -----------------------------------------------------------------------

    def _bases(self, target: _Target, depth: int) -> Optional[list[_Target]]:
        """The class's bases as class targets; None when one is out of reach or builtin
        (other than object), so that a member not found is UNKNOWN, not MISSING."""
        out: list[_Target] = []
        for base in target.data["b"]:
            if base is None:
                return None
            if base in ("object", "builtins.object"):
                continue
            resolved = self._name_in_module(target.module, base, depth + 1)
            if resolved is None or resolved.kind != "class":
                return None
            out.append(resolved)
        return out

    def _name_in_module(self, module: str, dotted: str, depth: int) -> Optional[_Target]:
        """What `dotted` means when written in `module` (its own names, then builtins)."""
        first, *rest = dotted.split(".")
        api = self.module_api(module)
        if api is None:
            return None
        entry = api["names"].get(first)
        if entry is None and first in _BUILTIN_NAMES:
            builtins = self._compiled().get("builtins")
            entry = builtins["names"].get(first) if builtins else None
            if entry is None:
                return None  # builtin classes are compiled: read only through the probe
            target = self._entry_target("builtins", f"builtins.{first}", entry, depth + 1)
        elif entry is None:
            lookup = self._module_member(module, first, depth + 1)
            if lookup.status != FOUND:
                return None
            target = lookup.target
        else:
            target = self._entry_target(module, f"{module}.{first}", entry, depth + 1)
        for part in rest:
            lookup = self._member(target, part, depth + 1)
            if lookup.status != FOUND:
                return None
            target = lookup.target
        return target

    def _class_member(self, target: _Target, name: str, depth: int, seen: set[str]) -> _Lookup:
        info = target.data
        entry = info["m"].get(name)
        if entry is not None:
            return _Lookup(FOUND, self._entry_target(target.module, f"{target.path}.{name}", entry, depth + 1))
        if name in _CLASS_ATTRS:
            return _Lookup(FOUND, _Target("value", f"{target.path}.{name}", target.module))
        seen.add(target.path)
        bases = self._bases(target, depth)
        if bases is None:
            return _Lookup(UNKNOWN)
        candidates = list(info["m"])
        for base in bases:
            if base.path in seen:
                continue
            lookup = self._class_member(base, name, depth + 1, seen)
            if lookup.status != MISSING:
                return lookup
            candidates.extend(lookup.candidates)
        if info["dyn"] or info.get("kw"):
            return _Lookup(UNKNOWN)
        location = self.finder.find(target.module)
        if location is not None and location.is_stub and (location.from_stub_package or name.startswith("_")):
            source_api = self._source_api(target.module)
            source_class = (source_api or {}).get("names", {}).get(target.path[len(target.module) + 1:])
            if source_class is None or source_class[0] != "c" or source_class[1]["dyn"] or \
                    name in source_class[1]["m"] or source_class[1]["b"] != info["b"]:
                return _Lookup(UNKNOWN)
        return _Lookup(MISSING, candidates=tuple(candidates))

    def _class_is_certain(self, target: _Target, depth: int = 0) -> bool:
        """Constructed as its __init__ says: no metaclass or class decorator anywhere in its
        ancestry, and every base read."""
        info = target.data
        # attributes added at run time (setattr, __getattr__) do not change construction
        made = info.get("made", info["dyn"])
        if depth > 30 or made or info.get("kw"):
            return False
        bases = self._bases(target, depth)
        if bases is None:
            return False
        return all(self._class_is_certain(b, depth + 1) for b in bases)

    def _signature(self, target: _Target, receiver: Optional[_Target] = None) -> Optional[Signature]:
        """`receiver`: the class `self` certainly is exactly, for a method (see signature)."""
        if target.kind == "function":
            params = target.data[1]
            if params is None or target.how.startswith("?"):
                return None
            if any(len(p) > 3 for p in params):
                params = self._expand_unpack(target, params)
            signature = Signature(tuple(Param(*p[:3]) for p in params))
            extra = target.data[3] if len(target.data) > 3 else {}
            if signature.takes_var_keyword and extra.get("fw"):
                signature = self._forwarded(target, signature, extra["fw"], receiver)
            return signature
        if target.kind == "union":
            return self._overloads(target)
        if target.kind != "class" or not self._class_is_certain(target):
            return None
        # the constructor: the first __init__ or __new__ along the bases (single
        # inheritance only: with several bases the MRO decides, which we do not compute)
        current = target
        while True:
            info = current.data
            if info.get("dc") is not None:
                if "__init__" in info["m"] or current.data["b"]:
                    return None
                params = info["dc"]
                if any(p[0] == "?" for p in params):
                    return None
                return Signature(tuple(Param(*p) for p in params))
            if "__new__" in info["m"]:
                return None
            init = info["m"].get("__init__")
            if init is not None:
                init_target = self._entry_target(current.module, f"{current.path}.__init__", init, 0)
                if init_target.kind != "function":
                    return None
                # constructing the class makes exactly it: `self` in __init__ is a `target`
                return self._signature(init_target, target)
            bases = self._bases(current, 0)
            if bases is None or len(bases) > 1:
                return None
            if not bases:
                return Signature(())  # object() takes no arguments
            current = bases[0]

    def _forwarded(self, target: _Target, signature: Signature, spec: dict[str, Any],
                   receiver: Optional[_Target] = None) -> Signature:
        """`signature` with the keywords its **kwargs' callee takes (recursively, up to
        _FORWARD_DEPTH callees deep; a cycle is unknown), or unchanged when not certain."""
        if target.path in self._expanding or len(self._expanding) >= _FORWARD_DEPTH:
            return signature
        self._expanding.append(target.path)
        try:
            callees = self._forward_callees(target.module, spec["to"], receiver)
        finally:
            self._expanding.pop()
        if not callees:
            return signature
        names: list[str] = []
        unless = [spec["to"][2]] if spec["to"][0] == "l" and spec["to"][2] else []
        for callee in callees:
            accepted = callee.accepted_keywords((), 0, False)
            if accepted is None:
                return signature  # the callee takes any keyword, or forwards nowhere certain
            names.extend(accepted)
            for name in callee.unless:
                # the callee's choice of its own callee comes through our **kwargs, or as one
                # of our parameters passed on untouched (json.load's cls=cls); else unknown
                filled = [p.name for p in callee.params if p.kind in ("p", "pk")][:spec["np"]]
                if name in spec.get("same", {}) and not spec["star"] and name not in filled:
                    unless.append(spec["same"][name])
                    continue
                if spec["star"] or name in spec["kw"] or name in filled:
                    return signature
                unless.append(name)
        own = set(signature.keyword_names())
        forwarded = tuple(dict.fromkeys(n for n in names if n not in own))
        return Signature(signature.params, forwarded, tuple(dict.fromkeys(unless)))

    def _forward_callees(self, module: str, callee: list[Any],
                         receiver: Optional[_Target] = None) -> Optional[list[Signature]]:
        """The signatures **kwargs may reach (one per possible callee), None if not certain."""
        kind = callee[0]
        if kind == "s":
            # self.meth(**kw): the method of the class the instance is exactly (a subclass
            # may override it, so only where that class is known)
            return self._method_signatures(receiver, callee[1]) if receiver is not None else None
        if kind in ("n", "l"):
            out = []
            for written in ([callee[1]] if kind == "n" else callee[1]):
                resolved = self._name_in_module(module, written, 0)
                if resolved is None or resolved.kind not in ("function", "class", "union"):
                    return None
                signature = self._signature(resolved)
                if signature is None:
                    return None
                out.append(signature)
            return out
        if kind in ("w", "i"):
            cls = self._name_in_module(module, callee[1], 0)
            if cls is None or cls.kind != "class" or self._signature(cls) is None:
                return None  # not certainly an instance of exactly this class
            # `with` binds what __enter__ returns, and __exit__ may swallow the TypeError
            if kind == "w" and not (self._method_fact(cls, "__enter__", "self")
                                    and self._method_fact(cls, "__exit__", "raise")):
                return None
            return self._method_signatures(cls, callee[2])
        return None

    def _method_signatures(self, cls: _Target, name: str) -> Optional[list[Signature]]:
        """[the signature of the plain method `name` called on an instance of exactly `cls`]."""
        method = self._class_member(cls, name, 0, set())
        if method.status != FOUND or self._call_kind_of(method.target) != "method":
            return None
        signature = self._signature(_bound(method.target), cls)
        return None if signature is None else [signature]

    def _method_fact(self, cls: _Target, name: str, fact: str) -> bool:
        """The method `name` of `cls` (inherited or not) has this fact about its body."""
        lookup = self._class_member(cls, name, 0, set())
        if lookup.status != FOUND or lookup.target.kind != "function":
            return False
        data = lookup.target.data
        return len(data) > 3 and bool(data[3].get(fact))

    def _call_kind_of(self, target: _Target) -> str:
        """"method" for a plain method (or overloads of one), "function" otherwise, "" when
        not a function."""
        if target.kind == "union" and all(t.kind == "function" for t in target.data):
            target = target.data[0]
        if target.kind == "function":
            return "method" if target.how.endswith("m") else "function"
        return ""

    def _expand_unpack(self, target: _Target, params: list) -> Optional[list]:
        """**kwargs: Unpack[TD] -> TD's keys as keyword-only parameters; None when TD
        cannot be read (then the **kwargs stays)."""
        out = []
        for p in params:
            if p[1] != "kw" or len(p) < 4:
                out.append(p[:3])
                continue
            fields = self._typed_dict_keys(target.module, p[3])
            if fields is None:
                out.append(p[:3])
            else:
                out.extend([name, "k", True] for name in fields)
        return out

    def _typed_dict_keys(self, module: str, dotted: str, depth: int = 0) -> Optional[list[str]]:
        cls = self._name_in_module(module, dotted, 0)
        if cls is not None and cls.kind == "union":
            # `if TYPE_CHECKING: class TD(TypedDict) ... else: TD = dict` (pandas)
            classes = [t for t in cls.data if t.kind == "class" and any(
                (b or "").split(".")[-1] == "TypedDict" for b in t.data["b"])]
            cls = classes[0] if len(classes) == 1 else None
        if cls is None or cls.kind != "class" or depth > 10:
            return None
        keys = [n for n, e in cls.data["m"].items() if e[0] == "v" and not n.startswith("__")]
        for base in cls.data["b"]:
            if base is None:
                return None
            last = base.split(".")[-1]
            if last in ("TypedDict", "Generic", "Protocol"):
                continue
            inherited = self._typed_dict_keys(cls.module, base, depth + 1)
            if inherited is None:
                return None
            keys.extend(inherited)
        return keys

    def _overloads(self, target: _Target) -> Optional[Signature]:
        """@overload variants (with or without their implementation): a call fits if it
        fits one of them, so the merged signature accepts every keyword any of them takes
        and as many positional arguments as the longest takes."""
        signatures = []
        members = target.data
        if any(m.kind != "function" for m in members):
            return None
        overloads = [m for m in members if m.how.startswith("o")]
        # the @overload variants are the declared call forms; the implementation (often
        # decorated) only has to accept them all
        for member in overloads or members:
            signature = self._signature(member)
            if signature is None:
                return None
            signatures.append(signature)
        if not signatures:
            return None
        longest = max(signatures, key=lambda s: s.max_positional)
        params = [p for p in longest.params if p.kind in ("p", "pk")]
        seen = {p.name for p in params}
        for signature in signatures:
            for p in signature.params:
                if p.kind in ("pk", "k") and p.name not in seen:
                    params.append(Param(p.name, "k", True))
                    seen.add(p.name)
        if any(s.takes_var_positional for s in signatures):
            params.append(Param("args", "a", True))
        if any(s.takes_var_keyword for s in signatures):
            params.append(Param("kwargs", "kw", True))
        return Signature(tuple(params))

    # --- module APIs and the cache -----------------------------------------------------

    def module_api(self, module: str) -> Optional[dict[str, Any]]:
        """The module's extracted API (see hooks._api.extract), None when it cannot be read
        (compiled without stub, namespace package, syntax error for this parser)."""
        if module in self._apis:
            return self._apis[module]
        api = self._load_api(module)
        self._apis[module] = api
        return api

    def _load_api(self, module: str) -> Optional[dict[str, Any]]:
        location = self.finder.find(module)
        if location is None or (location.opaque and self._is_stdlib(location)):
            return self._compiled().get(module)
        if location.file is None:
            return None
        cache_file = self._cache_file(location)
        if cache_file is not None:
            cached = _read_json(cache_file)
            if cached is not None and cached.get("format") == FORMAT and cached.get("file") == location.file:
                return cached["api"]
        try:
            with open(location.file, "rb") as handle:
                source = handle.read().decode("utf-8")
            api = extract(source, module, location.is_package, location.is_stub)
        except (OSError, UnicodeDecodeError, SyntaxError, ValueError, RecursionError):
            api = None
        if cache_file is not None:
            _write_json_atomic(cache_file, {"format": FORMAT, "file": location.file, "api": api})
        return api

    def _is_stdlib(self, location: Location) -> bool:
        if self.stdlib is None:
            return False
        root = os.path.realpath(location.root)
        if root == self.stdlib:
            return True
        # lib-dynload lives under the stdlib directory; site-packages may too
        inside = root.startswith(self.stdlib + os.sep)
        return inside and not any(part in root for part in ("site-packages", "dist-packages"))

    def _distribution(self, location: Location) -> Optional[tuple[str, str]]:
        root = location.root
        if root not in self._dists:
            self._dists[root] = self._read_distributions(root)
        return self._dists[root].get(location.name.split(".")[0])

    def _read_distributions(self, root: str) -> dict[str, tuple[str, str]]:
        """read_distributions(root), remembered on disk while the directory's mtime holds:
        installing, upgrading or removing a distribution adds or removes its dist-info
        directory, which changes it (reading every dist-info is ~10 ms of each commit)."""
        if self.cache_dir is None:
            return read_distributions(root, self.finder.listing)
        try:
            stamp = os.stat(root).st_mtime_ns
        except OSError:
            return read_distributions(root, self.finder.listing)
        path = os.path.join(self.cache_dir, f"api-v{FORMAT}", "distributions", _short_hash(root) + ".json")
        cached = _read_json(path)
        if cached is not None and cached.get("root") == root and cached.get("mtime_ns") == stamp:
            owners = cached.get("owners")
            if isinstance(owners, dict) and all(
                isinstance(v, list) and len(v) == 2 and all(isinstance(p, str) for p in v) for v in owners.values()
            ):
                return {name: (dist[0], dist[1]) for name, dist in owners.items()}
        owners = read_distributions(root, self.finder.listing)
        import time

        # a directory changed in the last seconds may change again within the same mtime tick
        if time.time_ns() - stamp > 2_000_000_000:
            _write_json_atomic(path, {"root": root, "mtime_ns": stamp, "owners": owners})
        return owners

    def _cache_file(self, location: Location) -> Optional[str]:
        """Per distribution name and version (the stdlib: per interpreter version and
        directory); code no distribution owns is not cached (it changes as you edit)."""
        if self.cache_dir is None:
            return None
        top = self.finder.find(location.name.split(".")[0])
        if top is None:
            return None
        if self._is_stdlib(top):
            key = "python-{}-{}".format(
                ".".join(map(str, self.python_version)), _short_hash(self.stdlib or ""))
        else:
            dist = self._distribution(top)
            if dist is None:
                return None
            # the same name and version can be installed in two venvs for two Pythons
            key = "{}-{}-py{}-{}".format(
                dist[0].lower(), dist[1], ".".join(map(str, self.python_version[:2])),
                _short_hash(top.root))
        return os.path.join(self.cache_dir, f"api-v{FORMAT}", key, location.name + ".json")

    def _elsewhere(self, module: str, name: str, limit: int = 400) -> tuple[str, ...]:
        """Modules of the same top-level package (and its distribution's sibling top-level
        packages, like langchain -> langchain_community) that bind `name` publicly: where a
        moved name lives now. Reads at most `limit` modules."""
        if name.startswith("_"):
            return ()
        top = module.split(".")[0]
        tops = [top] + sorted(
            t for t in self._installed_tops() if t != top and t.startswith(top + "_"))
        found: list[str] = []
        budget = [limit]
        for package in tops:
            self._walk_for(package, name, found, budget, module, tuple(tops))
        return tuple(found[:3])

    def _installed_tops(self) -> list[str]:
        tops: set[str] = set()
        for path in self.finder.search_paths:
            if self.stdlib and os.path.realpath(path) == self.stdlib:
                continue
            for entry in self.finder.listing.entries(path):
                stem = entry[:-3] if entry.endswith(".py") else entry
                if stem.isidentifier():
                    tops.add(stem)
        return sorted(tops)

    def _walk_for(self, module: str, name: str, found: list[str], budget: list[int], skip: str,
                  family: tuple[str, ...] = ()) -> None:
        if budget[0] <= 0 or len(found) >= 3:
            return
        location = self.finder.find(module)
        if location is None:
            return
        budget[0] -= 1
        api = self.module_api(module)
        if module != skip and api is not None and not module.split(".")[-1].startswith("_"):
            entry = api["names"].get(name)
            if entry is not None and _defined_in_family(entry, family):
                found.append(module)
                return
        if location.is_package:
            for sub in self.finder.submodules(location):
                if not sub.startswith("_") and sub not in ("tests", "test", "testing", "conftest"):
                    self._walk_for(f"{module}.{sub}", name, found, budget, skip, family)


def _bound(target: _Target) -> _Target:
    """A method reached through an instance: called without self ("!" marks it bound)."""
    if target.kind == "function":
        return _Target("function", target.path, target.module, target.data, target.how + "!")
    if target.kind == "union":
        return _Target("union", target.path, target.module, [_bound(t) for t in target.data])
    return target


def _defined_in_family(entry: list, family: tuple[str, ...]) -> bool:
    """Defined there, or imported there from the same package family (not a re-export of
    another project's name, such as jinja2.compiler's `from markupsafe import Markup`)."""
    if entry[0] in ("c", "f", "v"):
        return True
    if entry[0] == "i":
        return entry[1].split(".")[0] in family
    if entry[0] == "u":
        return all(_defined_in_family(e, family) for e in entry[1])
    return False


class _CompiledApis:
    """The compiled stdlib modules' APIs (see hooks._api.compiled), as a read-only mapping
    (`in`, `get`). On disk, one file per module plus one with their names: a commit reads the
    names and the few modules its code uses (builtins, sys, time...), where one file for all
    of them (~460 KB) cost ~6 ms of JSON decoding on every commit. A missing or damaged file
    is a miss: the interpreter is asked again and every file rewritten."""

    def __init__(self, executable: Optional[str], cache_dir: Optional[str]) -> None:
        self._executable = executable
        self._dir = cache_dir  # None: no disk cache
        self._all: Optional[dict[str, Any]] = None  # every module's API, once probed
        self._names: Optional[frozenset[str]] = None
        self._read: dict[str, dict[str, Any]] = {}

    def names(self) -> frozenset[str]:
        if self._names is None:
            saved = _read_json(os.path.join(self._dir, _COMPILED_NAMES)) if self._dir else None
            names = saved.get("names") if saved is not None and saved.get("format") == FORMAT else None
            if isinstance(names, list) and all(isinstance(n, str) for n in names):
                self._names = frozenset(names)
            else:
                self._names = frozenset(self._probe())
        return self._names

    def __contains__(self, module: object) -> bool:
        return module in self.names()

    def get(self, module: str) -> Optional[dict[str, Any]]:
        if module not in self.names():
            return None
        if self._all is not None:
            return self._all.get(module)
        if module not in self._read:
            saved = _read_json(self._module_file(module))
            api = None
            if saved is not None and saved.get("format") == FORMAT and saved.get("module") == module:
                api = saved.get("api")
            if not isinstance(api, dict):
                return self._probe().get(module)  # missing or damaged: ask the interpreter again
            self._read[module] = api
        return self._read[module]

    def _module_file(self, module: str) -> str:
        return os.path.join(self._dir or "", module + ".json")

    def _probe(self) -> dict[str, Any]:
        """Every module's API from the interpreter, written one file per module, then the names
        (last: a reader that finds the names finds the modules)."""
        if self._all is None:
            from hooks._api.compiled import probe

            self._all = (probe(self._executable) if self._executable else None) or {}
            if self._dir is not None and self._all:
                for module, api in self._all.items():
                    _write_json_atomic(self._module_file(module), {"format": FORMAT, "module": module, "api": api})
                _write_json_atomic(os.path.join(self._dir, _COMPILED_NAMES), {"format": FORMAT, "names": sorted(self._all)})
        return self._all


_COMPILED_NAMES = "__names__.json"  # no compiled module has this name


def _nearest(name: str, candidates: Sequence[str]) -> tuple[str, ...]:
    import difflib  # only for a missing name (a finding): ~1 ms of import on every other commit

    public = sorted({c for c in candidates if not c.startswith("_") or name.startswith("_")})
    return tuple(difflib.get_close_matches(name, public, n=3, cutoff=0.6))


def _short_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogateescape")).hexdigest()[:12]


def _read_json(path: str) -> Optional[dict[str, Any]]:
    from hooks._core.cache import read_json

    data = read_json(path)  # missing or damaged: None, rebuild
    return data if isinstance(data, dict) else None


def _write_json_atomic(path: str, data: dict[str, Any]) -> None:
    """Atomic, shared with concurrent writers; a cache that cannot be written only costs speed."""
    from hooks._core.cache import write_atomic

    write_atomic(path, json.dumps(data, separators=(",", ":")))
