"""Patterns compiled on first use (issue 15: 260 regex compiles, ~50 ms, on every commit)."""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from hooks._core.lazyre import LazyPattern, lazy

ROOT = Path(__file__).resolve().parents[1]


def test_a_lazy_pattern_answers_as_the_compiled_one() -> None:
    pattern = lazy(r"(?P<key>[a-z]+)=(?P<value>\d+)", re.I)
    assert isinstance(pattern, LazyPattern) and pattern._compiled is None
    text = "A=1 bb=22 c=x"
    compiled = re.compile(r"(?P<key>[a-z]+)=(?P<value>\d+)", re.I)
    assert [m.groupdict() for m in pattern.finditer(text)] == [m.groupdict() for m in compiled.finditer(text)]
    assert pattern.match(text, 4).group("key") == "bb"
    assert pattern.sub("-", text) == compiled.sub("-", text)
    assert (pattern.pattern, pattern.flags, pattern.groupindex) == (compiled.pattern, compiled.flags, compiled.groupindex)
    assert pattern.compiled() is pattern.compiled()  # compiled once


def test_the_detector_pack_compiles_only_the_patterns_a_file_needs() -> None:
    """Importing the detector pack compiles none of its patterns; scanning a file compiles
    those whose literal the file holds (here none: a file with no token literal)."""
    code = (
        "import sys\nfrom hooks.check_secrets import detectors, generic\n"
        "from hooks.check_hidden_instructions import _addressed\nfrom hooks.check_env_vars import declarations\n"
        "mods = (detectors, generic, _addressed, declarations)\n"
        "lazy = [v for m in mods for v in vars(m).values() if type(v).__name__ == 'LazyPattern']\n"
        "lazy += [r for d in detectors.DETECTORS for r in d.denylist]\n"
        "print(len(lazy) > 60, sum(p._compiled is not None for p in lazy))\n"
        "list(detectors.DETECTORS[0]().find('nothing to see here'))\n"
        "print(sum(p._compiled is not None for p in lazy))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout
    assert out == "True 0\n0\n"
