"""Regenerate linter/cost/data/pypi-packages.tsv.xz, the PyPI table behind the pip model.

A developer runs this by hand (it needs PyPI); CI and dlint never do. dlint only reads the file.

    /tmp/venv/bin/python benchmarks/pypi_table.py     # about half an hour; wheels are range-read, sdists downloaded

Which packages: the 300 most downloaded projects on PyPI (October 2026 download ranking), a list
of packages often installed in Dockerfiles that the ranking misses (web servers, ML, database
drivers, tools), and every dependency of all of them, followed until nothing new appears
(capped at MAX_PACKAGES): main dependencies always, the common extras listed in EXTRAS, and the
extras that a dependency asks of another (``cuda-toolkit[cublas]``).

For each project, PyPI's JSON API (https://pypi.org/pypi/NAME/json) gives the latest release and
its files. The file pip would pick for CPython 3.12 on manylinux x86_64 is chosen with the tag
order of `packaging.tags` (the table's reference platform, written in the header). For a wheel,
only its zip central directory and its METADATA member are read, with HTTP range requests, so
even the multi-GB wheels cost a few hundred KB: the unpacked size is the sum of the members'
sizes, the ``.py`` bytes are those of the ``*.py`` members (what pip byte-compiles), and the
dependencies come from METADATA's Requires-Dist. A project with no compatible wheel is recorded
from its sdist (kind ``sdist``): the archive is streamed once to sum its members' sizes (what a
build from source starts from), and the dependencies come from the JSON API.

Rows (tab-separated): ``name version kind file_bytes unpacked_bytes py_bytes deps``.

- name: normalized (PEP 503: lower case, runs of ``-_.`` as ``-``).
- kind: the wheel's ``python-abi-platform`` tag, or ``sdist``.
- deps: comma-separated tokens ``[EXTRA:]NAME[+EXTRA…][@LO-HI]``. ``EXTRA:`` means only when
  this project is installed with that extra; ``+EXTRA`` the extras asked of the dependency;
  ``@LO-HI`` the Python minor versions (3.LO to 3.HI, of 3.9 to 3.14) whose markers select it on
  Linux; without it the dependency applies to all of them. Dependencies for other platforms are
  dropped.

The file starts with ``#dlint-pypi-table 1`` and key=value fields (date, source, python,
platform, packages), then the column line, and is compressed with xz.
"""
from __future__ import annotations

import argparse
import concurrent.futures
import datetime as _dt
import io
import json
import os
import re
import sys
import tarfile
import time
import urllib.error
import urllib.parse
import urllib.request
import zipfile

from packaging import tags
from packaging.markers import Marker
from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import parse_wheel_filename

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)  # the table format lives with the reader in linter/cost/tables.py
from linter.cost.tables import write_table  # noqa: E402

OUT = os.path.join(ROOT, "linter", "cost", "data", "pypi-packages.tsv.xz")
API = "https://pypi.org/pypi/{}/json"
PYTHON = (3, 12)
PYTHON_MINORS = range(9, 15)
PLATFORMS = [f"manylinux_2_{minor}_x86_64" for minor in range(40, 16, -1)] + [
    "manylinux2014_x86_64", "manylinux2010_x86_64", "manylinux1_x86_64", "linux_x86_64"]
MAX_PACKAGES = 2000
COLUMNS = ("name", "version", "kind", "file_bytes", "unpacked_bytes", "py_bytes", "deps")

# The 300 most downloaded projects, October 2026, in rank order.
TOP = """
boto3 packaging urllib3 certifi idna requests typing-extensions charset-normalizer setuptools
botocore cryptography aiobotocore python-dateutil six pyyaml pydantic pygments cffi click numpy
pluggy pycparser pydantic-core grpcio-status anyio s3transfer attrs protobuf h11 pytest
annotated-types iniconfig fsspec httpx httpcore typing-inspection pandas pip s3fs markupsafe
platformdirs python-dotenv pathspec pyjwt jinja2 rich jmespath markdown-it-py aiohttp filelock
importlib-metadata yarl starlette multidict jsonschema zipp uvicorn propcache wheel mdurl
pyasn1 pytz google-auth googleapis-common-protos frozenlist litellm fastapi rpds-py tqdm
annotated-doc aiosignal referencing jsonschema-specifications trove-classifiers tzdata
google-api-core aiohappyeyeballs pillow virtualenv greenlet colorama pyasn1-modules typer
grpcio opentelemetry-sdk tenacity wrapt requests-oauthlib opentelemetry-api pyarrow awscli
websockets opentelemetry-semantic-conventions python-multipart scipy sniffio pydantic-settings
sqlalchemy pyparsing shellingham tomli lxml beautifulsoup4 oauthlib soupsieve psutil regex
cachetools textual sglang openai exceptiongroup hatchling opentelemetry-proto more-itertools
requests-toolbelt watchfiles rsa tomlkit proto-plus distro distlib jiter mcp websocket-client
mypy-extensions opentelemetry-exporter-otlp-proto-http langchain openpyxl et-xmlfile
sse-starlette wcwidth editables coverage docutils huggingface-hub grpcio-tools pydantic-ai-slim
dnspython werkzeug networkx google-cloud-storage redis gitpython google-genai msgpack
psycopg2-binary pyopenssl ptyprocess decorator python-discovery
opentelemetry-exporter-otlp-proto-grpc opentelemetry-exporter-otlp-proto-common smmap pexpect
opentelemetry-instrumentation ruff docker pynacl sortedcontainers keyring docstring-parser
uvloop httptools fonttools multiprocess tabulate gitdb matplotlib isodate async-timeout
httpx-sse prompt-toolkit jaraco-classes azure-core secretstorage jeepney azure-identity
scikit-learn itsdangerous flask google-cloud-core hf-xet bcrypt jaraco-functools kiwisolver
jaraco-context dill joblib pytest-cov pytest-asyncio contourpy alembic orjson email-validator
deprecated msal google-resumable-media google-crc32c chardet ruamel-yaml defusedxml
threadpoolctl tokenizers blinker snowflake-connector-python kubernetes tiktoken
pytest-json-ctrf mako cycler tzlocal toml mypy google-api-python-client sympy jsonpointer
poetry-core nodeenv databricks-sql-connector pydantic-graph xxhash pyproject-hooks uv zstandard
ipython google-cloud-aiplatform uritemplate opentelemetry-exporter-otlp prometheus-client
google-auth-oauthlib asn1crypto google-auth-httplib2 rapidfuzz google-cloud-bigquery build
traitlets opentelemetry-instrumentation-requests opentelemetry-util-http
google-cloud-secret-manager paramiko httplib2 types-requests ydb identify transformers
pre-commit cfgv jedi aiofiles google-cloud-batch parso backoff executing weaviate-client h2
marshmallow hyperframe fastjsonschema hpack matplotlib-inline sqlparse mpmath durationpy
msal-extensions jsonpatch asttokens setuptools-scm azure-storage-blob google-analytics-admin
gunicorn anthropic babel cloudpickle authlib grpc-google-iam-v1 pure-eval stack-data black
datasets sentry-sdk google-cloud-compute google-cloud-kms pytest-xdist langchain-core asgiref
tornado gcsfs xmltodict webencodings cython nest-asyncio execnet databricks-sdk dbt-core librt
termcolor python-json-logger pyee pandas-stubs
""".split()

# Extras often asked for in Dockerfiles and requirements files (``uvicorn[standard]``).
EXTRAS = {
    "uvicorn": ("standard",), "fastapi": ("standard", "all"), "requests": ("socks",), "celery": ("redis",),
    "django": ("argon2", "bcrypt"), "httpx": ("http2", "socks"), "pydantic": ("email",),
    "sqlalchemy": ("asyncio",), "python-jose": ("cryptography",), "passlib": ("bcrypt",),
    "psycopg": ("binary", "pool"), "gunicorn": ("gevent",), "apache-beam": ("gcp",), "boto3": ("crt",),
    "transformers": ("torch",), "dask": ("dataframe", "distributed"), "ray": ("default",),
}

# Often installed in Dockerfiles, below the top 300 of the ranking.
DOCKERFILE_FAVOURITES = """
django djangorestframework django-cors-headers django-environ whitenoise channels daphne celery
flower kombu psycopg psycopg-binary psycopg2 mysqlclient pymysql asyncpg aiomysql pymongo motor
elasticsearch pika kafka-python confluent-kafka uwsgi hypercorn supervisor flask-sqlalchemy
flask-cors flask-login flask-wtf flask-migrate flask-restful gevent eventlet waitress
torch torchvision torchaudio tensorflow keras opencv-python opencv-python-headless xgboost
lightgbm catboost polars duckdb seaborn plotly dash streamlit gradio sentence-transformers
spacy nltk scikit-image imageio numba mlflow jupyter jupyterlab notebook ipykernel scrapy
selenium playwright ansible ansible-core poetry pipenv flake8 pylint isort pyinstaller pybind11
cmake ninja meson httpie pydantic-ai twisted structlog loguru python-jose passlib
""".split()

_NORMAL = re.compile(r"[-_.]+")


def normalize(name: str) -> str:
    return _NORMAL.sub("-", name).lower()


def fetch(request, timeout: int = 120) -> tuple[int, bytes]:
    """(status, body), trying three times over passing network faults."""
    for attempt in range(3):
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            if error.code == 404 or attempt == 2:
                raise
        except OSError:
            if attempt == 2:
                raise
        time.sleep(2 + 5 * attempt)
    raise AssertionError("unreachable")


def get_json(url: str) -> dict | None:
    try:
        return json.loads(fetch(url)[1])
    except urllib.error.HTTPError as error:
        if error.code == 404:
            return None
        raise


class RangeFile(io.RawIOBase):
    """A read-only, seekable view of a remote file that fetches 256 KiB blocks on demand."""

    BLOCK = 256 * 1024

    def __init__(self, url: str, size: int) -> None:
        self.url, self.size, self.position, self.blocks = url, size, 0, {}

    def seekable(self) -> bool:
        return True

    def readable(self) -> bool:
        return True

    def tell(self) -> int:
        return self.position

    def seek(self, offset: int, whence: int = 0) -> int:
        self.position = {0: 0, 1: self.position, 2: self.size}[whence] + offset
        return self.position

    def _block(self, index: int) -> bytes:
        if index not in self.blocks:
            start = index * self.BLOCK
            end = min(start + self.BLOCK, self.size) - 1
            request = urllib.request.Request(self.url, headers={"Range": f"bytes={start}-{end}"})
            status, data = fetch(request)
            if status != 206:  # the server ignored the range: keep what we asked for
                data = data[start:end + 1]
            self.blocks[index] = data
        return self.blocks[index]

    def read(self, count: int = -1) -> bytes:
        end = self.size if count is None or count < 0 else min(self.size, self.position + count)
        chunks = []
        while self.position < end:
            index, offset = divmod(self.position, self.BLOCK)
            chunk = self._block(index)[offset:offset + end - self.position]
            chunks.append(chunk)
            self.position += len(chunk)
        return b"".join(chunks)

    def readinto(self, buffer) -> int:
        data = self.read(len(buffer))
        buffer[:len(data)] = data
        return len(data)


def _tag_rank() -> dict:
    platform_tags = list(tags.cpython_tags(PYTHON, platforms=PLATFORMS))
    platform_tags += list(tags.compatible_tags(PYTHON, "cp312", PLATFORMS))
    return {tag: rank for rank, tag in enumerate(platform_tags)}


TAG_RANK = _tag_rank()


def best_wheel(files: list) -> dict | None:
    """The wheel pip would choose on the reference platform, or None."""
    best, best_rank = None, None
    for entry in files:
        if entry["packagetype"] != "bdist_wheel" or entry.get("yanked"):
            continue
        try:
            wheel_tags = parse_wheel_filename(entry["filename"])[3]
        except Exception:
            continue
        ranks = [TAG_RANK[tag] for tag in wheel_tags if tag in TAG_RANK]
        if ranks and (best_rank is None or min(ranks) < best_rank):
            best, best_rank = entry, min(ranks)
    return best


def wheel_facts(entry: dict) -> tuple[int, int, list]:
    """(unpacked bytes, .py bytes, Requires-Dist lines) read from the wheel's zip directory."""
    with zipfile.ZipFile(RangeFile(entry["absolute_url"], entry["size"])) as wheel:
        members = wheel.infolist()
        unpacked = sum(member.file_size for member in members)
        py_bytes = sum(member.file_size for member in members if member.filename.endswith(".py"))
        metadata = next((m for m in members if re.fullmatch(r"[^/]+\.dist-info/METADATA", m.filename)), None)
        text = wheel.read(metadata).decode("utf-8", "replace") if metadata else ""
    head = text.split("\n\n", 1)[0]
    requires = [line.split(":", 1)[1].strip() for line in head.splitlines() if line.startswith("Requires-Dist:")]
    return unpacked, py_bytes, requires


def sdist_facts(entry: dict) -> tuple[int, int]:
    """(unpacked bytes, .py bytes) of a source archive, streamed."""
    if entry["filename"].endswith(".zip"):
        with zipfile.ZipFile(RangeFile(entry["absolute_url"], entry["size"])) as archive:
            members = [(m.filename, m.file_size) for m in archive.infolist()]
    else:
        with urllib.request.urlopen(entry["absolute_url"], timeout=600) as response, \
                tarfile.open(fileobj=response, mode="r|*") as archive:
            members = [(m.name, m.size) for m in archive if m.isfile()]
    return sum(size for _, size in members), sum(size for name, size in members if name.endswith(".py"))


def _environment(minor: int, extra: str) -> dict:
    return {"implementation_name": "cpython", "implementation_version": f"3.{minor}.0",
            "os_name": "posix", "platform_machine": "x86_64", "platform_release": "",
            "platform_system": "Linux", "platform_version": "", "python_full_version": f"3.{minor}.0",
            "platform_python_implementation": "CPython", "python_version": f"3.{minor}",
            "sys_platform": "linux", "extra": extra}


def dependency_tokens(requires: list, extras: list) -> list:
    """Requires-Dist lines reduced to the table's dependency tokens (see the module docstring);
    a dependency listed several times (one line per Python range) becomes one token."""
    minors_of = {}
    for line in requires:
        try:
            requirement = Requirement(line)
        except InvalidRequirement:
            continue
        marker = requirement.marker or Marker("python_version >= '2'")
        for extra in (extras if "extra" in str(marker) else [""]):
            minors = {m for m in PYTHON_MINORS if marker.evaluate(_environment(m, extra))}
            if minors:
                key = ((f"{normalize(extra)}:" if extra else "") + normalize(requirement.name)
                       + "".join(f"+{normalize(e)}" for e in sorted(requirement.extras)))
                minors_of.setdefault(key, set()).update(minors)
    tokens = []
    for key, minors in minors_of.items():
        if len(minors) < len(PYTHON_MINORS):
            key += f"@{min(minors)}-{max(minors)}"
        tokens.append(key)
    return tokens


def describe(name: str) -> tuple | None:
    """One table row for a project, or None when PyPI does not know it."""
    url = API.format(name)
    document = get_json(url)
    if document is None or not document.get("urls"):
        return None
    for entry in document["urls"]:  # a mirror may answer with relative links
        entry["absolute_url"] = urllib.parse.urljoin(url, entry["url"])
    info = document["info"]
    extras = info.get("provides_extra") or []
    wheel = best_wheel(document["urls"])
    if wheel is not None:
        unpacked, py_bytes, requires = wheel_facts(wheel)
        tag = "-".join(wheel["filename"][:-4].split("-")[-3:])
        if "manylinux" in tag:  # the long compound platform tags say nothing the table needs
            tag = tag.split("-")[0] + "-" + tag.split("-")[1] + "-manylinux_x86_64"
        kind, size = tag, wheel["size"]
    else:
        sdist = next((f for f in document["urls"] if f["packagetype"] == "sdist"), None)
        if sdist is None:
            return None
        unpacked, py_bytes = sdist_facts(sdist)
        requires = info.get("requires_dist") or []
        kind, size = "sdist", sdist["size"]
    return (normalize(info["name"]), info["version"], kind, size, unpacked, py_bytes,
            dependency_tokens(requires, extras))


def _split(token: str) -> tuple[str, str, list]:
    """``extra:name+e1+e2@lo-hi`` -> (extra, name, [e1, e2])."""
    extra, _, rest = token.rpartition(":")
    name, *extras = rest.split("@")[0].split("+")
    return extra, name, extras


def wanted(rows: dict) -> set:
    """Every name the rows depend on: main dependencies, the extras in EXTRAS, and the extras
    that some dependency token asks for."""
    extras_asked = {}
    for row in rows.values():
        for token in row[6]:
            _, name, extras = _split(token)
            extras_asked.setdefault(name, set()).update(extras)
    names = set()
    for name, row in rows.items():
        for token in row[6]:
            extra, dep, _ = _split(token)
            if not extra or extra in extras_asked.get(name, ()) or extra in EXTRAS.get(name, ()):
                names.add(dep)
    return names


def crawl(seeds: list, workers: int) -> dict:
    """Rows for the seeds and everything they depend on, until nothing new appears."""
    seeds = [normalize(s) for s in seeds]
    rows, tried, missing = {}, set(), []
    level = seeds
    with concurrent.futures.ThreadPoolExecutor(workers) as pool:
        while level:
            tried.update(level)
            for name, row in zip(level, pool.map(describe, level), strict=True):
                if row is None:
                    missing.append(name)
                else:
                    rows[name] = row
            level = sorted(wanted(rows) - tried)[:max(0, MAX_PACKAGES - len(rows))]
            print(f"{len(rows)} rows, {len(level)} new names", file=sys.stderr)
    if missing:
        print("not on PyPI:", " ".join(missing), file=sys.stderr)
    left_out = wanted(rows) - tried
    if left_out:
        print(f"MAX_PACKAGES reached: {len(left_out)} dependencies left out", file=sys.stderr)
    return rows


def write(rows: dict, path: str) -> None:
    date = _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d")
    header = ["#dlint-pypi-table 1", f"date={date}", "source=https://pypi.org/pypi/NAME/json",
              f"python={PYTHON[0]}.{PYTHON[1]}", "platform=manylinux_x86_64", f"packages={len(rows)}"]
    cells = [[name, row[1], row[2], *map(str, row[3:6]), ",".join(row[6])] for name, row in sorted(rows.items())]
    write_table(path, header, COLUMNS, cells)
    print(f"wrote {path}: {len(rows)} packages, {os.path.getsize(path)} bytes", file=sys.stderr)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default=OUT)
    parser.add_argument("--workers", type=int, default=8)
    args = parser.parse_args()
    seeds = list(dict.fromkeys(TOP + DOCKERFILE_FAVOURITES))
    write(crawl(seeds, args.workers), args.out)


if __name__ == "__main__":
    main()
