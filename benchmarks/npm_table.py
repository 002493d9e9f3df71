"""Regenerate linter/cost/data/npm-packages.tsv.xz, the npm table behind the npm model.

A developer runs this by hand (it needs the npm registry); CI and dlint never do. dlint only
reads the file.

    /tmp/venv/bin/python benchmarks/npm_table.py      # about half an hour (tarballs are downloaded)

Which packages: the popular direct dependencies listed in SEEDS (frameworks, build tools, test
runners, database clients, common utilities) and everything they depend on, followed until
nothing new appears (capped at MAX_PACKAGES). A lock file is mostly made of exactly these
transitive dependencies.

For each package, the registry's document for its latest version
(https://registry.npmjs.org/NAME/latest) gives the dependencies, the platform fields and
``dist``. The unpacked size is ``dist.unpackedSize`` where the registry sends it; where it does
not (some mirrors strip it), the tarball is downloaded and its members' sizes are added up,
which is how npm computes that field. The tarball size is the downloaded length (or the
tarball's Content-Length when the unpacked size was given). A package whose os/cpu fields
exclude Linux on x64 and arm64 (another platform's prebuilt binary) keeps its row but is not
downloaded (sizes ``-``): it is never installed in a Linux image.

Rows (tab-separated): ``name version unpacked_bytes tarball_bytes platform deps``.

- platform: ``os/cpu/libc`` as listed by the package (comma-separated, ``!`` for exclusions, as
  in package.json), empty parts when unrestricted; empty when none are set.
- deps: comma-separated names; ``?name`` an optional dependency, ``^name`` a peer dependency
  that npm 7+ installs (optional peers are left out).

The first line is ``#dlint-npm-table 1`` and key=value fields: date, source, packages, and the
fallbacks for packages the table lacks, computed over its rows: ``mean_unpacked`` and
``mean_tarball``, means over the measured rows with the largest 2% left out (a lock's packages
outside this table are the long tail of small modules, not the next TypeScript).
Compressed with xz.
"""
from __future__ import annotations

import argparse
import concurrent.futures
import datetime as _dt
import io
import json
import os
import sys
import tarfile
import time
import urllib.error
import urllib.parse
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)  # the table format lives with the reader in linter/cost/tables.py
from linter.cost.tables import write_table  # noqa: E402

OUT = os.path.join(ROOT, "linter", "cost", "data", "npm-packages.tsv.xz")
REGISTRY = "https://registry.npmjs.org/"
MAX_PACKAGES = 2500
TRIM = 0.02
COLUMNS = ("name", "version", "unpacked_bytes", "tarball_bytes", "platform", "deps")

SEEDS = """
express koa fastify @hapi/hapi @nestjs/core @nestjs/common @nestjs/platform-express
@nestjs/config @nestjs/typeorm @nestjs/mongoose @nestjs/swagger @nestjs/cli rxjs reflect-metadata
class-validator class-transformer next react react-dom react-router-dom vue vue-router pinia vuex
nuxt svelte @sveltejs/kit astro @angular/core @angular/common @angular/router @angular/cli
@angular/compiler @angular/platform-browser @angular/forms jquery bootstrap three d3 chart.js
typescript ts-node tsx esbuild rollup vite @vitejs/plugin-react webpack webpack-cli
webpack-dev-server babel-loader css-loader style-loader html-webpack-plugin @babel/core
@babel/preset-env @babel/preset-react @babel/preset-typescript postcss autoprefixer tailwindcss
sass styled-components @emotion/react @emotion/styled @mui/material @reduxjs/toolkit redux
react-redux zustand @tanstack/react-query swr axios node-fetch got undici cheerio jsdom
puppeteer playwright @playwright/test jest ts-jest vitest mocha chai sinon supertest nyc
eslint prettier @typescript-eslint/parser @typescript-eslint/eslint-plugin eslint-config-next
eslint-plugin-react eslint-plugin-import husky lint-staged nodemon pm2 concurrently cross-env
rimraf dotenv cors body-parser cookie-parser express-session helmet morgan compression multer
jsonwebtoken bcrypt bcryptjs passport passport-jwt passport-local express-validator
http-proxy-middleware serve http-server socket.io socket.io-client ws graphql @apollo/server
apollo-server-express graphql-tag mongoose mongodb pg pg-promise mysql mysql2 sqlite3
better-sqlite3 redis ioredis sequelize typeorm knex prisma @prisma/client drizzle-orm
amqplib kafkajs bull bullmq node-cron nodemailer aws-sdk @aws-sdk/client-s3
@aws-sdk/client-dynamodb @google-cloud/storage firebase firebase-admin stripe openai
@anthropic-ai/sdk zod yup joi ajv lodash underscore moment moment-timezone dayjs date-fns luxon
uuid nanoid chalk commander yargs inquirer ora winston pino pino-pretty debug dd-trace
@sentry/node @opentelemetry/api @opentelemetry/sdk-node prom-client newrelic
swagger-ui-express ejs pug handlebars express-handlebars xml2js fast-xml-parser csv-parser
papaparse pdfkit sharp jimp @grpc/grpc-js protobufjs mqtt yaml js-yaml glob fs-extra semver
minimist @types/node @types/express @types/react @types/react-dom @types/jest
""".split()


def fetch(request, timeout: int = 120) -> bytes:
    """The body, trying three times over passing network faults."""
    for attempt in range(3):
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return response.read()
        except urllib.error.HTTPError as error:
            if error.code == 404 or attempt == 2:
                raise
        except OSError:
            if attempt == 2:
                raise
        time.sleep(2 + 5 * attempt)
    raise AssertionError("unreachable")


def _head_length(url: str) -> int:
    with urllib.request.urlopen(urllib.request.Request(url, method="HEAD"), timeout=60) as response:
        return int(response.headers["Content-Length"])


def tarball_facts(url: str) -> tuple[int, int]:
    """(unpacked bytes, tarball bytes): the members' sizes added up, and the download's length."""
    body = fetch(url, timeout=600)
    with tarfile.open(fileobj=io.BytesIO(body), mode="r:*") as archive:
        unpacked = sum(member.size for member in archive if member.isfile())
    return unpacked, len(body)


def _platform(document: dict) -> str:
    parts = ["|".join(document.get(key) or []) for key in ("os", "cpu", "libc")]
    return "/".join(parts) if any(parts) else ""


def _allows(values: list, value: str) -> bool:
    """npm's reading of an os/cpu/libc list: ``!x`` excludes x; other entries, if any, are the
    only values allowed."""
    if "!" + value in values:
        return False
    allowed = [v for v in values if not v.startswith("!")]
    return not allowed or value in allowed


def installable_on_linux(document: dict) -> bool:
    cpu = document.get("cpu") or []
    return _allows(document.get("os") or [], "linux") and (_allows(cpu, "x64") or _allows(cpu, "arm64"))


def describe(name: str) -> tuple | None:
    """One table row for a package, or None when the registry does not know it."""
    url = REGISTRY + name.replace("/", "%2f") + "/latest"
    try:
        document = json.loads(fetch(url))
    except urllib.error.HTTPError as error:
        if error.code == 404:
            return None
        raise
    deps = list(document.get("dependencies") or {})
    optional = document.get("optionalDependencies") or {}
    deps = [d for d in deps if d not in optional] + ["?" + d for d in optional]
    peer_meta = document.get("peerDependenciesMeta") or {}
    deps += ["^" + d for d in (document.get("peerDependencies") or {}) if not peer_meta.get(d, {}).get("optional")]
    if not installable_on_linux(document):
        unpacked = tarball = "-"
    else:
        dist = document.get("dist") or {}
        tarball_url = urllib.parse.urljoin(url, dist["tarball"])
        if dist.get("unpackedSize"):
            unpacked, tarball = dist["unpackedSize"], _head_length(tarball_url)
        else:
            unpacked, tarball = tarball_facts(tarball_url)
    return document["name"], document["version"], unpacked, tarball, _platform(document), deps


def crawl(seeds: list, workers: int) -> dict:
    rows, tried, missing = {}, set(), []
    level = list(dict.fromkeys(seeds))
    with concurrent.futures.ThreadPoolExecutor(workers) as pool:
        while level:
            tried.update(level)
            for name, row in zip(level, pool.map(describe, level), strict=True):
                if row is None:
                    missing.append(name)
                else:
                    rows[name] = row
            wanted = {dep.lstrip("?^") for row in rows.values() for dep in row[5]}
            level = sorted(wanted - tried)[:max(0, MAX_PACKAGES - len(rows))]
            print(f"{len(rows)} rows, {len(level)} new names", file=sys.stderr)
    if missing:
        print("not in the registry:", " ".join(missing), file=sys.stderr)
    return rows


def trimmed_mean(values: list) -> int:
    values = sorted(values)
    kept = values[:len(values) - int(len(values) * TRIM)] or values
    return round(sum(kept) / len(kept))


def write(rows: dict, path: str) -> None:
    measured = [row for row in rows.values() if row[2] != "-"]
    date = _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d")
    header = ["#dlint-npm-table 1", f"date={date}", f"source={REGISTRY}NAME/latest", f"packages={len(rows)}",
              f"mean_unpacked={trimmed_mean([row[2] for row in measured])}",
              f"mean_tarball={trimmed_mean([row[3] for row in measured])}"]
    cells = [[row[0], row[1], str(row[2]), str(row[3]), row[4], ",".join(row[5])] for name, row in sorted(rows.items())]
    write_table(path, header, COLUMNS, cells)
    print(f"wrote {path}: {len(rows)} packages, {os.path.getsize(path)} bytes", file=sys.stderr)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default=OUT)
    parser.add_argument("--workers", type=int, default=8)
    args = parser.parse_args()
    write(crawl(SEEDS, args.workers), args.out)


if __name__ == "__main__":
    main()
