"""Scan targets: every SSRF refusal, the explicit allow-list exceptions, and the exact accepted forms."""

from __future__ import annotations

import shutil
import socket
import subprocess
from pathlib import Path
from typing import Any

import pytest

from bastion.core.scans.targets import (
    GitTarget,
    NetworkTarget,
    TargetRefused,
    UrlTarget,
    check_git_url,
    check_redirect,
    check_url_target,
    git_checkout_arguments,
    git_clone_arguments,
    normalise_allow_list_entry,
    pinned_git_url,
    redirect_allowed,
    resolve_network_target,
)

PUBLIC = ["93.184.216.0/24", "2606:2800:220::/48"]
DNS = {
    "example.com": ["93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946"],
    "xn--bcher-kva.example": ["93.184.216.35"],
    "rebind.example.com": ["93.184.216.34", "127.0.0.1"],
    "internal.example.com": ["10.0.0.7"],
    "metadata.example.com": ["169.254.169.254"],
    "mapped.example.com": ["::ffff:127.0.0.1"],
    "scoped.example.com": ["fe80::1%eth0"],
    "empty.example.com": [],
}
COMMIT = "0123456789abcdef0123456789abcdef01234567"


class FakeResolver:
    """Answer from the table above and count the look-ups (a name must be resolved once)."""

    def __init__(self) -> None:
        self.calls: list[str] = []

    def __call__(self, host: str, port: object, *args: object) -> list[tuple[Any, ...]]:
        self.calls.append(host)
        if host not in DNS:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return [
            (socket.AF_INET6 if ":" in address else socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, 0))
            for address in DNS[host]
        ]


def refused(value: str, allowed: list[str] = PUBLIC) -> str:
    with pytest.raises(TargetRefused) as caught:
        resolve_network_target(value, allowed=allowed, resolver=FakeResolver())
    return caught.value.reason


# Accepted network targets, exact values.


def test_name_is_resolved_once_and_addresses_are_returned() -> None:
    resolver = FakeResolver()
    target = resolve_network_target("Example.COM.", allowed=PUBLIC, resolver=resolver)
    assert target == NetworkTarget(
        name="example.com", addresses=("93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946")
    )
    assert resolver.calls == ["example.com"]


def test_internationalised_name_is_resolved_in_ascii() -> None:
    target = resolve_network_target("bücher.example", allowed=PUBLIC, resolver=FakeResolver())
    assert target == NetworkTarget(name="xn--bcher-kva.example", addresses=("93.184.216.35",))


def test_addresses_and_ranges_are_returned_canonical() -> None:
    resolver = FakeResolver()
    assert resolve_network_target("93.184.216.34", allowed=PUBLIC, resolver=resolver).addresses == (
        "93.184.216.34",
    )
    assert resolve_network_target("93.184.216.0/28", allowed=PUBLIC, resolver=resolver).addresses == (
        "93.184.216.0/28",
    )
    assert resolve_network_target("2606:2800:220:0::1", allowed=PUBLIC, resolver=resolver).addresses == (
        "2606:2800:220::1",
    )
    assert resolve_network_target("2606:2800:220::/112", allowed=PUBLIC, resolver=resolver).addresses == (
        "2606:2800:220::/112",
    )
    assert resolver.calls == []


def test_allow_listed_name_allows_its_public_addresses() -> None:
    target = resolve_network_target("example.com", allowed=["example.com"], resolver=FakeResolver())
    assert target.addresses == ("93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946")


# The allow-list.


def test_address_outside_allow_list_is_refused() -> None:
    assert "not in the organisation's allow-list" in refused("8.8.8.8")


def test_name_outside_allow_list_is_refused() -> None:
    assert "not in the organisation's allow-list" in refused("example.com", allowed=["198.51.100.0/24"])


def test_range_must_fit_inside_one_allowed_network() -> None:
    assert "not in the organisation's allow-list" in refused("93.184.0.0/16")
    assert "not in the organisation's allow-list" in refused("93.184.216.0/24", allowed=["93.184.216.0/25"])


def test_empty_allow_list_allows_nothing() -> None:
    assert "allow-list" in refused("93.184.216.34", allowed=[])


def test_invalid_allow_list_entries_allow_nothing() -> None:
    assert "allow-list" in refused("93.184.216.34", allowed=["not a network", "0x7f.1", ""])


# Special addresses, refused by default.


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("127.0.0.1", "loopback"),
        ("::1", "loopback"),
        ("10.1.2.3", "private"),
        ("172.16.0.1", "private"),
        ("192.168.1.1", "private"),
        ("fd12:3456::1", "private"),
        ("169.254.10.1", "link-local"),
        ("fe80::1", "link-local"),
        ("169.254.169.254", "metadata"),
        ("fd00:ec2::254", "metadata"),
        ("100.100.100.200", "metadata"),
        ("100.64.0.1", "carrier-grade NAT"),
        ("224.0.0.1", "multicast"),
        ("ff02::1", "multicast"),
        ("240.0.0.1", "reserved"),
        ("255.255.255.255", "reserved"),
        ("0.0.0.0", "unspecified"),  # noqa: S104 (a target to refuse, not a bind)
        ("::", "unspecified"),
        ("2001:db8::1", "reserved"),
        ("::ffff:127.0.0.1", "loopback"),
        ("::ffff:169.254.169.254", "metadata"),
        ("::ffff:10.0.0.1", "private"),
    ],
)
def test_special_address_is_refused_even_under_a_broad_allow_list(value: str, reason: str) -> None:
    assert reason in refused(value, allowed=["0.0.0.0/0", "::/0"])


def test_special_address_is_refused_when_not_allow_listed() -> None:
    assert "allow-list" in refused("127.0.0.1")


@pytest.mark.parametrize(
    ("value", "allowed", "expected"),
    [
        ("127.0.0.1", ["127.0.0.0/8"], "127.0.0.1"),
        ("10.1.2.3", ["10.0.0.0/8"], "10.1.2.3"),
        ("192.168.1.0/24", ["192.168.0.0/16"], "192.168.1.0/24"),
        ("::1", ["::1"], "::1"),
        ("fd12:3456::1", ["fd12:3456::/32"], "fd12:3456::1"),
        ("169.254.169.254", ["169.254.169.254/32"], "169.254.169.254"),
        ("::ffff:127.0.0.1", ["127.0.0.1"], "127.0.0.1"),
    ],
)
def test_explicitly_allow_listed_special_address_is_accepted(
    value: str, allowed: list[str], expected: str
) -> None:
    target = resolve_network_target(value, allowed=allowed, resolver=FakeResolver())
    assert target == NetworkTarget(name=None, addresses=(expected,))


def test_link_local_allow_list_does_not_open_the_metadata_address() -> None:
    assert "metadata" in refused("169.254.169.254", allowed=["169.254.0.0/16"])


def test_range_overlapping_a_special_block_is_refused() -> None:
    assert "private" in refused("10.0.0.0/16", allowed=["0.0.0.0/0"])
    assert "metadata" in refused("169.254.169.0/24", allowed=["169.254.0.0/16"])


# DNS answers.


def test_dns_answer_mixing_allowed_and_forbidden_addresses_is_refused() -> None:
    reason = refused("rebind.example.com", allowed=["93.184.216.0/24", "0.0.0.0/0"])
    assert "127.0.0.1" in reason
    assert "loopback" in reason


def test_allow_listed_name_resolving_to_a_special_address_is_refused() -> None:
    assert "private" in refused("internal.example.com", allowed=["internal.example.com"])
    assert "metadata" in refused("metadata.example.com", allowed=["metadata.example.com"])
    assert "loopback" in refused("mapped.example.com", allowed=["mapped.example.com"])


def test_allow_listed_name_resolving_to_an_allow_listed_private_address_is_accepted() -> None:
    target = resolve_network_target("internal.example.com", allowed=["10.0.0.0/24"], resolver=FakeResolver())
    assert target == NetworkTarget(name="internal.example.com", addresses=("10.0.0.7",))


def test_unresolvable_empty_and_scoped_answers_are_refused() -> None:
    assert "cannot be resolved" in refused("missing.example.com")
    assert "no address" in refused("empty.example.com", allowed=["empty.example.com"])
    assert "not a plain address" in refused("scoped.example.com", allowed=["::/0"])


# Range sizes.


def test_ipv4_range_larger_than_a_slash_16_is_refused() -> None:
    assert "larger than a /16" in refused("93.0.0.0/15", allowed=["0.0.0.0/0"])
    assert resolve_network_target(
        "93.184.0.0/16", allowed=["93.0.0.0/8"], resolver=FakeResolver()
    ).addresses == ("93.184.0.0/16",)


def test_ipv6_range_larger_than_a_slash_112_is_refused() -> None:
    assert "larger than a /112" in refused("2606:2800:220::/111", allowed=["::/0"])


def test_range_with_host_bits_set_is_refused() -> None:
    assert "not a valid address or network range" in refused("93.184.216.1/24")


# Name forms.


@pytest.mark.parametrize("value", ["2130706433", "0x7f.1", "127.1", "0x7f000001", "0177.0.0.1", "127.0.0.1."])
def test_numeric_address_forms_are_refused(value: str) -> None:
    assert "numeric address form" in refused(value, allowed=["0.0.0.0/0"])


@pytest.mark.parametrize(
    "value",
    [
        "exa mple.com",
        "example..com",
        "-example.com",
        "example.com\n",
        "ex\x00ample.com",
        "a" * 64 + ".com",
        "é\u200b.com",
    ],
)
def test_malformed_names_are_refused(value: str) -> None:
    assert "host name" in refused(value) or "whitespace" in refused(value)


def test_zone_identifier_is_refused() -> None:
    assert "zone" in refused("fe80::1%eth0", allowed=["fe80::/10"])


def test_empty_target_is_refused() -> None:
    assert "empty" in refused("")


# URL targets.


def check_url(url: str, allowed: list[str] = PUBLIC) -> UrlTarget:
    return check_url_target(url, allowed=allowed, resolver=FakeResolver())


def url_refused(url: str, allowed: list[str] = PUBLIC) -> str:
    with pytest.raises(TargetRefused) as caught:
        check_url(url, allowed)
    return caught.value.reason


def test_url_is_returned_with_the_address_to_connect_to() -> None:
    assert check_url("https://Example.com/login?next=1#top") == UrlTarget(
        url="https://example.com/login?next=1",
        connect_url="https://93.184.216.34/login?next=1",
        address="93.184.216.34",
        port=443,
        host_header="example.com",
        server_name="example.com",
    )


def test_url_with_port_and_ipv6_literal() -> None:
    assert check_url("http://[2606:2800:220::1]:8080") == UrlTarget(
        url="http://[2606:2800:220::1]:8080/",
        connect_url="http://[2606:2800:220::1]:8080/",
        address="2606:2800:220::1",
        port=8080,
        host_header="[2606:2800:220::1]:8080",
        server_name=None,
    )


@pytest.mark.parametrize(
    "url", ["ftp://example.com/", "file:///etc/passwd", "gopher://example.com/", "example.com"]
)
def test_url_scheme_other_than_http_is_refused(url: str) -> None:
    assert "scheme" in url_refused(url)


@pytest.mark.parametrize("url", ["https://user:secret@example.com/", "https://user@example.com/"])
def test_url_credentials_are_refused(url: str) -> None:
    assert "credentials" in url_refused(url)


@pytest.mark.parametrize(
    "url", ["https://example.com:0/", "https://example.com:65536/", "https://example.com:x/"]
)
def test_url_port_out_of_range_is_refused(url: str) -> None:
    assert "port" in url_refused(url)


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://127.0.0.1/", "loopback"),
        ("http://[::1]/", "loopback"),
        ("http://169.254.169.254/latest/meta-data/", "metadata"),
        ("http://[::ffff:169.254.169.254]/", "metadata"),
        ("http://[fe80::1]/", "link-local"),
        ("http://2130706433/", "numeric"),
        ("http://0x7f.1/", "numeric"),
        ("http://rebind.example.com/", "loopback"),
    ],
)
def test_url_to_special_address_is_refused(url: str, reason: str) -> None:
    assert reason in url_refused(url, allowed=["0.0.0.0/0", "::/0"])


@pytest.mark.parametrize(
    "url",
    [
        "http://example.com\\@evil.example/",
        "http://exa mple.com/",
        "http://example.com/\r\nX: y",
        "http:///x",
    ],
)
def test_malformed_url_is_refused(url: str) -> None:
    with pytest.raises(TargetRefused):
        check_url(url)


def test_url_bracketed_name_is_refused() -> None:
    assert "malformed" in url_refused("http://[example.com]/")


def test_url_to_allow_listed_loopback_is_accepted() -> None:
    target = check_url("http://127.0.0.1:8443/", allowed=["127.0.0.1"])
    assert (target.connect_url, target.host_header, target.server_name) == (
        "http://127.0.0.1:8443/",
        "127.0.0.1:8443",
        None,
    )


# Redirects.


def test_redirect_within_the_allow_list_is_followed() -> None:
    current = "https://example.com/a/b"
    assert redirect_allowed("../c", current_url=current, allowed=PUBLIC, resolver=FakeResolver())
    assert (
        check_redirect("/next", current_url=current, allowed=PUBLIC, resolver=FakeResolver()).url
        == "https://example.com/next"
    )


@pytest.mark.parametrize(
    "location",
    [
        "http://169.254.169.254/latest/meta-data/",
        "http://127.0.0.1/",
        "https://8.8.8.8/",
        "//internal.example.com/",
        "file:///etc/passwd",
        "https://user:pw@example.com/",
    ],
)
def test_redirect_outside_the_allow_list_is_not_followed(location: str) -> None:
    assert not redirect_allowed(
        location, current_url="https://example.com/", allowed=PUBLIC, resolver=FakeResolver()
    )


# Git URLs.


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "https://github.com/org/repo.git",
            GitTarget(url="https://github.com/org/repo.git", scheme="https", host="github.com", port=None),
        ),
        (
            "ssh://git@GitLab.com:2222/org/repo.git",
            GitTarget(
                url="ssh://git@GitLab.com:2222/org/repo.git", scheme="ssh", host="gitlab.com", port=2222
            ),
        ),
        (
            "git://127.0.0.1:9418/repo",
            GitTarget(url="git://127.0.0.1:9418/repo", scheme="git", host="127.0.0.1", port=9418),
        ),
        (
            "git://[::1]/repo",
            GitTarget(url="git://[::1]/repo", scheme="git", host="::1", port=None),
        ),
        (
            "git@github.com:org/repo.git",
            GitTarget(url="git@github.com:org/repo.git", scheme="ssh", host="github.com", port=None),
        ),
    ],
)
def test_git_url_accepted_forms(url: str, expected: GitTarget) -> None:
    assert check_git_url(url) == expected


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("file:///etc", "transport"),
        ("FILE:///etc", "transport"),
        ("http://github.com/org/repo", "transport"),
        ("ext::sh -c touch% /tmp/pwned", "whitespace"),
        ("ext::sh", "helper"),
        ("fd::17", "helper"),
        ("testgit::https://example.com/repo", "helper"),
        ("-u./payload", "starts with '-'"),
        ("--upload-pack=touch /tmp/pwned", "whitespace"),
        ("--upload-pack=id", "starts with '-'"),
        ("https://example.com/repo?--upload-pack=id", "option-like"),
        ("ssh://-oProxyCommand=id/repo", "option-like"),
        ("git@-oProxyCommand=id:repo", "option-like"),
        ("git@host:-repo", "option-like"),
        ("https://example.com/repo\n", "whitespace"),
        ("https://example.com/re\tpo", "whitespace"),
        ("https://example.com/re\x1bpo", "whitespace"),
        ("https://token@example.com/repo", "credentials"),
        ("ssh://git:secret@example.com/repo", "credentials"),
        ("/srv/repositories/repo", "local paths"),
        ("./repo", "local paths"),
        ("https://example.com", "no repository path"),
        ("https://example.com:0/repo", "port"),
        ("https://2130706433/repo", "numeric"),
    ],
)
def test_git_url_refusals(url: str, reason: str) -> None:
    with pytest.raises(TargetRefused) as caught:
        check_git_url(url)
    assert reason in caught.value.reason


def test_git_url_host_goes_through_the_network_check() -> None:
    host = check_git_url("git@internal.example.com:org/repo.git").host
    with pytest.raises(TargetRefused, match="private"):
        resolve_network_target(host, allowed=["internal.example.com"], resolver=FakeResolver())


GIT_CONFIGURATION = [
    "-c",
    "protocol.allow=never",
    "-c",
    "protocol.https.allow=always",
    "-c",
    "protocol.ssh.allow=always",
    "-c",
    "protocol.git.allow=always",
    "-c",
    "http.followRedirects=false",
    "-c",
    "core.hooksPath=/dev/null",
]


def test_git_clone_arguments_are_a_list_with_a_double_dash_before_the_url() -> None:
    assert git_clone_arguments("https://github.com/org/repo.git", "/srv/scans/1") == [
        "git",
        *GIT_CONFIGURATION,
        "clone",
        "--quiet",
        "--no-recurse-submodules",
        "--depth=1",
        "--",
        "https://github.com/org/repo.git",
        "/srv/scans/1",
    ]


@pytest.mark.parametrize("branch", ["-b", "--upload-pack=x", "main..other", "a b", "HEAD@{1}", "x.lock", ""])
def test_a_branch_git_could_read_otherwise_is_refused(branch: str) -> None:
    with pytest.raises(TargetRefused):
        git_clone_arguments("https://github.com/org/repo.git", "/srv/scans/1", branch=branch)


def test_a_branch_is_passed_as_one_argument_before_the_double_dash() -> None:
    arguments = git_clone_arguments("https://github.com/org/repo.git", "/srv/x", branch="release/2.1")
    assert arguments[-4:] == ["--branch=release/2.1", "--", "https://github.com/org/repo.git", "/srv/x"]


def test_git_clone_at_a_commit_clones_without_checkout_then_checks_out() -> None:
    arguments = git_clone_arguments("git@github.com:org/repo.git", "/srv/scans/1", commit=COMMIT)
    assert arguments[-5:] == [
        "--no-recurse-submodules",
        "--no-checkout",
        "--",
        "git@github.com:org/repo.git",
        "/srv/scans/1",
    ]
    assert git_checkout_arguments("/srv/scans/1", COMMIT) == [
        "git",
        *GIT_CONFIGURATION,
        "-C",
        "/srv/scans/1",
        "checkout",
        "--quiet",
        "--detach",
        COMMIT,
        "--",
    ]


@pytest.mark.parametrize("commit", ["--orphan=x", "main", "HEAD~1", COMMIT.upper(), COMMIT[:12]])
def test_git_commit_other_than_a_full_object_id_is_refused(commit: str) -> None:
    with pytest.raises(TargetRefused, match="commit"):
        git_clone_arguments("https://github.com/org/repo.git", "/srv/scans/1", commit=commit)


def test_git_clone_refuses_unsafe_url_and_destination() -> None:
    with pytest.raises(TargetRefused):
        git_clone_arguments("ext::sh", "/srv/scans/1")
    with pytest.raises(TargetRefused, match="destination"):
        git_clone_arguments("https://github.com/org/repo.git", "--template=/srv/x")


@pytest.mark.parametrize("value", ["127\u30020\u30020\u30021", "\uff11\uff12\uff17.0.0.1", "%31%32%37.0.0.1"])
def test_unicode_and_percent_encoded_numeric_forms_are_refused(value: str) -> None:
    with pytest.raises(TargetRefused):
        resolve_network_target(value, allowed=["0.0.0.0/0"], resolver=FakeResolver())
    with pytest.raises(TargetRefused):
        check_url(f"http://{value}/", allowed=["0.0.0.0/0"])


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_real_git_accepts_the_arguments_and_refuses_the_file_transport(tmp_path: Path) -> None:
    # The configuration holds even when a URL got past the checks: git itself refuses file://.
    arguments = git_clone_arguments("https://github.com/org/repo.git", str(tmp_path / "clone"))
    arguments[-2] = (tmp_path / "missing").as_uri()
    completed = subprocess.run(arguments, capture_output=True, text=True, timeout=30, check=False)  # noqa: S603
    assert completed.returncode != 0
    assert "transport 'file' not allowed" in completed.stderr


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        ("10.0.0.0/8", "10.0.0.0/8"),
        ("127.0.0.1", "127.0.0.1/32"),
        ("2606:2800:220:0::/48", "2606:2800:220::/48"),
        ("Scan.Example.COM.", "scan.example.com"),
    ],
)
def test_allow_list_entry_is_normalised(entry: str, expected: str) -> None:
    assert normalise_allow_list_entry(entry) == expected


@pytest.mark.parametrize("entry", ["", "10.0.0.1/8", "fe80::/10%eth0", "127.1", "a b", "::g/64"])
def test_invalid_allow_list_entry_is_refused(entry: str) -> None:
    with pytest.raises(TargetRefused):
        normalise_allow_list_entry(entry)


@pytest.mark.parametrize(
    ("url", "address", "pinned"),
    [
        ("git://git.example.com/org/repo.git", "203.0.113.5", "git://203.0.113.5/org/repo.git"),
        ("git://Git.Example.com:9418/repo", "2001:db8::5", "git://[2001:db8::5]:9418/repo"),
        (
            "ssh://git@git.example.com:2222/org/repo.git",
            "203.0.113.5",
            "ssh://git@203.0.113.5:2222/org/repo.git",
        ),
        ("git@git.example.com:org/repo.git", "203.0.113.5", "git@203.0.113.5:org/repo.git"),
        ("git.example.com:repo.git", "2001:db8::5", "[2001:db8::5]:repo.git"),
    ],
)
def test_a_git_url_is_pinned_to_the_address_checked_for_it(url: str, address: str, pinned: str) -> None:
    assert pinned_git_url(url, address) == pinned
