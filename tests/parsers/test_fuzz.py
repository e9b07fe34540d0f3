"""Every parser, fed damaged copies of its real reports, either parses or rejects cleanly."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bastion.parsers import ParserError, all_parsers, parse_report

SCANS = Path(__file__).parents[1] / "fixtures" / "scans"
# Reports of the variants that have no sample in SCANS, one folder per format (see test_variants.py).
VARIANTS = Path(__file__).parents[1] / "fixtures" / "variants"
VARIANT_REPORTS = sorted((path.parent.name, path) for path in VARIANTS.glob("*/*") if path.is_file())
VARIANT_PARAMS = [
    pytest.param(format_name, path, id=f"{format_name}-{path.stem}") for format_name, path in VARIANT_REPORTS
]
SMALLEST_SAMPLE_LIMIT = 64 * 1024
# Formats that read another format's reports (a mode of the same tool): where their samples are.
SAMPLES_OF = {"checkmarx_detailed": "checkmarx"}


def _seed(format_name: str) -> bytes:
    """Return the format's smallest non-trivial sample, to keep each example fast."""
    samples = sorted(
        (
            path
            for path in (SCANS / SAMPLES_OF.get(format_name, format_name)).glob("*")
            if path.stat().st_size > 200
        ),
        key=lambda path: path.stat().st_size,
    )
    if not samples:
        pytest.skip(f"no sample report for {format_name}")
    return samples[0].read_bytes()[:SMALLEST_SAMPLE_LIMIT]


def _damage(seed: bytes, data: st.DataObject) -> bytes:
    """Cut the report short and change a few of its bytes."""
    cut = data.draw(st.integers(min_value=1, max_value=len(seed)), label="cut")
    damaged = bytearray(seed[:cut])
    for _ in range(data.draw(st.integers(min_value=0, max_value=4), label="flips")):
        position = data.draw(st.integers(min_value=0, max_value=len(damaged) - 1))
        damaged[position] = data.draw(st.integers(min_value=0, max_value=255))
    return bytes(damaged)


def _run(data: bytes, format_name: str | None) -> None:
    try:
        _parser, findings = parse_report(io.BytesIO(data), format_name=format_name)
        for _finding in findings:
            pass
    except ParserError:
        pass


@pytest.mark.parametrize("format_name", sorted(all_parsers()))
@settings(max_examples=60, deadline=2000, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_damaged_report_is_parsed_or_rejected_cleanly(format_name: str, data: st.DataObject) -> None:
    # given: a real report, cut short and with a few bytes changed
    damaged = _damage(_seed(format_name), data)
    forced = data.draw(st.booleans(), label="forced")
    # when / then: no exception other than ParserError escapes
    _run(damaged, format_name if forced else None)


# Fewer examples than the samples get: there are many variant reports, each a small one.
@pytest.mark.parametrize(("format_name", "seed_path"), VARIANT_PARAMS)
@settings(max_examples=30, deadline=2000, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_damaged_variant_report_is_parsed_or_rejected_cleanly(
    format_name: str, seed_path: Path, data: st.DataObject
) -> None:
    # given: a report of a variant the samples lack, cut short and with a few bytes changed
    damaged = _damage(seed_path.read_bytes()[:SMALLEST_SAMPLE_LIMIT], data)
    forced = data.draw(st.booleans(), label="forced")
    # when / then: no exception other than ParserError escapes
    _run(damaged, format_name if forced else None)


def test_every_variant_folder_holds_reports_of_a_known_format() -> None:
    formats = {format_name for format_name, _path in VARIANT_REPORTS}
    assert formats
    assert formats <= set(all_parsers())


@pytest.mark.parametrize("format_name", sorted(all_parsers()))
@settings(max_examples=30, deadline=2000)
@given(blob=st.binary(max_size=2048))
def test_random_bytes_are_rejected_cleanly(format_name: str, blob: bytes) -> None:
    _run(blob, format_name)
