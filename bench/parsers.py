"""Parse rate and peak memory of every report parser, on its real sample grown to 10,000+ findings.

    .venv/bin/python bench/parsers.py [--findings 10000] [--factor 4] [--max-mb 160] [--only trivy mend ...]

For each parser with samples in tests/fixtures/scans/<name>/: takes its largest sample
that has findings, and grows it by repeating its records with fresh identifiers (JSON
array items or the entries of an object keyed by id, XML elements, CSV rows, JSON
Lines lines), so that the repeats are new findings rather than duplicates a grouping
parser would fold together. Which records to repeat is found by trying each array (set
of sibling elements) of the sample on a small copy and keeping the one that multiplies
the findings most. The grown report is parsed in a child process (``python -I``) at
two sizes, ``--findings`` and ``--factor`` times that (at most ``--max-mb``, and
at least twice the first): findings per second, and the
peak memory the parse adds (the child's VmHWM over its level after imports, and
tracemalloc's peak of Python allocations in a second pass). Memory that stays level
from the first size to the second is what streaming promises. Needs no server.
"""

from __future__ import annotations

import argparse
import copy
import csv
import io
import json
import math
import re
import subprocess
import sys
import tempfile
import zipfile
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
# Keys (JSON), attributes and element names (XML) and columns (CSV) whose values are ids.
ID_NAME = re.compile(
    r"(?:^|[^a-z])?(?:id|uuid|guid|name|title|key|fingerprint|hash|path|file|filename|url|uri|"
    r"rule|ruleid|check|checkid|cve|plugin|pluginid|template|templateid|qid|issueid|vulnid)$",
    re.IGNORECASE,
)
MAX_CANDIDATES = 10
TRIAL_COPIES = 3
CHILD_TIMEOUT = 900

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
start = time.perf_counter()
count = run()
seconds = time.perf_counter() - start
rss = high_water() - base
tracemalloc.start()
run()
traced = tracemalloc.get_traced_memory()[1]
tracemalloc.stop()
print(count, seconds, rss, traced)
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
    rss_bytes: int
    traced_bytes: int
    size_bytes: int


def count_findings(name: str, data: bytes) -> int:
    """Return how many findings the parser reads in ``data``; -1 if it refuses it."""
    try:
        return sum(1 for _ in parse_report(io.BytesIO(data), format_name=name)[1])
    except ParserError:
        return -1


def fresh_text(name: str, value: str, copy_number: int) -> str:
    """Return an id made new for a copy: digits stay a number (ports are left alone)."""
    if not value or not ID_NAME.search(name):
        return value
    if value.strip().isdigit():
        return value if "port" in name.lower() else str(int(value) + copy_number * 10_000_000)
    return f"{value}-b{copy_number}"


def fresh(value: Any, copy_number: int, key: str = "") -> Any:
    """Return a JSON value with the ids in it made new for copy ``copy_number`` (0 keeps them)."""
    if copy_number == 0:
        return value
    if isinstance(value, dict):
        return {entry: fresh(item, copy_number, entry) for entry, item in value.items()}
    if isinstance(value, list):
        return [fresh(item, copy_number, key) for item in value]
    if isinstance(value, str):
        return fresh_text(key, value, copy_number)
    if isinstance(value, int) and not isinstance(value, bool) and ID_NAME.search(key):
        return int(fresh_text(key, str(value), copy_number)) if value >= 0 else value
    return value


def json_containers(document: Any) -> list[tuple[tuple[Any, ...], str]]:
    """Return the paths of arrays of objects, and of objects whose values are all objects.

    Of the arrays that stand at the same place in sibling records (``libraries[*].vulnerabilities``)
    only the largest is kept: one trial per place, on the instance with the most records.
    """
    largest: dict[tuple[Any, ...], tuple[int, tuple[Any, ...], str]] = {}

    def note(path: tuple[Any, ...], kind: str, value: Any) -> None:
        shape = tuple("*" if isinstance(step, int) else step for step in path)
        size = len(orjson.dumps(value))
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


def json_grower(document: Any, path: tuple[Any, ...], kind: str, lines: bool) -> Grower:
    def build(copies: int) -> bytes:
        grown = copy.deepcopy(document)
        parent = grown
        for step in path[:-1]:
            parent = parent[step]
        target = parent[path[-1]] if path else grown
        if kind == "array":
            repeated: Any = [fresh(item, number) for number in range(copies) for item in target]
        else:
            repeated = {
                (entry if number == 0 else f"{entry}-b{number}"): fresh(item, number)
                for number in range(copies)
                for entry, item in target.items()
            }
        if not path:
            grown = repeated
        else:
            parent[path[-1]] = repeated
        if lines:
            return b"\n".join(orjson.dumps(item) for item in grown) + b"\n"
        return orjson.dumps(grown)

    return Grower(
        "JSON Lines" if lines else "JSON", build, ".".join(map(str, path)) or "top level", len(path)
    )


def xml_groups(root: ElementTree.Element) -> Iterator[tuple[ElementTree.Element, str, int]]:
    """Yield (parent, child tag, serialized size) for each set of sibling elements."""
    for parent in root.iter():
        tags: dict[str, int] = {}
        for child in parent:
            if len(child) or child.attrib:
                tags[child.tag] = tags.get(child.tag, 0) + len(ElementTree.tostring(child))
        for tag, size in tags.items():
            yield parent, tag, size


def fresh_element(element: ElementTree.Element, copy_number: int) -> ElementTree.Element:
    grown = copy.deepcopy(element)
    for node in grown.iter():
        for name, value in node.attrib.items():
            node.set(name, fresh_text(name.rsplit("}", 1)[-1], value, copy_number))
        tag = str(node.tag).rsplit("}", 1)[-1]
        if not len(node) and node.text and node.text.strip():
            node.text = fresh_text(tag, node.text.strip(), copy_number)
    return grown


def xml_grower(data: bytes, parent_path: list[int], tag: str) -> Grower:
    def build(copies: int) -> bytes:
        root = SafeElementTree.fromstring(data)
        parent = root
        for index in parent_path:
            parent = parent[index]
        originals = [child for child in parent if child.tag == tag]
        position = list(parent).index(originals[-1]) + 1
        for number in range(1, copies):
            for offset, original in enumerate(originals):
                parent.insert(position + offset, fresh_element(original, number))
            position += len(originals)
        return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ElementTree.tostring(root)

    return Grower("XML", build, f"<{str(tag).rsplit('}', 1)[-1]}>", len(parent_path))


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


def candidates(data: bytes) -> Iterator[Grower]:
    """Yield the ways to grow a sample, most promising first."""
    try:
        document = orjson.loads(data)
    except orjson.JSONDecodeError:
        document = None
    if document is None and data.startswith(b"PK\x03\x04"):
        yield from zip_growers(data)
        return
    if document is not None:
        for path, kind in json_containers(document)[:MAX_CANDIDATES]:
            yield json_grower(document, path, kind, lines=False)
        return
    stripped = data.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped.startswith(b"<"):
        try:
            root = SafeElementTree.fromstring(data)
        except (ElementTree.ParseError, ValueError):
            return
        groups = sorted(xml_groups(root), key=lambda entry: -entry[2])
        for parent, tag, _size in groups[:MAX_CANDIDATES]:
            yield xml_grower(data, element_path(root, parent), tag)
        return
    lines = [line for line in data.splitlines() if line.strip()]
    try:
        records = [orjson.loads(line) for line in lines]
    except orjson.JSONDecodeError:
        records = []
    if records:
        yield json_grower(records, (), "array", lines=True)
        return
    if b"," in data.split(b"\n", 1)[0]:
        try:
            yield csv_grower(data)
        except UnicodeDecodeError:
            return  # not text: no CSV to grow


def zip_growers(data: bytes) -> Iterator[Grower]:
    """Grow an archive (Fortify's FPR, Defender's export) by growing its largest member."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        members = {info.filename: archive.read(info) for info in archive.infolist() if not info.is_dir()}
    if not members:
        return
    largest = max(members, key=lambda member: len(members[member]))
    for inner in candidates(members[largest]):

        def build(copies: int, inner: Grower = inner) -> bytes:
            output = io.BytesIO()
            with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as archive:
                for member, content in members.items():
                    archive.writestr(member, inner.build(copies) if member == largest else content)
            return output.getvalue()

        yield Grower(f"zip {inner.kind}", build, f"{largest}: {inner.where}", inner.depth)


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


def choose(name: str, data: bytes, findings: int) -> tuple[Grower, float] | None:
    """Return the grower that adds the most findings per byte, and the findings each copy adds.

    Repeating the records that hold findings (a library's vulnerabilities) rather than
    everything around them (every library) keeps the grown report the size a real
    report of that many findings would be.
    """
    trials: list[tuple[Grower, float, float]] = []
    for grower in candidates(data):
        try:
            once, trial = grower.build(1), grower.build(TRIAL_COPIES)
        except (ValueError, TypeError, KeyError, IndexError):
            continue
        count = count_findings(name, trial)
        if count < findings + TRIAL_COPIES - 1:
            continue
        per_copy = (count - findings) / (TRIAL_COPIES - 1)
        trials.append((grower, per_copy, per_copy / max(len(trial) - len(once), 1)))
    if not trials:
        return None
    # Of the ways near the densest, the outermost: it repeats whole records, as the parser streams them.
    densest = max(density for _grower, _per_copy, density in trials)
    near = [entry for entry in trials if entry[2] >= densest / 2]
    grower, per_copy, _density = min(near, key=lambda entry: entry[0].depth)
    return grower, per_copy


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
    count, seconds, rss, traced = result.stdout.split()
    return Measure(int(count), float(seconds), int(rss), int(traced), len(data))


def mebibytes(size: int) -> str:
    return f"{size / 1024 / 1024:.1f}"


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--findings", type=int, default=10_000, help="findings in the first size")
    options.add_argument("--factor", type=int, default=4, help="the second size, in times the first")
    options.add_argument("--max-mb", type=int, default=160, help="the largest second report, in MiB")
    options.add_argument("--only", nargs="*", default=None, help="parsers to run (default: all)")
    options.add_argument("--json", action="store_true", help="print the results as JSON too")
    arguments = options.parse_args()

    rows: list[dict[str, Any]] = []
    skipped: list[str] = []
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
        grower, per_copy = chosen
        first = grown_measure(name, grower, findings, per_copy, arguments.findings)
        if first.findings < arguments.findings:
            skipped.append(f"{name}: grew {path.name} to {first.findings} findings only")
            continue
        # The second size is capped in bytes: some tools write 20 KB a finding.
        bytes_per_finding = first.size_bytes / first.findings
        larger = min(arguments.factor * arguments.findings, int(arguments.max_mb * 2**20 / bytes_per_finding))
        second = grown_measure(name, grower, findings, per_copy, max(larger, 2 * arguments.findings))
        rows.append(
            {
                "parser": name,
                "sample": path.name,
                "kind": grower.kind,
                "repeated": grower.where,
                "findings": first.findings,
                "mb": first.size_bytes / 1024 / 1024,
                "rate": first.findings / first.seconds,
                "rss": first.rss_bytes,
                "traced": first.traced_bytes,
                "findings_large": second.findings,
                "rate_large": second.findings / second.seconds,
                "rss_large": second.rss_bytes,
                "traced_large": second.traced_bytes,
            }
        )
        print(
            f"  {name}: {first.findings} findings, {first.findings / first.seconds:,.0f}/s", file=sys.stderr
        )

    rows.sort(key=lambda row: -row["rate"])
    print(
        "| parser | sample | repeated | findings | MiB | findings/s | peak RSS MiB | traced MiB "
        "| ×N findings | findings/s | peak RSS MiB | traced MiB |"
    )
    print("|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for row in rows:
        print(
            f"| {row['parser']} | {row['sample']} | {row['kind']} {row['repeated']} | {row['findings']:,} "
            f"| {row['mb']:.1f} | {row['rate']:,.0f} | {mebibytes(row['rss'])} | {mebibytes(row['traced'])} "
            f"| {row['findings_large']:,} | {row['rate_large']:,.0f} | {mebibytes(row['rss_large'])} "
            f"| {mebibytes(row['traced_large'])} |"
        )
    for line in skipped:
        print(f"- skipped {line}")
    if arguments.json:
        print(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main()
