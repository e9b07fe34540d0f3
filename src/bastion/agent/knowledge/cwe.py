"""A small CWE catalogue: the weaknesses code analysis and scanners report most.

Used to title and explain results whose engine gives no fix (Bandit, detect-secrets) and
by the assistant's "explain" tool when no model is configured.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Weakness:
    """One CWE entry: its name, what an attacker gains, and how to fix it."""

    cwe_id: int
    name: str
    impact: str
    fix: str

    @property
    def label(self) -> str:
        """Return the "CWE-89" form."""
        return f"CWE-{self.cwe_id}"

    @property
    def url(self) -> str:
        """Return MITRE's page for the entry."""
        return f"https://cwe.mitre.org/data/definitions/{self.cwe_id}.html"


CATALOGUE: dict[int, Weakness] = {
    w.cwe_id: w
    for w in (
        Weakness(22, "Path traversal",
                 "An attacker reads or overwrites files outside the intended directory.",
                 "Resolve the path and check it stays under the base directory; never join user input "
                 "into a path unchecked."),
        Weakness(78, "OS command injection",
                 "An attacker runs arbitrary commands with the service's privileges.",
                 "Pass an argument list to the process API with no shell; never build a command string "
                 "from input."),
        Weakness(79, "Cross-site scripting",
                 "An attacker runs script in other users' browsers, stealing sessions or acting as them.",
                 "Escape output for its context (auto-escaping templates, textContent); never insert "
                 "untrusted HTML."),
        Weakness(89, "SQL injection",
                 "An attacker reads or changes any data the database account can reach.",
                 "Use parameterised queries (placeholders and bound values) or the ORM; never format "
                 "input into SQL."),
        Weakness(94, "Code injection",
                 "An attacker runs arbitrary code inside the application.",
                 "Never evaluate input as code; parse data with a data parser (json, ast.literal_eval)."),
        Weakness(95, "Eval injection",
                 "An attacker runs arbitrary code inside the application.",
                 "Never pass input to eval/exec; parse data with a data parser."),
        Weakness(259, "Hard-coded password",
                 "Anyone who reads the code or the binary gets the credential.",
                 "Read credentials from the environment or a secret manager; rotate the exposed one."),
        Weakness(295, "Improper certificate validation",
                 "A network attacker intercepts and changes the traffic (man in the middle).",
                 "Keep certificate verification on; trust a private CA with a CA bundle instead of "
                 "disabling checks."),
        Weakness(327, "Broken or risky cryptographic algorithm",
                 "Protected data or signatures can be forged or recovered.",
                 "Use SHA-256 or better for integrity, a password hash (bcrypt, scrypt, Argon2) for "
                 "passwords, AES-GCM for encryption."),
        Weakness(328, "Weak hash",
                 "Hashes can be collided or reversed.",
                 "Use SHA-256 or better; for passwords a slow password hash."),
        Weakness(330, "Insufficiently random values",
                 "Tokens or keys can be predicted.",
                 "Use the platform's cryptographic generator (secrets, crypto.randomBytes, SecureRandom, "
                 "crypto/rand)."),
        Weakness(377, "Insecure temporary file",
                 "Another local user can read or replace the file.",
                 "Create temporary files with tempfile.mkstemp / NamedTemporaryFile."),
        Weakness(400, "Uncontrolled resource consumption",
                 "An attacker exhausts memory, CPU or connections.",
                 "Bound sizes, time out outbound calls and limit rates."),
        Weakness(502, "Deserialization of untrusted data",
                 "An attacker runs code or forges objects by sending a crafted payload.",
                 "Deserialize untrusted input only with data formats (JSON) or safe loaders "
                 "(yaml.safe_load)."),
        Weakness(605, "Multiple binds to the same port",
                 "A service bound to all interfaces is reachable from networks it should not be.",
                 "Bind to the interface the service needs."),
        Weakness(611, "XML external entity",
                 "An attacker reads local files or reaches internal hosts through the XML parser.",
                 "Parse XML with entity resolution off (defusedxml)."),
        Weakness(703, "Improper check of exceptional conditions",
                 "Errors are silently ignored, hiding failures and attacks.",
                 "Handle the specific exception or let it propagate."),
        Weakness(732, "Incorrect permission assignment",
                 "Other users can read or change the file.",
                 "Create files with the narrowest permissions the program needs."),
        Weakness(798, "Hard-coded credentials",
                 "Anyone who reads the code or the binary gets the credential.",
                 "Move the secret to the environment or a secret manager and rotate the exposed one."),
        Weakness(918, "Server-side request forgery",
                 "An attacker makes the server fetch internal addresses (cloud metadata, admin services).",
                 "Fetch only allow-listed hosts; resolve and refuse private, loopback and link-local "
                 "addresses."),
        Weakness(1333, "Inefficient regular expression",
                 "A crafted input makes matching take exponential time.",
                 "Rewrite the pattern without nested quantifiers, or bound the input."),
    )
}  # fmt: skip

GENERIC_FIX = "Review the flagged code against the rule's guidance and the referenced CWE."


def weakness(cwe_id: int | None) -> Weakness | None:
    """Return the catalogue's entry for a CWE id, if it has one."""
    return CATALOGUE.get(cwe_id) if cwe_id is not None else None


def cwe_number(label: str | None) -> int | None:
    """Read 89 from "CWE-89" or "CWE-89: name"."""
    if not label:
        return None
    head = label.split(":", 1)[0].strip().upper().removeprefix("CWE-")
    return int(head) if head.isdigit() else None
