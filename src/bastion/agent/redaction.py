"""Keep secret values out of everything the agent answers, stores and logs.

Engines say where a credential is written, and some quote it: Bandit's "Possible hardcoded
password: 'wJalr…'". Every text an engine or the model returns goes through ``redact`` before
it leaves the module that produced it, so the answer, the findings imported from it, the chat
that reads those findings and the logs never carry the value. Replaced by ``MASK``, whole:

- a value quoted after a credential word ("password: '…'", 'the API key "…"');
- a credential with a recognisable format (cloud and service keys, tokens, private keys,
  JSON Web Tokens, the password of a URL);
- any value the caller knows to be secret: for the model's text, the string literals on the
  lines an engine reported as a hard-coded credential (``secret_values``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from bastion.contracts.analysis import Vulnerability

MASK = "[redacted]"
# The weaknesses whose finding points at a written credential.
CREDENTIAL_CWES = frozenset({"CWE-259", "CWE-321", "CWE-798"})
MINIMUM_SECRET_LENGTH = 6

_CREDENTIAL_WORD = (
    r"(?i:pass(?:word|wd|phrase)?|pwd|secret|token|api[_ -]?key|access[_ -]?key|private[_ -]?key"
    r"|signing[_ -]?key|credentials?|authorization)"
)
# The word stands alone, after "_" or "-", or starts a camelCase part ("accessToken"); not "bypass".
_WORD_START = r"(?:(?<![A-Za-z])|(?<=[a-z])(?=[A-Z]))"
QUOTED_AFTER_CREDENTIAL_WORD = re.compile(
    _WORD_START
    + _CREDENTIAL_WORD
    + r"""[^'"`\n]{0,40}?(?P<quote>['"`])(?P<value>(?:(?!(?P=quote)).){1,1000}?)(?P=quote)"""
)
KNOWN_FORMATS = re.compile(
    "|".join(
        (
            r"(?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}",  # AWS access key id
            r"gh[pousr]_[A-Za-z0-9]{36}|github_pat_[A-Za-z0-9_]{40,}",  # GitHub
            r"glpat-[A-Za-z0-9_-]{20}",  # GitLab
            r"xox[abprs]-[A-Za-z0-9-]{10,}",  # Slack
            r"(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{20,}",  # Stripe
            r"AIza[0-9A-Za-z_-]{35}",  # Google
            r"sk-(?:proj-|ant-)?[A-Za-z0-9_-]{32,}",  # OpenAI, Anthropic
            r"SG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}",  # SendGrid
            r"npm_[A-Za-z0-9]{36}",  # npm
            r"eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}",  # JSON Web Token
            # A private key, to its end line or the end of the text.
            r"-----BEGIN[A-Z ]*PRIVATE KEY(?: BLOCK)?-----"
            r"(?:.*?-----END[A-Z ]*PRIVATE KEY(?: BLOCK)?-----|.*)",
        )
    ),
    re.DOTALL,
)
URL_PASSWORD = re.compile(r"(?P<head>\b[a-z][a-z0-9+.-]*://[^/\s:@]+:)[^/\s@]+(?P<tail>@)", re.IGNORECASE)
STRING_LITERAL = re.compile(r"""(?P<quote>['"`])(?P<value>(?:\\.|(?!(?P=quote)).)*)(?P=quote)""")
CREDENTIAL_WORD_ONLY = re.compile(rf"[A-Za-z_.-]*{_CREDENTIAL_WORD}[A-Za-z_.-]*")


def redact(text: str, values: Iterable[str] = ()) -> str:
    """Return the text with every secret value in it replaced by ``MASK``."""
    for value in sorted({v for v in values if len(v) >= MINIMUM_SECRET_LENGTH}, key=len, reverse=True):
        text = text.replace(value, MASK)
    text = KNOWN_FORMATS.sub(MASK, text)
    text = URL_PASSWORD.sub(lambda match: f"{match['head']}{MASK}{match['tail']}", text)
    return QUOTED_AFTER_CREDENTIAL_WORD.sub(
        lambda match: match.group(0)[: match.start("value") - match.start()] + MASK + match["quote"], text
    )


def secret_values(code: str, vulnerabilities: Iterable[Vulnerability]) -> set[str]:
    """Return the string literals on the lines reported as hard-coded credentials.

    A name around a credential word (the ``"password"`` key of a dictionary, ``"DB_PASSWORD"``)
    is not a secret and is left out.
    """
    lines = code.splitlines()
    found: set[str] = set()
    for vulnerability in vulnerabilities:
        if vulnerability.cwe not in CREDENTIAL_CWES:
            continue
        for line in lines[max(vulnerability.line_start - 1, 0) : vulnerability.line_end]:
            for match in STRING_LITERAL.finditer(line):
                value = match["value"]
                if len(value) >= MINIMUM_SECRET_LENGTH and not CREDENTIAL_WORD_ONLY.fullmatch(value):
                    found.add(value)
    return found


def redact_vulnerability(vulnerability: Vulnerability, values: Iterable[str] = ()) -> Vulnerability:
    """Return the vulnerability with its texts redacted (title, message, fix, the model's note, its trace)."""
    known = tuple(values)
    note = vulnerability.model_note
    return vulnerability.model_copy(
        update={
            "title": redact(vulnerability.title, known),
            "message": redact(vulnerability.message, known),
            "fix": redact(vulnerability.fix, known),
            "model_note": None if note is None else redact(note, known),
            "trace": [
                step.model_copy(update={"code": redact(step.code, known)}) for step in vulnerability.trace
            ],
        }
    )
