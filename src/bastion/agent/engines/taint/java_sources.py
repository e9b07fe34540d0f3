"""Where the user's data enters Java web code, what cleans it, and what carries it along.

Shared by every Java rule. The sources are the Servlet request's accessors, the handler parameters
Spring and JAX-RS bind from the request, cookie values and the command line. Configuration,
database rows and constants are not sources: a value that cannot be the user's makes no finding.
"""

from __future__ import annotations

from bastion.agent.engines.taint.model import Pattern
from bastion.agent.engines.taint.patterns import (
    SENSITIVE_NAME,
    either,
    host_checked,
    inside,
    propagator,
    regex,
)

REQUEST_METHODS = (
    "getParameter|getParameterValues|getParameterMap|getParameterNames|getHeader|getHeaders|getHeaderNames"
    "|getCookies|getQueryString|getRequestURI|getRequestURL|getPathInfo|getServletPath|getInputStream"
    "|getReader|getPart|getParts|getQueryParams"
)
BOUND_ANNOTATIONS = (
    "RequestParam|PathVariable|RequestBody|RequestHeader|CookieValue|ModelAttribute|MatrixVariable|RequestPart"
    "|QueryParam|PathParam|FormParam|HeaderParam|CookieParam|MatrixParam|BeanParam"
)
MAPPINGS = "RequestMapping|GetMapping|PostMapping|PutMapping|DeleteMapping|PatchMapping"
# Types Spring binds from request parameters; not the request, the model or injected services.
BOUND_TYPES = (
    r"String|String\[\]|List<String>|Set<String>|Optional<String>|MultipartFile|Map<String, ?String>"
)


SOURCES: tuple[Pattern, ...] = (
    {
        "patterns": [
            either(
                "(HttpServletRequest $REQUEST).$METHOD(...)",
                "(ServletRequest $REQUEST).$METHOD(...)",
                "(HttpServletRequestWrapper $REQUEST).$METHOD(...)",
            ),
            regex("$METHOD", f"^({REQUEST_METHODS})$"),
        ]
    },
    # A request whose type is not declared in view (a field, a helper's parameter) by its usual names.
    {
        "patterns": [
            {"pattern": "$REQUEST.$METHOD(...)"},
            regex("$REQUEST", "^(request|req|httpRequest|servletRequest)$"),
            regex("$METHOD", f"^({REQUEST_METHODS})$"),
        ]
    },
    {"pattern": "(Cookie $COOKIE).getValue()"},
    # JAX-RS request details injected with @Context.
    {
        "patterns": [
            {"pattern": "(UriInfo $INFORMATION).$METHOD(...)"},
            regex(
                "$METHOD", "^(getQueryParameters|getPathParameters|getRequestUri|getPath|getPathSegments)$"
            ),
        ]
    },
    {"pattern": "(HttpHeaders $HEADERS).getHeaderString(...)"},
    # Spring binds a handler's plain parameters from the request without an annotation too.
    {
        "patterns": [
            inside(
                *(
                    f"@{mapping}\n$RETURN $HANDLER(..., $TYPE $PARAMETER, ...) {{ ... }}"
                    for mapping in ("$MAPPING(...)", "$MAPPING")
                )
            ),
            regex("$MAPPING", f"^({MAPPINGS})$"),
            regex("$TYPE", f"^({BOUND_TYPES})$"),
            {"focus-metavariable": "$PARAMETER"},
        ]
    },
    # Spring MVC and JAX-RS handler parameters bound from the request.
    {
        "patterns": [
            inside(
                *(
                    f"$RETURN $HANDLER(..., {parameter}, ...) {{ ... }}"
                    for parameter in ("@$ANNOTATION(...) $TYPE $PARAMETER", "@$ANNOTATION $TYPE $PARAMETER")
                )
            ),
            regex("$ANNOTATION", f"^({BOUND_ANNOTATIONS})$"),
            {"focus-metavariable": "$PARAMETER"},
        ]
    },
    {
        "patterns": [
            {"pattern-inside": "public static void main(String[] $ARGUMENTS) { ... }"},
            {"pattern": "$ARGUMENTS"},
        ]
    },
)


def guarded(*checks: str) -> Pattern:
    """Return a by-side-effect sanitiser: a value tested by one of ``checks`` in an ``if`` that leaves.

    Every use of the value in the test is cleaned, so the first one (often `value == null ||`,
    which short-circuits past the check) is too: past the ``if``, the check has held.
    """
    return {
        "by-side-effect": True,
        "patterns": [
            inside(
                *(
                    f"if (<... {check} ...>) {{\n...\n{leave}\n}}"
                    for check in checks
                    for leave in ("return;", "return $RESULT;", "throw $ERROR;")
                )
            ),
            {"pattern": "$VALUE"},
            {"focus-metavariable": "$VALUE"},
        ],
    }


SANITIZERS: tuple[Pattern, ...] = (
    either(
        "Integer.parseInt(...)",
        "Integer.valueOf(...)",
        "Long.parseLong(...)",
        "Long.valueOf(...)",
        "Short.parseShort(...)",
        "Double.parseDouble(...)",
        "Boolean.parseBoolean(...)",
        "UUID.fromString(...)",
        "$VALUE.length()",
        "$VALUE.size()",
        "$VALUE.isEmpty()",
        "$VALUE.hashCode()",
    ),
    # The branch a condition on literals never selects: `3 * 5 > 10 ? "terms.pdf" : requested`.
    *(
        {
            "patterns": [
                {"pattern": "$CONDITION ? $THEN : $ELSE"},
                {"metavariable-comparison": {"comparison": comparison}},
                {"focus-metavariable": dead},
            ]
        }
        for comparison, dead in (("$CONDITION", "$ELSE"), ("not $CONDITION", "$THEN"))
    ),
    # A literal read back from a map by its own key: `page.put("title", "Notes")` then
    # `page.get("title")` is "Notes", whatever the other keys hold.
    {
        "patterns": [
            {"pattern-inside": '$MAP.put($KEY, "...");\n...\n'},
            {"pattern-not-inside": '$MAP.put($KEY, "...");\n...\n$MAP.put($KEY, $OTHER);\n...\n'},
            {"pattern": "$MAP.get($KEY)"},
            regex("$KEY", '^"[^"]*"$'),
        ]
    },
    # A literal read back from a list by the index it was added at: `targets.add("https://...")` first,
    # so `targets.get(0)` is that literal, whatever later elements hold.
    *(
        {
            "patterns": [
                {"pattern-inside": f"$TYPE $LIST = new $IMPLEMENTATION(...);\n{adds}\n...\n"},
                *(
                    {"pattern-not-inside": f"$LIST.{change}(...);\n...\n"}
                    for change in ("set", "remove", "clear", "sort", "replaceAll", "removeIf")
                ),
                {"pattern-not-inside": "$LIST.add($INDEX, $OTHER);\n...\n"},
                {"pattern": f"$LIST.get({index})"},
            ]
        }
        for index, adds in (
            (0, '$LIST.add("...");'),
            (1, '$LIST.add($FIRST);\n$LIST.add("...");'),
            (2, '$LIST.add($FIRST);\n$LIST.add($SECOND);\n$LIST.add("...");'),
        )
    ),
    # Checked and refused when bad (`if (uid == null || !UID.matcher(uid).matches()) return;`).
    guarded(
        "$LIST.contains($VALUE)",
        "$LIST.containsKey($VALUE)",
        "$PATTERN.matcher($VALUE).matches()",
        "$VALUE.matches(...)",
        "Pattern.matches($REGEX, $VALUE)",
    ),
)

PROPAGATORS: tuple[Pattern, ...] = (
    propagator("$TO.append($FROM)"),
    propagator("$TO.add($FROM)"),
    propagator("$TO.addAll($FROM)"),
    propagator("$TO.put($KEY, $FROM)"),
    propagator("$TO.insert($INDEX, $FROM)"),
    propagator("$TO.set($INDEX, $FROM)"),
    propagator("$TO.add($INDEX, $FROM)"),
    propagator("$TO.write($FROM)"),
)

# A value checked against an allow-list (`if (!ALLOWED.contains(url)) return;`) is one of the list's.
ALLOW_LIST: Pattern = {
    "by-side-effect": True,
    "patterns": [
        either("$LIST.contains($VALUE)", "$LIST.containsKey($VALUE)"),
        {"focus-metavariable": "$VALUE"},
    ],
}

PARSED_URL = ("URI $URL = new URI($TEXT);", "URI $URL = URI.create($TEXT);", "URL $URL = new URL($TEXT);")


def url_checked(methods: str, *checks: str) -> tuple[Pattern, Pattern]:
    """Return sanitisers for a URI or URL whose host is then checked (see patterns.host_checked)."""
    return host_checked(
        PARSED_URL,
        tuple(f"if (<... $URL.$METHOD() ...>) {body}" for body in ("{\n...\n}", "$STATEMENT;")),
        ("new URI($TEXT)", "URI.create($TEXT)", "new URL($TEXT)"),
        ("$METHOD", methods),
        checks,
    )


# The host compared with a constant or looked up in an allow-list.
HOST_ALLOWED = (
    "$ALLOWED.contains($URL.getHost())",
    '$URL.getHost().equals("...")',
    '"...".equals($URL.getHost())',
    '$URL.getHost().equalsIgnoreCase("...")',
)
# The same checks on a parsed URI in a guard that leaves (`if (!ALLOWED.contains(uri.getHost())) return;`).
GUARDED_HOST = (
    "$LIST.contains($VALUE.getHost())",
    '"...".equals($VALUE.getHost())',
    '$VALUE.getHost().equals("...")',
    '$VALUE.getHost().equalsIgnoreCase("...")',
    '$VALUE.getHost().endsWith("...")',
)
# A redirect target is safe once it is known to be relative: no host and no scheme.
HOST_ABSENT = (
    "$URL.isAbsolute()",
    "$URL.getHost() == null",
    "$URL.getHost() != null",
    "$URL.getScheme() == null",
    "$URL.getScheme() != null",
)


# What confines a file path: a base name, or a normalized path checked to stay under the base.
PATH_SANITIZERS: tuple[Pattern, ...] = (
    either(
        "FilenameUtils.getName(...)",
        "FilenameUtils.getBaseName(...)",
        "$PATH.getFileName()",
        "new File(...).getName()",
        "(File $FILE).getName()",
    ),
    # A normalized path checked to stay under the base directory before it is used; building a
    # path (new File, Paths.get, resolve) is not a sink, so the check may come between.
    {
        "by-side-effect": True,
        "patterns": [
            either(
                "$PATH.getCanonicalPath().startsWith(...)",
                "$PATH.getCanonicalFile().toPath().startsWith(...)",
                "$PATH.normalize().startsWith(...)",
                "$PATH.toRealPath(...).startsWith(...)",
                "$PATH.toAbsolutePath().normalize().startsWith(...)",
            ),
            {"focus-metavariable": "$PATH"},
        ],
    },
    {
        "by-side-effect": True,
        "patterns": [
            inside(
                *(
                    f"$TYPE $PATH = $VALUE.{normalize}();\n...\n"
                    for normalize in ("normalize", "getCanonicalPath", "getCanonicalFile", "toRealPath")
                )
            ),
            {"pattern": "$PATH.startsWith(...)"},
            {"focus-metavariable": "$PATH"},
        ],
    },
    ALLOW_LIST,
)


# What encodes a value for HTML.
HTML_ENCODERS: tuple[Pattern, ...] = (
    either(
        "Encode.$FOR_HTML(...)",
        "HtmlUtils.htmlEscape(...)",
        "HtmlUtils.htmlEscapeDecimal(...)",
        "HtmlUtils.htmlEscapeHex(...)",
        "StringEscapeUtils.escapeHtml4(...)",
        "StringEscapeUtils.escapeHtml3(...)",
        "StringEscapeUtils.escapeHtml(...)",
        "StringEscapeUtils.escapeXml(...)",
        "StringEscapeUtils.escapeXml10(...)",
        "StringEscapeUtils.escapeXml11(...)",
        "ESAPI.encoder().encodeForHTML(...)",
        "$ENCODER.encodeForHTML(...)",
        "$ENCODER.encodeForHTMLAttribute(...)",
        "Jsoup.clean(...)",
        "$POLICY.sanitize(...)",
        "HtmlEscapers.htmlEscaper().escape(...)",
        "URLEncoder.encode(...)",
    ),
)


# What escapes a value for an LDAP filter or name.
LDAP_ENCODERS: tuple[Pattern, ...] = (
    either(
        "LdapEncoder.filterEncode(...)",
        "LdapEncoder.nameEncode(...)",
        "$ENCODER.encodeForLDAP(...)",
        "$ENCODER.encodeForDN(...)",
        "Filter.encodeValue(...)",
        "Rdn.escapeValue(...)",
        "LdapNameBuilder.newInstance(...)",
    ),
)


# Where a predictable random value comes from, and where it becomes a secret.
RANDOM_SOURCE: Pattern = {
    "pattern-either": [
        {"pattern": "new Random(...)"},
        {"pattern": "new java.util.Random(...)"},
        {"pattern": "Math.random()"},
        {"pattern": "ThreadLocalRandom.current()"},
        {"pattern": "RandomStringUtils.$UTILITY(...)"},
        {"pattern": "RandomUtils.$UTILITY(...)"},
        {
            "patterns": [
                {"pattern": "(Random $GENERATOR).$NEXT(...)"},
                {"pattern-not-inside": "Random $GENERATOR = new SecureRandom(...);\n...\n"},
            ]
        },
    ]
}
SECURITY_CONTEXT: Pattern = {
    "pattern-either": [
        {
            "patterns": [
                inside("$TYPE $TARGET = $VALUE;", "$TARGET = $VALUE;", "$TARGET += $VALUE;"),
                regex("$TARGET", SENSITIVE_NAME),
            ]
        },
        {
            "patterns": [
                {"pattern-inside": "$RETURN $METHOD(...) { ... }"},
                regex("$METHOD", SENSITIVE_NAME),
            ]
        },
    ]
}


# The declarations that build an XML parser: a method, or a constructor that builds a shared factory.
XML_BUILDERS = ("$RETURN $METHOD(...)", "$CLASS(...)")
SERVER_DOCUMENT = (
    r'^([A-Z][A-Z0-9_]*|new File\("[^"]*"\)|Path\.of\("[^"]*"\)\.toFile\(\)'
    r'|(\w+\.class|getClass\(\))\.getResourceAsStream\("[^"]*"\))$'
)
# A method (or constructor) whose parser only reads the server's own document: a constant, a literal
# path, a bundled resource.
PARSES_SERVER_DOCUMENT: Pattern = {
    "patterns": [
        {
            "pattern-either": [
                {"pattern": "$FACTORY.newInstance(...).newDocumentBuilder().parse($DOCUMENT)"},
                *(
                    {"pattern": f"{declaration} {{ ... {parse}; ... }}"}
                    for declaration in XML_BUILDERS
                    for parse in (
                        "$PARSER.parse($DOCUMENT)",
                        "$TYPE $RESULT = $PARSER.parse($DOCUMENT)",
                    )
                ),
            ]
        },
        regex("$DOCUMENT", SERVER_DOCUMENT),
    ]
}
