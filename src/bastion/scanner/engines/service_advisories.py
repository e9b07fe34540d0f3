"""Known advisories for the network services nmap identified, where their CPE maps to a package.

nmap names what it recognised with CPEs (``cpe:/a:apache:tomcat:9.0.30``). The advisory
database is OSV's, keyed by ecosystem packages, not by CPE: a service is looked up only when
its CPE's vendor and product are in :data:`CPE_PACKAGES`, a table of servers that are published
as packages of an ecosystem OSV covers (a Tomcat is the Maven artifacts Tomcat's advisories
name, a Gunicorn is the PyPI package), and only with the version nmap read. Anything else
(OpenSSH, nginx, Redis...) has no package to look up: those stay inventory, and their CPEs are
kept in the findings for a later source that is keyed by CPE.

Each affected service becomes one more SARIF result at the service's location, under a rule
per advisory (``vulnerable-service/<OSV id>``), its fingerprint the address, port and advisory
(never the version: an upgrade that is still affected is the same finding).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any
from urllib.parse import quote

import orjson

from bastion.core.advisories.selectors import AdvisoryMatch, PackageKey, advisories_for_packages
from bastion.scanner.engines.dependency_audit import security_severity

RULE_PREFIX = "vulnerable-service/"
FINGERPRINT_KEY = "bastionServiceAdvisory/v1"
# (vendor, product) as nmap's CPEs spell them -> the packages the server is published as.
CPE_PACKAGES: Mapping[tuple[str, str], Sequence[tuple[str, str]]] = {
    ("apache", "tomcat"): (
        ("Maven", "org.apache.tomcat:tomcat-catalina"),
        ("Maven", "org.apache.tomcat:tomcat-coyote"),
        ("Maven", "org.apache.tomcat.embed:tomcat-embed-core"),
    ),
    ("eclipse", "jetty"): (
        ("Maven", "org.eclipse.jetty:jetty-server"),
        ("Maven", "org.eclipse.jetty:jetty-http"),
    ),
    ("mortbay", "jetty"): (("Maven", "org.eclipse.jetty:jetty-server"),),
    ("gunicorn", "gunicorn"): (("PyPI", "gunicorn"),),
    ("pocoo", "werkzeug"): (("PyPI", "werkzeug"),),
    ("palletsprojects", "werkzeug"): (("PyPI", "werkzeug"),),
    ("tornadoweb", "tornado"): (("PyPI", "tornado"),),
    ("twistedmatrix", "twisted"): (("PyPI", "twisted"),),
    ("aiohttp", "aiohttp"): (("PyPI", "aiohttp"),),
    ("golang", "go"): (("Go", "stdlib"),),
    ("minio", "minio"): (("Go", "github.com/minio/minio"),),
    ("grafana", "grafana"): (("Go", "github.com/grafana/grafana"),),
    ("hashicorp", "consul"): (("Go", "github.com/hashicorp/consul"),),
    ("hashicorp", "vault"): (("Go", "github.com/hashicorp/vault"),),
    ("jenkins", "jenkins"): (("Maven", "org.jenkins-ci.main:jenkins-core"),),
    ("elasticsearch", "elasticsearch"): (("Maven", "org.elasticsearch:elasticsearch"),),
    ("elastic", "elasticsearch"): (("Maven", "org.elasticsearch:elasticsearch"),),
    ("apache", "solr"): (("Maven", "org.apache.solr:solr-core"),),
    ("apache", "activemq"): (("Maven", "org.apache.activemq:activemq-broker"),),
}
_CPE = re.compile(r"^cpe:/a:(?P<vendor>[^:]+):(?P<product>[^:]+):(?P<version>[^:]+)", re.IGNORECASE)
_VERSION = re.compile(r"^[0-9][0-9A-Za-z.+~_-]{0,63}$")

Lookup = Callable[[Iterable[PackageKey]], dict[PackageKey, list[AdvisoryMatch]]]


def packages_of(cpes: Iterable[str]) -> list[PackageKey]:
    """Return the (ecosystem, package, version) keys a service's CPEs map to; none when unmapped."""
    keys: list[PackageKey] = []
    for cpe in cpes:
        match = _CPE.match(cpe.strip())
        if match is None:
            continue
        version = match["version"].removeprefix("v")
        if not _VERSION.match(version):
            continue
        for ecosystem, name in CPE_PACKAGES.get((match["vendor"].lower(), match["product"].lower()), ()):
            key = (ecosystem, name, f"go{version}" if (ecosystem, name) == ("Go", "stdlib") else version)
            keys.append(key)
    return list(dict.fromkeys(keys))


def add_advisories(sarif: bytes, lookup: Lookup = advisories_for_packages) -> bytes:
    """Return nmap's SARIF log with a result for each advisory affecting a service it identified."""
    log = orjson.loads(sarif)
    run = log["runs"][0]
    results: list[dict[str, Any]] = run.get("results", [])
    wanted = {id(result): packages_of(result.get("properties", {}).get("cpe", [])) for result in results}
    found = lookup([key for keys in wanted.values() for key in keys])
    rules: list[dict[str, Any]] = run["tool"]["driver"].setdefault("rules", [])
    index = {rule["id"]: position for position, rule in enumerate(rules)}
    added: list[dict[str, Any]] = []
    for result in results:
        matches: dict[str, AdvisoryMatch] = {}
        for key in wanted[id(result)]:
            for match in found.get(key, []):
                matches.setdefault(match.advisory.osv_id, match)
        for osv_id, match in sorted(matches.items()):
            rule_id = RULE_PREFIX + osv_id
            if rule_id not in index:
                index[rule_id] = len(rules)
                rules.append(_rule(rule_id, match))
            added.append(_result(result, rule_id, index[rule_id], match))
    run["results"] = [*results, *added]
    return orjson.dumps(log)


def _rule(rule_id: str, match: AdvisoryMatch) -> dict[str, Any]:
    advisory = match.advisory
    score = security_severity(advisory)
    link = f"https://osv.dev/vulnerability/{quote(advisory.osv_id)}"
    fix = (
        f"Upgrade {match.name} to {match.fixed} or later."
        if match.fixed
        else f"No fixed version of {match.name} is known; replace it or restrict who can reach it."
    )
    summary = advisory.summary.strip() or f"Known vulnerability in {match.name}"
    return {
        "id": rule_id,
        "shortDescription": {"text": summary},
        **({"fullDescription": {"text": advisory.details.strip()}} if advisory.details.strip() else {}),
        "help": {"text": f"{fix}\nAdvisory: {link}"},
        "helpUri": link,
        "defaultConfiguration": {"level": "error" if score >= Decimal("7.0") else "warning"},
        "properties": {
            "tags": ["security", "network", *advisory.aliases, *advisory.cwe_ids],
            "security-severity": f"{score:.1f}",
        },
    }


def _result(service: dict[str, Any], rule_id: str, rule_index: int, match: AdvisoryMatch) -> dict[str, Any]:
    properties = service.get("properties", {})
    address, port = str(properties.get("address", "")), str(properties.get("port", ""))
    key = hashlib.sha256("\0".join((address, str(properties.get("protocol", "")), port, rule_id)).encode())
    product = " ".join(part for part in (properties.get("product"), properties.get("version")) if part)
    fixed = f"; fixed in {match.fixed}" if match.fixed else ""
    return {
        "ruleId": rule_id,
        "ruleIndex": rule_index,
        "message": {
            "text": f"{product or match.name} on {address}:{port} is affected by {match.advisory.osv_id} "
            f"({match.ecosystem} package {match.name} {match.version}{fixed})."
        },
        "locations": service.get("locations", []),
        "partialFingerprints": {FINGERPRINT_KEY: key.hexdigest()[:32]},
        "properties": {"address": address, "port": properties.get("port"), "advisory": match.advisory.osv_id},
    }
