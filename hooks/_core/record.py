"""`dataclass` and `field` for driftgate's own record classes, at a fraction of the cost.

Every hook process builds its record classes at import (43 in `driftgate run`). The stdlib
`dataclasses` costs ~7-14 ms to import (it imports `inspect`, which imports `dis`, `tokenize`,
`linecache`...) and ~0.5 ms per class (one `exec` per generated method, `inspect.signature`
for a class without a docstring): 30-40 ms of every commit. This module generates the same
methods with one small `exec` per class (`__init__`, its code kept on disk between runs; the
others are closures), for the subset driftgate uses:

- `@dataclass` and `@dataclass(frozen=True)` (eq=True, no order, no slots, no inheritance
  between records);
- `field(default=..., default_factory=..., repr=..., compare=...)`;
- `__init__` (positional or keyword, defaults, factories, `__post_init__`), `__repr__`,
  `__eq__` (same class only, compared fields as a tuple), `__hash__` (frozen: hash of the
  compared fields; otherwise unhashable), frozen `__setattr__`/`__delattr__` raising
  `FrozenInstanceError` (an AttributeError). Methods a class defines itself are kept.

Anything else (options this does not know) raises TypeError at import, so a record never
silently loses a stdlib behaviour. Type checkers see the stdlib's own `dataclass`.
"""
from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:  # type checkers understand the stdlib decorator; the runtime is below
    from dataclasses import FrozenInstanceError as FrozenInstanceError
    from dataclasses import dataclass as dataclass
    from dataclasses import field as field
else:
    import os

    class FrozenInstanceError(AttributeError):
        """Assigning to a field of a frozen record."""

    _MISSING = object()

    class _Field:
        __slots__ = ("default", "default_factory", "repr", "compare")

        def __init__(self, default: object, default_factory: object, repr: bool, compare: bool) -> None:
            self.default = default
            self.default_factory = default_factory
            self.repr = repr
            self.compare = compare

    def field(*, default=_MISSING, default_factory=_MISSING, repr=True, compare=True):
        if default is not _MISSING and default_factory is not _MISSING:
            raise ValueError("cannot specify both default and default_factory")
        return _Field(default, default_factory, repr, compare)

    def dataclass(cls=None, /, *, frozen=False):
        def wrap(cls):
            return _process(cls, frozen)

        return wrap if cls is None else wrap(cls)

    def _fields(cls):
        found = []
        for name, annotation in cls.__dict__.get("__annotations__", {}).items():
            text = annotation if isinstance(annotation, str) else repr(annotation)
            if text.startswith(("ClassVar", "typing.ClassVar", "InitVar", "dataclasses.")):
                raise TypeError(f"{cls.__qualname__}.{name}: {text} is not supported by hooks._core.record")
            value = cls.__dict__.get(name, _MISSING)
            spec = value if isinstance(value, _Field) else _Field(value, _MISSING, True, True)
            if isinstance(spec.default, (list, dict, set)):
                raise ValueError(f"mutable default {type(spec.default)} for field {name} is not allowed: use default_factory")
            found.append((name, spec))
        return found

    def _generic_methods(cls, shown, compared, names, frozen):
        from operator import attrgetter

        # attrgetter of one name returns the value itself: compare and hash tuples always
        values = (lambda self: ()) if not compared else (
            attrgetter(*compared) if len(compared) > 1 else (lambda self, _get=attrgetter(compared[0]): (_get(self),)))

        def __repr__(self):
            inner = ", ".join(f"{name}={getattr(self, name)!r}" for name in shown)
            return f"{self.__class__.__qualname__}({inner})"

        def __eq__(self, other):
            return values(self) == values(other) if other.__class__ is self.__class__ else NotImplemented

        methods = {"__repr__": __repr__, "__eq__": __eq__}
        if frozen:
            def __hash__(self):
                return hash(values(self))

            def __setattr__(self, name, value):
                if type(self) is cls or name in names:
                    raise FrozenInstanceError(f"cannot assign to field {name!r}")
                super(cls, self).__setattr__(name, value)

            def __delattr__(self, name):
                if type(self) is cls or name in names:
                    raise FrozenInstanceError(f"cannot delete field {name!r}")
                super(cls, self).__delattr__(name)

            methods.update(__hash__=__hash__, __setattr__=__setattr__, __delattr__=__delattr__)
        return methods

    # The generated __init__'s code, kept on disk: compiling each class's source cost ~0.25 ms,
    # ~10 ms of every `driftgate run` (39 classes), and the sources change only with
    # driftgate's code. One marshal file per Python version (marshal's and the bytecode's
    # format), keyed by the source text itself; a damaged or foreign file is a miss. New code
    # is merged into the file once, at exit.
    _CODES = None
    _NEW_CODES = {}

    def _compiled(source):
        global _CODES
        if _CODES is None:
            _CODES = _load_codes()
        code = _CODES.get(source)
        if code is None:
            code = _CODES[source] = compile(source, "<string>", "exec")
            if not _NEW_CODES:
                import atexit

                atexit.register(_save_codes)
            _NEW_CODES[source] = code
        return code

    def _codes_path():
        import sys

        from hooks._core.cache import user_cache_dir

        version = "-".join(map(str, sys.version_info[:3]))
        return os.path.join(user_cache_dir(), "records-v1", f"{sys.implementation.cache_tag}-{version}.marshal")

    def _load_codes():
        import marshal

        try:  # not hooks._core.files.read_bytes: its own records are being built now
            with open(_codes_path(), "rb") as handle:
                data = handle.read(16 * 1024 * 1024)
            # marshal trusts its input (a damaged size field can ask for gigabytes): the
            # payload is read only under the digest it was written with
            from hooks._core.cache import digest

            header, payload = data[:32], data[32:]
            if len(header) < 32 or digest(payload).encode("ascii") != header:
                return {}
            codes = marshal.loads(payload)
        except (OSError, ValueError, EOFError, TypeError):
            return {}
        code_type = type(_load_codes.__code__)
        if not isinstance(codes, dict) or not all(
            isinstance(k, str) and isinstance(v, code_type) for k, v in codes.items()
        ):
            return {}
        return codes

    def _save_codes():
        """Merge this process's new code into the file (another process may have written
        its own since this one read it), atomically; a cache that cannot be written only
        costs speed."""
        import marshal

        from hooks._core.cache import digest, write_atomic

        codes = {**_load_codes(), **_NEW_CODES}
        if len(codes) > 2000:  # sources of driftgate versions gone by: start again
            codes = dict(_NEW_CODES)
        payload = marshal.dumps(codes)
        write_atomic(_codes_path(), digest(payload).encode("ascii") + payload)

    def _process(cls, frozen):
        fields = _fields(cls)
        names = [name for name, _ in fields]
        env = {"_MISSING": _MISSING, "_setattr": object.__setattr__}
        params, body = [], []
        seen_default = False
        for name, spec in fields:
            if spec.default is not _MISSING:
                env[f"_dflt_{name}"] = spec.default
                params.append(f"{name}=_dflt_{name}")
                value = name
            elif spec.default_factory is not _MISSING:
                env[f"_fact_{name}"] = spec.default_factory
                params.append(f"{name}=_MISSING")
                value = f"_fact_{name}() if {name} is _MISSING else {name}"
            else:
                if seen_default:
                    raise TypeError(f"non-default argument {name!r} follows default argument")
                params.append(name)
                value = name
            seen_default = seen_default or spec.default is not _MISSING or spec.default_factory is not _MISSING
            body.append(f"  _setattr(self, {name!r}, {value})" if frozen else f"  self.{name} = {value}")
            # as dataclasses: a plain default stays a class attribute, a field() spec does not
            if spec.default is not _MISSING:
                setattr(cls, name, spec.default)
            elif name in cls.__dict__:
                delattr(cls, name)
        if hasattr(cls, "__post_init__"):
            body.append("  self.__post_init__()")
        # only __init__ is generated (the one a record's speed depends on), and its compiled
        # code comes from the disk cache; the others are closures over the field names
        exec(_compiled("\n".join([f"def __init__(self, {', '.join(params)}):", *(body or ["  pass"])])), env)
        methods = {"__init__": env["__init__"]}
        methods.update(_generic_methods(
            cls, [name for name, spec in fields if spec.repr], [name for name, spec in fields if spec.compare],
            frozenset(names), frozen))
        for method, function in methods.items():
            if method in cls.__dict__:
                if frozen and method in ("__setattr__", "__delattr__"):
                    raise TypeError(f"cannot overwrite attribute {method} in class {cls.__name__}")
                continue  # the class's own method wins, as with dataclasses
            function.__qualname__ = f"{cls.__qualname__}.{method}"
            setattr(cls, method, function)
        if not frozen and "__hash__" not in cls.__dict__:
            cls.__hash__ = None  # eq without frozen: unhashable, as dataclasses makes it
        return cls
