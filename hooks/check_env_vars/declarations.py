"""Where a repository declares the environment its code runs with.

Read once per process from the whole repository (the files git tracks, so untracked junk
and node_modules are never read), whatever subset of code files pre-commit passed:

- `.env.example`, `.env.sample`, `.env.template`, `.env.dist` (also `.env.<x>.example`, ...)
- docker-compose files: `environment` (map and list forms), `env_file` (files the repo
  tracks), `build.args`
- Dockerfile / Containerfile: `ENV`, `ARG`
- Kubernetes manifests (any tracked YAML with `apiVersion` and `kind`): `env[].name`,
  `envFrom` of a ConfigMap/Secret defined in the repo (or a kustomize generator), with prefix
- Helm charts: `values*.yaml` env-like keys, and `env:` lists in `templates/`
- GitHub Actions workflows and `action.yml`: `env:`; GitLab CI: `variables:`
- more env files: `.env.<x>` (`.env.production`, ...), `template.env` (a tracked `.env` or
  `<x>.env` only as an `env_file:` target); `export NAME` and `docker run -e NAME` lines of
  shell scripts; pytest-env's `[tool.pytest_env]`, `[tool.pytest.ini_options] env` and the
  `env` of pytest.ini/tox.ini/setup.cfg; turbo.json's env lists; the project's own code
  setting a variable (`os.environ["X"] = ...`, one `git grep`)
- the user's `declaration-files` globs (format from the name: YAML, JSON, Dockerfile, or
  dotenv lines)

Documentation counts too, as a weaker kind (`Declaration.documentation`): a variable named in
a Markdown/RST page (a heading, a table cell, inline code, a `NAME=value` line), a
commented-out example (`# NAME=` in an env file, `# - NAME=...` in a compose file) and
`*.conf.example` files. Only names shaped like variables (UPPER_SNAKE) count there.
"""
from __future__ import annotations

import fnmatch
import os
import posixpath
import re
from hooks._core.record import dataclass, field

from hooks._core.files import Unreadable, decode, read_bytes
from hooks._core.lazyre import lazy
from hooks.check_env_vars.model import Declaration

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (~3 ms)
if TYPE_CHECKING:
    from typing import Any, Callable, Iterator, Sequence

ENV_NAME = lazy(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_DOTENV_EXAMPLE = lazy(
    r"(?:\.env(?:\.[\w-]+)*|[\w-]+\.env)\.(?:example|sample|template|dist|defaults?)\Z"
)
_DOCKERFILE = lazy(
    r"(?:Dockerfile|Containerfile)(?:\.[\w.-]+)?\Z|[\w.-]+\.(?:Dockerfile|dockerfile)\Z"
)
_COMPOSE = lazy(r"(?:docker-)?compose(?:[.-][\w.-]+)?\.ya?ml\Z")
_HELM_VALUES = lazy(r"(?:values(?:[.-][\w.-]+)?|[\w.-]+[.-]values)\.ya?ml\Z")
_HELM_ENV_KEY = lazy(
    r"(?:env|envs|environment|envVars|env_vars|environmentVariables|extraEnv|extraEnvs|"
    r"extraEnvVars|[a-z][A-Za-z]*Env(?:Vars)?)\Z"
)
# env files beyond the templates above: `.env.production`, `variables.env`, `template.env`
_ENV_FILE = lazy(r"\.env\.[\w.-]+\Z|(?:[\w.-]+[.-])?template\.env\Z")
_CONF_EXAMPLE = lazy(r"[\w.-]+\.conf\.(?:example|sample|dist)\Z")
_DOCS = (".md", ".mdx", ".markdown", ".rst")
_SHELL = lazy(r"[\w.-]+\.(?:sh|bash)\Z|(?:docker-)?entrypoint(?:[.-][\w.-]+)?\Z")
_PYTEST_CONFIGS = ("pytest.ini", "tox.ini", "setup.cfg")
_YAML = (".yaml", ".yml")
_TEMPLATE_MARKS = ("{{", "{%")
_DOTENV_LINE = lazy(r"\s*(?:export\s+)?(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s*(?:=|\Z|#)")
# A name in documentation: upper case, digits and underscores, at least two characters.
_DOC_NAME = r"[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*_?"
_UPPER = lazy(rf"{_DOC_NAME}\Z")
_COMMENTED_DOTENV = lazy(rf"\s*#+\s*(?:export\s+)?(?P<name>{_DOC_NAME})\s*=")
# `# - NAME=value`, `# NAME=value`, `# NAME: value` (map form: only names with an underscore,
# so that `# TODO: ...` and `# NOTE: ...` comments are not variables)
_COMMENTED_COMPOSE = lazy(
    rf"\s*#+\s*(?:-\s*['\"]?(?P<item>{_DOC_NAME})\s*(?:=|['\"]?\s*\Z)"
    rf"|['\"]?(?P<name>{_DOC_NAME})\s*=|(?P<key>[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)\s*:)"
)
_SHELL_EXPORT = lazy(r"\s*(?:export|declare\s+-x)\s+(?P<rest>[A-Za-z_].*)")
_SHELL_WORD = lazy(
    r"\s*(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?P<value>=(?:\"[^\"]*\"|'[^']*'|[^\s;]*))?(?=\s|;|\Z)"
)
_INLINE_CODE = lazy(r"(`+)(?P<body>[^`\n]+?)\1(?!`)")
_DOC_CODE_BODY = lazy(
    rf"\s*(?:export\s+|-e\s+|--env\s+)?\$?\{{?(?P<name>{_DOC_NAME})\}}?\s*(?:=.*)?\Z"
)
_DOC_ASSIGNMENT = lazy(
    rf"\s*(?:[-*>]\s+|\$\s+)?(?:export\s+|set\s+|ENV\s+)?(?P<name>{_DOC_NAME})=[^=]"
)
_DOC_DOCKER_ENV = lazy(rf"(?:\s-e|--env)[\s=]['\"]?(?P<name>{_DOC_NAME})(?:=|['\"\s]|\Z)")
_MD_HEADING = lazy(r"\s{0,3}#{1,6}\s+(?P<text>.+?)\s*#*\s*\Z")
_RST_UNDERLINE = lazy(r"([=\-~^\"'*+#`:.])\1{2,}\s*\Z")
_RST_ENVVAR = lazy(rf"\s*\.\.\s+envvar::\s+(?P<name>{_DOC_NAME})\s*\Z")
_HEADING_WORD = lazy(rf"(?<![\w-]){_DOC_NAME}(?![\w-])")
_TEMPLATED_ENV_ITEM = lazy(
    r"\s*-\s*name:\s*['\"]?(?P<name>[A-Za-z_][A-Za-z0-9_]*)['\"]?\s*(?:#.*)?\Z"
)


@dataclass
class DeclarationSet:
    sites: list[Declaration] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    files: list[str] = field(default_factory=list)  # every file the repo tracks (posix)
    globs: list[Declaration] = field(default_factory=list)  # `VITE_*` (turbo.json)

    def __post_init__(self) -> None:
        self._index: dict[str, Declaration] | None = None
        self._lower: dict[str, Declaration] = {}

    def _build(self) -> dict[str, Declaration]:
        """name -> its best site: the first deployment site, else the first documentation one."""
        if self._index is None:
            index: dict[str, Declaration] = {}
            for decl in self.sites:
                best = index.get(decl.name)
                if best is None or (best.documentation and not decl.documentation):
                    index[decl.name] = decl
            lower: dict[str, Declaration] = {}
            for name, decl in index.items():
                best = lower.get(name.lower())
                if best is None or (best.documentation and not decl.documentation):
                    lower[name.lower()] = decl
            self._index, self._lower = index, lower
        return self._index

    @property
    def names(self) -> set[str]:
        """Every declared name, documentation included."""
        return set(self._build())

    def find(self, name: str, case_insensitive: bool = False) -> Declaration | None:
        """The site declaring `name`, a deployment file in preference to documentation."""
        found = self._build().get(name)
        if case_insensitive and (found is None or found.documentation):
            folded = self._lower.get(name.lower())
            if folded is not None and (found is None or not folded.documentation):
                found = folded
        if (found is None or found.documentation) and self.globs:
            glob = next((g for g in self.globs if fnmatch.fnmatchcase(name, g.name)), None)
            found = glob or found
        return found

    def declares(self, name: str, case_insensitive: bool = False) -> bool:
        return self.find(name, case_insensitive) is not None


class _Malformed(Exception):
    pass


# --- classification ---------------------------------------------------------------


def kind_of(path: str, chart_dirs: set[str]) -> str | None:
    name = posixpath.basename(path)
    if _DOTENV_EXAMPLE.match(name):
        return "dotenv"
    if _DOCKERFILE.match(name):
        return "dockerfile"
    if name.endswith(_DOCS):
        return "docs"
    if _ENV_FILE.match(name) and name != ".env":
        return "env-file"
    if _CONF_EXAMPLE.match(name):
        return "conf-example"
    if _SHELL.match(name):
        return "shell"
    if name in _PYTEST_CONFIGS:
        return "pytest-ini"
    if name == "pyproject.toml":
        return "pyproject"
    if name == "turbo.json":
        return "turbo"
    if not name.endswith(_YAML):
        return None
    if _COMPOSE.match(name):
        return "compose"
    if path.startswith(".github/workflows/") or name in ("action.yml", "action.yaml"):
        return "actions"
    if name.endswith(("gitlab-ci.yml", "gitlab-ci.yaml")) or path.startswith(".gitlab/"):
        return "gitlab"
    parts = path.split("/")
    if "templates" in parts[:-1]:
        chart = "/".join(parts[: parts.index("templates")])
        if chart in chart_dirs:
            return "helm-template"
    if _HELM_VALUES.match(name):
        return "helm-values"
    if name in ("kustomization.yaml", "kustomization.yml"):
        return "kustomize"
    return "yaml"


def _extra_kind(path: str) -> str:
    name = posixpath.basename(path)
    if _DOCKERFILE.match(name):
        return "dockerfile"
    if name.endswith(_YAML):
        return "yaml-any"
    if name.endswith(".json"):
        return "json"
    return "dotenv"


def _matches(path: str, patterns: Sequence[str]) -> bool:
    name = posixpath.basename(path)
    return any(fnmatch.fnmatchcase(path, p) or fnmatch.fnmatchcase(name, p) for p in patterns)


# --- the collector ----------------------------------------------------------------


class _Collector:
    def __init__(self, top: str, files: list[str]) -> None:
        self.top = top
        self.files = files
        self.tracked = set(files)
        self.result = DeclarationSet(files=files)
        self.config_maps: dict[str, list[Declaration]] = {}
        # envFrom references, resolved once every ConfigMap is known: (name, prefix)
        self.env_from: list[tuple[str, str]] = []
        self.dotenv_done: set[str] = set()
        self.read: set[str] = set()  # every file opened: what a cached answer depends on

    def add(self, name: str, path: str, line: int, col: int, kind: str, reportable: bool,
            documentation: bool = False) -> None:
        if ENV_NAME.match(name):
            self.result.sites.append(
                Declaration(name, path, line, col, kind, reportable and not documentation,
                            documentation))

    def document(self, name: str, path: str, line: int, col: int, kind: str) -> None:
        """A name documentation mentions: only when it is shaped like a variable."""
        if _UPPER.match(name) and len(name) > 1:
            self.add(name, path, line, col, kind, False, documentation=True)

    def read_text(self, path: str, data: bytes | None = None, quiet: bool = False) -> str | None:
        """`quiet`: a file that cannot be read or decoded is skipped without an error
        (documentation: a page in another encoding must not stop the hook)."""
        if data is None:
            self.read.add(path)
            try:
                data = read_bytes(os.path.join(self.top, path))
            except OSError as exc:
                if not quiet:
                    self.result.errors.append(
                        f"{path}: cannot read declarations: {exc.strerror or exc}")
                return None
        try:
            return decode(path, data)
        except Unreadable as exc:
            if str(exc) == "binary file" or quiet:
                return None
            self.result.errors.append(
                f"{path}: cannot read declarations: {exc}; the variables it declares are unknown"
            )
            return None

    def run(self, path: str, kind: str) -> None:
        data = None
        self.read.add(path)
        if kind in _SNIFFED:
            # most of these files declare nothing: sniff the bytes before decoding
            try:
                data = read_bytes(os.path.join(self.top, path))
            except OSError:
                return
            if not _SNIFFED[kind](data):
                return
            text = self.read_text(path, data, quiet=True)
            if text is not None:
                _PARSERS[kind](self, path, text)
            return
        if kind == "yaml":
            # only manifests are worth parsing: sniff before decoding
            try:
                data = read_bytes(os.path.join(self.top, path))
            except OSError:
                return
            if b"apiVersion" not in data or b"kind" not in data:
                return
        text = self.read_text(path, data)
        if text is None:
            return
        try:
            _PARSERS[kind](self, path, text)
        except _Malformed as exc:
            self.result.errors.append(
                f"{path}: cannot read declarations: {exc}; fix it or add it to `exclude` "
                "(the variables it declares are unknown, so DG401/DG402 may be false)"
            )

    def finish(self) -> DeclarationSet:
        for ref, prefix in self.env_from:
            for decl in self.config_maps.get(ref, ()):
                self.add(prefix + decl.name, decl.path, decl.line, decl.col, decl.kind, True)
        return self.result


# --- dotenv and Dockerfile --------------------------------------------------------


def _parse_dotenv(c: _Collector, path: str, text: str, reportable: bool = True) -> None:
    for number, line in enumerate(text.splitlines(), 1):
        m = _DOTENV_LINE.match(line)
        if m:
            c.add(m.group("name"), path, number, m.start("name") + 1, "dotenv", reportable)
            continue
        m = _COMMENTED_DOTENV.match(line)  # `# OPTIONAL_SETTING=` documents an optional one
        if m:
            c.document(m.group("name"), path, number, m.start("name") + 1,
                       "commented example")


def _parse_env_file(c: _Collector, path: str, text: str) -> None:
    """`.env.production`, `variables.env`: read once (a compose `env_file:` may name it too);
    their names are consumed by more than the code (images, scripts), so never DG410's."""
    if path not in c.dotenv_done:
        c.dotenv_done.add(path)
        _parse_dotenv(c, path, text, reportable=False)


def _parse_conf_example(c: _Collector, path: str, text: str) -> None:
    """`app.conf.example`: an example configuration documents its `NAME=value` lines."""
    for number, line in enumerate(text.splitlines(), 1):
        m = _DOTENV_LINE.match(line) or _COMMENTED_DOTENV.match(line)
        if m:
            c.document(m.group("name"), path, number, m.start("name") + 1, "example config")


def _parse_shell(c: _Collector, path: str, text: str) -> None:
    """`export NAME=value`, `export A B`: an entrypoint script sets them for the program."""
    for number, line in enumerate(text.splitlines(), 1):
        if "-e" in line:  # `docker run -e NAME=value --env OTHER`: passed into the container
            for option in _DOC_DOCKER_ENV.finditer(line):
                c.add(option.group("name"), path, number, option.start("name") + 1,
                      "docker -e in a script", False)
        m = _SHELL_EXPORT.match(line)
        if not m:
            continue
        rest, pos = m.group("rest"), 0
        while True:
            word = _SHELL_WORD.match(rest, pos)
            if word is None:
                break
            c.add(word.group("name"), path, number, m.start("rest") + word.start("name") + 1,
                  "shell export", False)
            if (word.group("value") or "").startswith(("=$(", "=`")):
                break  # `export A=$(cmd x y)`: the rest is a command, not names
            pos = word.end()


def _parse_pytest_ini(c: _Collector, path: str, text: str) -> None:
    """pytest-env's `env =` lines in `[pytest]` (pytest.ini, tox.ini) or `[tool:pytest]`."""
    section, in_env = "", False
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if stripped.startswith("[") and stripped.endswith("]"):
            section, in_env = stripped[1:-1].strip(), False
            continue
        if section not in ("pytest", "tool:pytest"):
            continue
        m = re.match(r"env\s*[=:]\s*(?P<first>.*)", line)
        if m:
            in_env = True
            item = m.group("first")
            offset = m.start("first")
        elif in_env and line[:1].isspace() and stripped:
            item, offset = line, 0
        else:
            in_env = False
            continue
        _pytest_env_item(c, path, number, item, offset)


def _pytest_env_item(c: _Collector, path: str, number: int, item: str, offset: int) -> None:
    m = re.match(r"\s*['\"]?(?:[DR]+:)*(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s*=", item)
    if m:
        c.add(m.group("name"), path, number, offset + m.start("name") + 1, "pytest-env", False)


def _parse_pyproject(c: _Collector, path: str, text: str) -> None:
    """`[tool.pytest_env]` keys and `[tool.pytest.ini_options] env = [...]` (pytest-env)."""
    import sys

    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - 3.9/3.10
        import tomli as tomllib
    try:
        data = tomllib.loads(text)
    except ValueError:
        return  # a broken pyproject.toml is the config loader's error to report
    tool = data.get("tool") if isinstance(data.get("tool"), dict) else {}
    lines = text.splitlines()
    table = tool.get("pytest_env")
    for name in table if isinstance(table, dict) else ():
        number, col = _first_mention(lines, name)
        c.add(str(name), path, number, col, "pytest-env", False)
    pytest = tool.get("pytest")
    options = pytest.get("ini_options") if isinstance(pytest, dict) else None
    env = options.get("env") if isinstance(options, dict) else None
    for item in env if isinstance(env, list) else ():
        if isinstance(item, str):
            m = re.match(r"\s*(?:[DR]+:)*(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s*=", item)
            if m:
                number, col = _first_mention(lines, m.group("name"))
                c.add(m.group("name"), path, number, col, "pytest-env", False)


def _first_mention(lines: list[str], name: str) -> tuple[int, int]:
    for number, line in enumerate(lines, 1):
        col = line.find(name)
        if col >= 0:
            return number, col + 1
    return 1, 1


# --- documentation ----------------------------------------------------------------


def _parse_docs(c: _Collector, path: str, text: str) -> None:
    """Markdown / reStructuredText: a variable named in a heading, a table cell, inline code,
    a `NAME=value` line (often in a code block) or an RST `.. envvar::` directive."""
    lines = text.splitlines()
    fence = ""  # the fence of the code block we are in: its `#` lines are comments, not headings
    for number, line in enumerate(lines, 1):
        stripped = line.strip()
        if not stripped:
            continue
        if stripped.startswith(("```", "~~~")):
            marker = stripped[:3]
            fence = "" if fence == marker else (fence or marker)
            continue
        following = lines[number] if number < len(lines) and not fence else ""
        for name, col in _doc_names(line, following, in_code=bool(fence)):
            c.document(name, path, number, col, "documentation")


def _doc_names(line: str, following: str, in_code: bool = False) -> Iterator[tuple[str, int]]:
    """(name, 1-based column) of every variable `line` documents (`in_code`: a line of a
    fenced code block, where headings and tables do not exist)."""
    if "`" in line:
        for m in _INLINE_CODE.finditer(line):
            body = _DOC_CODE_BODY.match(m.group("body"))
            if body:
                yield body.group("name"), m.start("body") + body.start("name") + 1
    for pattern in (_DOC_ASSIGNMENT, _RST_ENVVAR):
        m = pattern.match(line)
        if m:
            yield m.group("name"), m.start("name") + 1
    if "-e" in line:
        for m in _DOC_DOCKER_ENV.finditer(line):
            yield m.group("name"), m.start("name") + 1
    if in_code:
        return
    heading = _MD_HEADING.match(line)
    if heading:
        yield from _heading_names(heading.group("text"), heading.start("text"))
    elif following and _RST_UNDERLINE.match(following) and len(following.strip()) >= len(line.strip()):
        yield from _heading_names(line, 0)
    if line.lstrip().startswith("|"):
        start = line.index("|")
        for cell in re.finditer(r"\|(?P<cell>[^|]*)", line[start:]):
            body = cell.group("cell").strip().strip("`*_ ").strip()
            if _UPPER.match(body) and len(body) > 1:
                yield body, start + cell.start("cell") + cell.group("cell").find(body) + 1


def _heading_names(text: str, offset: int) -> Iterator[tuple[str, int]]:
    """A heading that is one name (`## DEBUG`, ``## `ADMINS` {: #ADMINS }``), or the
    UPPER_SNAKE words (with an underscore) of a longer heading."""
    bare = re.sub(r"\{[:#][^}]*\}", "", text).replace("`", "").strip()
    if _UPPER.match(bare) and len(bare) > 1:
        yield bare, offset + text.find(bare) + 1
        return
    for m in _HEADING_WORD.finditer(text):
        if "_" in m.group(0).strip("_"):
            yield m.group(0), offset + m.start() + 1


def _sniff_docs(data: bytes) -> bool:
    """Worth decoding: upper-case names appear in code, a heading, a table or an assignment."""
    return _DOCS_SNIFF.search(data) is not None


_DOCS_SNIFF = lazy(rb"[A-Z][A-Z0-9]*_[A-Z0-9]|[`#|][ \t]*[A-Z]{2}|[A-Z]{2}=|envvar")


def _parse_turbo(c: _Collector, path: str, text: str) -> None:
    """Turborepo's `turbo.json`: the variables its tasks depend on or pass through
    (`globalEnv`, `globalPassThroughEnv`, and `env`/`passThroughEnv` of each task), globs too."""
    import json

    try:
        data = json.loads(text)
    except ValueError:
        return  # turbo.json may hold comments (JSONC): then it declares nothing we can read
    if not isinstance(data, dict):
        return
    lists = [data.get("globalEnv"), data.get("globalPassThroughEnv")]
    for tasks in (data.get("tasks"), data.get("pipeline")):
        for task in tasks.values() if isinstance(tasks, dict) else ():
            if isinstance(task, dict):
                lists += [task.get("env"), task.get("passThroughEnv")]
    lines = text.splitlines()
    for names in lists:
        for name in names if isinstance(names, list) else ():
            if not isinstance(name, str) or name.startswith("!"):
                continue
            number, col = _first_mention(lines, f'"{name}"')
            if "*" in name:
                c.result.globs.append(Declaration(name, path, number, col + 1, "turbo.json env", False))
            else:
                c.add(name, path, number, col + 1, "turbo.json env", False)


_SNIFFED: dict[str, Callable[[bytes], bool]] = {
    "turbo": lambda data: b"nv" in data,
    "docs": _sniff_docs,
    "shell": lambda data: b"export" in data or b"declare" in data or b"-e" in data,
    "pytest-ini": lambda data: b"env" in data,
    "pyproject": lambda data: b"pytest_env" in data or b"env" in data and b"ini_options" in data,
    "conf-example": lambda data: b"=" in data,
}


def _dockerfile_instructions(text: str) -> Iterator[tuple[int, int, str, str]]:
    """(first line, last line, INSTRUCTION, arguments) with continuation lines joined."""
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        start = i
        line = lines[i]
        if line.lstrip().startswith("#"):
            i += 1
            continue
        parts = [line]
        # As Docker does: a line ending in `\` continues onto the next line that is neither
        # a comment nor empty; comment and empty lines inside the instruction are dropped.
        continued = line.rstrip().endswith("\\")
        if continued:
            parts[-1] = line.rstrip()[:-1]
        while continued and i + 1 < len(lines):
            i += 1
            following = lines[i]
            if following.lstrip().startswith("#") or not following.strip():
                continue
            continued = following.rstrip().endswith("\\")
            parts.append(following.rstrip()[:-1] if continued else following)
        i += 1
        joined = " ".join(parts).strip()
        m = re.match(r"(?P<ins>[A-Za-z]+)\s+(?P<args>.*)", joined)
        if m:
            yield start + 1, i, m.group("ins").upper(), m.group("args")


def _parse_dockerfile(c: _Collector, path: str, text: str) -> None:
    import shlex

    lines = text.splitlines()
    for first, last, ins, args in _dockerfile_instructions(text):
        if ins not in ("ENV", "ARG"):
            continue
        try:
            words = shlex.split(args, comments=False, posix=True)
        except ValueError:
            words = args.split()
        if ins == "ENV" and words and "=" not in words[0]:
            names = [words[0]]  # legacy `ENV NAME value with spaces`
        else:
            names = [w.split("=", 1)[0] for w in words]
        for name in names:
            number, col = _locate(name, lines, first, last)
            c.add(name, path, number, col, f"Dockerfile {ins}", ins == "ENV")


def _locate(name: str, lines: list[str], first: int, last: int) -> tuple[int, int]:
    """The line and column of `name` within lines first..last (1-based), for DG410."""
    pattern = re.compile(rf"(?<![\w$]){re.escape(name)}(?![\w])")
    for number in range(first, last + 1):
        m = pattern.search(lines[number - 1], 3 if number == first else 0)
        if m:
            return number, m.start() + 1
    return first, 1


# --- YAML -------------------------------------------------------------------------


def _compose_nodes(text: str) -> list[Any]:
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        return [doc for doc in yaml.compose_all(text, Loader=loader) if doc is not None]
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f" at line {mark.line + 1}" if mark is not None else ""
        raise _Malformed(f"invalid YAML{where}: {exc.problem or exc.context}") from None
    except yaml.YAMLError as exc:
        raise _Malformed(f"invalid YAML: {exc}") from None


def _is_map(node: Any) -> bool:
    return type(node).__name__ == "MappingNode"


def _is_seq(node: Any) -> bool:
    return type(node).__name__ == "SequenceNode"


def _is_scalar(node: Any) -> bool:
    return type(node).__name__ == "ScalarNode"


def _pairs(node: Any, depth: int = 0) -> Iterator[tuple[Any, Any]]:
    """A mapping's (key, value) nodes, with `<<` merge keys expanded."""
    if not _is_map(node) or depth > 20:
        return
    for key, value in node.value:
        if key.tag == "tag:yaml.org,2002:merge":
            for merged in (value.value if _is_seq(value) else [value]):
                yield from _pairs(merged, depth + 1)
        elif _is_scalar(key):
            yield key, value


def _get(node: Any, name: str) -> Any:
    for key, value in _pairs(node):
        if key.value == name:
            return value
    return None


def _pos(node: Any) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _env_container(c: _Collector, path: str, node: Any, kind: str, reportable: bool,
                   names_only_if_env_like: bool = False) -> None:
    """`KEY: value` maps, `- KEY=value` / `- KEY` lists and `- name: KEY` lists."""
    if _is_map(node):
        for key, value in _pairs(node):
            if names_only_if_env_like and _is_map(value) and _get(value, "value") is None \
                    and _get(value, "valueFrom") is None:
                continue  # a nested structure, not a variable
            c.add(key.value, path, *_pos(key), kind, reportable)
    elif _is_seq(node):
        for item in node.value:
            if _is_scalar(item):
                c.add(item.value.split("=", 1)[0].strip(), path, *_pos(item), kind, reportable)
            elif _is_map(item):
                name = _get(item, "name")
                if name is not None and _is_scalar(name):
                    c.add(name.value, path, *_pos(name), kind, reportable)


def _walk_keys(node: Any, want: Callable[[str], bool], depth: int = 0,
               seen: set[int] | None = None) -> Iterator[tuple[Any, Any]]:
    """Every (key, value) pair anywhere below `node` whose key satisfies `want`.
    Each node is visited once: YAML aliases share nodes (and "billion laughs" files
    would otherwise take forever)."""
    seen = set() if seen is None else seen
    if depth > 60 or id(node) in seen:
        return
    seen.add(id(node))
    if _is_map(node):
        for key, value in _pairs(node):
            if want(key.value):
                yield key, value
            yield from _walk_keys(value, want, depth + 1, seen)
    elif _is_seq(node):
        for item in node.value:
            yield from _walk_keys(item, want, depth + 1, seen)


def _parse_compose(c: _Collector, path: str, text: str) -> None:
    if "#" in text:  # commented-out examples: `# - NAME=value`, `# NAME: value`
        for number, line in enumerate(text.splitlines(), 1):
            m = _COMMENTED_COMPOSE.match(line)
            if m:
                group = next(g for g in ("item", "name", "key") if m.group(g))
                c.document(m.group(group), path, number, m.start(group) + 1, "commented example")
    for doc in _compose_nodes(text):
        services = _get(doc, "services")
        if services is None:
            services = doc  # compose file format 1: services at the top level
        for _name, service in _pairs(services):
            if not _is_map(service):
                continue
            built = _get(service, "build") is not None
            environment = _get(service, "environment")
            if environment is not None:
                _env_container(c, path, environment, "compose environment", built)
            _compose_env_files(c, path, _get(service, "env_file"), built)
            build = _get(service, "build")
            if build is not None and _is_map(build):
                args = _get(build, "args")
                if args is not None:
                    _env_container(c, path, args, "compose build arg", False)


def _compose_env_files(c: _Collector, path: str, node: Any, reportable: bool) -> None:
    if node is None:
        return
    items = node.value if _is_seq(node) else [node]
    for item in items:
        target = _get(item, "path") if _is_map(item) else item
        if target is None or not _is_scalar(target):
            continue
        ref = posixpath.normpath(posixpath.join(posixpath.dirname(path), target.value))
        # `.env.example` and friends are read on their own; this is for `env_file: app.env`
        if ref in c.tracked and ref not in c.dotenv_done \
                and not _DOTENV_EXAMPLE.match(posixpath.basename(ref)):
            c.dotenv_done.add(ref)
            text = c.read_text(ref)
            if text is not None:
                _parse_dotenv(c, ref, text, reportable)


def _parse_k8s(c: _Collector, path: str, text: str) -> None:
    if any(mark in text for mark in _TEMPLATE_MARKS):
        _parse_templated(c, path, text)
        return
    for doc in _compose_nodes(text):
        _k8s_document(c, path, doc)


def _k8s_document(c: _Collector, path: str, doc: Any) -> None:
    kind = _get(doc, "kind")
    if kind is not None and _is_scalar(kind) and kind.value in ("ConfigMap", "Secret"):
        metadata = _get(doc, "metadata")
        name = _get(metadata, "name") if metadata is not None else None
        if name is not None and _is_scalar(name):
            keys = c.config_maps.setdefault(name.value, [])
            for section in ("data", "stringData"):
                data = _get(doc, section)
                for key, _value in _pairs(data):
                    keys.append(Declaration(key.value, path, *_pos(key), f"{kind.value} data"))
    for key, value in _walk_keys(doc, lambda k: k in ("env", "envFrom")):
        if key.value == "env" and _is_seq(value):
            _env_container(c, path, value, "Kubernetes env", True)
        elif key.value == "envFrom" and _is_seq(value):
            for item in value.value:
                _env_from(c, item)


def _env_from(c: _Collector, item: Any) -> None:
    prefix_node = _get(item, "prefix")
    prefix = prefix_node.value if prefix_node is not None and _is_scalar(prefix_node) else ""
    for ref_key in ("configMapRef", "secretRef"):
        ref = _get(item, ref_key)
        name = _get(ref, "name") if ref is not None else None
        if name is not None and _is_scalar(name):
            c.env_from.append((name.value, prefix))


def _parse_kustomize(c: _Collector, path: str, text: str) -> None:
    for doc in _compose_nodes(text):
        for generator in ("configMapGenerator", "secretGenerator"):
            gens = _get(doc, generator)
            for gen in gens.value if gens is not None and _is_seq(gens) else ():
                _kustomize_generator(c, path, gen)
        _k8s_document(c, path, doc)


def _kustomize_generator(c: _Collector, path: str, gen: Any) -> None:
    name = _get(gen, "name")
    if name is None or not _is_scalar(name):
        return
    keys = c.config_maps.setdefault(name.value, [])
    literals = _get(gen, "literals")
    for item in literals.value if literals is not None and _is_seq(literals) else ():
        if _is_scalar(item):
            name = item.value.split("=", 1)[0]
            keys.append(Declaration(name, path, *_pos(item), "kustomize literal"))
    for env_key in ("envs", "env"):
        files = _get(gen, env_key)
        if files is None:
            continue
        for item in files.value if _is_seq(files) else [files]:
            if not _is_scalar(item):
                continue
            ref = posixpath.normpath(posixpath.join(posixpath.dirname(path), item.value))
            text = c.read_text(ref) if ref in c.tracked else None
            for number, line in enumerate((text or "").splitlines(), 1):
                m = _DOTENV_LINE.match(line)
                if m:
                    keys.append(Declaration(m.group("name"), ref, number, m.start("name") + 1,
                                            "kustomize env"))


def _parse_templated(c: _Collector, path: str, text: str) -> None:
    """Helm/Jinja templates are not YAML: take `- name: X` items of `env:` blocks by indentation."""
    env_indent: int | None = None
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if not stripped or stripped.startswith(("#", "{{")):
            continue
        indent = len(line) - len(line.lstrip())
        if env_indent is not None and indent <= env_indent and not stripped.startswith("-"):
            env_indent = None
        if re.match(r"(?:-\s+)?env:\s*(?:#.*)?\Z", stripped):
            env_indent = line.index("env:")  # the key's column, also for `- env:`
            continue
        if env_indent is not None:
            m = _TEMPLATED_ENV_ITEM.match(line)
            if m:
                c.add(m.group("name"), path, number, m.start("name") + 1, "Helm template env", True)


def _parse_helm_values(c: _Collector, path: str, text: str) -> None:
    for doc in _compose_nodes(text):
        for _key, value in _walk_keys(doc, lambda k: bool(_HELM_ENV_KEY.match(k))):
            _env_container(c, path, value, "Helm values", True, names_only_if_env_like=True)


def _parse_ci(key: str, kind: str) -> Callable[[_Collector, str, str], None]:
    def parse(c: _Collector, path: str, text: str) -> None:
        for doc in _compose_nodes(text):
            for _key, value in _walk_keys(doc, lambda k: k == key):
                if _is_map(value):
                    _env_container(c, path, value, kind, False)

    return parse


def _any_env_key(key: str) -> bool:
    """`env` lists are handled as Kubernetes' shape; maps under `env` come next."""
    return key in ("environment", "variables") or (key != "env" and bool(_HELM_ENV_KEY.match(key)))


def _parse_yaml_any(c: _Collector, path: str, text: str) -> None:
    for doc in _compose_nodes(text):
        _k8s_document(c, path, doc)
        for _key, value in _walk_keys(doc, _any_env_key):
            _env_container(c, path, value, "declaration file", True, names_only_if_env_like=True)
        for _key, value in _walk_keys(doc, lambda k: k == "env"):
            if _is_map(value):
                _env_container(c, path, value, "declaration file", True)


def _parse_json(c: _Collector, path: str, text: str) -> None:
    import json

    try:
        data = json.loads(text)
    except ValueError as exc:
        raise _Malformed(f"invalid JSON: {exc}") from None
    for name in _json_env_names(data):
        offset = text.find(f'"{name}"')  # JSON keeps no positions: the first mention
        line = text.count("\n", 0, offset) + 1 if offset >= 0 else 1
        c.add(name, path, line, 1, "declaration file", True)


def _json_env_names(node: Any, depth: int = 0) -> Iterator[str]:
    """Keys of `env`/`environment`/`variables` objects, `name`s of `env`/`environment` lists."""
    if depth > 60:
        return
    children = node.values() if isinstance(node, dict) else node if isinstance(node, list) else ()
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("env", "environment", "variables") and isinstance(value, dict):
                yield from (str(name) for name in value)
            elif key in ("env", "environment") and isinstance(value, list):
                yield from (item["name"] for item in value
                            if isinstance(item, dict) and isinstance(item.get("name"), str))
    for child in children:
        yield from _json_env_names(child, depth + 1)


_PARSERS: dict[str, Callable[[_Collector, str, str], None]] = {
    "dotenv": _parse_dotenv,
    "env-file": _parse_env_file,
    "conf-example": _parse_conf_example,
    "shell": _parse_shell,
    "pytest-ini": _parse_pytest_ini,
    "pyproject": _parse_pyproject,
    "docs": _parse_docs,
    "turbo": _parse_turbo,
    "dockerfile": _parse_dockerfile,
    "compose": _parse_compose,
    "actions": _parse_ci("env", "GitHub Actions env"),
    "gitlab": _parse_ci("variables", "GitLab CI variables"),
    "helm-template": _parse_templated,
    "helm-values": _parse_helm_values,
    "kustomize": _parse_kustomize,
    "yaml": _parse_k8s,
    "yaml-any": _parse_yaml_any,
    "json": _parse_json,
}


# --- entry point ------------------------------------------------------------------


def repository_files(top: str, in_git: bool) -> list[str]:
    if in_git:
        from hooks._core.git import tracked_files

        return tracked_files(top)
    from hooks._core.runner import SKIP_DIRS

    found: list[str] = []
    for dirpath, dirnames, filenames in os.walk(top):
        dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS)
        rel = os.path.relpath(dirpath, top)
        for name in sorted(filenames):
            found.append(name if rel == "." else posixpath.join(rel.replace(os.sep, "/"), name))
    return found


# The project's own code setting a variable (`os.environ["X"] = ...`, `.setdefault("X", ...)`,
# `putenv`, `process.env.X = ...`): whoever reads it later finds it set.
_WRITE_GREP = (r"environb?(\[[^]]*\][[:space:]]*=[^=]|\.setdefault\(|\.update\()|putenv\("
               r"|process\.env(\.[A-Za-z_$][A-Za-z0-9_$]*|\[[^]]*\])[[:space:]]*=[^=]")
_WRITES = (
    lazy(r"environb?\[\s*b?['\"](?P<name>[A-Za-z_][A-Za-z0-9_]*)['\"]\s*\]\s*=(?!=)"),
    lazy(r"(?:setdefault|putenv)\(\s*b?['\"](?P<name>[A-Za-z_][A-Za-z0-9_]*)['\"]\s*,"),
    lazy(r"process\.env(?:\.|\[\s*['\"`])(?P<name>[A-Za-z_$][\w$]*)['\"`]?\]?\s*=(?!=)"),
)
_UPDATE_KEYS = lazy(r"['\"](?P<name>[A-Za-z_][A-Za-z0-9_]*)['\"]\s*:")
_CODE_SUFFIXES = (".py", ".js", ".mjs", ".cjs", ".jsx", ".ts", ".tsx", ".mts", ".cts")


def _code_writes(c: _Collector, in_git: bool, excluded: Callable[[str], bool]) -> None:
    """Variables the project's code sets (not its tests: a test setting a variable says
    nothing about the deployment). Found with one `git grep` in a repository."""
    from hooks.check_env_vars import is_test_path

    hits: list[tuple[str, int, str]] = []
    if in_git:
        from hooks.check_env_vars.declarations_cache import code_write_hits

        hits = code_write_hits(c.top, [f for f in c.files if f.endswith(_CODE_SUFFIXES)], _git_grep_writes)
    else:
        grep = re.compile(_WRITE_GREP.replace("[[:space:]]", r"\s"))
        for path in c.files:
            if not path.endswith(_CODE_SUFFIXES):
                continue
            text = c.read_text(path, quiet=True) or ""
            if grep.search(text):
                hits += [(path, n, t) for n, t in enumerate(text.splitlines(), 1) if grep.search(t)]
    for path, number, text in hits:
        if excluded(path) or is_test_path(path):
            continue
        for pattern in _WRITES:
            for m in pattern.finditer(text):
                c.add(m.group("name"), path, number, m.start("name") + 1, "set by the code", False)
        if ".update(" in text:
            for m in _UPDATE_KEYS.finditer(text, text.index(".update(")):
                c.add(m.group("name"), path, number, m.start("name") + 1, "set by the code", False)


def _git_grep_writes(top: str, paths: Sequence[str] | None) -> list[tuple[str, int, str]]:
    """`git grep` for the writes: in every tracked code file (`paths` None) or in `paths`."""
    from hooks._core.git import run_git

    spec = [f"*{suffix}" for suffix in _CODE_SUFFIXES] if paths is None else [f":(literal){p}" for p in paths]
    out = run_git(["grep", "-I", "-n", "-E", "-e", _WRITE_GREP, "--", *spec], cwd=top, check=False)
    hits = []
    for line in out.splitlines():
        path, _, rest = line.partition(":")
        number, _, text = rest.partition(":")
        if number.isdigit():
            hits.append((path, int(number), text))
    return hits


def collect(
    top: str, files: list[str], extra: Sequence[str], excluded: Callable[[str], bool],
    in_git: bool = False,
) -> DeclarationSet:
    """Every declaration in the repository at `top` whose tracked files are `files`
    (`in_git`: `top` is a git work tree, so `git grep` can search it)."""
    chart_dirs = {posixpath.dirname(f) for f in files if posixpath.basename(f) == "Chart.yaml"}
    collector = _Collector(top, files)
    jobs: list[tuple[str, str]] = []
    for path in files:
        if excluded(path):
            continue
        if extra and _matches(path, extra):
            kind: str | None = _extra_kind(path)
        else:
            kind = kind_of(path, chart_dirs)
        if kind is not None:
            jobs.append((path, kind))
    # compose files first: an env file they load takes its reportability from its service
    jobs.sort(key=lambda job: job[1] != "compose")
    from hooks.check_env_vars import declarations_cache as cache

    key = cache.key_of(top, files, jobs)
    if not _restore(collector, cache.load(top, key)):
        for path, kind in jobs:
            if path not in collector.dotenv_done:
                collector.run(path, kind)
        cache.save(top, key, sorted(collector.read), _state(collector))
    _code_writes(collector, in_git, excluded)  # the code changes at every commit: never cached
    return collector.finish()


def _state(c: _Collector) -> dict[str, Any]:
    """What the declaration files gave the collector (before the code's writes)."""
    from hooks.check_env_vars.declarations_cache import dump_declarations

    return {
        "sites": dump_declarations(c.result.sites), "globs": dump_declarations(c.result.globs),
        "errors": list(c.result.errors), "env_from": [list(ref) for ref in c.env_from],
        "config_maps": {name: dump_declarations(rows) for name, rows in c.config_maps.items()},
    }


def _restore(c: _Collector, state: dict[str, Any] | None) -> bool:
    if state is None:
        return False
    c.result.sites, c.result.globs, c.result.errors = state["sites"], state["globs"], state["errors"]
    c.env_from, c.config_maps = state["env_from"], state["config_maps"]
    return True
