"""Real project layouts for check-doc-drift's tests: each is written into a git repository
in a tmp dir and committed, as a user's project would be."""
from __future__ import annotations

import contextlib
import io
from pathlib import Path
from typing import Mapping

from conftest import commit_all, init_repo, write_files

# An argparse CLI in a src/ layout, with subcommands and a dry-run flag.
ARGPARSE_SRC = {
    "pyproject.toml": """\
[project]
name = "mytool"
version = "1.0"

[project.scripts]
mytool = "mytool.cli:main"
""",
    "src/mytool/__init__.py": "",
    "src/mytool/cli.py": """\
import argparse


def build_parser():
    parser = argparse.ArgumentParser(prog="mytool")
    parser.add_argument("-v", "--verbose", action="store_true")
    parser.add_argument("--color", action=argparse.BooleanOptionalAction)
    sub = parser.add_subparsers(dest="command")
    sync = sub.add_parser("sync", aliases=["s"])
    sync.add_argument("--dry-run", action="store_true")
    sync.add_argument("target")
    sub.add_parser("status")
    return parser


def main(argv=None):
    return build_parser().parse_args(argv)
""",
}

# A click CLI in a flat layout, declared in setup.cfg.
CLICK_FLAT = {
    "setup.cfg": """\
[metadata]
name = clicky

[options.entry_points]
console_scripts =
    clicky = clicky.main:cli
""",
    "clicky/__init__.py": "",
    "clicky/main.py": """\
import click


@click.group()
@click.version_option()
def cli():
    pass


@cli.command()
@click.option("--force/--no-force", "-f", default=False)
@click.argument("remote")
def push(force, remote):
    pass


@cli.command("pull-all")
@click.option("--depth", type=int)
def pull(depth):
    pass
""",
}

# A typer app declared in poetry's scripts table.
TYPER_POETRY = {
    "pyproject.toml": """\
[tool.poetry]
name = "typed"
version = "1.0"

[tool.poetry.scripts]
typed = "typed.app:app"
""",
    "typed/__init__.py": "",
    "typed/app.py": """\
import typer

app = typer.Typer()


@app.command()
def greet(name: str, loud: bool = False, times: int = typer.Option(1, "--times", "-n")):
    pass


@app.command()
def version():
    pass
""",
}


def make_repo(root: Path, *layouts: Mapping[str, str], docs: Mapping[str, str] | None = None) -> Path:
    init_repo(root)
    for layout in layouts:
        write_files(root, layout)
    write_files(root, docs or {})
    commit_all(root, "project")
    return root


def run_hook(*argv: str) -> tuple[int, list[str], str]:
    """check-doc-drift's main in this process: (exit code, stdout lines, stderr)."""
    from hooks import check_doc_drift

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = check_doc_drift.main(list(argv))
    return code, out.getvalue().splitlines(), err.getvalue()

# A project that reads its own [tool.mytool] table (src/ layout).
CONFIG_READER = {
    "pyproject.toml": '[project]\nname = "mytool"\nversion = "1.0"\n',
    "src/mytool/__init__.py": "",
    "src/mytool/config.py": """\
from dataclasses import dataclass, field


@dataclass
class Settings:
    line_length: int = 88
    exclude: list = field(default_factory=list)


def load(data):
    table = data.get("tool", {}).get("mytool", {})
    lint = table.get("lint", {})
    aliases = dict(table.get("aliases", {}))  # the user's own names
    return Settings(table.get("line-length", 88), table.get("exclude", [])), lint.get("select"), aliases
""",
}

# A FastAPI app (flat layout): routers with prefixes, mounted under a settings constant.
FASTAPI_APP = {
    "pyproject.toml": '[project]\nname = "shop"\nversion = "1.0"\n',
    "app/__init__.py": "",
    "app/config.py": 'class Settings:\n    API_V1_STR: str = "/api/v1"\n\n\nsettings = Settings()\n',
    "app/routes/__init__.py": "",
    "app/routes/items.py": """\
from fastapi import APIRouter

router = APIRouter(prefix="/items", tags=["items"])


@router.get("/")
def list_items():
    return []


@router.get("/{item_id}")
def get_item(item_id: int):
    return {}


@router.put("/{item_id}")
def put_item(item_id: int):
    return {}
""",
    "app/routes/users.py": """\
from fastapi import APIRouter

router = APIRouter(prefix="/users")


@router.get("/me")
def me():
    return {}


@router.api_route("/{user_id}/avatar", methods=["GET", "POST"])
def avatar(user_id: int):
    return {}
""",
    "app/api.py": """\
from fastapi import APIRouter

from app.routes import items, users

api_router = APIRouter()
api_router.include_router(items.router)
api_router.include_router(users.router)
""",
    "app/main.py": """\
from fastapi import FastAPI

from app.api import api_router
from app.config import settings

app = FastAPI()
app.include_router(api_router, prefix=settings.API_V1_STR)


@app.get("/health")
def health():
    return "ok"
""",
}

# A Flask app with a blueprint.
FLASK_APP = {
    "shop/__init__.py": """\
from flask import Flask

from shop.cart import bp

app = Flask(__name__)
app.register_blueprint(bp, url_prefix="/shop")


@app.route("/status")
def status():
    return "ok"
""",
    "shop/cart.py": """\
from flask import Blueprint

bp = Blueprint("cart", __name__)


@bp.route("/cart", methods=["GET"])
def cart():
    return "cart"


@bp.post("/cart/<int:item>")
def add(item):
    return "ok"
""",
}

# A Django project: an app's urls included, a REST framework router, an admin site.
DJANGO_APP = {
    "site_cfg/__init__.py": "",
    "site_cfg/settings.py": 'ROOT_URLCONF = "site_cfg.urls"\n',
    "site_cfg/urls.py": """\
from django.contrib import admin
from django.urls import include, path

from accounts import views

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("accounts.urls")),
    path("api/dcim/", include("dcim.api_urls")),
    path("api/status/", views.status),
]
""",
    "accounts/__init__.py": "",
    "accounts/views.py": "def status(request):\n    pass\n\n\ndef profile(request):\n    pass\n",
    "accounts/urls.py": """\
from django.urls import path, re_path

from accounts import views

urlpatterns = [
    path("profile/", views.profile),
    path("keys/<uuid:code>/", views.profile),
    re_path(r"^legacy/(?P<pk>[0-9]+)/$", views.profile),
]
""",
    "dcim/__init__.py": "",
    "dcim/api_urls.py": """\
from rest_framework.routers import DefaultRouter

from accounts import views

router = DefaultRouter()
router.register("sites", views.profile)
router.register("devices", views.profile)
urlpatterns = router.urls
""",
}

# A library in a src/ layout whose API the docs show.
LIBRARY_SRC = {
    "pyproject.toml": '[project]\nname = "mypkg"\nversion = "1.0"\n',
    "src/mypkg/__init__.py": "from mypkg.client import Client, fetch\n\n__all__ = ['Client', 'fetch']\n",
    "src/mypkg/client.py": """\
class Client:
    def __init__(self, base_url: str, *, timeout: float = 10.0) -> None:
        self.base_url = base_url
        self.timeout = timeout

    def get(self, path: str, *, retries: int = 0) -> str:
        return path


def fetch(url: str, *, timeout: float = 10.0) -> str:
    return url
""",
    "src/mypkg/dynamic.py": "def __getattr__(name):\n    return name\n",
}
