"""Tables of what each deployment file format declares (parsed from a real directory)."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

from hooks.check_env_vars import declarations
from hooks._env.platform import PLATFORM_NAMES, PLATFORM_PREFIXES, is_platform

sys.path.insert(0, str(Path(__file__).parent))
from _env_vars_support import write


def declared(tmp_path: Path, files: dict[str, str], extra: tuple[str, ...] = ()) -> list[tuple[str, str, int, bool]]:
    write(tmp_path, files)
    found = declarations.collect(
        str(tmp_path), declarations.repository_files(str(tmp_path), in_git=False), extra, lambda p: False
    )
    assert found.errors == []
    # deployment declarations only; documentation (docs pages, commented examples) has its own tests
    return [(d.name, d.path, d.line, d.reportable) for d in found.sites if not d.documentation]


def names(tmp_path: Path, files: dict[str, str], extra: tuple[str, ...] = ()) -> list[str]:
    return [name for name, *_ in declared(tmp_path, files, extra)]


FORMATS = [
    ({".env.example": "A=1\nexport B=2\n# C=3\n  D = 'x'\nE\nlower_case=1\n9BAD=1\n"}, ["A", "B", "D", "E", "lower_case"]),
    ({"svc/.env.sample": "A=\n", ".env.template": "B=\n", ".env.dist": "C=\n",
      ".env.local.example": "D=\n", "prod.env.example": "E=\n", ".env": "NOT_READ=\n"}, ["D", "C", "B", "E", "A"]),
    ({"Dockerfile": "FROM x\nARG A\nARG B=1\nENV C=1 D=\"two words\"\nENV E legacy value\n"
                    "env F=1\nENV G=1 \\\n    H=2\n# ENV NOT=1\nRUN echo $A\n"},
     ["A", "B", "C", "D", "E", "F", "G", "H"]),
    # a comment or empty line inside a continued instruction is dropped, as Docker does
    ({"Dockerfile": "FROM x\nENV A=1 \\\n# note\n    B=2 \\\n\n  # another\n    C=3\nENV D=4\n"
                    "ARG E \\\n  # why\n  F\nRUN echo\n"},
     ["A", "B", "C", "D", "E", "F"]),
    ({"docker/Dockerfile.prod": "ENV A=1\n", "api.Dockerfile": "ENV B=1\n", "Containerfile": "ENV C=1\n"},
     ["B", "C", "A"]),
    ({"compose.yaml": "services:\n  a:\n    image: x\n    environment:\n      A: 1\n      B:\n"},
     ["A", "B"]),
    ({"docker-compose.override.yml": "services:\n  a:\n    build: .\n    environment:\n      - A=1\n      - B\n"},
     ["A", "B"]),
    ({"docker-compose.yml": "x-env: &env\n  SHARED: 1\nservices:\n  a:\n    build: .\n"
                           "    environment:\n      <<: *env\n      OWN: 2\n"}, ["SHARED", "OWN"]),
    ({"docker-compose.yml": "version: '2'\nweb:\n  build: .\n  environment:\n    V1_FORMAT: 1\n"}, ["V1_FORMAT"]),
    ({"docker-compose.yml": "services:\n  a:\n    build: .\n    env_file:\n      - path: ./a.env\n        required: false\n",
      "a.env": "FROM_ENV_FILE=1\n"}, ["FROM_ENV_FILE"]),
    ({"k8s/deploy.yaml": "apiVersion: batch/v1\nkind: CronJob\nspec:\n  jobTemplate:\n    spec:\n      template:\n"
                         "        spec:\n          initContainers:\n            - env:\n                - name: INIT_A\n"
                         "          containers:\n            - env:\n                - name: MAIN_B\n"
                         "              envFrom:\n                - prefix: P_\n                  configMapRef: {name: cm}\n"
                         "                - secretRef: {name: sec}\n",
      "k8s/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm}\ndata:\n  FROM_CM: x\n  app.properties: y\n"
                     "---\napiVersion: v1\nkind: Secret\nmetadata: {name: sec}\nstringData:\n  FROM_SECRET: x\n"
                     "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: unreferenced}\ndata:\n  NOT_ENV: x\n"},
     ["INIT_A", "MAIN_B", "P_FROM_CM", "FROM_SECRET"]),
    ({"k8s/kustomization.yaml": "configMapGenerator:\n  - name: gen\n    literals: [LIT_A=1]\n    envs: [gen.env]\n",
      "k8s/gen.env": "FROM_GEN_FILE=1\n",
      "k8s/deploy.yml": "apiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n"
                        "        - envFrom:\n            - configMapRef:\n                name: gen\n"},
     ["LIT_A", "FROM_GEN_FILE"]),
    ({"chart/Chart.yaml": "name: c\n", "chart/values.yaml": (
        "env:\n  A: 1\n  nested:\n    deep: 1\n  FROM_SECRET:\n    valueFrom: {secretKeyRef: {name: s, key: k}}\n"
        "extraEnvVars:\n  - name: B\n    value: x\nworker:\n  extraEnv:\n    - name: C\nimage:\n  tag: ENV_NOT\n")},
     ["A", "FROM_SECRET", "B", "C"]),
    ({"chart/values-prod.yaml": "env:\n  PROD_ONLY: 1\n"}, ["PROD_ONLY"]),
    ({"chart/Chart.yaml": "name: c\n", "chart/templates/job.yaml": (
        "{{- if .Values.job }}\nkind: Job\nspec:\n  containers:\n    - env:\n        - name: T_A\n"
        "          value: {{ .Values.a | quote }}\n        {{- range .Values.extra }}\n        - name: {{ .name }}\n"
        "        {{- end }}\n        - name: \"T_B\"\n      ports:\n        - name: http\n{{- end }}\n")},
     ["T_A", "T_B"]),
    ({".github/workflows/ci.yaml": "env:\n  TOP: 1\njobs:\n  t:\n    env:\n      JOB: 1\n    steps:\n"
                                   "      - env:\n          STEP: 1\n        run: x\n"}, ["TOP", "JOB", "STEP"]),
    ({"actions/setup/action.yml": "runs:\n  using: composite\n  steps:\n    - env:\n        ACTION_ENV: 1\n"}, ["ACTION_ENV"]),
    ({".gitlab-ci.yml": "variables:\n  TOP: 1\njob:\n  variables:\n    JOB:\n      value: x\n      description: d\n"},
     ["TOP", "JOB"]),
    # YAML that is not a deployment file is not read for env
    ({"mkdocs.yml": "env:\n  NOPE: 1\n", "config/app.yaml": "environment:\n  NOPE: 1\n"}, []),
]


@pytest.mark.parametrize(("files", "expected"), FORMATS)
def test_declaration_formats(tmp_path, files, expected):
    assert sorted(names(tmp_path, files)) == sorted(expected)


def test_positions_kinds_and_reportability(tmp_path):
    files = {
        "docker-compose.yml": "services:\n  app:\n    build:\n      context: .\n      args: [BUILD_ARG=1]\n"
                              "    environment: {APP_VAR: 1}\n  db:\n    image: postgres\n    environment: {POSTGRES_DB: x}\n",
        "Dockerfile": "ARG VERSION\nENV RUNTIME=1\n",
        ".github/workflows/ci.yml": "env: {CI_ONLY: 1}\n",
    }
    assert sorted(declared(tmp_path, files)) == sorted([
        ("CI_ONLY", ".github/workflows/ci.yml", 1, False),
        ("VERSION", "Dockerfile", 1, False),
        ("RUNTIME", "Dockerfile", 2, True),
        ("APP_VAR", "docker-compose.yml", 6, True),
        ("POSTGRES_DB", "docker-compose.yml", 9, False),
        ("BUILD_ARG", "docker-compose.yml", 5, False),
    ])


def test_declaration_files_option_infers_the_format(tmp_path):
    files = {
        "ops/heroku.json": '{"env": {"FROM_JSON": {"required": true}}, "formation": {}}',
        "ops/render.yaml": "services:\n  - type: web\n    environment:\n      FROM_YAML: x\n",
        "ops/prod.vars": "FROM_LINES=1\n",
        "ops/Dockerfile.extra": "ENV FROM_DOCKERFILE=1\n",
        "ignored.vars": "NOT_MATCHED=1\n",
    }
    assert sorted(names(tmp_path, files, ("ops/*",))) == ["FROM_DOCKERFILE", "FROM_JSON", "FROM_LINES", "FROM_YAML"]


def test_malformed_files_are_errors_naming_the_file(tmp_path):
    write(tmp_path, {
        "docker-compose.yml": "services: [\n",
        "k8s/bad.yaml": "apiVersion: v1\nkind: ConfigMap\n  bad indent: x\n",
        "ops/x.json": "{not json",
        "k8s/not-a-manifest.yaml": "this: is: not: yaml\n",  # no apiVersion/kind: never parsed
        ".env.example": "GOOD=1\n",
    })
    found = declarations.collect(str(tmp_path), declarations.repository_files(str(tmp_path), False),
                                 ("ops/*.json",), lambda p: False)
    assert [e.split(":")[0] for e in found.errors] == ["docker-compose.yml", "k8s/bad.yaml", "ops/x.json"]
    assert "invalid YAML at line 2" in found.errors[0]
    assert "invalid JSON" in found.errors[2]
    assert [d.name for d in found.sites] == ["GOOD"]


def test_platform_allowlist_is_a_documented_constant():
    for name in ("HOME", "PATH", "CI", "GITHUB_SHA", "RUNNER_OS", "LC_ALL", "PYTHONPATH", "NODE_ENV", "PORT"):
        assert is_platform(name), name
    for name in ("DATABASE_URL", "SECRET_KEY", "API_KEY", "HOMEPAGE_URL"):
        assert not is_platform(name), name
    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    assert "hooks/_env/platform.py" in readme
    assert all(prefix in readme for prefix in ("GITHUB_", "RUNNER_", "LC_", "XDG_"))
    assert "HOME" in PLATFORM_NAMES and "GITHUB_" in PLATFORM_PREFIXES


def test_dockerfile_names_are_located_on_their_own_line(tmp_path):
    files = {"Dockerfile": "FROM x\nENV PYTHONUNBUFFERED=1 \\\n    LOG_LEVEL=info \\\n    ENV_NAME=ENV\nARG ENV\n"}
    write(tmp_path, files)
    found = declarations.collect(str(tmp_path), ["Dockerfile"], (), lambda p: False)
    assert [(d.name, d.line, d.col, d.kind) for d in found.sites] == [
        ("PYTHONUNBUFFERED", 2, 5, "Dockerfile ENV"),
        ("LOG_LEVEL", 3, 5, "Dockerfile ENV"),
        ("ENV_NAME", 4, 5, "Dockerfile ENV"),
        ("ENV", 5, 5, "Dockerfile ARG"),
    ]


def test_yaml_alias_bomb_is_walked_once(tmp_path):
    lines = ["a0: &a0 {env: {BOMB: 1}}"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 12)]
    files = {".github/workflows/x.yml": "\n".join(lines) + "\n"}
    assert names(tmp_path, files) == ["BOMB"]
