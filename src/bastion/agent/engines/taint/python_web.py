"""Python rules for SSRF, deserialisation, XXE, trust boundary, cookies, weak hashes and randomness.

SSRF, deserialisation, XXE and trust-boundary rules are taint rules on the shared request sources.
Cookie flags and weak hashes are pattern rules: the code's shape is the weakness, unless the code
says the value is not a security value (a theme cookie, an ETag). Insecure randomness follows the
generator's value to a security use (a token name, a cookie, the session) in Semgrep's taint mode,
without the shared sanitisers: ``int()`` or a hash of a predictable number is still predictable.
"""

from __future__ import annotations

from bastion.agent.engines.taint.model import Pattern, PatternRule, Rule, TaintRule, Weakness
from bastion.agent.engines.taint.weaknesses import CWE_TITLES, reference

CONSTANTS = {"symbolic_propagation": True}
SAFE_VALUES = CONSTANTS | {"taint_assume_safe_numbers": True, "taint_assume_safe_booleans": True}

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

SSRF = Weakness(
    cwe=CWE_TITLES[918],
    title="Outgoing request to a user-controlled URL or host",
    message=(
        "An outgoing request is sent to a URL or host taken from request input, so an attacker can make "
        "the server call internal services or cloud metadata endpoints."
    ),
    fix=(
        "Build the URL from a fixed scheme and host with user values only in the path or query, or parse "
        "it and allow only hosts from an explicit allow-list."
    ),
    references=(
        reference(918),
        "https://cheatsheetseries.owasp.org/cheatsheets/Server_Side_Request_Forgery_Prevention_Cheat_Sheet.html",
    ),
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
                {
                    "pattern-either": [
                        {"pattern": "$LIBRARY.$VERB($URL, ...)"},
                        {"pattern": "$LIBRARY.$VERB(..., url=$URL, ...)"},
                    ]
                },
                {"metavariable-regex": {"metavariable": "$LIBRARY", "regex": "^(requests|httpx)$"}},
                {"metavariable-regex": {"metavariable": "$VERB", "regex": URL_FIRST_VERBS}},
            ]
        },
        {
            "patterns": [
                {
                    "pattern-either": [
                        {"pattern": "$LIBRARY.$VERB($METHOD, $URL, ...)"},
                        {"pattern": "$LIBRARY.$VERB(..., url=$URL, ...)"},
                    ]
                },
                {
                    "metavariable-regex": {
                        "metavariable": "$LIBRARY",
                        "regex": "^(requests|httpx|aiohttp|urllib3)$",
                    }
                },
                {"metavariable-regex": {"metavariable": "$VERB", "regex": METHOD_FIRST_VERBS}},
            ]
        },
        {
            "pattern-either": [
                {"pattern": "urllib.request.urlopen($URL, ...)"},
                {"pattern": "urllib.request.urlopen(url=$URL, ...)"},
                {"pattern": "urllib.request.Request($URL, ...)"},
                {"pattern": "urllib.request.Request(url=$URL, ...)"},
                {"pattern": "urllib.request.urlretrieve($URL, ...)"},
                {"pattern": "urllib.urlopen($URL, ...)"},
                {"pattern": "urllib2.urlopen($URL, ...)"},
                {"pattern": "urllib2.Request($URL, ...)"},
                {"pattern": "http.client.HTTPConnection($URL, ...)"},
                {"pattern": "http.client.HTTPSConnection($URL, ...)"},
                {"pattern": "http.client.HTTPConnection(host=$URL, ...)"},
                {"pattern": "http.client.HTTPSConnection(host=$URL, ...)"},
                {"pattern": "socket.create_connection(($URL, $PORT), ...)"},
                {"pattern": "requests.Session().$VERB($URL, ...)"},
                {"pattern": "httpx.Client().$VERB($URL, ...)"},
            ]
        },
        {
            "patterns": [
                {"pattern-either": list(HTTP_CLIENT_SCOPES)},
                {
                    "pattern-either": [
                        {
                            "patterns": [
                                {"pattern": "$CLIENT.$VERB($URL, ...)"},
                                {"metavariable-regex": {"metavariable": "$VERB", "regex": URL_FIRST_VERBS}},
                            ]
                        },
                        {
                            "patterns": [
                                {"pattern": "$CLIENT.$VERB($METHOD, $URL, ...)"},
                                {
                                    "metavariable-regex": {
                                        "metavariable": "$VERB",
                                        "regex": METHOD_FIRST_VERBS,
                                    }
                                },
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
    name = [{"metavariable-regex": {"metavariable": "$URL", "regex": r"^[A-Za-z_][A-Za-z0-9_.]*$"}}]
    return {
        "by-side-effect": True,
        "patterns": [
            {"pattern-either": [{"pattern": test} for test in tests]},
            {"metavariable-regex": {"metavariable": "$ALLOWED", "regex": ALLOW_LIST}},
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
            {"pattern-either": [{"pattern": "$LEFT + $RIGHT"}, {"pattern": 'f"..."'}]},
            {"pattern": "$WHOLE"},
            {"metavariable-regex": {"metavariable": "$WHOLE", "regex": f"{FIXED_HOST}|{FIXED_BASE}"}},
        ]
    },
    {
        "patterns": [
            {
                "pattern-either": [
                    {"pattern": '"$TEMPLATE" + $REST'},
                    {"pattern": '"$TEMPLATE".format(...)'},
                    {"pattern": '"$TEMPLATE" % $REST'},
                ]
            },
            {"metavariable-regex": {"metavariable": "$TEMPLATE", "regex": FIXED_HOST_CONTENT}},
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
                {
                    "metavariable-regex": {
                        "metavariable": "$CHECK",
                        "regex": "(?i).*(allow|safe|trust|permit|white|approved|internal|private)",
                    }
                },
            ]
        }
    },
)

SSRF_RULE = TaintRule(
    category="ssrf",
    weakness=SSRF,
    sinks=({"patterns": [SSRF_CALLS, *SSRF_CHECKED, {"focus-metavariable": "$URL"}]},),
    sanitizers=(*SSRF_SANITIZERS, COMPARISONS),
    options=SAFE_VALUES,
)

# --- Insecure deserialisation (502) ---------------------------------------------------------------

DESERIALIZATION = Weakness(
    cwe=CWE_TITLES[502],
    title="Untrusted data deserialised with an unsafe loader",
    message=(
        "Request data is deserialised with a loader that can build arbitrary objects (pickle, marshal, "
        "shelve, jsonpickle, unsafe YAML, pickled NumPy or PyTorch files), which runs the attacker's code."
    ),
    fix=(
        "Accept a data-only format such as JSON (json.loads) or yaml.safe_load, and check the result "
        "against a schema; never unpickle data a client can send."
    ),
    references=(
        reference(502),
        "https://cheatsheetseries.owasp.org/cheatsheets/Deserialization_Cheat_Sheet.html",
    ),
)
SAFE_YAML_LOADERS = r"^(yaml\.)?(SafeLoader|CSafeLoader|BaseLoader|CBaseLoader)$"
DESERIALIZATION_SINKS: tuple[Pattern, ...] = (
    {
        "patterns": [
            {
                "pattern-either": [
                    {"pattern": "$MODULE.loads($VALUE, ...)"},
                    {"pattern": "$MODULE.load($VALUE, ...)"},
                    {"pattern": "$MODULE.Unpickler($VALUE, ...)"},
                ]
            },
            {
                "metavariable-regex": {
                    "metavariable": "$MODULE",
                    "regex": "^(pickle|cPickle|_pickle|dill|cloudpickle|marshal)$",
                }
            },
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
                            {
                                "pattern-either": [
                                    {"pattern": "yaml.load($VALUE, ...)"},
                                    {"pattern": "yaml.load_all($VALUE, ...)"},
                                ]
                            },
                            {"pattern-not": "yaml.$LOAD($VALUE, $LOADER, ...)"},
                            {"pattern-not": "yaml.$LOAD($VALUE, ..., Loader=$LOADER, ...)"},
                        ]
                    },
                    {
                        "patterns": [
                            {
                                "pattern-either": [
                                    {"pattern": "yaml.$LOAD($VALUE, $LOADER, ...)"},
                                    {"pattern": "yaml.$LOAD($VALUE, ..., Loader=$LOADER, ...)"},
                                ]
                            },
                            {"metavariable-regex": {"metavariable": "$LOAD", "regex": "^(load|load_all)$"}},
                            {
                                "metavariable-regex": {
                                    "metavariable": "$LOADER",
                                    "regex": f"(?!{SAFE_YAML_LOADERS})",
                                }
                            },
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
    options=SAFE_VALUES,
)

# --- XXE (611) ------------------------------------------------------------------------------------

XXE = Weakness(
    cwe=CWE_TITLES[611],
    title="XML from the request parsed with external entities enabled",
    message=(
        "Request data is parsed as XML by a parser configured to resolve external entities, so a "
        "document can read local files or make the server fetch URLs (XXE)."
    ),
    fix=(
        "Parse untrusted XML with defusedxml, or keep lxml's resolve_entities=False and no_network=True "
        "and leave the SAX feature_external_ges off."
    ),
    references=(reference(611), "https://docs.python.org/3/library/xml.html#xml-vulnerabilities"),
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
                            {
                                "pattern-either": [
                                    {"pattern-inside": f"$PARSER = {unsafe}\n...\n"}
                                    for unsafe in LXML_UNSAFE_PARSERS[:2]
                                ]
                            },
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
            {
                "pattern-either": [
                    {"pattern-inside": f"$PARSER.setFeature({feature}, {on})\n...\n"}
                    for feature in SAX_EXTERNAL_ENTITIES
                    for on in ("True", "1")
                ]
            },
            {
                "pattern-either": [
                    {"pattern": "$PARSER.parse($VALUE, ...)"},
                    {"pattern": "$PARSER.feed($VALUE)"},
                    {"pattern": "xml.dom.pulldom.parse($VALUE, $PARSER, ...)"},
                    {"pattern": "xml.dom.pulldom.parse($VALUE, ..., parser=$PARSER, ...)"},
                    {"pattern": "xml.dom.pulldom.parseString($VALUE, $PARSER, ...)"},
                    {"pattern": "xml.dom.minidom.parse($VALUE, $PARSER, ...)"},
                    {"pattern": "xml.dom.minidom.parseString($VALUE, $PARSER, ...)"},
                ]
            },
            {"focus-metavariable": "$VALUE"},
        ]
    },
    # pulldom expands the entities of an untrusted document as it builds its nodes (entity expansion
    # in every Python; external entities where the parser is older than 3.7.1 or configured so).
    {
        "patterns": [
            {
                "pattern-either": [
                    {"pattern": "xml.dom.pulldom.parse($VALUE)"},
                    {"pattern": "xml.dom.pulldom.parseString($VALUE)"},
                ]
            },
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
    options=SAFE_VALUES,
)

# --- Trust boundary (501) -------------------------------------------------------------------------

TRUST_BOUNDARY = Weakness(
    cwe=CWE_TITLES[501],
    title="Request data stored in the trusted session",
    message=(
        "A value from the request is stored in the server-side session, where later code trusts it as "
        "if the application had set it."
    ),
    fix=(
        "Validate the value against an allow-list or a strict format before storing it, or keep "
        "untrusted input out of the session."
    ),
    references=(reference(501), "https://owasp.org/www-community/vulnerabilities/Trust_Boundary_Violation"),
    severity="WARNING",
    confidence="MEDIUM",
)
SESSIONS = ("session", "flask.session", "$REQUEST.session", "self.request.session")
TRUST_BOUNDARY_SINKS: tuple[Pattern, ...] = (
    {
        "patterns": [
            {
                "pattern-either": [
                    pattern
                    for session in SESSIONS
                    for pattern in (
                        {"pattern": f"{session}[$KEY] = $VALUE"},
                        {"pattern": f"{session}.update($VALUE, ...)"},
                        {"pattern": f"{session}.update(..., $KEYWORD=$VALUE, ...)"},
                        {"pattern": f"{session}.setdefault($KEY, $VALUE)"},
                        {"pattern": f"{session}.__setitem__($KEY, $VALUE)"},
                    )
                ]
            },
            {"focus-metavariable": "$VALUE"},
        ]
    },
    # The user choosing which session entry is written is as bad as choosing its value.
    {
        "patterns": [
            {
                "pattern-either": [
                    pattern
                    for session in SESSIONS
                    for pattern in (
                        {"pattern": f"{session}[$KEY] = $VALUE"},
                        {"pattern": f"{session}.setdefault($KEY, ...)"},
                        {"pattern": f"{session}.__setitem__($KEY, $VALUE)"},
                    )
                ]
            },
            {"focus-metavariable": "$KEY"},
        ]
    },
)
TRUST_BOUNDARY_RULE = TaintRule(
    category="trust-boundary",
    weakness=TRUST_BOUNDARY,
    sinks=TRUST_BOUNDARY_SINKS,
    sanitizers=(COMPARISONS,),
    options=SAFE_VALUES,
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
            {"metavariable-regex": {"metavariable": "$NAME", "regex": f"(?!{harmless})"}},
        ]
    }


def _cookie_flag_false(flag: str, harmless: str) -> Pattern:
    """Return the match of a security cookie set with ``flag`` explicitly off."""
    return {
        "patterns": [
            {"pattern-either": [{"pattern": call} for call in SET_COOKIE]},
            {
                "pattern-either": [
                    {"pattern": f"$RESPONSE.$SET(..., {flag}=False, ...)"},
                    {"pattern": f"$RESPONSE.$SET(..., {flag}=None, ...)"},
                    {"pattern": f"$RESPONSE.$SET(..., {flag}=0, ...)"},
                ]
            },
            {"metavariable-regex": {"metavariable": "$NAME", "regex": f"(?!{harmless})"}},
        ]
    }


def _cookie_header_without(flag: str) -> Pattern:
    """Return the match of a ``Set-Cookie`` header written by hand without the ``flag`` attribute."""
    return {
        "patterns": [
            {
                "pattern-either": [
                    {"pattern": "$RESPONSE.headers[$HEADER] = $COOKIE"},
                    {"pattern": "$RESPONSE.headers.add($HEADER, $COOKIE, ...)"},
                    {"pattern": "$RESPONSE.headers.append($HEADER, $COOKIE, ...)"},
                    {"pattern": "$RESPONSE[$HEADER] = $COOKIE"},
                ]
            },
            {"metavariable-regex": {"metavariable": "$HEADER", "regex": r"(?i)^[\"']set-cookie[\"']$"}},
            {"metavariable-regex": {"metavariable": "$COOKIE", "regex": rf"(?is)^(?!.*\b{flag}\b)"}},
            {
                "metavariable-regex": {
                    "metavariable": "$COOKIE",
                    "regex": rf"(?i)^(?![rbuf]*[\"']({HARMLESS_COOKIE_NAMES})=)",
                }
            },
        ]
    }


def _cookie_setting_off(flag: str) -> Pattern:
    """Return the match of a framework setting that turns ``flag`` off for the session cookies."""
    setting = rf"^[\"']?(SESSION|REMEMBER|JWT|CSRF|LANGUAGE)?_?COOKIE_{flag.upper()}[\"']?$"
    if flag == "httponly":  # Django's CSRF cookie is read by the page's script by design.
        setting = setting.replace("|CSRF", "")
    return {
        "patterns": [
            {
                "pattern-either": [
                    {"pattern": "$APP.config[$SETTING] = False"},
                    {"pattern": "$APP.config.update(..., $SETTING=False, ...)"},
                    {"pattern": "$APP.config.update({..., $SETTING: False, ...})"},
                    {"pattern": "$SETTING = False"},
                ]
            },
            {"metavariable-regex": {"metavariable": "$SETTING", "regex": setting}},
        ]
    }


def _cookie_rule(
    flag: str, cwe: int, name: str, title: str, message: str, fix: str, harmless: str = HARMLESS_COOKIE
) -> PatternRule:
    """Return the rule for a cookie set without one of its protective flags."""
    weakness = Weakness(
        cwe=CWE_TITLES[cwe],
        title=title,
        message=message,
        fix=fix,
        references=(reference(cwe), "https://owasp.org/www-community/controls/SecureCookieAttribute"),
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
    return PatternRule(category="insecure-cookie", weakness=weakness, match=match, name=name)


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

WEAK_HASH = Weakness(
    cwe=CWE_TITLES[328],
    title="MD5 or SHA-1 used for a security value",
    message=(
        "MD5 or SHA-1 hashes a value in a security role (password, token, signature or integrity check); "
        "both have practical collisions and are far too fast for passwords."
    ),
    fix=(
        "Use hashlib.sha256 or HMAC-SHA-256 for integrity and argon2, bcrypt or hashlib.scrypt for "
        "passwords; pass usedforsecurity=False for a plain checksum."
    ),
    references=(
        reference(328),
        "https://cheatsheetseries.owasp.org/cheatsheets/Password_Storage_Cheat_Sheet.html",
    ),
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
                {"metavariable-regex": {"metavariable": "$ALGORITHM", "regex": WEAK_HASH_NAMES}},
            ]
        },
        {
            "patterns": [
                {"pattern": "$MODULE.$ALGORITHM.new(...)"},
                {"metavariable-regex": {"metavariable": "$MODULE", "regex": r"^(Crypto|Cryptodome)\.Hash$"}},
                {"metavariable-regex": {"metavariable": "$ALGORITHM", "regex": "^(MD2|MD4|MD5|SHA|SHA1)$"}},
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

    def use(pattern: str, metavariable: str = "", regex: str = "") -> Pattern:
        matched: Pattern = {"pattern": before + pattern}
        if not metavariable:
            return matched
        return {"patterns": [matched, {"metavariable-regex": {"metavariable": metavariable, "regex": regex}}]}

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
                        {
                            "pattern-either": [
                                {"pattern-inside": "$TARGET = ..."},
                                {"pattern-inside": "$TARGET += ..."},
                            ]
                        },
                        {"metavariable-regex": {"metavariable": "$TARGET", "regex": CONTENT_ID}},
                    ]
                }
            },
            {
                "pattern-not-inside": {
                    "patterns": [
                        {"pattern-inside": "def $FUNCTION(...):\n  ...\n"},
                        {"metavariable-regex": {"metavariable": "$FUNCTION", "regex": CONTENT_ID}},
                    ]
                }
            },
        ]
    },
)

# --- Insecure randomness (330) --------------------------------------------------------------------

RANDOMNESS = Weakness(
    cwe=CWE_TITLES[330],
    title="Predictable random value used as a secret",
    message=(
        "A value from a non-cryptographic generator (random, numpy.random, uuid1) becomes a token, "
        "password, code, key, salt or session value, and its output can be predicted."
    ),
    fix=(
        "Use the secrets module: secrets.token_urlsafe(32) for tokens, secrets.choice(alphabet) for "
        "passwords and secrets.randbelow(10**6) for codes."
    ),
    references=(reference(330), "https://docs.python.org/3/library/secrets.html"),
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
            {
                "pattern-either": [
                    {"pattern": "random.$FUNCTION(...)"},
                    {"pattern": "numpy.random.$FUNCTION(...)"},
                    {"pattern": "random.Random(...).$FUNCTION(...)"},
                ]
            },
            {"metavariable-regex": {"metavariable": "$FUNCTION", "regex": RANDOM_FUNCTIONS}},
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
    {
        "patterns": [
            {
                "pattern-either": [
                    {"pattern": "$TARGET = $VALUE"},
                    {"pattern": "$TARGET += $VALUE"},
                    {"pattern": "$OBJECT.$TARGET = $VALUE"},
                    {"pattern": "$CALL(..., $TARGET=$VALUE, ...)"},
                ]
            },
            {"metavariable-regex": {"metavariable": "$TARGET", "regex": SENSITIVE_NAME}},
            {"metavariable-regex": {"metavariable": "$VALUE", "regex": HARMLESS_VALUE}},
            {"focus-metavariable": "$VALUE"},
        ]
    },
    {
        "patterns": [
            {
                "pattern-either": [
                    {"pattern": "$MAPPING[$KEY] = $VALUE"},
                    {"pattern": "{..., $KEY: $VALUE, ...}"},
                ]
            },
            {"metavariable-regex": {"metavariable": "$KEY", "regex": SENSITIVE_KEY}},
            {"metavariable-regex": {"metavariable": "$VALUE", "regex": HARMLESS_VALUE}},
            {"focus-metavariable": "$VALUE"},
        ]
    },
    # Returned by a function whose name says it makes a secret.
    {
        "patterns": [
            {"pattern-inside": "def $FUNCTION(...):\n  ...\n"},
            {"pattern": "return $VALUE"},
            {"metavariable-regex": {"metavariable": "$FUNCTION", "regex": SENSITIVE_NAME}},
            {"focus-metavariable": "$VALUE"},
        ]
    },
    # Sent as a cookie or kept in the session: the value identifies or authenticates the client.
    {
        "patterns": [
            {
                "pattern-either": [
                    {"pattern": "$RESPONSE.set_cookie($NAME, $VALUE, ...)"},
                    {"pattern": "$RESPONSE.set_cookie($NAME, ..., value=$VALUE, ...)"},
                    {"pattern": "$RESPONSE.set_signed_cookie($NAME, $VALUE, ...)"},
                    {"pattern": "session[$NAME] = $VALUE"},
                    {"pattern": "flask.session[$NAME] = $VALUE"},
                    {"pattern": "$REQUEST.session[$NAME] = $VALUE"},
                ]
            },
            {"metavariable-regex": {"metavariable": "$NAME", "regex": f"(?!{HARMLESS_COOKIE})"}},
            {"metavariable-regex": {"metavariable": "$NAME", "regex": HARMLESS_ENTRY}},
            {"focus-metavariable": "$VALUE"},
        ]
    },
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
