"""The network (host) scan: nmap's service discovery on one checked address, as SARIF the import reads.

The address comes from :func:`bastion.scanner.engines.targets.resolve_network_target`, already
resolved and held to the organisation's allow-list; :func:`nmap_command` builds the argument list
(never a shell string) for an unprivileged connect scan with version detection, no name
resolution (``-n``: the address is the one that was checked, not a name to look up again) and
no scripts. :func:`sarif_from_nmap` turns nmap's XML into a SARIF 2.1.0 log with one result per
open port, under one of three kinds of rule:

* ``cleartext-protocol/…``: a protocol that has no encryption at all (Telnet, the BSD
  r-services), so every login crosses the network readable;
* ``exposed-service/…``: a service that should not be reachable from where the scanner stands
  (remote desktops, file sharing, data stores, the Docker API), each with its severity and fix,
  declared once in :data:`SERVICE_CONCERNS`;
* ``open-port``: every other open port, at info severity, so the asset carries its service
  inventory.

The table is kept honest: it names only what a version scan without scripts can tell. FTP, SMTP,
POP3 and IMAP may offer STARTTLS, which ``-sV`` does not check, so they are not called cleartext;
a service that nmap only guessed from its port number (``method="table"``) is inventory, not a
concern, since nothing answered as that service. Product, version, extra information and CPEs go
into each result's message and ``properties`` (``product``, ``version``, ``cpe``), for a later
lookup of known vulnerabilities.

Location: ``tcp://ADDRESS:PORT`` as the artifact URI (the import shows it as the finding's
place; an IPv6 address is bracketed) and the software as a logical location (the finding's
component). ``partialFingerprints`` name the address, protocol, port and rule, never the
version, so an upgraded service is the same finding updated.

nmap writes a bare ``<!DOCTYPE nmaprun>``, which declares nothing; exactly that declaration is
blanked before defusedxml parses the document with DTDs, entities and external references
forbidden, so any other DOCTYPE is refused. A scan whose host timed out or that nmap reports as
failed is refused as well: its log would hold no ports, and importing an empty log as a full scan
would close every finding of the asset.
"""

from __future__ import annotations

import hashlib
import ipaddress
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal
from xml.etree.ElementTree import Element, ParseError

import orjson
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

TOOL_NAME = "bastion-nmap"
FINGERPRINT_KEY = "bastionNetwork/v1"
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
OPEN_PORT_RULE = "open-port"

#: The largest nmap XML output read (one address, at most MAXIMUM_PORTS ports: far below this).
MAX_OUTPUT_BYTES = 8 * 1024 * 1024
#: The most ports one scan may name.
MAXIMUM_PORTS = 4096
#: The longest port specification read; longer text is refused before it is split.
MAXIMUM_PORT_SPEC_CHARACTERS = 8192
#: The longest host timeout a scan may ask nmap for (a day).
MAXIMUM_HOST_TIMEOUT_SECONDS = 24 * 60 * 60
#: nmap's timing templates by name; paranoid (T0) to insane (T5).
TIMINGS = frozenset({"T0", "T1", "T2", "T3", "T4", "T5"})

# What a service field of nmap's output may contribute to a message: banners are the scanned
# host's words, so they are bounded.
_FIELD_LIMIT = 200
_CPE_LIMIT = 10

DEFAULT_PORTS = (
    "21-23,25,53,80,110-111,135,139,143,389,443,445,465,512-514,587,631,636,873,993,995,1080,1433,"
    "1521,1883,2049,2181,2375-2376,2379,3000,3306,3389,4369,5000,5432,5601,5672,5900-5901,5984,"
    "6000,6379,8000,8080-8081,8443,8888,9000,9042,9090,9200,9300,11211,15672,27017"
)
"""TCP ports scanned when the user names none: remote access, mail, web, file sharing, directory,
data stores, message brokers and container control planes, the services most often exposed."""

_PORT_ITEM = re.compile(r"([0-9]{1,5})(?:-([0-9]{1,5}))?")
# Exactly what nmap writes after the XML declaration; anything else is left to defusedxml.
_NMAP_DOCTYPE = re.compile(rb"\A(\s*<\?xml[^<>]*\?>)?(\s*)<!DOCTYPE nmaprun>")

Kind = Literal["cleartext", "exposed"]


class NmapOutputError(ValueError):
    """nmap's output is malformed, hostile, too large or reports an incomplete scan."""


@dataclass(frozen=True, slots=True)
class ServiceConcern:
    """A service that should not be open where the scanner sees it: its rule, severity and fix.

    ``names`` are nmap service names (lower-cased); ``products`` are nmap product strings
    (lower-cased, exact) for a service nmap reports under a generic name such as ``http``.
    ``tls``: True matches only a TLS-wrapped service, False only a plain one, None either.
    """

    rule_id: str
    kind: Kind
    title: str
    names: frozenset[str]
    score: Decimal
    risk: str
    fix: str
    cwe: str
    products: frozenset[str] = frozenset()
    tls: bool | None = None

    def matches(self, service: Service) -> bool:
        """Tell whether a probed service is this one (a port-number guess never is)."""
        if service.method != "probed":
            return False
        if self.tls is not None and self.tls != service.is_tls:
            return False
        return service.name.lower() in self.names or service.product.lower() in self.products


def _concern(
    rule_id: str,
    kind: Kind,
    title: str,
    names: Iterable[str],
    score: str,
    risk: str,
    fix: str,
    *,
    cwe: str = "CWE-668",
    products: Iterable[str] = (),
    tls: bool | None = None,
) -> ServiceConcern:
    return ServiceConcern(
        rule_id=rule_id,
        kind=kind,
        title=title,
        names=frozenset(names),
        score=Decimal(score),
        risk=risk,
        fix=fix,
        cwe=cwe,
        products=frozenset(products),
        tls=tls,
    )


_RESTRICT = (
    "Allow it only from the hosts that need it (firewall or security group), "
    "or bind it to a private interface."
)

#: The services of concern, first match wins. Scores are CVSS-like: 9+ critical, 7+ high, 4+ medium.
SERVICE_CONCERNS: tuple[ServiceConcern, ...] = (
    _concern(
        "cleartext-protocol/telnet",
        "cleartext",
        "Telnet service (unencrypted remote login)",
        ["telnet"],
        "7.5",
        "Telnet has no encryption: user names, passwords and the whole session cross the network readable.",
        "Turn Telnet off and use SSH; a device that only speaks Telnet belongs on a management network.",
        cwe="CWE-319",
        tls=False,
    ),
    _concern(
        "cleartext-protocol/r-services",
        "cleartext",
        "BSD r-service (rexec, rlogin or rsh)",
        ["exec", "rexec", "login", "rlogin", "shell", "rsh"],
        "8.1",
        "rexec, rlogin and rsh send passwords and sessions unencrypted, and rlogin and rsh trust a "
        "client by its address and port, which anyone on the path can forge.",
        "Turn the r-services off (inetd or systemd sockets) and use SSH.",
        cwe="CWE-319",
        tls=False,
    ),
    _concern(
        "exposed-service/docker-api-without-tls",
        "exposed",
        "Docker Engine API without TLS",
        ["docker"],
        "9.8",
        "The Docker API over plain TCP has no authentication: whoever reaches it can start a "
        "privileged container and so control the host.",
        "Stop listening on TCP (keep the Unix socket), or require TLS client certificates (tlsverify) "
        "on port 2376. " + _RESTRICT,
        cwe="CWE-306",
        tls=False,
    ),
    _concern(
        "exposed-service/docker-api",
        "exposed",
        "Docker Engine API reachable",
        ["docker"],
        "5.3",
        "The Docker API controls the host; over TLS it is only as safe as its client-certificate check.",
        "Make sure the daemon runs with tlsverify and a private CA. " + _RESTRICT,
        tls=True,
    ),
    _concern(
        "exposed-service/vnc",
        "exposed",
        "VNC remote desktop reachable",
        ["vnc"],
        "7.5",
        "VNC gives the whole desktop; its classic password scheme is weak (eight characters, no "
        "lockout) and many servers do not encrypt the session.",
        "Reach VNC through SSH or a VPN only. " + _RESTRICT,
    ),
    _concern(
        "exposed-service/rdp",
        "exposed",
        "Remote Desktop (RDP) reachable",
        ["ms-wbt-server"],
        "7.5",
        "RDP is a common way in for password guessing and ransomware, and has had pre-authentication "
        "flaws (BlueKeep).",
        "Put RDP behind a VPN or a Remote Desktop Gateway, require Network Level Authentication. "
        + _RESTRICT,
    ),
    _concern(
        "exposed-service/smb",
        "exposed",
        "SMB file sharing (Windows networking) reachable",
        ["microsoft-ds", "netbios-ssn"],
        "7.5",
        "SMB and NetBIOS expose shares, user names and a protocol with a history of wormable flaws "
        "(EternalBlue).",
        "Block ports 139 and 445 at the network edge; disable SMBv1. " + _RESTRICT,
    ),
    _concern(
        "exposed-service/snmp",
        "exposed",
        "SNMP reachable",
        ["snmp"],
        "5.3",
        "SNMP v1 and v2c authenticate with a community string sent unencrypted, and often disclose "
        "the device's whole configuration.",
        "Use SNMPv3 with authentication and privacy, change default communities. " + _RESTRICT,
    ),
    _concern(
        "exposed-service/x11",
        "exposed",
        "X11 display server reachable",
        ["x11"],
        "6.5",
        "An X server that accepts network connections lets a client that passes its access control "
        "read keystrokes and the screen; the protocol is unencrypted.",
        "Start the X server with -nolisten tcp and use SSH X forwarding. " + _RESTRICT,
        cwe="CWE-319",
    ),
    _concern(
        "exposed-service/redis",
        "exposed",
        "Redis reachable",
        ["redis"],
        "7.5",
        "Redis needs no password unless one is set, and a client that can write to it can often "
        "turn that into code execution on the host.",
        "Require authentication (ACLs or requirepass), enable protected mode. " + _RESTRICT,
        cwe="CWE-306",
    ),
    _concern(
        "exposed-service/memcached",
        "exposed",
        "Memcached reachable",
        ["memcached"],
        "7.5",
        "Memcached has no authentication in its usual setup: anyone who reaches it reads and "
        "rewrites the cache.",
        "Bind memcached to localhost or a private interface, enable SASL if it must be shared. " + _RESTRICT,
        cwe="CWE-306",
    ),
    _concern(
        "exposed-service/mongodb",
        "exposed",
        "MongoDB reachable",
        ["mongodb", "mongod"],
        "7.5",
        "MongoDB databases reachable from the network are found and emptied by automated attacks "
        "when access control is off, as it was by default before 3.6.",
        "Enable access control (security.authorization) and TLS. " + _RESTRICT,
    ),
    _concern(
        "exposed-service/elasticsearch",
        "exposed",
        "Elasticsearch reachable",
        ["elasticsearch"],
        "7.5",
        "Elasticsearch before 8.0 has no authentication unless security is turned on; its REST API "
        "reads, writes and deletes every index.",
        "Enable Elasticsearch security (authentication and TLS). " + _RESTRICT,
        products=["elasticsearch rest api", "elasticsearch binary api"],
    ),
    _concern(
        "exposed-service/couchdb",
        "exposed",
        "CouchDB reachable",
        ["couchdb"],
        "6.5",
        "CouchDB's HTTP API administers every database; before 3.0 a new server accepted anyone "
        "as administrator.",
        "Make sure an administrator password is set and require valid users. " + _RESTRICT,
        products=["couchdb httpd", "couchdb rest httpd"],
    ),
    _concern(
        "exposed-service/mysql",
        "exposed",
        "MySQL or MariaDB reachable",
        ["mysql"],
        "5.3",
        "A database server reachable from the network invites password guessing and exposes any "
        "flaw in its authentication.",
        "Serve the database to the application hosts only. " + _RESTRICT,
    ),
    _concern(
        "exposed-service/postgresql",
        "exposed",
        "PostgreSQL reachable",
        ["postgresql"],
        "5.3",
        "A database server reachable from the network invites password guessing and exposes any "
        "flaw in its authentication.",
        "Serve the database to the application hosts only (pg_hba.conf and listen_addresses). " + _RESTRICT,
    ),
    _concern(
        "exposed-service/mssql",
        "exposed",
        "Microsoft SQL Server reachable",
        ["ms-sql-s"],
        "5.3",
        "A database server reachable from the network invites password guessing and exposes any "
        "flaw in its authentication.",
        "Serve the database to the application hosts only. " + _RESTRICT,
    ),
    _concern(
        "exposed-service/oracle",
        "exposed",
        "Oracle database listener reachable",
        ["oracle-tns", "oracle"],
        "5.3",
        "A database listener reachable from the network invites password guessing and exposes any "
        "flaw in its authentication.",
        "Serve the database to the application hosts only (listener valid node checking). " + _RESTRICT,
    ),
    _concern(
        "exposed-service/ftp",
        "exposed",
        "FTP service reachable",
        ["ftp"],
        "5.3",
        "FTP sends passwords and files unencrypted unless the client asks for TLS (AUTH TLS), which "
        "this scan does not check.",
        "Use SFTP, or require TLS for every FTP login; turn anonymous access off. " + _RESTRICT,
        cwe="CWE-319",
        tls=False,
    ),
    _concern(
        "exposed-service/rpcbind",
        "exposed",
        "RPC portmapper (rpcbind) reachable",
        ["rpcbind"],
        "5.3",
        "rpcbind lists the host's RPC services (NFS, NIS) and can be used to amplify denial-of-service "
        "traffic.",
        _RESTRICT,
    ),
    _concern(
        "exposed-service/nfs",
        "exposed",
        "NFS file sharing reachable",
        ["nfs"],
        "6.5",
        "NFS (before version 4 with Kerberos) trusts the client's word for who the user is: an "
        "export reachable by a host is readable as any user.",
        "Export only to the hosts that need it, use NFSv4 with Kerberos (sec=krb5p). " + _RESTRICT,
    ),
)


@dataclass(frozen=True, slots=True)
class Service:
    """What nmap says listens on one open port."""

    name: str
    product: str
    version: str
    extra: str
    method: str
    confidence: int | None
    tunnel: str
    cpes: tuple[str, ...]

    @property
    def is_tls(self) -> bool:
        """Tell whether nmap found the service inside a TLS (SSL) tunnel."""
        return self.tunnel == "ssl"

    @property
    def software(self) -> str:
        """Return product and version as one label, empty when nmap named neither."""
        return " ".join(part for part in (self.product, self.version) if part)


@dataclass(frozen=True, slots=True)
class _OpenPort:
    address: str
    protocol: str
    port: int
    service: Service


def parse_ports(text: str, *, maximum: int = MAXIMUM_PORTS) -> str:
    """Check a user's port list (numbers and ranges, comma-separated) and return it in canonical form.

    The canonical form is sorted, with overlapping and adjacent ranges merged (``22,80-81``), so
    that two spellings of one list scan the same ports. Raises ValueError naming the problem.
    """
    if len(text) > MAXIMUM_PORT_SPEC_CHARACTERS:
        raise ValueError(f"the port list is longer than {MAXIMUM_PORT_SPEC_CHARACTERS} characters")
    if not text.strip():
        raise ValueError("the port list is empty")
    ranges: list[tuple[int, int]] = []
    for item in text.split(","):
        item = item.strip()
        match = _PORT_ITEM.fullmatch(item)
        if match is None:
            raise ValueError(
                f"{item!r} is not a port or a range of ports (write numbers such as 22 or 8000-8100)"
            )
        first = int(match[1])
        last = int(match[2]) if match[2] is not None else first
        for number in (first, last):
            if not 1 <= number <= 65535:
                raise ValueError(f"port {number} is outside 1-65535")
        if last < first:
            raise ValueError(f"the range {item!r} runs backwards")
        ranges.append((first, last))
    merged: list[tuple[int, int]] = []
    for first, last in sorted(ranges):
        if merged and first <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(merged[-1][1], last))
        else:
            merged.append((first, last))
    count = sum(last - first + 1 for first, last in merged)
    if count > maximum:
        raise ValueError(f"the port list names {count} ports; at most {maximum} may be scanned at once")
    return ",".join(str(first) if first == last else f"{first}-{last}" for first, last in merged)


def nmap_command(
    *,
    address: str,
    ports: str,
    output: Path,
    nmap: str = "nmap",
    timing: str = "T4",
    host_timeout_seconds: int = 600,
) -> list[str]:
    """Return the nmap argument list that scans a checked address's (or range's) TCP services into ``output``.

    A connect scan (``-sT``, ``--unprivileged``) needs no raw sockets; ``-Pn`` scans even a host
    that does not answer pings; ``-n`` keeps nmap from resolving anything. Every value is checked
    here as well, so a caller's mistake cannot turn into an option.
    """
    scanned = _address_literal(address)
    port_list = parse_ports(ports)
    if timing not in TIMINGS:
        raise ValueError(f"timing {timing!r} is not one of nmap's templates ({', '.join(sorted(TIMINGS))})")
    if isinstance(host_timeout_seconds, bool) or not (
        1 <= host_timeout_seconds <= MAXIMUM_HOST_TIMEOUT_SECONDS
    ):
        raise ValueError(f"the host timeout must be 1 to {MAXIMUM_HOST_TIMEOUT_SECONDS} seconds")
    output_name = str(output)
    # nmap reads "-oX -" as standard output, and another leading dash would look like an option.
    if not output_name or output_name.startswith("-"):
        raise ValueError(f"the output path {output_name!r} is empty or starts with '-'")
    arguments = [
        nmap,
        "-sT",
        "-sV",
        "-Pn",
        "-n",
        "--open",
        "--unprivileged",
        "--no-stylesheet",
        f"-{timing}",
        "-p",
        port_list,
        "--host-timeout",
        f"{host_timeout_seconds}s",
        "-oX",
        output_name,
    ]
    if scanned.version == 6:
        arguments.append("-6")
    return [*arguments, "--", str(scanned)]


def _address_literal(
    address: str,
) -> ipaddress.IPv4Address | ipaddress.IPv6Address | ipaddress.IPv4Network | ipaddress.IPv6Network:
    """Return the checked address, or the checked range (CIDR, host bits clear) a scan may cover."""
    if "/" in address:
        try:
            return ipaddress.ip_network(address, strict=True)
        except ValueError:
            raise ValueError(f"{address!r} is not a network range (CIDR with host bits clear)") from None
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        raise ValueError(f"{address!r} is not an IPv4 or IPv6 address") from None
    if isinstance(parsed, ipaddress.IPv6Address) and parsed.scope_id:
        raise ValueError(f"{address!r} has a zone index; give the plain address")
    return parsed


def sarif_from_nmap(xml: bytes, *, target: str, max_bytes: int = MAX_OUTPUT_BYTES) -> bytes:
    """Convert nmap's XML output (``-oX``) of a finished scan into a SARIF 2.1.0 log.

    ``target`` is what the scan was asked to scan: recorded in the log and, when it is an
    address, the only host the output may report. Raises NmapOutputError when the output is too
    large, not well-formed, not nmap's, declares entities or reports an incomplete scan.
    """
    if len(xml) > max_bytes:
        raise NmapOutputError(f"nmap's output is {len(xml)} bytes, more than the limit of {max_bytes}")
    root = _parse(xml)
    version = root.get("version") or None
    finished = _finished(root)
    expected = _expected_address(target)
    ports = [(port, _concern_for(port.service)) for port in _open_ports(root, expected)]
    rules: dict[str, dict[str, Any]] = {}
    for _port, concern in ports:
        rule_id = concern.rule_id if concern else OPEN_PORT_RULE
        if rule_id not in rules:
            rules[rule_id] = _rule(concern)
    rule_ids = sorted(rules)
    rule_index = {rule_id: index for index, rule_id in enumerate(rule_ids)}
    results = [_result(port, concern, target, rule_index) for port, concern in ports]
    invocation: dict[str, Any] = {"executionSuccessful": True}
    started = _timestamp(root.get("start"))
    if started:
        invocation["startTimeUtc"] = started
    ended = _timestamp(finished.get("time"))
    if ended:
        invocation["endTimeUtc"] = ended
    driver: dict[str, Any] = {
        "name": TOOL_NAME,
        "informationUri": "https://nmap.org",
        "rules": [rules[rule_id] for rule_id in rule_ids],
    }
    if version:
        driver["version"] = _clip(version)
    log = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {"driver": driver},
                "invocations": [invocation],
                "results": results,
                "properties": {
                    "target": _clip(target),
                    "addresses": sorted({port.address for port, _concern in ports}),
                    "openPorts": len(ports),
                },
            }
        ],
    }
    return orjson.dumps(log)


def _parse(xml: bytes) -> Element:
    """Parse the document with defusedxml, after blanking nmap's own bare DOCTYPE."""
    if not xml.strip():
        raise NmapOutputError("nmap's output is empty (did the scan run?)")
    match = _NMAP_DOCTYPE.match(xml)
    if match is not None:
        # Same length, so that a parse error still names the right place.
        xml = match.expand(rb"\1\2") + b" " * len(b"<!DOCTYPE nmaprun>") + xml[match.end() :]
    try:
        root = fromstring(xml, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as error:
        raise NmapOutputError(
            f"nmap's output declares a DTD or entities, which are refused: {error}"
        ) from None
    except ParseError as error:
        raise NmapOutputError(f"nmap's output is not well-formed XML: {error}") from None
    if root.tag != "nmaprun":
        raise NmapOutputError(
            f"the root element is <{root.tag}>, not <nmaprun>: this is not nmap's XML output"
        )
    if root.get("scanner", "nmap") != "nmap":
        raise NmapOutputError(f"the output was written by {root.get('scanner')!r}, not nmap")
    return root


def _finished(root: Element) -> Element:
    """Return the run's ``finished`` element; refuse a run nmap did not finish successfully."""
    finished = root.find("runstats/finished")
    if finished is None:
        raise NmapOutputError("nmap's output has no run statistics: the scan did not finish")
    if finished.get("exit", "success") != "success":
        problem = _clip(finished.get("errormsg") or "no message")
        raise NmapOutputError(f"nmap reports that the scan failed: {problem}")
    return finished


def _expected_address(target: str) -> str | None:
    try:
        return str(ipaddress.ip_address(target))
    except ValueError:
        return None


def _open_ports(root: Element, expected: str | None) -> Iterator[_OpenPort]:
    """Yield the open ports of every host, in nmap's order; refuse a host the scan did not finish."""
    seen: set[tuple[str, str, int]] = set()
    for host in root.iterfind("host"):
        address = _host_address(host)
        if host.get("timedout") == "true":
            raise NmapOutputError(
                f"the scan of {address or 'the host'} reached its host timeout; nmap reports none of "
                "its ports, so the output is incomplete"
            )
        if expected is not None and address is not None and address != expected:
            raise NmapOutputError(f"the output reports host {address}, but the scan was of {expected}")
        for port in host.iterfind("ports/port"):
            state = port.find("state")
            if state is None or state.get("state") != "open":
                continue
            if address is None:
                raise NmapOutputError("the output reports an open port on a host without an IP address")
            protocol = port.get("protocol", "")
            if protocol not in ("tcp", "udp", "sctp"):
                raise NmapOutputError(f"protocol {protocol!r} of an open port is not tcp, udp or sctp")
            number = _port_number(port.get("portid"))
            key = (address, protocol, number)
            if key in seen:
                raise NmapOutputError(f"port {number}/{protocol} of {address} is reported twice")
            seen.add(key)
            yield _OpenPort(address, protocol, number, _service(port.find("service")))


def _host_address(host: Element) -> str | None:
    """Return the host's IP address in canonical form (a MAC address is not a place to scan)."""
    for element in host.iterfind("address"):
        if element.get("addrtype") in ("ipv4", "ipv6"):
            try:
                return str(ipaddress.ip_address(element.get("addr", "")))
            except ValueError:
                raise NmapOutputError(f"{_clip(element.get('addr'))!r} is not an IP address") from None
    return None


def _port_number(value: str | None) -> int:
    if value is None or not value.isascii() or not value.isdigit() or not 1 <= int(value) <= 65535:
        raise NmapOutputError(f"port number {_clip(value)!r} is not between 1 and 65535")
    return int(value)


def _service(element: Element | None) -> Service:
    if element is None:
        return Service("", "", "", "", "", None, "", ())
    confidence = element.get("conf", "")
    cpes = [(child.text or "").strip() for child in element.iterfind("cpe")]
    return Service(
        name=_clip(element.get("name")),
        product=_clip(element.get("product")),
        version=_clip(element.get("version")),
        extra=_clip(element.get("extrainfo")),
        method=_clip(element.get("method")),
        confidence=int(confidence) if confidence.isascii() and confidence.isdigit() else None,
        tunnel=_clip(element.get("tunnel")),
        cpes=tuple(dict.fromkeys(_clip(cpe) for cpe in cpes if cpe))[:_CPE_LIMIT],
    )


def _concern_for(service: Service) -> ServiceConcern | None:
    return next((concern for concern in SERVICE_CONCERNS if concern.matches(service)), None)


def _level(score: Decimal) -> str:
    if score >= 7:
        return "error"
    if score >= 4:
        return "warning"
    return "note" if score > 0 else "none"


def _rule(concern: ServiceConcern | None) -> dict[str, Any]:
    """Describe a kind of finding as a SARIF rule: its severity, why it matters and the fix."""
    if concern is None:
        return {
            "id": OPEN_PORT_RULE,
            "shortDescription": {"text": "Open port (service inventory)"},
            "fullDescription": {
                "text": "A port that answered the scan. Not a weakness by itself: it records what the "
                "asset offers to the network."
            },
            "help": {"text": "Close the port if nothing should listen there."},
            "defaultConfiguration": {"level": "none"},
            "properties": {"tags": ["network", "inventory"], "security-severity": "0.0"},
        }
    return {
        "id": concern.rule_id,
        "shortDescription": {"text": concern.title},
        "fullDescription": {"text": concern.risk},
        "help": {"text": concern.fix},
        "defaultConfiguration": {"level": _level(concern.score)},
        "properties": {
            "tags": ["security", "network", concern.kind, concern.cwe],
            "security-severity": f"{concern.score:.1f}",
        },
    }


def _result(
    port: _OpenPort, concern: ServiceConcern | None, target: str, rule_index: dict[str, int]
) -> dict[str, Any]:
    """Describe one open port as a SARIF result under its concern's rule, or as inventory."""
    service = port.service
    rule_id = concern.rule_id if concern else OPEN_PORT_RULE
    where = f"{port.port}/{port.protocol}"
    label = _service_label(service)
    if concern is not None:
        heading = f"{concern.title} on port {where}"
    else:
        # The title leaves out nmap's extra information (OS, protocol level), the message keeps it.
        short = _service_label(service, with_extra=False)
        heading = f"Open port {where}" + (f": {short}" if short else "")
    lines = [heading, f"Address: {port.address}" + ("" if target == port.address else f" (target {target})")]
    if label:
        lines.append(f"Service: {label}")
    if service.method == "probed":
        confidence = f", confidence {service.confidence}/10" if service.confidence is not None else ""
        lines.append(f"Identified by nmap's probes{confidence}.")
    elif service.name:
        lines.append("nmap guessed the service from the port number only; nothing answered as it.")
    lines.extend(f"CPE: {cpe}" for cpe in service.cpes)
    host = f"[{port.address}]" if ":" in port.address else port.address
    location: dict[str, Any] = {
        "physicalLocation": {"artifactLocation": {"uri": f"{port.protocol}://{host}:{port.port}"}}
    }
    component = service.software or service.name
    if component:
        location["logicalLocations"] = [{"fullyQualifiedName": component, "kind": "resource"}]
    score = concern.score if concern else Decimal("0.0")
    return {
        "ruleId": rule_id,
        "ruleIndex": rule_index[rule_id],
        "level": _level(score),
        "message": {"text": "\n".join(lines)},
        "locations": [location],
        "partialFingerprints": {
            FINGERPRINT_KEY: fingerprint(port.address, port.protocol, port.port, rule_id)
        },
        "properties": {
            "address": port.address,
            "protocol": port.protocol,
            "port": port.port,
            "service": service.name,
            "product": service.product,
            "version": service.version,
            "extraInfo": service.extra,
            "tunnel": service.tunnel,
            "detection": service.method,
            "cpe": list(service.cpes),
        },
    }


def _service_label(service: Service, *, with_extra: bool = True) -> str:
    """Return "name (product version; extra)", as much of it as nmap gave."""
    details = service.software
    if service.extra and with_extra:
        details = f"{details}; {service.extra}" if details else service.extra
    name = f"{service.tunnel}/{service.name}" if service.tunnel and service.name else service.name
    if name and details:
        return f"{name} ({details})"
    return name or details


def fingerprint(address: str, protocol: str, port: int, rule_id: str) -> str:
    """Return a result's stable key: address, protocol, port and rule; never the service's version."""
    canonical = str(ipaddress.ip_address(address))
    parts = (canonical, protocol, str(port), rule_id)
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()[:32]


def _timestamp(value: str | None) -> str | None:
    """Return nmap's Unix time as SARIF's UTC date-time, None when it is absent or not a time."""
    if value is None or not value.isascii() or not value.isdigit():
        return None
    try:
        moment = datetime.fromtimestamp(int(value), tz=UTC)
    except (OverflowError, OSError, ValueError):
        return None
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _clip(value: object) -> str:
    """Return a field of nmap's output as one line of bounded length (banners are the host's words)."""
    return " ".join(str(value or "").split())[:_FIELD_LIMIT]
