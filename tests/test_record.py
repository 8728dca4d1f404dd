"""hooks._core.record builds the same records as the stdlib's dataclasses (issue 15: a hook
process no longer imports dataclasses/inspect or pays one exec per generated method)."""
from __future__ import annotations

import copy
import dataclasses
import pickle
import subprocess
import sys
from pathlib import Path
from typing import Any, ClassVar

import pytest

from hooks._core import record

ROOT = Path(__file__).resolve().parents[1]


def _build(module: Any) -> dict[str, type]:
    """The same class bodies, decorated by `module` (dataclasses or record)."""

    @module.dataclass(frozen=True)
    class Frozen:
        """A frozen record."""

        path: str
        line: int
        tags: tuple[str, ...] = ()
        hidden: str = module.field(default="", repr=False)
        loose: int = module.field(default=0, compare=False)

    @module.dataclass
    class Plain:
        name: str
        items: list[str] = module.field(default_factory=list)
        seen: set[str] = module.field(default_factory=set, repr=False, compare=False)
        count: int = 0

        def __post_init__(self) -> None:
            self.count += len(self.items)

        def describe(self) -> str:
            return f"{self.name}:{self.count}"

    @module.dataclass
    class Empty:
        pass

    return {"Frozen": Frozen, "Plain": Plain, "Empty": Empty}


STD, OURS = _build(dataclasses), _build(record)


def _outcome(call: Any) -> Any:
    try:
        return ("ok", call())
    except Exception as exc:  # the kind of error is part of the behaviour
        return ("error", type(exc).__mro__[1:3] if isinstance(exc, AttributeError) else type(exc), str(exc))


@pytest.mark.parametrize("kinds", [STD, OURS], ids=["dataclasses", "record"])
def test_same_behaviour_as_dataclasses(kinds: dict[str, type]) -> None:
    """Every observable behaviour the hooks use, checked against the stdlib's answers."""
    Frozen, Plain, Empty = kinds["Frozen"], kinds["Plain"], kinds["Empty"]
    a, b = Frozen("x.py", 3, ("t",), "secret", 1), Frozen("x.py", 3, ("t",), "other", 2)
    got = {
        "repr": repr(a),
        "eq_ignores_uncompared": a == b,
        "hash_ignores_uncompared": hash(a) == hash(b),
        "ne": a != Frozen("x.py", 4),
        "keywords": Frozen(line=1, path="k") == Frozen("k", 1),
        "defaults": (Frozen("d", 1).tags, Frozen("d", 1).hidden, Frozen.tags),
        "set": len({a, b, Frozen("y", 1)}),
        "assign": _outcome(lambda: setattr(a, "line", 9)),
        "assign_new": _outcome(lambda: setattr(a, "other", 9)),
        "delete": _outcome(lambda: delattr(a, "path")),
        "missing_arg": _outcome(lambda: Frozen("only path")),
        "too_many": _outcome(lambda: Frozen("p", 1, (), "", 0, "extra")),
        "copy": copy.copy(a) == a and copy.deepcopy(a) == a,
        "post_init_and_factory": (Plain("n", ["a", "b"]).count, Plain("n").items is not Plain("n").items),
        "plain_repr": repr(Plain("n", ["a"])),
        "plain_eq": Plain("n", ["a"]) == Plain("n", ["a"]),
        "plain_unhashable": _outcome(lambda: hash(Plain("n"))),
        "plain_mutable": _outcome(lambda: setattr(Plain("n"), "count", 5)),
        "other_class": Frozen("x.py", 3) == ("x.py", 3),
        "method": Plain("n", ["a"]).describe(),
        "empty": (repr(Empty()), Empty() == Empty()),
        "no_factory_attribute": hasattr(Plain, "items"),
        "qualname": Frozen.__init__.__qualname__.rsplit(".", 2)[-2:],
    }
    assert got == {
        "repr": "_build.<locals>.Frozen(path='x.py', line=3, tags=('t',), loose=1)",
        "eq_ignores_uncompared": False,  # `hidden` is compared
        "hash_ignores_uncompared": False,
        "ne": True,
        "keywords": True,
        "defaults": ((), "", ()),
        "set": 3,
        "assign": ("error", (AttributeError, Exception), "cannot assign to field 'line'"),
        "assign_new": ("error", (AttributeError, Exception), "cannot assign to field 'other'"),
        "delete": ("error", (AttributeError, Exception), "cannot delete field 'path'"),
        "missing_arg": ("error", TypeError, got["missing_arg"][2]),
        "too_many": ("error", TypeError, got["too_many"][2]),
        "copy": True,
        "post_init_and_factory": (2, True),
        "plain_repr": "_build.<locals>.Plain(name='n', items=['a'], count=1)",
        "plain_eq": True,
        "plain_unhashable": ("error", TypeError, "unhashable type: 'Plain'"),
        "plain_mutable": ("ok", None),
        "other_class": False,
        "method": "n:1",
        "empty": ("_build.<locals>.Empty()", True),
        "no_factory_attribute": False,
        # the stdlib names its generated methods after the class from 3.10 (3.9: a helper's
        # `<locals>`); record does so on every version
        "qualname": ["<locals>", "__init__"] if kinds is STD and sys.version_info < (3, 10) else ["Frozen", "__init__"],
    }
    assert "line" in got["missing_arg"][2] and "argument" in got["too_many"][2]


def test_findings_cross_a_process_boundary() -> None:
    """Forked workers of a large run send their findings back pickled."""
    from hooks._core.findings import Finding, Rule

    finding = Finding("a.py", 1, 2, "DG501", "too deep", "check-nesting")
    assert pickle.loads(pickle.dumps(finding)) == finding
    assert pickle.loads(pickle.dumps(Rule("DG501", "nesting"))).enabled_by_default is True


def test_a_non_default_field_after_a_default_is_refused_as_by_dataclasses() -> None:
    for module in (dataclasses, record):
        with pytest.raises(TypeError, match="non-default argument 'b' follows default argument"):

            @module.dataclass
            class Bad:
                a: int = 0
                b: int  # type: ignore[misc]


def test_options_record_does_not_implement_are_refused() -> None:
    """A ClassVar or InitVar would be a field here and not in dataclasses: refused at import."""
    with pytest.raises(TypeError, match="not supported"):

        @record.dataclass
        class WithClassVar:
            kind: ClassVar[str] = "x"


def test_a_hook_process_imports_neither_dataclasses_nor_inspect(tmp_path: Path) -> None:
    """The hooks that need no third-party library start without the stdlib's dataclasses and
    inspect (with dis, tokenize and linecache under it: ~7-14 ms of every commit's hooks), and
    still find what they find."""
    (tmp_path / "deep.py").write_text(
        "def f(x):\n    if x:\n        for y in x:\n            while y:\n"
        "                with y:\n                    if y:\n                        pass\n"
    )
    probe = (
        "import sys, importlib\nmodule = importlib.import_module(sys.argv[1])\ncode = module.main(sys.argv[2:])\n"
        "print(code, [m for m in ('dataclasses', 'inspect') if m in sys.modules], file=sys.stderr)\n"
    )
    env = {"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    for module, expected in (("hooks.check_nesting", "1 []"), ("hooks.check_agent_leftovers", "0 []"),
                             ("hooks.check_hidden_instructions", "0 []")):
        proc = subprocess.run([sys.executable, "-c", probe, module, "deep.py"], cwd=tmp_path, env=env,
                              capture_output=True, text=True, check=False)
        assert proc.stderr.splitlines()[-1] == expected, (module, proc.stdout, proc.stderr)
        if module == "hooks.check_nesting":
            assert "deep.py:6:21: DG501" in proc.stdout


# counts the generated sources record compiles, builds a record class with the field named on
# the command line, and prints the count, that record and a hook's record
_COMPILE_PROBE = """
import builtins, sys
real, count = builtins.compile, [0]
def counting(source, *args, **kwargs):
    if isinstance(source, str) and source.startswith("def __init__("):
        count[0] += 1
    return real(source, *args, **kwargs)
builtins.compile = counting
from hooks._core.record import dataclass
from hooks._core.findings import Finding
Probe = dataclass(frozen=True)(type("Probe", (), {"__annotations__": {sys.argv[1]: "int"}, sys.argv[1]: 7}))
print(count[0], Probe(), Probe() == Probe(), Finding("a.py", 1, 2, "DG501", "deep", "check-nesting"))
"""


def _compile_probe(cache: Path, field_name: str = "depth") -> tuple[int, str]:
    env = {"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "HOME": str(cache), "DRIFTGATE_CACHE_DIR": str(cache)}
    proc = subprocess.run([sys.executable, "-c", _COMPILE_PROBE, field_name], env=env, capture_output=True,
                          text=True, check=True)
    count, _, shown = proc.stdout.strip().partition(" ")
    return int(count), shown


def test_generated_methods_are_compiled_once_then_read_from_the_cache(tmp_path: Path) -> None:
    """Compiling each record class's methods is ~0.25 ms, ~10 ms of a `driftgate run`: the
    code is kept on disk per Python version, so the next process compiles none of it and
    builds the same records."""
    cold, warm = _compile_probe(tmp_path), _compile_probe(tmp_path)
    assert cold[0] >= 3 and warm[0] == 0  # Probe, Finding, Rule...
    assert cold[1] == warm[1] and warm[1].startswith("Probe(depth=7) True Finding(path='a.py', line=1")
    (cache_file,) = (tmp_path / "records-v1").iterdir()
    assert cache_file.name == f"{sys.implementation.cache_tag}-{'-'.join(map(str, sys.version_info[:3]))}.marshal"


def test_a_changed_record_class_is_compiled_again(tmp_path: Path) -> None:
    _compile_probe(tmp_path, "depth")
    count, shown = _compile_probe(tmp_path, "width")  # another class body: another source
    assert count == 1 and shown.startswith("Probe(width=7) True")
    assert _compile_probe(tmp_path, "width")[0] == 0 and _compile_probe(tmp_path, "depth")[0] == 0


@pytest.mark.parametrize("garbage", [b"", b"\x00garbage", b"\xfb" + b"\x00" * 64, b"[" * 10_000])
def test_a_damaged_code_cache_is_a_miss(tmp_path: Path, garbage: bytes) -> None:
    first = _compile_probe(tmp_path)
    (cache_file,) = (tmp_path / "records-v1").iterdir()
    cache_file.write_bytes(garbage)
    again = _compile_probe(tmp_path)
    assert again == first  # compiled again, the same records
    assert _compile_probe(tmp_path) == (0, first[1])  # and the file is whole again


def test_code_in_the_cache_is_used_only_under_its_digest(tmp_path: Path) -> None:
    """marshal trusts its input: a code cache whose payload does not match the digest in its
    header is a miss, even when the payload is well-formed. Here the cached __init__ of the
    probe's record is swapped for one that stores 99, under a header that is not its digest:
    the record must still say depth=7 (with the check gone it would say 99)."""
    import marshal

    first = _compile_probe(tmp_path)
    (cache_file,) = (tmp_path / "records-v1").iterdir()
    codes = marshal.loads(cache_file.read_bytes()[32:])
    (source,) = [key for key in codes if "'depth'" in key]
    codes[source] = compile(source.replace("_setattr(self, 'depth', depth)", "_setattr(self, 'depth', 99)"),
                            "<string>", "exec")
    cache_file.write_bytes(b"0" * 32 + marshal.dumps(codes))
    assert _compile_probe(tmp_path) == first  # compiled again: depth=7
