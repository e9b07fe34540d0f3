"""What every parser is: a name, a content detector and a streaming parse."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator
from typing import BinaryIO, ClassVar

from bastion.contracts.finding import NormalizedFinding

# How much of the start of a report the detectors see.
HEAD_BYTES = 64 * 1024


class ReportParser(ABC):
    """Turn one tool's report into normalized findings, in report order, as a stream.

    A module ``bastion/parsers/<name>.py`` defines one subclass and
    exposes an instance as ``PARSER``; the registry finds it there.
    """

    #: The format's name, as given to ``--format`` (``sarif``, ``bandit``, ...).
    name: ClassVar[str]
    #: A human label for listings ("OWASP ZAP XML").
    label: ClassVar[str]
    #: DefectDojo's names for this format's scan_type, for its import API.
    defectdojo_scan_types: ClassVar[tuple[str, ...]] = ()

    @abstractmethod
    def detect(self, head: bytes) -> int:
        """Return how sure the parser is that ``head`` starts a report of its format.

        0 means "not mine"; 100 means a marker only this format has. ``head`` is at
        most HEAD_BYTES of the report and may end mid-record.
        """

    @abstractmethod
    def parse(self, stream: BinaryIO) -> Iterator[NormalizedFinding]:
        """Yield the report's findings in order; raise MalformedReport on bad content."""
