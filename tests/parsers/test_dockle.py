"""Dockle JSON."""

from __future__ import annotations

import io
from collections.abc import Mapping
from pathlib import Path

import orjson
import pytest

from bastion.contracts.finding import NormalizedFinding, Severity
from bastion.parsers import MalformedReport, parse_report
from bastion.parsers.dockle import PARSER, image_repository

SAMPLES = Path(__file__).parents[1] / "fixtures" / "scans" / "dockle"


def _findings(data: bytes) -> list[NormalizedFinding]:
    return list(parse_report(io.BytesIO(data), format_name="dockle")[1])


def _report(*details: Mapping[str, object], image: str | None = None) -> bytes:
    document: dict[str, object] = {"summary": {"fatal": 1, "warn": 0, "info": 0, "skip": 0, "pass": 3}}
    if image is not None:
        document = {"image": image, **document}
    return orjson.dumps(document | {"details": list(details)})


def test_sample_fields_and_ignored_checkpoint() -> None:
    # when
    findings = _findings((SAMPLES / "many_findings.json").read_bytes())
    # then: the IGNORE checkpoint (CIS-DI-0006) is left out
    assert [finding.rule_id for finding in findings] == ["CIS-DI-0001", "CIS-DI-0005", "CIS-DI-0008"]
    first, _, third = findings
    assert first.title == "CIS-DI-0001: Create a user for the container"
    assert first.severity is Severity.MEDIUM
    assert first.evidence == "Last user should not be root"
    assert third.severity is Severity.LOW
    assert third.evidence.splitlines()[1] == "setuid file: urwxr-xr-x bin/su"
    assert len(third.evidence.splitlines()) == 13


def test_fatal_with_image_fingerprint_ignores_tag() -> None:
    # given: the same failed checkpoint in two builds of one image
    detail = {"code": "DKL-DI-0005", "title": "Clear apt-get caches", "level": "FATAL", "alerts": ["a"]}
    # when
    (old,) = _findings(_report(detail, image="registry.local/app:1.0"))
    (new,) = _findings(_report(detail, image="registry.local/app:1.1"))
    # then
    assert old.severity is Severity.HIGH
    assert old.location.component == "registry.local/app:1.0"
    assert old.fingerprint == new.fingerprint


def test_image_repository_strips_tag_and_digest_not_port() -> None:
    assert image_repository("registry:5000/team/app:1.2") == "registry:5000/team/app"
    assert image_repository("app@sha256:abc") == "app"
    assert image_repository("registry:5000/app") == "registry:5000/app"


def test_detection_against_neighbours() -> None:
    assert PARSER.detect(_report({"code": "CIS-DI-0001", "title": "t", "level": "WARN", "alerts": []})) == 95
    assert PARSER.detect(b'{"details": [{"code": "E1", "level": "x"}]}') == 0
    assert PARSER.detect(b'{"SchemaVersion": 2, "Results": []}') == 0


def test_null_details_has_no_findings() -> None:
    assert _findings(b'{"summary": {"pass": 16}, "details": null}') == []


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b'{"summary": {}}', "the report has no 'details'"),
        (b'{"details": [{"title": "no code", "level": "WARN"}]}', "a checkpoint has no code"),
        (b'{"details": [{"code": "CIS-DI-0001", "level": "WARN", "alerts": "x"}]}', "expected an array"),
        (b'{"details": [', "invalid JSON"),
    ],
)
def test_malformed_report_is_refused(data: bytes, message: str) -> None:
    with pytest.raises(MalformedReport, match=message):
        _findings(data)
