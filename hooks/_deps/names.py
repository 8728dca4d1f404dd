"""Bundled name knowledge shared by the dependency hooks: import names whose distribution
is called something else, widely used distribution names (the targets typosquatters and
hallucinations land next to), and near-miss detection between names."""
from __future__ import annotations


from hooks._deps.pkgindex import normalize

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (~3 ms)
if TYPE_CHECKING:
    from typing import Iterable

# import name (or dotted prefix) -> the distribution that provides it, where the two differ
# beyond PEP 503 normalization. Used when the running environment has no metadata for it.
IMPORT_TO_DIST: dict[str, str] = {
    "yaml": "PyYAML", "PIL": "Pillow", "cv2": "opencv-python", "sklearn": "scikit-learn",
    "skimage": "scikit-image", "bs4": "beautifulsoup4", "dateutil": "python-dateutil",
    "jwt": "PyJWT", "dotenv": "python-dotenv", "google.protobuf": "protobuf", "attr": "attrs",
    "magic": "python-magic", "serial": "pyserial", "usb": "pyusb", "Crypto": "pycryptodome",
    "Cryptodome": "pycryptodomex", "OpenSSL": "pyOpenSSL", "git": "GitPython",
    "github": "PyGithub", "docx": "python-docx", "pptx": "python-pptx",
    "slugify": "python-slugify", "multipart": "python-multipart", "jose": "python-jose",
    "socks": "PySocks", "dns": "dnspython", "zmq": "pyzmq", "MySQLdb": "mysqlclient",
    "fitz": "PyMuPDF", "telegram": "python-telegram-bot", "discord": "discord.py",
    "win32api": "pywin32", "win32con": "pywin32", "pythoncom": "pywin32",
    "ldap": "python-ldap", "nacl": "PyNaCl", "kafka": "kafka-python",
    "googleapiclient": "google-api-python-client", "google.oauth2": "google-auth",
    "grpc": "grpcio", "mpl_toolkits": "matplotlib", "pkg_resources": "setuptools",
    "_pytest": "pytest", "xdist": "pytest-xdist", "Bio": "biopython", "faiss": "faiss-cpu",
    "OpenGL": "PyOpenGL", "wx": "wxPython", "gi": "PyGObject", "cairo": "pycairo",
    "Xlib": "python-xlib", "websocket": "websocket-client", "socketio": "python-socketio",
    "engineio": "python-engineio", "memcache": "python-memcached", "hamcrest": "PyHamcrest",
    "nmap": "python-nmap", "pydispatch": "PyDispatcher", "markdown_it": "markdown-it-py",
    "pdfminer": "pdfminer.six", "editor": "python-editor", "snappy": "python-snappy",
    "consul": "python-consul", "pyximport": "Cython", "shapefile": "pyshp", "osgeo": "GDAL",
    "cups": "pycups", "usb1": "libusb1", "Image": "Pillow",
}

# Import names several distributions provide (any of them declared is enough), and names
# that are a real distribution of the same project too (declaring them is not DG106).
ALTERNATIVES: dict[str, tuple[str, ...]] = {
    "cv2": ("opencv-python", "opencv-python-headless", "opencv-contrib-python",
            "opencv-contrib-python-headless"),
    "PIL": ("Pillow", "pillow-simd"), "faiss": ("faiss-cpu", "faiss-gpu"),
    "psycopg2": ("psycopg2", "psycopg2-binary"), "Crypto": ("pycryptodome", "pycrypto"),
    "magic": ("python-magic", "python-magic-bin"),
}

# Top-level names shared by many distributions: `google.cloud.storage` comes from
# google-cloud-storage, not from a distribution called `google`.
NAMESPACES = frozenset({
    "google", "azure", "zope", "jaraco", "backports", "sphinxcontrib", "opentelemetry", "ruamel",
    "oslo", "flufl", "collective", "plone", "llama_index",
})

# Widely used distributions (PEP 503 normalized). A declared name one edit away from one of
# these, and not itself in the list, is a likely typo or squat.
POPULAR: frozenset[str] = frozenset("""
boto3 botocore urllib3 requests setuptools certifi charset-normalizer idna typing-extensions
python-dateutil s3transfer packaging six aiobotocore numpy pyyaml grpcio-status fsspec s3fs pip
cryptography pydantic cffi attrs google-api-core pycparser pandas importlib-metadata jmespath
protobuf wheel zipp click rsa pyasn1 markupsafe platformdirs jinja2 pydantic-core pytz filelock
googleapis-common-protos pluggy tomli cachetools wrapt pyjwt virtualenv pytest jsonschema psutil
pyasn1-modules google-auth sqlalchemy pyarrow aiohttp tzdata annotated-types pyparsing yarl
multidict iniconfig greenlet requests-oauthlib oauthlib exceptiongroup soupsieve frozenlist
aiosignal beautifulsoup4 scipy docutils tomlkit isodate grpcio h11 werkzeug distlib pygments
pyopenssl decorator httpx httpcore anyio sniffio openpyxl lxml more-itertools pillow rich
coverage async-timeout deprecated tqdm websocket-client et-xmlfile azure-core proto-plus regex
google-cloud-storage chardet flask msgpack google-cloud-core psycopg2-binary sortedcontainers
requests-toolbelt pexpect ptyprocess asn1crypto fastapi starlette uvicorn gunicorn redis kombu
celery django matplotlib scikit-learn joblib threadpoolctl networkx sympy mpmath torch tensorflow
keras transformers tokenizers huggingface-hub safetensors datasets openai tiktoken langchain
langchain-core pytest-cov pytest-mock pytest-xdist pytest-asyncio mock tox nox black isort flake8
mypy ruff pylint pycodestyle pyflakes mccabe astroid pre-commit identify nodeenv cfgv
setuptools-scm hatchling flit-core poetry-core build twine pkginfo readme-renderer markdown mdurl
markdown-it-py ruamel-yaml toml colorama termcolor tabulate prettytable simplejson ujson orjson
python-dotenv python-multipart itsdangerous blinker alembic mako marshmallow sqlparse psycopg2
psycopg pymysql mysqlclient pymongo elasticsearch paramiko bcrypt pynacl docker kubernetes
google-cloud-bigquery azure-storage-blob azure-identity msal boto gcsfs smart-open xlrd
xlsxwriter python-docx reportlab pypdf pdfminer-six opencv-python scikit-image imageio seaborn
plotly dash bokeh statsmodels numba llvmlite xgboost lightgbm catboost shap nltk spacy gensim
pyspark dask distributed polars duckdb apache-airflow prometheus-client opentelemetry-api
opentelemetry-sdk sentry-sdk structlog loguru tenacity backoff retry diskcache httplib2
google-auth-oauthlib google-auth-httplib2 google-api-python-client gitpython pygithub jira
slack-sdk twilio stripe selenium playwright scrapy html5lib bleach cssselect parsel w3lib
twisted gevent eventlet tornado aiofiles websockets python-socketio channels djangorestframework
django-filter flower uvloop httptools watchfiles watchdog typer fire docopt argcomplete
jsonpointer jsonpatch pyrsistent referencing rpds-py fastjsonschema nbformat nbconvert jupyter
jupyterlab notebook ipython ipykernel traitlets pyzmq jedi parso prompt-toolkit wcwidth
asttokens executing pure-eval stack-data matplotlib-inline debugpy comm pydantic-settings
email-validator dnspython phonenumbers babel tzlocal pendulum arrow humanize faker factory-boy
hypothesis freezegun responses requests-mock vcrpy moto types-requests types-pyyaml
mypy-extensions typing-inspect cattrs python-jose passlib argon2-cffi authlib pycryptodome
truststore keyring secretstorage jeepney zope-interface pywin32 pyserial pyusb sh invoke fabric
ansible ansible-core xmltodict defusedxml pyproject-hooks tomli-w installer pyinstaller cython
pybind11 cmake ninja scikit-build meson pipenv poetry pdm uv hatch pytest-timeout
pytest-benchmark pytest-html pytest-django pytest-env pytest-randomly pytest-rerunfailures
deepdiff jsonpickle dill cloudpickle sentencepiece accelerate peft bitsandbytes einops timm
torchvision torchaudio onnx onnxruntime jax jaxlib flax optax tensorboard wandb mlflow optuna ray
gradio streamlit pyqt5 pyside6 pyqt6 wxpython pygame kivy nose sphinx alabaster imagesize
snowballstemmer requests-file tldextract filetype python-magic py pyee trio outcome h2 hpack
hyperframe brotli zstandard lz4 python-json-logger jsonpath-ng ply pycountry unidecode
python-slugify emoji ftfy inflection semver pydash toolz cytoolz funcy boltons attrdict
""".split())


def near_miss(name: str, others: Iterable[str]) -> str | None:
    """The first of `others` that `name` is plausibly a misspelling or squat of."""
    key = normalize(name)
    size = len(key)
    for other in others:
        other_key = normalize(other)
        # every near shape differs in length by at most 7 (`python-`): skip the rest cheaply
        if abs(len(other_key) - size) <= 7 and other_key != key and is_near(key, other_key):
            return other
    return None


def is_near(a: str, b: str) -> bool:
    """Normalized names one typo apart, equal but for separators, or one with a `py`/
    `python-` decoration of the other."""
    if a.replace("-", "") == b.replace("-", ""):
        return True
    for prefix in ("python-", "py-", "py"):
        if a == prefix + b or b == prefix + a:
            return len(min(a, b, key=len)) >= 4
    for suffix in ("-python", "-py", "py"):
        if a == b + suffix or b == a + suffix:
            return len(min(a, b, key=len)) >= 4
    return min(len(a), len(b)) >= 5 and abs(len(a) - len(b)) <= 1 and _one_edit(a, b)


def _one_edit(a: str, b: str) -> bool:
    """Damerau-Levenshtein distance exactly 1 (insert, delete, substitute, transpose)."""
    if len(a) == len(b):
        diffs = [i for i, (x, y) in enumerate(zip(a, b)) if x != y]
        if len(diffs) == 1:
            return True
        if len(diffs) != 2 or diffs[1] != diffs[0] + 1:
            return False
        first, second = diffs
        return a[first] == b[second] and a[second] == b[first]
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    for i in range(len(long_)):
        if long_[:i] + long_[i + 1:] == short:
            return True
    return False


def providers_for_import(module: str) -> tuple[str, ...]:
    """Every bundled distribution that provides a dotted import path."""
    primary = dist_for_import(module)
    extra = ALTERNATIVES.get(module.split(".", 1)[0], ())
    return tuple(dict.fromkeys(([primary] if primary else []) + list(extra)))


def index_candidates(module: str) -> list[str]:
    """Distribution names to look for on an index, most specific first: the dotted path
    joined by dashes under a namespace (`google-cloud-storage`), else the top-level name."""
    parts = module.split(".")
    if parts[0] in NAMESPACES and len(parts) > 1:
        return ["-".join(parts[:end]) for end in range(len(parts), 1, -1)]
    return [parts[0]]


def dist_for_import(module: str) -> str | None:
    """The bundled distribution name for a dotted import path (longest known prefix)."""
    parts = module.split(".")
    for end in range(len(parts), 0, -1):
        found = IMPORT_TO_DIST.get(".".join(parts[:end]))
        if found:
            return found
    return None
