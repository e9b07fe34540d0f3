"""Importing OSV exports: from a directory and a zip, idempotent, newest wins, bad input refused."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from bastion.core.advisories import services, sources
from bastion.core.advisories.models import Advisory, AffectedPackage
from tests.core.advisories.conftest import OSV_FIXTURES

pytestmark = pytest.mark.django_db

FIXTURE_IDS = {
    "GHSA-jf85-cpcp-j695",
    "GHSA-p64x-8rxx-wf6q",
    "GO-2021-0113",
    "RUSTSEC-2021-0003",
    "GHSA-3hhc-qp5v-9p2j",
    "GHSA-jfh8-c2jp-5v3q",
}


def _zip(path: Path, members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> Path:
    with zipfile.ZipFile(path, "w", compression=compression) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return path


def _fixture_members() -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(OSV_FIXTURES.glob("*.json"))}


def test_import_from_a_directory_stores_every_field_used(export_directory: Path) -> None:
    counts = services.import_osv(export_directory)

    assert (counts.read, counts.new, counts.updated, counts.unchanged, counts.refused) == (6, 6, 0, 0, 0)
    assert set(Advisory.objects.values_list("osv_id", flat=True)) == FIXTURE_IDS
    lodash = Advisory.objects.get(osv_id="GHSA-jf85-cpcp-j695")
    assert lodash.aliases == ["CVE-2019-10744"]
    assert lodash.summary == "Prototype Pollution in lodash"
    assert lodash.severity_type == "CVSS_V3"
    assert lodash.cvss_score == Decimal("9.1")
    assert lodash.database_severity == "CRITICAL"
    assert lodash.modified == datetime(2023, 9, 5, 22, 24, 55, tzinfo=UTC)
    assert lodash.references[0] == {
        "type": "ADVISORY",
        "url": "https://nvd.nist.gov/vuln/detail/CVE-2019-10744",
    }
    assert sorted(lodash.affected.values_list("ecosystem", "name")) == [
        ("npm", "lodash"),
        ("npm", "lodash-amd"),
        ("npm", "lodash-es"),
        ("npm", "lodash.defaultsdeep"),
    ]
    smallvec = AffectedPackage.objects.get(advisory__osv_id="RUSTSEC-2021-0003")
    assert (smallvec.ecosystem, smallvec.name) == ("crates.io", "smallvec")
    assert smallvec.ranges == [
        {
            "type": "SEMVER",
            "events": [
                {"introduced": "0.6.3"},
                {"fixed": "0.6.14"},
                {"introduced": "1.0.0"},
                {"fixed": "1.6.1"},
            ],
        }
    ]
    # The year-one "modified" the Go database publishes is kept as given.
    assert Advisory.objects.get(osv_id="GO-2021-0113").modified.year == 1
    assert Advisory.objects.get(osv_id="GHSA-3hhc-qp5v-9p2j").cvss_score is None
    assert AffectedPackage.objects.filter(advisory__osv_id="GHSA-jfh8-c2jp-5v3q").count() == 3


def test_import_from_a_zip_matches_the_directory(tmp_path: Path) -> None:
    export = _zip(tmp_path / "all.zip", _fixture_members())

    counts = services.import_osv(export)

    assert (counts.read, counts.new, counts.refused) == (6, 6, 0)
    assert set(Advisory.objects.values_list("osv_id", flat=True)) == FIXTURE_IDS


def test_reimport_unchanged_writes_nothing(export_directory: Path) -> None:
    services.import_osv(export_directory)
    before = dict(Advisory.objects.values_list("osv_id", "imported_at"))
    packages = list(AffectedPackage.objects.values_list("pk", flat=True))

    counts = services.import_osv(export_directory)

    assert (counts.read, counts.new, counts.updated, counts.unchanged) == (6, 0, 0, 6)
    assert dict(Advisory.objects.values_list("osv_id", "imported_at")) == before
    assert list(AffectedPackage.objects.values_list("pk", flat=True)) == packages


def test_a_newer_modified_updates_and_an_older_one_does_not(export_directory: Path) -> None:
    services.import_osv(export_directory)
    path = export_directory / "GHSA-p64x-8rxx-wf6q.json"
    record = json.loads(path.read_text())
    record["modified"] = "2024-01-01T00:00:00Z"
    record["summary"] = "Changed upstream"
    record["affected"] = record["affected"][:1]
    path.write_text(json.dumps(record))

    counts = services.import_osv(export_directory)

    assert (counts.new, counts.updated, counts.unchanged) == (0, 1, 5)
    django = Advisory.objects.get(osv_id="GHSA-p64x-8rxx-wf6q")
    assert django.summary == "Changed upstream"
    assert list(django.affected.values_list("ranges", flat=True)) == [
        [{"type": "ECOSYSTEM", "events": [{"introduced": "3.2"}, {"fixed": "3.2.14"}]}]
    ]
    record["modified"] = "2020-01-01T00:00:00Z"
    record["summary"] = "An older copy"
    path.write_text(json.dumps(record))

    counts = services.import_osv(export_directory)

    assert (counts.updated, counts.unchanged) == (0, 6)
    assert Advisory.objects.get(osv_id="GHSA-p64x-8rxx-wf6q").summary == "Changed upstream"


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"modified": "yesterday"}, "modified"),
        ({"id": "../etc/passwd"}, "id"),
        (
            {
                "affected": [
                    {
                        "package": {"ecosystem": "PyPI", "name": "x"},
                        "ranges": [{"type": "SEMVER", "events": [{"fixed": "1.0"}]}],
                    }
                ]
            },
            "a range needs an introduced event",
        ),
        (
            {
                "affected": [
                    {
                        "package": {"ecosystem": "PyPI", "name": "x"},
                        "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0", "fixed": "1"}]}],
                    }
                ]
            },
            "exactly one of",
        ),
    ],
)
def test_a_malformed_record_is_refused_whole_and_named(
    export_directory: Path, change: dict[str, object], problem: str
) -> None:
    path = export_directory / "GHSA-jfh8-c2jp-5v3q.json"
    record = json.loads(path.read_text())
    record.update(change)
    path.write_text(json.dumps(record))

    counts = services.import_osv(export_directory)

    assert (counts.read, counts.new, counts.refused) == (6, 5, 1)
    assert len(counts.refusals) == 1
    assert counts.refusals[0].startswith("GHSA-jfh8-c2jp-5v3q.json: ")
    assert problem in counts.refusals[0]
    assert not AffectedPackage.objects.filter(name="org.apache.logging.log4j:log4j-core").exists()


def test_a_file_that_is_not_json_is_refused(export_directory: Path) -> None:
    (export_directory / "broken.json").write_bytes(b'{"id": "GHSA-x",')

    counts = services.import_osv(export_directory)

    assert (counts.new, counts.refused) == (6, 1)
    assert counts.refusals[0].startswith("broken.json: not JSON")


def test_a_file_holding_a_list_is_atomic(tmp_path: Path) -> None:
    good = json.loads((OSV_FIXTURES / "GO-2021-0113.json").read_text())
    bad = {"id": "GHSA-bad", "modified": "not a date"}
    (tmp_path / "both.json").write_text(json.dumps([good, bad]))

    counts = services.import_osv(tmp_path)

    assert (counts.read, counts.new, counts.refused) == (2, 0, 2)
    assert not Advisory.objects.exists()


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("../escape.json", "'..'"),
        ("osv/../../escape.json", "'..'"),
        ("/etc/cron.d/escape.json", "absolute"),
        ("C:/escape.json", "absolute"),
    ],
)
def test_a_zip_with_an_unsafe_member_name_is_refused_before_anything_is_written(
    tmp_path: Path, name: str, reason: str
) -> None:
    members = _fixture_members()
    members[name] = members["GO-2021-0113.json"]
    export = _zip(tmp_path / "all.zip", members)

    with pytest.raises(services.UnsafeArchive, match=reason):
        services.import_osv(export)
    assert not Advisory.objects.exists()


def test_a_zip_bomb_is_refused_by_its_ratio(tmp_path: Path) -> None:
    members = _fixture_members()
    members["bomb.json"] = b'{"id": "GHSA-bomb", "details": "' + b" " * 4_000_000 + b'"}'
    export = _zip(tmp_path / "all.zip", members)

    with pytest.raises(services.UnsafeArchive, match="expands"):
        services.import_osv(export)
    assert not Advisory.objects.exists()


def test_a_zip_with_too_many_members_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sources, "MAX_MEMBERS", 5)
    export = _zip(tmp_path / "all.zip", _fixture_members())

    with pytest.raises(services.UnsafeArchive, match="6 members, over 5"):
        services.import_osv(export)


def test_a_member_over_the_size_limit_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sources, "MAX_MEMBER_BYTES", 3000)
    export = _zip(tmp_path / "all.zip", _fixture_members(), compression=zipfile.ZIP_STORED)

    with pytest.raises(services.UnsafeArchive, match="over 3000"):
        services.import_osv(export)


def test_a_large_file_in_a_directory_is_refused_alone(
    export_directory: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sources, "MAX_MEMBER_BYTES", 3000)

    counts = services.import_osv(export_directory)

    # Only the log4j record (3.4 KB here) is over the limit.
    assert (counts.new, counts.refused) == (5, 1)
    assert counts.refusals == ["GHSA-jfh8-c2jp-5v3q.json: larger than 3000 bytes"]


def test_links_in_a_directory_are_not_followed(tmp_path: Path) -> None:
    outside = tmp_path / "outside.json"
    outside.write_bytes((OSV_FIXTURES / "GO-2021-0113.json").read_bytes())
    export = tmp_path / "osv"
    export.mkdir()
    (export / "link.json").symlink_to(outside)

    counts = services.import_osv(export)

    assert counts.read == 0


def test_a_zip_symlink_member_is_refused(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        info = zipfile.ZipInfo("link.json")
        info.external_attr = 0o120777 << 16
        archive.writestr(info, "/etc/passwd")
    export = tmp_path / "all.zip"
    export.write_bytes(buffer.getvalue())

    with pytest.raises(services.UnsafeArchive, match="symbolic link"):
        services.import_osv(export)


def test_batches_cover_a_larger_export(tmp_path: Path) -> None:
    template = json.loads((OSV_FIXTURES / "GHSA-p64x-8rxx-wf6q.json").read_text())
    members = {}
    for number in range(1, 1201):
        record = dict(template, id=f"PYSEC-TEST-{number}")
        record["affected"] = [
            {
                "package": {"ecosystem": "PyPI", "name": f"package_{number % 300}"},
                "ranges": template["affected"][0]["ranges"],
            }
        ]
        members[f"PYSEC-TEST-{number}.json"] = json.dumps(record).encode()
    export = _zip(tmp_path / "all.zip", members)

    counts = services.import_osv(export, batch_size=250)

    assert (counts.read, counts.new, counts.refused) == (1200, 1200, 0)
    assert AffectedPackage.objects.filter(ecosystem="PyPI", name="package-7").count() == 4


def test_malformed_or_excess_cwe_ids_are_left_out(tmp_path: Path) -> None:
    # given: a record whose source lists good, malformed and duplicate weakness ids
    record = {
        "id": "GHSA-aaaa-bbbb-cccc",
        "modified": "2024-01-01T00:00:00Z",
        "database_specific": {"cwe_ids": ["CWE-79", "cwe-79", "CWE-0", "79", None, "CWE-89 ; DROP"]},
        "affected": [{"package": {"ecosystem": "PyPI", "name": "x"}, "versions": ["1.0"]}],
    }
    (tmp_path / "record.json").write_text(json.dumps(record))

    # when
    services.import_osv(tmp_path)

    # then
    assert Advisory.objects.get(osv_id="GHSA-aaaa-bbbb-cccc").cwe_ids == ["CWE-79"]
