"""Checks every scan target passes before a scan is queued: the SSRF guard of the scan engines.

A network target (host name, address or range) must fall inside the organisation's allow-list
(CIDRs and host names). Names are resolved once, here, and the engines are given the resolved
addresses, so a second DNS answer cannot move a scan elsewhere (no rebinding). Addresses that are
not for the public internet (loopback, private, link-local, carrier-grade NAT, multicast,
reserved, unspecified, cloud metadata, and IPv4-mapped IPv6 forms of those) are refused unless an
allow-listed CIDR explicitly covers them: the allow-listed network must itself lie inside that
special block, so ``10.0.0.0/8`` allows ``10.1.2.3`` while ``0.0.0.0/0`` does not. Ambiguous
numeric host forms (``2130706433``, ``0x7f.1``, ``127.1``) are refused, since resolvers read them
as addresses. URLs are checked the same way (http and https only), and git URLs are limited to
https, ssh, git and scp-like forms, with nothing that git could read as an option or a helper.
"""

from __future__ import annotations

import ipaddress
import re
import socket
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import SplitResult, urljoin, urlsplit, urlunsplit

from bastion.core.scans.exceptions import ScanRefused

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[..., Sequence[tuple[Any, ...]]]

#: The largest ranges one scan may cover.
MAXIMUM_IPV4_PREFIX = 16
MAXIMUM_IPV6_PREFIX = 112

# Blocks that are not the public internet, each with the reason given when it is refused.
# Metadata addresses come first so that the more precise reason wins.
_SPECIAL_BLOCKS: tuple[tuple[Network, str], ...] = tuple(
    (ipaddress.ip_network(block), reason)
    for block, reason in (
        ("169.254.169.254/32", "a cloud metadata address"),
        ("169.254.170.2/32", "a cloud metadata address"),
        ("168.63.129.16/32", "a cloud metadata address"),
        ("100.100.100.200/32", "a cloud metadata address"),
        ("fd00:ec2::254/128", "a cloud metadata address"),
        ("0.0.0.0/8", "an unspecified or 'this network' address"),
        ("10.0.0.0/8", "a private address"),
        ("100.64.0.0/10", "a carrier-grade NAT address"),
        ("127.0.0.0/8", "a loopback address"),
        ("169.254.0.0/16", "a link-local address"),
        ("172.16.0.0/12", "a private address"),
        ("192.0.0.0/24", "a reserved address"),
        ("192.0.2.0/24", "a reserved address"),
        ("192.88.99.0/24", "a reserved address"),
        ("192.168.0.0/16", "a private address"),
        ("198.18.0.0/15", "a reserved address"),
        ("198.51.100.0/24", "a reserved address"),
        ("203.0.113.0/24", "a reserved address"),
        ("224.0.0.0/4", "a multicast address"),
        ("240.0.0.0/4", "a reserved address"),
        ("::/128", "an unspecified address"),
        ("::1/128", "a loopback address"),
        ("::/96", "a reserved address"),
        ("::ffff:0:0/96", "an IPv4-mapped address"),
        ("64:ff9b::/96", "a reserved address"),
        ("64:ff9b:1::/48", "a reserved address"),
        ("100::/64", "a reserved address"),
        ("2001::/23", "a reserved address"),
        ("2001:db8::/32", "a reserved address"),
        ("2002::/16", "a reserved address"),
        ("fc00::/7", "a private address"),
        ("fe80::/10", "a link-local address"),
        ("fec0::/10", "a reserved address"),
        ("ff00::/8", "a multicast address"),
    )
)

_LABEL = re.compile(r"^[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?$")
_NUMERIC_LABEL = re.compile(r"^(?:0x[0-9a-f]*|[0-9]+)$")
_TRANSPORT_HELPER = re.compile(r"^[A-Za-z0-9][A-Za-z0-9+.-]*::")
_SCP_LIKE = re.compile(
    r"^(?:(?P<user>[A-Za-z0-9._~-]+)@)?(?P<host>\[[0-9A-Fa-f:.]+\]|[^/@:\[\]]+):(?P<path>.*)$"
)
_COMMIT = re.compile(r"^[0-9a-f]{40}(?:[0-9a-f]{24})?$")
_OPTION_WORDS = ("upload-pack", "receive-pack", "--config", "--exec", "--template")
_GIT_SCHEMES = frozenset({"https", "ssh", "git"})


class TargetRefused(ScanRefused, ValueError):  # noqa: N818 (a refusal, named as the domain names it)
    """The target is outside what the organisation allows or is not a safe form; nothing was queued."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True, slots=True)
class NetworkTarget:
    """A checked network target: the normalised name (if one was given) and what to scan.

    ``addresses`` holds canonical addresses, or one CIDR range when a range was given.
    """

    name: str | None
    addresses: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class UrlTarget:
    """A checked URL: connect to ``connect_url``; send ``host_header`` and ``server_name`` (SNI)."""

    url: str
    connect_url: str
    address: str
    port: int
    host_header: str
    server_name: str | None


@dataclass(frozen=True, slots=True)
class GitTarget:
    """A checked git URL and the host to pass through the network check."""

    url: str
    scheme: str
    host: str
    port: int | None


def normalise_host_name(value: str) -> str:
    """Return the host name lower-cased, in ASCII (IDNA), without a trailing dot; refuse a bad one."""
    if not value or _has_unsafe_characters(value) or "%" in value:
        raise TargetRefused(f"{value!r} is not a valid host name")
    name = value[:-1] if value.endswith(".") else value
    try:
        name = unicodedata.normalize("NFC", name).encode("idna").decode("ascii").lower()
    except UnicodeError:
        raise TargetRefused(f"{value!r} is not a valid internationalised host name") from None
    labels = name.split(".")
    if len(name) > 253 or not all(_LABEL.match(label) for label in labels):
        raise TargetRefused(f"{value!r} is not a valid host name")
    # A resolver reads a name whose last label is numeric as an address (127.1, 0x7f.1, 2130706433).
    if _NUMERIC_LABEL.match(labels[-1]):
        raise TargetRefused(f"{value!r} is an ambiguous numeric address form; write the address in full")
    return name


def normalise_allow_list_entry(entry: str) -> str:
    """Return an allow-list entry (CIDR, address or host name) in canonical form; refuse a bad one."""
    if not entry or _has_unsafe_characters(entry) or "%" in entry:
        raise TargetRefused(f"{entry!r} is not a network range, an address or a host name")
    try:
        return str(ipaddress.ip_network(entry, strict=True))
    except ValueError:
        if "/" in entry or ":" in entry:
            raise TargetRefused(f"{entry!r} is not a valid network range (host bits set?)") from None
    return normalise_host_name(entry)


def resolve_network_target(
    value: str,
    *,
    allowed: Sequence[str],
    resolver: Resolver = socket.getaddrinfo,
) -> NetworkTarget:
    """Check a host name, address or CIDR range against the allow-list and return what to scan."""
    if not value:
        raise TargetRefused("the target is empty")
    allowed_networks, allowed_names = _parse_allow_list(allowed)
    literal = _parse_literal(value)
    if isinstance(literal, ipaddress.IPv4Network | ipaddress.IPv6Network):
        _check_range_size(literal)
        _check_network(literal, allowed_networks, name_allowed=False)
        return NetworkTarget(name=None, addresses=(str(literal),))
    if literal is not None:
        address = _unmap(literal)
        _check_network(ipaddress.ip_network(address), allowed_networks, name_allowed=False)
        return NetworkTarget(name=None, addresses=(str(address),))
    name = normalise_host_name(value)
    addresses = _resolve(name, resolver)
    for address in addresses:
        _check_network(ipaddress.ip_network(address), allowed_networks, name_allowed=name in allowed_names)
    return NetworkTarget(name=name, addresses=tuple(str(address) for address in addresses))


def check_url_target(
    url: str, *, allowed: Sequence[str], resolver: Resolver = socket.getaddrinfo
) -> UrlTarget:
    """Check an http(s) URL and return it with the resolved address to connect to."""
    if not url or _has_unsafe_characters(url) or "\\" in url:
        raise TargetRefused("the URL contains whitespace, control characters or backslashes")
    parts = _split(url)
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise TargetRefused(f"the URL scheme {parts.scheme!r} is not allowed; use http or https")
    if "@" in parts.netloc:
        raise TargetRefused("credentials in the URL are not allowed")
    try:
        explicit_port = parts.port
    except ValueError:
        raise TargetRefused("the URL port is not a number between 1 and 65535") from None
    if explicit_port == 0:
        raise TargetRefused("the URL port is not a number between 1 and 65535")
    host = parts.hostname
    if not host:
        raise TargetRefused("the URL has no host")
    if "[" in parts.netloc and not isinstance(_parse_literal(host), ipaddress.IPv6Address):
        raise TargetRefused(f"{host!r} is not a valid IPv6 address")
    target = resolve_network_target(host, allowed=allowed, resolver=resolver)
    address = target.addresses[0]
    port = explicit_port or (443 if scheme == "https" else 80)
    host_text = target.name or _url_host(address)
    host_header = host_text if explicit_port is None else f"{host_text}:{explicit_port}"
    connect_netloc = _url_host(address) if explicit_port is None else f"{_url_host(address)}:{explicit_port}"
    path = parts.path or "/"
    return UrlTarget(
        url=urlunsplit((scheme, host_header, path, parts.query, "")),
        connect_url=urlunsplit((scheme, connect_netloc, path, parts.query, "")),
        address=address,
        port=port,
        host_header=host_header,
        server_name=target.name,
    )


def check_redirect(
    location: str, *, current_url: str, allowed: Sequence[str], resolver: Resolver = socket.getaddrinfo
) -> UrlTarget:
    """Check a redirect's ``Location`` (relative to the current URL) as a new URL target."""
    return check_url_target(urljoin(current_url, location.strip()), allowed=allowed, resolver=resolver)


def redirect_allowed(
    location: str, *, current_url: str, allowed: Sequence[str], resolver: Resolver = socket.getaddrinfo
) -> bool:
    """Tell whether a redirect may be followed: its target passes every check of a URL target."""
    try:
        check_redirect(location, current_url=current_url, allowed=allowed, resolver=resolver)
    except TargetRefused:
        return False
    return True


def check_git_url(url: str) -> GitTarget:
    """Check a git URL: https, ssh, git or scp-like only, nothing git could read as an option."""
    if not url or _has_unsafe_characters(url):
        raise TargetRefused("the git URL contains whitespace or control characters")
    if url.startswith("-"):
        raise TargetRefused("the git URL starts with '-' (it would be read as an option)")
    if _TRANSPORT_HELPER.match(url):
        raise TargetRefused("git transport helpers ('<transport>::') are not allowed")
    lowered = url.lower()
    if any(word in lowered for word in _OPTION_WORDS) or re.search(r"[/:@=]-", url):
        raise TargetRefused("the git URL contains option-like content")
    if "://" in url:
        return _check_git_scheme_url(url)
    match = _SCP_LIKE.match(url)
    if match is None:
        raise TargetRefused("local paths are not allowed; use an https, ssh or git URL")
    host = _git_host(match["host"])
    if not match["path"]:
        raise TargetRefused("the git URL has no repository path")
    return GitTarget(url=url, scheme="ssh", host=host, port=None)


def git_clone_arguments(
    url: str, destination: str, commit: str | None = None, branch: str | None = None
) -> list[str]:
    """Return the git command (a list, never a shell string) that clones a checked URL.

    Without a commit the clone is shallow (the branch's last commit is all a scan reads).
    """
    checked = check_git_url(url)
    if destination.startswith("-"):
        raise TargetRefused("the destination starts with '-'")
    arguments = ["git", *_git_configuration(), "clone", "--quiet", "--no-recurse-submodules"]
    if commit is not None:
        _check_commit(commit)
        arguments.append("--no-checkout")
    else:
        arguments.append("--depth=1")
    if branch is not None:
        check_branch(branch)
        arguments.append(f"--branch={branch}")
    return [*arguments, "--", checked.url, destination]


_BRANCH = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9._/-]{0,254}$")


def check_branch(branch: str) -> None:
    """Refuse a branch name git could read otherwise (an option, a range, a reflog expression)."""
    if not _BRANCH.match(branch) or ".." in branch or branch.endswith((".lock", "/", ".")) or "//" in branch:
        raise TargetRefused(f"{branch!r} is not a branch name this scan accepts")


def git_checkout_arguments(destination: str, commit: str) -> list[str]:
    """Return the git command that checks out one commit of a clone made with ``commit`` given."""
    _check_commit(commit)
    return ["git", *_git_configuration(), "-C", destination, "checkout", "--quiet", "--detach", commit, "--"]


def _git_configuration() -> list[str]:
    # Only the three transports, even for submodules; a redirect could leave the allow-list.
    settings = (
        "protocol.allow=never",
        "protocol.https.allow=always",
        "protocol.ssh.allow=always",
        "protocol.git.allow=always",
        "http.followRedirects=false",
        "core.hooksPath=/dev/null",
    )
    return [argument for setting in settings for argument in ("-c", setting)]


def _check_commit(commit: str) -> None:
    if not _COMMIT.match(commit):
        raise TargetRefused("a commit must be a full hexadecimal object id")


def _check_git_scheme_url(url: str) -> GitTarget:
    parts = _split(url)
    scheme = parts.scheme.lower()
    if scheme not in _GIT_SCHEMES:
        raise TargetRefused(f"the git transport {parts.scheme!r} is not allowed; use https, ssh or git")
    if parts.password is not None or (parts.username is not None and scheme != "ssh"):
        raise TargetRefused("credentials in the git URL are not allowed")
    try:
        port = parts.port
    except ValueError:
        raise TargetRefused("the git URL port is not a number between 1 and 65535") from None
    if port == 0:
        raise TargetRefused("the git URL port is not a number between 1 and 65535")
    netloc_host = parts.netloc.rpartition("@")[2]
    if netloc_host.startswith("["):
        netloc_host = netloc_host[: netloc_host.index("]") + 1]
    else:
        netloc_host = netloc_host.partition(":")[0]
    host = _git_host(netloc_host)
    if parts.path in ("", "/"):
        raise TargetRefused("the git URL has no repository path")
    return GitTarget(url=url, scheme=scheme, host=host, port=port)


def _git_host(value: str) -> str:
    if value.startswith("[") and value.endswith("]"):
        literal = _parse_literal(value[1:-1])
        if not isinstance(literal, ipaddress.IPv6Address):
            raise TargetRefused(f"{value!r} is not a valid IPv6 address")
        return str(literal)
    literal = _parse_literal(value)
    if literal is not None:
        if not isinstance(literal, ipaddress.IPv4Address):
            raise TargetRefused(f"{value!r} is not a valid host")
        return str(literal)
    return normalise_host_name(value)


def _has_unsafe_characters(value: str) -> bool:
    return any(character.isspace() or unicodedata.category(character)[0] in "CZ" for character in value)


def _parse_literal(value: str) -> Address | Network | None:
    """Return the address or network the text spells in canonical notation, or None for a name."""
    if "%" in value:
        raise TargetRefused("IPv6 zone identifiers are not allowed")
    try:
        if "/" in value:
            return ipaddress.ip_network(value, strict=True)
        return ipaddress.ip_address(value)
    except ValueError:
        if "/" in value or ":" in value:
            raise TargetRefused(f"{value!r} is not a valid address or network range") from None
        return None


def _unmap(address: Address) -> Address:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def _check_range_size(network: Network) -> None:
    limit = MAXIMUM_IPV4_PREFIX if network.version == 4 else MAXIMUM_IPV6_PREFIX
    if network.prefixlen < limit:
        raise TargetRefused(f"the range {network} is larger than a /{limit}")


def _parse_allow_list(allowed: Sequence[str]) -> tuple[list[Network], set[str]]:
    """Split the allow-list into networks and names; an entry that is neither allows nothing."""
    networks: list[Network] = []
    names: set[str] = set()
    for entry in allowed:
        entry = entry.strip()
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
            continue
        except ValueError:
            pass
        try:
            names.add(normalise_host_name(entry))
        except TargetRefused:
            continue
    return networks, names


def _check_network(target: Network, allowed_networks: list[Network], *, name_allowed: bool) -> None:
    """Refuse a target network that the allow-list does not cover or that is special and not explicit."""
    covering = [network for network in allowed_networks if _subnet_of(target, network)]
    if not covering and not name_allowed:
        raise TargetRefused(f"{_describe(target)} is not in the organisation's allow-list")
    for block, reason in _SPECIAL_BLOCKS:
        if block.version != target.version or not target.overlaps(block):
            continue
        # Allowed when an allow-listed network inside this special block holds the whole target.
        if not any(_subnet_of(network, block) for network in covering):
            raise TargetRefused(f"{_describe(target)} is {reason}; allow-list it explicitly to scan it")
    if target.num_addresses == 1 and not target.network_address.is_global and not covering:
        raise TargetRefused(f"{_describe(target)} is not a public address")


def _subnet_of(inner: Network, outer: Network) -> bool:
    if inner.version != outer.version:
        return False
    return inner.subnet_of(outer)  # type: ignore[arg-type]


def _describe(network: Network) -> str:
    return str(network.network_address) if network.num_addresses == 1 else str(network)


def _resolve(name: str, resolver: Resolver) -> list[Address]:
    try:
        answers = resolver(name, None, 0, socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        raise TargetRefused(f"{name!r} cannot be resolved") from None
    addresses: list[Address] = []
    for answer in answers:
        text = str(answer[4][0])
        try:
            if "%" in text:
                raise ValueError(text)
            address = _unmap(ipaddress.ip_address(text))
        except ValueError:
            # A scoped answer (fe80::1%eth0) or anything else that is not a plain address.
            raise TargetRefused(f"{name!r} resolves to {text!r}, which is not a plain address") from None
        if address not in addresses:
            addresses.append(address)
    if not addresses:
        raise TargetRefused(f"{name!r} resolves to no address")
    return addresses


def _split(url: str) -> SplitResult:
    try:
        return urlsplit(url)
    except ValueError:
        raise TargetRefused("the URL is malformed (an invalid bracketed host)") from None


def _url_host(address: str) -> str:
    return f"[{address}]" if ":" in address else address


#: What a repository's host may be without being allow-listed: any public address.
PUBLIC_INTERNET = ("0.0.0.0/0", "::/0")


def resolve_git_host(
    target: GitTarget, *, allowed: Sequence[str], resolver: Resolver = socket.getaddrinfo
) -> NetworkTarget:
    """Resolve a repository's host once: public addresses are allowed, others only when allow-listed."""
    return resolve_network_target(target.host, allowed=[*allowed, *PUBLIC_INTERNET], resolver=resolver)


def pinned_git_url(url: str, address: str) -> str:
    """Return a checked ssh, git or scp-like URL with its host replaced by the address resolved for it.

    So git connects where the checks allowed, whatever a second DNS answer would say (https
    keeps its name for TLS and is pinned with ``http.curloptResolve`` instead).
    """
    checked = check_git_url(url)
    literal = f"[{address}]" if ":" in address else address
    if "://" not in url:
        match = _SCP_LIKE.match(url)
        if match is None:  # check_git_url accepted it, so this cannot happen
            raise TargetRefused("the git URL is not scp-like")
        user = f"{match['user']}@" if match["user"] else ""
        return f"{user}{literal}:{match['path']}"
    parts = _split(url)
    user = f"{parts.username}@" if parts.username else ""
    port = f":{checked.port}" if checked.port else ""
    return urlunsplit((parts.scheme, f"{user}{literal}{port}", parts.path, parts.query, parts.fragment))
