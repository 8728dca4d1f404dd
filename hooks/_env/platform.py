"""Variables the platform sets, so no deployment file of the project has to declare them.

The README's check-env-vars section points here: this module IS the documented allowlist.
Users add their own names and prefixes with `allow = [...]`.
"""
from __future__ import annotations

import fnmatch

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (~3 ms)
if TYPE_CHECKING:
    from typing import Iterable

# Exact names set by the operating system, the shell, the language runtime or the
# usual hosting platforms (PORT: Heroku, Cloud Run, Render, Fly; NODE_ENV: every bundler).
PLATFORM_NAMES: frozenset[str] = frozenset(
    {
        # POSIX / shells / terminals
        "HOME", "PATH", "USER", "LOGNAME", "SHELL", "PWD", "OLDPWD", "HOSTNAME", "TERM",
        "LANG", "LANGUAGE", "TZ", "TMPDIR", "TEMP", "TMP", "EDITOR", "VISUAL", "PAGER",
        "DISPLAY", "COLUMNS", "LINES", "NO_COLOR", "FORCE_COLOR", "CLICOLOR", "COLORTERM",
        "SSH_AUTH_SOCK", "MAIL", "SHLVL",
        # Windows
        "USERNAME", "USERPROFILE", "APPDATA", "LOCALAPPDATA", "PROGRAMDATA", "SYSTEMROOT",
        "WINDIR", "COMSPEC", "PATHEXT", "HOMEDRIVE", "HOMEPATH", "COMPUTERNAME",
        "PROGRAMFILES", "OS", "PROCESSOR_ARCHITECTURE", "NUMBER_OF_PROCESSORS",
        # proxies and TLS trust (read by every HTTP client, set by the machine)
        "HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "ALL_PROXY", "http_proxy", "https_proxy",
        "no_proxy", "all_proxy", "SSL_CERT_FILE", "SSL_CERT_DIR", "REQUESTS_CA_BUNDLE",
        "CURL_CA_BUNDLE",
        # language runtimes and tooling
        "VIRTUAL_ENV", "CONDA_PREFIX", "CONDA_DEFAULT_ENV", "NODE_ENV", "NODE_OPTIONS",
        "NODE_PATH", "JAVA_HOME", "GOPATH", "GOROOT", "DEBIAN_FRONTEND",
        # CI systems
        "CI", "BUILD_NUMBER", "JENKINS_URL", "TF_BUILD", "CIRCLECI", "TRAVIS", "APPVEYOR",
        "BUILDKITE", "GITLAB_CI", "TEAMCITY_VERSION", "CODEBUILD_BUILD_ID",
        # hosting platforms
        "PORT", "DYNO", "K_SERVICE", "K_REVISION", "K_CONFIGURATION", "KUBERNETES_SERVICE_HOST",
        "KUBERNETES_SERVICE_PORT", "AWS_REGION", "AWS_DEFAULT_REGION", "AWS_EXECUTION_ENV",
        "FLY_APP_NAME", "FLY_REGION", "RENDER", "RAILWAY_ENVIRONMENT", "VERCEL", "NETLIFY",
        "GOOGLE_CLOUD_PROJECT", "GAE_ENV", "GAE_SERVICE", "GAE_VERSION", "FUNCTION_TARGET",
        "WEBSITE_SITE_NAME", "WEBSITE_HOSTNAME", "READTHEDOCS",
        # distributed-training launchers (torchrun, torch.distributed, MPI, deepspeed)
        "RANK", "LOCAL_RANK", "WORLD_SIZE", "LOCAL_WORLD_SIZE", "GROUP_RANK", "ROLE_RANK",
        "MASTER_ADDR", "MASTER_PORT", "CUDA_VISIBLE_DEVICES",
    }
)

# Prefixes: every variable starting with one of these belongs to the platform.
PLATFORM_PREFIXES: tuple[str, ...] = (
    "LC_",  # locale categories
    "XDG_",  # freedesktop base directories
    "PYTHON",  # PYTHONPATH, PYTHONUNBUFFERED, PYTHONHASHSEED, ...
    "PYTEST_",  # set by pytest while it runs
    "PRE_COMMIT",  # set by pre-commit while it runs
    "PIP_",  # pip's own configuration
    "GIT_",  # git's own configuration and hook environment
    "GITHUB_",  # GitHub Actions
    "RUNNER_",  # GitHub Actions runners
    "CI_",  # GitLab CI predefined variables
    "BITBUCKET_",  # Bitbucket Pipelines
    "CIRCLE_",  # CircleCI
    "TRAVIS_",  # Travis CI
    "BUILDKITE_",  # Buildkite
    "AWS_LAMBDA_",  # AWS Lambda runtime
    "LAMBDA_",  # AWS Lambda runtime (LAMBDA_TASK_ROOT, ...)
    "ECS_CONTAINER_METADATA",  # AWS ECS task metadata endpoints
    "VERCEL_",  # Vercel system variables
    "NETLIFY_",  # Netlify build variables
    "RENDER_",  # Render
    "RAILWAY_",  # Railway
    "FLY_",  # Fly.io
    "HEROKU_",  # Heroku dyno metadata
    "KUBERNETES_",  # Kubernetes service links
    "npm_",  # set by npm/yarn/pnpm for package scripts
    "READTHEDOCS_",  # Read the Docs builds
    "TORCHELASTIC_",  # torchrun
    "OMPI_COMM_WORLD_",  # Open MPI's mpirun
    "PMI_",  # MPI process managers (MPICH, Intel MPI: PMI_RANK, PMI_SIZE)
    "SLURM_",  # Slurm jobs
    "ACCELERATE_",  # set by `accelerate launch` from its config
    "FSDP_",  # set by `accelerate launch` for FSDP runs
)

# Set by Vite for every `import.meta.env` (not by the deployment).
VITE_BUILTINS: frozenset[str] = frozenset({"MODE", "BASE_URL", "PROD", "DEV", "SSR"})


def is_platform(name: str) -> bool:
    return name in PLATFORM_NAMES or name.startswith(PLATFORM_PREFIXES)


def matches_any(name: str, patterns: Iterable[str], case_insensitive: bool = False) -> bool:
    """`patterns` are exact names or globs (`AWS_*`)."""
    for pattern in patterns:
        if case_insensitive:
            if fnmatch.fnmatchcase(name.lower(), pattern.lower()):
                return True
        elif fnmatch.fnmatchcase(name, pattern):
            return True
    return False
