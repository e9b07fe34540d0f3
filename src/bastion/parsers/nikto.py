"""Nikto reports: XML (``-Format xml``) and JSON (``-Format json``, one host or a list).

Nikto reports one line per request that tripped a check, so the same check with
the same message shows up for many URLs (every backup file name it guessed, say).
A finding is one check and message on one target, located at the target (and at
the URL when there is only one); its requests are listed in the evidence and
``instances:N`` counts them. Nikto gives no severity: every finding is info.

Fingerprint: target host and port, Nikto's check id and its message with digits
and whitespace folded (the same key that groups the lines), and, when the line
names them, its OSVDB id and the CVE ids in its message. Not the URLs, which vary
with Nikto's guesses, nor the other numbers some messages embed (header values,
status codes, counters). Folding digits alone once merged lines that only an
advisory number told apart (one check id reporting ``OSVDB-3092`` and
``OSVDB-3268``, or two CVEs, with the same words): the advisory ids stay in the key.

Every line is kept: a line with no URL, method, OSVDB id or references is a
finding all the same; only a line with neither a check id nor a message is damage.
Reports of several targets (XML: several ``scandetails``, in one ``niktoscan`` or
in several, under a ``niktoscans`` root too; JSON: an array of hosts) keep each
target's findings apart.

The XML report names an external DTD (``docs/nikto.dtd``); it is never read: the
DOCTYPE is dropped (``readers.iter_xml(drop_doctype=True)``). Both shapes are
streamed; a target's findings come out when its last result has been read.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, BinaryIO, Literal
from xml.etree.ElementTree import Element

from bastion.contracts.finding import FindingLocation, NormalizedFinding, Severity
from bastion.parsers import grouping, readers, text, values
from bastion.parsers.base import ReportParser
from bastion.parsers.exceptions import MalformedReport

# The most URLs listed for one finding; later ones are only counted.
URL_LIMIT = 1000

_DIGITS = re.compile(r"\d+")
_XML_VERSION = re.compile(r"<niktoscan\s[^>]*\bversion=\"([^\"]*)\"")


@dataclass(frozen=True)
class _Target:
    host: str
    ip: str
    port: int | None
    banner: str
    protocol: str | None = None


@dataclass(slots=True)  # one per finding of a target, all kept until its last result (see _groups)
class _Group:
    """One check and message on one target, and the requests that tripped it."""

    check_id: str
    message: str
    osvdb_id: str
    references: list[str]
    requests: list[str] = field(default_factory=list)
    path: str | None = None  # the URL of its requests, while they all have the same
    has_paths: bool = False  # whether its requests name more than one URL
    count: int = 0

    @classmethod
    def revived(cls, data: dict[str, Any]) -> _Group:
        """Rebuild a group that waited on disk."""
        return cls(**data)

    def footprint(self) -> int:
        """About how many bytes the group takes in memory."""
        return 1000 + len(self.message) + 120 * len(self.requests)  # requests: a method and a path


def _groups() -> grouping.GroupStore[_Group]:
    """A target's groups: as objects up to a budget, then on disk, so that memory stays level."""
    return grouping.GroupStore(_Group.revived, _Group.footprint)


class NiktoParser(ReportParser):
    """Nikto's XML and JSON reports."""

    name = "nikto"
    label = "Nikto XML/JSON"
    defectdojo_scan_types = ("Nikto Scan",)

    def detect(self, head: bytes) -> int:
        text = readers.head_text(head)
        if text.startswith("<") and ("<niktoscan" in text or "<!DOCTYPE niktoscan" in text):
            return 95
        if text.startswith(("{", "[")) and '"vulnerabilities"' in text:
            # A line may lack its method or URL; the host's fields and a message are always there.
            has_host = '"host"' in text and ('"banner"' in text or '"ip"' in text)
            return 85 if has_host and '"msg"' in text else 0
        return 0

    def parse(self, stream: BinaryIO) -> Iterator[NormalizedFinding]:
        head, source = readers.peek(stream)
        text = readers.head_text(head)
        if text.startswith(("[", "{")):
            yield from _parse_json(source, is_one_host=text.startswith("{"))
        else:
            version = _XML_VERSION.search(text)
            yield from _parse_xml(source, version.group(1) if version else None)


# A host of the JSON report: its fields, and the shapes they must have.
_HOST_FIELDS = ("host", "ip", "port", "banner")
_JSON_SHAPE: Mapping[str, Literal["object", "array"]] = {
    "vulnerabilities": "array",
    "item": "object",
    "item.vulnerabilities": "array",
}


def _parse_json(source: BinaryIO, *, is_one_host: bool) -> Iterator[NormalizedFinding]:
    """Yield each host's findings, one host (one object, or an array of them) at a time.

    Nikto's JSON states neither Nikto's version nor anything after the results.
    """
    if is_one_host:  # one array of records, its host's fields beside it: the reader's quickest case
        reader = readers.JsonReader(
            source,
            ["vulnerabilities.item"],
            context=_HOST_FIELDS,
            expect={"vulnerabilities": "array"},
            required=["vulnerabilities"],
        )
    else:
        reader = readers.JsonReader(
            source,
            ["item.vulnerabilities.item"],
            context=[f"item.{field}" for field in _HOST_FIELDS],
            expect={key: shape for key, shape in _JSON_SHAPE.items() if key.startswith("item")},
            required=["item.vulnerabilities"],
        )
    groups = _groups()
    host: tuple[tuple[int, ...], _Target] | None = None
    for record in reader:
        if host is None or host[0] != record.indexes[:-1]:
            if host is not None:
                yield from (_finding(group, host[1], None) for group in groups.values())
            groups = _groups()
            if not record.context.get("host") and not record.context.get("ip"):
                raise MalformedReport(
                    "a host's results come without its host or ip; it may be another tool's report",
                    position=record.position,
                )
            host = (record.indexes[:-1], _json_target(record.context))
        vulnerability = record.value
        if type(vulnerability) is not dict:
            vulnerability = readers.expect_mapping(vulnerability, record.position)
        get = vulnerability.get
        references = get("references")
        if isinstance(references, list):
            references = " ".join(map(str, references))
        _add(
            groups,
            check_id=str(get("id") or ""),
            message=str(get("msg") or ""),
            osvdb_id=str(get("OSVDB") or ""),
            method=str(get("method") or ""),
            path=str(get("url") or ""),
            references=text.urls(str(references)) if references else [],
            position=record.position,
        )
    if host is not None:
        yield from (_finding(group, host[1], None) for group in groups.values())


def _json_target(fields: Mapping[str, Any]) -> _Target:
    port = values.as_int(fields.get("port"))
    return _Target(
        host=str(fields.get("host") or ""),
        ip=str(fields.get("ip") or ""),
        port=port if port is not None and 0 <= port <= 65535 else None,
        banner=str(fields.get("banner") or ""),
    )


def _parse_xml(source: BinaryIO, tool_version: str | None) -> Iterator[NormalizedFinding]:
    groups = _groups()
    target_index = item_index = 0
    for element in readers.iter_xml(
        source, ("item", "scandetails"), roots=("niktoscan", "niktoscans"), drop_doctype=True
    ):
        if readers.local_name(element.tag) == "item":
            _add_xml_item(groups, element, f"scandetails[{target_index}].item[{item_index}]")
            item_index += 1
            continue
        # A scandetails element ends after its items: only now is the target known.
        port = values.as_int(element.get("targetport"))
        target = _Target(
            host=element.get("targethostname") or element.get("targetip") or "",
            ip=element.get("targetip") or "",
            port=port if port is not None and 0 <= port <= 65535 else None,
            banner=element.get("targetbanner") or "",
            protocol=_scheme(element.get("sitename") or ""),
        )
        for group in groups.values():
            yield _finding(group, target, tool_version)
        groups = _groups()
        target_index, item_index = target_index + 1, 0
    if item_index:  # items after the last scandetails
        raise MalformedReport("an item is outside any scandetails", position=f"scandetails[{target_index}]")


def _add_xml_item(groups: grouping.GroupStore[_Group], item: Element, position: str) -> None:
    _add(
        groups,
        check_id=item.get("id") or "",
        message=readers.child_text(item, "description"),
        osvdb_id=item.get("osvdbid") or "",
        method=item.get("method") or "",
        path=readers.child_text(item, "uri"),
        references=text.urls(readers.child_text(item, "references"))
        + text.urls(readers.child_text(item, "osvdblink")),
        position=position,
    )


def _add(
    groups: grouping.GroupStore[_Group],
    *,
    check_id: str,
    message: str,
    osvdb_id: str,
    method: str,
    path: str,
    references: list[str],
    position: str,
) -> None:
    if not check_id and not message:
        raise MalformedReport("a Nikto result needs an id or a message", position=position)
    osvdb = osvdb_id.strip() if osvdb_id.strip() not in ("", "0") else ""
    check = check_id.strip()
    folded, advisories, plain, message_urls = _message(message)
    key = (check, folded, osvdb, advisories)
    group = groups.get(key)
    if group is None:
        group = _Group(
            check_id=check,
            message=plain,
            osvdb_id=osvdb,
            references=list(dict.fromkeys([*references, *message_urls])),
            path=path,
        )
    elif not group.has_paths and path != group.path:
        group.has_paths = True
    group.count += 1
    if len(group.requests) < URL_LIMIT:
        group.requests.append(f"{method} {path}" if method and path else method or path)
    groups.put(key, group)


def _message(message: str) -> tuple[str, tuple[str, ...], str, tuple[str, ...]]:
    """Return a message folded for grouping, its advisory ids, its words and its URLs."""
    if len(message) <= _CACHED_MESSAGE:
        return _cached_message(message)
    return _message_parts(message)


def _message_parts(message: str) -> tuple[str, tuple[str, ...], str, tuple[str, ...]]:
    return (
        _folded(message),
        values.advisory_ids([message]),
        " ".join(message.split()),
        tuple(text.urls(message)),
    )


# Nikto repeats a message for every URL a check tripped on: each is read once.
_CACHED_MESSAGE = 4096
_cached_message = functools.lru_cache(maxsize=4096)(_message_parts)


def _scheme(url: str) -> str | None:
    scheme, separator, _rest = url.partition("://")
    return scheme.lower() if separator and scheme.isalpha() else None


def _folded(message: str) -> str:
    """Fold a message for grouping: numbers, case and whitespace do not count."""
    return " ".join(_DIGITS.sub("#", message).lower().split())


def _finding(group: _Group, target: _Target, tool_version: str | None) -> NormalizedFinding:
    requests = "\n".join(f"- {request}" for request in group.requests)
    if group.count > len(group.requests):
        requests += f"\n- … and {group.count - len(group.requests)} more"
    server = target.host + (f" ({target.ip})" if target.ip and target.ip != target.host else "")
    description = "\n\n".join(
        filter(
            None,
            (
                group.message,
                f"Target: {server}" + (f" port {target.port}" if target.port is not None else ""),
                f"Server banner: {target.banner}" if target.banner else "",
                f"Requests:\n{requests}" if requests else "",
            ),
        )
    )
    return NormalizedFinding(
        title=text.title(group.message, fallback=f"Nikto check {group.check_id}"),
        severity=Severity.INFO,
        tool="nikto",
        tool_version=tool_version,
        rule_id=text.clip(group.check_id, 500) or None,
        advisory_ids=values.advisory_ids([group.message]),
        description=text.clip(description),
        location=FindingLocation(
            url=None if group.has_paths else group.path or None,
            host=target.host or target.ip or None,
            port=target.port,
            protocol=target.protocol,
        ),
        evidence=text.clip(requests),
        references=tuple(group.references),
        tags=(
            *((f"osvdb:{group.osvdb_id}",) if group.osvdb_id else ()),
            f"instances:{group.count}",
        ),
        fingerprint=grouping.fingerprint(
            "nikto",
            target.host,
            target.port,
            group.check_id,
            _folded(group.message),
            # Only when present, so that lines without them keep their fingerprints.
            *filter(None, [group.osvdb_id, " ".join(values.advisory_ids([group.message]))]),
        ),
    )


PARSER = NiktoParser()
