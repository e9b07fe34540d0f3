"""Python rules for SSRF, deserialisation, XXE, trust boundary, cookies, weak hashes and randomness.

SSRF, deserialisation, XXE and trust-boundary rules are taint rules on the shared request sources.
Cookie flags and weak hashes are pattern rules: the code's shape is the weakness, unless the code
says the value is not a security value (a theme cookie, an ETag). Insecure randomness follows the
generator's value to a security use (a token name, a cookie, the session) in Semgrep's taint mode,
without the shared sanitisers: ``int()`` or a hash of a predictable number is still predictable.
"""

from __future__ import annotations

from bastion.agent.engines.taint.model import Pattern, PatternRule, Rule, TaintRule
from bastion.agent.engines.taint.patterns import (
    OWASP,
    SAFE_VALUE_OPTIONS,
    either,
    focus,
    inside,
    regex,
    weakness,
)

CONSTANTS = {"symbolic_propagation": True}

# A comparison's result is a boolean, whatever it compares (``in`` is left to the allow-list sanitisers).
COMPARISONS: Pattern = {
    "pattern-either": [
        {"pattern": pattern}
        for pattern in (
            "$A is $B",
            "$A is not $B",
            "$A == $B",
            "$A != $B",
            "$A < $B",
            "$A <= $B",
            "$A > $B",
            "$A >= $B",
        )
    ]
}


def _call_argument(call: str, argument: str = "$VALUE") -> Pattern:
    """Return a sink on a call's argument named ``argument`` (its pattern names where it stands)."""
    return {"patterns": [{"pattern": call}, {"focus-metavariable": argument}]}


# --- SSRF (918) -----------------------------------------------------------------------------------

SSRF = weakness(
    918,
    "Outgoing request to a user-controlled URL or host",
    "An outgoing request is sent to a URL or host taken from request input, so an attacker can make "
    "the server call internal services or cloud metadata endpoints.",
    "Build the URL from a fixed scheme and host with user values only in the path or query, or parse "
    "it and allow only hosts from an explicit allow-list.",
    f"{OWASP}/Server_Side_Request_Forgery_Prevention_Cheat_Sheet.html",
)

URL_FIRST_VERBS = "^(get|post|put|patch|delete|head|options)$"
METHOD_FIRST_VERBS = "^(request|stream|urlopen|build_request)$"
# The objects whose methods send requests: created by the HTTP libraries, then used by name.
HTTP_CLIENTS = (
    "requests.Session(...)",
    "requests.session(...)",
    "httpx.Client(...)",
    "httpx.AsyncClient(...)",
    "aiohttp.ClientSession(...)",
    "urllib3.PoolManager(...)",
    "urllib3.ProxyManager(...)",
    "urllib3.connection_from_url(...)",
)
HTTP_CLIENT_SCOPES: tuple[Pattern, ...] = tuple(
    scope
    for client in HTTP_CLIENTS
    for scope in (
        {"pattern-inside": f"$CLIENT = {client}\n...\n"},
        {"pattern-inside": f"with {client} as $CLIENT:\n  ...\n"},
        {"pattern-inside": f"async with {client} as $CLIENT:\n  ...\n"},
    )
)
SSRF_CALLS: Pattern = {
    "pattern-either": [
        {
            "patterns": [
                either("$LIBRARY.$VERB($URL, ...)", "$LIBRARY.$VERB(..., url=$URL, ...)"),
                regex("$LIBRARY", "^(requests|httpx)$"),
                regex("$VERB", URL_FIRST_VERBS),
            ]
        },
        {
            "patterns": [
                either("$LIBRARY.$VERB($METHOD, $URL, ...)", "$LIBRARY.$VERB(..., url=$URL, ...)"),
                regex("$LIBRARY", "^(requests|httpx|aiohttp|urllib3)$"),
                regex("$VERB", METHOD_FIRST_VERBS),
            ]
        },
        either(
            "urllib.request.urlopen($URL, ...)",
            "urllib.request.urlopen(url=$URL, ...)",
            "urllib.request.Request($URL, ...)",
            "urllib.request.Request(url=$URL, ...)",
            "urllib.request.urlretrieve($URL, ...)",
            "urllib.urlopen($URL, ...)",
            "urllib2.urlopen($URL, ...)",
            "urllib2.Request($URL, ...)",
            "http.client.HTTPConnection($URL, ...)",
            "http.client.HTTPSConnection($URL, ...)",
            "http.client.HTTPConnection(host=$URL, ...)",
            "http.client.HTTPSConnection(host=$URL, ...)",
            "socket.create_connection(($URL, $PORT), ...)",
            "requests.Session().$VERB($URL, ...)",
            "httpx.Client().$VERB($URL, ...)",
        ),
        {
            "patterns": [
                {"pattern-either": list(HTTP_CLIENT_SCOPES)},
                {
                    "pattern-either": [
                        {
                            "patterns": [
                                {"pattern": "$CLIENT.$VERB($URL, ...)"},
                                regex("$VERB", URL_FIRST_VERBS),
                            ]
                        },
                        {
                            "patterns": [
                                {"pattern": "$CLIENT.$VERB($METHOD, $URL, ...)"},
                                regex("$VERB", METHOD_FIRST_VERBS),
                            ]
                        },
                        {"pattern": "$CLIENT.$VERB(..., url=$URL, ...)"},
                    ]
                },
            ]
        },
    ]
}


def _allow_listed(*tests: str, name_only: bool = False) -> Pattern:
    """Return a by-side-effect sanitiser of ``$URL`` for allow-list membership tests.

    ``name_only`` keeps ``$URL`` a plain name: of two sanitiser matches that overlap (``urlparse(u).netloc``
    and ``u``), Semgrep keeps the wider one, which would leave ``u`` itself tainted.
    """
    name = [regex("$URL", r"^[A-Za-z_][A-Za-z0-9_.]*$")]
    return {
        "by-side-effect": True,
        "patterns": [
            {"pattern-either": [{"pattern": test} for test in tests]},
            regex("$ALLOWED", ALLOW_LIST),
            *(name if name_only else []),
            {"focus-metavariable": "$URL"},
        ],
    }


ALLOW_LIST = "(?i).*(allow|permit|trust|white|known|safe)"
# A URL string whose literal start already holds the scheme and the host ("https://api.example.com/"):
# the user's part lands in the path or the query and cannot choose the server.
FIXED_HOST = r"""^[rRbBuU]?[fF]?[rR]?("{1,3}|'{1,3})[a-zA-Z][a-zA-Z0-9+.-]*://[^/?#@"'{}%\s]+[/?#]"""
FIXED_HOST_CONTENT = r"""^["']?[a-zA-Z][a-zA-Z0-9+.-]*://[^/?#@"'{}%\s]+[/?#]"""
# The same from a configured base: a constant named like a URL (``API_BASE_URL + path``,
# ``f"{settings.API_URL}/items/{item}"``); a base URL is configured with its host.
BASE_CONSTANT = r"([a-z_][a-z0-9_]*\.)?[A-Z][A-Z0-9_]*(URL|URI|ENDPOINT|HOST|BASE|API|ROOT|SERVER|SERVICE)"
FIXED_BASE = rf"""^({BASE_CONSTANT}\s*\+|[rRbBuU]?[fF][rR]?("{{1,3}}|'{{1,3}})\{{{BASE_CONSTANT}\}}[/?#])"""
SSRF_SANITIZERS: tuple[Pattern, ...] = (
    # The whole expression starts with a literal fixed host: concatenation, f-string.
    {
        "patterns": [
            either("$LEFT + $RIGHT", 'f"..."'),
            {"pattern": "$WHOLE"},
            regex("$WHOLE", f"{FIXED_HOST}|{FIXED_BASE}"),
        ]
    },
    {
        "patterns": [
            either('"$TEMPLATE" + $REST', '"$TEMPLATE".format(...)', '"$TEMPLATE" % $REST'),
            regex("$TEMPLATE", FIXED_HOST_CONTENT),
        ]
    },
    # Membership of the URL (or its parsed host) in an allow-list makes it safe from there on; the
    # two forms are separate sanitisers, as one either-pattern keeps only the wider match.
    _allow_listed("$URL in $ALLOWED", "$URL not in $ALLOWED", name_only=True),
    _allow_listed(
        *(
            f"urllib.parse.{parser}($URL).$PART {test} $ALLOWED"
            for parser in ("urlparse", "urlsplit")
            for test in ("in", "not in")
        )
    ),
)
# A host parsed out of the URL and then tested: the request sits behind a check of its host.
SSRF_CHECKED: tuple[Pattern, ...] = tuple(
    {"pattern-not-inside": f"$HOST = {parser}($URL).$PART\n...\nif <... $HOST ...>:\n  ...\n...\n"}
    for parser in ("urllib.parse.urlparse", "urllib.parse.urlsplit")
) + tuple(
    {"pattern-not-inside": f"$PARSED = {parser}($URL)\n...\nif <... $PARSED.$PART ...>:\n  ...\n...\n"}
    for parser in ("urllib.parse.urlparse", "urllib.parse.urlsplit")
)
# The resolved address is refused when it is internal (ipaddress' is_private and kin).
SSRF_CHECKED += tuple(
    {"pattern-not-inside": f"if <... $ADDRESS.{test} ...>:\n  ...\n...\n"}
    for test in ("is_private", "is_loopback", "is_link_local", "is_reserved", "is_global")
)
# A helper named for the check it makes is called on the URL (``if not is_allowed_url(url): abort()``).
SSRF_CHECKED += (
    {
        "pattern-not-inside": {
            "patterns": [
                {"pattern-inside": "if <... $CHECK(..., $URL, ...) ...>:\n  ...\n...\n"},
                regex("$CHECK", "(?i).*(allow|safe|trust|permit|white|approved|internal|private)"),
            ]
        }
    },
)

SSRF_RULE = TaintRule(
    category="ssrf",
    weakness=SSRF,
    sinks=({"patterns": [SSRF_CALLS, *SSRF_CHECKED, {"focus-metavariable": "$URL"}]},),
    sanitizers=(*SSRF_SANITIZERS, COMPARISONS),
    options=SAFE_VALUE_OPTIONS,
)

# --- Insecure deserialisation (502) ---------------------------------------------------------------

DESERIALIZATION = weakness(
    502,
    "Untrusted data deserialised with an unsafe loader",
    "Request data is deserialised with a loader that can build arbitrary objects (pickle, marshal, "
    "shelve, jsonpickle, unsafe YAML, pickled NumPy or PyTorch files), which runs the attacker's code.",
    "Accept a data-only format such as JSON (json.loads) or yaml.safe_load, and check the result "
    "against a schema; never unpickle data a client can send.",
    f"{OWASP}/Deserialization_Cheat_Sheet.html",
)
SAFE_YAML_LOADERS = r"^(yaml\.)?(SafeLoader|CSafeLoader|BaseLoader|CBaseLoader)$"
DESERIALIZATION_SINKS: tuple[Pattern, ...] = (
    {
        "patterns": [
            either(
                "$MODULE.loads($VALUE, ...)", "$MODULE.load($VALUE, ...)", "$MODULE.Unpickler($VALUE, ...)"
            ),
            regex("$MODULE", "^(pickle|cPickle|_pickle|dill|cloudpickle|marshal)$"),
            {"focus-metavariable": "$VALUE"},
        ]
    },
    _call_argument("shelve.open($VALUE, ...)"),
    _call_argument("jsonpickle.decode($VALUE, ...)"),
    _call_argument("jsonpickle.loads($VALUE, ...)"),
    _call_argument("pandas.read_pickle($VALUE, ...)"),
    _call_argument("numpy.load($VALUE, ..., allow_pickle=True, ...)"),
    {
        "patterns": [
            {"pattern": "torch.load($VALUE, ...)"},
            {"pattern-not": "torch.load($VALUE, ..., weights_only=True, ...)"},
            {"focus-metavariable": "$VALUE"},
        ]
    },
    {
        "patterns": [
            {
                "pattern-either": [
                    {"pattern": "yaml.unsafe_load($VALUE, ...)"},
                    {"pattern": "yaml.unsafe_load_all($VALUE, ...)"},
                    {"pattern": "yaml.full_load($VALUE, ...)"},
                    {"pattern": "yaml.full_load_all($VALUE, ...)"},
                    {
                        "patterns": [
                            either("yaml.load($VALUE, ...)", "yaml.load_all($VALUE, ...)"),
                            {"pattern-not": "yaml.$LOAD($VALUE, $LOADER, ...)"},
                            {"pattern-not": "yaml.$LOAD($VALUE, ..., Loader=$LOADER, ...)"},
                        ]
                    },
                    {
                        "patterns": [
                            either(
                                "yaml.$LOAD($VALUE, $LOADER, ...)",
                                "yaml.$LOAD($VALUE, ..., Loader=$LOADER, ...)",
                            ),
                            regex("$LOAD", "^(load|load_all)$"),
                            regex("$LOADER", f"(?!{SAFE_YAML_LOADERS})"),
                        ]
                    },
                ]
            },
            {"focus-metavariable": "$VALUE"},
        ]
    },
)
# Data whose signature was checked with a constant-time comparison came from the server itself.
SIGNATURE_CHECKED: tuple[Pattern, ...] = tuple(
    {"pattern-not-inside": f"if <... {check}(...) ...>:\n  ...\n...\n"}
    for check in ("hmac.compare_digest", "secrets.compare_digest")
)
DESERIALIZATION_RULE = TaintRule(
    category="insecure-deserialization",
    weakness=DESERIALIZATION,
    sinks=({"patterns": [{"pattern-either": list(DESERIALIZATION_SINKS)}, *SIGNATURE_CHECKED]},),
    sanitizers=(COMPARISONS,),
    options=SAFE_VALUE_OPTIONS,
)

# --- XXE (611) ------------------------------------------------------------------------------------

XXE = weakness(
    611,
    "XML from the request parsed with external entities enabled",
    "Request data is parsed as XML by a parser configured to resolve external entities, so a "
    "document can read local files or make the server fetch URLs (XXE).",
    "Parse untrusted XML with defusedxml, or keep lxml's resolve_entities=False and no_network=True "
    "and leave the SAX feature_external_ges off.",
    "https://docs.python.org/3/library/xml.html#xml-vulnerabilities",
)
# An lxml parser that resolves external entities or may fetch them from the network.
LXML_UNSAFE_PARSERS = (
    "lxml.etree.XMLParser(..., resolve_entities=True, ...)",
    "lxml.etree.XMLParser(..., no_network=False, ...)",
    "lxml.etree.XSLTAccessControl(..., read_network=True, ...)",
)
LXML_PARSE = (
    "lxml.etree.fromstring($VALUE, ...)",
    "lxml.etree.XML($VALUE, ...)",
    "lxml.etree.parse($VALUE, ...)",
    "lxml.etree.fromstringlist($VALUE, ...)",
    "lxml.etree.iterparse($VALUE, ...)",
    "lxml.objectify.fromstring($VALUE, ...)",
    "lxml.objectify.parse($VALUE, ...)",
)
SAX_EXTERNAL_ENTITIES = (
    "xml.sax.handler.feature_external_ges",
    "xml.sax.handler.feature_external_pes",
    '"http://xml.org/sax/features/external-general-entities"',
    '"http://xml.org/sax/features/external-parameter-entities"',
)
XXE_SINKS: tuple[Pattern, ...] = (
    # The parser is made in the call, or assigned earlier in the function or module.
    {
        "patterns": [
            {
                "pattern-either": [
                    *(
                        {"pattern": parse.replace("...)", f"..., {unsafe}, ...)")}
                        for parse in LXML_PARSE
                        for unsafe in LXML_UNSAFE_PARSERS[:2]
                    ),
                    *(
                        {"pattern": parse.replace("...)", f"..., parser={unsafe}, ...)")}
                        for parse in LXML_PARSE
                        for unsafe in LXML_UNSAFE_PARSERS[:2]
                    ),
                    {
                        "patterns": [
                            inside(*(f"$PARSER = {unsafe}\n...\n" for unsafe in LXML_UNSAFE_PARSERS[:2])),
                            {
                                "pattern-either": [
                                    {"pattern": parse.replace("...)", "..., $PARSER, ...)")}
                                    for parse in LXML_PARSE
                                ]
                                + [
                                    {"pattern": parse.replace("...)", "..., parser=$PARSER, ...)")}
                                    for parse in LXML_PARSE
                                ]
                                + [{"pattern": "$PARSER.feed($VALUE)"}],
                            },
                        ]
                    },
                ]
            },
            {"focus-metavariable": "$VALUE"},
        ]
    },
    # A SAX parser (or a pulldom stream over one) told to fetch external general or parameter entities.
    {
        "patterns": [
            inside(
                *(
                    f"$PARSER.setFeature({feature}, {on})\n...\n"
                    for feature in SAX_EXTERNAL_ENTITIES
                    for on in ("True", "1")
                )
            ),
            either(
                "$PARSER.parse($VALUE, ...)",
                "$PARSER.feed($VALUE)",
                "xml.dom.pulldom.parse($VALUE, $PARSER, ...)",
                "xml.dom.pulldom.parse($VALUE, ..., parser=$PARSER, ...)",
                "xml.dom.pulldom.parseString($VALUE, $PARSER, ...)",
                "xml.dom.minidom.parse($VALUE, $PARSER, ...)",
                "xml.dom.minidom.parseString($VALUE, $PARSER, ...)",
            ),
            {"focus-metavariable": "$VALUE"},
        ]
    },
    # pulldom expands the entities of an untrusted document as it builds its nodes (entity expansion
    # in every Python; external entities where the parser is older than 3.7.1 or configured so).
    {
        "patterns": [
            either("xml.dom.pulldom.parse($VALUE)", "xml.dom.pulldom.parseString($VALUE)"),
            {"focus-metavariable": "$VALUE"},
        ]
    },
)
XXE_SANITIZERS: tuple[Pattern, ...] = ({"pattern": "defusedxml.$MODULE.$FUNCTION(...)"},)
XXE_RULE = TaintRule(
    category="xxe",
    weakness=XXE,
    sinks=XXE_SINKS,
    sanitizers=(*XXE_SANITIZERS, COMPARISONS),
    options=SAFE_VALUE_OPTIONS,
)

# --- Trust boundary (501) -------------------------------------------------------------------------

TRUST_BOUNDARY = weakness(
    501,
    "Request data stored in the trusted session",
    "A value from the request is stored in the server-side session, where later code trusts it as "
    "if the application had set it.",
    "Validate the value against an allow-list or a strict format before storing it, or keep "
    "untrusted input out of the session.",
    "https://owasp.org/www-community/vulnerabilities/Trust_Boundary_Violation",
    severity="WARNING",
    confidence="MEDIUM",
)
SESSIONS = ("session", "flask.session", "$REQUEST.session", "self.request.session")


def _session_writes(metavariable: str, *writes: str) -> Pattern:
    """Return ``writes`` to every session object (``{session}`` in each), focused on ``metavariable``."""
    return focus(metavariable, *(write.format(session=session) for session in SESSIONS for write in writes))


TRUST_BOUNDARY_SINKS: tuple[Pattern, ...] = (
    _session_writes(
        "$VALUE",
        "{session}[$KEY] = $VALUE",
        "{session}.update($VALUE, ...)",
        "{session}.update(..., $KEYWORD=$VALUE, ...)",
        "{session}.setdefault($KEY, $VALUE)",
        "{session}.__setitem__($KEY, $VALUE)",
    ),
    # The user choosing which session entry is written is as bad as choosing its value.
    _session_writes(
        "$KEY",
        "{session}[$KEY] = $VALUE",
        "{session}.setdefault($KEY, ...)",
        "{session}.__setitem__($KEY, $VALUE)",
    ),
)
TRUST_BOUNDARY_RULE = TaintRule(
    category="trust-boundary",
    weakness=TRUST_BOUNDARY,
    sinks=TRUST_BOUNDARY_SINKS,
    sanitizers=(COMPARISONS,),
    options=SAFE_VALUE_OPTIONS,
)

# --- Insecure cookies (614, 1004) -----------------------------------------------------------------

# Cookies that say they hold a preference, not a secret: a stolen copy gives nothing away.
HARMLESS_COOKIE_NAMES = (
    r"theme|dark_?mode|color_?scheme|colou?r|lang|language|locale|i18n|tz|timezone|currency"
    r"|country|region|font_?size|layout|view|sort|sort_?order|page_?size|per_?page|tab|sidebar|banner"
    r"|consent|cookie_?consent|cookies?_?accepted|gdpr|seen_\w+|\w*_seen|last_?visit|visited|prefs?"
    r"|preferences?|ui_\w+|display_\w+|collapsed|expanded|density|zoom|units|tour|onboarding|dismissed"
)
# A word of the name may be the preference (``sidebar_collapsed``, ``findings_page_size``), unless
# another word says the cookie is about a session, a login or a secret.
SECURITY_WORDS = (
    r"session|sess|token|auth|jwt|remember|login|secret|csrf|xsrf|passw|credential"
    r"|(^|[_\-\"'])(sid|key|pass)([_\-\"']|$)"
)
HARMLESS_COOKIE = (
    rf"(?i)^[\"']?(?!.*({SECURITY_WORDS}))([a-z0-9]+[_-])*({HARMLESS_COOKIE_NAMES})([_-][a-z0-9]+)*[\"']?$"
)
SET_COOKIE = (
    "$RESPONSE.set_cookie($NAME, ...)",
    "$RESPONSE.set_cookie(key=$NAME, ...)",
    "$RESPONSE.set_signed_cookie($NAME, ...)",
    "$RESPONSE.set_secure_cookie($NAME, ...)",
)


def _cookie_without(flag: str, harmless: str) -> Pattern:
    """Return the match of a security cookie set without ``flag=True``."""
    return {
        "patterns": [
            {"pattern-either": [{"pattern": call} for call in SET_COOKIE]},
            {"pattern-not": f"$RESPONSE.$SET(..., {flag}=$ANY, ...)"},
            {"pattern-not": "$RESPONSE.$SET(..., **$OPTIONS)"},
            {"pattern-not": '$RESPONSE.$SET($NAME, "", ...)'},
            {"pattern-not": "$RESPONSE.$SET(..., max_age=0, ...)"},
            {"pattern-not": "$RESPONSE.$SET(..., expires=0, ...)"},
            regex("$NAME", f"(?!{harmless})"),
        ]
    }


def _cookie_flag_false(flag: str, harmless: str) -> Pattern:
    """Return the match of a security cookie set with ``flag`` explicitly off."""
    return {
        "patterns": [
            {"pattern-either": [{"pattern": call} for call in SET_COOKIE]},
            either(
                f"$RESPONSE.$SET(..., {flag}=False, ...)",
                f"$RESPONSE.$SET(..., {flag}=None, ...)",
                f"$RESPONSE.$SET(..., {flag}=0, ...)",
            ),
            regex("$NAME", f"(?!{harmless})"),
        ]
    }


def _cookie_header_without(flag: str) -> Pattern:
    """Return the match of a ``Set-Cookie`` header written by hand without the ``flag`` attribute."""
    return {
        "patterns": [
            either(
                "$RESPONSE.headers[$HEADER] = $COOKIE",
                "$RESPONSE.headers.add($HEADER, $COOKIE, ...)",
                "$RESPONSE.headers.append($HEADER, $COOKIE, ...)",
                "$RESPONSE[$HEADER] = $COOKIE",
            ),
            regex("$HEADER", r"(?i)^[\"']set-cookie[\"']$"),
            regex("$COOKIE", rf"(?is)^(?!.*\b{flag}\b)"),
            regex("$COOKIE", rf"(?i)^(?![rbuf]*[\"']({HARMLESS_COOKIE_NAMES})=)"),
        ]
    }


def _cookie_setting_off(flag: str) -> Pattern:
    """Return the match of a framework setting that turns ``flag`` off for the session cookies."""
    setting = rf"^[\"']?(SESSION|REMEMBER|JWT|CSRF|LANGUAGE)?_?COOKIE_{flag.upper()}[\"']?$"
    if flag == "httponly":  # Django's CSRF cookie is read by the page's script by design.
        setting = setting.replace("|CSRF", "")
    return {
        "patterns": [
            either(
                "$APP.config[$SETTING] = False",
                "$APP.config.update(..., $SETTING=False, ...)",
                "$APP.config.update({..., $SETTING: False, ...})",
                "$SETTING = False",
            ),
            regex("$SETTING", setting),
        ]
    }


def _cookie_rule(
    flag: str, cwe: int, name: str, title: str, message: str, fix: str, harmless: str = HARMLESS_COOKIE
) -> PatternRule:
    """Return the rule for a cookie set without one of its protective flags."""
    cookie_weakness = weakness(
        cwe,
        title,
        message,
        fix,
        "https://owasp.org/www-community/controls/SecureCookieAttribute",
        severity="WARNING",
        confidence="MEDIUM",
    )
    match = {
        "pattern-either": [
            _cookie_without(flag, harmless),
            _cookie_flag_false(flag, harmless),
            _cookie_header_without(flag),
            _cookie_setting_off(flag),
        ]
    }
    return PatternRule(category="insecure-cookie", weakness=cookie_weakness, match=match, name=name)


NO_SECURE_RULE = _cookie_rule(
    "secure",
    614,
    "no-secure",
    "Cookie set without the Secure flag",
    "A cookie that may carry a session, token or user value is set without secure=True, so the browser "
    "also sends it over plain HTTP where it can be read.",
    "Pass secure=True (and httponly=True, samesite='Lax') to set_cookie for every cookie that is not a "
    "mere display preference.",
)
NO_HTTPONLY_RULE = _cookie_rule(
    "httponly",
    1004,
    "no-httponly",
    "Cookie set without the HttpOnly flag",
    "A cookie that may carry a session, token or user value is set without httponly=True, so any "
    "script on the page, including injected script, can read it.",
    "Pass httponly=True (and secure=True, samesite='Lax') to set_cookie for every cookie the page's "
    "scripts do not need.",
    # A double-submit CSRF cookie is meant to be read by the page's script.
    harmless=HARMLESS_COOKIE + r"|(?i)^[\"']?(csrf|xsrf)[_-]?(token|cookie)?[\"']?$",
)

# --- Weak hash (328) ------------------------------------------------------------------------------

WEAK_HASH = weakness(
    328,
    "MD5 or SHA-1 used for a security value",
    "MD5 or SHA-1 hashes a value in a security role (password, token, signature or integrity check); "
    "both have practical collisions and are far too fast for passwords.",
    "Use hashlib.sha256 or HMAC-SHA-256 for integrity and argon2, bcrypt or hashlib.scrypt for "
    "passwords; pass usedforsecurity=False for a plain checksum.",
    f"{OWASP}/Password_Storage_Cheat_Sheet.html",
    severity="WARNING",
    confidence="MEDIUM",
)
WEAK_HASH_NAMES = r"""(?i)^[bru]?["'](md5|md4|md2|sha1|sha-1|sha|ripemd160|mdc2)["']$"""
WEAK_HASH_CALLS: Pattern = {
    "pattern-either": [
        {"pattern": "hashlib.md5(...)"},
        {"pattern": "hashlib.sha1(...)"},
        {"pattern": "hashlib.new('md5', ...)"},
        {"pattern": "hashlib.new('MD5', ...)"},
        {"pattern": "hashlib.new('sha1', ...)"},
        {"pattern": "hashlib.new('SHA1', ...)"},
        {"pattern": "hashlib.new('md4', ...)"},
        {"pattern": "hashlib.new(name='md5', ...)"},
        {"pattern": "hashlib.new(name='sha1', ...)"},
        {
            "patterns": [
                {"pattern": "hashlib.new($ALGORITHM, ...)"},
                regex("$ALGORITHM", WEAK_HASH_NAMES),
            ]
        },
        {
            "patterns": [
                {"pattern": "$MODULE.$ALGORITHM.new(...)"},
                regex("$MODULE", r"^(Crypto|Cryptodome)\.Hash$"),
                regex("$ALGORITHM", "^(MD2|MD4|MD5|SHA|SHA1)$"),
            ]
        },
        {"pattern": "Crypto.Hash.MD5.new(...)"},
        {"pattern": "Crypto.Hash.SHA1.new(...)"},
        {"pattern": "Crypto.Hash.SHA.new(...)"},
        {"pattern": "Cryptodome.Hash.MD5.new(...)"},
        {"pattern": "Cryptodome.Hash.SHA1.new(...)"},
        {"pattern": "cryptography.hazmat.primitives.hashes.MD5(...)"},
        {"pattern": "cryptography.hazmat.primitives.hashes.SHA1(...)"},
        {"pattern": "hmac.new($KEY, $MESSAGE, hashlib.md5)"},
        {"pattern": "hmac.new($KEY, $MESSAGE, digestmod=hashlib.md5)"},
    ]
}
# Names that say the digest only identifies content: an ETag, a cache or dedup key, a checksum.
CONTENT_ID = (
    r"(?i).*(etag|cache|checksum|dedup|shard|bucket|partition|content_?hash|file_?hash|gravatar|avatar"
    r"|fingerprint_?file)"
)
# Where a digest only names content: an ETag or checksum header, a cache key. Each use is matched
# with the hash written in it, or with the hash assigned to a name the use then reads.
CONTENT_HEADER = r"(?i)^[\"'](etag|content-md5|digest|x-checksum|x-content-hash|x-cache-key)[\"']$"
CACHE_OBJECT = r"(?i)(.*[._])?(cache|caches|memo|lru|redis|memcache|memcached)$"


def _content_uses(digest: str, before: str = "") -> tuple[Pattern, ...]:
    """Return the uses of ``digest`` that make it a content identifier, each after ``before``."""

    def use(pattern: str, metavariable: str = "", expression: str = "") -> Pattern:
        matched: Pattern = {"pattern": before + pattern}
        if not metavariable:
            return matched
        return {"patterns": [matched, regex(metavariable, expression)]}

    return (
        use(f"$RESPONSE.headers[$HEADER] = {digest}", "$HEADER", CONTENT_HEADER),
        use(f"$RESPONSE[$HEADER] = {digest}", "$HEADER", CONTENT_HEADER),
        use(f"$RESPONSE.set_etag({digest}, ...)"),
        use(f"$RESPONSE.add_etag({digest}, ...)"),
        use(f"$RESPONSE.etag = {digest}"),
        use(f"$CALL(..., etag={digest}, ...)"),
        use(f"$CACHE.$METHOD({digest}, ...)", "$CACHE", CACHE_OBJECT),
        use(f"$CACHE[{digest}]", "$CACHE", CACHE_OBJECT),
        use(f"$CACHE[{digest}] = $VALUE", "$CACHE", CACHE_OBJECT),
    )


# The hash written in the use, or assigned to a name that the use then reads.
CONTENT_USES = _content_uses("...") + _content_uses("$DIGEST", before="$DIGEST = ...\n...\n")
WEAK_HASH_RULE = PatternRule(
    category="weak-hash",
    weakness=WEAK_HASH,
    match={
        "patterns": [
            WEAK_HASH_CALLS,
            {"pattern-not": "hashlib.$FUNCTION(..., usedforsecurity=False, ...)"},
            *({"pattern-not-inside": use} for use in CONTENT_USES),
            {
                "pattern-not-inside": {
                    "patterns": [
                        inside("$TARGET = ...", "$TARGET += ..."),
                        regex("$TARGET", CONTENT_ID),
                    ]
                }
            },
            {
                "pattern-not-inside": {
                    "patterns": [
                        {"pattern-inside": "def $FUNCTION(...):\n  ...\n"},
                        regex("$FUNCTION", CONTENT_ID),
                    ]
                }
            },
        ]
    },
)

# --- Insecure randomness (330) --------------------------------------------------------------------

RANDOMNESS = weakness(
    330,
    "Predictable random value used as a secret",
    "A value from a non-cryptographic generator (random, numpy.random, uuid1) becomes a token, "
    "password, code, key, salt or session value, and its output can be predicted.",
    "Use the secrets module: secrets.token_urlsafe(32) for tokens, secrets.choice(alphabet) for "
    "passwords and secrets.randbelow(10**6) for codes.",
    "https://docs.python.org/3/library/secrets.html",
    severity="WARNING",
    confidence="MEDIUM",
)
RANDOM_FUNCTIONS = (
    "^(random|randint|randrange|choice|choices|sample|getrandbits|randbytes|uniform|triangular|gauss"
    "|normalvariate|betavariate|expovariate|Random|rand|randn|random_sample|random_integers|bytes|default_rng)$"
)
# Names that look like a secret's but are not: a cache key, a status code, a colour, a delay.
NOT_SENSITIVE_WORDS = (
    "cache|sort|colou?r|status|country|zip|postal|area|lang|locale|error|exit|http|response|retry|delay"
    "|jitter|sample|shuffle|index|position|tip|quote|theme|display|layout|primary|foreign|partition|shard"
    "|hotkey|keyboard|monkey"
)
NOT_SENSITIVE = f"(?i:.*({NOT_SENSITIVE_WORDS}))"
# A name that holds a secret: tokens, passwords, codes, keys, salts, nonces, session ids.
SENSITIVE_WORDS = (
    r"(?i:.*(token|secret|passw|pwd|passphrase|nonce|salt|csrf|xsrf|session_?id|sess_?id|api_?key|apikey"
    r"|private_?key|signing_?key|auth(?!or)|verif|activation|(?<!p)reset|invit|recovery|captcha|credential"
    r"|one_?time|mfa|2fa|two_?factor|magic_?link|jwt|remember|otp|voucher|coupon|challenge|unlock|confirm"
    r"|(access|promo|login|security|sms|email|discount|gift|referral)_?code).*)"
)
SENSITIVE_ENDINGS = (
    r"(?i:(.*_)?(sid|pin|keys?|iv|code|salt|nonce))|.*[a-z0-9](Key|Keys|Pin|PIN|Iv|IV|Code|Otp|OTP)"
)


def _sensitive(before: str, after: str) -> str:
    """Return the regex of a secret's name between ``before`` and ``after`` (a name or a quoted key)."""
    return f"{before}(?!{NOT_SENSITIVE})(?:{SENSITIVE_WORDS}|(?:{SENSITIVE_ENDINGS}){after})"


SENSITIVE_NAME = _sensitive("^", "$")
SENSITIVE_KEY = _sensitive(r"""^[bru]?["']""", r"""["']$""")
RANDOMNESS_SOURCES: tuple[Pattern, ...] = (
    {
        "patterns": [
            either(
                "random.$FUNCTION(...)", "numpy.random.$FUNCTION(...)", "random.Random(...).$FUNCTION(...)"
            ),
            regex("$FUNCTION", RANDOM_FUNCTIONS),
        ]
    },
    {"pattern": "uuid.uuid1(...)"},
)
# A value passed by a name that says it is no secret (``key=cache_key``).
HARMLESS_VALUE = rf"(?![\w.]*(?i:{NOT_SENSITIVE_WORDS})[\w.]*$)"
# A cookie or session entry whose name says it is no secret (``session["quote_index"]``).
HARMLESS_ENTRY = rf"(?![\"']?[\w.]*(?i:{NOT_SENSITIVE_WORDS}))"
RANDOMNESS_SINKS: tuple[Pattern, ...] = (
    # Stored under a secret's name: a variable, an attribute, a keyword argument or a dict key.
    focus(
        "$VALUE",
        "$TARGET = $VALUE",
        "$TARGET += $VALUE",
        "$OBJECT.$TARGET = $VALUE",
        "$CALL(..., $TARGET=$VALUE, ...)",
        regexes={"$TARGET": SENSITIVE_NAME, "$VALUE": HARMLESS_VALUE},
    ),
    focus(
        "$VALUE",
        "$MAPPING[$KEY] = $VALUE",
        "{..., $KEY: $VALUE, ...}",
        regexes={"$KEY": SENSITIVE_KEY, "$VALUE": HARMLESS_VALUE},
    ),
    # Returned by a function whose name says it makes a secret.
    {
        "patterns": [
            {"pattern-inside": "def $FUNCTION(...):\n  ...\n"},
            {"pattern": "return $VALUE"},
            regex("$FUNCTION", SENSITIVE_NAME),
            {"focus-metavariable": "$VALUE"},
        ]
    },
    # Sent as a cookie or kept in the session: the value identifies or authenticates the client.
    focus(
        "$VALUE",
        "$RESPONSE.set_cookie($NAME, $VALUE, ...)",
        "$RESPONSE.set_cookie($NAME, ..., value=$VALUE, ...)",
        "$RESPONSE.set_signed_cookie($NAME, $VALUE, ...)",
        "session[$NAME] = $VALUE",
        "flask.session[$NAME] = $VALUE",
        "$REQUEST.session[$NAME] = $VALUE",
        # The name must be neither a harmless cookie nor a harmless entry: two conditions on $NAME.
        where=(regex("$NAME", f"(?!{HARMLESS_COOKIE})"), regex("$NAME", HARMLESS_ENTRY)),
    ),
)
RANDOMNESS_RULE = PatternRule(
    category="insecure-randomness",
    weakness=RANDOMNESS,
    # A taint rule without the shared sanitisers: int() or a hash of a guessable number stays guessable.
    match={
        "mode": "taint",
        "options": CONSTANTS,
        "pattern-sources": list(RANDOMNESS_SOURCES),
        "pattern-sinks": list(RANDOMNESS_SINKS),
    },
)

RULES: tuple[Rule, ...] = (
    SSRF_RULE,
    DESERIALIZATION_RULE,
    XXE_RULE,
    TRUST_BOUNDARY_RULE,
    NO_SECURE_RULE,
    NO_HTTPONLY_RULE,
    WEAK_HASH_RULE,
    RANDOMNESS_RULE,
)
