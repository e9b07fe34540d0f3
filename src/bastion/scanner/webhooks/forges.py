"""Push events from git forges (GitHub, GitLab, Gitea), checked as each forge signs them.

- GitHub: ``X-GitHub-Event: push``, ``X-Hub-Signature-256: sha256=<hex>``, the HMAC-SHA256 of the
  body under the webhook's secret; ``X-GitHub-Delivery`` names the delivery.
- Gitea (and Forgejo): ``X-Gitea-Event: push``, ``X-Gitea-Signature: <hex>``, the same HMAC without
  the prefix; ``X-Gitea-Delivery``.
- GitLab: ``X-Gitlab-Event: Push Hook`` and ``X-Gitlab-Token``, the secret itself (GitLab sends the
  token, it does not sign the body), compared in constant time; ``X-Gitlab-Event-UUID``.

The secret is the organisation's webhook secret (the one CI signs reports with). What a push
names is its repository's clone URLs and the commit it moved the branch to; a push that
deletes a branch names no commit and starts nothing.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from dataclasses import dataclass

import orjson

MAX_PUSH_BYTES = 5 * 1024 * 1024
NO_COMMIT = "0" * 40
_URL_KEYS = (
    "clone_url",
    "git_http_url",
    "http_url",
    "ssh_url",
    "git_ssh_url",
    "git_url",
    "html_url",
    "web_url",
)


class PushRefused(Exception):  # noqa: N818 (a refusal, named as the domain names it)
    """The delivery is not a push from a forge, or its signature does not hold."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


@dataclass(frozen=True)
class Push:
    """A verified push: which forge, which delivery, the repository's URLs and the new commit."""

    forge: str
    delivery_id: str
    urls: tuple[str, ...]
    commit: str
    ref: str


def forge_of(headers: Mapping[str, str]) -> str:
    """Name the forge a delivery comes from by its event header; refuse one from none of them."""
    if "x-gitea-event" in headers:  # Gitea also sends X-GitHub-Event: look at its own first
        return "gitea"
    if "x-github-event" in headers:
        return "github"
    if "x-gitlab-event" in headers:
        return "gitlab"
    raise PushRefused(400, "not a forge delivery: no X-GitHub-Event, X-Gitea-Event or X-Gitlab-Event header")


def verify(forge: str, headers: Mapping[str, str], body: bytes, secret: str) -> None:
    """Check the delivery's signature (or GitLab's token) against the secret, in constant time."""
    digest = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    if forge == "github":
        given, expected = headers.get("x-hub-signature-256", ""), f"sha256={digest}"
    elif forge == "gitea":
        given, expected = headers.get("x-gitea-signature", ""), digest
    else:
        given, expected = headers.get("x-gitlab-token", ""), secret
    if not given or not hmac.compare_digest(given.encode(), expected.encode()):
        raise PushRefused(401, "invalid signature")


def read_push(forge: str, headers: Mapping[str, str], body: bytes) -> Push | None:
    """Read a verified delivery; None when it is not a push (a ping, another event) or deletes a branch."""
    event = headers.get(f"x-{forge}-event", "")
    if (forge == "gitlab" and event != "Push Hook") or (forge != "gitlab" and event != "push"):
        return None
    try:
        payload = orjson.loads(body)
    except orjson.JSONDecodeError as error:
        raise PushRefused(400, f"the push event is not JSON: {error}") from None
    if not isinstance(payload, dict):
        raise PushRefused(400, "the push event is not a JSON object")
    commit = str(payload.get("after") or payload.get("checkout_sha") or "")
    if not commit or commit == NO_COMMIT or payload.get("deleted") is True:
        return None
    urls: list[str] = []
    for key in ("repository", "project"):
        part = payload.get(key)
        if isinstance(part, dict):
            urls += [str(part[name]) for name in _URL_KEYS if isinstance(part.get(name), str) and part[name]]
    if not urls:
        raise PushRefused(400, "the push event names no repository URL")
    delivery = (
        headers.get("x-github-delivery")
        or headers.get("x-gitea-delivery")
        or headers.get("x-gitlab-event-uuid")
        or headers.get("idempotency-key")
        or hashlib.sha256(body).hexdigest()
    )
    return Push(
        forge=forge,
        delivery_id=f"push:{forge}:{delivery.strip()[:150]}",
        urls=tuple(dict.fromkeys(urls)),
        commit=commit,
        ref=str(payload.get("ref") or ""),
    )
