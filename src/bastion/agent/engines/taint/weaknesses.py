"""The CWE of each rule category, as its rules name it: declared once for every language."""

from __future__ import annotations

CWE_TITLES: dict[int, str] = {
    22: "CWE-22: Improper Limitation of a Pathname to a Restricted Directory ('Path Traversal')",
    78: "CWE-78: Improper Neutralization of Special Elements used in an OS Command ('OS Command Injection')",
    79: "CWE-79: Improper Neutralization of Input During Web Page Generation ('Cross-site Scripting')",
    89: "CWE-89: Improper Neutralization of Special Elements used in an SQL Command ('SQL Injection')",
    90: "CWE-90: Improper Neutralization of Special Elements used in an LDAP Query ('LDAP Injection')",
    94: "CWE-94: Improper Control of Generation of Code ('Code Injection')",
    95: "CWE-95: Improper Neutralization of Directives in Dynamically Evaluated Code ('Eval Injection')",
    328: "CWE-328: Use of Weak Hash",
    330: "CWE-330: Use of Insufficiently Random Values",
    501: "CWE-501: Trust Boundary Violation",
    502: "CWE-502: Deserialization of Untrusted Data",
    601: "CWE-601: URL Redirection to Untrusted Site ('Open Redirect')",
    611: "CWE-611: Improper Restriction of XML External Entity Reference",
    614: "CWE-614: Sensitive Cookie in HTTPS Session Without 'Secure' Attribute",
    643: "CWE-643: Improper Neutralization of Data within XPath Expressions ('XPath Injection')",
    918: "CWE-918: Server-Side Request Forgery (SSRF)",
    1004: "CWE-1004: Sensitive Cookie Without 'HttpOnly' Flag",
}

# The CWEs each category's rules may carry (the first is the category's own).
CATEGORY_CWES: dict[str, tuple[int, ...]] = {
    "sql-injection": (89,),
    "command-injection": (78,),
    "code-injection": (94, 95),
    "path-traversal": (22,),
    "xss": (79,),
    "ldap-injection": (90,),
    "xpath-injection": (643,),
    "open-redirect": (601,),
    "ssrf": (918,),
    "insecure-deserialization": (502,),
    "xxe": (611,),
    "trust-boundary": (501,),
    "insecure-cookie": (614, 1004),
    "weak-hash": (328,),
    "insecure-randomness": (330,),
}


def reference(cwe: int) -> str:
    """Return the MITRE page of a CWE."""
    return f"https://cwe.mitre.org/data/definitions/{cwe}.html"
