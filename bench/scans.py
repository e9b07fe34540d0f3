"""Scans Bastion runs itself: a whole repository's scan, and the OSV advisory import rate.

    .venv/bin/python bench/scans.py [--files 2000] [--osv-records 100000] [--database postgres|sqlite]

1. Writes a repository of ``--files`` source files (Python, JavaScript, Go and Java handlers, some
   with a flaw, with lock files pinning vulnerable and safe packages), then scans it with every
   repository engine (code analysis, secrets, dependency audit) through the real scan task, on a
   fresh database, and prints each engine's time (from the scan's own log) and files per second.
2. Writes an OSV export of ``--osv-records`` records (the shape of GitHub's advisories: aliases,
   CWE ids, CVSS, one to three affected packages with ranges), imports it into the same database
   with ``bastion advisories import``'s service, then imports it again unchanged, and prints
   records per second for both.
Needs PostgreSQL on 127.0.0.1 for ``--database postgres`` (the default); no network.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from datetime import datetime
from pathlib import Path

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

SERVER = "postgres://postgres@127.0.0.1:5432"
DATABASE = "bastion_bench_scans"
ECOSYSTEMS = ("PyPI", "npm", "Go", "Maven", "crates.io", "RubyGems")

PYTHON_FLAW = """from flask import Flask, request
import sqlite3

app = Flask(__name__)


@app.route("/item{n}")
def item{n}():
    name = request.args.get("name")
    connection = sqlite3.connect("shop.db")
    return str(connection.execute("SELECT * FROM items WHERE name = '%s'" % name).fetchall())
"""
PYTHON_SAFE = '''def total{n}(prices: list[float], rate: float = 0.2) -> float:
    """Sum the prices with tax."""
    subtotal = sum(price for price in prices if price > 0)
    return round(subtotal * (1 + rate), 2)


class Basket{n}:
    def __init__(self) -> None:
        self.items: dict[str, int] = {{}}

    def add(self, sku: str, quantity: int = 1) -> None:
        self.items[sku] = self.items.get(sku, 0) + quantity
'''
JS_FLAW = """const express = require("express");
const app = express();
app.get("/hello{n}", (req, res) => {{
  res.send("<p>Hello " + req.query.name + "</p>");
}});
module.exports = app;
"""
JS_SAFE = """export function format{n}(value, digits = 2) {{
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}}
"""
GO_SAFE = """package shop

func Sum{n}(values []int) int {{
	total := 0
	for _, value := range values {{
		total += value
	}}
	return total
}}
"""
JAVA_FLAW = """import java.sql.*;
import javax.servlet.http.*;

public class Find{n} extends HttpServlet {{
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws Exception {{
        Connection connection = DriverManager.getConnection("jdbc:h2:mem:shop");
        Statement statement = connection.createStatement();
        statement.executeQuery("SELECT * FROM items WHERE name = '" + request.getParameter("name") + "'");
    }}
}}
"""


def write_repository(root: Path, files: int) -> None:
    """Write ``files`` source files (one in ten with a flaw: Python, JavaScript, Java) and lock files."""
    flaws = [("py", PYTHON_FLAW), ("js", JS_FLAW), ("java", JAVA_FLAW)]
    safe = [("py", PYTHON_SAFE), ("js", JS_SAFE), ("go", GO_SAFE)]
    for n in range(files):
        extension, text = flaws[(n // 10) % 3] if n % 10 == 0 else safe[n % 3]
        path = root / f"module{n // 100}" / f"file{n}.{extension}"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text.format(n=n))
    (root / "requirements.txt").write_text("Django==3.2.0\nrequests==2.31.0\nflask==2.0.0\n")
    (root / "config.py").write_text('AWS_ACCESS_KEY_ID = "AKIAQWERTYUIOPASDFGH"\n')


def osv_record(n: int, rng: random.Random) -> dict[str, object]:
    """One advisory shaped as GitHub publishes them in OSV."""
    affected = []
    for _ in range(rng.randint(1, 3)):
        ecosystem = rng.choice(ECOSYSTEMS)
        name = f"package-{rng.randint(0, 20_000)}"
        if ecosystem == "Maven":
            name = f"org.example:{name}"
        elif ecosystem == "Go":
            name = f"github.com/example/{name}"
        fixed = f"{rng.randint(1, 9)}.{rng.randint(0, 20)}.{rng.randint(0, 30)}"
        affected.append(
            {
                "package": {"ecosystem": ecosystem, "name": name},
                "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": fixed}]}],
                "database_specific": {"source": "https://github.com/github/advisory-database"},
            }
        )
    return {
        "schema_version": "1.6.0",
        "id": f"GHSA-bench-{n:06d}",
        "modified": "2025-01-01T00:00:00Z",
        "published": "2024-06-01T00:00:00Z",
        "aliases": [f"CVE-2024-{n:05d}"],
        "summary": f"Synthetic advisory {n} for the benchmark",
        "details": "A flaw in request handling lets a remote attacker do something unwanted. " * 5,
        "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}],
        "affected": affected,
        "references": [{"type": "ADVISORY", "url": f"https://nvd.nist.gov/vuln/detail/CVE-2024-{n:05d}"}],
        "database_specific": {"cwe_ids": ["CWE-79"], "severity": "HIGH", "github_reviewed": True},
    }


def write_export(path: Path, records: int) -> None:
    rng = random.Random(13)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for n in range(records):
            archive.writestr(f"GHSA-bench-{n:06d}.json", json.dumps(osv_record(n, rng)))


def fresh_database(kind: str, directory: Path) -> str:
    if kind == "sqlite":
        return f"sqlite:///{directory / 'bench.sqlite3'}"
    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{DATABASE}"')
    return f"{SERVER}/{DATABASE}"


def engine_times(log: list[dict[str, str]]) -> dict[str, float]:
    """Seconds from each engine's start to its end, read from the scan's log."""
    started: dict[str, datetime] = {}
    times: dict[str, float] = {}
    for line in log:
        engine, at = line.get("engine"), datetime.fromisoformat(line["at"])
        if line["step"] == "engine-started" and engine:
            started[engine] = at
        elif line["step"] in ("engine-finished", "engine-failed") and engine in started:
            times[engine] = (at - started[engine]).total_seconds()
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=2000)
    parser.add_argument("--osv-records", type=int, default=100_000)
    parser.add_argument("--database", choices=("postgres", "sqlite"), default="postgres")
    arguments = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="bastion-bench-scans-") as scratch:
        work = Path(scratch)
        repositories = work / "repositories"
        os.environ.update(
            BASTION_VAR_DIR=str(work / "var"),
            BASTION_DATABASE_URL=fresh_database(arguments.database, work),
            BASTION_SCAN_LOCAL_ROOT=str(repositories),
            DJANGO_SETTINGS_MODULE="bastion.core.settings",
        )
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        from bastion.contracts.principal import Role
        from bastion.contracts.scans import TargetKind
        from bastion.core.accounts.models import User
        from bastion.core.advisories.services import import_osv
        from bastion.core.assets.models import Asset
        from bastion.core.scans import services
        from bastion.core.scans.models import ScanJob
        from bastion.core.tenancy import services as tenancy
        from bastion.scanner.scans.tasks import run_scan

        # The advisory import first: the dependency audit then has a real-sized database to read.
        export = work / "all.zip"
        write_export(export, arguments.osv_records)
        fixtures = Path(__file__).resolve().parents[1] / "tests" / "core" / "advisories" / "fixtures" / "osv"
        import_osv(fixtures)
        for label in ("first import", "unchanged re-import"):
            started = time.perf_counter()
            counts = import_osv(export)
            seconds = time.perf_counter() - started
            print(
                f"OSV {label}: {arguments.osv_records:,} records in {seconds:.1f} s = "
                f"{arguments.osv_records / seconds:,.0f} records/s "
                f"(new {counts.new}, unchanged {counts.unchanged})"
            )

        source = repositories / "shop"
        write_repository(source, arguments.files)
        subprocess.run([shutil.which("git") or "/usr/bin/git", "init", "-q", str(source)], check=True)
        organization = tenancy.create_organization(slug="bench", name="Bench")
        user = User.objects.create_user("bench@example.com", "a long bench password")
        tenancy.set_membership(organization=organization, user=user, role=Role.ANALYST)
        asset = Asset.objects.create(
            organization=organization, kind="repository", identifier="shop", name="shop"
        )
        scan = services.request_scan(actor=user, asset=asset, kind=TargetKind.REPOSITORY, target=str(source))
        started = time.perf_counter()
        run_scan(str(scan.pk))
        seconds = time.perf_counter() - started
        scan = ScanJob.objects.get(pk=scan.pk)
        print(
            f"repository scan of {arguments.files:,} files: {scan.state} in {seconds:.1f} s = "
            f"{arguments.files / seconds:,.0f} files/s; {scan.parsed} findings ({scan.new} new)"
        )
        for engine, engine_seconds in engine_times(scan.log).items():
            print(f"  {engine}: {engine_seconds:.1f} s")
        if scan.error:
            print(f"  error: {scan.error}")
    return 0 if scan.state == "completed" else 1


if __name__ == "__main__":
    sys.exit(main())
