"""SSLyze: the JSON report (``--json_out``, SSLyze 1 to 6) and the XML report (``--xml_out``, SSLyze 1 and 2).

SSLyze reports what each server accepts and how it answered each test, not what
is wrong: Bastion judges, one finding per problem and server (``host:port``):

* Heartbleed (CVE-2014-0160) and OpenSSL CCS injection (CVE-2014-0224): high;
* ROBOT (a Bleichenbacher oracle, CVE-2017-13099): high;
* SSL 2.0 or SSL 3.0 accepted: high; TLS 1.0 or TLS 1.1 accepted: medium;
* TLS 1.2 or TLS 1.3 cipher suites accepted that the German BSI's TR-02102-2 does
  not recommend (the list DefectDojo judges by): medium, the suites listed;
* client-initiated renegotiation accepted, or secure renegotiation not supported:
  medium; TLS compression (CRIME, CVE-2012-4929): medium; no TLS_FALLBACK_SCSV: low;
* JSON only: a certificate that does not match the host name or does not validate
  against a trust store SSLyze used (expired, self-signed, unknown CA...): medium,
  one finding for the server's certificate deployments. DefectDojo reads no
  certificate result from the XML; neither does Bastion, so that the XML and its
  DefectDojo import agree.

A test SSLyze did not run (``NOT_SCHEDULED``) or that failed says nothing and makes
no finding; neither does a server SSLyze could not connect to. JSON layouts read:
SSLyze 5 and 6 (``server_location``, ``scan_result`` with a ``status`` and
``result`` per test; 6 names the validation error ``validation_error``), SSLyze
3 and 4 (``server_info.server_location``, ``scan_commands_results`` with the results
themselves) and SSLyze 1 and 2 (``accepted_targets``, each with ``server_info`` and
``commands_results`` keyed by the command-line option: ``heartbleed``, ``openssl_ccs``,
``robot`` (``robot_result_enum``), ``reneg``, ``compression`` (``compression_name``),
``fallback``, ``sslv2`` to ``tlsv1_3`` (``accepted_cipher_list``) and ``certinfo``
(``certificate_matches_hostname``, ``path_validation_result_list`` and its
``verify_string``)). SSLyze 1 and 2 name accepted suites by their OpenSSL names
(``ECDHE-RSA-AES128-GCM-SHA256``, ``TLS13-AES-128-GCM-SHA256``); Bastion turns the AES
suites the BSI's list is made of into their RFC names to judge them, and lists any
other suite by the name SSLyze gave. The JSON is streamed server by server, the XML
target by target.

Fingerprint: the host name, the port and the test (``heartbleed``,
``tls_1_2_cipher_suites``, ``certificate_info``...): not the suites listed, nor
addresses, dates or certificate details, which change without the problem changing.
Every layout names a test alike (SSLyze 2's ``tlsv1_2`` is ``tls_1_2_cipher_suites``),
so a problem keeps its fingerprint when SSLyze is upgraded or its output changed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, BinaryIO
from xml.etree.ElementTree import Element

import ijson

from bastion.contracts.finding import FindingLocation, NormalizedFinding, Severity
from bastion.parsers import grouping, readers, text, values
from bastion.parsers.base import ReportParser
from bastion.parsers.exceptions import MalformedReport

TOOL = "sslyze"
BSI_GUIDELINE = (
    "https://www.bsi.bund.de/SharedDocs/Downloads/EN/BSI/Publications/TechGuidelines/TG02102/"
    "BSI-TR-02102-2.pdf"
)

# Cipher suites the BSI's TR-02102-2 recommends for TLS 1.2 and TLS 1.3.
RECOMMENDED_SUITES: Mapping[str, frozenset[str]] = {
    "TLS 1.2": frozenset(
        f"TLS_{exchange}_WITH_{cipher}"
        for exchange in (
            "ECDHE_ECDSA",
            "ECDHE_RSA",
            "DHE_DSS",
            "DHE_RSA",
            "ECDH_ECDSA",
            "ECDH_RSA",
            "DH_DSS",
            "DH_RSA",
        )
        for cipher in ("AES_128_CBC_SHA256", "AES_256_CBC_SHA256", "AES_128_GCM_SHA256", "AES_256_GCM_SHA384")
    )
    | frozenset(
        f"TLS_{exchange}_WITH_AES_256_CBC_SHA384"
        for exchange in ("ECDHE_ECDSA", "ECDHE_RSA", "ECDH_ECDSA", "ECDH_RSA")
    )
    | frozenset(
        f"TLS_{exchange}_WITH_{cipher}"
        for exchange in ("ECDHE_ECDSA", "DHE_RSA")
        for cipher in ("AES_128_CCM", "AES_256_CCM")
    )
    | frozenset(
        f"TLS_{exchange}_PSK_WITH_{cipher}"
        for exchange in ("ECDHE", "DHE", "RSA")
        for cipher in ("AES_128_CBC_SHA256", "AES_256_CBC_SHA384", "AES_128_GCM_SHA256", "AES_256_GCM_SHA384")
    )
    | frozenset(
        {
            "TLS_ECDHE_PSK_WITH_AES_128_CCM_SHA256",
            "TLS_DHE_PSK_WITH_AES_128_CCM",
            "TLS_DHE_PSK_WITH_AES_256_CCM",
        }
    ),
    "TLS 1.3": frozenset({"TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_AES_128_CCM_SHA256"}),
}
# The JSON test of each protocol version, its XML element, and the severity of accepting it at all.
OLD_PROTOCOLS: tuple[tuple[str, str, str, Severity], ...] = (
    ("ssl_2_0_cipher_suites", "sslv2", "SSL 2.0", Severity.HIGH),
    ("ssl_3_0_cipher_suites", "sslv3", "SSL 3.0", Severity.HIGH),
    ("tls_1_0_cipher_suites", "tlsv1", "TLS 1.0", Severity.MEDIUM),
    ("tls_1_1_cipher_suites", "tlsv1_1", "TLS 1.1", Severity.MEDIUM),
)
CURRENT_PROTOCOLS: tuple[tuple[str, str, str], ...] = (
    ("tls_1_2_cipher_suites", "tlsv1_2", "TLS 1.2"),
    ("tls_1_3_cipher_suites", "tlsv1_3", "TLS 1.3"),
)
_ABSENT = object()
ROBOT_VULNERABLE = frozenset({"VULNERABLE_WEAK_ORACLE", "VULNERABLE_STRONG_ORACLE"})
# SSLyze 1 and 2's cipher suite commands (their command-line options) and the test each is now.
SSLYZE2_SUITE_COMMANDS: Mapping[str, str] = {
    "sslv2": "ssl_2_0_cipher_suites",
    "sslv3": "ssl_3_0_cipher_suites",
    "tlsv1": "tls_1_0_cipher_suites",
    "tlsv1_1": "tls_1_1_cipher_suites",
    "tlsv1_2": "tls_1_2_cipher_suites",
    "tlsv1_3": "tls_1_3_cipher_suites",
}
# An OpenSSL name of the AES suites with a (EC)DH(E) key exchange, the family the BSI recommends from.
_OPENSSL_AES_SUITE = re.compile(
    r"(?P<exchange>ECDHE|ECDH|DHE|DH)-(?P<signature>ECDSA|RSA|DSS)-AES(?P<bits>128|256)"
    r"(?:-(?P<mode>GCM|CCM))?(?:-(?P<mac>SHA|SHA256|SHA384))?"
)


@dataclass(frozen=True)
class _Problem:
    """One problem found on a server, before it is a finding."""

    test: str
    title: str
    severity: Severity
    description: str
    advisory_ids: tuple[str, ...] = ()
    cwe_ids: tuple[int, ...] = ()
    references: tuple[str, ...] = ()


class SslyzeParser(ReportParser):
    """SSLyze JSON (3 to 6) and XML (1 and 2)."""

    name = "sslyze"
    label = "SSLyze JSON/XML"
    defectdojo_scan_types = ("SSLyze Scan (JSON)", "Sslyze Scan")

    def detect(self, head: bytes) -> int:
        text = readers.head_text(head)
        if text.startswith("<"):
            return 100 if "<document" in text and "SSLyzeVersion" in text else 0
        if not text.startswith("{"):
            return 0
        if _is_sslyze2(text):
            markers: tuple[str, ...] = ('"commands_results"', '"invalid_targets"', '"sslyze_version"')
        elif '"server_scan_results"' in text:
            markers = ('"scan_result"', '"scan_commands_results"', '"server_location"', '"sslyze_version"')
        else:
            return 0
        return 95 if any(marker in text for marker in markers) else 0

    def parse(self, stream: BinaryIO) -> Iterator[NormalizedFinding]:
        first, source = readers.first_byte(stream)
        if first == b"<":
            yield from _parse_xml(source)
            return
        head, source = readers.peek(source)
        if _is_sslyze2(readers.head_text(head)):
            for position, item in _servers(source, "accepted_targets"):
                target = readers.expect_mapping(item, position)
                host, port = _sslyze2_location(target, position)
                for problem in _problems(_sslyze2_results(target, position), position):
                    yield _finding(problem, host, port)
            return
        for position, item in _servers(source, "server_scan_results"):
            server = readers.expect_mapping(item, position)
            host, port = _json_location(server, position)
            for problem in _problems(_json_results(server), position):
                yield _finding(problem, host, port)


def _is_sslyze2(head: str) -> bool:
    """Tell whether a JSON report's head is SSLyze 1 or 2's (``accepted_targets``, written first)."""
    return '"accepted_targets"' in head and '"server_scan_results"' not in head


# --- JSON ------------------------------------------------------------------------------


def _servers(stream: BinaryIO, key: str) -> Iterator[tuple[str, Any]]:
    """Yield each entry of the array of servers (``server_scan_results``, ``accepted_targets``), streamed.

    SSLyze writes each certificate's RSA modulus as a JSON integer of some 600 digits,
    which ijson's C parser refuses when asked for floats ("integer overflow", the
    shared readers' setting); without floats it reads them as Python ints (numbers
    with a fraction as Decimal, which nothing here turns into text). Fifteen times
    the speed of ijson's Python parser, which this read used before. A report that
    can seek is split into its servers instead, each built from its bytes by the
    json module, which keeps those integers whole (and fractions as Decimal): some
    190 KB of JSON a server, read faster than by ijson, and without the depth
    gauge's read of the whole report before it.
    """
    first, source = readers.first_byte(stream)
    if not first:
        raise MalformedReport(readers.EMPTY_REPORT)
    if first != b"{":
        raise MalformedReport("expected an object", position="top level")
    if source.seekable():
        yield from readers.iter_json(source, f"{key}.item", required=True, split=True, use_float=False)
        return
    count = 0
    with readers.depth_checked(source) as checked:
        start = checked.tell()
        try:
            for item in ijson.items(checked, f"{key}.item", use_float=False):
                yield f"{key}[{count}]", item
                count += 1
            if not count:
                checked.seek(start)
                found = next(ijson.items(checked, key, use_float=False), _ABSENT)
                if found is _ABSENT:
                    raise readers.not_a_report(key)
                readers.expect_list(found, key)
        except (ijson.JSONError, ValueError) as error:
            raise MalformedReport(f"invalid JSON: {error}", position=f"{key}[{count}]") from error
        except ArithmeticError as error:  # a number past Decimal's range
            raise MalformedReport(
                "invalid JSON: a number cannot be read", position=f"{key}[{count}]"
            ) from error


def _json_location(server: Mapping[str, Any], position: str) -> tuple[str, int | None]:
    location = readers.as_mapping(
        server.get("server_location") or readers.as_mapping(server.get("server_info")).get("server_location")
    )
    host = values.text(location.get("hostname")) or values.text(location.get("ip_address"))
    if not host:
        raise MalformedReport("server has no server_location.hostname", position=position)
    return host, values.as_int(location.get("port"))


def _json_results(server: Mapping[str, Any]) -> dict[str, Mapping[str, Any]]:
    """Return the results of the tests SSLyze 3 to 6 completed, by test."""
    if "scan_result" in server:
        attempts = readers.as_mapping(server.get("scan_result"))
        return {
            name: readers.as_mapping(readers.as_mapping(attempt).get("result"))
            for name, attempt in attempts.items()
            if readers.as_mapping(attempt).get("status", "COMPLETED") == "COMPLETED"
        }
    return {
        name: readers.as_mapping(result)
        for name, result in readers.as_mapping(server.get("scan_commands_results")).items()
    }


def _problems(results: Mapping[str, Mapping[str, Any]], position: str) -> Iterator[_Problem]:
    """Judge the results of one server's tests, in the shape SSLyze 3 to 6 write them."""
    if results.get("heartbleed", {}).get("is_vulnerable_to_heartbleed") is True:
        yield HEARTBLEED
    if results.get("openssl_ccs_injection", {}).get("is_vulnerable_to_ccs_injection") is True:
        yield CCS_INJECTION
    if str(results.get("robot", {}).get("robot_result") or "") in ROBOT_VULNERABLE:
        yield _robot(str(results["robot"]["robot_result"]))
    renegotiation = results.get("session_renegotiation", {})
    yield from _renegotiation(
        renegotiation.get(
            "is_vulnerable_to_client_renegotiation_dos", renegotiation.get("accepts_client_renegotiation")
        )
        is True,
        renegotiation.get("supports_secure_renegotiation") is False,
    )
    if results.get("tls_compression", {}).get("supports_compression") is True:
        yield COMPRESSION
    if results.get("tls_fallback_scsv", {}).get("supports_fallback_scsv") is False:
        yield NO_FALLBACK_SCSV
    for test, _element, protocol, severity in OLD_PROTOCOLS:
        if _accepted_suites(results.get(test, {}), f"{position}.{test}"):
            yield _old_protocol(test, protocol, severity)
    for test, _element, protocol in CURRENT_PROTOCOLS:
        suites = _accepted_suites(results.get(test, {}), f"{position}.{test}")
        unrecommended = [suite for suite in suites if suite not in RECOMMENDED_SUITES[protocol]]
        if unrecommended:
            yield _unrecommended(test, protocol, unrecommended)
    certificate = _certificate_problems(results.get("certificate_info", {}), position)
    if certificate:
        yield certificate


def _accepted_suites(result: Mapping[str, Any], position: str) -> list[str]:
    accepted = readers.expect_list(result.get("accepted_cipher_suites"), f"{position}.accepted_cipher_suites")
    names = (
        readers.as_mapping(readers.as_mapping(entry).get("cipher_suite")).get("name") for entry in accepted
    )
    return [str(name) for name in names if name]


def _certificate_problems(result: Mapping[str, Any], position: str) -> _Problem | None:
    lines: list[str] = []
    deployments = readers.expect_list(
        result.get("certificate_deployments"), f"{position}.certificate_deployments"
    )
    for deployment in deployments:
        deployment = readers.as_mapping(deployment)
        if deployment.get("leaf_certificate_subject_matches_hostname") is False:
            lines.append("The certificate's subject does not match the host name.")
        for validation in readers.as_mapping(deployment).get("path_validation_results") or []:
            validation = readers.as_mapping(validation)
            error = values.text(validation.get("validation_error") or validation.get("openssl_error_string"))
            if error is None and validation.get("was_validation_successful") is False:
                error = "validation failed"
            if error:
                store = readers.as_mapping(validation.get("trust_store"))
                name = " ".join(
                    filter(None, (values.text(store.get("name")), values.text(store.get("version"))))
                )
                lines.append(f"{error} (trust store {name})" if name else error)
    if not lines:
        return None
    return _Problem(
        test="certificate_info",
        title="Problems in certificate deployments",
        severity=Severity.MEDIUM,
        description="\n".join(f"- {line}" for line in dict.fromkeys(lines)),
        cwe_ids=(295,),
    )


# --- JSON of SSLyze 1 and 2 -------------------------------------------------------------


def _sslyze2_location(target: Mapping[str, Any], position: str) -> tuple[str, int | None]:
    server = readers.as_mapping(target.get("server_info"))
    host = values.text(server.get("hostname")) or values.text(server.get("ip_address"))
    if not host:
        raise MalformedReport("target has no server_info.hostname", position=position)
    return host, values.as_int(server.get("port"))


def _sslyze2_results(target: Mapping[str, Any], position: str) -> dict[str, Mapping[str, Any]]:
    """Return an SSLyze 1 or 2 target's results as SSLyze 3 and 4 write them, by test.

    A command that failed is written with its ``error_message`` and none of its fields:
    it says nothing, as a test SSLyze 3 and later could not run.
    """
    commands = readers.as_mapping(target.get("commands_results"))
    where = f"{position}.commands_results"
    command: Mapping[str, Any]
    results: dict[str, Mapping[str, Any]] = {}
    if command := readers.as_mapping(commands.get("heartbleed")):
        results["heartbleed"] = {"is_vulnerable_to_heartbleed": command.get("is_vulnerable_to_heartbleed")}
    if command := readers.as_mapping(commands.get("openssl_ccs")):
        results["openssl_ccs_injection"] = {
            "is_vulnerable_to_ccs_injection": command.get("is_vulnerable_to_ccs_injection")
        }
    if command := readers.as_mapping(commands.get("robot")):
        results["robot"] = {"robot_result": command.get("robot_result_enum")}
    if command := readers.as_mapping(commands.get("reneg")):
        results["session_renegotiation"] = {
            "accepts_client_renegotiation": command.get("accepts_client_renegotiation"),
            "supports_secure_renegotiation": command.get("supports_secure_renegotiation"),
        }
    command = readers.as_mapping(commands.get("compression"))
    if "compression_name" in command:
        results["tls_compression"] = {"supports_compression": command.get("compression_name") is not None}
    if command := readers.as_mapping(commands.get("fallback")):
        results["tls_fallback_scsv"] = {"supports_fallback_scsv": command.get("supports_fallback_scsv")}
    for option, test in SSLYZE2_SUITE_COMMANDS.items():
        accepted = readers.expect_list(
            readers.as_mapping(commands.get(option)).get("accepted_cipher_list"),
            f"{where}.{option}.accepted_cipher_list",
        )
        results[test] = {
            "accepted_cipher_suites": [
                {"cipher_suite": {"name": _rfc_name(readers.as_mapping(suite))}} for suite in accepted
            ]
        }
    if command := readers.as_mapping(commands.get("certinfo")):
        results["certificate_info"] = {
            "certificate_deployments": [_sslyze2_deployment(command, f"{where}.certinfo")]
        }
    return results


def _sslyze2_deployment(certinfo: Mapping[str, Any], position: str) -> dict[str, Any]:
    """Return SSLyze 1 or 2's certificate results as the one deployment SSLyze 3 and later would list."""
    validations = readers.expect_list(
        certinfo.get("path_validation_result_list"), f"{position}.path_validation_result_list"
    )
    results = []
    for validation in validations:
        validation = readers.as_mapping(validation)
        verdict = values.text(validation.get("verify_string"))
        failed = (
            validation.get("is_certificate_trusted") is False
            or validation.get("was_validation_successful") is False
            or (verdict is not None and verdict.lower() != "ok")
        )
        if failed:
            results.append(
                {
                    "trust_store": validation.get("trust_store"),
                    "validation_error": verdict if verdict and verdict.lower() != "ok" else None,
                    "was_validation_successful": False,
                }
            )
    return {
        "leaf_certificate_subject_matches_hostname": certinfo.get("certificate_matches_hostname"),
        "path_validation_results": results,
    }


def _rfc_name(suite: Mapping[str, Any]) -> str | None:
    """Return an accepted suite's RFC name (the BSI's), from the OpenSSL name SSLyze 1 and 2 write."""
    name = values.text(suite.get("name"))
    if name and name.startswith(("TLS_", "SSL_")):
        return name
    openssl = values.text(suite.get("openssl_name")) or name
    if openssl is None:
        return None
    if openssl.startswith("TLS13-"):
        return "TLS_" + openssl.removeprefix("TLS13-").replace("-", "_")
    found = _OPENSSL_AES_SUITE.fullmatch(openssl)
    if found is None:
        return openssl
    mode = found["mode"] or "CBC"
    suffix = f"_{found['mac']}" if found["mac"] else ""
    return f"TLS_{found['exchange']}_{found['signature']}_WITH_AES_{found['bits']}_{mode}{suffix}"


# --- XML -------------------------------------------------------------------------------


def _parse_xml(stream: BinaryIO) -> Iterator[NormalizedFinding]:
    for index, target in enumerate(readers.iter_xml(stream, ("target",), roots=("document",))):
        position = f"results.target[{index}]"
        host = target.get("host") or target.get("ip")
        if not host:
            raise MalformedReport("target has no host", position=position)
        port = values.as_int(target.get("port"))
        for problem in _xml_problems(target):
            yield _finding(problem, host, port)


def _xml_problems(target: Element) -> Iterator[_Problem]:
    if _attribute(target, "heartbleed", "openSslHeartbleed", "isVulnerable") == "True":
        yield HEARTBLEED
    if _attribute(target, "openssl_ccs", "openSslCcsInjection", "isVulnerable") == "True":
        yield CCS_INJECTION
    robot = _attribute(target, "robot", "robotAttack", "resultEnum")
    if robot in ROBOT_VULNERABLE:  # SSLyze 2 writes the enum names the JSON writes
        yield _robot(robot)
    yield from _renegotiation(
        _attribute(target, "reneg", "sessionRenegotiation", "canBeClientInitiated") == "True",
        _attribute(target, "reneg", "sessionRenegotiation", "isSecure") == "False",
    )
    if _attribute(target, "compression", "compressionMethod", "isSupported") == "True":
        yield COMPRESSION
    if _attribute(target, "fallback", "tlsFallbackScsv", "isSupported") == "False":
        yield NO_FALLBACK_SCSV
    for test, element, protocol, severity in OLD_PROTOCOLS:
        if _xml_suites(readers.child(target, element)):
            yield _old_protocol(test, protocol, severity)
    for test, element, protocol in CURRENT_PROTOCOLS:
        unrecommended = [
            suite
            for suite in _xml_suites(readers.child(target, element))
            if suite not in RECOMMENDED_SUITES[protocol]
        ]
        if unrecommended:
            yield _unrecommended(test, protocol, unrecommended)


def _attribute(target: Element, test: str, result: str, name: str) -> str | None:
    """Return an attribute of a test's result element (``<heartbleed><openSslHeartbleed isVulnerable>``)."""
    found = readers.child(readers.child(target, test), result)
    return found.get(name) if found is not None else None


def _xml_suites(protocol: Element | None) -> list[str]:
    """Return the suites a protocol element lists as accepted (and preferred), once each."""
    if protocol is None or protocol.get("isProtocolSupported") == "False":
        return []
    names: dict[str, None] = {}
    for group in ("preferredCipherSuite", "acceptedCipherSuites"):
        for suite in readers.children(readers.child(protocol, group), "cipherSuite"):
            if suite.get("name"):
                names[str(suite.get("name"))] = None
    return list(names)


# --- findings --------------------------------------------------------------------------

HEARTBLEED = _Problem(
    test="heartbleed",
    title="Heartbleed",
    severity=Severity.HIGH,
    description="The server is vulnerable to Heartbleed: its memory can be read by anyone who connects.",
    advisory_ids=("CVE-2014-0160",),
    cwe_ids=(119,),
)
CCS_INJECTION = _Problem(
    test="openssl_ccs_injection",
    title="OpenSSL CCS injection",
    severity=Severity.HIGH,
    description="Vulnerable to OpenSSL CCS injection: an attacker in the middle reads its traffic.",
    advisory_ids=("CVE-2014-0224",),
    cwe_ids=(310,),
)
COMPRESSION = _Problem(
    test="tls_compression",
    title="TLS compression supported (CRIME)",
    severity=Severity.MEDIUM,
    description="The server compresses TLS records: an attacker can recover secrets such as cookies (CRIME).",
    advisory_ids=("CVE-2012-4929",),
    cwe_ids=(310,),
)
NO_FALLBACK_SCSV = _Problem(
    test="tls_fallback_scsv",
    title="TLS_FALLBACK_SCSV not supported",
    severity=Severity.LOW,
    description="The server does not support TLS_FALLBACK_SCSV, which stops protocol downgrade attacks.",
    cwe_ids=(757,),
)


def _robot(result: str) -> _Problem:
    return _Problem(
        test="robot",
        title="ROBOT",
        severity=Severity.HIGH,
        description=f"The server's RSA key exchange is a Bleichenbacher oracle ({result}).",
        advisory_ids=("CVE-2017-13099",),
        cwe_ids=(203,),
    )


def _renegotiation(accepts_client: bool, lacks_secure: bool) -> Iterator[_Problem]:
    if accepts_client:
        yield _Problem(
            test="session_renegotiation.client",
            title="Client-initiated renegotiation accepted",
            severity=Severity.MEDIUM,
            description="The server accepts renegotiation started by the client, a denial-of-service vector.",
            cwe_ids=(400,),
        )
    if lacks_secure:
        yield _Problem(
            test="session_renegotiation.secure",
            title="Secure renegotiation not supported",
            severity=Severity.MEDIUM,
            description="The server does not support secure renegotiation (RFC 5746).",
            advisory_ids=("CVE-2009-3555",),
            cwe_ids=(310,),
        )


def _old_protocol(test: str, protocol: str, severity: Severity) -> _Problem:
    return _Problem(
        test=test,
        title=f"{protocol} not recommended",
        severity=severity,
        description=f"The server accepts {protocol} connections; {protocol} is deprecated and weak.",
        cwe_ids=(327,),
        references=(BSI_GUIDELINE,),
    )


def _unrecommended(test: str, protocol: str, suites: list[str]) -> _Problem:
    listing = "\n".join(f"- {suite}" for suite in suites)
    return _Problem(
        test=test,
        title=f"Unrecommended cipher suites for {protocol}",
        severity=Severity.MEDIUM,
        description=f"The server accepts {protocol} cipher suites the BSI does not recommend:\n{listing}",
        cwe_ids=(327,),
        references=(BSI_GUIDELINE,),
    )


def _finding(problem: _Problem, host: str, port: int | None) -> NormalizedFinding:
    place = f"{host}:{port}" if port is not None else host
    return NormalizedFinding(
        title=text.title(f"{problem.title} ({place})"),
        severity=problem.severity,
        tool=TOOL,
        rule_id=problem.test,
        description=text.clip(f"{place}: {problem.description}"),
        advisory_ids=problem.advisory_ids,
        cwe_ids=problem.cwe_ids,
        location=FindingLocation(
            host=host, port=port if port is not None and 0 <= port <= 65535 else None, protocol="tcp"
        ),
        references=problem.references,
        fingerprint=grouping.fingerprint(TOOL, host, port, problem.test),
    )


PARSER = SslyzeParser()
