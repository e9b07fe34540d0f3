"""Clair JSON, as its command-line clients write it.

Variants, told apart by the start of the document:

* clair-scanner (``clair-scanner --report``): an object with ``image``,
  ``unapproved`` and a ``vulnerabilities`` array of flat records
  (``featurename``, ``featureversion``, ``vulnerability``, ``namespace``,
  ``severity``, ``fixedby``, ``link``);
* klar (``FORMAT_OUTPUT=json klar <image>``): an object with ``LayerCount`` whose
  ``Vulnerabilities`` object holds one array per severity (``High``: [...]), each
  record in Clair v2's API shape (``Name``, ``FeatureName``, ``FeatureVersion``,
  ``FixedBy``, ``Link``, ``NamespaceName``, ``Metadata``);
* Clair v4 (``clairctl report --out json <image>...``): the VulnerabilityReport of
  Clair v4's API, an object whose maps are keyed by id — ``packages``,
  ``distributions``, ``environments`` (per package: where it was found, with its
  ``distribution_id``), ``vulnerabilities`` and ``package_vulnerabilities``
  (package id: [vulnerability id, ...]) — after its ``manifest_hash``. clairctl
  prints one such object per image, one after another (``null`` for an image it
  could not report on, which is skipped): every object is read.

One finding per record: a vulnerability of one feature (an OS package); in Clair
v4, per package and vulnerability id of ``package_vulnerabilities``. A v4 report
is streamed, one image at a time, but its pairs name packages and vulnerabilities
by id, so the image's ``packages``, ``distributions``, ``vulnerabilities`` and each
package's distribution id are held in memory (bounded by the image; the
``repository`` and ``enrichments`` maps are parsed past, never built). clairctl writes the
maps before ``package_vulnerabilities``, whose pairs then become findings as they
are read; pairs read before the maps (a report whose keys were sorted) wait for
the end of their image. A pair naming a package or vulnerability the report does
not list is refused. Positions in the second and later reports of clairctl's
output start with the report's zero-based place: ``[1].package_vulnerabilities[7]``.

Severity: Clair's words; ``Negligible`` and ``Unknown`` become info, ``Defcon1``
critical. A klar record without its own severity takes its array's; a v4
vulnerability's ``normalized_severity``, else its source's ``severity`` word.

Fingerprint: the vulnerability id, the feature's name and its namespace (the
distribution release) — not the feature's version, which changes while the
vulnerability stays open, nor the image (clair-scanner's ``image``, the finding's
component), whose tag changes on every build. In Clair v4 the vulnerability's
``name`` stands for the id (its ``id`` is a row of Clair's database, renumbered as
its updaters run) and the release is the distribution's ``did:version_id``
(``debian:11``, as clair-scanner's namespaces read), not its pretty name, whose
point release changes when the base image is updated; nor the ``manifest_hash``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, BinaryIO
from urllib.parse import parse_qs

import ijson

from bastion.contracts.finding import FindingLocation, NormalizedFinding, Severity
from bastion.parsers import grouping, readers, text, values
from bastion.parsers.base import ReportParser
from bastion.parsers.exceptions import MalformedReport

TOOL = "clair"
KLAR_PATTERN = re.compile(r'^\{\s*"LayerCount"\s*:')
# clairctl writes a VulnerabilityReport's manifest_hash first; so does an IndexReport, whose
# "state" follows it and which has no vulnerabilities.
V4_PATTERN = re.compile(r'^\{\s*"manifest_hash"\s*:')
INDEX_REPORT_STATE = re.compile(r'^\{\s*"manifest_hash"\s*:\s*"[^"]*"\s*,\s*"state"\s*:')
CLAIR_WORDS = {"defcon1": Severity.CRITICAL}
# The maps of a v4 report a finding needs, held per image; the others are skipped unread.
V4_MAPS = ("packages", "distributions", "environments", "vulnerabilities", "package_vulnerabilities")
_OPEN = frozenset({"start_map", "start_array"})
_CLOSE = frozenset({"end_map", "end_array"})


class ClairParser(ReportParser):
    """Clair's JSON report from clair-scanner, klar or Clair v4's clairctl."""

    name = "clair"
    label = "Clair JSON"
    defectdojo_scan_types = ("Clair Scan",)

    def detect(self, head: bytes) -> int:
        text = readers.head_text(head)
        if not text.startswith("{"):
            return 0
        if KLAR_PATTERN.match(text) and '"Vulnerabilities"' in text:
            return 90
        if '"vulnerabilities"' in text and ('"featurename"' in text or '"unapproved"' in text):
            return 90
        if _is_v4(text):
            return 90
        return 0

    def parse(self, stream: BinaryIO) -> Iterator[NormalizedFinding]:
        head, source = readers.peek(stream)
        if _is_v4(readers.head_text(head)):
            yield from _parse_v4(source)
            return
        if KLAR_PATTERN.match(readers.head_text(head)):
            reader = readers.JsonReader(
                source, ["Vulnerabilities.*"], expect={"Vulnerabilities": "object"}, required=()
            )
            for record in reader:
                group = str(record.key or "")
                for index, entry in enumerate(readers.expect_list(record.value, record.position)):
                    where = f"{record.position}[{index}]"
                    yield _klar(readers.expect_mapping(entry, where), group, where)
            if "Vulnerabilities" not in reader.seen:
                raise readers.not_a_report("Vulnerabilities")
            return
        reader = readers.JsonReader(
            source, ["vulnerabilities.item"], context=["image"], required=["vulnerabilities"]
        )
        for record in reader:
            image = values.text(record.context.get("image"))
            yield _scanner(readers.expect_mapping(record.value, record.position), image, record.position)


def _is_v4(text: str) -> bool:
    """Tell a Clair v4 VulnerabilityReport from its head (the maps may pass the head's end)."""
    if '"manifest_hash"' in text and '"package_vulnerabilities"' in text:
        return True  # any key order
    if not V4_PATTERN.match(text) or INDEX_REPORT_STATE.match(text):
        return False
    return '"packages"' in text or '"vulnerabilities"' in text


@dataclass
class _V4Report:
    """What one image's VulnerabilityReport has given so far, by id."""

    place: str  # where its positions start: "" for the first report, "[1]." for the second...
    packages: dict[str, Mapping[str, Any]] = field(default_factory=dict)
    distributions: dict[str, Mapping[str, Any]] = field(default_factory=dict)
    package_distributions: dict[str, str] = field(default_factory=dict)
    vulnerabilities: dict[str, Mapping[str, Any]] = field(default_factory=dict)
    # Pairs read before the maps they need: (package id, vulnerability ids, position).
    pending: list[tuple[str, list[str], str]] = field(default_factory=list)
    maps_read: set[str] = field(default_factory=set)

    def is_ready(self) -> bool:
        """Tell whether every map a pair needs has been read, as clairctl writes them."""
        return {"packages", "distributions", "environments", "vulnerabilities"} <= self.maps_read

    def findings(
        self, package_id: str, vulnerability_ids: list[str], position: str
    ) -> Iterator[NormalizedFinding]:
        """Yield the findings of one package's vulnerabilities."""
        package = self.packages.get(package_id)
        if package is None:
            raise MalformedReport(
                f"package {package_id!r} is not among the report's packages", position=position
            )
        for vulnerability_id in vulnerability_ids:
            vulnerability = self.vulnerabilities.get(vulnerability_id)
            if vulnerability is None:
                raise MalformedReport(
                    f"vulnerability {vulnerability_id!r} is not among the report's vulnerabilities",
                    position=position,
                )
            yield _v4(package, vulnerability, self.distribution(package_id, vulnerability), position)

    def distribution(self, package_id: str, vulnerability: Mapping[str, Any]) -> Mapping[str, Any]:
        """Return where the package was found: its environment's distribution, else the advisory's."""
        found = self.distributions.get(self.package_distributions.get(package_id, ""))
        if found is not None:
            return found
        own = readers.as_mapping(vulnerability.get("distribution"))
        if values.text(own.get("did")) or values.text(own.get("name")):
            return own
        if len(self.distributions) == 1:
            return next(iter(self.distributions.values()))
        return {}


class _V4Reader:
    """Follow clairctl's output event by event, keep each image's maps and yield its findings."""

    def __init__(self) -> None:
        self.count = 0  # top-level values read
        self.where = "top level"
        self._report: _V4Report | None = None
        self._entry: tuple[str, str] | None = None  # (map, key) of the entry being read
        self._builder: Any = None
        self._depth = 0

    def feed(self, prefix: str, event: str, value: Any) -> Iterator[NormalizedFinding]:
        """Take ijson's next event; yield the findings it completes."""
        if self._builder is not None:
            self._builder.event(event, value)
            self._depth += 1 if event in _OPEN else -1 if event in _CLOSE else 0
            if self._depth == 0:
                built, self._builder = self._builder.value, None
                yield from self._take(built)
            return
        if prefix == "":
            yield from self._top(event, value)
            return
        report = self._report
        if report is None:
            return
        if prefix in V4_MAPS:  # the map itself, or one of its keys
            if event == "map_key":
                self._entry = (prefix, str(value))
                self.where = f"{report.place}{prefix}[{value}]"
            elif event in ("end_map", "null"):
                report.maps_read.add(prefix)
            elif event != "start_map":
                raise MalformedReport(
                    f"expected an object, found {_kind(event, value)}", position=f"{report.place}{prefix}"
                )
            return
        if self._entry is not None and prefix == ".".join(self._entry):
            if event in _OPEN:
                self._builder = ijson.ObjectBuilder()
                self._builder.event(event, value)
                self._depth = 1
            else:
                yield from self._take(value)

    def _top(self, event: str, value: Any) -> Iterator[NormalizedFinding]:
        place = f"[{self.count}]" if self.count else "top level"
        if event == "start_map":
            self._report = _V4Report(place=f"[{self.count}]." if self.count else "")
            self.where = place
        elif event == "end_map" and self._report is not None:
            report, self._report = self._report, None
            self.count += 1
            self.where = f"[{self.count}]"  # what follows is the next report
            if "package_vulnerabilities" not in report.maps_read:
                raise MalformedReport(
                    "the report has no 'package_vulnerabilities'; it may be another tool's report",
                    position=place,
                )
            for package_id, vulnerability_ids, position in report.pending:
                yield from report.findings(package_id, vulnerability_ids, position)
        elif event == "null":  # an image clairctl could not report on
            self.count += 1
            self.where = f"[{self.count}]"
        elif event != "map_key":
            raise MalformedReport(f"expected an object, found {_kind(event, value)}", position=place)

    def _take(self, value: Any) -> Iterator[NormalizedFinding]:
        """File a map's entry, just read; a pair becomes findings once the maps are read."""
        report, entry, position = self._report, self._entry, self.where
        self._entry = None
        if report is None or entry is None:
            return
        name, key = entry
        if name == "package_vulnerabilities":
            ids = [_v4_id(item, position) for item in readers.expect_list(value, position)]
            if report.is_ready():
                yield from report.findings(key, ids, position)
            else:
                report.pending.append((key, ids, position))
        elif name == "environments":
            for environment in readers.expect_list(value, position):
                distribution_id = values.text(readers.as_mapping(environment).get("distribution_id"))
                if distribution_id:
                    report.package_distributions[key] = distribution_id
                    break
        elif name == "packages":
            report.packages[key] = readers.expect_mapping(value, position)
        elif name == "distributions":
            report.distributions[key] = readers.expect_mapping(value, position)
        else:
            report.vulnerabilities[key] = readers.expect_mapping(value, position)


def _parse_v4(stream: BinaryIO) -> Iterator[NormalizedFinding]:
    """Yield the findings of each VulnerabilityReport of clairctl's output, one image at a time."""
    first, source = readers.first_byte(stream)
    if not first:
        raise MalformedReport(readers.EMPTY_REPORT)
    reader = _V4Reader()
    with readers.depth_checked(source) as checked:
        events = ijson.parse(checked, use_float=True, multiple_values=True)
        while True:
            try:  # only the reading: a finding's own ValueError is not bad JSON
                prefix, event, value = next(events)
            except StopIteration:
                break
            except (ijson.JSONError, ValueError) as error:
                raw = error.args[0] if error.args else error
                message = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)
                detail = message.strip().splitlines()[0] if message.strip() else type(error).__name__
                raise MalformedReport(f"invalid JSON: {detail}", position=reader.where) from error
            yield from reader.feed(prefix, event, value)


def _kind(event: str, value: Any) -> str:
    """Name the type of the JSON value an ijson event starts, as expect_* name them."""
    return {"start_map": "dict", "start_array": "list"}.get(event, type(value).__name__)


def _v4_id(value: Any, position: str) -> str:
    """Return a vulnerability id of package_vulnerabilities (a string; a number in older Clair)."""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise MalformedReport(f"a vulnerability id is a {type(value).__name__}", position=position)
    return str(value)


def _v4(
    package: Mapping[str, Any],
    vulnerability: Mapping[str, Any],
    distribution: Mapping[str, Any],
    position: str,
) -> NormalizedFinding:
    """Build a finding from a Clair v4 package and one of its vulnerabilities."""
    links = (values.text(vulnerability.get("links")) or "").split()
    return _finding(
        image=values.text(distribution.get("pretty_name")) or _release(distribution),
        vulnerability_id=vulnerability.get("name") or vulnerability.get("id"),
        feature=package.get("name"),
        version=package.get("version"),
        fixed=_fixed_version(values.text(vulnerability.get("fixed_in_version"))),
        namespace=_release(distribution),
        severity=vulnerability.get("normalized_severity") or vulnerability.get("severity"),
        description=vulnerability.get("description"),
        links=tuple(links),
        advisory_sources=tuple(links),
        metadata=None,
        position=position,
    )


def _release(distribution: Mapping[str, Any]) -> str | None:
    """Return a distribution's release as clair-scanner names namespaces: ``debian:11``."""
    name = values.text(distribution.get("did")) or (values.text(distribution.get("name")) or "").lower()
    version = values.text(distribution.get("version_id"))
    if name and version:
        return f"{name}:{version}"
    return name or values.text(distribution.get("pretty_name"))


def _fixed_version(value: str | None) -> str | None:
    """Return the fixed version; Clair's OSV-based updaters write it as ``fixed=1.2.3&...``."""
    if value and "fixed=" in value:
        return parse_qs(value).get("fixed", [None])[0]
    return value


def _scanner(record: Mapping[str, Any], image: str | None, position: str) -> NormalizedFinding:
    """Build a finding from a clair-scanner record."""
    return _finding(
        image=image,
        vulnerability_id=record.get("vulnerability"),
        feature=record.get("featurename"),
        version=record.get("featureversion"),
        fixed=record.get("fixedby"),
        namespace=record.get("namespace"),
        severity=record.get("severity"),
        description=record.get("description"),
        links=tuple(filter(None, [values.text(record.get("link"))])),
        metadata=None,
        position=position,
    )


def _klar(record: Mapping[str, Any], group: str, position: str) -> NormalizedFinding:
    """Build a finding from a klar record (Clair v2's API shape)."""
    return _finding(
        image=None,
        vulnerability_id=record.get("Name"),
        feature=record.get("FeatureName"),
        version=record.get("FeatureVersion"),
        fixed=record.get("FixedBy"),
        namespace=record.get("NamespaceName"),
        severity=record.get("Severity") or group,
        description=record.get("Description"),
        links=tuple(filter(None, [values.text(record.get("Link"))])),
        metadata=readers.as_mapping(record.get("Metadata")),
        position=position,
    )


def _finding(
    *,
    image: str | None,
    vulnerability_id: object,
    feature: object,
    version: object,
    fixed: object,
    namespace: object,
    severity: object,
    description: object,
    links: tuple[str, ...],
    metadata: Mapping[str, Any] | None,
    position: str,
    advisory_sources: tuple[str, ...] = (),
) -> NormalizedFinding:
    identifier = values.text(vulnerability_id)
    if not identifier:
        raise MalformedReport("a vulnerability has no id", position=position)
    package = values.text(feature)
    installed = values.text(version)
    fixed_version = values.text(fixed)
    release = values.text(namespace)
    v3_vector, v3_score = _metadata_cvss(metadata or {})
    word = str(severity or "").strip().lower()
    return NormalizedFinding(
        title=text.title(f"{identifier} - ({package}, {installed})" if package else identifier),
        severity=CLAIR_WORDS.get(word) or values.severity_from_word(word),
        tool=TOOL,
        rule_id=identifier,
        description=text.clip(description),
        advisory_ids=values.advisory_ids([identifier, *advisory_sources]),
        cvss_v3_vector=v3_vector,
        cvss_v3_score=v3_score,
        location=FindingLocation(
            package=package,
            package_version=installed,
            fixed_version=fixed_version,
            component=image or release,
        ),
        remediation=f"Upgrade {package or 'the package'} to {fixed_version}." if fixed_version else "",
        references=links,
        tags=tuple(filter(None, [f"namespace:{release}" if release else ""])),
        fingerprint=grouping.fingerprint(TOOL, identifier, package, release),
    )


def _metadata_cvss(metadata: Mapping[str, Any]) -> tuple[str | None, float | None]:
    """Return the CVSS v3 vector and score Clair's NVD metadata gives, if any."""
    nvd = readers.as_mapping(metadata.get("NVD"))
    cvss = readers.as_mapping(nvd.get("CVSSv3"))
    vector = values.text(cvss.get("Vectors"))
    if vector and not vector.startswith("CVSS:"):
        vector = f"CVSS:3.0/{vector}"
    return values.cvss3(vector)


PARSER = ClairParser()
