"""Web endpoint scan: TLS configuration (sslyze) and HTTP security headers and cookies, as SARIF 2.1.0.

Run by a scan's orchestrator as its own process, after it has checked the URL and resolved its
host once against the organisation's allow-list::

    python -I -m bastion.scanner.engines.web --url URL --address RESOLVED_IP [--allow CIDR]...
        --output OUT.sarif [--checks tls,headers] [--timeout SECONDS]

Every connection goes to ``--address``; the URL's name is sent only as SNI and ``Host``, so a
second DNS answer cannot move the scan (no rebinding). Redirects to another host are followed
only to an address inside ``--allow`` (see :mod:`.web_headers`). :mod:`.web_tls` and
:mod:`.web_headers` observe; this module judges what they saw against one rule table and writes
the log. Exit status: 0 when the log is written, 2 for bad arguments, 3 when the target cannot be
reached (the log is still written, its invocation unsuccessful and saying why).

A result's ``partialFingerprints`` names the host, the port and the rule (and the cookie, for
cookie rules), never a value that changes between runs such as an expiry date or a header's
text: a certificate renewed but still self-signed stays the same finding, and a fixed problem
disappears from the next full import.

Cookies: every cookie lacking ``Secure`` over https or ``SameSite`` is reported; a missing
``HttpOnly`` only for cookies whose names look like session or authentication tokens, since
scripts must be able to read others (CSRF tokens, preferences) and flagging them would bury the
real ones. Cookies are judged on every response fetched (a login redirect often sets the session),
the other headers on the final response only.
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import ipaddress
import os
import re
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import orjson

from bastion.core.scans.targets import TargetRefused, UrlTarget, check_url_target
from bastion.scanner.engines.web_headers import HttpFacts, HttpUnreachable, Response, fetch, pinned_resolver
from bastion.scanner.engines.web_tls import TlsFacts, TlsUnreachable, hostname_matches, scan_tls

TOOL_NAME = "bastion-web"
FINGERPRINT_KEY = "bastionWeb/v1"
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
CHECKS = ("tls", "headers")
DEFAULT_TIMEOUT = 10.0
MAXIMUM_TIMEOUT = 120.0
EXPIRY_WARNING = datetime.timedelta(days=30)
MINIMUM_HSTS_MAX_AGE = 15_552_000  # 180 days: long enough to outlast the gaps between a user's visits
EXIT_WRITTEN, EXIT_BAD_ARGUMENTS, EXIT_UNREACHABLE = 0, 2, 3

_SESSION_COOKIE = re.compile(r"sess|sid|auth|token|jwt|login|remember|identity", re.IGNORECASE)
_SCRIPT_READABLE_COOKIE = re.compile(r"csrf|xsrf", re.IGNORECASE)
_VERSION = re.compile(r"\d+\.\d+|/\s*\d")
_MAX_AGE = re.compile(r"(?:^|;)\s*max-age\s*=\s*\"?(\d+)\"?\s*(?:;|$)", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Rule:
    """One check's rule: what is wrong, how bad (a CVSS-like score), how to fix it, and its CWE."""

    id: str
    title: str
    score: Decimal
    fix: str
    cwe: int


# fmt: off
_RULE_TABLE: tuple[tuple[str, str, str, str, int], ...] = (
    ("tls-not-offered", "The https endpoint does not speak TLS", "7.5",
     "Serve TLS on this port (or stop advertising an https URL for it).", 319),
    ("tls-ssl2-enabled", "SSL 2.0 is accepted", "9.1",
     "Disable SSL 2.0 in the server's TLS configuration; allow TLS 1.2 and TLS 1.3 only.", 327),
    ("tls-ssl3-enabled", "SSL 3.0 is accepted", "7.5",
     "Disable SSL 3.0 (POODLE) in the server's TLS configuration; allow TLS 1.2 and TLS 1.3 only.", 327),
    ("tls-tls10-enabled", "TLS 1.0 is accepted", "5.3",
     "Disable TLS 1.0 (deprecated by RFC 8996); allow TLS 1.2 and TLS 1.3 only.", 327),
    ("tls-tls11-enabled", "TLS 1.1 is accepted", "5.3",
     "Disable TLS 1.1 (deprecated by RFC 8996); allow TLS 1.2 and TLS 1.3 only.", 327),
    ("tls-no-modern-protocol", "Neither TLS 1.2 nor TLS 1.3 is supported", "7.5",
     "Enable TLS 1.2 and TLS 1.3; upgrade the TLS library if it cannot offer them.", 327),
    ("tls-weak-cipher-suites", "Weak TLS cipher suites are accepted", "7.4",
     "Remove NULL, export, anonymous, RC4, DES/3DES and sub-128-bit suites; prefer AEAD suites with "
     "forward secrecy (ECDHE with AES-GCM or ChaCha20-Poly1305).", 327),
    ("certificate-expired", "The TLS certificate has expired", "7.5",
     "Renew the certificate and deploy it; automate renewal (ACME) so it cannot lapse again.", 298),
    ("certificate-not-yet-valid", "The TLS certificate is not yet valid", "7.5",
     "Deploy a certificate whose validity has begun, and check the issuing system's clock.", 298),
    ("certificate-expiring-soon", "The TLS certificate expires within 30 days", "3.7",
     "Renew the certificate now; automate renewal (ACME) so it cannot lapse.", 298),
    ("certificate-untrusted", "The TLS certificate is not trusted (self-signed or unknown issuer)", "6.5",
     "Use a certificate from a publicly trusted CA and send the full chain (leaf, then intermediates).",
     295),
    ("certificate-hostname-mismatch", "The TLS certificate does not match the host name", "6.5",
     "Deploy a certificate whose subjectAltName lists this host name.", 297),
    ("header-hsts-missing", "Strict-Transport-Security header is missing", "4.3",
     "Send 'Strict-Transport-Security: max-age=31536000; includeSubDomains' on every https response.", 319),
    ("header-hsts-short", "Strict-Transport-Security max-age is too short", "3.1",
     "Raise the HSTS max-age to at least 15552000 (180 days); 31536000 (one year) is usual.", 319),
    ("header-csp-missing", "Content-Security-Policy header is missing", "4.3",
     "Send a Content-Security-Policy that limits script sources (start with \"default-src 'self'\").", 693),
    ("header-nosniff-missing", "X-Content-Type-Options: nosniff is missing", "3.1",
     "Send 'X-Content-Type-Options: nosniff' on every response.", 693),
    ("header-framing-missing", "Framing is not restricted (no X-Frame-Options or frame-ancestors)", "4.3",
     "Send \"Content-Security-Policy: frame-ancestors 'self'\" (or 'X-Frame-Options: DENY').", 1021),
    ("header-referrer-policy-missing", "Referrer-Policy header is missing", "2.6",
     "Send 'Referrer-Policy: strict-origin-when-cross-origin' (or a stricter policy).", 200),
    ("header-version-disclosure", "Server software version is disclosed", "2.6",
     "Remove version numbers from the Server and X-Powered-By headers (or drop the headers).", 200),
    ("cookie-not-secure", "Cookie set without the Secure attribute", "4.3",
     "Add the Secure attribute so the cookie is never sent over plain http.", 614),
    ("cookie-not-httponly", "Session cookie set without the HttpOnly attribute", "4.3",
     "Add the HttpOnly attribute so scripts (and XSS) cannot read the session cookie.", 1004),
    ("cookie-no-samesite", "Cookie set without the SameSite attribute", "3.1",
     "Add 'SameSite=Lax' (or Strict) so the cookie is not sent on cross-site requests.", 1275),
)
# fmt: on
RULES = tuple(
    Rule(rule_id, title, Decimal(score), fix, cwe) for rule_id, title, score, fix, cwe in _RULE_TABLE
)
RULE_INDEX = {rule.id: index for index, rule in enumerate(RULES)}
_PROTOCOL_RULES = {"SSL 2.0": "tls-ssl2-enabled", "SSL 3.0": "tls-ssl3-enabled"}
_PROTOCOL_RULES |= {"TLS 1.0": "tls-tls10-enabled", "TLS 1.1": "tls-tls11-enabled"}


@dataclass(frozen=True, slots=True)
class Finding:
    """One result: the rule broken, where (URL, host, port), about what (a cookie's name) and the detail."""

    rule_id: str
    url: str
    host: str
    port: int
    detail: str
    subject: str = ""
    properties: dict[str, Any] = field(default_factory=dict)


class BadArguments(ValueError):
    """The command line names no scannable target; nothing was scanned."""


def main(argv: list[str] | None = None) -> int:
    """Run the checks the command line asks for and write one SARIF log; return the exit status."""
    parser = _argument_parser()
    try:
        arguments = parser.parse_args(argv)
    except SystemExit as exit_request:  # argparse has printed the usage and the problem
        return exit_request.code if isinstance(exit_request.code, int) else EXIT_BAD_ARGUMENTS
    try:
        target, checks = _checked_arguments(arguments)
    except BadArguments as error:
        print(f"bastion-web: {error}", file=sys.stderr)
        return EXIT_BAD_ARGUMENTS
    log, status = scan(target, checks=checks, allowed=arguments.allow, timeout=arguments.timeout)
    _write(Path(arguments.output), orjson.dumps(log))
    return status


def scan(
    target: UrlTarget, *, checks: Sequence[str], allowed: Sequence[str], timeout: float
) -> tuple[dict[str, Any], int]:
    """Run the checks against a checked target; return the SARIF log and the exit status."""
    findings: list[Finding] = []
    notes: list[dict[str, Any]] = []
    properties: dict[str, Any] = {"url": target.url, "address": target.address, "checks": list(checks)}
    is_https = target.connect_url.startswith("https:")
    try:
        if "tls" in checks and is_https:
            tls = scan_tls(
                server_name=target.server_name, address=target.address, port=target.port, timeout=timeout
            )
            findings += judge_tls(tls, target=target, now=datetime.datetime.now(datetime.UTC))
            notes += [_notification("tls-check-incomplete", f"{what}: {why}") for what, why in tls.failures]
            properties["tlsProtocols"] = list(tls.accepted_protocols)
            if tls.certificate is not None:
                properties["certificate"] = tls.certificate.as_properties()
        if "headers" in checks:
            http = fetch(target, allowed=allowed, timeout=timeout)
            findings += judge_http(http)
            properties["fetched"] = [response.url for response in http.responses]
            if http.stopped:
                properties["redirectStopped"] = {"location": http.refused_location, "reason": http.stopped}
                if http.refused_location is None:  # a failed request, not a refusal: the check is incomplete
                    notes.append(_notification("headers-check-incomplete", http.stopped))
    except (TlsUnreachable, HttpUnreachable) as error:
        notes.append(_notification("target-unreachable", f"{target.url} ({target.address}): {error}"))
        return _log([], notes, properties, is_successful=False), EXIT_UNREACHABLE
    return _log(findings, notes, properties, is_successful=not notes), EXIT_WRITTEN


def judge_tls(facts: TlsFacts, *, target: UrlTarget, now: datetime.datetime) -> list[Finding]:
    """Turn what the TLS scan saw into findings."""
    origin = f"https://{target.host_header}/"
    host = target.server_name or target.address

    def found(rule_id: str, detail: str, **properties: Any) -> Finding:
        return Finding(rule_id, origin, host, target.port, detail, properties=properties)

    if not facts.is_offered:
        return [found("tls-not-offered", f"No TLS handshake completed: {facts.handshake_problem}")]
    findings = [
        found(_PROTOCOL_RULES[protocol], f"The server completes {protocol} handshakes.", protocol=protocol)
        for protocol in facts.accepted_protocols
        if protocol in _PROTOCOL_RULES
    ]
    if not {"TLS 1.2", "TLS 1.3"} & set(facts.accepted_protocols) and facts.accepted_protocols:
        accepted = ", ".join(facts.accepted_protocols)
        findings.append(found("tls-no-modern-protocol", f"Only {accepted} accepted."))
    if facts.weak_cipher_suites:
        lines = [f"{protocol}: {name} ({why})" for protocol, name, why in facts.weak_cipher_suites]
        suites = sorted({name for _protocol, name, _why in facts.weak_cipher_suites})
        findings.append(
            found("tls-weak-cipher-suites", "Accepted:\n" + "\n".join(lines), cipherSuites=suites)
        )
    certificate = facts.certificate
    if certificate is None:
        return findings
    not_after = certificate.not_after.isoformat()
    if now > certificate.not_after:
        findings.append(found("certificate-expired", f"It expired on {not_after}."))
    elif now < certificate.not_before:
        findings.append(
            found("certificate-not-yet-valid", f"It is valid from {certificate.not_before.isoformat()}.")
        )
    elif certificate.not_after - now <= EXPIRY_WARNING:
        findings.append(found("certificate-expiring-soon", f"It expires on {not_after}."))
    if not certificate.is_trusted:
        kind = "self-signed" if certificate.is_self_signed else f"issued by {certificate.issuer}"
        findings.append(
            found("certificate-untrusted", f"The certificate is {kind}: {certificate.trust_problem}")
        )
    covered = (
        hostname_matches(target.server_name, certificate.dns_names)
        if target.server_name
        else target.address in certificate.ip_addresses
    )
    if not covered:
        names = ", ".join((*certificate.dns_names, *certificate.ip_addresses)) or "no subjectAltName"
        findings.append(found("certificate-hostname-mismatch", f"{host} is not among: {names}."))
    return findings


def judge_http(facts: HttpFacts) -> list[Finding]:
    """Turn the responses fetched into findings: cookies of every response, headers of the final one."""
    findings: list[Finding] = []
    seen: set[tuple[str, str]] = set()
    for response in facts.responses:
        for cookie in response.cookies():
            problems = []
            if response.is_https and not cookie.is_secure:
                problems.append(("cookie-not-secure", "without Secure, over https"))
            if not cookie.is_http_only and _is_session_cookie(cookie.name):
                problems.append(("cookie-not-httponly", "without HttpOnly; its name suggests a session"))
            if cookie.same_site is None:
                problems.append(("cookie-no-samesite", "without SameSite"))
            for rule_id, why in problems:
                if (rule_id, cookie.name) not in seen:
                    seen.add((rule_id, cookie.name))
                    detail = f"{response.url} sets the cookie {cookie.name!r} {why}."
                    findings.append(_response_finding(rule_id, response, detail, subject=cookie.name))
    if facts.final is not None:
        findings += _header_findings(facts.final)
    return findings


def _header_findings(response: Response) -> list[Finding]:
    findings: list[Finding] = []
    if response.is_https:
        hsts = response.value("strict-transport-security")
        match = _MAX_AGE.search(hsts.split(",")[0]) if hsts else None
        if match is None:
            detail = "No valid Strict-Transport-Security header" + (f" (got {hsts!r})." if hsts else ".")
            findings.append(_response_finding("header-hsts-missing", response, detail))
        elif int(match[1]) < MINIMUM_HSTS_MAX_AGE:
            detail = f"max-age={match[1]} is below {MINIMUM_HSTS_MAX_AGE} seconds."
            findings.append(_response_finding("header-hsts-short", response, detail))
    policy = response.value("content-security-policy")
    if policy is None:
        findings.append(
            _response_finding("header-csp-missing", response, "No Content-Security-Policy header.")
        )
    if (response.value("x-content-type-options") or "").strip().lower() != "nosniff":
        detail = "X-Content-Type-Options is absent or not 'nosniff'."
        findings.append(_response_finding("header-nosniff-missing", response, detail))
    has_frame_ancestors = policy is not None and re.search(r"(?:^|[;,])\s*frame-ancestors\b", policy, re.I)
    if not has_frame_ancestors and response.value("x-frame-options") is None:
        detail = "Neither X-Frame-Options nor a CSP frame-ancestors directive."
        findings.append(_response_finding("header-framing-missing", response, detail))
    if response.value("referrer-policy") is None:
        findings.append(
            _response_finding("header-referrer-policy-missing", response, "No Referrer-Policy header.")
        )
    disclosed = {
        name: value
        for name in ("server", "x-powered-by")
        if (value := response.value(name)) is not None and _VERSION.search(value)
    }
    if disclosed:
        detail = "; ".join(f"{name}: {value}" for name, value in disclosed.items())
        findings.append(_response_finding("header-version-disclosure", response, detail, headers=disclosed))
    return findings


def _response_finding(
    rule_id: str, response: Response, detail: str, subject: str = "", **extra: Any
) -> Finding:
    properties = {"status": response.status, **({"cookie": subject} if subject else {}), **extra}
    return Finding(rule_id, response.url, response.host, response.port, detail, subject, properties)


def _is_session_cookie(name: str) -> bool:
    return bool(_SESSION_COOKIE.search(name)) and not _SCRIPT_READABLE_COOKIE.search(name)


def fingerprint(finding: Finding) -> str:
    """Return the result's stable key: host, port, rule and (for cookies) the cookie's name."""
    parts = (finding.host.lower(), str(finding.port), finding.rule_id, finding.subject)
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()[:32]


def _level(score: Decimal) -> str:
    if score >= 7:
        return "error"
    return "warning" if score >= 4 else "note"


def _sarif_rule(rule: Rule) -> dict[str, Any]:
    return {
        "id": rule.id,
        "name": rule.id,
        "shortDescription": {"text": rule.title},
        "help": {"text": rule.fix},
        "helpUri": f"https://cwe.mitre.org/data/definitions/{rule.cwe}.html",
        "defaultConfiguration": {"level": _level(rule.score)},
        "properties": {
            "tags": ["security", "web", f"CWE-{rule.cwe}"],
            "security-severity": f"{rule.score:.1f}",
            "cwe": f"CWE-{rule.cwe}",
        },
    }


def _sarif_result(finding: Finding) -> dict[str, Any]:
    rule = RULES[RULE_INDEX[finding.rule_id]]
    heading = f"{rule.title}: {finding.subject}" if finding.subject else rule.title
    return {
        "ruleId": rule.id,
        "ruleIndex": RULE_INDEX[rule.id],
        "level": _level(rule.score),
        "message": {"text": f"{heading}\n{finding.detail}"},
        "locations": [
            {
                "physicalLocation": {"artifactLocation": {"uri": finding.url}},
                "logicalLocations": [
                    {"fullyQualifiedName": f"{finding.host}:{finding.port}", "kind": "resource"}
                ],
            }
        ],
        "partialFingerprints": {FINGERPRINT_KEY: fingerprint(finding)},
        "properties": {"host": finding.host, "port": finding.port, **finding.properties},
    }


def _notification(descriptor: str, text: str) -> dict[str, Any]:
    return {"level": "error", "descriptor": {"id": descriptor}, "message": {"text": text}}


def _log(
    findings: list[Finding], notes: list[dict[str, Any]], properties: dict[str, Any], *, is_successful: bool
) -> dict[str, Any]:
    ordered = sorted(
        findings, key=lambda item: (RULE_INDEX[item.rule_id], item.host, item.port, item.subject)
    )
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {"driver": {"name": TOOL_NAME, "rules": [_sarif_rule(rule) for rule in RULES]}},
                "invocations": [{"executionSuccessful": is_successful, "toolExecutionNotifications": notes}],
                "results": [_sarif_result(finding) for finding in ordered],
                "properties": properties,
            }
        ],
    }


def _argument_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="bastion-web", description="Check a web endpoint's TLS configuration and security headers."
    )
    parser.add_argument("--url", required=True, help="the http(s) URL to check")
    parser.add_argument("--address", required=True, help="the address the URL's host was resolved to")
    parser.add_argument(
        "--allow", action="append", default=[], help="a CIDR redirects may go to (repeatable)"
    )
    parser.add_argument("--output", required=True, help="where to write the SARIF log")
    parser.add_argument("--checks", default=",".join(CHECKS), help="comma-separated: tls, headers")
    parser.add_argument(
        "--timeout", type=float, default=DEFAULT_TIMEOUT, help="seconds per network operation"
    )
    return parser


def _checked_arguments(arguments: argparse.Namespace) -> tuple[UrlTarget, list[str]]:
    """Check the command line: a valid URL whose host is the given address (or a name pinned to it)."""
    checks = [check.strip() for check in arguments.checks.split(",") if check.strip()]
    if not checks or any(check not in CHECKS for check in checks):
        raise BadArguments(f"--checks takes a comma-separated list of {', '.join(CHECKS)}")
    if not 0 < arguments.timeout <= MAXIMUM_TIMEOUT:
        raise BadArguments(f"--timeout must be more than 0 and at most {MAXIMUM_TIMEOUT:g} seconds")
    try:
        address = ipaddress.ip_address(arguments.address)
    except ValueError:
        raise BadArguments(f"--address {arguments.address!r} is not an IP address") from None
    try:
        allowed = [str(ipaddress.ip_network(entry, strict=False)) for entry in arguments.allow]
    except ValueError as error:
        raise BadArguments(f"--allow takes CIDR ranges: {error}") from None
    # The orchestrator checked the address against the allow-list; with no list given, its word stands.
    initial = allowed or [str(ipaddress.ip_network(address))]
    try:
        target = check_url_target(arguments.url, allowed=initial, resolver=pinned_resolver(str(address)))
    except TargetRefused as refusal:
        raise BadArguments(f"--url refused: {refusal.reason}") from None
    if ipaddress.ip_address(target.address) != address:
        raise BadArguments(f"--url names the address {target.address}, not --address {address}")
    return target, checks


def _write(path: Path, content: bytes) -> None:
    """Write the log whole or not at all: a reader never sees half a report."""
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(content)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


if __name__ == "__main__":
    sys.exit(main())
