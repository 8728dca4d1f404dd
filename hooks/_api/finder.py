"""Where a module lives on a list of search paths, found the way the import system would
(packages, modules, stubs, extension modules, namespace packages) without importing it,
and which installed distribution (name, version) owns a top-level name."""
from __future__ import annotations

import os
import re
from hooks._core.record import dataclass

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (~3 ms)
if TYPE_CHECKING:
    from typing import Optional, Sequence

_EXTENSION = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)\.(?:[^.]+\.)?(so|pyd)$")


@dataclass(frozen=True)
class Location:
    """A module found on disk. `file` is the source or stub read for its API; `opaque` when
    only a compiled extension (no stub) exists; `dirs` are a package's directories (several
    for a namespace package)."""

    name: str
    file: Optional[str]
    is_package: bool
    opaque: bool
    dirs: tuple[str, ...]
    root: str  # the search path it was found on

    @property
    def is_stub(self) -> bool:
        return bool(self.file and self.file.endswith(".pyi"))

    @property
    def from_stub_package(self) -> bool:
        """Read from a separately distributed `<name>-stubs` package (types-requests)."""
        return bool(self.file) and any(
            part.endswith("-stubs") for part in os.path.normpath(self.file or "").split(os.sep))


class _Listing:
    """os.listdir once per directory per process."""

    def __init__(self) -> None:
        self._entries: dict[str, frozenset[str]] = {}

    def entries(self, directory: str) -> frozenset[str]:
        found = self._entries.get(directory)
        if found is None:
            try:
                found = frozenset(os.listdir(directory))
            except OSError:
                found = frozenset()
            self._entries[directory] = found
        return found


def _in_directory(listing: _Listing, directory: str, name: str, root: str, full: str,
                  stubs: bool = True) -> Optional[Location]:
    """`name` as a package, stub, module or extension inside one directory; a bare directory
    (namespace portion) comes back with file None and opaque False."""
    entries = listing.entries(directory)
    if name in entries:
        package_dir = os.path.join(directory, name)
        inside = listing.entries(package_dir)
        for init in ("__init__.pyi", "__init__.py") if stubs else ("__init__.py",):
            if init in inside:
                return Location(full, os.path.join(package_dir, init), True, False, (package_dir,), root)
        if any(_EXTENSION.match(entry) and entry.startswith("__init__.") for entry in inside):
            return Location(full, None, True, True, (package_dir,), root)
        if inside:
            return Location(full, None, True, False, (package_dir,), root)
    for suffix in (".pyi", ".py") if stubs else (".py",):
        if name + suffix in entries:
            return Location(full, os.path.join(directory, name + suffix), False, False, (), root)
    for entry in entries:
        match = _EXTENSION.match(entry)
        if match and match.group(1) == name:
            return Location(full, None, False, True, (), root)
    return None


class Finder:
    def __init__(self, search_paths: Sequence[str]) -> None:
        self.search_paths = tuple(p for p in search_paths if p and os.path.isdir(p))
        self.listing = _Listing()
        self._found: dict[str, Optional[Location]] = {}
        self._submodules: dict[tuple[str, ...], list[str]] = {}

    def find(self, module: str, stubs: bool = True) -> Optional[Location]:
        """Where `module` is; with stubs=False the source (or compiled module) a stub
        describes, skipping .pyi files and `<name>-stubs` packages."""
        key = module if stubs else module + "\0source"
        if key not in self._found:
            self._found[key] = self._find(module, stubs)
        return self._found[key]

    def _find(self, module: str, stubs: bool = True) -> Optional[Location]:
        head, _, last = module.rpartition(".")
        if head:
            parent = self.find(head, stubs)
            if parent is None or not parent.is_package:
                return None
            places = [(d, parent.root) for d in parent.dirs]
        else:
            places = [(p, p) for p in self.search_paths]
            # a PEP 561 stub-only distribution wins over the package it describes
            for directory, root in places if stubs else ():
                stub = _in_directory(self.listing, directory, last + "-stubs", root, module)
                if stub is not None and stub.file is not None:
                    return Location(module, stub.file, True, False, stub.dirs, root)
        portions: list[str] = []
        root_of_portions = ""
        for directory, root in places:
            found = _in_directory(self.listing, directory, last, root, module, stubs)
            if found is None:
                continue
            if found.file is None and not found.opaque and found.is_package:
                portions.extend(found.dirs)  # namespace portion: keep looking
                root_of_portions = root_of_portions or root
                continue
            return found
        if portions:
            return Location(module, None, True, False, tuple(portions), root_of_portions)
        return None

    def submodules(self, location: Location) -> list[str]:
        """Names of the modules and packages directly inside a package."""
        cached = self._submodules.get(location.dirs)
        if cached is None:
            cached = self._submodules[location.dirs] = self._list_submodules(location)
        return cached

    def _list_submodules(self, location: Location) -> list[str]:
        names: set[str] = set()
        for directory in location.dirs:
            for entry in self.listing.entries(directory):
                if entry.endswith((".py", ".pyi")):
                    stem = entry.rsplit(".", 1)[0]
                    if stem.isidentifier() and stem != "__init__":
                        names.add(stem)
                    continue
                match = _EXTENSION.match(entry)
                if match:
                    if match.group(1) != "__init__":
                        names.add(match.group(1))
                elif entry.isidentifier() and entry != "__pycache__" and os.path.isdir(os.path.join(directory, entry)):
                    names.add(entry)
        return sorted(names)


# --- distributions ------------------------------------------------------------------


def _dist_name_version(dist_info: str) -> Optional[tuple[str, str]]:
    stem = dist_info[: -len(".dist-info")] if dist_info.endswith(".dist-info") else dist_info[: -len(".egg-info")]
    name, _, version = stem.partition("-")
    if not name or not version:
        return None
    return name, version.split("-")[0]


def read_distributions(directory: str, listing: Optional[_Listing] = None) -> dict[str, tuple[str, str]]:
    """Top-level import name -> (distribution, version) for the dist-info directories in one
    site-packages directory (top_level.txt, else the first component of RECORD's paths)."""
    listing = listing or _Listing()
    owners: dict[str, tuple[str, str]] = {}
    for entry in sorted(listing.entries(directory)):
        if not entry.endswith((".dist-info", ".egg-info")):
            continue
        named = _dist_name_version(entry)
        if named is None:
            continue
        meta_dir = os.path.join(directory, entry)
        tops: set[str] = set()
        try:
            with open(os.path.join(meta_dir, "top_level.txt"), encoding="utf-8") as handle:
                tops = {line.strip() for line in handle if line.strip()}
        except OSError:
            try:
                with open(os.path.join(meta_dir, "RECORD"), encoding="utf-8") as handle:
                    for line in handle:
                        first = line.split(",", 1)[0].split("/", 1)[0]
                        if first.endswith(".py"):
                            first = first[:-3]
                        if first.endswith(".pyi"):
                            first = first[:-4]
                        if first.endswith("-stubs"):
                            first = first[: -len("-stubs")]
                        if first.isidentifier():
                            tops.add(first)
            except OSError:
                continue
        for top in tops:
            owners.setdefault(top.replace("/", "."), named)
    return owners
