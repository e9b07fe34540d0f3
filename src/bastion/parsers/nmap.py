"""Nmap XML (``nmap -oX``).

One finding per open port (info), and one per entry the ``vulners`` NSE script
lists for the port's service. A vulners entry is rated from the CVSS score vulners
gives, on the CVSS v3 bands (9.0+ critical, 7.0+ high, 4.0+ medium, above 0 low,
0 info). A port's vulners findings come first, then the port itself.

Fingerprint: host address, protocol and port for an open port; the same plus the
vulners id for a vulnerability. Not the service version or the script output,
which change when the service is upgraded or probed again.

Nmap writes a bare ``<!DOCTYPE nmaprun>``, which declares nothing: it is dropped
(``readers.iter_xml(drop_doctype=True)``); one declaring entities is refused. The
Nmap version is read from the root element's attributes, in the report's head.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import BinaryIO, NamedTuple
from xml.etree.ElementTree import Element

from bastion.contracts.finding import FindingLocation, NormalizedFinding, Severity
from bastion.parsers import grouping, readers, text, values
from bastion.parsers.base import ReportParser
from bastion.parsers.exceptions import MalformedReport

# The most of one script's output kept as evidence.
SCRIPT_OUTPUT_LIMIT = 4000


# --- Nmap ---------------------------------------------------------------------------


class _Vulnerability(NamedTuple):
    cpe: str
    vuln_id: str
    score: float | None
    kind: str
    is_exploit: bool
    reference: str


class _Host(NamedTuple):
    address: str
    hostnames: tuple[str, ...]


class NmapParser(ReportParser):
    """Nmap's XML output: open ports and vulners results."""

    name = "nmap"
    label = "Nmap XML"
    defectdojo_scan_types = ("Nmap Scan",)

    def detect(self, head: bytes) -> int:
        text = readers.head_text(head)
        if "<nmaprun" in text and 'scanner="nmap"' in text:
            return 95
        return 80 if "<nmaprun" in text and "<!DOCTYPE nmaprun" in text else 0

    def parse(self, stream: BinaryIO) -> Iterator[NormalizedFinding]:
        head, source = readers.peek(stream)
        tool_version = readers.root_attributes(readers.head_text(head), "nmaprun").get("version")
        addresses: list[tuple[str, str]] = []
        hostnames: list[str] = []
        host_index = 0
        tags = ("address", "hostname", "port", "host", "hosthint")
        for element in readers.iter_xml(source, tags, roots=("nmaprun",), drop_doctype=True):
            tag = readers.local_name(element.tag)
            if tag == "address":
                addresses.append((element.get("addrtype") or "", element.get("addr") or ""))
            elif tag == "hostname":
                if element.get("name"):
                    hostnames.append(str(element.get("name")))
            elif tag == "port":
                host = _Host(_address(addresses), tuple(dict.fromkeys(hostnames)))
                yield from _port_findings(element, host, tool_version or None, f"host[{host_index}]")
            else:
                addresses, hostnames = [], []
                host_index += tag == "host"


def _address(addresses: list[tuple[str, str]]) -> str:
    """Prefer the host's IP address to its MAC address."""
    for kind, address in addresses:
        if kind in ("ipv4", "ipv6") and address:
            return address
    for _kind, address in addresses:
        if address:
            return address
    return ""


def _port_findings(
    port: Element, host: _Host, tool_version: str | None, position: str
) -> Iterator[NormalizedFinding]:
    state = next((child for child in port if readers.local_name(child.tag) == "state"), None)
    if state is None or state.get("state") != "open":
        return
    number = values.as_int(port.get("portid"))
    if number is None or not 0 <= number <= 65535:
        raise MalformedReport(f"port number {port.get('portid')!r} is not valid", position=position)
    if not host.address:
        raise MalformedReport(f"port {number} is outside a host with an address", position=position)
    protocol = port.get("protocol") or "tcp"
    service = next((child for child in port if readers.local_name(child.tag) == "service"), None)
    service_attributes = dict(service.attrib) if service is not None else {}
    service_cpes = [
        (child.text or "").strip()
        for child in (service if service is not None else [])
        if readers.local_name(child.tag) == "cpe"
    ]
    scripts = [child for child in port if readers.local_name(child.tag) == "script"]
    package, package_version = _package(service_cpes[0] if service_cpes else "", service_attributes)

    for script in scripts:
        if script.get("id") != "vulners":
            continue
        for vulnerability in _vulners(script):
            software = (
                _package(vulnerability.cpe, service_attributes)
                if vulnerability.cpe
                else (package, package_version)
            )
            yield _vulnerability_finding(vulnerability, host, number, protocol, software, tool_version)

    service_name = service_attributes.get("name", "")
    product = " ".join(
        filter(None, (service_attributes.get(key) for key in ("product", "version", "extrainfo")))
    )
    description = [f"Port {number}/{protocol} is open on {host.address}."]
    if host.hostnames:
        description.append(f"Host names: {', '.join(host.hostnames)}")
    if service_name:
        description.append(f"Service: {service_name}" + (f" ({product})" if product else ""))
    if state.get("reason"):
        description.append(f"Reason: {state.get('reason')}")
    evidence = "\n\n".join(
        f"{script.get('id')}:\n{text.clip(script.get('output', '').strip(), SCRIPT_OUTPUT_LIMIT)}"
        for script in scripts
    )
    yield NormalizedFinding(
        title=f"Open port: {number}/{protocol}",
        severity=Severity.INFO,
        tool="nmap",
        tool_version=tool_version,
        description=text.clip("\n".join(description)),
        location=FindingLocation(
            host=host.address,
            port=number,
            protocol=protocol,
            package=package,
            package_version=package_version,
        ),
        evidence=text.clip(evidence),
        tags=(f"service:{service_name}",) if service_name else (),
        fingerprint=grouping.fingerprint("nmap", host.address, protocol, number),
    )


def _package(cpe: str, service: dict[str, str]) -> tuple[str | None, str | None]:
    """Name and version of the service's software: from its CPE, else as Nmap saw it."""
    product, version = values.cpe_product(cpe)
    if product is None:
        product = service.get("product") or None
    return product, version or service.get("version") or None


def _vulners(script: Element) -> list[_Vulnerability]:
    """Read the vulners script's tables, or its text output when it gives no tables."""
    found: list[_Vulnerability] = []
    for cpe_table in script:
        if readers.local_name(cpe_table.tag) != "table":
            continue
        cpe = cpe_table.get("key") or ""
        for entry in cpe_table:
            if readers.local_name(entry.tag) != "table":
                continue
            cells = {
                element.get("key"): (element.text or "").strip()
                for element in entry
                if readers.local_name(element.tag) == "elem"
            }
            vuln_id = cells.get("id", "")
            if not vuln_id:
                continue
            kind = cells.get("type", "")
            found.append(
                _Vulnerability(
                    cpe=cpe,
                    vuln_id=vuln_id,
                    score=values.score(cells.get("cvss")),
                    kind=kind,
                    is_exploit=cells.get("is_exploit", "").lower() == "true",
                    reference=f"https://vulners.com/{kind}/{vuln_id}" if kind else "",
                )
            )
    if found:
        return found
    cpe = ""
    for line in (script.get("output") or "").splitlines():
        fields = [field.strip() for field in line.strip().split("\t")]
        if len(fields) == 1 and fields[0].endswith(":"):
            cpe = fields[0].removesuffix(":").strip()
        elif len(fields) >= 2 and fields[0] and values.score(fields[1]) is not None:
            reference = next((field for field in fields[2:] if field.startswith("http")), "")
            kind = reference.rstrip("/").split("/")[-2] if reference.count("/") >= 4 else ""
            found.append(
                _Vulnerability(
                    cpe=cpe,
                    vuln_id=fields[0],
                    score=values.score(fields[1]),
                    kind=kind,
                    is_exploit="*EXPLOIT*" in fields,
                    reference=reference,
                )
            )
    return found


def _vulnerability_finding(
    vulnerability: _Vulnerability,
    host: _Host,
    port: int,
    protocol: str,
    software_parts: tuple[str | None, str | None],
    tool_version: str | None,
) -> NormalizedFinding:
    package, package_version = software_parts
    software = " ".join(filter(None, software_parts))
    vuln_id = text.clip(vulnerability.vuln_id, 500)
    description = [
        f"vulners lists {vuln_id} for {software or 'the service'} on {host.address} port {port}/{protocol}."
    ]
    if vulnerability.score is not None:
        description.append(f"CVSS score (vulners): {vulnerability.score}")
    if vulnerability.is_exploit:
        description.append("A public exploit is known.")
    if vulnerability.cpe:
        description.append(f"CPE: {vulnerability.cpe}")
    tags = [f"vulners:{vulnerability.kind}"] if vulnerability.kind else []
    if vulnerability.is_exploit:
        tags.append("exploit")
    return NormalizedFinding(
        title=text.title(f"{vuln_id} in {software}" if software else vuln_id),
        severity=values.severity_from_score(vulnerability.score),
        tool="nmap",
        tool_version=tool_version,
        rule_id=vuln_id,
        advisory_ids=values.advisory_ids([vuln_id]),
        description=text.clip("\n".join(description)),
        location=FindingLocation(
            host=host.address,
            port=port,
            protocol=protocol,
            package=package,
            package_version=package_version,
            component=vulnerability.cpe or None,
        ),
        references=tuple(filter(None, [vulnerability.reference])),
        tags=tuple(tags),
        fingerprint=grouping.fingerprint("nmap", host.address, protocol, port, "vulners", vuln_id),
    )


PARSER = NmapParser()
