"""Tables of what check-env-vars counts as a read (and what it must not), Python and JS/TS."""
from __future__ import annotations

import sys
import textwrap
from pathlib import Path

import pytest

from hooks._core.files import SourceFile
from hooks._env.reads_js import JsHelperIndex, js_reads, non_code_spans
from hooks._env.reads_python import HelperIndex, mentions_env, python_reads

sys.path.insert(0, str(Path(__file__).parent))
from _env_vars_support import write

REQ, OPT = "required", "default"


def py(code: str, root: Path | None = None, path: str = "app.py") -> list[tuple[str, str]]:
    source = SourceFile(path, textwrap.dedent(code))
    reads = python_reads(source, HelperIndex(str(root or ".")))
    return [(r.name, REQ if r.required else OPT) for r in reads.reads]


PY_MUST_FLAG = [
    ("import os\nos.environ['A']", [("A", REQ)]),
    ('import os\nos.environ["A"].lower()', [("A", REQ)]),
    ("import os\nos.environ.get('A')", [("A", OPT)]),
    ("import os\nos.environ.get('A', 'x')", [("A", OPT)]),
    ("import os\nos.getenv('A')", [("A", OPT)]),
    ("import os\nos.getenv(key='A')", [("A", OPT)]),
    ("import os as o\no.environ['A']", [("A", REQ)]),
    ("from os import environ\nenviron['A']", [("A", REQ)]),
    ("from os import environ as E\nE.get('A')", [("A", OPT)]),
    ("from os import getenv\ngetenv('A')", [("A", OPT)]),
    ("from os import getenv as ge\nge('A', '1')", [("A", OPT)]),
    ("import os\nENV = os.environ\nENV['A']", [("A", REQ)]),
    ("import os\nA = os.environ\nB = A\nC = B\nC.get('A')\nB['B']", [("A", OPT), ("B", REQ)]),
    ("import os\nif 'A' in os.environ: pass", [("A", OPT)]),
    ("import os\nif 'A' not in os.environ: pass", [("A", OPT)]),
    ("import os\nos.environb[b'A']", [("A", REQ)]),
    ("import os\nos.getenvb(b'A')", [("A", OPT)]),
    ("import os\nNAME = 'A'\nos.environ[NAME]", [("A", REQ)]),
    ("import os\ndef f():\n    return os.environ['A']", [("A", REQ)]),
    ("import os\nos.environ['A'] += 'x'\nos.environ['B']", [("B", REQ)]),
    # python-decouple
    ("from decouple import config\nconfig('A')", [("A", REQ)]),
    ("from decouple import config\nconfig('A', 'x')", [("A", OPT)]),
    ("from decouple import config\nconfig('A', default=1, cast=int)", [("A", OPT)]),
    ("from decouple import config\nconfig('A', cast=bool)", [("A", REQ)]),
    ("from decouple import config as c\nc('A')", [("A", REQ)]),
    ("import decouple\ndecouple.config('A')", [("A", REQ)]),
    ("from decouple import AutoConfig\ncfg = AutoConfig(search_path='.')\ncfg('A')", [("A", REQ)]),
    # django-environ
    ("import environ\nenv = environ.Env()\nenv('A')", [("A", REQ)]),
    ("import environ\nenv = environ.Env()\nenv('A', str, 'x')", [("A", OPT)]),
    ("import environ\nenv = environ.Env()\nenv('A', default='x')", [("A", OPT)]),
    ("import environ\nenv = environ.Env(A=(bool, False))\nenv('A')", [("A", OPT)]),
    ("import environ\nenv = environ.Env(A=(bool,))\nenv('A')", [("A", REQ)]),
    ("from environ import Env\ne = Env()\ne.str('A')", [("A", REQ)]),
    ("from environ import Env\ne = Env()\ne.int('A', 5)", [("A", OPT)]),
    ("from environ import Env\ne = Env()\ne.list('A', str)", [("A", REQ)]),
    ("from environ import Env\ne = Env()\ne.list('A', str, [])", [("A", OPT)]),
    ("from environ import Env\ne = Env()\ne.db()", [("DATABASE_URL", REQ)]),
    ("from environ import Env\ne = Env()\ne.cache()", [("CACHE_URL", REQ)]),
    ("from environ import Env\ne = Env()\ne.email_url(default='x')", [("EMAIL_URL", OPT)]),
    ("from environ import Env\ne = Env()\ne.db_url('OTHER_DB')", [("OTHER_DB", REQ)]),
    ("from .base import env\nenv.bool('A', default=False)", [("A", OPT)]),
    ("from .base import *\nfrom .base import env\nenv('A')", [("A", REQ)]),
    # environs: the default comes second; prefixes from the constructor and `prefixed()`
    ("from environs import Env\nenv = Env()\nenv('A')", [("A", REQ)]),
    ("from environs import Env\nenv = Env()\nenv('A', 'x')", [("A", OPT)]),
    ("from environs import Env\nenv = Env()\nenv.int('A', 5)", [("A", OPT)]),
    ("from environs import Env\nenv = Env()\nenv.list('A', subcast=int)", [("A", REQ)]),
    ("from environs import Env\nenv = Env()\nenv.dj_db_url('DATABASE_URL')", [("DATABASE_URL", REQ)]),
    ("import environs\nenv = environs.Env(prefix='APP_')\nenv.bool('DEBUG', default=False)", [("APP_DEBUG", OPT)]),
    ("from environs import env\nenv.str('A')", [("A", REQ)]),
    (("from environs import Env\nenv = Env()\nwith env.prefixed('DB_'):\n    env('HOST')\n"
      "    with env.prefixed('RO_') as e:\n        e.int('PORT', 1)\nenv('AFTER')"),
     [("DB_HOST", REQ), ("DB_RO_PORT", OPT), ("AFTER", REQ)]),
    # Starlette's Config: cast second, default third
    ("from starlette.config import Config\nconfig = Config('.env')\nconfig('A')", [("A", REQ)]),
    ("from starlette.config import Config\nconfig = Config('.env')\nconfig('A', cast=bool, default=False)",
     [("A", OPT)]),
    ("from starlette.config import Config\nconfig = Config('.env')\nconfig('A', int, 5)", [("A", OPT)]),
    ("from starlette.config import Config\nconfig = Config()\nconfig.get('A', cast=str)", [("A", REQ)]),
]


@pytest.mark.parametrize(("code", "expected"), PY_MUST_FLAG)
def test_python_reads(code, expected):
    assert py(code) == expected


PY_MUST_NOT_FLAG = [
    # writes
    "import os\nos.environ['A'] = '1'",
    "import os\ndel os.environ['A']",
    "import os\nos.environ.setdefault('A', '1')",
    "import os\nos.environ.pop('A', None)",
    "import os\nos.environ.update(A='1')",
    "import os\nos.putenv('A', '1')",
    # dynamic names
    "import os\ndef f(name):\n    pass\nos.environ[name]",
    "import os\nos.environ[f'A_{x}']",
    "import os\nos.getenv('A_' + x)",
    "import os\nos.environ[x.upper()]",
    "import os\nos.environ.get(*args)",
    "import os\nNAME = 'A'\nNAME = 'B'\nos.environ[NAME]",
    # not the environment
    "environ = {}\nenviron['A']",
    "d = {}\nd.get('A')",
    "def getenv(x):\n    return x\ngetenv('A')",
    "def config(key):\n    return {}[key]\nconfig('A')",
    "from settings import config\nconfig('A')",
    "from environs import Env\nenv = Env()\nenv.read_env('.env')",
    "from starlette.config import Config\nconfig = Config('.env')\nconfig.file_values.get('A')",
    "import environ\nenviron.Path('A')",
    "env = {}\nenv.get('A')",
    "from app import env\nenv.path('data/cache')\nenv('lower_case_thing')",
    "import os\nos.environ.copy()",
    "import os\ndict(os.environ)",
    "import os\n'A' in os.environ.keys() and False",
    # in strings and comments
    "# os.environ['A']\nx = \"os.environ['B']\"",
]


@pytest.mark.parametrize("code", PY_MUST_NOT_FLAG)
def test_python_non_reads(code):
    assert py(code) == []


def test_dynamic_names_leave_only_a_prefix_for_dg410():
    source = SourceFile("a.py", "import os\nos.environ[f'PLUGIN_{n}']\nos.getenv('X_' + n)\nos.environ[n]\n")
    reads = python_reads(source, HelperIndex("."))
    assert reads.reads == [] and reads.dynamic_prefixes == ["PLUGIN_", "X_"]


def test_positions_are_character_columns():
    source = SourceFile("a.py", "import os\nnom = 'é'; v = os.environ['A']\n")
    [read] = python_reads(source, HelperIndex(".")).reads
    assert (read.line, read.col) == (2, 16)


# --- pydantic-settings ----------------------------------------------------------

SETTINGS = """\
from typing import ClassVar, Optional
from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict
{body}
"""

PYDANTIC = [
    ("class S(BaseSettings):\n    db_url: str", [("DB_URL", REQ)]),
    ("class S(BaseSettings):\n    db_url: str = 'x'", [("DB_URL", OPT)]),
    ("class S(BaseSettings):\n    db_url: Optional[str] = None", [("DB_URL", OPT)]),
    ("class S(BaseSettings):\n    db_url: str = Field(...)", [("DB_URL", REQ)]),
    ("class S(BaseSettings):\n    db_url: str = Field('x')", [("DB_URL", OPT)]),
    ("class S(BaseSettings):\n    hosts: list = Field(default_factory=list)", [("HOSTS", OPT)]),
    ("class S(BaseSettings):\n    model_config = SettingsConfigDict(env_prefix='APP_')\n    port: int = 1",
     [("APP_PORT", OPT)]),
    ("class S(BaseSettings):\n    model_config = {'env_prefix': 'APP_'}\n    port: int", [("APP_PORT", REQ)]),
    ("class S(BaseSettings, env_prefix='APP_'):\n    port: int", [("APP_PORT", REQ)]),
    ("class S(BaseSettings):\n    class Config:\n        env_prefix = 'OLD_'\n    port: int", [("OLD_PORT", REQ)]),
    ("class S(BaseSettings):\n    model_config = SettingsConfigDict(case_sensitive=True)\n    db_url: str",
     [("db_url", REQ)]),
    # env_prefix does not apply to aliases
    ("class S(BaseSettings, env_prefix='APP_'):\n    key: str = Field(alias='STRIPE_KEY')", [("STRIPE_KEY", REQ)]),
    ("class S(BaseSettings):\n    key: str = Field('x', validation_alias='K')", [("K", OPT)]),
    ("class S(BaseSettings):\n    key: str = Field(validation_alias=AliasChoices('A', 'B'))", [("A", REQ)]),
    ("class S(BaseSettings):\n    key: str = Field(..., env='V1_NAME')", [("V1_NAME", REQ)]),
    # skipped: private, ClassVar, model_config, methods; non-settings classes
    ("class S(BaseSettings):\n    _p: str = 'x'\n    c: ClassVar[int] = 1\n    def f(self) -> None: pass", []),
    ("class M(BaseModel):\n    db_url: str", []),
    # a subclass of a settings class in the same module, config inherited
    ("class Base(BaseSettings, env_prefix='APP_'):\n    pass\nclass S(Base):\n    port: int = 1", [("APP_PORT", OPT)]),
    # a prefix that is not a literal: the names are unknown
    ("class S(BaseSettings, env_prefix=PREFIX):\n    port: int", []),
    # a field whose type is a model (nested settings) is built by pydantic, not one variable
    ("class Db(BaseModel):\n    host: str\nclass S(BaseSettings):\n    db: Db\n    name: str",
     [("NAME", REQ)]),
    ("class Db(BaseSettings, env_prefix='DB_'):\n    host: str = 'h'\n"
     "class S(BaseSettings):\n    db: Optional[Db] = None\n    other: 'Db'\n    items: list[Db] = []",
     [("DB_HOST", OPT)]),
    ("from .mail import MailSettings\nclass S(BaseSettings):\n    mail: MailSettings\n    level: LogLevel",
     [("LEVEL", REQ)]),
    # a field the module passes to the constructor is not read from the environment
    ("class S(BaseSettings):\n    debug: bool\n    secret: str\nsettings = S(debug=True)",
     [("SECRET", REQ)]),
]


@pytest.mark.parametrize(("body", "expected"), PYDANTIC)
def test_pydantic_settings_fields(body, expected):
    assert py(SETTINGS.format(body=body)) == expected


def test_pydantic_v1_and_module_import():
    code = "import pydantic\nclass S(pydantic.BaseSettings):\n    token: str\n"
    assert py(code) == [("TOKEN", REQ)]
    code = "from pydantic import BaseSettings\nclass S(BaseSettings):\n    token: str = 'x'\n"
    assert py(code) == [("TOKEN", OPT)]


def test_case_insensitive_settings_match_any_case(tmp_path, monkeypatch, capsys):
    from _env_vars_support import make_repo

    from hooks.check_env_vars import _REPOSITORIES, main

    repo = make_repo(tmp_path / "r", {
        ".env.example": "db_url=\nexact_case=\n",
        "s.py": SETTINGS.format(body=(
            "class S(BaseSettings):\n    db_url: str\n"
            "class T(BaseSettings, case_sensitive=True):\n    EXACT_CASE: str\n")),
    })
    monkeypatch.chdir(repo)
    _REPOSITORIES.clear()
    assert main(["s.py"]) == 1
    out = capsys.readouterr().out
    assert out == ("s.py:7:5: DG402 EXACT_CASE is required (pydantic-settings field T.EXACT_CASE: "
                   "no default, the program fails at start without it) but declared nowhere\n")


# --- helpers, one level ----------------------------------------------------------


def test_same_module_helper_positional_and_keyword():
    code = """\
    import os
    def env_or(name, default=None):
        return os.getenv(name, default)
    def must(prefix, name):
        return os.environ[name]
    env_or("A")
    env_or(name="B")
    must("x", "C")
    must("x", name="D")
    """
    assert py(code) == [("A", OPT), ("B", OPT), ("C", REQ), ("D", REQ)]


def test_helpers_are_followed_one_level_only():
    code = """\
    import os
    def get_from_env(name):
        return os.environ[name]
    def wrapper(n):
        return get_from_env(n)
    wrapper("NOT_FOLLOWED")
    get_from_env("FOLLOWED")
    """
    assert py(code) == [("FOLLOWED", REQ)]


def test_imported_helpers_relative_absolute_src_layout_and_module_attribute(tmp_path):
    write(tmp_path, {
        "src/pkg/__init__.py": "",
        "src/pkg/util.py": "from os import environ\n\ndef need(var):\n    return environ[var]\n",
        "services/api/app/__init__.py": "",
        "services/api/app/envs.py": "import os\n\ndef opt(key, default=''):\n    return os.environ.get(key, default)\n",
    })
    assert py("from pkg.util import need\nneed('A')", tmp_path, str(tmp_path / "src/pkg/main.py")) == [("A", REQ)]
    assert py("from .util import need\nneed('B')", tmp_path, str(tmp_path / "src/pkg/main.py")) == [("B", REQ)]
    assert py("from app.envs import opt\nopt('C')", tmp_path,
              str(tmp_path / "services/api/app/main.py")) == [("C", OPT)]
    assert py("from app import envs\nenvs.opt('D')", tmp_path,
              str(tmp_path / "services/api/worker.py")) == [("D", OPT)]
    assert py("import pkg.util as u\nu.need('E')", tmp_path, str(tmp_path / "src/pkg/x.py")) == [("E", REQ)]
    assert py("from nowhere import need\nneed('F')", tmp_path, str(tmp_path / "src/pkg/x.py")) == []
    write(tmp_path, {"src/pkg.py": "import os\n\ndef need(v):\n    return 1\n",
                     "src/pkg/__init__.py": "import os\n\ndef need(v):\n    return os.getenv(v)\n"})
    assert py("from . import need\nneed('G')", tmp_path, str(tmp_path / "src/pkg/x.py")) == [("G", OPT)]


def test_a_file_without_trigger_words_calling_a_known_helper(tmp_path, monkeypatch, capsys):
    from _env_vars_support import make_repo

    from hooks.check_env_vars import _REPOSITORIES, main

    repo = make_repo(tmp_path / "r", {
        "pkg/__init__.py": "",
        "pkg/util.py": "import os\n\ndef need(var):\n    return os.environ[var]\n",
        "pkg/jobs.py": "from pkg.util import need\n\nTOKEN = need('JOB_TOKEN')\n",
    })
    monkeypatch.chdir(repo)
    _REPOSITORIES.clear()
    assert main(["pkg/jobs.py", "pkg/util.py"]) == 1
    assert capsys.readouterr().out.splitlines() == [
        ("pkg/jobs.py:3:9: DG402 JOB_TOKEN is required (need() via os.environ[...]: no default, "
        "the program fails at start without it) but declared nowhere")
    ]


# --- JavaScript / TypeScript ------------------------------------------------------


def js(code: str, path: str = "a.ts") -> list[tuple[str, str]]:
    reads = js_reads(SourceFile(path, textwrap.dedent(code))).reads
    return [(r.name, "default" if "with a default" in r.how else "none") for r in reads]


JS_MUST_FLAG = [
    ("const a = process.env.A;", [("A", "none")]),
    ("const a = process.env['A'];", [("A", "none")]),
    ('const a = process.env["A"];', [("A", "none")]),
    ("const a = process.env[`A`];", [("A", "none")]),
    ("const a = process?.env?.A;", [("A", "none")]),
    ("const a = process.env.A ?? 'x';", [("A", "default")]),
    ("const a = process.env.A || 'x';", [("A", "default")]),
    ("if (process.env.A === 'x') {}", [("A", "none")]),
    ("const a = process.env.A!;", [("A", "none")]),
    ("const a = import.meta.env.VITE_A;", [("VITE_A", "none")]),
    ("const a = import.meta.env['VITE_A'];", [("VITE_A", "none")]),
    ("const a = Deno.env.get('A');", [("A", "none")]),
    ("const a = Bun.env.A;", [("A", "none")]),
    ("const { A, B = 'x', C: c, ...rest } = process.env;", [("A", "none"), ("B", "default"), ("C", "none")]),
    ("const { VITE_A } = import.meta.env;", [("VITE_A", "none")]),
    ("const t = `x ${process.env.A} y`;", [("A", "none")]),
    ("const t = `x ${ {a: 1}.a } ${process.env.A}`;", [("A", "none")]),
    ("const r = a / b; const c = process.env.A / 2;", [("A", "none")]),
    ("const el = <div><p>x</p>{process.env.A}<br/></div>;", [("A", "none")]),
    ("function getEnv(name) { return process.env[name]; }\ngetEnv('A');", [("A", "none")]),
    ("const getEnv = (name: string, d?: string) => process.env[name] ?? d;\ngetEnv('A');", [("A", "default")]),
    ("const getEnv = name => process.env[name];\ngetEnv('A', 'fallback');", [("A", "default")]),
]


@pytest.mark.parametrize(("code", "expected"), JS_MUST_FLAG)
def test_js_reads(code, expected):
    assert js(code) == expected


JS_MUST_NOT_FLAG = [
    "// process.env.A",
    "/* process.env.A */",
    "const s = 'process.env.A';",
    'const s = "process.env.A";',
    "const s = `process.env.A`;",
    "const r = /process.env.A/;",
    "const r = x.replace(/process.env.A/g, '');",
    "process.env.A = 'x';",
    "process.env['A'] = 'x';",
    "process.env.A ??= 'x';",
    "delete process.env.A;",
    "const a = process.env[key];",
    "const a = process.env[`A_${x}`];",
    "process.env.hasOwnProperty('A');",
    "const m = import.meta.env.MODE, d = import.meta.env.DEV;",
    "const a = myprocess.env.A;",
    "const s = 'it\\'s process.env.A';",
]


@pytest.mark.parametrize("code", JS_MUST_NOT_FLAG)
def test_js_non_reads(code):
    assert js(code) == []


def test_js_positions_and_multiline():
    source = SourceFile("a.js", "const x = 1;\n/* a\n process.env.NO */ const y =\n   process.env.YES;\n")
    [read] = js_reads(source).reads
    assert (read.name, read.line, read.col) == ("YES", 4, 4)


def test_vue_and_svelte_read_only_script_blocks():
    vue = (
        "<template><p>Don't use process.env.IN_TEMPLATE</p></template>\n"
        "<script setup lang=\"ts\">\nconst a = import.meta.env.VITE_IN_SCRIPT\n</script>\n"
    )
    assert js(vue, "App.vue") == [("VITE_IN_SCRIPT", "none")]
    svelte = "<script>\n  const k = process.env.SVELTE_KEY;\n</script>\n<h1>process.env.NOT_CODE</h1>\n"
    reads = js_reads(SourceFile("App.svelte", svelte)).reads
    assert [(r.name, r.line, r.col) for r in reads] == [("SVELTE_KEY", 2, 13)]


def test_non_code_spans_cover_comments_strings_and_regexes():
    text = "a = 'x' // c\nb = /re/g; c = d / e / f; `t ${g} u`"
    spans = [text[s:e] for s, e in non_code_spans(text)]
    assert spans == ["'x'", "// c", "/re/", "`t ${", "} u`"]


@pytest.mark.parametrize("text", [
    "os.environ['A']", "from os import getenv", "class S(BaseSettings): pass",
    "from decouple import config", "import environ\nenv = environ.Env()", "from environs import Env",
    "from starlette.config import Config\nconfig = Config()", "x = env('A')", "get_from_env('A')",
    "from .base import env",
])
def test_prefilter_lets_through_every_way_of_reading(text):
    assert mentions_env(text, set())


@pytest.mark.parametrize("text", [
    "# the environment is set up by the caller", "venv_dir = '.venv'", "envelope = 1", "",
])
def test_prefilter_skips_prose_and_lookalikes(text):
    assert not mentions_env(text, set())
    assert mentions_env(text + "\nneed('X')", {"need"})


def test_js_helpers_imported_from_the_repository(tmp_path):
    write(tmp_path, {
        "src/lib/env.ts": (
            "export function requireEnv(name: string): string {\n"
            "  const v = process.env[name];\n  if (!v) throw new Error(name);\n  return v;\n}\n"
            "export const optionalEnv = (key: string, d = '') => process.env[key] ?? d;\n"
        ),
        "src/lib/index.js": "function fromEnv(n) { return process.env[n]; }\nmodule.exports = { fromEnv };\n",
    })
    index = JsHelperIndex(str(tmp_path))

    def reads(path: str, code: str) -> list[tuple[str, str]]:
        result = js_reads(SourceFile(str(tmp_path / path), code), index).reads
        return [(r.name, r.how) for r in result]

    assert reads("src/app/page.tsx", (
        "import { requireEnv, optionalEnv as opt } from '../lib/env';\n"
        "const a = requireEnv('API_URL');\nconst b = opt('REGION');\n"
    )) == [
        ("API_URL", "requireEnv() via process.env, no default: undefined when unset"),
        ("REGION", "optionalEnv() via process.env, with a default"),
    ]
    assert reads("src/server.ts", "import { requireEnv } from '@/lib/env';\nrequireEnv('SECRET');\n") == [
        ("SECRET", "requireEnv() via process.env, no default: undefined when unset")]
    assert reads("src/worker.js", "const { fromEnv } = require('./lib');\nfromEnv('QUEUE');\n") == [
        ("QUEUE", "fromEnv() via process.env, no default: undefined when unset")]
    # a package with the same export, a name that is not a helper, a commented-out import
    assert reads("src/x.ts", (
        "import { requireEnv } from 'some-package';\nrequireEnv('NOT_OURS');\n"
        "// import { optionalEnv } from './lib/env';\noptionalEnv('NOR_THIS');\n"
        "import { other } from './lib/env';\nother('NOPE');\n"
    )) == []


def test_js_reader_is_linear_on_many_slashes():
    """A 200 KB file of divisions (`a/b/c;`) took minutes when each `/` looked back over the
    whole text. Run in a child process with a timeout, so a regression fails quickly; the
    bound is generous for a loaded CI machine (about 0.1-0.3 s here)."""
    import subprocess
    import sys as _sys

    script = (
        "import time\n"
        "from hooks._core.files import SourceFile\n"
        "from hooks._env.reads_js import js_reads\n"
        "text = 'a/b/c;\\n' * 30000 + 'x = /re/g; y = process.env.AFTER_SLASHES / 2;\\n'\n"
        "start = time.perf_counter()\n"
        "reads = js_reads(SourceFile('big.js', text))\n"
        "print(time.perf_counter() - start, [r.name for r in reads.reads])\n"
    )
    proc = subprocess.run([_sys.executable, "-c", script], capture_output=True, text=True, timeout=30,
                          cwd=str(Path(__file__).resolve().parents[1]))
    seconds, names = proc.stdout.split(" ", 1)
    assert names.strip() == "['AFTER_SLASHES']"
    assert float(seconds) < 2.0


def test_js_look_back_treats_an_unterminated_string_as_a_string():
    # the string ends at the newline; the `/` after it (past comments) follows a string, so it
    # is a division, not a regex that would hide the read after it
    text = "x = 'open[\n/* a *//* b *//(1) + process.env.AFTER_DIVISION / 2;\n"
    assert js(text) == [("AFTER_DIVISION", "none")]
