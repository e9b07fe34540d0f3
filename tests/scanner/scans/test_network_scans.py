"""Host and URL scans end to end: real nmap and the web checks against servers started here."""

from __future__ import annotations

import socket
import ssl
import threading
import warnings
from collections.abc import Iterator
from typing import Any

import pytest
import trustme
from fastapi.testclient import TestClient

from bastion.contracts.scans import ScanState
from bastion.core.findings.models import Finding
from bastion.core.scans import services
from bastion.core.scans.models import ScanJob
from bastion.scanner.scans.tasks import run_scan
from tests import services as services_of_tests
from tests.scanner.scans.conftest import auth


class _Loopback:
    """A TCP server on a free loopback port answering each connection in its own thread."""

    def __init__(self) -> None:
        self.socket = socket.socket()
        self.socket.bind(("127.0.0.1", 0))
        self.socket.listen(64)
        self.socket.settimeout(0.2)
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    @property
    def port(self) -> int:
        return int(self.socket.getsockname()[1])

    def _serve(self) -> None:
        while not self.stop.is_set():
            try:
                connection, _ = self.socket.accept()
            except OSError:
                continue
            threading.Thread(target=self._answer_and_close, args=(connection,), daemon=True).start()

    def _answer_and_close(self, connection: socket.socket) -> None:
        connection.settimeout(5)
        try:
            self.answer(connection)
        except OSError:
            pass  # scanners abort connections by the hundred
        finally:
            connection.close()

    def answer(self, connection: socket.socket) -> None:
        raise NotImplementedError

    def close(self) -> None:
        self.stop.set()
        self.thread.join()
        self.socket.close()


class _Banner(_Loopback):
    """Greets every connection with a fixed line, as SSH servers do."""

    def __init__(self, banner: bytes) -> None:
        self.banner = banner
        super().__init__()

    def answer(self, connection: socket.socket) -> None:
        connection.sendall(self.banner)


@pytest.fixture
def ssh_like() -> Iterator[_Banner]:
    server = _Banner(b"SSH-2.0-OpenSSH_8.2p1 Ubuntu-4ubuntu0.5\r\n")
    yield server
    server.close()


def _start(api: TestClient, caller: dict[str, Any], body: dict[str, Any]) -> ScanJob:
    services.add_allowed_range(actor=caller["owner"], organization=caller["org"], value="127.0.0.1/32")
    response = api.post(
        "/scanner/v1/scans", headers=auth(caller["key"]), json={"asset": caller["asset"].pk, **body}
    )
    assert response.status_code == 202, response.text
    run_scan(response.json()["id"])
    return ScanJob.objects.get(pk=response.json()["id"])


def test_a_host_scan_finds_the_services_listening_on_allow_listed_ports(
    api: TestClient, caller: dict[str, Any], ssh_like: _Banner
) -> None:
    services_of_tests.require_program("nmap", "nmap")
    # when: the host is scanned on the SSH-like server's port only
    body = {"target": {"kind": "host", "value": "127.0.0.1"}, "options": {"ports": str(ssh_like.port)}}
    scan = _start(api, caller, body)

    # then: nmap found OpenSSH 8.2p1 there, imported as the asset's service inventory
    assert scan.state == ScanState.COMPLETED, (scan.error, scan.log)
    [finding] = Finding.objects.filter(asset=caller["asset"], tool="bastion-nmap")
    assert finding.rule_id == "open-port"
    assert finding.file_path == f"tcp://127.0.0.1:{ssh_like.port}"
    assert "OpenSSH" in finding.title
    assert "8.2p1" in finding.description

    # and a second scan of the unchanged host creates nothing new
    again = _start(api, caller, body)
    assert (again.parsed, again.new, again.resolved) == (1, 0, 0)


class _WeakTls(_Loopback):
    """An HTTPS server allowing old protocols and every cipher, with no security headers."""

    def __init__(self) -> None:
        authority = trustme.CA()
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)  # TLS 1.0 is deprecated: the point here
            context.minimum_version = ssl.TLSVersion.TLSv1
        context.set_ciphers("ALL:@SECLEVEL=0")
        authority.issue_cert("weak.test").configure_cert(context)
        self.context = context
        super().__init__()

    def answer(self, connection: socket.socket) -> None:
        with self.context.wrap_socket(connection, server_side=True) as secured:
            secured.recv(65536)
            secured.sendall(
                b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nSet-Cookie: sessionid=abc; Path=/\r\n"
                b"Connection: close\r\n\r\nok"
            )


@pytest.fixture
def weak_tls() -> Iterator[_WeakTls]:
    server = _WeakTls()
    yield server
    server.close()


def test_a_url_scan_reports_the_tls_and_header_weaknesses_and_a_rescan_adds_nothing(
    api: TestClient, caller: dict[str, Any], weak_tls: _WeakTls
) -> None:
    # when
    body = {"target": {"kind": "url", "value": f"https://127.0.0.1:{weak_tls.port}/"}}
    scan = _start(api, caller, body)

    # then
    assert scan.state == ScanState.COMPLETED, (scan.error, scan.log)
    rules = set(
        Finding.objects.filter(asset=caller["asset"], tool="bastion-web").values_list("rule_id", flat=True)
    )
    assert {
        "certificate-untrusted",
        "certificate-hostname-mismatch",
        "header-hsts-missing",
        "header-csp-missing",
        "header-nosniff-missing",
        "header-framing-missing",
        "cookie-not-secure",
        "cookie-not-httponly",
        "cookie-no-samesite",
        "header-referrer-policy-missing",
    }
    assert scan.new == len(rules)

    # and the unchanged server scanned again: nothing new, nothing resolved
    again = _start(api, caller, body)
    assert (again.new, again.resolved, again.parsed) == (0, 0, len(rules))
