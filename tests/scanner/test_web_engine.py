"""The web engine against real TLS and HTTP servers on 127.0.0.1: sslyze, httpx and the SARIF they make."""

from __future__ import annotations

import datetime
import http.server
import io
import socket
import ssl
import subprocess
import sys
import threading
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest
import trustme

from bastion.contracts.finding import Severity
from bastion.core.scans.targets import UrlTarget
from bastion.parsers import parse_report
from bastion.scanner.engines import web
from bastion.scanner.engines.web_tls import CertificateFacts, TlsFacts

Route = tuple[int, list[tuple[str, str]]]

HARDENED_HEADERS = [
    ("Strict-Transport-Security", "max-age=31536000; includeSubDomains"),
    ("Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'"),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "no-referrer"),
    ("Set-Cookie", "sessionid=abc; Path=/; Secure; HttpOnly; SameSite=Lax"),
]
HEADER_RULES = {
    "header-csp-missing",
    "header-nosniff-missing",
    "header-framing-missing",
    "header-referrer-policy-missing",
    "header-version-disclosure",
}
COOKIE_RULES = {"cookie-not-httponly", "cookie-no-samesite"}


class _Handler(http.server.BaseHTTPRequestHandler):
    """Answer each path from the server's route table; record every request's path and Host."""

    server: _Server

    def do_GET(self) -> None:  # noqa: N802 (the name http.server dispatches to)
        self.server.requests.append((self.path, self.headers.get("Host", "")))
        status, headers = self.server.routes.get(self.path, (404, []))
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def version_string(self) -> str:
        return self.server.server_header

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 (the base class's name)
        """Keep the test output quiet."""


class _Server(http.server.ThreadingHTTPServer):
    """An HTTP(S) server on a free port; TLS handshakes happen in the request's thread, not accept()'s."""

    daemon_threads = True

    def __init__(
        self, host: str, routes: dict[str, Route], context: ssl.SSLContext | None, server_header: str
    ):
        super().__init__((host, 0), _Handler)
        self.routes = routes
        self.context = context
        self.server_header = server_header
        self.requests: list[tuple[str, str]] = []

    @property
    def port(self) -> int:
        return int(self.server_address[1])

    def get_request(self) -> tuple[socket.socket, Any]:
        connection, peer = self.socket.accept()
        if self.context is None:
            return connection, peer
        return self.context.wrap_socket(connection, server_side=True, do_handshake_on_connect=False), peer

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Scanners abort handshakes by the hundred; that is their job, not an error of the test."""


def _serve(
    host: str, routes: dict[str, Route], context: ssl.SSLContext | None = None, header: str = ""
) -> _Server:
    server = _Server(host, routes, context, header or "BaseHTTP/0.6 Python/3.11.2")
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    return server  # listening since the constructor returned: no wait needed


def _stop(server: _Server) -> None:
    server.shutdown()
    server.server_close()


def _weak_context(certificate: trustme.LeafCert) -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # TLSVersion.TLSv1 is deprecated: the point here
        context.minimum_version = ssl.TLSVersion.TLSv1
    context.set_ciphers("ALL:@SECLEVEL=0")
    certificate.configure_cert(context)
    return context


def _hardened_context(certificate: trustme.LeafCert) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    certificate.configure_cert(context)
    return context


def _handshake(port: int, *, version: ssl.TLSVersion, ciphers: str = "ALL:@SECLEVEL=0") -> bool:
    """Probe with the system's OpenSSL: does the server complete a handshake with this version and suites?"""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        context.minimum_version = context.maximum_version = version
    try:
        context.set_ciphers(ciphers)
        with (
            socket.create_connection(("127.0.0.1", port), timeout=5) as raw,
            context.wrap_socket(raw, server_hostname="weak.test"),
        ):
            return True
    except (ssl.SSLError, OSError):
        return False


@pytest.fixture(scope="module")
def authority() -> trustme.CA:
    return trustme.CA()


@pytest.fixture(scope="module")
def weak_server(authority: trustme.CA) -> Iterator[_Server]:
    routes: dict[str, Route] = {"/": (200, [("Set-Cookie", "sessionid=abc; Path=/")])}
    server = _serve("127.0.0.1", routes, _weak_context(authority.issue_cert("weak.test")))
    yield server
    _stop(server)


@pytest.fixture(scope="module")
def hardened_server(authority: trustme.CA) -> Iterator[_Server]:
    routes: dict[str, Route] = {"/": (200, HARDENED_HEADERS)}
    server = _serve("127.0.0.1", routes, _hardened_context(authority.issue_cert("good.test")), "test-server")
    yield server
    _stop(server)


def _run(tmp_path: Path, url: str, *options: str) -> tuple[int, dict[str, Any]]:
    output = tmp_path / f"web-{len(list(tmp_path.iterdir()))}.sarif"
    status = web.main(
        ["--url", url, "--address", "127.0.0.1", "--output", str(output), "--timeout", "5", *options]
    )
    return status, orjson.loads(output.read_bytes()) if output.exists() else {}


def _rule_ids(log: dict[str, Any]) -> set[str]:
    return {result["ruleId"] for result in log["runs"][0]["results"]}


@pytest.fixture(scope="module")
def weak_log(weak_server: _Server, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    status, log = _run(tmp_path_factory.mktemp("weak"), f"https://weak.test:{weak_server.port}/")
    assert status == 0
    return log


def test_weak_server_findings_are_exactly_what_it_offers(
    weak_server: _Server, weak_log: dict[str, Any]
) -> None:
    # given: what this machine's OpenSSL let the server offer, probed independently of sslyze
    offers_tls10 = _handshake(weak_server.port, version=ssl.TLSVersion.TLSv1)
    offers_tls11 = _handshake(weak_server.port, version=ssl.TLSVersion.TLSv1_1)
    offers_anonymous = _handshake(
        weak_server.port, version=ssl.TLSVersion.TLSv1_2, ciphers="aNULL:@SECLEVEL=0"
    )
    assert _handshake(weak_server.port, version=ssl.TLSVersion.TLSv1_2)
    expected = {
        "certificate-untrusted",
        "header-hsts-missing",
        "cookie-not-secure",
        *HEADER_RULES,
        *COOKIE_RULES,
    }
    expected |= {"tls-tls10-enabled"} if offers_tls10 else set()
    expected |= {"tls-tls11-enabled"} if offers_tls11 else set()
    expected |= {"tls-weak-cipher-suites"} if offers_anonymous else set()

    # then
    run = weak_log["runs"][0]
    assert _rule_ids(weak_log) == expected
    assert run["invocations"][0]["executionSuccessful"] is True
    assert run["properties"]["certificate"]["dnsNames"] == ["weak.test"]
    assert run["properties"]["certificate"]["trusted"] is False
    assert ("TLS 1.0" in run["properties"]["tlsProtocols"]) is offers_tls10
    assert ("/", f"weak.test:{weak_server.port}") in weak_server.requests  # the name went as Host, not the IP


def test_hardened_server_only_lacks_a_trusted_chain(hardened_server: _Server, tmp_path: Path) -> None:
    status, log = _run(tmp_path, f"https://good.test:{hardened_server.port}/", "--allow", "127.0.0.1/32")

    assert status == 0
    assert _rule_ids(log) == {"certificate-untrusted"}
    assert log["runs"][0]["properties"]["tlsProtocols"] == ["TLS 1.2", "TLS 1.3"]


def test_certificate_for_another_name_is_flagged(weak_server: _Server, tmp_path: Path) -> None:
    status, log = _run(tmp_path, f"https://other.test:{weak_server.port}/", "--checks", "tls")

    assert status == 0
    assert "certificate-hostname-mismatch" in _rule_ids(log)
    assert not _rule_ids(log) & (HEADER_RULES | COOKIE_RULES)  # the header check was not asked for


def test_redirect_outside_the_allow_list_is_not_followed(tmp_path: Path) -> None:
    # given: a site that redirects once on its own host, then to an address the allow-list leaves out
    outside = _serve("127.0.0.2", {"/": (200, HARDENED_HEADERS)})
    site = _serve(
        "127.0.0.1",
        {
            "/": (302, [("Location", "/next")]),
            "/next": (
                302,
                [("Location", f"http://127.0.0.2:{outside.port}/"), ("Set-Cookie", "auth_token=x")],
            ),
        },
    )
    try:
        # when
        status, log = _run(tmp_path, f"http://site.test:{site.port}/", "--allow", "127.0.0.1/32")
    finally:
        _stop(site)
        _stop(outside)

    # then: the same-host hop was followed, the other was not, and no final page was judged
    run = log["runs"][0]
    assert status == 0
    assert [path for path, _host in site.requests] == ["/", "/next"]
    assert outside.requests == []
    assert run["properties"]["fetched"] == [
        f"http://site.test:{site.port}/",
        f"http://site.test:{site.port}/next",
    ]
    assert run["properties"]["redirectStopped"]["location"] == f"http://127.0.0.2:{outside.port}/"
    assert "allow-list" in run["properties"]["redirectStopped"]["reason"]
    assert _rule_ids(log) == COOKIE_RULES  # the cookie set on the way is judged; no headers are


def test_sarif_parses_with_titles_severities_and_stable_fingerprints(
    weak_server: _Server, weak_log: dict[str, Any], tmp_path: Path
) -> None:
    # given: a second run against the unchanged server
    status, again = _run(tmp_path, f"https://weak.test:{weak_server.port}/")
    assert status == 0

    # when
    first = list(parse_report(io.BytesIO(orjson.dumps(weak_log)))[1])
    second = list(parse_report(io.BytesIO(orjson.dumps(again)))[1])

    # then
    by_rule = {finding.rule_id: finding for finding in first}
    assert {finding.tool for finding in first} == {"bastion-web"}
    assert by_rule["cookie-not-secure"].title == "Cookie set without the Secure attribute: sessionid"
    assert by_rule["cookie-not-secure"].severity == Severity.MEDIUM
    assert by_rule["cookie-not-secure"].cwe_ids == (614,)
    assert by_rule["certificate-untrusted"].severity == Severity.MEDIUM
    assert by_rule["header-referrer-policy-missing"].severity == Severity.LOW
    assert by_rule["header-csp-missing"].remediation.startswith("Send a Content-Security-Policy")
    assert sorted(finding.fingerprint for finding in first) == sorted(
        finding.fingerprint for finding in second
    )
    assert len({finding.fingerprint for finding in first}) == len(first)


def test_unreachable_target_writes_an_unsuccessful_run(tmp_path: Path) -> None:
    with socket.socket() as placeholder:  # a port nothing listens on once closed
        placeholder.bind(("127.0.0.1", 0))
        port = placeholder.getsockname()[1]

    status, log = _run(tmp_path, f"https://down.test:{port}/")

    invocation = log["runs"][0]["invocations"][0]
    assert status == 3
    assert invocation["executionSuccessful"] is False
    assert [note["descriptor"]["id"] for note in invocation["toolExecutionNotifications"]] == [
        "target-unreachable"
    ]
    assert log["runs"][0]["results"] == []


@pytest.mark.parametrize(
    "options",
    [
        ["--url", "ftp://weak.test/", "--address", "127.0.0.1"],
        ["--url", "https://weak.test/", "--address", "weak.test"],
        ["--url", "https://127.0.0.9/", "--address", "127.0.0.1"],
        ["--url", "https://weak.test/", "--address", "127.0.0.1", "--checks", "tls,ports"],
        ["--url", "https://weak.test/", "--address", "127.0.0.1", "--allow", "10.0.0.0/8"],
        ["--address", "127.0.0.1"],
    ],
)
def test_bad_arguments_exit_2_without_output(options: list[str], tmp_path: Path) -> None:
    output = tmp_path / "out.sarif"

    assert web.main([*options, "--output", str(output)]) == 2
    assert not output.exists()


def test_entry_point_runs_isolated_with_a_clean_environment(hardened_server: _Server, tmp_path: Path) -> None:
    output = tmp_path / "out.sarif"
    command = [sys.executable, "-I", "-m", "bastion.scanner.engines.web"]
    command += ["--url", f"https://good.test:{hardened_server.port}/", "--address", "127.0.0.1"]
    command += ["--output", str(output), "--checks", "headers", "--timeout", "5"]

    completed = subprocess.run(command, env={}, capture_output=True, timeout=60, check=False)  # noqa: S603

    assert completed.returncode == 0, completed.stderr.decode()
    assert _rule_ids(orjson.loads(output.read_bytes())) == set()


@pytest.mark.parametrize(
    ("days_left", "expected"),
    [
        (-1, {"certificate-expired"}),
        (10, {"certificate-expiring-soon"}),
        (31, set()),
        (5000, {"certificate-not-yet-valid"}),
    ],
)
def test_certificate_dates_are_judged_against_now(days_left: int, expected: set[str]) -> None:
    # given: a trusted certificate for the name, valid for a year, and "now" placed around it
    not_after = datetime.datetime(2030, 1, 1, tzinfo=datetime.UTC)
    not_before = not_after - datetime.timedelta(days=365)
    now = (
        not_after - datetime.timedelta(days=days_left)
        if days_left < 5000
        else not_before - datetime.timedelta(1)
    )
    certificate = CertificateFacts(
        subject="CN=site.test",
        issuer="CN=Some CA",
        serial_number="1",
        sha256="00",
        not_before=not_before,
        not_after=not_after,
        dns_names=("*.site.test",),
        ip_addresses=(),
        is_self_signed=False,
        is_trusted=True,
        trust_problem=None,
    )
    facts = TlsFacts(True, None, ("TLS 1.2", "TLS 1.3"), (), certificate, ())
    target = UrlTarget(
        "https://www.site.test/", "https://192.0.2.1/", "192.0.2.1", 443, "www.site.test", "www.site.test"
    )

    # when
    findings = web.judge_tls(facts, target=target, now=now)

    # then: the wildcard covers the name, so only the dates speak
    assert {finding.rule_id for finding in findings} == expected
