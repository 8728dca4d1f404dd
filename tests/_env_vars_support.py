"""A realistic multi-service repository for check-env-vars tests: a Python API
(pydantic-settings, os.environ, a helper), a Django admin (django-environ), a worker
(python-decouple), a TypeScript web app, docker-compose, Dockerfiles, Kubernetes manifests,
a Helm chart, GitHub Actions, GitLab CI and `.env.example`, committed in a real git repo."""
from __future__ import annotations

import os
import subprocess
from pathlib import Path

from conftest import write_files as write  # noqa: F401  (re-exported for the env-vars tests)

FILES: dict[str, str] = {
    ".gitignore": "node_modules/\njunk/\n",
    ".env.example": (
        "# copy to .env\n"
        "SECRET_KEY=\n"
        "export SENTRY_DSN=https://example.invalid/1\n"
        "# COMMENTED_OUT=1\n"
        "UNUSED_EXAMPLE_SETTING=1\n"
    ),
    "docker-compose.yml": """\
services:
  api:
    build: ./services/api
    environment:
      DATABASE_URL: postgres://db/app
      REDIS_URL: redis://cache:6379
  worker:
    build:
      context: ./services/worker
      args:
        WORKER_BUILD_ARG: "1"
    environment:
      - QUEUE_NAME=default
      - WORKER_CONCURRENCY
    env_file: services/worker/worker.env
  db:
    image: postgres:16
    environment:
      POSTGRES_PASSWORD: example
""",
    "services/worker/worker.env": "BROKER_URL=amqp://mq\n",
    "services/api/Dockerfile": """\
FROM python:3.12-slim
ARG APP_VERSION=dev
ENV PYTHONUNBUFFERED=1 \\
    LOG_LEVEL=info
ENV LEGACY_MODE on
COPY . /app
""",
    "services/web/Dockerfile": "FROM node:20\nARG VITE_APP_TITLE\nRUN npm ci\n",
    "deploy/k8s/api-deployment.yaml": """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  template:
    spec:
      containers:
        - name: api
          image: api:latest
          env:
            - name: FEATURE_FLAGS
              value: "a,b"
            - name: PAYMENTS_API_KEY
              valueFrom:
                secretKeyRef: {name: payments, key: api-key}
          envFrom:
            - configMapRef:
                name: api-config
---
apiVersion: v1
kind: Service
metadata:
  name: api
""",
    "deploy/k8s/configmap.yaml": """\
apiVersion: v1
kind: ConfigMap
metadata:
  name: api-config
data:
  CACHE_TTL: "60"
  SEARCH_URL: http://search:9200
""",
    "deploy/chart/Chart.yaml": "apiVersion: v2\nname: web\nversion: 0.1.0\n",
    "deploy/chart/values.yaml": """\
image:
  repository: web
env:
  ANALYTICS_KEY: abc
extraEnv:
  - name: TRACING_ENDPOINT
    value: http://otel:4317
""",
    "deploy/chart/templates/deployment.yaml": """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .Release.Name }}
spec:
  template:
    spec:
      containers:
        - name: web
          env:
            - name: CHART_RELEASE
              value: {{ .Release.Name | quote }}
""",
    ".github/workflows/ci.yml": """\
name: ci
on: [push]
env:
  TEST_DATABASE_URL: postgres://localhost/test
jobs:
  e2e:
    runs-on: ubuntu-latest
    env:
      E2E_BASE_URL: http://localhost:3000
    steps:
      - run: npm test
""",
    ".gitlab-ci.yml": "variables:\n  DEPLOY_REGION: eu-west-1\ndeploy:\n  script: [make deploy]\n",
    "services/api/app/__init__.py": "",
    "services/api/app/envutil.py": """\
import os


def get_from_env(name):
    return os.environ[name]
""",
    "services/api/app/settings.py": """\
from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env")

    database_url: str
    redis_url: str = "redis://localhost"
    stripe_key: str = Field(validation_alias="STRIPE_API_KEY")
    search_url: str = Field("http://localhost:9200", validation_alias=AliasChoices("SEARCH_URL", "ELASTIC_URL"))
    _cache: dict = {}


class ApiSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="API_")

    timeout: int = 30
""",
    "services/api/app/main.py": """\
import os
from os import environ, getenv as ge

from .envutil import get_from_env

DEBUG = os.environ.get("DEBUG_TOOLBAR", "0") == "1"
SECRET = os.environ["SECRET_KEY"]
SENTRY = ge("SENTRY_DSN")
FLAGS = "FEATURE_FLAGS" in environ
HOME = os.environ["HOME"]
PAYMENTS = get_from_env("PAYMENTS_API_KEY")
MAILER = get_from_env("MAILER_PASSWORD")
LEVEL = os.environ.get("LOG_LEVEL")
os.environ["WRITTEN_ONLY"] = "1"
os.environ.setdefault("ALSO_WRITTEN", "x")
SKIPPED = os.environ["UNDECLARED_ON_PURPOSE"]  # driftgate: ignore[DG402]


def plugin_setting(plugin):
    return os.environ[f"PLUGIN_{plugin}"], os.environ.get(plugin.upper())
""",
    "services/api/app/jobs.py": """\
from . import envutil

TOKEN = envutil.get_from_env("JOB_TOKEN")
TTL = envutil.get_from_env("CACHE_TTL")
""",
    "services/admin/settings.py": """\
import environ

env = environ.Env(DEBUG=(bool, False))
DEBUG = env("DEBUG")
SECRET_KEY = env("SECRET_KEY")
DATABASES = {"default": env.db()}
CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://")}
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
ANALYTICS = env.str("ANALYTICS_KEY")
""",
    "services/worker/worker.py": """\
from decouple import config

BROKER = config("BROKER_URL")
QUEUE = config("QUEUE_NAME", default="default")
CONCURRENCY = config("WORKER_CONCURRENCY", cast=int)
RETRIES = config("MAX_RETRIES", default=3, cast=int)
""",
    "services/web/src/config.ts": """\
// process.env.COMMENTED_OUT is not a read
/* nor is process.env.IN_BLOCK_COMMENT */
const api = process.env.API_BASE_URL ?? "http://localhost";
const tracing = process.env["TRACING_ENDPOINT"];
const s = "process.env.IN_A_STRING";
const t = `base: ${process.env.E2E_BASE_URL}`;
const u = `process.env.IN_TEMPLATE_TEXT`;
const re = /process.env.IN_REGEX/;
process.env.WRITTEN_BY_JS = "1";
const { NODE_ENV, STRIPE_PUBLIC_KEY = "pk_test" } = process.env;

function getEnv(name: string): string {
  return process.env[name]!;
}

export const region = getEnv("DEPLOY_REGION");
export const bucket = getEnv("UPLOAD_BUCKET");
export const release = process.env.CHART_RELEASE;
""",
    "services/web/src/client.tsx": """\
export const title = import.meta.env.VITE_APP_TITLE;
export const mode = import.meta.env.MODE;
export const api = import.meta.env.VITE_API_URL;
""",
}

# Files that exist in the work tree but git does not track: never read.
UNTRACKED: dict[str, str] = {
    "junk/.env.example": "API_BASE_URL=\nUPLOAD_BUCKET=\n",
    "node_modules/leftpad/index.js": "module.exports = process.env.LEFTPAD_SECRET;\n",
}

# What check-env-vars reports over every tracked code file of the fixture.
EXPECTED = [
    "services/admin/settings.py:4:9: DG401 DEBUG is read (django-environ env(), has a default) but declared nowhere",
    "services/admin/settings.py:7:22: DG401 CACHE_URL is read (django-environ env.cache_url(), has a default) but declared nowhere",
    "services/admin/settings.py:8:17: DG402 ALLOWED_HOSTS is required (django-environ env.list(): no default, the program fails at start without it) but declared nowhere",
    "services/api/app/jobs.py:3:9: DG402 JOB_TOKEN is required (get_from_env() via os.environ[...]: no default, the program fails at start without it) but declared nowhere",
    "services/api/app/main.py:6:9: DG401 DEBUG_TOOLBAR is read (os.environ.get(), has a default) but declared nowhere",
    "services/api/app/main.py:12:10: DG402 MAILER_PASSWORD is required (get_from_env() via os.environ[...]: no default, the program fails at start without it) but declared nowhere",
    "services/api/app/settings.py:10:5: DG402 STRIPE_API_KEY is required (pydantic-settings field Settings.stripe_key: no default, the program fails at start without it) but declared nowhere",
    "services/api/app/settings.py:18:5: DG401 API_TIMEOUT is read (pydantic-settings field ApiSettings.timeout, has a default) but declared nowhere",
    "services/web/src/client.tsx:3:20: DG401 VITE_API_URL is read (import.meta.env, no default: undefined when unset) but declared nowhere",
    "services/web/src/config.ts:3:13: DG401 API_BASE_URL is read (process.env, with a default) but declared nowhere",
    "services/web/src/config.ts:10:19: DG401 STRIPE_PUBLIC_KEY is read (process.env destructuring, with a default) but declared nowhere",
    "services/web/src/config.ts:17:23: DG401 UPLOAD_BUCKET is read (getEnv() via process.env, no default: undefined when unset) but declared nowhere",
    "services/worker/worker.py:6:11: DG401 MAX_RETRIES is read (decouple config(), has a default) but declared nowhere",
]


def git(cwd: Path, *args: str) -> str:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.invalid",
        "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.invalid",
    }
    return subprocess.run(
        ["git", *args], cwd=cwd, check=True, capture_output=True, text=True, env=env
    ).stdout


def make_repo(root: Path, files: dict[str, str | bytes], untracked: dict[str, str] | None = None) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    git(root, "init", "-q", "-b", "main")
    write(root, files)
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "fixture")
    write(root, dict(untracked or {}))
    return root


def build_fixture(root: Path) -> Path:
    return make_repo(root, dict(FILES), UNTRACKED)


def code_files(files: dict[str, str | bytes] = FILES) -> list[str]:  # type: ignore[assignment]
    suffixes = (".py", ".js", ".ts", ".tsx")
    return sorted(p for p in files if p.endswith(suffixes))
