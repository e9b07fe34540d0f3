"""Every parser, fed damaged copies of its real reports, either parses or rejects cleanly."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bastion.parsers import ParserError, all_parsers, parse_report

SCANS = Path(__file__).parents[1] / "fixtures" / "scans"
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
    seed = _seed(format_name)
    cut = data.draw(st.integers(min_value=1, max_value=len(seed)), label="cut")
    damaged = bytearray(seed[:cut])
    for _ in range(data.draw(st.integers(min_value=0, max_value=4), label="flips")):
        position = data.draw(st.integers(min_value=0, max_value=len(damaged) - 1))
        damaged[position] = data.draw(st.integers(min_value=0, max_value=255))
    forced = data.draw(st.booleans(), label="forced")
    # when / then: no exception other than ParserError escapes
    _run(bytes(damaged), format_name if forced else None)


@pytest.mark.parametrize("format_name", sorted(all_parsers()))
@settings(max_examples=30, deadline=2000)
@given(blob=st.binary(max_size=2048))
def test_random_bytes_are_rejected_cleanly(format_name: str, blob: bytes) -> None:
    _run(blob, format_name)
