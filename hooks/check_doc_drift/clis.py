"""The options and subcommands of the project's console scripts, read statically from argparse,
click and typer definitions (ast; nothing is imported or run), and the check of the
invocations shown in console/shell blocks."""
from __future__ import annotations

import ast
import re
import shlex
from hooks._core.record import dataclass, field

from hooks.check_doc_drift.project import Project, Script, is_runtime_code

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (~3 ms)
if TYPE_CHECKING:
    from typing import Iterator, Sequence

# Options every parser framework adds by itself.
_BUILTIN_OPTIONS = frozenset({"-h", "--help"})
_TYPER_BUILTINS = frozenset({"--install-completion", "--show-completion"})
_CLICK_SPECIAL = {
    "version_option": ("--version",),
    "help_option": ("--help",),
    "confirmation_option": ("--yes",),
    "password_option": ("--password",),
}
_DEFINERS = ("add_argument", "add_option", "add_parser", "click", "typer", "add_subparsers")


@dataclass
class CliModel:
    """What one package's parser definitions allow. `open_options`: some option string is
    computed at run time, so an option missing from `options` is looked up among the
    package's string literals instead; the same for `open_commands`."""

    options: set[str] = field(default_factory=set)
    commands: set[str] = field(default_factory=set)
    open_options: bool = False
    # option strings are built from bare names (`f"--{name}"`, `"--" + name`): an option is
    # then also known when its bare name is a literal
    bare_names: bool = False
    open_commands: bool = False
    definitions: list[str] = field(default_factory=list)  # files that define options
    subparser_files: set[str] = field(default_factory=set)  # files calling add_subparsers
    click_groups: set[str] = field(default_factory=set)  # names of click/typer group objects

    @property
    def found(self) -> bool:
        return bool(self.definitions)


def _str_args(nodes: Sequence[ast.expr]) -> list[str] | None:
    """The literal strings of `nodes`, or None when one is computed (starred, a name, ...)."""
    out = []
    for node in nodes:
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            out.append(node.value)
        else:
            return None
    return out


def _call_name(func: ast.expr) -> str:
    if isinstance(func, ast.Attribute):
        return func.attr
    if isinstance(func, ast.Name):
        return func.id
    return ""


def _receiver(func: ast.expr) -> str:
    if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
        return func.value.id
    return ""


def _keyword(call: ast.Call, name: str) -> ast.expr | None:
    for keyword in call.keywords:
        if keyword.arg == name:
            return keyword.value
    return None


def _dashed(name: str) -> str:
    return name.replace("_", "-")


class _Collector:
    def __init__(self, model: CliModel, path: str) -> None:
        self.model = model
        self.path = path
        self.defined = False

    def option_strings(self, values: list[str], argparse_style: bool) -> None:
        for value in values:
            for part in value.split("/") if not argparse_style else (value,):
                part = part.strip()
                if part.startswith("-"):
                    self.model.options.add(part)
        self.defined = True

    def call(self, node: ast.Call) -> None:
        name = _call_name(node.func)
        if name in ("add_argument", "add_option"):
            values = _str_args(node.args)
            if values is None:
                self.model.open_options = True
                self.defined = True
                return
            self.option_strings(values, argparse_style=True)
            action = _keyword(node, "action")
            if action is not None and _call_name(action) == "BooleanOptionalAction" or (
                isinstance(action, ast.Attribute) and action.attr == "BooleanOptionalAction"
            ):
                for value in values:
                    if value.startswith("--"):
                        self.model.options.add("--no-" + value[2:])
        elif name == "add_parser":
            values = _str_args(node.args[:1])
            if not node.args or values is None:
                self.model.open_commands = True
            else:
                self.model.commands.update(values)
            aliases = _keyword(node, "aliases")
            if isinstance(aliases, (ast.List, ast.Tuple)):
                literal = _str_args(aliases.elts)
                if literal is None:
                    self.model.open_commands = True
                else:
                    self.model.commands.update(literal)
            elif aliases is not None:
                self.model.open_commands = True
            self.defined = True
        elif name == "add_subparsers":
            self.model.subparser_files.add(self.path)
        elif name in ("Option",) and _receiver(node.func) in ("typer", ""):
            values = _str_args([a for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)])
            self.option_strings(values or [], argparse_style=False)
        elif name == "add_typer" or name == "add_command":
            command = _keyword(node, "name")
            if isinstance(command, ast.Constant) and isinstance(command.value, str):
                self.model.commands.add(command.value)
            elif name == "add_command" and len(node.args) >= 2:
                literal = _str_args(node.args[1:2])
                if literal is None:
                    self.model.open_commands = True
                else:
                    self.model.commands.update(literal)
            else:
                self.model.open_commands = True
            self.defined = True

    def decorated(self, func: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        for decorator in func.decorator_list:
            call = decorator if isinstance(decorator, ast.Call) else None
            name = _call_name(call.func if call else decorator)
            if name == "option" and call is not None:
                values = _str_args(call.args)
                if values is None:
                    self.model.open_options = True
                    self.defined = True
                else:
                    self.option_strings(values, argparse_style=False)
                    if not any(v.startswith("-") for v in values) and values:
                        # click derives the flag from a bare name: option("name") -> --name
                        self.model.options.add("--" + _dashed(values[0]))
            elif name in _CLICK_SPECIAL:
                values = _str_args(call.args) if call is not None else []
                self.option_strings(list(values or ()) or list(_CLICK_SPECIAL[name]), argparse_style=False)
            elif name in ("command", "group", "callback"):
                self.defined = True
                if name != "callback":
                    literal = _str_args(call.args[:1]) if call is not None and call.args else None
                    keyword = _keyword(call, "name") if call is not None else None
                    if literal:
                        self.model.commands.update(literal)
                    elif isinstance(keyword, ast.Constant) and isinstance(keyword.value, str):
                        self.model.commands.add(keyword.value)
                    else:
                        # click and typer name a command after its function (dashes for _)
                        self.model.commands.add(func.name)
                        self.model.commands.add(_dashed(func.name))
                        for suffix in ("_command", "_cmd", "_group", "_cli"):
                            if func.name.endswith(suffix):
                                self.model.commands.add(_dashed(func.name[: -len(suffix)]))
                if name == "group":
                    self.model.click_groups.add(func.name)
                self.typer_parameters(func)

    def typer_parameters(self, func: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        """typer (and click with defaults) turn parameters into --options: accept both
        `--name` and `--no-name`, since a bool's negative form is generated."""
        args = func.args
        for arg in (*args.posonlyargs, *args.args, *args.kwonlyargs):
            if arg.arg in ("self", "ctx", "context"):
                continue
            self.model.options.add("--" + _dashed(arg.arg))
            self.model.options.add("--no-" + _dashed(arg.arg))


def _parse(project: Project, path: str) -> ast.Module | None:
    def parse() -> ast.Module | None:
        text = project.text(path)
        if text is None or not any(word in text for word in _DEFINERS):
            return None
        try:
            import warnings

            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                return ast.parse(text)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            return None

    return project.file_memo("cli-ast", path, parse)  # type: ignore[return-value]


_BUILDS_OPTIONS = re.compile(r"""f["']--?\{|["']--?["']\s*\+|["']--?%s["']|["']--?\{\}["']\.format""")


def package_model(project: Project, package_files: Sequence[str]) -> CliModel:
    key = "cli:" + "\0".join(package_files)

    def build() -> CliModel:
        model = CliModel()
        for path in package_files:
            tree = _parse(project, path)
            if tree is None:
                continue
            collector = _Collector(model, path)
            uses_typer_or_click = "typer" in (project.text(path) or "") or "click" in (project.text(path) or "")
            for node in ast.walk(tree):
                if isinstance(node, ast.Call):
                    collector.call(node)
                elif uses_typer_or_click and isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    collector.decorated(node)
            if collector.model.open_options and _BUILDS_OPTIONS.search(project.text(path) or ""):
                model.bare_names = True
            if "typer" in (project.text(path) or "") and collector.defined:
                model.options.update(_TYPER_BUILTINS)
            if collector.defined:
                model.definitions.append(path)
        return model

    return project.memo(key, build)  # type: ignore[return-value]


@dataclass
class ScriptCli:
    script: Script
    model: CliModel
    files: list[str]  # the package's code files (where literals are looked up)
    entry_file: str
    has_commands: bool  # the first positional argument is a subcommand
    delegates: bool  # hands (part of) its argv to another parser: nothing can be judged


def script_cli(project: Project, script: Script) -> ScriptCli | None:
    """The CLI behind `script`, or None when it cannot be read statically."""

    def build() -> ScriptCli | None:
        entry = project.module_file(script.module, script.project_dir)
        if entry is None:
            return None
        package = project.package_dir(script.module, script.project_dir)
        files = project.files_under(package) if package else [entry]
        if entry not in files:
            files = [entry, *files]
        files = [f for f in files if is_runtime_code(f) or f == entry]
        model = package_model(project, files)
        if not model.found:
            # a thin wrapper package (`clai` calling `pydantic_ai._cli`): the modules it imports
            files = [*files, *_imported_files(project, entry, script)]
            model = package_model(project, files)
        if not model.found:
            return None
        return ScriptCli(
            script, model, files, entry, _has_commands(project, script, entry, model),
            bool(_DELEGATES.search(project.text(entry) or "")),
        )

    return project.memo("script:" + script.name + ":" + script.declared_in, build)  # type: ignore[return-value]


# An entry module that forwards arguments to a parser outside the project (Django's management
# commands, parse_known_args leftovers) accepts more than the project's code shows.
_DELEGATES = re.compile(
    r"execute_from_command_line|ManagementUtility|call_command|parse_known_args|parse_known_intermixed"
)


def _has_commands(project: Project, script: Script, entry: str, model: CliModel) -> bool:
    """Whether the script's first positional argument names a subcommand: its entry object is
    a click group or a typer app with commands, or its entry module (or a project module it
    imports) creates argparse subparsers."""
    if script.attr.split(".")[0] in model.click_groups:
        return True
    text = project.text(entry) or ""
    if re.search(rf"^{re.escape(script.attr.split('.')[0])}\s*=\s*typer\.Typer\(", text, re.M) and (
        text.count(".command(") >= 2 or "add_typer(" in text
    ):
        return True
    if entry in model.subparser_files:
        return True
    for imported in _project_imports(project, entry, script):
        if imported in model.subparser_files:
            return True
    return False


def _imported_files(project: Project, entry: str, script: Script) -> list[str]:
    found: list[str] = []
    for path in _project_imports(project, entry, script, any_package=True):
        found.append(path)
        if path.endswith("/__init__.py") and path.count("/") >= 2:
            found.extend(project.files_under(path.rsplit("/", 1)[0]))
    return list(dict.fromkeys(found))


def _project_imports(project: Project, path: str, script: Script, any_package: bool = False) -> list[str]:
    tree = _parse(project, path)
    if tree is None:
        text = project.text(path) or ""
        try:
            tree = ast.parse(text)
        except (SyntaxError, ValueError):
            return []
    top = script.module.split(".")[0]
    found = []
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
        elif isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        for name in names:
            if any_package and "." in name or name.split(".")[0] == top:
                module_file = project.module_file(name, script.project_dir)
                if module_file:
                    found.append(module_file)
    return found


# --- the docs side ----------------------------------------------------------------

SHELL_LANGS = frozenset(
    {"console", "bash", "sh", "shell", "zsh", "shell-session", "shellsession", "sh-session",
     "terminal", "powershell", "ps1", "fish", "cmd", "bat", "text", ""}
)
_PROMPT = re.compile(r"^(?:\(\S+\)\s*)?(?:[\w@.~:/-]*[$%#]|>>?|PS[^>]*>)\s+")
_WRAPPERS = {
    "sudo": 0, "time": 0, "exec": 0, "nohup": 0, "command": 0, "env": 0, "uvx": 0,
    "pipx": 1, "uv": 1, "poetry": 1, "pdm": 1, "hatch": 1, "rye": 1, "pixi": 1,
}


@dataclass(frozen=True)
class Invocation:
    line: int
    text: str  # the doc line
    offset: int  # where the command starts in the line (0-based)
    argv: tuple[str, ...]  # argv[0] is the script name


def block_commands(lang: str, lines: Sequence[tuple[int, str]]) -> Iterator[tuple[int, str, int]]:
    """(line, command text, column offset) of each command a shell-ish block shows. In
    console-style blocks (or when any line has a `$ ` prompt) only prompted lines are
    commands; in script blocks every non-comment line is."""
    prompted = any(_PROMPT.match(text) for _, text in lines)
    if lang in ("text", "") and not prompted:
        return
    pending: tuple[int, str, int] | None = None
    for number, text in lines:
        if pending is not None:
            start_line, so_far, offset = pending
            if so_far.endswith("\\"):
                pending = (start_line, so_far[:-1] + " " + text.strip(), offset)
                if not text.rstrip().endswith("\\"):
                    yield pending
                    pending = None
                continue
            pending = None
        match = _PROMPT.match(text)
        if prompted:
            if match is None or text.lstrip().startswith(">>>"):
                continue
            command, offset = text[match.end():], match.end()
        else:
            stripped = text.lstrip()
            if not stripped or stripped.startswith("#"):
                continue
            command, offset = stripped, len(text) - len(stripped)
        if command.rstrip().endswith("\\"):
            pending = (number, command.rstrip(), offset)
            continue
        yield number, command, offset
    if pending is not None:
        yield pending


_OPERATORS = frozenset({"|", "||", "&&", ";", "&", "(", ")", "|&", ";;"})


def split_commands(command: str) -> list[list[str]]:
    """The simple commands of a shell line as argv lists; [] when it does not tokenize."""
    lexer = shlex.shlex(command, posix=True, punctuation_chars=True)
    lexer.whitespace_split = True
    lexer.commenters = "#"
    try:
        tokens = list(lexer)
    except ValueError:
        return []
    commands: list[list[str]] = [[]]
    skip_next = False
    for token in tokens:
        if skip_next:
            skip_next = False
            continue
        if token in _OPERATORS:
            commands.append([])
        elif token and set(token) <= set("<>&") or re.fullmatch(r"\d?[<>]+&?\d*", token):
            skip_next = not token.endswith(tuple("0123456789")) or token in ("<", ">", ">>")
        else:
            commands[-1].append(token)
    return [c for c in commands if c]


def strip_wrappers(argv: list[str]) -> list[str]:
    """`sudo FOO=1 uv run tool --x` -> `tool --x`."""
    while argv:
        head = argv[0]
        if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*=.*", head):
            argv = argv[1:]
        elif head in _WRAPPERS:
            skip = _WRAPPERS[head]
            argv = argv[1:]
            if skip and argv and argv[0] in ("run", "exec", "x"):
                argv = argv[1:]
            while argv and argv[0].startswith("-") and head in ("uvx", "uv", "pipx", "env", "sudo"):
                # wrapper options (`uvx --from pkg tool`): too varied to parse; a value follows
                argv = argv[2:] if argv[0] in ("--from", "--with", "-u", "--python", "-p") else argv[1:]
        else:
            break
    return argv


def _python_m(argv: list[str]) -> list[str] | None:
    """`python -m pkg args` -> ['-m pkg', args]."""
    if argv and re.fullmatch(r"(python|python3|py)(\d(\.\d+)?)?", argv[0]) and len(argv) >= 3 and argv[1] == "-m":
        return [f"-m {argv[2]}", *argv[3:]]
    return None


@dataclass(frozen=True)
class CliProblem:
    line: int
    col: int
    message: str
    key: tuple[str, ...]  # what was not found: ("option", script, "--x") / ("command", ...)


def find_invocations(
    blocks: Sequence[tuple[str, Sequence[tuple[int, str]]]], inline: Sequence[tuple[int, int, str]],
    scripts: Sequence[str], lines: Sequence[str],
) -> Iterator[Invocation]:
    names = set(scripts)
    for lang, block_lines in blocks:
        if lang not in SHELL_LANGS:
            continue
        for number, command, offset in block_commands(lang, block_lines):
            for argv in split_commands(command):
                argv = strip_wrappers(argv)
                module_form = _python_m(argv)
                if module_form is not None:
                    argv = module_form
                if argv and argv[0] in names:
                    yield Invocation(number, lines[number - 1], 0, tuple(argv))
    for number, col, text in inline:
        first = text.split(None, 1)[0] if text.split() else ""
        if first in names and " " in text:
            argv = next(iter(split_commands(text)), [])
            if argv and argv[0] in names:
                yield Invocation(number, lines[number - 1], col - 1, tuple(argv))


def _option_name(token: str) -> str | None:
    if not token.startswith("-") or token in ("-", "--"):
        return None
    name = token.split("=", 1)[0]
    if re.fullmatch(r"-\d.*", name):
        return None  # a negative number
    if name.startswith("--"):
        return name if re.fullmatch(r"--[A-Za-z0-9][\w.-]*", name) else None
    return name if len(name) == 2 and name[1].isalnum() else None


def _known_option(cli: ScriptCli, project: Project, option: str) -> bool:
    model = cli.model
    if option in _BUILTIN_OPTIONS or option in model.options:
        return True
    if project.has_literal(cli.files, (option,)):
        return True  # handled by hand somewhere (`if argv[0] == "--version"`)
    if model.bare_names:
        bare = option.lstrip("-")
        return project.has_literal(cli.files, (bare, bare.replace("-", "_")))
    return False


def _known_command(cli: ScriptCli, project: Project, command: str) -> bool:
    model = cli.model
    if command in model.commands or not (model.commands or model.open_commands):
        return True
    # a literal anywhere in the package: a computed add_parser name, or a hand dispatch
    return project.has_literal(cli.files, (command, command.replace("-", "_")))


def _close(word: str, choices: set[str]) -> str:
    import difflib

    match = difflib.get_close_matches(word, sorted(choices), n=1, cutoff=0.6)
    return f"; did you mean `{match[0]}`?" if match else ""


def check_invocation(project: Project, cli: ScriptCli, invocation: Invocation) -> Iterator[CliProblem]:
    if cli.delegates:
        return
    argv = list(invocation.argv)
    name = invocation.argv[0]
    where = cli.model.definitions[0] if cli.model.definitions else cli.entry_file
    search_from = invocation.offset
    line_text = invocation.text
    for index, token in enumerate(argv[1:], start=1):
        if token == "--":
            break
        if index == 1 and cli.has_commands and not token.startswith("-"):
            if re.fullmatch(r"[a-z][a-z0-9_-]*", token) and not _known_command(cli, project, token):
                col = line_text.find(token, search_from)
                yield CliProblem(
                    invocation.line, (col if col >= 0 else invocation.offset) + 1,
                    f"`{name} {token}`: {name} has no subcommand `{token}`"
                    f"{_close(token, cli.model.commands)} (parser in {where}); fix the example or "
                    "add the command",
                    ("command", name, token),
                )
            continue
        option = _option_name(token)
        if option is None or _known_option(cli, project, option):
            continue
        col = line_text.find(option, search_from)
        if col >= 0:
            search_from = col + len(option)
        yield CliProblem(
            invocation.line, (col if col >= 0 else invocation.offset) + 1,
            f"`{name} {option}`: {name} defines no option `{option}`"
            f"{_close(option, cli.model.options)} (parser in {where}); fix the example or add "
            "the option",
            ("option", name, option),
        )
