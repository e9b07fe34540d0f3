"""The network scan engine: nmap's argument list, its XML as SARIF, and a real nmap against local servers.

The fixtures under fixtures/nmap are real nmap 7.93 runs against this machine's loopback: an
SSH-like banner, Python's HTTP server, MariaDB, PostgreSQL and Redis (loopback-services.xml),
Redis over IPv6 (ipv6-redis.xml), a port with nothing listening (no-open-ports.xml) and a scan
that reached its host timeout (host-timeout.xml).
"""

from __future__ import annotations

import io
import json
import platform
import socket
import socketserver
import subprocess
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from bastion.contracts.finding import NormalizedFinding, Severity
from bastion.parsers import parse_report
from bastion.scanner.engines.network import (
    DEFAULT_PORTS,
    FINGERPRINT_KEY,
    MAXIMUM_PORTS,
    TOOL_NAME,
    NmapOutputError,
    fingerprint,
    nmap_command,
    parse_ports,
    sarif_from_nmap,
)
from tests.services import require_program

FIXTURES = Path(__file__).parent / "fixtures" / "nmap"
LOOPBACK = (FIXTURES / "loopback-services.xml").read_bytes()
SSH_BANNER = b"SSH-2.0-OpenSSH_8.2p1 Ubuntu-4ubuntu0.5\r\n"


def findings_of(sarif: bytes) -> list[NormalizedFinding]:
    parser, findings = parse_report(io.BytesIO(sarif))
    assert parser.name == "sarif"
    return list(findings)


def results_of(sarif: bytes) -> list[dict[str, Any]]:
    log = json.loads(sarif)
    assert len(log["runs"]) == 1
    results: list[dict[str, Any]] = log["runs"][0]["results"]
    return results


def nmap_xml(
    *ports: str, address: str = "203.0.113.7", addrtype: str = "ipv4", exit: str = "success"
) -> bytes:
    """Return nmap's XML layout around the given <port> elements (for cases no real run gives)."""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE nmaprun>\n'
        '<nmaprun scanner="nmap" args="nmap" start="1796625229" version="7.93" xmloutputversion="1.05">\n'
        f'<host starttime="1796625230" endtime="1796625236"><status state="up" reason="user-set"/>\n'
        f'<address addr="{address}" addrtype="{addrtype}"/>\n<ports>{"".join(ports)}</ports>\n</host>\n'
        f'<runstats><finished time="1796625236" elapsed="6.90" exit="{exit}"/>'
        '<hosts up="1" down="0" total="1"/></runstats>\n</nmaprun>\n'
    ).encode()


def port(number: int, service: str) -> str:
    return f'<port protocol="tcp" portid="{number}"><state state="open" reason="syn-ack"/>{service}</port>'


# --- port lists ---------------------------------------------------------------------------


def test_default_ports_are_a_valid_canonical_list_with_the_usual_services() -> None:
    # when
    canonical = parse_ports(DEFAULT_PORTS)

    # then
    assert canonical == DEFAULT_PORTS
    listed = {number for item in DEFAULT_PORTS.split(",") for number in _expanded(item)}
    usual = {21, 22, 23, 25, 53, 80, 110, 111, 135, 139, 143, 389, 443, 445, 465, 587, 631, 993, 995, 1433}
    usual |= {1521, 2049, 2375, 2376, 3000, 3306, 3389, 5000, 5432, 5601, 5900, 5984, 6379, 8000, 8080}
    usual |= {8443, 8888, 9000, 9200, 9300, 11211, 27017}
    assert usual - listed == set()


@pytest.mark.parametrize(
    ("given", "canonical"),
    [
        ("22", "22"),
        (" 443 , 22,80 ", "22,80,443"),
        ("8000-8100,8080,22,21", "21-22,8000-8100"),
        ("1-10,5-20,21", "1-21"),
        ("0080", "80"),
        ("65535", "65535"),
    ],
)
def test_a_port_list_is_returned_sorted_and_merged(given: str, canonical: str) -> None:
    assert parse_ports(given) == canonical


@pytest.mark.parametrize(
    ("given", "problem"),
    [
        ("", "the port list is empty"),
        ("  ", "the port list is empty"),
        ("0", "port 0 is outside 1-65535"),
        ("65536", "port 65536 is outside 1-65535"),
        ("100-20", "the range '100-20' runs backwards"),
        ("22-", "'22-' is not a port or a range of ports"),
        ("-22", "'-22' is not a port or a range of ports"),
        ("ssh", "'ssh' is not a port or a range of ports"),
        ("T:22", "'T:22' is not a port or a range of ports"),
        ("22;80", "'22;80' is not a port or a range of ports"),
        ("22,,80", "'' is not a port or a range of ports"),
        ("\uff12\uff12", "'\uff12\uff12' is not a port or a range of ports"),  # full-width digits
        ("22 80", "'22 80' is not a port or a range of ports"),
        ("1-65535", f"the port list names 65535 ports; at most {MAXIMUM_PORTS} may be scanned at once"),
        ("1," * 5000, "the port list is longer than 8192 characters"),
    ],
)
def test_a_bad_port_list_is_refused_with_its_reason(given: str, problem: str) -> None:
    with pytest.raises(ValueError, match="^" + _escaped(problem)):
        parse_ports(given)


def test_the_port_limit_counts_ports_not_items() -> None:
    assert parse_ports("1-100", maximum=100) == "1-100"
    with pytest.raises(ValueError, match="names 101 ports; at most 100"):
        parse_ports("1-100,200", maximum=100)


def _expanded(item: str) -> range:
    first, _dash, last = item.partition("-")
    return range(int(first), int(last or first) + 1)


def _escaped(text: str) -> str:
    return "".join("\\" + character if character in ".^$*+?{}[]\\|()" else character for character in text)


# --- the nmap command ---------------------------------------------------------------------


def test_the_command_is_an_unprivileged_connect_scan_of_one_address(tmp_path: Path) -> None:
    output = tmp_path / "scan.xml"

    command = nmap_command(address="203.0.113.7", ports="443,22", output=output)

    assert command == [
        "nmap", "-sT", "-sV", "-Pn", "-n", "--open", "--unprivileged", "--no-stylesheet", "-T4",
        "-p", "22,443", "--host-timeout", "600s", "-oX", str(output), "--", "203.0.113.7",
    ]  # fmt: skip


def test_an_ipv6_address_is_scanned_with_dash_6_in_canonical_form(tmp_path: Path) -> None:
    command = nmap_command(
        address="2001:DB8:0:0::10",
        ports="80",
        output=tmp_path / "scan.xml",
        nmap="/usr/bin/nmap",
        timing="T3",
        host_timeout_seconds=30,
    )

    assert command[0] == "/usr/bin/nmap"
    assert command[8] == "-T3"
    assert command[-6:] == ["30s", "-oX", str(tmp_path / "scan.xml"), "-6", "--", "2001:db8::10"]


@pytest.mark.parametrize(
    ("arguments", "problem"),
    [
        ({"address": "example.com"}, "'example.com' is not an IPv4 or IPv6 address"),
        ({"address": "203.0.113.1/24"}, "is not a network range (CIDR with host bits clear)"),
        ({"address": "--script=http-shellshock"}, "is not an IPv4 or IPv6 address"),
        ({"address": "127.1"}, "'127.1' is not an IPv4 or IPv6 address"),
        ({"address": "fe80::1%eth0"}, "'fe80::1%eth0' has a zone index"),
        ({"ports": "22,--script=x"}, "'--script=x' is not a port"),
        ({"timing": "T9"}, "timing 'T9' is not one of nmap's templates"),
        ({"timing": "-sC"}, "timing '-sC' is not one of nmap's templates"),
        ({"host_timeout_seconds": 0}, "the host timeout must be 1 to 86400 seconds"),
        ({"host_timeout_seconds": 86401}, "the host timeout must be 1 to 86400 seconds"),
        ({"output": Path("-")}, "the output path '-' is empty or starts with '-'"),
        ({"output": Path("-iL/etc/passwd")}, "starts with '-'"),
    ],
)
def test_a_bad_value_never_reaches_the_command(
    tmp_path: Path, arguments: dict[str, Any], problem: str
) -> None:
    given: dict[str, Any] = {"address": "203.0.113.7", "ports": "22", "output": tmp_path / "scan.xml"}
    given.update(arguments)

    with pytest.raises(ValueError, match=_escaped(problem)):
        nmap_command(**given)


# --- nmap's XML as SARIF ------------------------------------------------------------------


def test_each_open_port_of_a_real_scan_is_one_finding_under_its_rule() -> None:
    # when
    findings = findings_of(sarif_from_nmap(LOOPBACK, target="127.0.0.1"))

    # then
    assert [
        (item.rule_id, item.title, item.severity, item.location.file_path, item.location.component)
        for item in findings
    ] == [
        (
            "exposed-service/mysql",
            "MySQL or MariaDB reachable on port 3306/tcp",
            Severity.MEDIUM,
            "tcp://127.0.0.1:3306",
            "MySQL 5.5.5-10.11.19-MariaDB-0+deb12u1",
        ),
        (
            "exposed-service/postgresql",
            "PostgreSQL reachable on port 5432/tcp",
            Severity.MEDIUM,
            "tcp://127.0.0.1:5432",
            "PostgreSQL DB 9.6.0 or later",
        ),
        (
            "exposed-service/redis",
            "Redis reachable on port 6379/tcp",
            Severity.HIGH,
            "tcp://127.0.0.1:6379",
            "Redis key-value store 7.0.15",
        ),
        (
            "open-port",
            "Open port 39817/tcp: ssh (OpenSSH 8.2p1 Ubuntu 4ubuntu0.5)",
            Severity.INFO,
            "tcp://127.0.0.1:39817",
            "OpenSSH 8.2p1 Ubuntu 4ubuntu0.5",
        ),
        (
            "open-port",
            "Open port 44421/tcp: http (SimpleHTTPServer 0.6)",
            Severity.INFO,
            "tcp://127.0.0.1:44421",
            "SimpleHTTPServer 0.6",
        ),
    ]
    assert {item.tool for item in findings} == {TOOL_NAME}
    assert {item.tool_version for item in findings} == {"7.93"}
    redis = findings[2]
    assert redis.cwe_ids == (306,)
    assert redis.remediation.startswith("Require authentication (ACLs or requirepass)")
    assert redis.description.splitlines()[:5] == [
        "Redis reachable on port 6379/tcp",
        "Address: 127.0.0.1",
        "Service: redis (Redis key-value store 7.0.15)",
        "Identified by nmap's probes, confidence 10/10.",
        "CPE: cpe:/a:redislabs:redis:7.0.15",
    ]


def test_version_details_and_cpes_are_in_the_result_properties() -> None:
    results = results_of(sarif_from_nmap(LOOPBACK, target="127.0.0.1"))

    ssh = results[3]["properties"]
    assert ssh == {
        "address": "127.0.0.1",
        "protocol": "tcp",
        "port": 39817,
        "service": "ssh",
        "product": "OpenSSH",
        "version": "8.2p1 Ubuntu 4ubuntu0.5",
        "extraInfo": "Ubuntu Linux; protocol 2.0",
        "tunnel": "",
        "detection": "probed",
        "cpe": ["cpe:/a:openbsd:openssh:8.2p1", "cpe:/o:linux:linux_kernel"],
    }
    assert results[1]["properties"]["cpe"] == ["cpe:/a:postgresql:postgresql"]


def test_the_log_names_the_tool_its_rules_and_the_run() -> None:
    log = json.loads(sarif_from_nmap(LOOPBACK, target="127.0.0.1"))

    run = log["runs"][0]
    assert log["version"] == "2.1.0"
    assert run["tool"]["driver"]["name"] == TOOL_NAME
    assert run["tool"]["driver"]["version"] == "7.93"
    rules = run["tool"]["driver"]["rules"]
    assert [rule["id"] for rule in rules] == [
        "exposed-service/mysql",
        "exposed-service/postgresql",
        "exposed-service/redis",
        "open-port",
    ]
    assert [rules[result["ruleIndex"]]["id"] for result in run["results"]] == [
        result["ruleId"] for result in run["results"]
    ]
    assert run["invocations"] == [
        {
            "executionSuccessful": True,
            "startTimeUtc": "2026-12-07T06:33:49Z",
            "endTimeUtc": "2026-12-07T06:33:56Z",
        }
    ]
    assert run["properties"] == {"target": "127.0.0.1", "addresses": ["127.0.0.1"], "openPorts": 5}


def test_fingerprints_are_stable_across_rescans_and_upgrades() -> None:
    # given the same scan twice, and a rescan after Redis and OpenSSH were upgraded
    first = findings_of(sarif_from_nmap(LOOPBACK, target="127.0.0.1"))
    again = findings_of(sarif_from_nmap(LOOPBACK, target="127.0.0.1"))
    upgraded_xml = (
        LOOPBACK.replace(b'version="7.0.15"', b'version="7.2.4"')
        .replace(b"redis:7.0.15", b"redis:7.2.4")
        .replace(b'version="8.2p1 Ubuntu 4ubuntu0.5"', b'version="9.6p1 Ubuntu 3ubuntu13"')
    )
    upgraded = findings_of(sarif_from_nmap(upgraded_xml, target="127.0.0.1"))

    # then
    assert [item.fingerprint for item in again] == [item.fingerprint for item in first]
    assert [item.fingerprint for item in upgraded] == [item.fingerprint for item in first]
    assert len({item.fingerprint for item in first}) == 5
    assert upgraded[2].location.component == "Redis key-value store 7.2.4"
    assert upgraded[3].title == "Open port 39817/tcp: ssh (OpenSSH 9.6p1 Ubuntu 3ubuntu13)"
    assert results_of(sarif_from_nmap(LOOPBACK, target="127.0.0.1"))[2]["partialFingerprints"] == {
        FINGERPRINT_KEY: fingerprint("127.0.0.1", "tcp", 6379, "exposed-service/redis")
    }


def test_another_address_or_port_is_another_finding() -> None:
    keys = {
        fingerprint("127.0.0.1", "tcp", 6379, "exposed-service/redis"),
        fingerprint("127.0.0.2", "tcp", 6379, "exposed-service/redis"),
        fingerprint("127.0.0.1", "tcp", 6380, "exposed-service/redis"),
        fingerprint("127.0.0.1", "udp", 6379, "exposed-service/redis"),
        fingerprint("127.0.0.1", "tcp", 6379, "open-port"),
    }

    assert len(keys) == 5
    assert fingerprint("2001:DB8::1", "tcp", 22, "open-port") == fingerprint(
        "2001:db8::1", "tcp", 22, "open-port"
    )


def test_an_ipv6_scan_brackets_the_address_in_the_location() -> None:
    findings = findings_of(sarif_from_nmap((FIXTURES / "ipv6-redis.xml").read_bytes(), target="::1"))

    assert [(item.rule_id, item.location.file_path, item.severity) for item in findings] == [
        ("exposed-service/redis", "tcp://[::1]:6379", Severity.HIGH)
    ]


def test_a_scan_without_open_ports_is_a_valid_log_without_results() -> None:
    sarif = sarif_from_nmap((FIXTURES / "no-open-ports.xml").read_bytes(), target="127.0.0.1")

    assert findings_of(sarif) == []
    run = json.loads(sarif)["runs"][0]
    assert run["results"] == []
    assert run["tool"]["driver"]["rules"] == []
    assert run["properties"]["openPorts"] == 0


def test_a_host_that_is_down_gives_no_results() -> None:
    xml = nmap_xml().replace(b'<status state="up"', b'<status state="down"').replace(b"<ports></ports>", b"")

    assert findings_of(sarif_from_nmap(xml, target="203.0.113.7")) == []


def test_a_timed_out_host_is_refused_rather_than_read_as_no_ports() -> None:
    with pytest.raises(NmapOutputError, match="the scan of 127.0.0.1 reached its host timeout"):
        sarif_from_nmap((FIXTURES / "host-timeout.xml").read_bytes(), target="127.0.0.1")


def test_a_failed_run_is_refused_with_nmaps_message() -> None:
    xml = nmap_xml(exit="error").replace(b'exit="error"', b'exit="error" errormsg="Failed to open device"')

    with pytest.raises(NmapOutputError, match="nmap reports that the scan failed: Failed to open device"):
        sarif_from_nmap(xml, target="203.0.113.7")


def test_output_about_another_host_than_the_target_is_refused() -> None:
    with pytest.raises(NmapOutputError, match="reports host 127.0.0.1, but the scan was of 203.0.113.7"):
        sarif_from_nmap(LOOPBACK, target="203.0.113.7")


def test_a_named_target_is_recorded_next_to_the_address() -> None:
    results = results_of(sarif_from_nmap(LOOPBACK, target="db.example.com"))

    assert results[0]["message"]["text"].splitlines()[1] == "Address: 127.0.0.1 (target db.example.com)"


@pytest.mark.parametrize(
    ("service", "rule_id", "severity"),
    [
        ('<service name="telnet" product="Linux telnetd" method="probed" conf="10"/>',
         "cleartext-protocol/telnet", Severity.HIGH),
        ('<service name="telnet" tunnel="ssl" method="probed" conf="10"/>', "open-port", Severity.INFO),
        ('<service name="shell" product="netkit-rshd" method="probed" conf="10"/>',
         "cleartext-protocol/r-services", Severity.HIGH),
        ('<service name="docker" product="Docker" version="24.0.7" method="probed" conf="10"/>',
         "exposed-service/docker-api-without-tls", Severity.CRITICAL),
        ('<service name="docker" tunnel="ssl" method="probed" conf="10"/>', "exposed-service/docker-api",
         Severity.MEDIUM),
        ('<service name="ms-wbt-server" product="Microsoft Terminal Services" method="probed" conf="10"/>',
         "exposed-service/rdp", Severity.HIGH),
        ('<service name="microsoft-ds" method="probed" conf="10"/>', "exposed-service/smb", Severity.HIGH),
        ('<service name="X11" method="probed" conf="10"/>', "exposed-service/x11", Severity.MEDIUM),
        ('<service name="http" product="Elasticsearch REST API" version="7.17.0" method="probed" conf="10"/>',
         "exposed-service/elasticsearch", Severity.HIGH),
        ('<service name="http" product="Elasticsearch Kibana" method="probed" conf="10"/>', "open-port",
         Severity.INFO),
        ('<service name="http" product="CouchDB httpd" version="3.3.2" method="probed" conf="10"/>',
         "exposed-service/couchdb", Severity.MEDIUM),
        ('<service name="ftp" product="vsftpd" version="3.0.3" method="probed" conf="10"/>',
         "exposed-service/ftp", Severity.MEDIUM),
        ('<service name="ftp" tunnel="ssl" method="probed" conf="10"/>', "open-port", Severity.INFO),
        ('<service name="smtp" product="Postfix smtpd" method="probed" conf="10"/>', "open-port",
         Severity.INFO),
        # nmap's guess from the port number alone: nothing answered as Redis
        ('<service name="redis" method="table" conf="3"/>', "open-port", Severity.INFO),
        ("", "open-port", Severity.INFO),
    ],
)  # fmt: skip
def test_the_concern_table_decides_each_ports_rule(service: str, rule_id: str, severity: Severity) -> None:
    findings = findings_of(sarif_from_nmap(nmap_xml(port(2000, service)), target="203.0.113.7"))

    assert [(item.rule_id, item.severity) for item in findings] == [(rule_id, severity)]


def test_a_guessed_service_says_it_is_a_guess() -> None:
    xml = nmap_xml(port(6379, '<service name="redis" method="table" conf="3"/>'))

    (result,) = results_of(sarif_from_nmap(xml, target="203.0.113.7"))

    assert result["message"]["text"].splitlines() == [
        "Open port 6379/tcp: redis",
        "Address: 203.0.113.7",
        "Service: redis",
        "nmap guessed the service from the port number only; nothing answered as it.",
    ]


def test_closed_and_filtered_ports_are_not_findings() -> None:
    xml = nmap_xml(
        '<port protocol="tcp" portid="23"><state state="closed" reason="conn-refused"/></port>',
        '<port protocol="tcp" portid="25"><state state="filtered" reason="no-response"/></port>',
        port(22, '<service name="ssh" method="probed" conf="10"/>'),
    )

    findings = findings_of(sarif_from_nmap(xml, target="203.0.113.7"))

    assert [item.location.file_path for item in findings] == ["tcp://203.0.113.7:22"]


def test_long_banner_fields_are_clipped_to_one_bounded_line() -> None:
    product = "Evil\nServer " + "A" * 5000
    xml = nmap_xml(port(8080, f'<service name="http" product="{product}" method="probed" conf="10"/>'))

    (result,) = results_of(sarif_from_nmap(xml, target="203.0.113.7"))

    assert result["properties"]["product"] == ("Evil Server " + "A" * 5000)[:200]


# --- hostile or broken output -------------------------------------------------------------

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE nmaprun [
  <!ENTITY lol "lol">
  <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
]>
<nmaprun scanner="nmap" version="7.93">
<runstats><finished exit="success" summary="&lol2;"/></runstats></nmaprun>
"""

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE nmaprun [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<nmaprun scanner="nmap" version="7.93">
<runstats><finished exit="success" summary="&secret;"/></runstats></nmaprun>
"""

EXTERNAL_DTD = b"""<?xml version="1.0"?>
<!DOCTYPE nmaprun SYSTEM "http://127.0.0.1:1/nmap.dtd">
<nmaprun scanner="nmap" version="7.93"><runstats><finished exit="success"/></runstats></nmaprun>
"""


@pytest.mark.parametrize(
    ("xml", "problem"),
    [
        (BILLION_LAUGHS, "declares a DTD or entities, which are refused"),
        (EXTERNAL_ENTITY, "declares a DTD or entities, which are refused"),
        (EXTERNAL_DTD, "declares a DTD or entities, which are refused"),
        (b"", "nmap's output is empty"),
        (b"Starting Nmap 7.93 ( https://nmap.org )\nNmap done", "is not well-formed XML"),
        (LOOPBACK[: len(LOOPBACK) // 2], "is not well-formed XML"),
        (b'{"runs": []}', "is not well-formed XML"),
        (b'<?xml version="1.0"?><report><host/></report>', "the root element is <report>, not <nmaprun>"),
        (b'<nmaprun scanner="masscan"><runstats><finished/></runstats></nmaprun>', "written by 'masscan'"),
        (b'<nmaprun scanner="nmap"><host/></nmaprun>', "has no run statistics: the scan did not finish"),
        (nmap_xml(port(0, "")), "port number '0' is not between 1 and 65535"),
        (nmap_xml(port(22, "").replace('portid="22"', 'portid="twenty-two"')), "port number 'twenty-two'"),
        (nmap_xml(port(22, "").replace('protocol="tcp"', 'protocol="icmp"')), "protocol 'icmp'"),
        (nmap_xml(port(22, ""), port(22, "")), "port 22/tcp of 203.0.113.7 is reported twice"),
        (nmap_xml(port(22, ""), address="00:11:22:33:44:55", addrtype="mac"), "on a host without an IP"),
        (nmap_xml(port(22, ""), address="999.1.1.1"), "'999.1.1.1' is not an IP address"),
    ],
)
def test_hostile_or_broken_output_is_refused(xml: bytes, problem: str) -> None:
    with pytest.raises(NmapOutputError, match=_escaped(problem)):
        sarif_from_nmap(xml, target="scan")


def test_output_past_the_size_limit_is_refused_before_it_is_parsed() -> None:
    with pytest.raises(NmapOutputError, match=f"is {len(LOOPBACK)} bytes, more than the limit of 1024"):
        sarif_from_nmap(LOOPBACK, target="127.0.0.1", max_bytes=1024)

    assert len(results_of(sarif_from_nmap(LOOPBACK, target="127.0.0.1", max_bytes=len(LOOPBACK)))) == 5


def test_nmaps_own_doctype_is_accepted_only_in_its_bare_form() -> None:
    with_subset = LOOPBACK.replace(b"<!DOCTYPE nmaprun>", b"<!DOCTYPE nmaprun [<!ELEMENT nmaprun ANY>]>")

    with pytest.raises(NmapOutputError, match="declares a DTD"):
        sarif_from_nmap(with_subset, target="127.0.0.1")


# --- a real nmap against servers started here ---------------------------------------------


class _BannerHandler(socketserver.BaseRequestHandler):
    """Speak first, as sshd does, then wait for the client to go."""

    def handle(self) -> None:
        try:
            self.request.sendall(SSH_BANNER)
            self.request.settimeout(10)
            while self.request.recv(1024):
                pass
        except OSError:
            pass


class _RedisLikeHandler(socketserver.BaseRequestHandler):
    """Answer each inline command line as Redis does; GET with the wrong arity is what nmap checks.

    Redis says nothing to a blank line, which makes nmap wait five seconds on its blank-lines
    probe; a connection that starts blank gets one error and is closed instead, matching no
    service, so that nmap moves on at once to the GET probe that identifies Redis.
    """

    def handle(self) -> None:
        pending = b""
        has_spoken = False
        self.request.settimeout(10)
        try:
            while chunk := self.request.recv(4096):
                pending += chunk
                *lines, pending = pending.split(b"\n")
                for line in lines:
                    words = line.strip().split()
                    if not words:
                        if not has_spoken:
                            self.request.sendall(b"-ERR unknown command ''\r\n")
                            return
                        continue
                    has_spoken = True
                    if words[0].upper() == b"GET" and len(words) != 2:
                        self.request.sendall(b"-ERR wrong number of arguments for 'get' command\r\n")
                    else:
                        self.request.sendall(b"-ERR unknown command\r\n")
        except OSError:
            pass


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 (the base class's name)
        pass


class _QuietTCPServer(socketserver.ThreadingTCPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # nmap closes connections abruptly: not an error of the test


class _QuietHTTPServer(ThreadingHTTPServer):
    def handle_error(self, request: Any, client_address: Any) -> None:
        pass


def _serving(server: socketserver.TCPServer) -> Iterator[int]:
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@pytest.fixture
def ssh_port() -> Iterator[int]:
    yield from _serving(_QuietTCPServer(("127.0.0.1", 0), _BannerHandler))


@pytest.fixture
def redis_port() -> Iterator[int]:
    yield from _serving(_QuietTCPServer(("127.0.0.1", 0), _RedisLikeHandler))


@pytest.fixture
def http_port(tmp_path: Path) -> Iterator[int]:
    (tmp_path / "index.html").write_text("<p>hello</p>")

    def handler(*args: Any) -> _QuietHandler:
        return _QuietHandler(*args, directory=str(tmp_path))

    yield from _serving(_QuietHTTPServer(("127.0.0.1", 0), handler))


@pytest.fixture
def closed_port() -> int:
    """A port nothing listens on: bound, read back and released."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        number: int = probe.getsockname()[1]
    return number


@pytest.mark.slow  # nmap waits about six seconds for servers that do not speak first
def test_a_real_nmap_scan_finds_the_services_started_here(
    tmp_path: Path, ssh_port: int, http_port: int, redis_port: int, closed_port: int
) -> None:
    # given
    nmap = require_program("nmap", "nmap")
    output = tmp_path / "scan.xml"
    ports = f"{ssh_port},{http_port},{redis_port},{closed_port}"
    command = nmap_command(
        address="127.0.0.1", ports=ports, output=output, nmap=nmap, host_timeout_seconds=90
    )

    # when
    completed = subprocess.run(  # noqa: S603 (an argument list of checked values)
        command,
        env={"PATH": "/usr/bin:/bin", "LC_ALL": "C"},
        stdin=subprocess.DEVNULL,
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr.decode(errors="replace")
    sarif = sarif_from_nmap(output.read_bytes(), target="127.0.0.1")

    # then
    by_port = {result["properties"]["port"]: result for result in results_of(sarif)}
    assert sorted(by_port) == sorted([ssh_port, http_port, redis_port])
    ssh = by_port[ssh_port]["properties"]
    assert (ssh["service"], ssh["product"], ssh["version"]) == ("ssh", "OpenSSH", "8.2p1 Ubuntu 4ubuntu0.5")
    assert "cpe:/a:openbsd:openssh:8.2p1" in ssh["cpe"]
    http = by_port[http_port]["properties"]
    assert (http["service"], http["product"], http["extraInfo"]) == (
        "http",
        "SimpleHTTPServer",
        f"Python {platform.python_version()}",
    )
    assert by_port[redis_port]["properties"]["service"] == "redis"
    findings = {item.location.file_path: item for item in findings_of(sarif)}
    assert {path: (item.rule_id, item.severity) for path, item in findings.items()} == {
        f"tcp://127.0.0.1:{ssh_port}": ("open-port", Severity.INFO),
        f"tcp://127.0.0.1:{http_port}": ("open-port", Severity.INFO),
        f"tcp://127.0.0.1:{redis_port}": ("exposed-service/redis", Severity.HIGH),
    }
    assert findings[f"tcp://127.0.0.1:{ssh_port}"].title == (
        f"Open port {ssh_port}/tcp: ssh (OpenSSH 8.2p1 Ubuntu 4ubuntu0.5)"
    )
    assert findings[f"tcp://127.0.0.1:{redis_port}"].title == f"Redis reachable on port {redis_port}/tcp"


def test_a_checked_range_is_scanned_as_one_cidr_argument(tmp_path: Path) -> None:
    command = nmap_command(address="203.0.113.0/28", ports="22", output=tmp_path / "out.xml")
    assert command[-2:] == ["--", "203.0.113.0/28"]
    assert "-6" not in command
    assert nmap_command(address="2001:db8::/120", ports="22", output=tmp_path / "out.xml")[-3:] == [
        "-6",
        "--",
        "2001:db8::/120",
    ]
