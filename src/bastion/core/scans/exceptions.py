"""The scan domain's refusals, each answered with the status the scanner's handler gives its class::

ScanRefused                 the request cannot be taken as it is (400)
├── ScanNotFound            no such scan, schedule, range or asset of the caller's (404)
├── ScanForbidden           the caller's role does not allow it (403)
├── TargetRefused           the target is unsafe or outside the allow-list (422, see core.scans.targets)
└── ScanLimitReached        too many scans started this minute (429)
"""

from __future__ import annotations


class ScanRefused(Exception):  # noqa: N818 (a refusal, named as the domain names it)
    """The scan request cannot be taken; nothing was queued."""


class ScanNotFound(ScanRefused):
    """No scan, schedule, allowed range or asset of that id among the caller's organisations."""


class ScanForbidden(ScanRefused):
    """The caller's role in the organisation does not allow this."""


class ScanLimitReached(ScanRefused):
    """The caller started as many scans as a minute allows."""
