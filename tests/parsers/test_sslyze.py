"""SSLyze JSON (3 to 6) and XML (2)."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest

from bastion.contracts.finding import NormalizedFinding, Severity
from bastion.parsers import MalformedReport, detect_format
from bastion.parsers.sslyze import PARSER

SAMPLES = Path(__file__).parents[1] / "fixtures" / "scans" / "sslyze"
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
