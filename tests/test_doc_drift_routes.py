"""check-doc-drift DG953: `GET /path` references in docs against the routes of a real FastAPI
app, a Flask app with a blueprint and a Django project (git repos in tmp dirs)."""
from __future__ import annotations

from pathlib import Path

import pytest

from _doc_drift_support import DJANGO_APP, FASTAPI_APP, FLASK_APP, make_repo, run_hook
from conftest import working_directory

APPS = {"fastapi": FASTAPI_APP, "flask": FLASK_APP, "django": DJANGO_APP}

MUST_FLAG = [
    ("fastapi", "Call `GET /api/v1/itemz/` to list them.\n",
     "README.md:1:7: DG953 `GET /api/v1/itemz/`: no route of the app matches this path; nearest: "
     "`/api/v1/items` (app/routes/items.py:6); fix the doc or the route"),
    ("fastapi", "```http\nDELETE /api/v1/users/me HTTP/1.1\n```\n",
     "README.md:2:1: DG953 `DELETE /api/v1/users/me`: the route `/api/v1/users/me` "
     "(app/routes/users.py:6) takes GET, not DELETE; fix the doc or the route"),
    ("fastapi", "| list | `GET /api/v1/items/{item_id}/history` |\n",
     "README.md:1:11: DG953 `GET /api/v1/items/{item_id}/history`: no route of the app matches this path; "
     "nearest: `/api/v1/items/{...}` (app/routes/items.py:11); fix the doc or the route"),
    ("flask", "`POST /shop/cart` adds nothing; `PUT /shop/cart/3` neither.\n",
     "README.md:1:2: DG953 `POST /shop/cart`: the route `/shop/cart` (shop/cart.py:6) takes GET, not POST; "
     "fix the doc or the route"),
    ("django", "```\nGET /api/dcim/sitez/?q=1\n```\n",
     "README.md:2:1: DG953 `GET /api/dcim/sitez/`: no route of the app matches this path; nearest: "
     "`/api/dcim/sites` (dcim/api_urls.py:6); fix the doc or the route"),
    ("django", "Open `GET SITE_ROOT/accounts/profil/`.\n",
     "README.md:1:7: DG953 `GET /accounts/profil/`: no route of the app matches this path; nearest: "
     "`/accounts/profile` (accounts/urls.py:6); fix the doc or the route"),
]

MUST_NOT_FLAG = [
    ("fastapi", "`GET /api/v1/items/`, `GET /api/v1/items/42?full=1`, `PUT /api/v1/items/<id>`, "
                "`GET /api/v1/items/{item_id}`, `POST /api/v1/users/ID/avatar`, `GET /health`\n"),
    ("fastapi", "Upstream: `POST /v1/chat/completions` and `GET https://api.example.org/api/x`.\n"),
    ("fastapi", "`GET /api/v1/itemz/` <!-- driftgate: ignore[DG953] -->\n"),
    ("flask", "`GET /shop/cart`, `POST /shop/cart/7`, `HEAD /status`\n"),
    ("django", "`GET /api/dcim/sites/`, `GET /api/dcim/sites/12/trace/`, `GET /admin/auth/user/`, "
               "`DELETE /accounts/keys/<uuid>/`, `GET /api/dcim/`, `GET /accounts/legacy/3/`\n"),
    ("django", "```python\nrequests.get('/accounts/nowhere/')\n```\n"),
]


@pytest.mark.parametrize("app, doc, expected", MUST_FLAG)
def test_must_flag(tmp_path: Path, app: str, doc: str, expected: str) -> None:
    root = make_repo(tmp_path / "proj", APPS[app], docs={"README.md": doc})
    with working_directory(root):
        code, out, err = run_hook("--all", "README.md")
    assert code == 1, err
    assert out[0] == expected


@pytest.mark.parametrize("app, doc", MUST_NOT_FLAG)
def test_must_not_flag(tmp_path: Path, app: str, doc: str) -> None:
    root = make_repo(tmp_path / "proj", APPS[app], docs={"README.md": doc})
    with working_directory(root):
        code, out, err = run_hook("--all", "README.md")
    assert (code, out) == (0, []), err


def test_a_repo_without_routes_judges_no_path(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "proj", {"lib/__init__.py": ""}, docs={"README.md": "`GET /api/anything`\n"})
    with working_directory(root):
        assert run_hook("--all", "README.md")[:2] == (0, [])
