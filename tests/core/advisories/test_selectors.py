"""Looking advisories up by package version, alone and for a whole lock file at once."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bastion.core.advisories import selectors, services
from bastion.core.advisories.models import Advisory

pytestmark = pytest.mark.django_db


@pytest.fixture
def imported(export_directory: Path) -> None:
    services.import_osv(export_directory)


def _found(ecosystem: str, name: str, version: str) -> list[tuple[str, str | None]]:
    return [
        (match.advisory.osv_id, match.fixed) for match in selectors.advisories_for(ecosystem, name, version)
    ]


@pytest.mark.usefixtures("imported")
@pytest.mark.parametrize(
    ("ecosystem", "name", "version", "expected"),
    [
        ("npm", "lodash", "4.17.11", [("GHSA-jf85-cpcp-j695", "4.17.12")]),
        ("npm", "lodash", "4.17.12", []),
        ("npm", "lodash-es", "4.17.13", [("GHSA-jf85-cpcp-j695", "4.17.14")]),
        ("pypi", "Django", "3.2.13", [("GHSA-p64x-8rxx-wf6q", "3.2.14")]),
        ("PyPI", "django", "4.0.5", [("GHSA-p64x-8rxx-wf6q", "4.0.6")]),
        ("PyPI", "django", "3.1", []),
        ("PyPI", "django", "4.1", []),
        ("golang", "golang.org/x/text", "v0.3.6", [("GO-2021-0113", "0.3.7")]),
        ("Go", "golang.org/x/text", "v0.3.7", []),
        ("cargo", "smallvec", "1.4.0", [("RUSTSEC-2021-0003", "1.6.1")]),
        ("crates.io", "smallvec", "0.6.14", []),
        # log4j lists one entry per branch: one match, with the branch's own fix.
        ("Maven", "org.apache.logging.log4j:log4j-core", "2.14.1", [("GHSA-jfh8-c2jp-5v3q", "2.15.0")]),
        ("Maven", "org.apache.logging.log4j:log4j-core", "2.12.1", [("GHSA-jfh8-c2jp-5v3q", "2.12.2")]),
        ("Maven", "org.apache.logging.log4j:log4j-core", "2.12.2", []),
        ("Maven", "org.apache.logging.log4j:log4j-core", "2.16.0", []),
        ("Maven", "org.apache.logging.log4j:log4j-api", "2.14.1", []),
        ("RubyGems", "activerecord", "7.0.3", [("GHSA-3hhc-qp5v-9p2j", "7.0.3.1")]),
        ("RubyGems", "activerecord", "5.2.8", [("GHSA-3hhc-qp5v-9p2j", "5.2.8.1")]),
        ("RubyGems", "activerecord", "7.0.3.1", []),
        ("npm", "left-pad", "1.0.0", []),
    ],
)
def test_advisories_for_one_package(ecosystem: str, name: str, version: str, expected: list) -> None:
    assert _found(ecosystem, name, version) == expected


@pytest.mark.usefixtures("imported")
def test_a_whole_lock_file_takes_one_query_per_ecosystem() -> None:
    packages = [("npm", f"package-{number}", "1.0.0") for number in range(800)]
    packages += [("npm", "lodash", "4.17.4"), ("PyPI", "Django", "3.2.1"), ("PyPI", "requests", "2.0.0")]

    with CaptureQueriesContext(connection) as queries:
        found = selectors.advisories_for_packages(packages)

    assert len(queries) == 3  # npm, PyPI, then the two advisories that matched
    assert [match.advisory.osv_id for match in found[("npm", "lodash", "4.17.4")]] == ["GHSA-jf85-cpcp-j695"]
    assert [match.fixed for match in found[("PyPI", "Django", "3.2.1")]] == ["3.2.14"]
    assert found[("PyPI", "requests", "2.0.0")] == []
    assert sum(len(matches) for matches in found.values()) == 2


def test_withdrawn_advisories_do_not_match(export_directory: Path) -> None:
    path = export_directory / "GHSA-jf85-cpcp-j695.json"
    record = json.loads(path.read_text())
    record["withdrawn"] = "2024-01-01T00:00:00Z"
    path.write_text(json.dumps(record))
    services.import_osv(export_directory)

    assert Advisory.objects.filter(osv_id="GHSA-jf85-cpcp-j695").exists()
    assert _found("npm", "lodash", "4.17.11") == []
