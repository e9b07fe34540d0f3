"""Black Duck Hub reports: a project version's ``security.csv``, alone or in the report zip.

Black Duck exports a project version's reports as a zip of CSV files; the parser
reads its security report (``security*.csv``: one row per vulnerability of one
component version) and, when the zip has it, the file report (``files*.csv``,
``source*.csv`` since Black Duck 2019) for the paths where each component was
found. The security CSV may also come alone. Two header sets are read: the old
one (``Project id``, ``Project name``, ``Version``, ``Channel version origin
id``...) and the one of Black Duck 2019 onwards (``Component id``, ``Component
name``, ``Component version name``, ``Component origin id``..., with
``Solution``, ``Workaround`` and ``CWE Ids`` in later releases). Rows are read
one at a time; the file report, read first, is kept as at most LOCATION_LIMIT
paths per component version.

A vulnerability is listed once per component version and vulnerability source;
Black Duck repeats a row per matched file or usage, and those repeats make one
finding, as DefectDojo counts them (on the vulnerability id, the component's
origin id and the source).

Severity: the ``Security Risk`` column (CRITICAL, HIGH, MEDIUM, LOW); a row without
one takes its ``Overall score`` or ``Base score``.

Fingerprint: the component's origin id (its coordinates with its version, such as
``commons-cli:commons-cli:1.2``; else its name and version), the vulnerability id
and its source. The version stays in because a project can hold several versions
of one component, each its own finding.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator, Mapping
from contextlib import ExitStack
from typing import BinaryIO, cast

from bastion.contracts.finding import FindingLocation, NormalizedFinding
from bastion.parsers import grouping, readers, text, values
from bastion.parsers.base import ReportParser
from bastion.parsers.exceptions import MalformedReport

TOOL = "blackduck"
ZIP_MAGIC = b"PK\x03\x04"
# The paths one finding keeps for its component; the first is its file_path.
LOCATION_LIMIT = 100
# A report's zip holds a handful of CSV files; more, or bigger, is not a Black Duck report.
MAX_MEMBERS = 1000
MAX_MEMBER_BYTES = 1024 * 1024 * 1024
MAX_COMPRESSION_RATIO = 200

SECURITY_COLUMNS: Mapping[str, tuple[str, ...]] = {
    "component_key": ("project id", "component id"),
    "version_key": ("version id",),
    "name": ("project name", "component name"),
    "version": ("version", "component version name", "component version"),
    "origin_id": ("channel version origin id", "component origin id"),
    "origin": ("channel version origin", "component origin name"),
    "vulnerability_id": ("vulnerability id",),
    "description": ("description",),
    "published": ("published on",),
    "updated": ("updated on",),
    "base_score": ("base score",),
    "overall_score": ("overall score",),
    "exploitability": ("exploitability",),
    "impact": ("impact",),
    "source": ("vulnerability source",),
    "status": ("remediation status",),
    "target_date": ("remediation target date",),
    "comment": ("remediation comment",),
    "url": ("url",),
    "risk": ("security risk",),
    "solution": ("solution",),
    "workaround": ("workaround",),
    "cwe": ("cwe ids", "cwe id", "cwe"),
}
SECURITY_REQUIRED = {"vulnerability_id": "Vulnerability id", "risk": "Security Risk"}
FILES_COLUMNS: Mapping[str, tuple[str, ...]] = {
    "component_key": ("project id", "component id"),
    "version_key": ("version id",),
    "path": ("path",),
    "archive_context": ("archive context",),
}


class BlackduckParser(ReportParser):
    """Black Duck Hub's security report: the CSV, or the report zip that holds it."""

    name = "blackduck"
    label = "Black Duck Hub security CSV or report zip"
    defectdojo_scan_types = ("Blackduck Hub Scan",)

    def detect(self, head: bytes) -> int:
        if head.startswith(ZIP_MAGIC):
            # The local file headers name the members: a security CSV among the first.
            lowered = head.lower()
            return 90 if b"security" in lowered and b".csv" in lowered else 0
        header = readers.csv_header(readers.head_text(head))
        if {"vulnerability id", "security risk", "vulnerability source"} <= header and (
            header & {"channel version origin id", "component origin id"}
        ):
            return 95
        return 0

    def parse(self, stream: BinaryIO) -> Iterator[NormalizedFinding]:
        head, stream = readers.peek(stream, len(ZIP_MAGIC))
        if head != ZIP_MAGIC:
            yield from _security_findings(stream, {}, "")
            return
        with readers.seekable(stream) as source, ExitStack() as stack:
            archive = _open_zip(source)
            stack.enter_context(archive)
            members = [info for info in archive.infolist() if not info.is_dir()]
            security = _member(members, ("security",))
            if security is None:
                raise MalformedReport("the zip has no security CSV (security*.csv)", position="top level")
            files = _member(members, ("source", "files"))
            locations: dict[tuple[str, str], list[str]] = {}
            if files is not None:
                with _opened(archive, files) as handle:
                    locations = _locations(handle)
            with _opened(archive, security) as handle:
                yield from _security_findings(handle, locations, f"{security.filename} ")


def _open_zip(source: BinaryIO) -> zipfile.ZipFile:
    try:
        archive = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as error:
        raise MalformedReport(f"not a readable zip: {error}", position="top level") from error
    if len(archive.infolist()) > MAX_MEMBERS:
        archive.close()
        raise MalformedReport(f"the zip has more than {MAX_MEMBERS} members", position="top level")
    return archive


def _member(members: list[zipfile.ZipInfo], words: tuple[str, ...]) -> zipfile.ZipInfo | None:
    """Return the first CSV member whose file name holds one of ``words``."""
    for info in members:
        base = info.filename.rsplit("/", 1)[-1].lower()
        if base.endswith(".csv") and any(word in base for word in words):
            return info
    return None


class _opened:
    """Open a zip member for reading, within the limits, as a context manager."""

    def __init__(self, archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
        self._archive = archive
        self._info = info
        self._handle: BinaryIO | None = None

    def __enter__(self) -> BinaryIO:
        info = self._info
        if (
            info.file_size > MAX_MEMBER_BYTES
            or info.file_size > max(info.compress_size, 1) * MAX_COMPRESSION_RATIO + 1024 * 1024
        ):
            raise MalformedReport(
                f"{info.filename} unpacks to {info.file_size:,} bytes, past the limit for a report",
                position="top level",
            )
        try:
            self._handle = cast(BinaryIO, self._archive.open(info))
        except (zipfile.BadZipFile, RuntimeError, NotImplementedError, OSError, ValueError) as error:
            raise MalformedReport(
                f"cannot read {info.filename} in the zip: {error}", position="top level"
            ) from error
        return _Guarded(self._handle, info.filename)  # type: ignore[return-value]

    def __exit__(self, *exc: object) -> None:
        if self._handle is not None:
            self._handle.close()


class _Guarded:
    """A zip member's stream whose damage (bad CRC, truncated data) becomes MalformedReport."""

    def __init__(self, handle: BinaryIO, name: str) -> None:
        self._handle = handle
        self._name = name

    def _guard(self, call: str, *args: object) -> bytes:
        try:
            return cast(bytes, getattr(self._handle, call)(*args))
        except (zipfile.BadZipFile, EOFError, OSError, ValueError) as error:
            raise MalformedReport(f"{self._name} is damaged in the zip: {error}") from error

    def read(self, size: int = -1) -> bytes:
        return self._guard("read", size)

    def read1(self, size: int = -1) -> bytes:
        return self._guard("read1", size)

    def readline(self, size: int = -1) -> bytes:
        return self._guard("readline", size)

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return False

    def writable(self) -> bool:
        return False

    @property
    def closed(self) -> bool:
        return bool(self._handle.closed)

    def readinto(self, buffer: bytearray | memoryview) -> int:
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def flush(self) -> None:
        return None


def _locations(handle: BinaryIO) -> dict[tuple[str, str], list[str]]:
    """Return the paths of the file report by component and version id (and by component alone)."""
    found: dict[tuple[str, str], list[str]] = {}
    rows = readers.iter_csv_records(handle, FILES_COLUMNS, required={"path": "Path"})
    for _position, row in rows:
        path = row["path"]
        if not path:
            continue
        context = row["archive_context"]
        full_path = f"{context}{path[1:]}" if context else path  # DefectDojo joins them the same way
        for key in ((row["component_key"], row["version_key"]), (row["component_key"], "")):
            paths = found.setdefault(key, [])
            if len(paths) < LOCATION_LIMIT and full_path not in paths:
                paths.append(full_path)
    return found


def _security_findings(
    handle: BinaryIO, locations: Mapping[tuple[str, str], list[str]], member: str
) -> Iterator[NormalizedFinding]:
    seen: set[tuple[str, str, str]] = set()
    for position, row in readers.iter_csv_records(handle, SECURITY_COLUMNS, required=SECURITY_REQUIRED):
        vulnerability_id = row["vulnerability_id"]
        if not vulnerability_id:
            raise MalformedReport("a row has no Vulnerability id", position=f"{member}{position}")
        origin = row["origin_id"] or f"{row['name']}:{row['version']}"
        key = (vulnerability_id, origin, row["source"])
        if key in seen:
            continue
        seen.add(key)
        paths = locations.get((row["component_key"], row["version_key"])) or locations.get(
            (row["component_key"], ""), []
        )
        yield _finding(row, paths)


def _finding(row: Mapping[str, str], paths: list[str]) -> NormalizedFinding:
    vulnerability_id = row["vulnerability_id"]
    name = row["name"] or row["origin_id"] or "component"
    version = row["version"] or None
    score = values.score(row["overall_score"]) or values.score(row["base_score"])
    severity = (
        values.severity_from_word(row["risk"])
        if row["risk"].strip().lower() in values.SEVERITY_WORDS
        else values.severity_from_score(score)
    )
    details = [
        f"{label}: {row[key]}"
        for key, label in (
            ("source", "Vulnerability source"),
            ("published", "Published on"),
            ("updated", "Updated on"),
            ("base_score", "Base score"),
            ("overall_score", "Overall score"),
            ("exploitability", "Exploitability"),
            ("impact", "Impact"),
            ("status", "Remediation status"),
            ("target_date", "Remediation target date"),
            ("comment", "Remediation comment"),
        )
        if row[key]
    ]
    remediation = "\n\n".join(
        part
        for part in (row["solution"], f"Workaround: {row['workaround']}" if row["workaround"] else "")
        if part
    )
    label = f"{name} {version}" if version else name
    return NormalizedFinding(
        title=text.title(f"{vulnerability_id} in {label}"),
        severity=severity,
        tool=TOOL,
        rule_id=vulnerability_id,
        advisory_ids=values.advisory_ids([vulnerability_id]),
        cwe_ids=values.cwe_ids(row["cwe"].replace(";", ",").split(",")),
        description=text.clip("\n\n".join(part for part in (row["description"], "\n".join(details)) if part)),
        location=FindingLocation(
            file_path=paths[0] if paths else None,
            package=name,
            package_version=version,
            component=row["origin_id"] or None,
        ),
        evidence=text.clip("Found in:\n" + "\n".join(f"- {path}" for path in paths)) if paths else "",
        remediation=text.clip(remediation),
        references=(row["url"],) if row["url"].startswith(("http://", "https://")) else (),
        tags=tuple(
            f"{tag}:{row[key].lower()}"
            for key, tag in (("source", "source"), ("origin", "origin"))
            if row[key]
        ),
        fingerprint=grouping.fingerprint(
            TOOL, row["origin_id"] or f"{name}@{version or ''}", vulnerability_id, row["source"]
        ),
    )


PARSER = BlackduckParser()
