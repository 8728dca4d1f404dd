"""check-doc-drift: recall on planted stale references, and speed.

    python benchmarks/bench_doc_drift.py recall [--only NAME]
    python benchmarks/bench_doc_drift.py speed [--files 1500] [--docs 200] [--runs 5]

recall: each plant is a code change a maintainer could make (a flag renamed, a route moved, a
function or class renamed across its package, an environment variable renamed in the code and
the deployment files) that leaves one line of the corpus repository's
*own* docs stale. The repositories come from `benchmarks/real_repos.py` (it unpacks them under
`benchmarks/.work/real/`); each is copied to `benchmarks/.work/doc-drift/<name>`, the change is
applied there, and check-doc-drift runs twice, as a subprocess of this checkout's code:

- `--all DOC` (what `driftgate scan` and CI report): found when a finding of the expected code
  is on the planted doc line (and was not there before the change);
- diff mode (the change staged, PRE_COMMIT=1, no file passed: a commit that touches code only):
  found when a finding is on that line (DG954 counts for renamed Python names).

speed: a generated project of N Python files (one package, an argparse CLI, a FastAPI app, a
config reader and an environment settings module among them) and M docs that use all five
kinds of reference (one documents a variable nothing reads), in a git repo; a
`--all` run over every doc, then a commit touching one doc and two code files in diff mode.
Medians of `--runs`, wall clock including interpreter start-up, as pre-commit runs it.
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent
REAL = HERE / ".work" / "real"
WORK = HERE / ".work" / "doc-drift"
RUN = (
    "import sys; sys.path.insert(0, {project!r}); from hooks.check_doc_drift import main; "
    "raise SystemExit(main())"
).format(project=str(PROJECT))


@dataclass(frozen=True)
class Plant:
    repo: str
    kind: str  # flag, command, route, rename, env
    edits: tuple[tuple[str, str, str], ...]  # (path glob under the repo, regex, replacement)
    doc: str
    line_re: str  # the first doc line matching this is the planted stale reference
    codes: tuple[str, ...]

    @property
    def label(self) -> str:
        return f"{self.repo}:{self.kind}:{self.edits[0][1]}"


def _flag(flag: str, doc_re: str, repo: str = "httpie", where: str = "httpie/cli/definition.py",
          doc: str = "docs/README.md") -> Plant:
    return Plant(repo, "flag", ((where, rf"(['\"]){re.escape(flag)}(['\"])", rf"\g<1>--renamed-{flag[2:]}\g<2>"),),
                 doc, doc_re, ("DG951",))


def _route(repo: str, where: str, old: str, new: str, doc: str, doc_re: str) -> Plant:
    return Plant(repo, "route", ((where, re.escape(old), new),), doc, doc_re, ("DG953",))


def _rename(repo: str, package: str, name: str, doc: str) -> Plant:
    return Plant(repo, "rename", ((f"{package}/**/*.py", rf"\b{name}\b", f"{name}_v2" if name[0].islower() else f"{name}V2"),),
                 doc, rf"^\s*(>>> )?from [\w.]+ import .*\b{name}\b", ("DG955", "DG954"))


def _env(repo: str, name: str, files: tuple[str, ...], doc: str, doc_re: str) -> Plant:
    """An environment variable renamed in every file but the docs (the code and the deployment
    files read the new name): the docs still document the old one as a setting."""
    word = rf"(?<![A-Za-z0-9_]){re.escape(name)}(?![A-Za-z0-9_])"
    return Plant(repo, "env", tuple((f, word, f"{name}_RENAMED") for f in files), doc, doc_re, ("DG956",))


HC_SETTINGS_DOC = "templates/docs/self_hosted_configuration.md"
FT_CONFIG = ("backend/app/core/config.py", "backend/app/utils.py")
HC_URLS = "hc/api/urls.py"
HC_DOC = "templates/docs/api.md"

PLANTS: tuple[Plant, ...] = (
    # --- httpie: flags renamed in its argparse definition ------------------------------
    *(_flag(flag, rf"^\$ https? .*{re.escape(flag)}\b") for flag in (
        "--offline", "--form", "--session", "--follow", "--check-status", "--pretty", "--stream",
        "--verify", "--cert", "--proxy", "--multipart", "--raw", "--compress", "--chunked",
        "--path-as-is", "--meta", "--response-charset", "--format-options", "--download",
    )),
    Plant("httpie", "command", (("httpie/manager/**/*.py", r"'cli'", "'manage'"),),
          "docs/README.md", r"^\$ httpie cli sessions upgrade-all", ("DG951",)),
    # --- pydantic-ai: the clai CLI's flags -----------------------------------------------
    _flag("--list-models", r"clai --list-models", "pydantic-ai", "pydantic_ai_slim/pydantic_ai/_cli/__init__.py", "docs/cli.md"),
    _flag("--agent", r"^clai --agent", "pydantic-ai", "pydantic_ai_slim/pydantic_ai/_cli/__init__.py", "docs/cli.md"),
    # --- healthchecks: API routes moved -------------------------------------------------
    _route("healthchecks", HC_URLS, '"checks/<uuid:code>/pause"', '"checks/<uuid:code>/suspend"', HC_DOC, r"/pause`"),
    _route("healthchecks", HC_URLS, '"checks/<uuid:code>/resume"', '"checks/<uuid:code>/unpause"', HC_DOC, r"/resume`"),
    _route("healthchecks", HC_URLS, '"checks/<uuid:code>/pings/", views', '"checks/<uuid:code>/ping-log/", views', HC_DOC, r"/pings/`"),
    _route("healthchecks", HC_URLS, '"checks/<uuid:code>/pings/<int:n>/body"', '"checks/<uuid:code>/pings/<int:n>/payload"', HC_DOC, r"/body`"),
    Plant("healthchecks", "route", (
        (HC_URLS, re.escape('"checks/<uuid:code>/flips/"'), '"checks/<uuid:code>/status-changes/"'),
        (HC_URLS, re.escape('"checks/<sha1:unique_key>/flips/"'), '"checks/<sha1:unique_key>/status-changes/"'),
    ), HC_DOC, r"/flips/`", ("DG953",)),
    _route("healthchecks", HC_URLS, 'path("channels/"', 'path("integrations/"', HC_DOC, r"api/v3/channels/`"),
    _route("healthchecks", HC_URLS, 'path("badges/"', 'path("badge-list/"', HC_DOC, r"api/v3/badges/`"),
    _route("healthchecks", HC_URLS, 'path("status/"', 'path("health/"', HC_DOC, r"api/v3/status/`"),
    _route("healthchecks", HC_URLS, 'path("checks/", views.checks)', 'path("monitors/", views.checks)', HC_DOC, r"`GET SITE_ROOT/api/v3/checks/`"),
    # --- netbox: REST framework router prefixes renamed -----------------------------------
    _route("netbox", "netbox/dcim/api/urls.py", "register('sites',", "register('site-list',",
           "docs/integrations/rest-api.md", r"^GET /api/dcim/sites/\?fields"),
    _route("netbox", "netbox/dcim/api/urls.py", "register('interfaces',", "register('iface',",
           "docs/integrations/rest-api.md", r"^GET /api/dcim/interfaces/"),
    _route("netbox", "netbox/ipam/api/urls.py", "register('prefixes',", "register('ip-prefixes',",
           "docs/integrations/rest-api.md", r"^GET /api/ipam/prefixes/"),
    _route("netbox", "netbox/ipam/api/urls.py", "register('vlans',", "register('vlan-list',",
           "docs/reference/filtering.md", r"^GET /api/ipam/vlans/"),
    _route("netbox", "netbox/dcim/api/urls.py", "register('devices',", "register('device-list',",
           "docs/features/customization.md", r"^GET /api/dcim/devices/"),
    # --- pydantic-ai and peft: functions and classes renamed across their package ---------
    *(_rename("pydantic-ai", "pydantic_ai_slim/pydantic_ai", name, doc) for name, doc in (
        ("format_as_xml", "docs/evals/evaluators/llm-judge.md"),
        ("capture_run_messages", "docs/testing.md"),
        ("UsageLimits", "docs/multi-agent-applications.md"),
        ("ModelRetry", "docs/output.md"),
        ("TestModel", "docs/testing.md"),
        ("FunctionModel", "docs/testing.md"),
        ("BinaryContent", "docs/input.md"),
        ("ImageUrl", "docs/input.md"),
    )),
    # --- environment variables documented as settings, renamed in the code (DG956) ----------
    *(_env("healthchecks", name, ("hc/settings.py", "docker/.env.example"), HC_SETTINGS_DOC, rf"^## `{name}`")
      for name in ("DB_CONN_MAX_AGE", "DB_HOST", "DB_PORT", "DB_SSLMODE", "DB_TARGET_SESSION_ATTRS")),
    _env("fastapi-template", "FRONTEND_HOST", (*FT_CONFIG, "backend/app/main.py", "compose.deploy.yml"),
         "deployment.md", r"^\* `FRONTEND_HOST`"),
    _env("fastapi-template", "SMTP_USER", (*FT_CONFIG, ".github/workflows/deploy-docker-compose.yml", "compose.yml",
                                           "backend/tests/api/routes/test_login.py", "backend/tests/api/routes/test_users.py"),
         "deployment.md", r"^\* `SMTP_USER`"),
    _env("fastapi-template", "EMAILS_FROM_EMAIL", (*FT_CONFIG, ".env", ".github/workflows/deploy-docker-compose.yml", "compose.yml"),
         "deployment.md", r"^\* `EMAILS_FROM_EMAIL`"),
    *(_rename("peft", "src/peft", name, doc) for name, doc in (
        ("get_peft_model", "docs/source/quicktour.md"),
        ("LoraConfig", "docs/source/guides/peft_model_config.md"),
        ("PeftModel", "docs/source/quicktour.md"),
        ("prepare_model_for_kbit_training", "docs/source/developer_guides/quantization.md"),
        ("inject_adapter_in_model", "docs/source/developer_guides/low_level_api.md"),
        ("get_peft_model_state_dict", "docs/source/developer_guides/low_level_api.md"),
    )),
)


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True).stdout


def hook(cwd: Path, *args: str, diff: bool = False) -> tuple[list[str], float]:
    # bytecode caching on, as in any installed copy (this machine sets PYTHONDONTWRITEBYTECODE)
    env = {k: v for k, v in os.environ.items() if not k.startswith("PRE_COMMIT") and k != "PYTHONDONTWRITEBYTECODE"}
    if diff:
        env["PRE_COMMIT"] = "1"
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", RUN, *args], cwd=cwd, capture_output=True, text=True, env=env)
    elapsed = time.perf_counter() - start
    if proc.returncode not in (0, 1):
        raise SystemExit(f"check-doc-drift failed in {cwd}: {proc.stderr.strip()}")
    return proc.stdout.splitlines(), elapsed


def copy_repo(name: str) -> Path:
    source = REAL / name
    if not (source / ".git").exists():
        raise SystemExit(f"{source}: missing; run `python benchmarks/real_repos.py --repo {name}` first")
    dest = WORK / name
    if not dest.exists():
        WORK.mkdir(parents=True, exist_ok=True)
        shutil.copytree(source, dest, symlinks=True)
    git(dest, "checkout", "-q", "--", ".")
    git(dest, "reset", "-q")
    return dest


def apply(root: Path, plant: Plant) -> None:
    for pattern, regex, replacement in plant.edits:
        paths = sorted(root.glob(pattern))
        changed = 0
        for path in paths:
            text = path.read_text(encoding="utf-8")
            new = re.sub(regex, replacement, text)
            if new != text:
                path.write_text(new, encoding="utf-8")
                changed += 1
        if not changed:
            raise SystemExit(f"plant {plant.label}: {regex!r} matches nothing in {pattern}")


def planted_line(root: Path, plant: Plant) -> int:
    for number, text in enumerate((root / plant.doc).read_text(encoding="utf-8").splitlines(), 1):
        if re.search(plant.line_re, text):
            return number
    raise SystemExit(f"plant {plant.label}: no line of {plant.doc} matches {plant.line_re!r}")


def hits(lines: list[str], doc: str, line: int, codes: tuple[str, ...]) -> bool:
    return any(
        out.startswith(f"{doc}:{line}:") and out.split(" ", 2)[1] in codes for out in lines
    )


def recall(only: str | None) -> None:
    plants = [p for p in PLANTS if only is None or p.repo == only]
    rows = []
    for plant in plants:
        root = copy_repo(plant.repo)
        line = planted_line(root, plant)
        before, _ = hook(root, "--all", plant.doc)
        if hits(before, plant.doc, line, plant.codes):
            raise SystemExit(f"plant {plant.label}: {plant.doc}:{line} is reported before the change")
        apply(root, plant)
        after, _ = hook(root, "--all", plant.doc)
        git(root, "add", "-A")
        diff_out, _ = hook(root, diff=True)
        codes = plant.codes
        found_all = hits(after, plant.doc, line, codes)
        found_diff = hits(diff_out, plant.doc, line, codes)
        rows.append((plant, line, found_all, found_diff))
        print(f"{'+' if found_all else '-'}{'+' if found_diff else '-'} {plant.label} -> {plant.doc}:{line}", flush=True)
        git(root, "reset", "-q")
        git(root, "checkout", "-q", "--", ".")
    print()
    print("| repo | kind | planted | found (--all) | found (diff mode) |")
    print("|---|---|---:|---:|---:|")
    keys = sorted({(p.repo, p.kind) for p, *_ in rows})
    for repo, kind in keys:
        mine = [r for r in rows if (r[0].repo, r[0].kind) == (repo, kind)]
        print(f"| {repo} | {kind} | {len(mine)} | {sum(r[2] for r in mine)} | {sum(r[3] for r in mine)} |")
    total = len(rows)
    print(f"| **all** | | {total} | {sum(r[2] for r in rows)} ({100 * sum(r[2] for r in rows) / total:.0f}%) "
          f"| {sum(r[3] for r in rows)} ({100 * sum(r[3] for r in rows) / total:.0f}%) |")


# --- speed ------------------------------------------------------------------------------


def generate(root: Path, files: int, docs: int) -> None:
    if root.exists():
        shutil.rmtree(root)
    pkg = root / "src" / "bigpkg"
    (pkg / "api").mkdir(parents=True)
    (root / "docs").mkdir()
    (root / "pyproject.toml").write_text(
        '[project]\nname = "bigpkg"\nversion = "1.0"\n[project.scripts]\nbig = "bigpkg.cli:main"\n'
    )
    (pkg / "__init__.py").write_text("from bigpkg.mod_0000 import func_0000\n")
    (pkg / "cli.py").write_text(
        "import argparse\n\n\ndef main():\n    p = argparse.ArgumentParser()\n"
        + "".join(f"    p.add_argument('--opt-{i}')\n" for i in range(40))
        + "    sub = p.add_subparsers()\n"
        + "".join(f"    sub.add_parser('cmd{i}')\n" for i in range(10))
        + "    return p.parse_args()\n"
    )
    (pkg / "config.py").write_text(
        "def load(data):\n    table = data['tool']['bigpkg']\n"
        + "".join(f"    x{i} = table.get('key-{i}')\n" for i in range(20))
    )
    (pkg / "settings.py").write_text(
        "import os\n\nfrom pydantic_settings import BaseSettings, SettingsConfigDict\n\n"
        + "".join(f"OPT_{i} = os.environ.get('BIG_OPT_{i}')\n" for i in range(20))
        + "\n\nclass Settings(BaseSettings):\n    model_config = SettingsConfigDict(env_prefix='BIG_')\n\n"
        + "".join(f"    field_{i}: int = {i}\n" for i in range(10))
    )
    (pkg / "api" / "__init__.py").write_text("")
    (pkg / "api" / "app.py").write_text(
        "from fastapi import APIRouter, FastAPI\n\napp = FastAPI()\nrouter = APIRouter(prefix='/items')\n\n"
        + "".join(f"@router.get('/{{item_id}}/part{i}')\ndef part{i}(item_id: int):\n    return {{}}\n\n" for i in range(30))
        + "app.include_router(router, prefix='/api')\n"
    )
    for n in range(files - 4):
        body = "".join(
            f"class Thing{i}:\n    def method_{i}(self, value: int, *, flag: bool = False) -> int:\n"
            f"        return value\n\n\ndef func_{n:04}_{i:02}(a, b=1, *, c=2):\n    return a + b + c\n\n\n"
            for i in range(12)
        )
        (pkg / f"mod_{n:04}.py").write_text(f'"""Module {n}."""\nimport os\n\nNAME = "mod-{n}"\n\n' + body)
    (pkg / "mod_0000.py").write_text((pkg / "mod_0000.py").read_text() + "\n\ndef func_0000():\n    pass\n")
    for d in range(docs):
        m = d % (files - 4)
        (root / "docs" / f"page_{d:03}.md").write_text(
            f"# Page {d}\n\nSome prose about `bigpkg.mod_{m:04}.Thing3` and `GET /api/items/{{id}}/part{d % 30}`.\n\n"
            f"```console\n$ big --opt-{d % 40} x cmd{d % 10}\n$ big cmd{d % 10} --opt-1 y\n```\n\n"
            f"```toml\n[tool.bigpkg]\nkey-{d % 20} = 1\n```\n\n"
            f"```python\nfrom bigpkg.mod_{m:04} import Thing1, func_{m:04}_01\n\nThing1().method_1(3, flag=True)\n"
            f"func_{m:04}_01(1, c=3)\n```\n\n"
            f"## Environment variables\n\n| Variable | Meaning |\n|---|---|\n| `BIG_OPT_{d % 20}` | x |\n"
            f"| `BIG_OPT_{(d + 1) % 20}` | x |\n| `BIG_FIELD_{d % 10}` | y |\n" + ("| `BIG_GONE_SETTING` | stale |\n" if d == 0 else "") + "\n"
            + "Filler line of documentation text.\n" * 60
        )
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "-c", "user.name=b", "-c", "user.email=b@example.invalid", "commit", "-q", "-m", "base")


def speed(files: int, docs: int, runs: int) -> None:
    root = WORK / "speed"
    generate(root, files, docs)
    hook(root, "--all", "docs")  # warm the API cache, as every run after the first is
    full = [hook(root, "--all", "docs")[1] for _ in range(runs)]
    out, _ = hook(root, "--all", "docs")
    # one doc and two code files staged (a flag renamed: the docs that use it go stale)
    page = root / "docs" / "page_000.md"
    page.write_text(page.read_text() + "\nMore text.\n")
    cli = root / "src" / "bigpkg" / "cli.py"
    cli.write_text(cli.read_text().replace("'--opt-39'", "'--opt-renamed'"))
    # and an environment variable 10 docs document as a setting is renamed in the code (DG956)
    settings = root / "src" / "bigpkg" / "settings.py"
    settings.write_text(settings.read_text().replace("'BIG_OPT_19'", "'BIG_OPT_NINETEEN'"))
    git(root, "add", "-A")
    commit = [hook(root, diff=True)[1] for _ in range(runs)]
    diff_out, _ = hook(root, diff=True)
    floor = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", "pass"], check=True)
        floor.append(time.perf_counter() - start)
    print(f"{files} Python files, {docs} docs: findings --all {len(out)}, diff mode {len(diff_out)}")
    print(f"| `python -c pass` (interpreter start-up, the floor) | {statistics.median(floor) * 1000:.0f} ms |")
    print(f"| `check-doc-drift --all docs` ({files} .py, {docs} docs) | {statistics.median(full) * 1000:.0f} ms |")
    print(f"| diff mode, a commit of 1 doc + 2 code files | {statistics.median(commit) * 1000:.0f} ms |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    rec = sub.add_parser("recall")
    rec.add_argument("--only", help="one repository")
    spd = sub.add_parser("speed")
    spd.add_argument("--files", type=int, default=1500)
    spd.add_argument("--docs", type=int, default=200)
    spd.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    if args.command == "recall":
        recall(args.only)
    else:
        speed(args.files, args.docs, args.runs)


if __name__ == "__main__":
    main()
