"""SARIF results with a data flow (``codeFlows``) keep it in the finding's evidence."""

from __future__ import annotations

import io
from typing import Any

import orjson
import pytest

from bastion.parsers.exceptions import MalformedReport
from bastion.parsers.sarif import MAX_FLOW_STEPS, MAX_FLOW_TEXT, PARSER


def _log(result_extra: dict[str, Any]) -> bytes:
    result = {
        "ruleId": "py.sqli",
        "message": {"text": "SQL built from request input"},
        "locations": [
            {"physicalLocation": {"artifactLocation": {"uri": "app.py"}, "region": {"startLine": 9}}}
        ],
        **result_extra,
    }
    log = {"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "codeql"}}, "results": [result]}]}
    return orjson.dumps({"$schema": "https://json.schemastore.org/sarif-2.1.0.json", **log})


def _step(line: int, text: str) -> dict[str, Any]:
    return {
        "location": {
            "physicalLocation": {"artifactLocation": {"uri": "src/app.py"}, "region": {"startLine": line}},
            "message": {"text": text},
        }
    }


def test_the_first_thread_of_the_first_flow_becomes_numbered_evidence_lines() -> None:
    flows = [
        {"threadFlows": [{"locations": [_step(3, "request.args"), _step(5, "query"), _step(9, "query")]}]}
    ]

    (finding,) = PARSER.parse(io.BytesIO(_log({"codeFlows": flows})))

    assert (
        finding.evidence
        == "Data flow:\n1. src/app.py:3  request.args\n2. src/app.py:5  query\n3. src/app.py:9  query"
    )


def test_a_long_flow_keeps_its_first_steps_and_each_step_is_clipped() -> None:
    steps = [_step(line, "x" * 1000) for line in range(1, 200)]
    flows = [{"threadFlows": [{"locations": steps}]}]

    (finding,) = PARSER.parse(io.BytesIO(_log({"codeFlows": flows})))

    lines = finding.evidence.splitlines()
    assert len(lines) == 1 + MAX_FLOW_STEPS
    assert lines[-1] == f"{MAX_FLOW_STEPS}. src/app.py:{MAX_FLOW_STEPS}  " + "x" * MAX_FLOW_TEXT


def test_a_result_without_a_flow_has_no_flow_evidence() -> None:
    (finding,) = PARSER.parse(io.BytesIO(_log({})))

    assert "Data flow" not in finding.evidence


def test_a_flow_that_is_not_a_list_is_refused_with_its_place() -> None:
    with pytest.raises(MalformedReport, match="codeFlows"):
        list(PARSER.parse(io.BytesIO(_log({"codeFlows": {"threadFlows": []}}))))
