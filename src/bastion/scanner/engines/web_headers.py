"""The HTTP half of the web engine: fetch a URL the safe way and return the headers and cookies seen.

Every request goes to an address checked against the organisation's allow-list, never to a name
looked up again: the first to the address the orchestrator resolved (the name travels as the
``Host`` header and as TLS SNI), a redirect to the same host to that same address, and a redirect
to another host to the address its name resolves to once, here, which must itself be allowed
(``targets.check_redirect``). A redirect that fails the check ends the chain; what was fetched so
far is kept. Certificates are not verified: the TLS check judges them, and a self-signed
certificate must not hide a missing header.

Bodies are never read (the headers are all this check judges), so a large or endless body costs
nothing; h11 caps the header block, and only the first cookies of a response are kept.
"""

from __future__ import annotations

import ipaddress
import socket
import ssl
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit

import httpx

from bastion.core.scans.targets import Resolver, TargetRefused, UrlTarget, check_redirect

MAX_REDIRECTS = 5
MAX_COOKIES_PER_RESPONSE = 50
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
USER_AGENT = "bastion-web/1 (security scan)"


class HttpUnreachable(Exception):  # noqa: N818 (a state of the target, named as the report names it)
    """The first request could not connect: the target is down, filtered or refusing connections."""


@dataclass(frozen=True, slots=True)
class Cookie:
    """One ``Set-Cookie`` header: the cookie's name and the attributes that protect it."""

    name: str
    is_secure: bool
    is_http_only: bool
    same_site: str | None


@dataclass(frozen=True, slots=True)
class Response:
    """One response of the chain: where it came from, its status and its headers (names lower-cased)."""

    url: str
    host: str
    port: int
    is_https: bool
    status: int
    headers: tuple[tuple[str, str], ...]

    def values(self, name: str) -> list[str]:
        """Return every value of a header, in order."""
        wanted = name.lower()
        return [value for key, value in self.headers if key == wanted]

    def value(self, name: str) -> str | None:
        """Return the header's values joined as one (RFC 9110 list form), or None when absent."""
        found = self.values(name)
        return ", ".join(found) if found else None

    def cookies(self) -> list[Cookie]:
        """Return the cookies this response sets (at most ``MAX_COOKIES_PER_RESPONSE``)."""
        parsed = (parse_set_cookie(value) for value in self.values("set-cookie")[:MAX_COOKIES_PER_RESPONSE])
        return [cookie for cookie in parsed if cookie is not None]


@dataclass(frozen=True, slots=True)
class HttpFacts:
    """The responses fetched, in order, and the one the header check judges.

    ``final`` is None when the chain was cut (a refused redirect, too many, a failed request):
    judging an intermediate response's headers would report what no browser sees.
    """

    responses: tuple[Response, ...]
    final: Response | None
    stopped: str | None
    refused_location: str | None


def pinned_resolver(address: str) -> Resolver:
    """Return a resolver that answers every name with ``address``: the lookup the orchestrator made."""
    family = socket.AF_INET6 if ipaddress.ip_address(address).version == 6 else socket.AF_INET

    def resolve(*_arguments: Any, **_options: Any) -> list[tuple[Any, ...]]:
        return [(family, socket.SOCK_STREAM, socket.IPPROTO_TCP, "", (address, 0))]

    return resolve


def fetch(
    target: UrlTarget,
    *,
    allowed: Sequence[str],
    timeout: float,
    resolver: Resolver = socket.getaddrinfo,
) -> HttpFacts:
    """GET ``target`` and follow up to ``MAX_REDIRECTS`` checked redirects; return what was seen.

    Raises :class:`HttpUnreachable` when the first connection cannot be made.
    """
    responses: list[Response] = []
    current = target
    with httpx.Client(
        verify=False,  # noqa: S501 (the TLS check judges the certificate; see the module docstring)
        trust_env=False,  # no proxy or certificate settings from the environment
        follow_redirects=False,
        timeout=httpx.Timeout(timeout),
        limits=httpx.Limits(max_keepalive_connections=0),  # never reuse a connection made for other SNI
        headers={"User-Agent": USER_AGENT, "Accept": "*/*"},
    ) as client:
        while True:
            try:
                response = _get(client, current)
            except httpx.HTTPError as error:
                if not responses and _is_connect_failure(error):
                    raise HttpUnreachable(f"cannot connect to {current.url}: {_describe(error)}") from error
                stopped = f"the request to {current.url} failed: {_describe(error)}"
                return HttpFacts(tuple(responses), None, stopped, None)
            responses.append(response)
            location = response.value("location")
            if response.status not in REDIRECT_STATUSES or not location:
                return HttpFacts(tuple(responses), response, None, None)
            if len(responses) > MAX_REDIRECTS:
                stopped = f"more than {MAX_REDIRECTS} redirects; the last pointed to {location}"
                return HttpFacts(tuple(responses), None, stopped, location)
            try:
                current = _redirect_target(location, current, allowed=allowed, resolver=resolver)
            except TargetRefused as refusal:
                stopped = f"the redirect to {location} was not followed: {refusal.reason}"
                return HttpFacts(tuple(responses), None, stopped, location)


def _get(client: httpx.Client, target: UrlTarget) -> Response:
    is_https = target.connect_url.startswith("https:")
    extensions = {"sni_hostname": target.server_name} if is_https and target.server_name else {}
    with client.stream(
        "GET", target.connect_url, headers={"Host": target.host_header}, extensions=extensions
    ) as response:
        headers = tuple((key.lower(), value) for key, value in response.headers.multi_items())
        # The body is left unread: closing the stream drops the connection.
    return Response(
        url=target.url,
        host=target.server_name or target.address,
        port=target.port,
        is_https=is_https,
        status=response.status_code,
        headers=headers,
    )


def _redirect_target(
    location: str, current: UrlTarget, *, allowed: Sequence[str], resolver: Resolver
) -> UrlTarget:
    """Check a redirect; the same host keeps the address already checked, another is resolved once."""
    try:
        host = urlsplit(urljoin(current.url, location.strip())).hostname
    except ValueError:
        raise TargetRefused("the redirect location is malformed") from None
    if host is not None and current.server_name is not None and host.rstrip(".") == current.server_name:
        pinned = [*allowed, str(ipaddress.ip_network(current.address))]
        return check_redirect(
            location, current_url=current.url, allowed=pinned, resolver=pinned_resolver(current.address)
        )
    return check_redirect(location, current_url=current.url, allowed=allowed, resolver=resolver)


def _is_connect_failure(error: httpx.HTTPError) -> bool:
    """Tell a failure to reach the server from a TLS handshake that failed once connected."""
    if not isinstance(error, httpx.ConnectError | httpx.ConnectTimeout):
        return False
    cause: BaseException | None = error
    while cause is not None:
        if isinstance(cause, ssl.SSLError):
            return False
        cause = cause.__cause__ or cause.__context__
    return True


def _describe(error: BaseException) -> str:
    return str(error) or type(error).__name__


def parse_set_cookie(value: str) -> Cookie | None:
    """Read a ``Set-Cookie`` value's name and flags (RFC 6265 §5.2); None when it names no cookie."""
    first, *attributes = value.split(";")
    name, equals, _value = first.partition("=")
    name = name.strip()
    if not equals or not name:
        return None  # a user agent ignores a cookie without a name (RFC 6265 §5.2, step 2)
    flags: dict[str, str] = {}
    for attribute in attributes:
        key, _equals, setting = attribute.partition("=")
        flags.setdefault(key.strip().lower(), setting.strip())
    same_site = flags.get("samesite")
    if same_site is not None and same_site.lower() not in ("strict", "lax", "none"):
        same_site = None  # an unknown value is ignored, as if the attribute were absent
    return Cookie(
        name=name, is_secure="secure" in flags, is_http_only="httponly" in flags, same_site=same_site
    )
