"""Parse rate and peak memory of every report parser, on its real sample grown to 10,000+ findings.

    .venv/bin/python bench/parsers.py [--findings 10000] [--factor 4] [--max-mb 160] [--max-first-mb 256]
        [--only trivy mend ...] [--json]

For each parser with samples in tests/fixtures/scans/<name>/: takes its largest sample
that has findings, and grows it by repeating its records with fresh identifiers (JSON
array items or the entries of an object keyed by id, XML elements, CSV rows, JSON
Lines lines and other streams of JSON values, blocks of ``Field: value`` lines), so
that the repeats are new findings rather than duplicates a grouping parser would fold
together, as a larger report of the tool would hold more hosts, issues and packages.
An id is a value under a name ``ID_NAME`` matches; a URL or host name gets a fresh
host, an address a fresh address, and the same value elsewhere in the copied records
(a finding naming its advisory, a test naming its definition) is renamed alike. The
records of a JSON stream are the messages of the kinds that recur (a stream's lone
header is kept once); the sets of sibling XML elements at one depth (hosts and the
vulnerability definitions they name) are also tried together. A JSON document after a
JavaScript assignment (``name = {...}``) grows as JSON; an archive by the member the
parser reads. Which records to repeat is found by trying each array (set of sibling
elements) of the sample on a small copy and keeping the one that multiplies the
findings most. The grown report is parsed in a child process (``python -I``) at two
sizes, ``--findings`` (fewer when that report would pass ``--max-first-mb``, as
SSLyze's at 70 KB a finding would) and ``--factor`` times that (at most ``--max-mb``,
and at least twice the first): findings per second of wall time and of the child's
CPU time, and the peak memory the parse adds (the child's VmHWM over its level after imports, and
tracemalloc's peak of Python allocations in a second pass). Memory that stays level
from the first size to the second is what streaming promises. Needs no server.
"""

from __future__ import annotations

import argparse
import copy
import csv
import io
import ipaddress
import itertools
import json
import math
import re
import subprocess
import sys
import tempfile
import zipfile
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import defusedxml.ElementTree as SafeElementTree
import orjson

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from bastion.parsers import ParserError, all_parsers, parse_report  # noqa: E402

SCANS = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "scans"
# Keys (JSON), attributes and element names (XML), columns (CSV) and fields (text) whose values are ids.
ID_NAME = re.compile(
    r"(?:^|[^a-z])?(?:id|uuid|guid|name|title|key|fingerprint|hash|path|file|filename|url|uri|"
    r"rule|ruleid|check|checkid|cve|plugin|pluginid|template|templateid|qid|issueid|vulnid|"
    r"host|hostname|ip|address|origin)$",
    re.IGNORECASE,
)
# An id that may stand elsewhere in the same records as a reference: one word with a digit or
# punctuation in it, not a bare number (``GO-2022-0969``, ``github.com/gin-gonic/gin``, not ``High``).
REFERENCE = re.compile(r"(?=\S*[\d./:_-])(?!\d+$)\S{6,}")
URL = re.compile(r"([a-z][a-z0-9+.-]*://(?:[^/?#@]*@)?)(\[[^\]]+\]|[^/:?#]+)(.*)", re.IGNORECASE | re.DOTALL)
HOST_NAME = re.compile(r"([a-z][a-z0-9-]*)((?:\.[a-z0-9-]+)+)", re.IGNORECASE)
# A JavaScript file that assigns one JSON document (Scout Suite's results): grown as the JSON.
ASSIGNMENT = re.compile(rb"\A\s*(?:(?:var|let|const)\s+)?[A-Za-z_$][\w$.]*\s*=\s*")
# A line of a block of fields (``Name: rack``), as text tools print one record a block.
FIELD = re.compile(r"([A-Za-z][\w .()/-]{0,60}?):(?:\s+(.*))?")
MAX_CANDIDATES = 10
TRIAL_COPIES = 3
CHILD_TIMEOUT = 900
MISSING = object()
# Stands where the copies of records are written into a report's text.
COPIES = "bench-copies-"

# The child: parse a report named as a format, once timed, once under tracemalloc.
CHILD = """
import sys, time, tracemalloc
from bastion.parsers import all_parsers, parse_report
name, path = sys.argv[1], sys.argv[2]
def high_water():
    # VmHWM belongs to this program's memory map; ru_maxrss would carry the parent's over exec.
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) * 1024 for line in status if line.startswith("VmHWM:"))
def run():
    count = 0
    with open(path, "rb") as stream:
        for _ in parse_report(stream, format_name=name)[1]:
            count += 1
    return count
all_parsers()
base = high_water()
start, cpu_start = time.perf_counter(), time.process_time()
count = run()
seconds, cpu_seconds = time.perf_counter() - start, time.process_time() - cpu_start
rss = high_water() - base
tracemalloc.start()
run()
traced = tracemalloc.get_traced_memory()[1]
tracemalloc.stop()
print(count, seconds, cpu_seconds, rss, traced)
"""


@dataclass
class Grower:
    """How to grow one sample: the copies of its records, written as a report."""

    kind: str
    build: Callable[[int], bytes]
    where: str
    depth: int = 0


@dataclass
class Measure:
    findings: int
    seconds: float
    cpu_seconds: float
    rss_bytes: int
    traced_bytes: int
    size_bytes: int


def count_findings(name: str, data: bytes) -> int:
    """Return how many findings the parser reads in ``data``; -1 if it refuses it."""
    try:
        return sum(1 for _ in parse_report(io.BytesIO(data), format_name=name)[1])
    except ParserError:
        return -1


def fresh_host(host: str, copy_number: int) -> str:
    """Return another host: the next addresses for an IP, a first label of its own for a name."""
    try:
        address = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        named = HOST_NAME.fullmatch(host)
        return f"{named[1]}-b{copy_number}{named[2]}" if named else f"{host}-b{copy_number}"
    moved = ipaddress.ip_address((int(address) + (copy_number << 8)) % 2**address.max_prefixlen)
    return f"[{moved}]" if host.startswith("[") else str(moved)


def is_address(value: str) -> bool:
    """Return whether ``value`` is an IPv4 or IPv6 address."""
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True


def fresh_value(value: str, copy_number: int) -> str:
    """Return an id made new for a copy: a URL on another host, a host another one, else suffixed."""
    url = URL.fullmatch(value)
    if url:
        return f"{url[1]}{fresh_host(url[2], copy_number)}{url[3]}"
    if HOST_NAME.fullmatch(value) or is_address(value):
        return fresh_host(value, copy_number)
    return f"{value}-b{copy_number}"


def fresh_text(name: str, value: str, copy_number: int, known: frozenset[str] = frozenset()) -> str:
    """Return an id made new for a copy (digits stay a number, ports are left alone), else ``value``.

    ``known`` are the ids of the copied records: where one stands under another name it
    is a reference to that record, renamed alike.
    """
    if not value or not (ID_NAME.search(name) or value in known):
        return value
    if value.strip().isdigit():
        return value if "port" in name.lower() else str(int(value) + copy_number * 10_000_000)
    return fresh_value(value, copy_number)


def fresh(value: Any, copy_number: int, key: str = "", known: frozenset[str] = frozenset()) -> Any:
    """Return a JSON value with the ids in it made new for copy ``copy_number`` (0 keeps them)."""
    if copy_number == 0:
        return value
    if isinstance(value, dict):
        return {entry: fresh(item, copy_number, entry, known) for entry, item in value.items()}
    if isinstance(value, list):
        return [fresh(item, copy_number, key, known) for item in value]
    if isinstance(value, str):
        return fresh_text(key, value, copy_number, known)
    if isinstance(value, int) and not isinstance(value, bool) and ID_NAME.search(key):
        return int(fresh_text(key, str(value), copy_number)) if value >= 0 else value
    return value


def json_ids(value: Any, key: str = "") -> set[str]:
    """Return the ids in a JSON value that other records may refer to (see ``REFERENCE``)."""
    if isinstance(value, dict):
        return set().union(*(json_ids(item, entry) for entry, item in value.items()))
    if isinstance(value, list):
        return set().union(*(json_ids(item, key) for item in value))
    if isinstance(value, str) and ID_NAME.search(key) and REFERENCE.fullmatch(value):
        return {value}
    return set()


def load_json(data: bytes) -> Any:
    """Return the JSON document ``data`` holds, or ``MISSING``; numbers orjson refuses are read too."""
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError:
        pass
    try:
        return json.loads(data)
    except (ValueError, RecursionError):
        return MISSING


def dump_json(value: Any, indent: bool = False) -> bytes:
    """Return ``value`` as JSON; integers past 64 bits (an RSA modulus) go through the json module."""
    try:
        return orjson.dumps(value, option=orjson.OPT_INDENT_2 if indent else 0)
    except TypeError:
        return json.dumps(value, indent=2 if indent else None).encode()


def json_sequence(data: bytes) -> list[Any]:
    """Return the JSON objects or arrays of a stream of them (JSON Lines, or one after another)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return []
    decoder = json.JSONDecoder()
    found: list[Any] = []
    position = 0
    while True:
        while position < len(text) and text[position].isspace():
            position += 1
        if position == len(text):
            return found if all(isinstance(item, dict | list) for item in found) else []
        try:
            item, position = decoder.raw_decode(text, position)
        except (ValueError, RecursionError):
            return []
        found.append(item)


def json_containers(document: Any) -> list[tuple[tuple[Any, ...], str]]:
    """Return the paths of arrays of objects, and of objects whose values are all objects.

    Of the arrays that stand at the same place in sibling records (``libraries[*].vulnerabilities``)
    only the largest is kept: one trial per place, on the instance with the most records.
    """
    largest: dict[tuple[Any, ...], tuple[int, tuple[Any, ...], str]] = {}

    def note(path: tuple[Any, ...], kind: str, value: Any) -> None:
        shape = tuple("*" if isinstance(step, int) else step for step in path)
        size = len(dump_json(value))
        if shape not in largest or size > largest[shape][0]:
            largest[shape] = (size, path, kind)

    def walk(value: Any, path: tuple[Any, ...], depth: int) -> None:
        if depth > 6:
            return
        if isinstance(value, list):
            if value and all(isinstance(item, dict | list) for item in value):
                note(path, "array", value)
            for index, item in enumerate(value):
                walk(item, (*path, index), depth + 1)
        elif isinstance(value, dict):
            if value and path and all(isinstance(item, dict) for item in value.values()):
                note(path, "object", value)
            for entry, item in value.items():
                walk(item, (*path, entry), depth + 1)

    walk(document, (), 0)
    return [(path, kind) for _size, path, kind in sorted(largest.values(), key=lambda entry: -entry[0])]


def recurring(items: list[Any]) -> list[bool]:
    """Return, for each item of a stream, whether it is a record: its kind (its set of keys) recurs.

    A stream of messages (govulncheck's ``config``, ``osv``, ``finding``) opens with a
    header a larger report still holds once; the records are the kinds that recur. A
    lone item sharing a key with them is a record too, with an optional key of its own.
    """
    kinds = [frozenset(item) if isinstance(item, dict) else frozenset() for item in items]
    counts = Counter(kinds)
    record_keys = frozenset().union(*(kind for kind in kinds if counts[kind] > 1))
    return [counts[kind] > 1 or bool(kind & record_keys) for kind in kinds]


def replaced(document: Any, path: tuple[Any, ...], value: Any) -> Any:
    """Return ``document`` with the value at ``path`` replaced, sharing everything else."""
    if not path:
        return value
    outer = copy.copy(document)
    outer[path[0]] = replaced(document[path[0]], path[1:], value)
    return outer


def json_grower(
    document: Any, path: tuple[Any, ...], kind: str, layout: str = "document", only_recurring: bool = False
) -> Grower:
    """Grow the array or object at ``path``; ``layout`` is how the report is written.

    ``document`` is one JSON document; ``lines`` and ``sequence`` a stream of values,
    one a line or one after another (indented). An array's copies are written one at
    a time into the text around it, so that a report of hundreds of MiB (SSLyze writes
    70 KB a finding) is held as bytes only.
    """
    target = document
    for step in path:
        target = target[step]

    def build(copies: int) -> bytes:
        if kind == "object":
            known = frozenset(json_ids(target))
            entries = {
                (entry if number == 0 else f"{entry}-b{number}"): fresh(item, number, known=known)
                for number in range(copies)
                for entry, item in target.items()
            }
            return dump_json(replaced(document, path, entries))
        repeats = recurring(target) if only_recurring else [True] * len(target)
        known = frozenset(json_ids([item for item, repeat in zip(target, repeats, strict=True) if repeat]))
        records = itertools.chain(
            target,
            (
                fresh(item, number, known=known)
                for number in range(1, copies)
                for item, repeat in zip(target, repeats, strict=True)
                if repeat
            ),
        )
        if layout != "document":
            return b"\n".join(dump_json(item, indent=layout == "sequence") for item in records) + b"\n"
        before, after = dump_json(replaced(document, path, [COPIES])).split(dump_json(COPIES), 1)
        return before + b",".join(dump_json(item) for item in records) + after

    label = {"document": "JSON", "lines": "JSON Lines", "sequence": "JSON stream"}[layout]
    where = ".".join(map(str, path)) or "top level"
    return Grower(label, build, f"{where} (recurring kinds)" if only_recurring else where, len(path))


def xml_groups(root: ElementTree.Element) -> Iterator[tuple[ElementTree.Element, str, int, int]]:
    """Yield (parent, child tag, serialized size, parent's depth) for each set of sibling elements.

    A lone element that holds a set of records (Fortify's ``<Vulnerabilities>``) is not one:
    a larger report has more records in it, not a second one of it.
    """

    def is_container(element: ElementTree.Element) -> bool:
        return any(count > 1 for count in Counter(child.tag for child in element if len(child)).values())

    def walk(parent: ElementTree.Element, depth: int) -> Iterator[tuple[ElementTree.Element, str, int, int]]:
        tags: dict[str, int] = {}
        counts = Counter(child.tag for child in parent)
        for child in parent:
            if (len(child) or child.attrib) and not (counts[child.tag] == 1 and is_container(child)):
                tags[child.tag] = tags.get(child.tag, 0) + len(ElementTree.tostring(child))
        for tag, size in tags.items():
            yield parent, tag, size, depth
        for child in parent:
            yield from walk(child, depth + 1)

    yield from walk(root, 0)


def element_ids(elements: list[ElementTree.Element]) -> frozenset[str]:
    """Return the ids in XML elements that other records may refer to (see ``REFERENCE``)."""
    found: set[str] = set()
    for element in elements:
        for node in element.iter():
            for name, value in node.attrib.items():
                if ID_NAME.search(name.rsplit("}", 1)[-1]) and REFERENCE.fullmatch(value):
                    found.add(value)
            tag = str(node.tag).rsplit("}", 1)[-1]
            content = (node.text or "").strip()
            if not len(node) and ID_NAME.search(tag) and REFERENCE.fullmatch(content):
                found.add(content)
    return frozenset(found)


def fresh_element(
    element: ElementTree.Element, copy_number: int, known: frozenset[str] = frozenset()
) -> ElementTree.Element:
    grown = copy.deepcopy(element)
    for node in grown.iter():
        for name, value in node.attrib.items():
            node.set(name, fresh_text(name.rsplit("}", 1)[-1], value, copy_number, known))
        tag = str(node.tag).rsplit("}", 1)[-1]
        if not len(node) and node.text and node.text.strip():
            node.text = fresh_text(tag, node.text.strip(), copy_number, known)
    return grown


def xml_grower(data: bytes, groups: list[tuple[list[int], str]]) -> Grower:
    """Grow sets of sibling elements, each ``(path to its parent, tag)``, by the same copies.

    Several sets grow together when their records refer to one another (Nexpose's hosts
    name the vulnerability definitions that follow them): the same id is renamed alike.
    """

    def build(copies: int) -> bytes:
        root = SafeElementTree.fromstring(data)
        parents = []
        for parent_path, tag in groups:
            parent = root
            for index in parent_path:
                parent = parent[index]
            parents.append((parent, [child for child in parent if child.tag == tag]))
        known = element_ids([child for _parent, originals in parents for child in originals])
        # Each set's copies are written one at a time where a placeholder stands after its originals.
        for number, (parent, originals) in enumerate(parents):
            parent.insert(list(parent).index(originals[-1]) + 1, ElementTree.Element(f"{COPIES}{number}"))
        text = ElementTree.tostring(root)
        for number, (_parent, originals) in enumerate(parents):
            before, after = text.split(f"<{COPIES}{number} />".encode(), 1)
            copied = b"".join(
                ElementTree.tostring(fresh_element(original, copy_number, known))
                for copy_number in range(1, copies)
                for original in originals
            )
            text = before + copied + after
        return b'<?xml version="1.0" encoding="UTF-8"?>\n' + text

    where = " + ".join(f"<{str(tag).rsplit('}', 1)[-1]}>" for _path, tag in groups)
    return Grower("XML", build, where, min(len(parent_path) for parent_path, _tag in groups))


def xml_candidates(data: bytes) -> Iterator[Grower]:
    """Yield each set of sibling elements, largest first; then the record sets of one depth together."""
    try:
        root = SafeElementTree.fromstring(data)
    except (ElementTree.ParseError, ValueError):
        return
    groups = sorted(xml_groups(root), key=lambda entry: -entry[2])
    for parent, tag, _size, _depth in groups[:MAX_CANDIDATES]:
        yield xml_grower(data, [(element_path(root, parent), tag)])
    # Records that name one another stand in sibling lists near the root: try those of one depth together.
    for depth in (1, 2):
        together = [
            (parent, tag)
            for parent, tag, _size, parent_depth in groups
            if parent_depth == depth and sum(1 for child in parent if child.tag == tag) > 1
        ]
        if 1 < len(together) <= MAX_CANDIDATES:
            yield xml_grower(data, [(element_path(root, parent), tag) for parent, tag in together])


def element_path(root: ElementTree.Element, target: ElementTree.Element) -> list[int]:
    """Return the child indexes from the root down to ``target``."""

    def walk(node: ElementTree.Element, path: list[int]) -> list[int] | None:
        if node is target:
            return path
        for index, child in enumerate(node):
            found = walk(child, [*path, index])
            if found is not None:
                return found
        return None

    return walk(root, []) or []


def csv_grower(data: bytes) -> Grower:
    text = data.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    header, body = rows[0], [row for row in rows[1:] if any(cell.strip() for cell in row)]
    id_columns = {index for index, column in enumerate(header) if ID_NAME.search(column.replace(" ", ""))}

    def build(copies: int) -> bytes:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(header)
        for number in range(copies):
            for row in body:
                writer.writerow(
                    [
                        fresh_text(header[index], cell, number) if number and index in id_columns else cell
                        for index, cell in enumerate(row)
                    ]
                )
        return out.getvalue().encode()

    return Grower("CSV", build, "rows")


def block_grower(data: bytes) -> Grower | None:
    """Grow a text report of blank-line separated blocks of ``Field: value`` lines (bundler-audit).

    The blocks whose lines are fields (indented lines continue a field) are the records;
    the lines around them (a verdict at the end) stay once.
    """
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None
    blocks = re.split(r"\n[ \t]*\n", text.strip("\n"))

    def fields(block: str) -> list[re.Match[str] | None]:
        return [None if line[:1].isspace() else FIELD.fullmatch(line) for line in block.splitlines()]

    records = [
        index
        for index, block in enumerate(blocks)
        if (matches := fields(block))
        and sum(1 for match in matches if match) > 1
        and all(match or line[:1].isspace() for match, line in zip(matches, block.splitlines(), strict=True))
    ]
    if not records:
        return None
    known = frozenset(
        match[2].strip()
        for index in records
        for match in fields(blocks[index])
        if match
        and match[2]
        and ID_NAME.search(match[1].replace(" ", ""))
        and REFERENCE.fullmatch(match[2].strip())
    )

    def fresh_block(block: str, number: int) -> str:
        lines = []
        for line, match in zip(block.splitlines(), fields(block), strict=True):
            if match and match[2]:
                value = fresh_text(match[1].replace(" ", ""), match[2].strip(), number, known)
                line = f"{match[1]}: {value}"
            lines.append(line)
        return "\n".join(lines)

    def build(copies: int) -> bytes:
        grown = [*blocks[: records[-1] + 1]]
        grown += [fresh_block(blocks[index], number) for number in range(1, copies) for index in records]
        grown += blocks[records[-1] + 1 :]
        return ("\n\n".join(grown) + "\n").encode()

    return Grower("text", build, "blocks of fields")


def candidates(name: str, data: bytes) -> Iterator[Grower]:
    """Yield the ways to grow a sample, most promising first."""
    if data.startswith(b"PK\x03\x04"):
        yield from zip_growers(name, data)
        return
    document = load_json(data)
    if document is not MISSING:
        if isinstance(document, list) and not all(recurring(document)) and any(recurring(document)):
            yield json_grower(document, (), "array", only_recurring=True)
        for path, kind in json_containers(document)[:MAX_CANDIDATES]:
            yield json_grower(document, path, kind)
        return
    assignment = ASSIGNMENT.match(data)
    if assignment and load_json(data[assignment.end() :].rstrip().rstrip(b";")) is not MISSING:
        yield from wrapped_growers(name, data[: assignment.end()], data[assignment.end() :])
        return
    stripped = data.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped.startswith(b"<"):
        yield from xml_candidates(data)
        return
    records = json_sequence(data)
    if records:
        layout = (
            "lines" if len(records) == sum(1 for line in data.splitlines() if line.strip()) else "sequence"
        )
        if not all(recurring(records)) and any(recurring(records)):
            yield json_grower(records, (), "array", layout, only_recurring=True)
        yield json_grower(records, (), "array", layout)
        return
    if b"," in data.split(b"\n", 1)[0]:
        try:
            yield csv_grower(data)
        except UnicodeDecodeError:
            return  # not text: no CSV to grow
    grower = block_grower(data)
    if grower is not None:
        yield grower


def wrapped_growers(name: str, prefix: bytes, body: bytes) -> Iterator[Grower]:
    """Grow a JSON document that a JavaScript file assigns, keeping the assignment around it."""
    stripped = body.rstrip()
    suffix = b";" if stripped.endswith(b";") else b""
    for inner in candidates(name, stripped.removesuffix(b";")):

        def build(copies: int, inner: Grower = inner) -> bytes:
            return prefix + inner.build(copies) + suffix + b"\n"

        yield Grower(f"JS {inner.kind}", build, inner.where, inner.depth)


def zip_growers(name: str, data: bytes) -> Iterator[Grower]:
    """Grow an archive (Fortify's FPR, Defender's export) by the member the parser reads.

    Those are the members the parser finds findings in when given alone (an FPR's
    ``audit.fvdl``); failing any, the largest.
    """
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        members = {info.filename: archive.read(info) for info in archive.infolist() if not info.is_dir()}
    if not members:
        return
    by_size = sorted(members, key=lambda member: -len(members[member]))
    readable = [member for member in by_size if count_findings(name, members[member]) > 0]
    for grown_member in readable or by_size[:1]:
        for inner in candidates(name, members[grown_member]):

            def build(copies: int, inner: Grower = inner, grown_member: str = grown_member) -> bytes:
                output = io.BytesIO()
                with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as archive:
                    for member, content in members.items():
                        archive.writestr(member, inner.build(copies) if member == grown_member else content)
                return output.getvalue()

            yield Grower(f"zip {inner.kind}", build, f"{grown_member}: {inner.where}", inner.depth)


def largest_sample(name: str) -> tuple[Path, int] | None:
    """Return the parser's largest sample with findings, and how many it has."""
    folder = SCANS / name
    if not folder.is_dir():
        return None
    for path in sorted(folder.iterdir(), key=lambda path: -path.stat().st_size):
        count = count_findings(name, path.read_bytes())
        if count > 0:
            return path, count
    return None


def choose(name: str, data: bytes, findings: int) -> tuple[Grower, float, float] | None:
    """Return the grower that adds the most findings per byte, and the findings and bytes each copy adds.

    Repeating the records that hold findings (a library's vulnerabilities) rather than
    everything around them (every library) keeps the grown report the size a real
    report of that many findings would be.
    """
    trials: list[tuple[Grower, float, float, float]] = []
    for grower in candidates(name, data):
        try:
            once, trial = grower.build(1), grower.build(TRIAL_COPIES)
        except (ValueError, TypeError, KeyError, IndexError):
            continue
        count = count_findings(name, trial)
        if count < findings + TRIAL_COPIES - 1:
            continue
        per_copy = (count - findings) / (TRIAL_COPIES - 1)
        copy_bytes = max(len(trial) - len(once), 1) / (TRIAL_COPIES - 1)
        trials.append((grower, per_copy, copy_bytes, per_copy / copy_bytes))
    if not trials:
        return None
    # Of the ways near the densest, the outermost: it repeats whole records, as the parser streams them.
    densest = max(density for _grower, _per_copy, _copy_bytes, density in trials)
    near = [entry for entry in trials if entry[3] >= densest / 2]
    grower, per_copy, copy_bytes, _density = min(near, key=lambda entry: entry[0].depth)
    return grower, per_copy, copy_bytes


def grown_measure(name: str, grower: Grower, findings: int, per_copy: float, target: int) -> Measure:
    """Grow the sample to at least ``target`` findings and measure its parse in a child.

    The child counts the findings; a report that falls short (a grouping parser folding
    some repeats) is grown further and measured again.
    """
    copies = 1 + math.ceil(max(target - findings, 0) / per_copy)
    for _ in range(4):
        result = measure(name, grower.build(copies))
        if result.findings >= target:
            return result
        copies = math.ceil(copies * target / max(result.findings, 1)) + 1
    return result


def measure(name: str, data: bytes) -> Measure:
    """Parse a report in a fresh ``python -I`` child; return its rate and memory."""
    with tempfile.NamedTemporaryFile(suffix=".report") as report:
        report.write(data)
        report.flush()
        result = subprocess.run(  # noqa: S603 - our interpreter, an argument list, no shell
            [sys.executable, "-I", "-c", CHILD, name, report.name],
            capture_output=True,
            check=True,
            timeout=CHILD_TIMEOUT,
            env={"PATH": "/usr/bin:/bin", "LC_ALL": "C.UTF-8"},
        )
    count, seconds, cpu_seconds, rss, traced = result.stdout.split()
    return Measure(int(count), float(seconds), float(cpu_seconds), int(rss), int(traced), len(data))


def mebibytes(size: int) -> str:
    return f"{size / 1024 / 1024:.1f}"


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--findings", type=int, default=10_000, help="findings in the first size")
    options.add_argument("--factor", type=int, default=4, help="the second size, in times the first")
    options.add_argument("--max-mb", type=int, default=160, help="the largest second report, in MiB")
    options.add_argument(
        "--max-first-mb", type=int, default=256, help="the largest first report, in MiB (fewer findings then)"
    )
    options.add_argument("--only", nargs="*", default=None, help="parsers to run (default: all)")
    options.add_argument("--json", action="store_true", help="print the results as JSON too")
    arguments = options.parse_args()

    rows: list[dict[str, Any]] = []
    skipped: list[str] = []
    notes: list[str] = []
    for name in arguments.only or list(all_parsers()):
        sample = largest_sample(name)
        if sample is None:
            skipped.append(f"{name}: no sample with findings")
            continue
        path, findings = sample
        data = path.read_bytes()
        chosen = choose(name, data, findings)
        if chosen is None:
            skipped.append(f"{name}: no repeatable records in {path.name}")
            continue
        grower, per_copy, copy_bytes = chosen
        # Some tools write 40 to 70 KB a finding (Nexpose every test it ran on a host, SSLyze every
        # cipher suite it tried): a first report past --max-first-mb is measured smaller, and said so.
        wanted = arguments.findings
        fitting = int(arguments.max_first_mb * 2**20 * per_copy / copy_bytes)
        if fitting < wanted:
            notes.append(
                f"{name}: {wanted:,} findings would be {wanted * copy_bytes / per_copy / 2**20:,.0f} MiB, "
                f"measured at {fitting:,} (raise --max-first-mb)"
            )
            wanted = fitting
        first = grown_measure(name, grower, findings, per_copy, wanted)
        if first.findings < wanted:
            skipped.append(f"{name}: grew {path.name} to {first.findings} findings only")
            continue
        # The second size is capped in bytes: some tools write 20 KB a finding.
        bytes_per_finding = first.size_bytes / first.findings
        larger = min(arguments.factor * wanted, int(arguments.max_mb * 2**20 / bytes_per_finding))
        second = grown_measure(name, grower, findings, per_copy, max(larger, 2 * wanted))
        rows.append(
            {
                "parser": name,
                "sample": path.name,
                "kind": grower.kind,
                "repeated": grower.where,
                "findings": first.findings,
                "mb": first.size_bytes / 1024 / 1024,
                "rate": first.findings / first.seconds,
                "cpu_rate": first.findings / max(first.cpu_seconds, 1e-9),
                "rss": first.rss_bytes,
                "traced": first.traced_bytes,
                "findings_large": second.findings,
                "rate_large": second.findings / second.seconds,
                "cpu_rate_large": second.findings / max(second.cpu_seconds, 1e-9),
                "rss_large": second.rss_bytes,
                "traced_large": second.traced_bytes,
            }
        )
        print(
            f"  {name}: {first.findings} findings, {first.findings / first.seconds:,.0f}/s "
            f"({first.findings / max(first.cpu_seconds, 1e-9):,.0f}/s of CPU)",
            file=sys.stderr,
        )

    rows.sort(key=lambda row: -row["rate"])
    print(
        "| parser | sample | repeated | findings | MiB | findings/s | findings/s CPU | peak RSS MiB "
        "| traced MiB | ×N findings | findings/s | findings/s CPU | peak RSS MiB | traced MiB |"
    )
    print("|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for row in rows:
        print(
            f"| {row['parser']} | {row['sample']} | {row['kind']} {row['repeated']} | {row['findings']:,} "
            f"| {row['mb']:.1f} | {row['rate']:,.0f} | {row['cpu_rate']:,.0f} | {mebibytes(row['rss'])} "
            f"| {mebibytes(row['traced'])} | {row['findings_large']:,} | {row['rate_large']:,.0f} "
            f"| {row['cpu_rate_large']:,.0f} | {mebibytes(row['rss_large'])} "
            f"| {mebibytes(row['traced_large'])} |"
        )
    for line in notes:
        print(f"- smaller {line}")
    for line in skipped:
        print(f"- skipped {line}")
    if arguments.json:
        print(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main()
