"""The TLS half of the web engine: what an https endpoint accepts and the certificate it presents.

sslyze does the protocol work (its own OpenSSL builds still speak SSL 2.0 and 3.0, which the system
library no longer can). It connects to the address the orchestrator resolved and sends the name
only as SNI, so a second DNS answer cannot move the scan. Only the scan commands the judgement
needs run: one per protocol version (each lists the accepted cipher suites) and the certificate.

This module observes; :mod:`bastion.scanner.engines.web` judges. Trust is judged apart from the
name and the dates: sslyze validates the chain for the scanned name at the current time, so an
expired or misnamed certificate from a public CA would also read as untrusted; the chain is then
validated again for a name it holds, at a time it was valid, to tell the problems apart.
"""

from __future__ import annotations

import datetime
import hashlib
import ipaddress
import warnings
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.utils import CryptographyDeprecationWarning
from cryptography.x509 import Certificate, DNSName, IPAddress
from sslyze.errors import TlsHandshakeFailed
from sslyze.plugins.certificate_info._certificate_utils import parse_subject_alternative_name_extension
from sslyze.plugins.certificate_info.trust_stores.trust_store_repository import TrustStoresRepository
from sslyze.plugins.openssl_cipher_suites.cipher_suites import CipherSuite
from sslyze.plugins.scan_commands import ScanCommand
from sslyze.scanner.models import ServerConnectivityStatusEnum, ServerScanRequest
from sslyze.scanner.scan_command_attempt import ScanCommandAttemptStatusEnum
from sslyze.scanner.scanner import Scanner
from sslyze.server_setting import ServerNetworkConfiguration, ServerNetworkLocation

if TYPE_CHECKING:
    from sslyze.plugins.certificate_info._cert_chain_analyzer import CertificateDeploymentAnalysisResult
    from sslyze.plugins.openssl_cipher_suites.implementation import CipherSuitesScanResult
    from sslyze.scanner.models import ServerScanResult

#: Protocol versions in the order they are reported, with the scan command that tests each.
PROTOCOLS: tuple[tuple[str, ScanCommand], ...] = (
    ("SSL 2.0", ScanCommand.SSL_2_0_CIPHER_SUITES),
    ("SSL 3.0", ScanCommand.SSL_3_0_CIPHER_SUITES),
    ("TLS 1.0", ScanCommand.TLS_1_0_CIPHER_SUITES),
    ("TLS 1.1", ScanCommand.TLS_1_1_CIPHER_SUITES),
    ("TLS 1.2", ScanCommand.TLS_1_2_CIPHER_SUITES),
    ("TLS 1.3", ScanCommand.TLS_1_3_CIPHER_SUITES),
)
MINIMUM_KEY_BITS = 128
# Parallel handshakes against one server: enough to list ~150 suites quickly, few enough not to look
# like an attack or to exhaust a small server's worker pool.
CONNECTIONS_PER_SERVER = 5


class TlsUnreachable(Exception):  # noqa: N818 (a state of the target, named as the report names it)
    """No TCP connection could be made to the endpoint: nothing about its TLS is known."""


@dataclass(frozen=True, slots=True)
class CertificateFacts:
    """The leaf certificate the server presented for the scanned name, and what its chain proves."""

    subject: str
    issuer: str
    serial_number: str
    sha256: str
    not_before: datetime.datetime
    not_after: datetime.datetime
    dns_names: tuple[str, ...]
    ip_addresses: tuple[str, ...]
    is_self_signed: bool
    is_trusted: bool
    trust_problem: str | None

    def as_properties(self) -> dict[str, Any]:
        """Return the certificate as SARIF run properties (JSON values)."""
        return {
            "subject": self.subject,
            "issuer": self.issuer,
            "serialNumber": self.serial_number,
            "sha256": self.sha256,
            "notBefore": self.not_before.isoformat(),
            "notAfter": self.not_after.isoformat(),
            "dnsNames": list(self.dns_names),
            "ipAddresses": list(self.ip_addresses),
            "selfSigned": self.is_self_signed,
            "trusted": self.is_trusted,
            **({"trustProblem": self.trust_problem} if self.trust_problem else {}),
        }


@dataclass(frozen=True, slots=True)
class TlsFacts:
    """What one TLS scan saw: is TLS spoken, which versions and weak suites it accepts, the certificate."""

    is_offered: bool
    handshake_problem: str | None
    accepted_protocols: tuple[str, ...]
    # (protocol, RFC name of the suite, why it is weak), in protocol then name order
    weak_cipher_suites: tuple[tuple[str, str, str], ...]
    certificate: CertificateFacts | None
    # scan commands that failed: (what, why); the judgement is incomplete without them
    failures: tuple[tuple[str, str], ...]


def scan_tls(*, server_name: str | None, address: str, port: int, timeout: float) -> TlsFacts:
    """Scan the TLS endpoint at ``address``:``port``, presenting ``server_name`` as SNI.

    Raises :class:`TlsUnreachable` when no TCP connection can be made; a server that accepts the
    connection but completes no handshake gives ``is_offered=False``.
    """
    name = server_name or address
    location = ServerNetworkLocation(hostname=name, port=port, ip_address=address)
    configuration = ServerNetworkConfiguration(
        tls_server_name_indication=name, network_timeout=max(1, round(timeout)), network_max_retries=1
    )
    request = ServerScanRequest(
        server_location=location,
        network_configuration=configuration,
        scan_commands={ScanCommand.CERTIFICATE_INFO, *(command for _label, command in PROTOCOLS)},
    )
    scanner = Scanner(per_server_concurrent_connections_limit=CONNECTIONS_PER_SERVER)
    with warnings.catch_warnings():
        # sslyze's bundled trust stores hold old roots with negative serial numbers: not the target's doing.
        warnings.simplefilter("ignore", CryptographyDeprecationWarning)
        scanner.queue_scans([request])
        result = next(iter(scanner.get_results()))
    if result.connectivity_status != ServerConnectivityStatusEnum.COMPLETED:
        return _without_tls(result)
    return _facts(result, server_name=server_name, address=address)


def _without_tls(result: ServerScanResult) -> TlsFacts:
    trace = result.connectivity_error_trace
    reason = "".join(trace.format_exception_only()).strip() if trace else "the connection failed"
    if trace is None or not issubclass(trace.exc_type, TlsHandshakeFailed):
        raise TlsUnreachable(reason)
    return TlsFacts(
        is_offered=False,
        handshake_problem=reason,
        accepted_protocols=(),
        weak_cipher_suites=(),
        certificate=None,
        failures=(),
    )


def _facts(result: ServerScanResult, *, server_name: str | None, address: str) -> TlsFacts:
    attempts = result.scan_result
    if attempts is None:  # connectivity completed, so sslyze always runs the commands
        raise TlsUnreachable("the TLS scan did not run")
    accepted: list[str] = []
    weak: list[tuple[str, str, str]] = []
    failures: list[tuple[str, str]] = []
    for label, command in PROTOCOLS:
        attempt = getattr(attempts, command.value)
        if attempt.status != ScanCommandAttemptStatusEnum.COMPLETED or attempt.result is None:
            failures.append((f"{label} scan", _attempt_problem(attempt)))
            continue
        suites: CipherSuitesScanResult = attempt.result
        if suites.is_tls_version_supported:
            accepted.append(label)
        for suite in sorted(suites.accepted_cipher_suites, key=lambda item: item.cipher_suite.name):
            reason = cipher_weakness(suite.cipher_suite)
            if reason is not None:
                weak.append((label, suite.cipher_suite.name, reason))
    certificate = None
    attempt = attempts.certificate_info
    if attempt.status == ScanCommandAttemptStatusEnum.COMPLETED and attempt.result is not None:
        deployments = attempt.result.certificate_deployments
        if deployments:
            certificate = _certificate(deployments[0], server_name=server_name, address=address)
    else:
        failures.append(("certificate scan", _attempt_problem(attempt)))
    return TlsFacts(
        is_offered=True,
        handshake_problem=None,
        accepted_protocols=tuple(accepted),
        weak_cipher_suites=tuple(weak),
        certificate=certificate,
        failures=tuple(failures),
    )


def _attempt_problem(attempt: Any) -> str:
    trace = attempt.error_trace
    detail = "".join(trace.format_exception_only()).strip() if trace else ""
    reason = attempt.error_reason.value if attempt.error_reason else attempt.status.value
    return f"{reason}: {detail}" if detail else str(reason)


def cipher_weakness(suite: CipherSuite) -> str | None:
    """Return why a cipher suite is weak (no encryption, export, RC4, DES, anonymous, short key), or None."""
    tokens = set(suite.name.upper().split("_"))
    if "NULL" in tokens:
        return "no encryption"
    if any(token.startswith("EXPORT") for token in tokens):
        return "export grade"
    if suite.is_anonymous or "ANON" in tokens:
        return "anonymous (no server authentication)"
    if tokens & {"RC4", "RC2"}:
        return "RC4/RC2"
    if tokens & {"DES", "DES40", "3DES"}:
        return "DES/3DES"
    if suite.key_size < MINIMUM_KEY_BITS:
        return f"{suite.key_size}-bit key"
    return None


def _certificate(
    deployment: CertificateDeploymentAnalysisResult, *, server_name: str | None, address: str
) -> CertificateFacts:
    leaf = deployment.received_certificate_chain[0]
    names = parse_subject_alternative_name_extension(leaf)
    not_before, not_after = leaf.not_valid_before_utc, leaf.not_valid_after_utc
    now = datetime.datetime.now(datetime.UTC)
    is_trusted, problem = _chain_trust(deployment)
    matches = hostname_matches(server_name, names.dns_names) if server_name else address in names.ip_addresses
    if not is_trusted and (not matches or not not_before <= now <= not_after):
        # sslyze judged the chain for the scanned name, now: judge it again where name and dates hold.
        is_trusted, problem = _trust_elsewhen(deployment, leaf, names.dns_names, names.ip_addresses, problem)
    return CertificateFacts(
        subject=leaf.subject.rfc4514_string(),
        issuer=leaf.issuer.rfc4514_string(),
        serial_number=format(leaf.serial_number, "x"),
        sha256=hashlib.sha256(leaf.public_bytes(Encoding.DER)).hexdigest(),
        not_before=not_before,
        not_after=not_after,
        dns_names=tuple(names.dns_names),
        ip_addresses=tuple(names.ip_addresses),
        is_self_signed=leaf.issuer == leaf.subject,
        is_trusted=is_trusted,
        trust_problem=problem,
    )


def _chain_trust(deployment: CertificateDeploymentAnalysisResult) -> tuple[bool, str | None]:
    results = deployment.path_validation_results
    if any(result.was_validation_successful for result in results):
        return True, None
    problems = sorted({result.validation_error for result in results if result.validation_error})
    return False, problems[0] if problems else "no trust store could build a chain"


def _trust_elsewhen(
    deployment: CertificateDeploymentAnalysisResult,
    leaf: Certificate,
    dns_names: list[str],
    ip_addresses: list[str],
    problem: str | None,
) -> tuple[bool, str | None]:
    """Validate the chain for a name the certificate holds, at a moment inside its validity."""
    subject: DNSName | IPAddress
    if dns_names:
        subject = DNSName(dns_names[0].removeprefix("*."))
    elif ip_addresses:
        subject = IPAddress(ipaddress.ip_address(ip_addresses[0]))
    else:
        return False, problem  # no name at all: no client will accept it, whatever signed it
    moment = leaf.not_valid_before_utc + (leaf.not_valid_after_utc - leaf.not_valid_before_utc) / 2
    pem_chain = deployment.received_certificate_chain_as_pem
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CryptographyDeprecationWarning)
        stores = TrustStoresRepository.get_default().get_all_stores()
    for store in stores:
        if store.verify_certificate_chain(pem_chain, subject, moment).was_validation_successful:
            return True, None
    return False, problem


def hostname_matches(name: str, patterns: list[str] | tuple[str, ...]) -> bool:
    """Tell whether a certificate's DNS names cover ``name`` (RFC 6125: a wildcard is a whole left label)."""
    wanted = name.lower().rstrip(".").split(".")
    for pattern in patterns:
        labels = pattern.lower().rstrip(".").split(".")
        if len(labels) != len(wanted):
            continue
        if labels == wanted or (labels[0] == "*" and len(labels) > 2 and labels[1:] == wanted[1:]):
            return True
    return False
