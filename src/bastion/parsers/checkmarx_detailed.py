"""Checkmarx SAST XML, one finding per result: DefectDojo's "Checkmarx Scan detailed".

The same reports as :mod:`bastion.parsers.checkmarx` (whose docstring documents
the format), read without grouping: each ``Result`` of each ``Query`` is a
finding, located at the sink of its data flow, the whole flow in its evidence.
Fingerprint: the query, the sink file and Checkmarx's ``SimilarityId``.

A report looks the same to both formats, so this one is never detected: a report
is read as ``checkmarx`` unless ``--format checkmarx_detailed`` (or the scan_type
"Checkmarx Scan detailed" on the DefectDojo import API) names it.
"""

from __future__ import annotations

from bastion.parsers.checkmarx import CheckmarxParser


class CheckmarxDetailedParser(CheckmarxParser):
    """Checkmarx's XML report, one finding per result."""

    name = "checkmarx_detailed"
    label = "Checkmarx SAST XML (one finding per result)"
    defectdojo_scan_types = ("Checkmarx Scan detailed",)
    is_detailed = True

    def detect(self, head: bytes) -> int:
        return 0


PARSER = CheckmarxDetailedParser()
