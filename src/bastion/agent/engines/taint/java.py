"""Java rules: Servlet, Spring MVC and JAX-RS input reaching dangerous calls, and insecure shapes.

The sources, sanitisers and propagators they share are in ``java_sources``. The hand-written
hardcoded-secret, insecure-tls and weak-cryptography files stay.
"""

from __future__ import annotations

import copy

from bastion.agent.engines.taint.java_sources import (
    ALLOW_LIST,
    GUARDED_HOST,
    HOST_ABSENT,
    HOST_ALLOWED,
    HTML_ENCODERS,
    LDAP_ENCODERS,
    MAPPINGS,
    PARSES_SERVER_DOCUMENT,
    PATH_SANITIZERS,
    PROPAGATORS,
    RANDOM_SOURCE,
    SANITIZERS,
    SECURITY_CONTEXT,
    SOURCES,
    XML_BUILDERS,
    guarded,
    url_checked,
)
from bastion.agent.engines.taint.model import Pattern, PatternRule, RuleSet
from bastion.agent.engines.taint.patterns import (
    OWASP,
    SECURITY_COOKIE,
    SENSITIVE_NAME,
    either,
    focus,
    inside,
    regex,
    taint,
    weakness,
)

NOT_HTML = "text\\/plain|application\\/json"
SQL_INJECTION = taint(
    "sql-injection",
    weakness(
        89,
        "SQL query built from request input",
        "Request input is inserted into the text of a SQL or JPQL statement that is then executed. "
        "An attacker who controls the value can change the query.",
        "Use a PreparedStatement with ? placeholders and setString/setLong (or named parameters with "
        "JdbcTemplate or JPA setParameter); never concatenate values into the SQL text.",
        f"{OWASP}/SQL_Injection_Prevention_Cheat_Sheet.html",
    ),
    sinks=(
        focus(
            "$QUERY",
            "(Statement $STATEMENT).$EXECUTE($QUERY, ...)",
            "$CONNECTION.createStatement().$EXECUTE($QUERY, ...)",
            regexes={"$EXECUTE": "^(executeQuery|executeUpdate|executeLargeUpdate|execute|addBatch)$"},
        ),
        focus(
            "$QUERY",
            "$STATEMENT.$EXECUTE($QUERY, ...)",
            regexes={
                "$EXECUTE": "^(executeQuery|executeUpdate|executeLargeUpdate|execute|addBatch)$",
                "$STATEMENT": "(?i)^(.*statement|.*stmt|st)$",
            },
        ),
        focus(
            "$QUERY",
            "$CONNECTION.prepareStatement($QUERY, ...)",
            "$CONNECTION.prepareCall($QUERY, ...)",
            "$CONNECTION.nativeSQL($QUERY)",
            "$MANAGER.createQuery($QUERY, ...)",
            "$MANAGER.createNativeQuery($QUERY, ...)",
            "$SESSION.createSQLQuery($QUERY, ...)",
            "$SESSION.createNativeMutationQuery($QUERY, ...)",
            "$SESSION.createMutationQuery($QUERY)",
            "$SESSION.createSelectionQuery($QUERY, ...)",
        ),
        focus(
            "$QUERY",
            "(JdbcTemplate $JDBC).$METHOD($QUERY, ...)",
            "(NamedParameterJdbcTemplate $JDBC).$METHOD($QUERY, ...)",
            "(JdbcOperations $JDBC).$METHOD($QUERY, ...)",
            "(JdbcClient $JDBC).sql($QUERY)",
            regexes={
                "$METHOD": "^(query|queryForObject|queryForList|queryForMap|queryForRowSet|queryForStream"
                "|update|batchUpdate|execute|sql)$"
            },
        ),
        focus(
            "$QUERY",
            "$JDBC.$METHOD($QUERY, ...)",
            regexes={
                "$METHOD": "^(query|queryForObject|queryForList|queryForMap|queryForRowSet|queryForStream"
                "|update|batchUpdate|execute)$",
                "$JDBC": "(?i).*(jdbc|template)$",
            },
        ),
    ),
    sanitizers=(either("$ENCODER.encodeForSQL(...)"),),
)

SHELL = r'^"(/usr)?(/bin/)?(sh|bash|zsh|dash|ksh|cmd|cmd\.exe|powershell|pwsh)"$'
SHELL_FLAG = r'^"(-c|/c|/C|-Command)"$'
COMMAND_INJECTION = taint(
    "command-injection",
    weakness(
        78,
        "OS command built from request input",
        "Request input reaches the program name or the shell command line of a process the server "
        "starts. An attacker who controls it can run commands of their choice.",
        "Run a fixed program with the input as a separate argument (ProcessBuilder with a list) and "
        "never through `sh -c`; check the input against an allow-list first.",
        f"{OWASP}/OS_Command_Injection_Defense_Cheat_Sheet.html",
    ),
    sinks=(
        # Runtime.exec(String) splits the text itself: the whole line is the command.
        {
            "patterns": [
                either("Runtime.getRuntime().exec($COMMAND, ...)", "(Runtime $RUNTIME).exec($COMMAND, ...)"),
                # An array of arguments is checked element by element below.
                {"pattern-not": "$RUNTIME.exec(new String[] {...}, ...)"},
                {"pattern-not": "$RUNTIME.exec((String[] $ARGUMENTS), ...)"},
                {"focus-metavariable": "$COMMAND"},
            ]
        },
        {
            "patterns": [
                {"pattern": "new ProcessBuilder($PROGRAM, ...)"},
                {"pattern-not": "new ProcessBuilder((List<String> $LIST))"},
                {"pattern-not": "new ProcessBuilder(List.of(...))"},
                {"pattern-not": "new ProcessBuilder(Arrays.asList(...))"},
                {"pattern-not": "new ProcessBuilder((String[] $ARGUMENTS))"},
                {"focus-metavariable": "$PROGRAM"},
            ]
        },
        focus(
            "$PROGRAM",
            "new ProcessBuilder(List.of($PROGRAM, ...))",
            "new ProcessBuilder(Arrays.asList($PROGRAM, ...))",
            "(ProcessBuilder $BUILDER).command($PROGRAM, ...)",
            "new String[] {$PROGRAM, ...}",
        ),
        # A shell's command line: `sh -c <text>`.
        focus(
            "$COMMAND",
            "new ProcessBuilder($SHELL, $FLAG, $COMMAND, ...)",
            "new ProcessBuilder(List.of($SHELL, $FLAG, $COMMAND, ...))",
            "new ProcessBuilder(Arrays.asList($SHELL, $FLAG, $COMMAND, ...))",
            "(ProcessBuilder $BUILDER).command($SHELL, $FLAG, $COMMAND, ...)",
            "new String[] {$SHELL, $FLAG, $COMMAND, ...}",
            regexes={"$SHELL": SHELL, "$FLAG": SHELL_FLAG},
        ),
        # A helper of this class builds the `sh -c` line from its argument: the argument is the command.
        {
            "patterns": [
                {
                    "pattern-inside": "class $CLASS {\n...\nString[] $HELPER(...) {\n...\n"
                    "return new String[] {$SHELL, $FLAG, ...};\n}\n...\n}"
                },
                regex("$SHELL", SHELL),
                regex("$FLAG", SHELL_FLAG),
                {"pattern-not-inside": "String[] $HELPER(...) { ... }"},
                {"pattern": "$HELPER(...)"},
            ]
        },
    ),
    sanitizers=(ALLOW_LIST,),
)

CODE_INJECTION = taint(
    "code-injection",
    weakness(
        94,
        "Code or expression evaluated from request input",
        "Request input is evaluated as code by a script engine, Spring Expression Language or Groovy. "
        "An attacker who controls it can run code in the server.",
        "Never evaluate user input; map the input to a fixed set of operations, or evaluate SpEL with a "
        "SimpleEvaluationContext.forReadOnlyDataBinding() and a constant expression.",
        f"{OWASP}/Injection_Prevention_Cheat_Sheet.html",
    ),
    sinks=(
        focus(
            "$CODE",
            "(ScriptEngine $ENGINE).eval($CODE, ...)",
            "$MANAGER.getEngineByName(...).eval($CODE, ...)",
            "(ExpressionParser $PARSER).parseExpression($CODE, ...)",
            "new SpelExpressionParser().parseExpression($CODE, ...)",
            "(GroovyShell $SHELL).$EVALUATE($CODE, ...)",
            "new GroovyShell(...).$EVALUATE($CODE, ...)",
            "Eval.$ME(..., $CODE)",
            "MVEL.eval($CODE, ...)",
            "Ognl.getValue($CODE, ...)",
            "Ognl.parseExpression($CODE)",
        ),
        focus(
            "$CODE",
            "$ENGINE.eval($CODE, ...)",
            "$PARSER.parseExpression($CODE, ...)",
            regexes={"$ENGINE": "(?i).*(engine|parser|script|nashorn|js)$", "$PARSER": "(?i).*parser$"},
        ),
    ),
)

PATH_TRAVERSAL = taint(
    "path-traversal",
    weakness(
        22,
        "File path built from request input",
        "Request input is used as a file path or part of one without confining it to a base "
        "directory. An attacker can use `../` or an absolute path to read or write other files.",
        "Keep only the file name (FilenameUtils.getName or Path.getFileName), or resolve against the base "
        "directory, normalize, and refuse paths that do not startsWith the base.",
        f"{OWASP}/File_Upload_Cheat_Sheet.html",
    ),
    sinks=(
        focus(
            "$FILE",
            "new FileInputStream($FILE, ...)",
            "new FileOutputStream($FILE, ...)",
            "new FileReader($FILE, ...)",
            "new FileWriter($FILE, ...)",
            "new RandomAccessFile($FILE, ...)",
            "new PrintWriter((String $FILE), ...)",
            "new FileSystemResource($FILE)",
            "ResourceUtils.getFile($FILE)",
            "new UrlResource($FILE)",
            "$UPLOAD.transferTo($FILE)",
        ),
        focus(
            "$FILE",
            "(File $FILE).$OPERATION(...)",
            regexes={
                "$OPERATION": "^(delete|deleteOnExit|renameTo|createNewFile|mkdir|mkdirs|listFiles|list)$"
            },
        ),
        focus(
            "$FILE",
            "Files.$METHOD($FILE, ...)",
            regexes={
                "$METHOD": "^(readAllBytes|readString|readAllLines|lines|newInputStream|newOutputStream"
                "|newBufferedReader|newBufferedWriter|newByteChannel|write|writeString|delete|deleteIfExists"
                "|copy|move|list|walk|createFile|createDirectories)$"
            },
        ),
    ),
    sanitizers=PATH_SANITIZERS,
)

STRING_HANDLER = "String $HANDLER(...) { ... }"
XSS = taint(
    "xss",
    weakness(
        79,
        "Request input written into an HTML response",
        "Request input is written into the response body without HTML encoding. An attacker can "
        "inject script that runs in the victim's browser.",
        "Encode the value for its HTML context (OWASP Encoder Encode.forHtml, Spring HtmlUtils.htmlEscape) "
        "or render it with a template engine that escapes by default.",
        f"{OWASP}/Cross_Site_Scripting_Prevention_Cheat_Sheet.html",
    ),
    sinks=(
        {
            "patterns": [
                either(
                    "$RESPONSE.getWriter().$WRITE($BODY, ...)",
                    "$RESPONSE.getOutputStream().$WRITE($BODY, ...)",
                    "(PrintWriter $WRITER).$WRITE($BODY, ...)",
                    "(ServletOutputStream $WRITER).$WRITE($BODY, ...)",
                    "(JspWriter $WRITER).$WRITE($BODY, ...)",
                ),
                regex("$WRITE", "^(print|println|write|printf|format|append)$"),
                # A plain-text or JSON response is not rendered as HTML.
                {"pattern-not-inside": f'$RESPONSE.setContentType("=~/^({NOT_HTML})/");\n...\n'},
                {"focus-metavariable": "$BODY"},
            ]
        },
        # A String a Spring controller returns is the response body, rendered as HTML by default.
        {
            "patterns": [
                inside(
                    "@RestController\nclass $CONTROLLER { ... }",
                    "@ResponseBody\n$RETURN $HANDLER(...) { ... }",
                ),
                {"pattern-inside": f"@$MAPPING(...)\n{STRING_HANDLER}"},
                regex("$MAPPING", f"^({MAPPINGS})$"),
                *(
                    {"pattern-not-inside": f"@$MAPPING(..., produces = {produced}, ...)\n{STRING_HANDLER}"}
                    for produced in (
                        '"=~/json|text\\/plain/"',
                        "MediaType.APPLICATION_JSON_VALUE",
                        "MediaType.TEXT_PLAIN_VALUE",
                    )
                ),
                {"pattern": "return $BODY;"},
                {"focus-metavariable": "$BODY"},
            ]
        },
    ),
    sanitizers=HTML_ENCODERS,
)

LDAP_INJECTION = taint(
    "ldap-injection",
    weakness(
        90,
        "LDAP search filter built from request input",
        "Request input is inserted into an LDAP search filter without escaping. An attacker can add "
        "filter clauses such as `*)(uid=*` to read other entries or bypass a login check.",
        "Escape the value for an LDAP filter (Spring LdapEncoder.filterEncode, ESAPI encodeForLDAP) or "
        "build the filter with Spring LDAP's query().where(...).is(value).",
        f"{OWASP}/LDAP_Injection_Prevention_Cheat_Sheet.html",
    ),
    sinks=(
        focus(
            "$FILTER",
            "(DirContext $CONTEXT).search($BASE, $FILTER, ...)",
            "(InitialDirContext $CONTEXT).search($BASE, $FILTER, ...)",
            "(LdapContext $CONTEXT).search($BASE, $FILTER, ...)",
            "(InitialLdapContext $CONTEXT).search($BASE, $FILTER, ...)",
            "(LdapTemplate $CONTEXT).$SEARCH($BASE, $FILTER, ...)",
            "(LdapOperations $CONTEXT).$SEARCH($BASE, $FILTER, ...)",
            "Filter.create($FILTER)",
            "new SearchRequest($BASE, $SCOPE, $FILTER, ...)",
        ),
        focus(
            "$FILTER",
            "$CONTEXT.$SEARCH($BASE, $FILTER, ...)",
            regexes={
                "$CONTEXT": "(?i).*(ctx|context|ldap|directory)$",
                "$SEARCH": "^(search|searchForObject|searchForContext|authenticate)$",
            },
        ),
    ),
    sanitizers=LDAP_ENCODERS,
)

XPATH_INJECTION = taint(
    "xpath-injection",
    weakness(
        643,
        "XPath expression built from request input",
        "Request input is inserted into an XPath expression that is compiled or evaluated. An attacker "
        "can change the expression to read other nodes or bypass a check.",
        "Keep the expression constant and pass the value as an XPath variable "
        "(XPath.setXPathVariableResolver with $name in the expression).",
        f"{OWASP}/Injection_Prevention_Cheat_Sheet.html",
    ),
    sinks=(
        focus(
            "$EXPRESSION",
            "(XPath $XPATH).$EVALUATE($EXPRESSION, ...)",
            "XPathFactory.newInstance().newXPath().$EVALUATE($EXPRESSION, ...)",
            regexes={"$EVALUATE": "^(evaluate|compile|evaluateExpression)$"},
        ),
        focus(
            "$EXPRESSION",
            "$XPATH.$EVALUATE($EXPRESSION, ...)",
            regexes={
                "$EVALUATE": "^(evaluate|compile|evaluateExpression|selectNodes|selectSingleNode)$",
                "$XPATH": "(?i).*xpath.*",
            },
        ),
    ),
    sanitizers=(either("$ENCODER.encodeForXPath(...)"),),
)

OPEN_REDIRECT = taint(
    "open-redirect",
    weakness(
        601,
        "Redirect to a URL taken from the request",
        "The server redirects to a URL taken from request input without checking it. An attacker can "
        "send a link to this site that forwards the victim to a site of their choice.",
        "Redirect only to relative paths or to hosts on an allow-list, or map the input to a fixed set "
        "of destinations.",
        f"{OWASP}/Unvalidated_Redirects_and_Forwards_Cheat_Sheet.html",
    ),
    sinks=(
        focus(
            "$URL",
            "$RESPONSE.sendRedirect($URL)",
            '$RESPONSE.setHeader("Location", $URL)',
            '$RESPONSE.addHeader("Location", $URL)',
            "new RedirectView($URL, ...)",
            '"redirect:" + $URL',
            "$HEADERS.setLocation($URL)",
            "$BUILDER.location($URL)",
            "Response.seeOther($URL)",
            "Response.temporaryRedirect($URL)",
        ),
    ),
    sanitizers=(
        ALLOW_LIST,
        *url_checked("getHost|isAbsolute|getScheme", *HOST_ALLOWED, *HOST_ABSENT),
        # Refused unless a local path (`if (!next.startsWith("/") || next.startsWith("//")) return;`).
        guarded("$VALUE.startsWith(...)", *GUARDED_HOST),
    ),
)

SSRF = taint(
    "ssrf",
    weakness(
        918,
        "Server-side request to a URL taken from the request",
        "The server makes an HTTP request to a URL built from request input. An attacker can make it "
        "reach internal services or cloud metadata endpoints.",
        "Check the URL's scheme and host against an allow-list before the request, or map the input to "
        "a fixed set of endpoints.",
        f"{OWASP}/Server_Side_Request_Forgery_Prevention_Cheat_Sheet.html",
    ),
    sinks=(
        focus(
            "$URL",
            "new URL($URL).$OPEN(...)",
            "(URL $URL).$OPEN(...)",
            "URI.create($URL).toURL().$OPEN(...)",
            regexes={"$OPEN": "^(openConnection|openStream|getContent)$"},
        ),
        focus(
            "$URL",
            "HttpRequest.newBuilder($URL)",
            "HttpRequest.newBuilder().uri($URL)",
            "(HttpRequest.Builder $BUILDER).uri($URL)",
            "new HttpGet($URL)",
            "new HttpPost($URL)",
            "new HttpPut($URL)",
            "new HttpDelete($URL)",
            "new HttpHead($URL)",
            "Request.Get($URL)",
            "Request.Post($URL)",
            "Jsoup.connect($URL)",
            "WebClient.create($URL)",
            "$CLIENT.get().uri($URL, ...)",
            "$CLIENT.post().uri($URL, ...)",
            "$CLIENT.method(...).uri($URL, ...)",
            "new Request.Builder().url($URL)",
            "(RestTemplate $REST).$METHOD($URL, ...)",
            regexes={},
        ),
        focus(
            "$URL",
            "$REST.$METHOD($URL, ...)",
            regexes={
                "$METHOD": "^(getForObject|getForEntity|postForObject|postForEntity|postForLocation|exchange"
                "|put|patchForObject|headForHeaders|optionsForAllow|delete)$",
                "$REST": "(?i).*(rest|template|client)$",
            },
        ),
    ),
    sanitizers=(ALLOW_LIST, *url_checked("getHost", *HOST_ALLOWED), guarded(*GUARDED_HOST)),
)

INSECURE_DESERIALIZATION = taint(
    "insecure-deserialization",
    weakness(
        502,
        "Untrusted data deserialized into objects",
        "Request data is deserialized with a mechanism that can instantiate arbitrary classes "
        "(ObjectInputStream, XMLDecoder, XStream, SnakeYAML). A crafted payload can run code.",
        "Accept JSON into a fixed class instead; if Java serialization is unavoidable, set an "
        "ObjectInputFilter allow-list, and load YAML with a SafeConstructor.",
        f"{OWASP}/Deserialization_Cheat_Sheet.html",
    ),
    sinks=(
        focus(
            "$INPUT",
            "new ObjectInputStream($INPUT)",
            "new XMLDecoder($INPUT, ...)",
            "(XStream $XSTREAM).fromXML($INPUT, ...)",
            "SerializationUtils.deserialize($INPUT)",
            "new Yaml().$LOAD($INPUT, ...)",
            "(Kryo $KRYO).readClassAndObject($INPUT)",
            regexes={},
        ),
        {
            "patterns": [
                {"pattern": "(Yaml $YAML).$LOAD($INPUT, ...)"},
                regex("$LOAD", "^(load|loadAll|loadAs)$"),
                {"pattern-not-inside": "$TYPE $YAML = new Yaml(new SafeConstructor(...), ...);\n...\n"},
                {"focus-metavariable": "$INPUT"},
            ]
        },
        focus("$INPUT", "$XSTREAM.fromXML($INPUT, ...)", regexes={"$XSTREAM": "(?i).*xstream$"}),
        # A helper of this class deserializes its parameter: the call's argument is the data.
        {
            "patterns": [
                inside(
                    *(
                        "class $CLASS {\n...\n"
                        "$RETURN $HELPER(..., $TYPE $PARAMETER, ...) {\n"
                        f"...\n{use}\n...\n}}\n...\n}}"
                        for use in (
                            "new ObjectInputStream(<... $PARAMETER ...>);",
                            "return <... new ObjectInputStream(<... $PARAMETER ...>) ...>;",
                            "new XMLDecoder(<... $PARAMETER ...>, ...);",
                        )
                    )
                ),
                {"pattern-not-inside": "$RETURN $HELPER(...) { ... }"},
                {"pattern": "$HELPER(...)"},
            ]
        },
    ),
)

TRUST_BOUNDARY = taint(
    "trust-boundary",
    weakness(
        501,
        "Request input stored in the session",
        "Request input is stored in the HTTP session, where later code trusts it as if the server had "
        "set it. An attacker can plant values that other pages treat as verified.",
        "Validate the value (type, allow-list, ownership) before storing it in the session, or keep "
        "unverified input out of the session.",
        "https://owasp.org/www-project-benchmark/",
        severity="WARNING",
        confidence="MEDIUM",
    ),
    sinks=(
        focus(
            "$VALUE",
            "(HttpSession $SESSION).setAttribute($NAME, $VALUE)",
            "(HttpSession $SESSION).putValue($NAME, $VALUE)",
            "$REQUEST.getSession(...).setAttribute($NAME, $VALUE)",
            "(HttpSession $SESSION).setAttribute($VALUE, $OTHER)",
            "$REQUEST.getSession(...).setAttribute($VALUE, $OTHER)",
        ),
        focus(
            "$VALUE",
            "$SESSION.setAttribute($NAME, $VALUE)",
            "$SESSION.setAttribute($VALUE, $OTHER)",
            regexes={"$SESSION": "(?i).*session$"},
        ),
    ),
    sanitizers=(ALLOW_LIST,),
)


def _security_cookie(*patterns: Pattern) -> Pattern:
    """Return the patterns for a cookie whose name or value says it carries a session or a credential."""
    return {
        "pattern-either": [
            {
                "patterns": [
                    *copy.deepcopy(patterns),
                    regex(name, SECURITY_COOKIE),
                ]
            }
            for name in ("$NAME", "$VALUE")
        ]
    }


def _cookie_rule(name: str, cwe: int, setter: str, flag: str) -> tuple[PatternRule, PatternRule]:
    """Return the servlet Cookie and Spring ResponseCookie rules for one missing flag."""
    builder = setter.removeprefix("set")
    builder = builder[0].lower() + builder[1:]
    cookie_weakness = weakness(
        cwe,
        f"Session or token cookie set without the {flag} flag",
        f"A cookie that carries a session, token or credential is added to the response without the "
        f"{flag} flag. "
        + (
            "The browser also sends it over plain HTTP, where it can be read on the network."
            if cwe == 614
            else "Script in the page can read it, so one XSS flaw steals the session."
        ),
        f"Call cookie.{setter}(true) before addCookie (or .{builder}(true) on a ResponseCookie), "
        "or set it for every cookie in the server's session configuration.",
        f"{OWASP}/Session_Management_Cheat_Sheet.html",
        severity="WARNING",
        confidence="MEDIUM",
    )
    servlet = PatternRule(
        category="insecure-cookie",
        name=name,
        weakness=cookie_weakness,
        match=_security_cookie(
            {"pattern-inside": "$TYPE $COOKIE = new Cookie($NAME, $VALUE);\n...\n"},
            {"pattern": "$RESPONSE.addCookie($COOKIE);"},
            {"pattern-not-inside": f"$COOKIE.{setter}(true);\n...\n"},
            {"pattern-not-inside": f"$COOKIE.{setter}($REQUEST.isSecure());\n...\n"},
        ),
    )
    spring = PatternRule(
        category="insecure-cookie",
        name=f"{name}-response-cookie",
        weakness=cookie_weakness,
        match=_security_cookie(
            {"pattern": "ResponseCookie.from($NAME, $VALUE). ... .build()"},
            # A chain's `. ...` needs at least one call: the flag may come first or last.
            *(
                {"pattern-not": f"ResponseCookie.from($NAME, $VALUE){before}.{builder}(true){after}.build()"}
                for before in ("", ". ...")
                for after in ("", ". ...")
            ),
        ),
    )
    return servlet, spring


INSECURE_COOKIE = _cookie_rule("missing-secure", 614, "setSecure", "Secure") + _cookie_rule(
    "missing-httponly", 1004, "setHttpOnly", "HttpOnly"
)

XML_FACTORY = (
    "DocumentBuilderFactory|SAXParserFactory|XMLInputFactory|TransformerFactory|SAXTransformerFactory"
    "|SchemaFactory"
)
XML_FEATURES = "disallow-doctype-decl|external-general-entities|load-external-dtd"
XXE = PatternRule(
    category="xxe",
    weakness=weakness(
        611,
        "XML parser that resolves external entities",
        "An XML parser factory is created without disabling DTDs or external entities in the same "
        "method. A document with an external entity can read local files or reach internal hosts.",
        'Call setFeature("http://apache.org/xml/features/disallow-doctype-decl", true) on the factory '
        "(or XMLInputFactory.SUPPORT_DTD false, ACCESS_EXTERNAL_DTD empty for transformers).",
        f"{OWASP}/XML_External_Entity_Prevention_Cheat_Sheet.html",
        severity="WARNING",
        confidence="MEDIUM",
    ),
    match={
        "patterns": [
            {
                "pattern-either": [
                    {
                        "patterns": [
                            either(
                                "$FACTORY.newInstance(...)",
                                "$FACTORY.newFactory(...)",
                                "$FACTORY.newDefaultInstance()",
                            ),
                            regex("$FACTORY", f"^({XML_FACTORY})$"),
                        ]
                    },
                    # dom4j, JDOM and SAX readers parse with the same defaults.
                    {"pattern": "new SAXReader()"},
                    {"pattern": "new SAXBuilder()"},
                    {"pattern": "XMLReaderFactory.createXMLReader()"},
                ]
            },
            # A method, or a constructor that builds the factory a handler uses later.
            inside(*(f"{declaration} {{ ... }}" for declaration in XML_BUILDERS)),
            {
                "pattern-not-inside": {
                    "pattern-either": [
                        {"pattern": f"{declaration} {{ ... $CONFIGURED.{call}; ... }}"}
                        for declaration in XML_BUILDERS
                        for call in (
                            f'setFeature("=~/{XML_FEATURES}/", $ON)',
                            "setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true)",
                            'setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "")',
                            'setAttribute("=~/accessExternalDTD/", "")',
                            "setProperty(XMLInputFactory.SUPPORT_DTD, false)",
                            'setProperty("javax.xml.stream.supportDTD", false)',
                            "setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false)",
                            'setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "")',
                            "setExpandEntityReferences(false)",
                        )
                    ]
                }
            },
            # A parser that only reads the server's own document never sees the user's XML.
            {"pattern-not-inside": PARSES_SERVER_DOCUMENT},
        ]
    },
)

INSECURE_RANDOMNESS = PatternRule(
    category="insecure-randomness",
    weakness=weakness(
        330,
        "Predictable random value used for a secret",
        "A predictable generator (java.util.Random, Math.random, ThreadLocalRandom, RandomStringUtils) "
        "produces a token, password, key, code or session id. Its output can be predicted from a few values.",
        "Use java.security.SecureRandom (one shared instance) and encode its bytes with "
        "Base64.getUrlEncoder(), or RandomStringUtils.secure() in commons-lang 3.16+.",
        "https://docs.oracle.com/en/java/javase/21/docs/api/java.base/java/security/SecureRandom.html",
        severity="WARNING",
        confidence="MEDIUM",
    ),
    match={
        "patterns": [
            RANDOM_SOURCE,
            {"pattern-not": "RandomStringUtils.secure()"},
            {"pattern-not": "RandomStringUtils.secureStrong()"},
            SECURITY_CONTEXT,
        ]
    },
)

WEAK_HASH = PatternRule(
    category="weak-hash",
    weakness=weakness(
        328,
        "MD5 or SHA-1 used to hash a password or secret",
        "A password, token or other secret is hashed with MD5 or SHA-1, which are fast and broken. "
        "A stolen hash is cracked or forged cheaply.",
        "Hash passwords with a slow salted algorithm (BCryptPasswordEncoder, Argon2PasswordEncoder, "
        "PBKDF2) and other security values with SHA-256 or an HMAC.",
        f"{OWASP}/Password_Storage_Cheat_Sheet.html",
        severity="WARNING",
        confidence="MEDIUM",
    ),
    match={
        "patterns": [
            either(
                'MessageDigest.getInstance("=~/(?i)^(md2|md4|md5|sha-?1|sha)$/", ...)',
                "DigestUtils.md5Hex(...)",
                "DigestUtils.md5(...)",
                "DigestUtils.sha1Hex(...)",
                "DigestUtils.sha1(...)",
                "DigestUtils.shaHex(...)",
                "Hashing.md5()",
                "Hashing.sha1()",
            ),
            {
                "pattern-either": [
                    {
                        "patterns": [
                            {"pattern-inside": "$RETURN $METHOD(...) { ... }"},
                            regex("$METHOD", SENSITIVE_NAME),
                        ]
                    },
                    {
                        "patterns": [
                            {"pattern-inside": "$RETURN $METHOD(..., $TYPE $PARAMETER, ...) { ... }"},
                            regex("$PARAMETER", SENSITIVE_NAME),
                        ]
                    },
                ]
            },
        ]
    },
)

RULESET = RuleSet(
    directory="java",
    languages=("java",),
    sources=SOURCES,
    sanitizers=SANITIZERS,
    propagators=PROPAGATORS,
    rules=(
        SQL_INJECTION,
        COMMAND_INJECTION,
        CODE_INJECTION,
        PATH_TRAVERSAL,
        XSS,
        LDAP_INJECTION,
        XPATH_INJECTION,
        OPEN_REDIRECT,
        SSRF,
        INSECURE_DESERIALIZATION,
        TRUST_BOUNDARY,
        XXE,
        *INSECURE_COOKIE,
        INSECURE_RANDOMNESS,
        WEAK_HASH,
    ),
)
