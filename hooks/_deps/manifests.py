"""Every place a Python project declares a dependency, with the file and line where each
name is written: requirements files (with -r/-c includes), pyproject.toml (PEP 621,
[build-system], PEP 735 groups, Poetry), setup.cfg, .pre-commit-config.yaml
additional_dependencies and PEP 723 inline script metadata.

URL, path and editable requirements are not names on an index, so they are left out.
"""
from __future__ import annotations

import os
import re
from hooks._core.lazyre import lazy
from hooks._core.record import dataclass, field

from hooks._core.files import SourceFile, read_source
from hooks._deps.pkgindex import normalize

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (~3 ms)
if TYPE_CHECKING:
    from typing import Any, Iterable, Iterator, Sequence

_REQ_NAME = lazy(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)")
_PEP723 = lazy(
    r"(?m)^# /// (?P<type>[a-zA-Z0-9-]+)$\s(?P<content>(^#(| .*)$\s)+)^# ///$"
)
_TOML_ERROR_AT = lazy(r"\(at line (\d+), column (\d+)\)")
_TOML_HEADER = lazy(r"^\s*\[\[?\s*([^\]]+?)\s*\]\]?\s*(#.*)?$")


@dataclass(frozen=True)
class Declared:
    """One dependency name where it is written."""

    name: str
    spec: str  # the version specifier ('' when none), PEP 440 syntax
    path: str
    line: int
    col: int
    source: str  # what declared it, e.g. "requirements", "project.dependencies"

    @property
    def key(self) -> str:
        return normalize(self.name)


@dataclass(frozen=True)
class Problem:
    """A declaration that cannot be read (a DG100-style finding)."""

    path: str
    line: int
    col: int
    message: str


@dataclass
class Manifest:
    declared: list[Declared] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    index_url: str | None = None
    extra_index_urls: list[str] = field(default_factory=list)
    includes: list[str] = field(default_factory=list)  # requirement files read through -r/-c


def is_requirements_file(path: str) -> bool:
    base = os.path.basename(path).lower()
    parent = os.path.basename(os.path.dirname(path)).lower()
    if not base.endswith((".txt", ".in")):
        return False
    return "requirements" in base or "constraints" in base or parent in ("requirements", "requirements.d")


def is_manifest(path: str) -> bool:
    base = os.path.basename(path)
    return base in ("pyproject.toml", "setup.cfg", ".pre-commit-config.yaml") or is_requirements_file(path)


def read_manifest(source: SourceFile) -> Manifest:
    base = os.path.basename(source.path)
    if base == "pyproject.toml":
        return read_pyproject(source)
    if base == "setup.cfg":
        return _remembered(source, read_setup_cfg)
    if base == ".pre-commit-config.yaml":
        return read_pre_commit_config(source)
    if source.path.endswith(".py"):
        return read_inline_script(source)
    return read_requirements(source.path)


def _remembered(source: SourceFile, read: Any) -> Manifest:
    """read(source), from the disk cache while the file's text and this module are the same
    (hooks._deps.parsecache): setup.cfg is read on every commit that touches a requirements
    file beside it, and rarely changes."""
    from hooks._deps.parsecache import remembered

    return remembered(
        "manifest", source.path, [source.text.encode("utf-8", "surrogateescape")], __file__,
        lambda: read(source), _dump_manifest, _load_manifest,
    )


def _dump_manifest(manifest: Manifest) -> dict[str, Any]:
    return {
        "declared": [[d.name, d.spec, d.path, d.line, d.col, d.source] for d in manifest.declared],
        "problems": [[p.path, p.line, p.col, p.message] for p in manifest.problems],
        "index_url": manifest.index_url, "extra_index_urls": manifest.extra_index_urls,
        "includes": manifest.includes,
    }


def _load_manifest(value: Any) -> Manifest:
    """_dump_manifest's value back; ValueError when it does not have that shape."""
    declared, problems = value["declared"], value["problems"]
    if not (
        all(len(row) == 6 and type(row[3]) is int and type(row[4]) is int
            and all(isinstance(row[i], str) for i in (0, 1, 2, 5)) for row in declared)
        and all(len(row) == 4 and isinstance(row[0], str) and type(row[1]) is int and type(row[2]) is int
                and isinstance(row[3], str) for row in problems)
        and (value["index_url"] is None or isinstance(value["index_url"], str))
        and all(isinstance(u, str) for u in value["extra_index_urls"])
        and all(isinstance(u, str) for u in value["includes"])
    ):
        raise ValueError("not a manifest")
    return Manifest(
        [Declared(*row) for row in declared], [Problem(*row) for row in problems],
        value["index_url"], list(value["extra_index_urls"]), list(value["includes"]),
    )


# --- locating a name in text --------------------------------------------------------


class Locator:
    """Finds the line and column where a name is written, each occurrence claimed once."""

    def __init__(self, source: SourceFile, line_offset: int = 0, col_offset: int = 0) -> None:
        self.source = source
        self.line_offset = line_offset
        self.col_offset = col_offset
        self.claimed: set[tuple[int, int]] = set()
        self.headers = self._toml_tables()
        self._words: dict[int, dict[str, list[int]]] = {}

    def _toml_tables(self) -> list[str]:
        current, tables = "", []
        for text in self.source.lines:
            match = _TOML_HEADER.match(text)
            if match:
                current = match.group(1).replace('"', "").replace(" ", "")
            tables.append(current)
        return tables

    def find(self, name: str, table_prefix: str | None = None) -> tuple[int, int]:
        target = normalize(name)
        plain = re.match(r"[a-z0-9]+(?:-[a-z0-9]+)*\Z", target) is not None
        pattern = None
        for restrict in ((True, False) if table_prefix is not None else (False,)):
            for number, text in enumerate(self.source.lines, 1):
                if restrict and not self.headers[number - 1].startswith(table_prefix or ""):
                    continue
                if text.lstrip().startswith("#"):
                    continue
                if plain and text.isascii():
                    starts: Iterable[int] = self._starts(number, text).get(target, ())
                else:  # re.I folds some non-ASCII letters onto ASCII ones: the regex decides
                    pattern = pattern or _name_pattern(target)
                    starts = (match.start() for match in pattern.finditer(text))
                for start in starts:
                    spot = (number, start)
                    if spot not in self.claimed and not _in_comment(text, start):
                        self.claimed.add(spot)
                        return number + self.line_offset, start + 1 + self.col_offset
        return 1 + self.line_offset, 1

    def _starts(self, number: int, text: str) -> dict[str, list[int]]:
        """Normalized name -> where it is written on an ASCII line, in order: what
        `_name_pattern(name)` finds there, with one scan of the line for every name (a
        pattern per declared name, run over every line, was most of reading a long
        pyproject). A name starts a word ([A-Za-z0-9._-] run) and ends at its end or at a dot."""
        if number not in self._words:
            found: dict[str, list[int]] = {}
            for word in re.finditer(r"[A-Za-z0-9._-]+", text):
                token, start = word.group(), word.start()
                ends = [i for i, char in enumerate(token) if char == "."] + [len(token)]
                for end in ends:
                    found.setdefault(normalize(token[:end]), []).append(start)
            self._words[number] = found
        return self._words[number]


def _name_pattern(target: str) -> re.Pattern[str]:
    """Where the normalized name `target` is written: any case, any run of `-_.` between its
    parts, not inside a longer name."""
    return re.compile(
        r"(?<![A-Za-z0-9._-])" + r"[-_.]+".join(map(re.escape, target.split("-")))
        + r"(?![A-Za-z0-9_-])", re.I,
    )


def _in_comment(text: str, col: int) -> bool:
    """A `#` before `col` that is not inside a double-quoted string starts a comment."""
    hash_at = text.find("#")
    return 0 <= hash_at < col and text[:hash_at].count('"') % 2 == 0


# --- requirement strings ------------------------------------------------------------


def parse_requirement(text: str) -> tuple[str, str] | None | str:
    """(name, specifier) for a named requirement; None for URL/path ones that have no
    index name; an error message string when it does not parse."""
    text = text.strip()
    if not text:
        return "empty requirement"
    plain = _plain_requirement(text)
    if plain is not None:
        return plain
    from packaging.requirements import InvalidRequirement, Requirement

    try:
        req = Requirement(text)
    except InvalidRequirement as exc:
        if text.startswith((".", "/", "file:", "git+", "hg+", "svn+", "bzr+", "http:", "https:")):
            return None
        return f"cannot parse requirement `{text}`: {str(exc).splitlines()[0]}"
    if req.url:
        return None
    return req.name, str(req.specifier)


_NAME_RE = r"[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?"
# `name`, `name[extra, other]`, `name >=1, <2`: what nearly every pyproject.toml and setup.cfg
# holds; a string left to re's own cache, compiled on first use only
_PLAIN_REQUIREMENT = (
    rf"(?P<name>{_NAME_RE})(?:\s*\[\s*(?:{_NAME_RE}(?:\s*,\s*{_NAME_RE})*)?\s*\])?"
    r"(?P<spec>{one}(?:\s*,{one})*)?\s*(?:;\s*{markers}\s*)?\Z"
)
# environment markers as `variable op "value"` joined by and/or (no parentheses): what
# requirement strings hold in practice; packaging accepts every such marker
_MARKER_VARIABLE = (
    r"(?:python_version|python_full_version|sys_platform|platform_system|platform_machine|"
    r"platform_release|platform_version|platform_python_implementation|implementation_name|"
    r"implementation_version|os_name|extra)"
)
_ONE_MARKER = rf"""{_MARKER_VARIABLE}\s*(?:===|==|~=|!=|<=|>=|<|>|\bin\b|\bnot\s+in\b)\s*(?:"[^"]*"|'[^']*')"""
_MARKERS = rf"{_ONE_MARKER}(?:\s+(?:and|or)\s+{_ONE_MARKER})*"


def _plain_requirement(text: str) -> tuple[str, str] | None:
    """(name, specifier) of a plain requirement (with simple markers or none), exactly as
    packaging's Requirement gives them (its SpecifierSet prints its distinct specifiers
    sorted, spaces dropped), without importing packaging.requirements (~10 ms a commit); None
    for anything else (URLs, parenthesized markers, odd versions): the full parser takes it."""
    match = re.match(_PLAIN_REQUIREMENT.replace("{one}", _ONE_SPEC).replace("{markers}", _MARKERS), text)
    if match is None:
        return None
    spec = match.group("spec")
    parts = sorted({re.sub(r"\s+", "", part) for part in spec.split(",")}) if spec else []
    if parts and not _valid_specifiers(parts):
        return None
    return match.group("name"), ",".join(parts)


def _declare(
    manifest: Manifest, locator: Locator, path: str, text: Any, source: str, table: str | None
) -> None:
    if not isinstance(text, str):
        line, col = locator.find(source.rsplit(".", 1)[-1], table)
        shown = f"{text!r}"[:60]
        manifest.problems.append(Problem(path, line, col, f"{source}: expected a requirement string, got {shown}"))
        return
    parsed = parse_requirement(text)
    if parsed is None:
        return
    if isinstance(parsed, str):
        name = _REQ_NAME.match(text)
        line, col = locator.find(name.group(1), table) if name else (1, 1)
        manifest.problems.append(Problem(path, line, col, parsed))
        return
    name, spec = parsed
    line, col = locator.find(name, table) if len(name) <= MAX_NAME_CHARS else (1, 1)
    _add(manifest, Declared(name, spec, path, line, col, source))


# No index holds a project name this long (the longest real ones are under 100): a longer
# "name" is garbage to report here, not a question for the index.
MAX_NAME_CHARS = 200


def _add(manifest: Manifest, item: Declared) -> None:
    if len(item.name) > MAX_NAME_CHARS:
        manifest.problems.append(Problem(
            item.path, item.line, item.col,
            f"`{item.name[:40]}...` is {len(item.name)} characters long: not a package name "
            f"(at most {MAX_NAME_CHARS}); not looked up",
        ))
    else:
        manifest.declared.append(item)


# --- pyproject.toml -----------------------------------------------------------------


def load_toml_text(source: SourceFile, manifest: Manifest, line_offset: int = 0) -> dict[str, Any] | None:
    if sys_version_ge_311():
        import tomllib
    else:  # pragma: no cover
        import tomli as tomllib
    try:
        return tomllib.loads(source.text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        at = _TOML_ERROR_AT.search(message)
        line, col = (int(at.group(1)), int(at.group(2))) if at else (len(source.lines) or 1, 1)
        detail = _TOML_ERROR_AT.sub("", message).strip()
        manifest.problems.append(Problem(source.path, line + line_offset, col, f"invalid TOML: {detail}"))
        return None


def sys_version_ge_311() -> bool:
    import sys

    return sys.version_info >= (3, 11)


def _table(data: Any, *keys: str) -> Any:
    for key in keys:
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data


def read_pyproject(source: SourceFile) -> Manifest:
    manifest = Manifest()
    data = load_toml_text(source, manifest)
    if data is None:
        return manifest
    locator = Locator(source)
    path = source.path
    shape = _Shapes(manifest, locator, path)
    build = shape.table(data, "build-system", "build-system")
    for text in shape.array(build, "requires", "build-system.requires", "build-system"):
        _declare(manifest, locator, path, text, "build-system.requires", "build-system")
    project = shape.table(data, "project", "project")
    for text in shape.array(project, "dependencies", "project.dependencies", "project"):
        _declare(manifest, locator, path, text, "project.dependencies", "project")
    extras = shape.table(project, "optional-dependencies", "project.optional-dependencies", "project")
    for extra, items in extras.items():
        for text in shape.array(extras, extra, f"project.optional-dependencies.{extra}", "project"):
            _declare(manifest, locator, path, text, f"project.optional-dependencies.{extra}", "project")
    groups = shape.table(data, "dependency-groups", "dependency-groups")
    for group in groups:
        for item in shape.array(groups, group, f"dependency-groups.{group}", "dependency-groups"):
            if isinstance(item, dict) and "include-group" in item:
                continue  # its names are read where that group is declared
            _declare(manifest, locator, path, item, f"dependency-groups.{group}", "dependency-groups")
    poetry = _table(data, "tool", "poetry")
    for section, table in _poetry_tables(poetry, shape):
        for name, value in table.items():
            _declare_poetry(manifest, locator, path, name, value, section)
    return manifest


class _Shapes:
    """Reads a table or an array out of parsed TOML; a value of the wrong type (`dependencies
    = "requests"`, `project = 5`) is a DG100 at its key, never a quiet "no dependencies"."""

    def __init__(self, manifest: Manifest, locator: Locator, path: str) -> None:
        self.manifest, self.locator, self.path = manifest, locator, path

    def _wrong(self, key: str, label: str, table: str | None, expected: str, value: Any) -> None:
        line, col = self.locator.find(key, table) if key else (1, 1)
        got = type(value).__name__ if not isinstance(value, (str, int, float)) else f"{value!r}"[:60]
        self.manifest.problems.append(Problem(self.path, line, col, f"`{label}` must be {expected}, got {got}"))

    def table(self, data: Any, key: str, label: str, table: str | None = None) -> dict[str, Any]:
        value = data.get(key) if isinstance(data, dict) else None
        if value is None:
            return {}
        if not isinstance(value, dict):
            self._wrong(key, label, table, "a table", value)
            return {}
        return value

    def array(self, data: dict[str, Any], key: str, label: str, table: str | None) -> list[Any]:
        value = data.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self._wrong(key, label, table, "an array of requirement strings", value)
            return []
        return value


def _strings(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _poetry_tables(poetry: Any, shape: _Shapes) -> Iterator[tuple[str, dict[str, Any]]]:
    if not isinstance(poetry, dict):
        return
    for key in ("dependencies", "dev-dependencies"):
        yield f"tool.poetry.{key}", shape.table(poetry, key, f"tool.poetry.{key}", "tool.poetry")
    groups = shape.table(poetry, "group", "tool.poetry.group", "tool.poetry")
    for group, table in groups.items():
        label = f"tool.poetry.group.{group}"
        deps = shape.table(shape.table(groups, group, label, "tool.poetry"), "dependencies", f"{label}.dependencies", "tool.poetry")
        yield f"{label}.dependencies", deps


def _declare_poetry(
    manifest: Manifest, locator: Locator, path: str, name: str, value: Any, section: str
) -> None:
    if name.lower() == "python":
        return
    if isinstance(value, list):  # multiple-constraints form: one name, several tables
        value = value[0] if value else "*"
    if isinstance(value, dict):
        if any(k in value for k in ("path", "git", "url", "file")):
            return
        value = value.get("version", "*")
    spec = poetry_specifier(str(value)) if isinstance(value, str) else ""
    line, col = locator.find(name, "tool.poetry") if len(name) <= MAX_NAME_CHARS else (1, 1)
    _add(manifest, Declared(name, spec or "", path, line, col, section))


def poetry_specifier(constraint: str) -> str:
    """Poetry's `^1.2`, `~1.2`, `1.2.*`, `>=1,<2` and bare `1.2.3` as a PEP 440 specifier
    ('' when the constraint is `*` or cannot be translated: then no version is checked)."""
    parts = []
    for piece in (p.strip() for p in constraint.split(",")):
        if not piece or piece == "*":
            continue
        caret = piece.startswith("^")
        tilde = piece.startswith("~") and not piece.startswith("~=")
        if caret or tilde:
            release = piece[1:].strip()
            numbers = release.split(".")
            if not all(n.isdigit() for n in numbers):
                return ""
            ints = [int(n) for n in numbers]
            if caret:
                first = next((i for i, n in enumerate(ints) if n), len(ints) - 1)
                upper = ints[: first + 1]
            else:
                upper = ints[:2] if len(ints) > 1 else ints[:1]
            upper[-1] += 1
            parts += [f">={release}", "<" + ".".join(map(str, upper))]
        elif piece[0].isdigit():
            parts.append(f"=={piece}")
        else:
            parts.append(piece)
    spec = ",".join(parts)
    try:
        from packaging.specifiers import InvalidSpecifier, SpecifierSet

        SpecifierSet(spec)
    except InvalidSpecifier:
        return ""
    return spec


# --- setup.cfg ----------------------------------------------------------------------


def read_setup_cfg(source: SourceFile) -> Manifest:
    import configparser

    manifest = Manifest()
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read_string(source.text, source=source.path)
    except configparser.Error as exc:
        bad = getattr(exc, "errors", None)  # ParsingError: [(lineno, line), ...]
        if bad:
            text = str(bad[0][1]).strip("'\"").replace("\\n", "").strip()  # configparser keeps repr()
            line, detail = bad[0][0], f"cannot parse {text}"
        else:
            line, detail = getattr(exc, "lineno", None) or 1, str(exc).splitlines()[0]
        manifest.problems.append(Problem(source.path, line, 1, f"invalid setup.cfg: {detail}"))
        return manifest
    locator = Locator(source)
    wanted: list[tuple[str, str]] = []
    if parser.has_section("options"):
        for key in ("install_requires", "setup_requires", "tests_require"):
            if parser.has_option("options", key):
                wanted.append((f"options.{key}", parser.get("options", key)))
    if parser.has_section("options.extras_require"):
        for key, value in parser.items("options.extras_require"):
            wanted.append((f"options.extras_require.{key}", value))
    for label, value in wanted:
        for text in _cfg_lines(value):
            _declare(manifest, locator, source.path, text, label, None)
    return manifest


def _cfg_lines(value: str) -> Iterator[str]:
    for raw in value.splitlines():
        text = raw.split(" #", 1)[0].strip()
        if text and not text.startswith("#"):
            yield text


# --- .pre-commit-config.yaml --------------------------------------------------------

_NPM_LIKE = lazy(r"^@|^[^@\s]+@[^@\s]+$")


def read_pre_commit_config(source: SourceFile) -> Manifest:
    import yaml

    manifest = Manifest()
    try:
        data = yaml.safe_load(source.text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        manifest.problems.append(Problem(source.path, line, col, f"invalid YAML: {problem}"))
        return manifest
    locator = Locator(source)
    if data is None:
        return manifest  # empty: pre-commit itself says so
    if not isinstance(data, dict):
        return _shape_problem(manifest, source.path, f"a pre-commit config must be a mapping with `repos`, got {type(data).__name__}")
    repos = data.get("repos")
    if repos is not None and not isinstance(repos, list):
        line, col = locator.find("repos")
        manifest.problems.append(Problem(source.path, line, col, f"`repos` must be a list, got {type(repos).__name__}"))
        return manifest
    for repo in repos or ():
        hooks = repo.get("hooks") if isinstance(repo, dict) else None
        if hooks is not None and not isinstance(hooks, list):
            line, col = locator.find("hooks")
            manifest.problems.append(Problem(source.path, line, col, f"`hooks` must be a list, got {type(hooks).__name__}"))
            continue
        for hook in hooks or ():
            deps = hook.get("additional_dependencies") if isinstance(hook, dict) else None
            if deps is None:
                continue
            key_at = locator.find("additional_dependencies")  # this hook's key, claimed in order
            if not isinstance(deps, list):
                manifest.problems.append(Problem(
                    source.path, *key_at, f"`additional_dependencies` must be a list, got {type(deps).__name__}",
                ))
                continue
            if not deps or not _python_hook(hook, deps):
                continue
            for dep in deps:
                if isinstance(dep, str):
                    _declare(manifest, locator, source.path, dep, "additional_dependencies", None)
                else:  # a number or null is no package name: never looked up as `1` or `None`
                    manifest.problems.append(Problem(
                        source.path, *key_at,
                        f"additional_dependencies: expected a requirement string, got {f'{dep!r}'[:60]}",
                    ))
    return manifest


def _shape_problem(manifest: Manifest, path: str, message: str) -> Manifest:
    manifest.problems.append(Problem(path, 1, 1, message))
    return manifest


def _python_hook(hook: dict[str, Any], deps: Sequence[Any]) -> bool:
    """additional_dependencies are pip names only for Python hooks. A remote hook's language
    is not in this file; npm-style entries (`@scope/x`, `x@1`) give a Node hook away."""
    language = hook.get("language")
    if language is not None and language != "python":
        return False
    return not any(_NPM_LIKE.match(str(dep).strip()) for dep in deps)


# --- PEP 723 inline script metadata -------------------------------------------------


def read_inline_script(source: SourceFile) -> Manifest:
    manifest = Manifest()
    if "# /// script" not in source.text:
        return manifest
    for match in _PEP723.finditer(source.text):
        if match.group("type") != "script":
            continue
        first_line = source.text.count("\n", 0, match.start("content"))
        content = "".join(
            line[2:] if line.startswith("# ") else line[1:]
            for line in match.group("content").splitlines(keepends=True)
        )
        block = SourceFile(source.path, content)
        data = load_toml_text(block, manifest, line_offset=first_line)
        if data is None:
            continue
        locator = Locator(block, line_offset=first_line, col_offset=2)  # past the "# "
        shape = _Shapes(manifest, locator, source.path)
        for text in shape.array(data, "dependencies", "dependencies", None):
            _declare(manifest, locator, source.path, text, "script dependencies", None)
    return manifest


# --- requirements files -------------------------------------------------------------


def read_requirements(
    path: str, seen: set[str] | None = None, constraint: bool = False, root: str | None = None
) -> Manifest:
    """A requirements file and every file it includes with -r/-c, each name at its own
    file and line. pip-requirements-parser reads the lines; includes are followed here so a
    missing or cyclic include is a finding at its `-r` line, not a crash. Includes are
    followed only inside `root` (the repository: the working directory, or the top file's
    own directory when it lies elsewhere): `-r /etc/shadow` must not echo a line of it."""
    manifest = Manifest()
    seen = set() if seen is None else seen
    if root is None:
        root = _boundary(path)
    seen.add(os.path.normcase(os.path.abspath(path)))
    lines = _source_lines(path)
    source = "constraints" if constraint else "requirements"
    simple = _simple_requirements(lines)
    if simple is not None:
        for name, spec, line, col in simple:
            _add(manifest, Declared(name, spec, path, line, col, source))
        return manifest
    from pip_requirements_parser import InstallRequirement, InvalidRequirementLine, OptionLine

    safe_lines, too_long = _tame_lines(lines)
    for number in too_long:
        manifest.problems.append(Problem(
            path, number, 1, f"line is over {MAX_LINE_CHARS} characters long; not parsed",
        ))
    try:
        items = list(_parse_tamed(path, constraint, lines, safe_lines))
    except (LookupError, UnicodeError) as exc:
        # pip honours a `# -*- coding: X -*-` line in requirements files; an unknown or
        # wrong one fails inside the parser
        manifest.problems.append(Problem(path, 1, 1, f"cannot read requirements file: {_clip(str(exc))}"))
        return manifest
    for item in items:
        number = item.line_number or 1
        if isinstance(item, InvalidRequirementLine):
            detail = " ".join(item.error_message.replace("Invalid requirement: :", "").split())
            manifest.problems.append(Problem(path, number, 1, f"cannot parse requirement line: {_clip(detail)}"))
        elif isinstance(item, OptionLine):
            _requirement_options(manifest, path, number, item.options, seen, root)
        elif isinstance(item, InstallRequirement):
            if item.name is None or item.link is not None or item.is_editable:
                continue  # URL, path or editable: nothing to look up
            text = lines[number - 1] if number <= len(lines) else ""
            col = _name_col(text, item.name)
            _add(manifest, Declared(item.name, str(item.specifier or ""), path, number, col, source))
    return manifest


_ONE_SPEC = r"\s*(?:~=|===|==|!=|<=|>=|<|>)\s*[A-Za-z0-9.*+!_-]+"
_SIMPLE_LINE = lazy(
    r"^\s*(?P<name>[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)"
    r"(?:\s*\[[A-Za-z0-9._,\s-]*\])?"
    rf"(?P<spec>{_ONE_SPEC}(?:\s*,{_ONE_SPEC})*)?"
    r"\s*(?:\s#.*)?$"
)


def _simple_requirements(lines: Sequence[str]) -> list[tuple[str, str, int, int]] | None:
    """(name, specifier, line, col) when every line is a plain `name[extras] specifiers`
    (or blank, or a comment); None otherwise. Such files, the common case, need neither
    pip-requirements-parser nor packaging (about 100 ms of imports on every commit); any
    option, include, URL, marker, continuation or oddity goes to the full parser. The
    specifier is written the way packaging's SpecifierSet prints it, so both paths agree."""
    found = []
    for number, text in enumerate(lines, 1):
        stripped = text.strip()
        if not stripped or stripped.startswith("#"):
            continue
        match = _SIMPLE_LINE.match(text)
        if match is None:
            return None
        spec = match.group("spec") or ""
        parts = sorted(re.sub(r"\s+", "", part) for part in spec.split(",")) if spec else []
        if parts and not _valid_specifiers(parts):
            return None  # the full parser reports it (DG100)
        found.append((match.group("name"), ",".join(parts), number, match.start("name") + 1))
    return found


# Specifiers packaging always accepts (a release number, `~=` with two parts or more, a
# trailing `.*` after == or !=): checked without importing packaging (~6 ms a commit)
_PLAIN_SPECIFIER = lazy(r"(?:(?:>=|<=|>|<|==|!=)[0-9]+(?:\.[0-9]+)*|~=[0-9]+(?:\.[0-9]+)+|(?:==|!=)[0-9]+(?:\.[0-9]+)*\.\*)\Z")


def _valid_specifiers(parts: Sequence[str]) -> bool:
    """Whether packaging accepts every (whitespace-free) specifier in `parts`."""
    unusual = [part for part in parts if _PLAIN_SPECIFIER.match(part) is None]
    if not unusual:
        return True
    from packaging.specifiers import InvalidSpecifier, Specifier

    try:
        for part in unusual:
            Specifier(part)
    except InvalidSpecifier:
        return False
    return True


# pip-requirements-parser's comment regex is quadratic in a run of blanks (100,000 spaces
# take minutes): lines reach it with blank runs collapsed, and none longer than this.
MAX_LINE_CHARS = 10_000
_BLANK_RUN = lazy(r"[ \t]{2,}")


def _tame_lines(lines: Sequence[str]) -> tuple[list[str] | None, list[int]]:
    """(lines to hand the parser instead of the file, or None when the file is fine as it
    is; numbers of the lines too long to parse). Line numbers are kept: a dropped line
    becomes blank. Blanks inside a requirement line carry no meaning to pip."""
    if not any(len(text) > MAX_LINE_CHARS or "  " in text or "\t" in text for text in lines):
        return None, []
    safe = [_BLANK_RUN.sub(" ", text) for text in lines]
    too_long = [n for n, text in enumerate(safe, 1) if len(text) > MAX_LINE_CHARS]
    for number in too_long:
        safe[number - 1] = ""
    return safe, too_long


def _parse_tamed(path: str, constraint: bool, lines: Sequence[str], safe: list[str] | None) -> Iterator[Any]:
    if safe is None:
        yield from _parse_requirement_lines(path, constraint)
        return
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        copy = os.path.join(tmp, os.path.basename(path))
        with open(copy, "w", encoding="utf-8") as handle:
            handle.write("\n".join(safe) + "\n")
        yield from _parse_requirement_lines(copy, constraint)


def _clip(text: str, limit: int = 200) -> str:
    """A message quotes at most `limit` characters of the input."""
    return text if len(text) <= limit else text[:limit] + "..."


def _parse_requirement_lines(path: str, constraint: bool) -> Iterator[Any]:
    """What `RequirementsFile.parse(path, include_nested=False)` yields, minus its cost:
    pip-requirements-parser builds a fresh optparse parser for every line (~1 ms each),
    so lines without options skip optparse here. Same library pieces, same results."""
    import pip_requirements_parser as prp

    file_parser = prp.RequirementsFileParser(_line_parser())
    for parsed in file_parser.parse(filename=path, is_constraint=constraint, include_nested=False):
        if not isinstance(parsed, prp.ParsedLine):
            yield parsed
            continue
        for item in prp.handle_line(parsed_line=parsed):
            if isinstance(item, prp.ParsedRequirement):
                try:
                    yield prp.build_req_from_parsedreq(item)
                except Exception as exc:  # the library reports bad requirements this way too
                    yield prp.InvalidRequirementLine(
                        requirement_line=item.requirement_line, error_message=str(exc).strip()
                    )
            elif item is not None:
                yield item


def _line_parser() -> Any:
    from pip_requirements_parser import break_args_options, build_parser, get_line_parser

    with_options = get_line_parser()
    option_parser = build_parser()

    def parse_line(line: str) -> tuple[str, Any, list[str]]:
        args, options = break_args_options(line)
        if options.strip():
            return with_options(line)  # type: ignore[no-any-return]
        return args, option_parser.get_default_values(), []

    return parse_line


def _boundary(path: str) -> str:
    cwd = os.path.realpath(os.getcwd())
    return cwd if _inside(os.path.realpath(path), cwd) else os.path.dirname(os.path.realpath(path))


def _inside(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def _requirement_options(
    manifest: Manifest, path: str, number: int, options: dict[str, Any], seen: set[str], root: str
) -> None:
    if options.get("index_url"):
        manifest.index_url = options["index_url"]
    manifest.extra_index_urls += list(options.get("extra_index_urls") or [])
    for key, constraint in (("requirements", False), ("constraints", True)):
        for target in options.get(key) or ():
            if re.match(r"^[a-z][a-z0-9+.-]*://", target):
                continue  # remote include: not ours to fetch
            included = os.path.normpath(os.path.join(os.path.dirname(path), target))
            if os.path.normcase(os.path.abspath(included)) in seen:
                continue
            if not _inside(os.path.realpath(included), root):
                manifest.problems.append(Problem(
                    path, number, 1, f"included file `{target}` is outside the repository; not read "
                    "(include files of this repository only)",
                ))
                continue
            if not os.path.lexists(included):
                manifest.problems.append(Problem(path, number, 1, f"included file `{target}` not found"))
                continue
            if not os.path.isfile(included):
                manifest.problems.append(Problem(path, number, 1, f"included file `{target}` is not a regular file"))
                continue
            nested = read_requirements(included, seen, constraint, root)
            manifest.includes.append(included)
            manifest.declared += nested.declared
            manifest.problems += nested.problems
            manifest.extra_index_urls += nested.extra_index_urls
            manifest.index_url = manifest.index_url or nested.index_url


def requirement_names(path: str, text: str) -> set[str]:
    """Normalized names in a requirements text (no includes), e.g. a file's HEAD version."""
    import tempfile

    # RequirementsFile.from_string exists but fails in pip-requirements-parser 32.0.1
    # (it uses an unimported `Path`), so the text goes through a temp file here.
    with tempfile.TemporaryDirectory() as tmp:
        copy = os.path.join(tmp, os.path.basename(path))
        with open(copy, "w", encoding="utf-8") as handle:
            handle.write(text)
        return {d.key for d in read_requirements(copy).declared if d.path == copy}


def _source_lines(path: str) -> list[str]:
    try:
        source = read_source(path)
    except OSError:
        return []
    return source.lines if source is not None else []


def _name_col(text: str, name: str) -> int:
    at = text.lower().find(name.lower())
    return at + 1 if at >= 0 else 1


def read_all(paths: Iterable[str]) -> Manifest:
    """Every declaration in `paths` (a missing or binary file contributes nothing)."""
    total = Manifest()
    for path in paths:
        try:
            source = read_source(path)
        except OSError:
            continue
        if source is None:
            continue
        part = read_manifest(source)
        total.declared += part.declared
        total.problems += part.problems
        total.extra_index_urls += part.extra_index_urls
        total.index_url = total.index_url or part.index_url
    return total
