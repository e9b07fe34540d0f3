"""SSLyze JSON (1 to 6) and XML (2)."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest

from bastion.contracts.finding import NormalizedFinding, Severity
from bastion.parsers import HEAD_BYTES, MalformedReport, detect_format
from bastion.parsers.sslyze import PARSER

SCANS = Path(__file__).parents[1] / "fixtures" / "scans"
SAMPLES = SCANS / "sslyze"
RSA_MODULUS = int("9" * 600)  # SSLyze writes each certificate's modulus as a JSON integer


def _suites(*names: str) -> dict[str, Any]:
    return {"accepted_cipher_suites": [{"cipher_suite": {"name": name}} for name in names]}


def _attempt(result: dict[str, Any] | None, status: str = "COMPLETED") -> dict[str, Any]:
    return {"status": status, "error_reason": None, "error_trace": None, "result": result}


def _sslyze5(**results: dict[str, Any]) -> bytes:
    """Return an SSLyze 5/6 report of one server with these scan command attempts."""
    server = {
        "server_location": {"hostname": "shop.example.com", "port": 8443, "ip_address": "192.0.2.10"},
        "scan_status": "COMPLETED",
        "scan_result": results,
    }
    return json.dumps({"server_scan_results": [server], "sslyze_version": "6.0.0"}).encode()


def _parse(data: bytes) -> list[NormalizedFinding]:
    return list(PARSER.parse(io.BytesIO(data)))


def test_sslyze_6_results_are_judged() -> None:
    # given
    report = _sslyze5(
        heartbleed=_attempt({"is_vulnerable_to_heartbleed": True}),
        ssl_3_0_cipher_suites=_attempt(_suites("TLS_RSA_WITH_3DES_EDE_CBC_SHA")),
        tls_1_2_cipher_suites=_attempt(
            _suites("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_RSA_WITH_AES_128_CBC_SHA")
        ),
        tls_1_3_cipher_suites=_attempt(_suites("TLS_AES_128_GCM_SHA256")),
        robot=_attempt({"robot_result": "NOT_VULNERABLE_NO_ORACLE"}),
        tls_fallback_scsv=_attempt(None, status="NOT_SCHEDULED"),
        certificate_info=_attempt(
            {
                "certificate_deployments": [
                    {
                        "leaf_certificate_subject_matches_hostname": False,
                        "received_certificate_chain": [{"public_key": {"rsa_n": RSA_MODULUS}}],
                        "path_validation_results": [
                            {
                                "trust_store": {"name": "Mozilla", "version": "2024-01"},
                                "validation_error": "certificate has expired",
                                "was_validation_successful": False,
                            }
                        ],
                    }
                ]
            }
        ),
    )
    # when
    findings = _parse(report)
    # then
    assert [(finding.rule_id, finding.severity) for finding in findings] == [
        ("heartbleed", Severity.HIGH),
        ("ssl_3_0_cipher_suites", Severity.HIGH),
        ("tls_1_2_cipher_suites", Severity.MEDIUM),
        ("certificate_info", Severity.MEDIUM),
    ]
    heartbleed, _, suites, certificate = findings
    assert heartbleed.title == "Heartbleed (shop.example.com:8443)"
    assert heartbleed.advisory_ids == ("CVE-2014-0160",)
    assert heartbleed.location.host == "shop.example.com"
    assert heartbleed.location.port == 8443
    assert suites.description.endswith("recommend:\n- TLS_RSA_WITH_AES_128_CBC_SHA")
    assert certificate.description == (
        "shop.example.com:8443: - The certificate's subject does not match the host name.\n"
        "- certificate has expired (trust store Mozilla 2024-01)"
    )


def test_sslyze_4_layout_is_read() -> None:
    # given: SSLyze 3 and 4 put results straight under scan_commands_results
    server = {
        "server_info": {"server_location": {"hostname": "old.example.com", "port": 443}},
        "scan_commands_results": {
            "openssl_ccs_injection": {"is_vulnerable_to_ccs_injection": True},
            "session_renegotiation": {
                "accepts_client_renegotiation": True,
                "supports_secure_renegotiation": True,
            },
            "tls_1_0_cipher_suites": _suites("TLS_RSA_WITH_AES_128_CBC_SHA"),
            "tls_compression": {"supports_compression": True},
        },
    }
    # when
    findings = _parse(json.dumps({"server_scan_results": [server]}).encode())
    # then
    assert [(finding.rule_id, finding.severity) for finding in findings] == [
        ("openssl_ccs_injection", Severity.HIGH),
        ("session_renegotiation.client", Severity.MEDIUM),
        ("tls_compression", Severity.MEDIUM),
        ("tls_1_0_cipher_suites", Severity.MEDIUM),
    ]


def test_fingerprint_ignores_the_suites_listed() -> None:
    # given
    before = _sslyze5(tls_1_2_cipher_suites=_attempt(_suites("TLS_RSA_WITH_AES_128_CBC_SHA")))
    after = _sslyze5(tls_1_2_cipher_suites=_attempt(_suites("TLS_RSA_WITH_AES_256_CBC_SHA")))
    # when / then
    assert _parse(before)[0].fingerprint == _parse(after)[0].fingerprint


def test_xml_of_sslyze_2_is_read() -> None:
    # given
    report = b"""<?xml version="1.0" encoding="utf-8"?>
<document SSLyzeVersion="2.1.4" title="SSLyze Scan Results">
  <results totalScanTime="3.1">
    <target host="legacy.example.com" ip="192.0.2.7" port="443" tlsWrappedProtocol="https">
      <heartbleed title="OpenSSL Heartbleed"><openSslHeartbleed isVulnerable="True"/></heartbleed>
      <reneg title="Session Renegotiation">
        <sessionRenegotiation canBeClientInitiated="False" isSecure="False"/>
      </reneg>
      <sslv2 isProtocolSupported="True" title="SSLV2 Cipher Suites">
        <preferredCipherSuite><cipherSuite name="SSL_CK_RC4_128_WITH_MD5"/></preferredCipherSuite>
        <acceptedCipherSuites><cipherSuite name="SSL_CK_RC4_128_WITH_MD5"/></acceptedCipherSuites>
      </sslv2>
    </target>
  </results>
</document>"""
    # when
    findings = _parse(report)
    # then
    assert [(finding.title, finding.severity) for finding in findings] == [
        ("Heartbleed (legacy.example.com:443)", Severity.HIGH),
        ("Secure renegotiation not supported (legacy.example.com:443)", Severity.MEDIUM),
        ("SSL 2.0 not recommended (legacy.example.com:443)", Severity.HIGH),
    ]


def test_sample_zero_vulnerabilities_and_many() -> None:
    # when
    with (SAMPLES / "two_targets_many_vuln_new.json").open("rb") as stream:
        findings = list(PARSER.parse(stream))
    # then
    assert [finding.title for finding in findings] == [
        "Unrecommended cipher suites for TLS 1.2 (example.com:443)",
        "TLS 1.0 not recommended (example2.com:443)",
        "TLS 1.1 not recommended (example2.com:443)",
        "Unrecommended cipher suites for TLS 1.2 (example2.com:443)",
        "Unrecommended cipher suites for TLS 1.3 (example2.com:443)",
    ]


def test_detection() -> None:
    assert detect_format(_sslyze5()).name == "sslyze"
    assert PARSER.detect(b'<?xml version="1.0"?><document title="x">') == 0
    assert PARSER.detect(b'{"results": []}') == 0


@pytest.mark.parametrize(
    ("report", "message"),
    [
        (b'{"sslyze_version": "6.0.0"}', "the report has no 'server_scan_results'"),
        (b'{"server_scan_results": [{"scan_result": {}}]}', "server has no server_location.hostname"),
        (b'{"server_scan_results": [{"scan_result": ', "invalid JSON"),
        (
            b"<document SSLyzeVersion='2'><results><target port='1'/></results></document>",
            "target has no host",
        ),
        (b"<OWASPZAPReport/>", "the root element is <OWASPZAPReport>"),
    ],
)
def test_malformed_report_is_refused_naming_the_problem(report: bytes, message: str) -> None:
    with pytest.raises(MalformedReport) as error:
        _parse(report)
    assert message in str(error.value)


def _accepted(version: str, *openssl_names: str) -> dict[str, Any]:
    """Return an SSLyze 2 cipher suite command result accepting these suites (OpenSSL names)."""
    suites = [
        {
            "dh_info": None,
            "is_anonymous": False,
            "key_size": 128,
            "openssl_name": name,
            "post_handshake_response": "HTTP 200 OK",
            "ssl_version": version,
        }
        for name in openssl_names
    ]
    return {
        "accepted_cipher_list": suites,
        "errored_cipher_list": [],
        "preferred_cipher": suites[0] if suites else None,
        "rejected_cipher_list": [
            {
                "handshake_error_message": "TLS / Alert: handshake failure",
                "is_anonymous": False,
                "openssl_name": "NULL-SHA",
                "ssl_version": version,
            }
        ],
    }


def _server_info(hostname: str, address: str) -> dict[str, Any]:
    return {
        "client_auth_credentials": None,
        "client_auth_requirement": "DISABLED",
        "highest_ssl_version_supported": "TLSV1_2",
        "hostname": hostname,
        "http_tunneling_settings": None,
        "ip_address": address,
        "openssl_cipher_string_supported": "ECDHE-RSA-AES128-GCM-SHA256",
        "port": 443,
        "tls_server_name_indication": hostname,
        "tls_wrapped_protocol": "HTTPS",
        "xmpp_to_hostname": None,
    }


def _validation(store: str, version: str, verdict: str) -> dict[str, Any]:
    return {
        "trust_store": {"ev_oids": [], "name": store, "path": f"/sslyze/{store}.pem", "version": version},
        "verify_string": verdict,
        "was_validation_successful": verdict == "ok",
    }


def _sslyze2_report(*targets: dict[str, Any]) -> bytes:
    """Return SSLyze 2's --json_out report: keys sorted and indented, as SSLyze writes it."""
    report = {
        "accepted_targets": list(targets),
        "invalid_targets": [{"down.example.com:443": "Could not connect (timeout)"}],
        "sslyze_url": "https://github.com/nabla-c0d3/sslyze",
        "sslyze_version": "2.1.4",
        "total_scan_time": "12.81",
    }
    return json.dumps(report, sort_keys=True, indent=4).encode()


# An SSLyze 2.1 scan of two servers: one badly configured, one clean.
SSLYZE2_LEGACY = {
    "commands_results": {
        "certinfo": {
            "certificate_chain": [
                {"as_pem": "-----BEGIN CERTIFICATE-----\nMIIB...", "notAfter": "2020-01-01"}
            ],
            "certificate_matches_hostname": False,
            "has_sha1_in_certificate_chain": False,
            "path_validation_error_list": [],
            "path_validation_result_list": [
                _validation("Mozilla", "2019-03-14", "certificate has expired"),
                _validation("Windows", "2019-02-15", "certificate has expired"),
                _validation("Apple", "iOS 12", "ok"),
            ],
        },
        "compression": {"compression_name": "zlib compression"},
        "fallback": {"supports_fallback_scsv": False},
        "heartbleed": {"is_vulnerable_to_heartbleed": True},
        "openssl_ccs": {"is_vulnerable_to_ccs_injection": False},
        "reneg": {"accepts_client_renegotiation": True, "supports_secure_renegotiation": False},
        "robot": {"robot_result_enum": "VULNERABLE_WEAK_ORACLE"},
        "sslv2": _accepted("SSLV2"),
        "sslv3": _accepted("SSLV3", "DES-CBC3-SHA"),
        "tlsv1": _accepted("TLSV1"),
        "tlsv1_1": _accepted("TLSV1_1"),
        "tlsv1_2": _accepted(
            "TLSV1_2",
            "ECDHE-RSA-AES128-GCM-SHA256",
            "ECDHE-RSA-AES256-SHA384",
            "DHE-RSA-AES128-CCM",
            "ECDHE-RSA-AES128-SHA",
            "ECDHE-ECDSA-AES128-CCM8",
        ),
        "tlsv1_3": _accepted("TLSV1_3", "TLS13-AES-128-GCM-SHA256", "TLS13-CHACHA20-POLY1305-SHA256"),
    },
    "server_info": _server_info("legacy.example.com", "192.0.2.7"),
}
SSLYZE2_MODERN = {
    "commands_results": {
        "certinfo": {
            "certificate_matches_hostname": True,
            "path_validation_error_list": [],
            "path_validation_result_list": [_validation("Mozilla", "2019-03-14", "ok")],
        },
        "compression": {"compression_name": None},
        "fallback": {"supports_fallback_scsv": True},
        "heartbleed": {"is_vulnerable_to_heartbleed": False},
        "reneg": {"accepts_client_renegotiation": False, "supports_secure_renegotiation": True},
        "robot": {"robot_result_enum": "NOT_VULNERABLE_NO_ORACLE"},
        "tlsv1_2": _accepted("TLSV1_2", "ECDHE-ECDSA-AES256-GCM-SHA384", "DHE-RSA-AES256-SHA256"),
        "tlsv1_3": _accepted("TLSV1_3", "TLS_AES_256_GCM_SHA384"),
    },
    "server_info": _server_info("modern.example.com", "192.0.2.8"),
}


def test_sslyze_2_json_results_are_judged() -> None:
    # when
    findings = _parse(_sslyze2_report(SSLYZE2_LEGACY, SSLYZE2_MODERN))
    # then: the modern server has nothing to say
    assert [(finding.rule_id, finding.severity) for finding in findings] == [
        ("heartbleed", Severity.HIGH),
        ("robot", Severity.HIGH),
        ("session_renegotiation.client", Severity.MEDIUM),
        ("session_renegotiation.secure", Severity.MEDIUM),
        ("tls_compression", Severity.MEDIUM),
        ("tls_fallback_scsv", Severity.LOW),
        ("ssl_3_0_cipher_suites", Severity.HIGH),
        ("tls_1_2_cipher_suites", Severity.MEDIUM),
        ("tls_1_3_cipher_suites", Severity.MEDIUM),
        ("certificate_info", Severity.MEDIUM),
    ]
    heartbleed = findings[0]
    assert heartbleed.title == "Heartbleed (legacy.example.com:443)"
    assert heartbleed.advisory_ids == ("CVE-2014-0160",)
    assert (heartbleed.location.host, heartbleed.location.port, heartbleed.location.protocol) == (
        "legacy.example.com",
        443,
        "tcp",
    )
    assert findings[1].description.endswith("(VULNERABLE_WEAK_ORACLE).")
    assert findings[7].description.endswith(
        "recommend:\n- TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA\n- ECDHE-ECDSA-AES128-CCM8"
    )
    assert findings[8].description.endswith("recommend:\n- TLS_CHACHA20_POLY1305_SHA256")
    assert findings[9].description == (
        "legacy.example.com:443: - The certificate's subject does not match the host name.\n"
        "- certificate has expired (trust store Mozilla 2019-03-14)\n"
        "- certificate has expired (trust store Windows 2019-02-15)"
    )


def test_sslyze_2_json_keys_a_problem_as_sslyze_6_does() -> None:
    # given: one server's TLS 1.2 problem, written by SSLyze 2 then by SSLyze 6
    target = {
        "commands_results": {"tlsv1_2": _accepted("TLSV1_2", "AES128-SHA")},
        "server_info": {"hostname": "shop.example.com", "ip_address": "192.0.2.10", "port": 8443},
    }
    old = _parse(_sslyze2_report(target))
    new = _parse(_sslyze5(tls_1_2_cipher_suites=_attempt(_suites("TLS_RSA_WITH_AES_128_CBC_SHA"))))
    # then
    assert [finding.fingerprint for finding in old] == [finding.fingerprint for finding in new]
    assert [finding.title for finding in old] == [finding.title for finding in new]


def test_sslyze_2_json_without_targets_has_no_findings() -> None:
    report = _sslyze2_report()
    assert detect_format(report).name == "sslyze"
    assert _parse(report) == []


def test_sslyze_2_json_is_detected_and_other_tools_samples_are_not() -> None:
    # given: the first bytes of every other tool's sample report
    heads = {
        path: path.read_bytes()[:HEAD_BYTES]
        for path in sorted(SCANS.glob("*/*"))
        if path.is_file() and path.parent.name != "sslyze"
    }
    # when / then
    assert detect_format(_sslyze2_report(SSLYZE2_LEGACY)).name == "sslyze"
    assert PARSER.detect(b'{"accepted_targets": [], "results": []}') == 0
    assert [path for path, head in heads.items() if PARSER.detect(head)] == []


@pytest.mark.parametrize(
    ("report", "message", "position"),
    [
        (
            b'{"accepted_targets": [{"commands_results": {}, "server_info": {"port": 443}}]}',
            "target has no server_info.hostname",
            "accepted_targets[0]",
        ),
        (
            b'{"accepted_targets": [{"commands_results": {"tlsv1_2": {"accepted_cipher_list": "x"}},'
            b' "server_info": {"hostname": "a.example.com", "port": 443}}]}',
            "expected an array, found str",
            "accepted_targets[0].commands_results.tlsv1_2.accepted_cipher_list",
        ),
        (
            b'{"accepted_targets": [{"server_info": {"hostname": "a.example.com"}}, {"commands_results": ',
            "invalid JSON",
            "accepted_targets[1]",
        ),
        (
            b'{"accepted_targets": 7, "sslyze_version": "2.1.4"}',
            "expected an array, found int",
            "accepted_targets",
        ),
    ],
)
def test_malformed_sslyze_2_json_is_refused_naming_the_place(
    report: bytes, message: str, position: str
) -> None:
    with pytest.raises(MalformedReport) as error:
        _parse(report)
    assert message in error.value.reason
    assert error.value.position == position
