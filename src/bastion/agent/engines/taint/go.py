"""Go rules: net/http, gorilla/mux, chi, Gin and Echo input reaching dangerous calls, and insecure shapes.

The sources are the request's accessors and fields, the routers' path parameters, the web
frameworks' context readers and bind targets, and the command line. Configuration, the environment,
database rows and constants are not sources. The hand-written hardcoded-secret, insecure-tls,
weak-cryptography, code-injection and insecure-deserialization files stay.
"""

from __future__ import annotations

import copy

from bastion.agent.engines.taint.model import (
    Certainty,
    Level,
    Pattern,
    PatternRule,
    RuleSet,
    TaintRule,
    Weakness,
)
from bastion.agent.engines.taint.weaknesses import CWE_TITLES, reference

OWASP = "https://cheatsheetseries.owasp.org/cheatsheets"
REQUEST_METHODS = (
    "FormValue|PostFormValue|FormFile|PathValue|Cookie|Cookies|Referer|UserAgent|MultipartReader"
)
REQUEST_FIELDS = "Form|PostForm|MultipartForm|Body|Header|RequestURI|URL|Host|Trailer"
CONTEXT_METHODS = (
    "Query|DefaultQuery|GetQuery|QueryArray|GetQueryArray|QueryMap|GetQueryMap|Param|Params|PostForm"
    "|DefaultPostForm|GetPostForm|PostFormArray|PostFormMap|FormValue|FormParams|FormFile|MultipartForm"
    "|QueryParam|QueryParams|QueryString|ParamValues|GetHeader|Cookie|Cookies|Body|BodyParser|GetRawData"
    "|Request|FullPath"
)
BIND_METHODS = (
    "Bind|BindJSON|BindQuery|BindUri|BindHeader|BindXML|BindYAML|ShouldBind|ShouldBindJSON|ShouldBindQuery"
    "|ShouldBindUri|ShouldBindHeader|ShouldBindXML|ShouldBindYAML|ShouldBindWith|ShouldBindBodyWith|BodyParser"
    "|QueryParser|ParamsParser"
)
# Names that say a value is a secret: a token, password, key, code, session id.
SENSITIVE_NAME = (
    r"(?:(?i:.*(token|secret|passw|pwd|passphrase|nonce|salt|csrf|xsrf|session_?id|sess_?id|api_?key|apikey"
    r"|private_?key|secret_?key|signing_?key|auth_?code|verification|verify_?code|activation"
    r"|reset_?(code|link|key|hash)|invite_?code|invitation|recovery|credential|one_?time|mfa|2fa"
    r"|two_?factor|magic_?link|jwt|otp_|_otp))|.*(^|_)(?i:key|keys|pin|code|otp|salt|nonce)$"
    r"|.*[a-z0-9](Key|Keys|Pin|PIN|Code|Otp|OTP|Salt|Nonce)$|^(KEY|PIN|CODE|OTP)$|.*_(KEY|PIN|CODE|OTP)$)"
)
# Cookie names or values that say the cookie carries a session or a credential.
SECURITY_COOKIE = (
    r"(?i).*(sess|sid|token|auth|remember|jwt|login|csrf|xsrf|credential|secret|api_?key|access|refresh)"
)
TAINT_OPTIONS = {
    "symbolic_propagation": True,
    "taint_assume_safe_numbers": True,
    "taint_assume_safe_booleans": True,
}


def _weakness(
    cwe: int,
    title: str,
    message: str,
    fix: str,
    link: str,
    *,
    severity: Level = "ERROR",
    confidence: Certainty = "HIGH",
) -> Weakness:
    """Return a weakness with its CWE title and the MITRE page first in its references."""
    return Weakness(
        cwe=CWE_TITLES[cwe],
        title=title,
        message=message,
        fix=fix,
        references=(reference(cwe), link),
        severity=severity,
        confidence=confidence,
    )


def _either(*patterns: str) -> Pattern:
    return {"pattern-either": [{"pattern": pattern} for pattern in patterns]}


def _focus(metavariable: str, *patterns: str, regexes: dict[str, str] | None = None) -> Pattern:
    """Return the patterns, narrowed by metavariable regexes, focused on one metavariable."""
    body: list[Pattern] = [_either(*patterns) if len(patterns) > 1 else {"pattern": patterns[0]}]
    body += [
        {"metavariable-regex": {"metavariable": name, "regex": regex}}
        for name, regex in (regexes or {}).items()
    ]
    body.append({"focus-metavariable": metavariable})
    return {"patterns": body}


def _taint(
    category: str, weakness: Weakness, sinks: tuple[Pattern, ...], sanitizers: tuple[Pattern, ...] = ()
) -> TaintRule:
    return TaintRule(
        category=category, weakness=weakness, sinks=sinks, sanitizers=sanitizers, options=TAINT_OPTIONS
    )


def _request_input(access: str, names: str) -> tuple[Pattern, ...]:
    """Return the sources for the request's methods or fields: typed, or by the request's usual names."""
    regex = {"metavariable-regex": {"metavariable": "$ACCESS", "regex": f"^({names})$"}}
    return (
        {"patterns": [{"pattern": f"($REQUEST : *http.Request).{access}"}, copy.deepcopy(regex)]},
        {
            "patterns": [
                {"pattern": f"$REQUEST.{access}"},
                {
                    "metavariable-regex": {
                        "metavariable": "$REQUEST",
                        "regex": "^(r|req|request|httpRequest)$",
                    }
                },
                regex,
            ]
        },
    )


SOURCES: tuple[Pattern, ...] = (
    *_request_input("$ACCESS(...)", REQUEST_METHODS),
    *_request_input("$ACCESS", REQUEST_FIELDS),
    _either(
        "mux.Vars(...)", "chi.URLParam(...)", "chi.URLParamFromCtx(...)", "httprouter.ParamsFromContext(...)"
    ),
    # Gin, Echo and Fiber handler input.
    {
        "patterns": [
            _either(
                "($CONTEXT : *gin.Context).$METHOD(...)",
                "($CONTEXT : echo.Context).$METHOD(...)",
                "($CONTEXT : *fiber.Ctx).$METHOD(...)",
                "($PARAMETERS : httprouter.Params).ByName(...)",
            ),
            {"metavariable-regex": {"metavariable": "$METHOD", "regex": f"^({CONTEXT_METHODS}|ByName)$"}},
        ]
    },
    # A struct filled from the request by a framework's binder (a taint by side effect needs the
    # variable itself in focus, not `&variable`).
    {
        "by-side-effect": True,
        "patterns": [
            _either("$CONTEXT.$BIND(&$TARGET, ...)", "$CONTEXT.$BIND($TARGET, ...)"),
            {"metavariable-regex": {"metavariable": "$BIND", "regex": f"^({BIND_METHODS})$"}},
            {
                "metavariable-regex": {
                    "metavariable": "$CONTEXT",
                    "regex": "^(c|ctx|context|e|ginContext|echoContext)$",
                }
            },
            {"focus-metavariable": "$TARGET"},
        ],
    },
    {
        "by-side-effect": True,
        "patterns": [
            _either(
                "json.NewDecoder($BODY).Decode(&$TARGET)",
                "json.NewDecoder($BODY).Decode($TARGET)",
                "xml.NewDecoder($BODY).Decode(&$TARGET)",
            ),
            {"metavariable-regex": {"metavariable": "$BODY", "regex": r"^(r|req|request)\.Body$"}},
            {"focus-metavariable": "$TARGET"},
        ],
    },
    # The request body read whole and decoded: a propagator into `&target` does not apply to a
    # function call in Semgrep 1.185, so the decoded value is a source of its own.
    {
        "by-side-effect": True,
        "patterns": [
            {
                "pattern-either": [
                    {"pattern-inside": f"$BODY, $ERROR {assign} {read}($REQUEST.Body)\n...\n"}
                    for assign in (":=", "=")
                    for read in ("io.ReadAll", "ioutil.ReadAll")
                ]
            },
            {"pattern": "$PACKAGE.Unmarshal($BODY, &$TARGET)"},
            {"focus-metavariable": "$TARGET"},
        ],
    },
    {"pattern": "os.Args"},
)

SANITIZERS: tuple[Pattern, ...] = (
    _either(
        "strconv.Atoi(...)",
        "strconv.ParseInt(...)",
        "strconv.ParseUint(...)",
        "strconv.ParseFloat(...)",
        "strconv.ParseBool(...)",
        "uuid.Parse(...)",
        "uuid.MustParse(...)",
        "len(...)",
    ),
    # A literal read back from a map literal by its own key: `m := map[string]string{"status": "open",
    # "owner": input}` then `m["status"]` is "open", whatever the other keys hold.
    {
        "patterns": [
            # The key as `"$KEY"`: a bare metavariable key does not match in a Go map literal pattern.
            {"pattern-inside": '$MAP := map[$KEYS]$VALUES{..., "$KEY": "...", ...}\n...\n'},
            {"pattern-not-inside": '$MAP := map[$KEYS]$VALUES{...}\n...\n$MAP["$KEY"] = $OTHER\n...\n'},
            {"pattern": '$MAP["$KEY"]'},
        ]
    },
)

PROPAGATORS: tuple[Pattern, ...] = (
    {"pattern": "$TO.WriteString($FROM)", "from": "$FROM", "to": "$TO"},
    {"pattern": "$TO.Write($FROM)", "from": "$FROM", "to": "$TO"},
    {"pattern": "fmt.Fprintf($TO, $FORMAT, ..., $FROM, ...)", "from": "$FROM", "to": "$TO"},
    {"pattern": "$TO = append($TO, ..., $FROM, ...)", "from": "$FROM", "to": "$TO"},
    {"pattern": "$TO.ReadFrom($FROM)", "from": "$FROM", "to": "$TO"},
    {"pattern": "io.Copy($TO, $FROM)", "from": "$FROM", "to": "$TO"},
)

# A value checked against an allow-list (`if !allowed[host] { return }`) is one of the list's.
ALLOW_LIST: Pattern = {
    "by-side-effect": True,
    "patterns": [
        _either(
            "slices.Contains($LIST, $VALUE)", "$SET[$VALUE]", "$SET.Has($VALUE)", "$SET.Contains($VALUE)"
        ),
        {"focus-metavariable": "$VALUE"},
    ],
}


def _host_checked(fields: str, *checks: str) -> tuple[Pattern, Pattern]:
    """Return by-side-effect sanitisers for a URL parsed with url.Parse whose host is then checked.

    The parsed URL counts as checked where one of ``checks`` is seen; the text it was parsed from
    counts as checked from the parse on when an ``if`` later tests one of the URL's ``fields``.
    """
    parsed = {
        "by-side-effect": True,
        "patterns": [
            {
                "pattern-either": [
                    {"pattern-inside": f"$URL, $ERROR {assign} url.Parse($TEXT)\n...\n"}
                    for assign in (":=", "=")
                ]
            },
            _either(*checks),
            {"focus-metavariable": "$URL"},
        ],
    }
    text = {
        "by-side-effect": True,
        "patterns": [
            {
                "pattern-either": [
                    {
                        "pattern-inside": f"$URL, $ERROR {assign} url.Parse($TEXT)\n...\n"
                        "if <... $URL.$FIELD ...> {\n...\n}\n"
                    }
                    for assign in (":=", "=")
                ]
            },
            {"pattern": "url.Parse($TEXT)"},
            {"metavariable-regex": {"metavariable": "$FIELD", "regex": f"^({fields})$"}},
            {"focus-metavariable": "$TEXT"},
        ],
    }
    return parsed, text


# The host compared with a constant or looked up in an allow-list.
HOST_ALLOWED = (
    '$URL.Host == "..."',
    '$URL.Host != "..."',
    '$URL.Hostname() == "..."',
    '$URL.Hostname() != "..."',
    "$ALLOWED[$URL.Host]",
    "$ALLOWED[$URL.Hostname()]",
    "slices.Contains($LIST, $URL.Host)",
    "slices.Contains($LIST, $URL.Hostname())",
)
# A redirect target is safe once it is known to be relative: no host and no scheme.
HOST_ABSENT = ('$URL.Host == ""', '$URL.Host != ""', "$URL.IsAbs()", '$URL.Scheme != ""', '$URL.Scheme == ""')

# Names of a web framework's context: `c.Query("name")` reads the request, it runs no SQL.
NOT_DATABASE = "^(?!(c|ctx|context|r|req|request|e|echoCtx|fiberCtx|w)$)"

SQL_INJECTION = _taint(
    "sql-injection",
    _weakness(
        89,
        "SQL query built from request input",
        "Request input is inserted into the text of a SQL statement that is then executed. An attacker "
        "who controls the value can change the query.",
        "Keep the SQL text constant and pass values as arguments with placeholders, e.g. "
        'db.QueryContext(ctx, "SELECT * FROM users WHERE id = $1", id) or gorm\'s Where("id = ?", id).',
        f"{OWASP}/SQL_Injection_Prevention_Cheat_Sheet.html",
    ),
    sinks=(
        _focus(
            "$QUERY",
            "$DB.$METHOD($QUERY, ...)",
            regexes={
                "$METHOD": "^(Query|QueryRow|Exec|Prepare|Queryx|QueryRowx|MustExec|Preparex|NamedExec"
                "|NamedQuery|Raw|Select|Get)$",
                "$DB": NOT_DATABASE,
            },
        ),
        _focus(
            "$QUERY",
            "$DB.$METHOD($CONTEXT, $QUERY, ...)",
            regexes={
                "$METHOD": "^(QueryContext|QueryRowContext|ExecContext|PrepareContext|QueryxContext"
                "|QueryRowxContext|MustExecContext|PreparexContext|NamedExecContext|NamedQueryContext)$"
            },
        ),
        # sqlx Select/Get take the destination first.
        _focus(
            "$QUERY",
            "$DB.$METHOD($DESTINATION, $QUERY, ...)",
            "$DB.$METHOD($CONTEXT, $DESTINATION, $QUERY, ...)",
            regexes={"$METHOD": "^(Select|Get|SelectContext|GetContext)$", "$DB": NOT_DATABASE},
        ),
        # gorm's clauses that take SQL text.
        _focus(
            "$QUERY",
            "$DB.$METHOD($QUERY, ...)",
            regexes={
                "$METHOD": "^(Where|Or|Not|Order|Group|Having|Joins)$",
                "$DB": "(?i)^(.*\\.)?(db|gdb|gormdb|tx|conn|database|orm)$",
            },
        ),
    ),
    sanitizers=(_either("pq.QuoteIdentifier(...)", "pq.QuoteLiteral(...)"),),
)

SHELL = r'^"(/usr)?(/bin/)?(sh|bash|zsh|dash|ksh|cmd|cmd\.exe|powershell|pwsh)"$'
COMMAND_INJECTION = _taint(
    "command-injection",
    _weakness(
        78,
        "OS command built from request input",
        "Request input reaches the program name or the shell command line of a process the server "
        "starts. An attacker who controls it can run commands of their choice.",
        'Run a fixed program with the input as a separate argument (exec.Command("grep", "--", input)) '
        "and never through `sh -c`; check the input against an allow-list first.",
        f"{OWASP}/OS_Command_Injection_Defense_Cheat_Sheet.html",
    ),
    sinks=(
        _focus(
            "$PROGRAM",
            "exec.Command($PROGRAM, ...)",
            "exec.CommandContext($CONTEXT, $PROGRAM, ...)",
            "syscall.Exec($PROGRAM, ...)",
            "os.StartProcess($PROGRAM, ...)",
        ),
        # A shell's command line: `sh -c <text>`.
        _focus(
            "$COMMAND",
            "exec.Command($SHELL, $FLAG, $COMMAND, ...)",
            "exec.CommandContext($CONTEXT, $SHELL, $FLAG, $COMMAND, ...)",
            regexes={"$SHELL": SHELL, "$FLAG": r'^"(-c|/c|/C|-Command)"$'},
        ),
    ),
    sanitizers=(ALLOW_LIST, _either("shellescape.Quote(...)")),
)

# A cleaned path (Clean, Abs, Join) checked to stay under the base directory before it is used.
CONTAINED: Pattern = {
    "by-side-effect": True,
    "patterns": [
        {
            "pattern-either": [
                {"pattern-inside": f"$PATH {assign} filepath.{clean}(...)\n...\n"}
                for assign in (":=", "=")
                for clean in ("Clean", "Join", "Abs")
            ]
            + [
                {"pattern-inside": f"$PATH, $ERROR {assign} filepath.{clean}(...)\n...\n"}
                for assign in (":=", "=")
                for clean in ("Abs", "EvalSymlinks")
            ]
        },
        {"pattern": "strings.HasPrefix($PATH, ...)"},
        {"focus-metavariable": "$PATH"},
    ],
}
PATH_TRAVERSAL = _taint(
    "path-traversal",
    _weakness(
        22,
        "File path built from request input",
        "Request input is used as a file path or part of one without confining it to a base "
        "directory. An attacker can use `../` or an absolute path to read or write other files.",
        "Keep only the file name (filepath.Base), or join it to the base directory and refuse results "
        "that do not strings.HasPrefix the base; os.Root (Go 1.24) confines every access.",
        f"{OWASP}/File_Upload_Cheat_Sheet.html",
    ),
    sinks=(
        _focus(
            "$FILE",
            "os.$METHOD($FILE, ...)",
            "ioutil.$METHOD($FILE, ...)",
            regexes={
                "$METHOD": "^(Open|OpenFile|ReadFile|WriteFile|Create|Remove|RemoveAll|Mkdir|MkdirAll|ReadDir"
                "|Truncate|Chmod|Chown|Lstat|Stat|Readlink|DirFS)$"
            },
        ),
        _focus("$FILE", "os.Rename($FILE, ...)", "os.Rename($OLD, $FILE)", "os.Symlink($OLD, $FILE)"),
        {
            "patterns": [
                {"pattern": "http.ServeFile($WRITER, $REQUEST, $FILE)"},
                # ServeFile itself refuses a request whose URL path has a `..` element.
                {"pattern-not": "http.ServeFile($WRITER, $REQUEST, <... $REQUEST.URL.Path ...>)"},
                {"focus-metavariable": "$FILE"},
            ]
        },
        _focus(
            "$FILE",
            "$CONTEXT.File($FILE)",
            "$CONTEXT.Attachment($FILE, ...)",
        ),
        _focus("$FILE", "$CONTEXT.FileAttachment($FILE, ...)", "$CONTEXT.SaveUploadedFile($UPLOAD, $FILE)"),
    ),
    sanitizers=(
        # Cleaning a path made absolute drops every `..`: filepath.Clean("/" + name) stays under "/".
        _either(
            "filepath.Base(...)",
            "path.Base(...)",
            'filepath.Clean("/" + $NAME)',
            'path.Clean("/" + $NAME)',
            "filepath.Clean(string(filepath.Separator) + $NAME)",
        ),
        CONTAINED,
        {
            "by-side-effect": True,
            "patterns": [
                _either('strings.Contains($PATH, "..")', "filepath.IsLocal($PATH)", "filepath.IsAbs($PATH)"),
                {"focus-metavariable": "$PATH"},
            ],
        },
        ALLOW_LIST,
    ),
)

# Function bodies whose parameter `$WRITER` is the response.
IN_HANDLER = (
    "func $HANDLER(..., $WRITER http.ResponseWriter, ...) { ... }",
    "func ($RECEIVER $TYPE) $HANDLER(..., $WRITER http.ResponseWriter, ...) { ... }",
    "func(..., $WRITER http.ResponseWriter, ...) { ... }",
)
XSS = _taint(
    "xss",
    _weakness(
        79,
        "Request input written into an HTML response",
        "Request input is written into the response body without HTML escaping. An attacker can "
        "inject script that runs in the victim's browser.",
        "Render the page with html/template, which escapes by context, or escape the value with "
        "html.EscapeString before writing it.",
        f"{OWASP}/Cross_Site_Scripting_Prevention_Cheat_Sheet.html",
    ),
    sinks=(
        {
            "patterns": [
                {
                    "pattern-either": [
                        {
                            "patterns": [
                                _either(
                                    "fmt.Fprintf($WRITER, $BODY, ...)",
                                    "fmt.Fprintf($WRITER, $FORMAT, ..., $BODY, ...)",
                                    "fmt.Fprint($WRITER, ..., $BODY, ...)",
                                    "fmt.Fprintln($WRITER, ..., $BODY, ...)",
                                    "io.WriteString($WRITER, $BODY)",
                                    "$WRITER.Write($BODY)",
                                    "$WRITER.WriteString($BODY)",
                                ),
                                {"pattern-either": [{"pattern-inside": inside} for inside in IN_HANDLER]},
                            ]
                        },
                        _either("$CONTEXT.Writer.Write($BODY)", "$CONTEXT.Writer.WriteString($BODY)"),
                        {
                            "patterns": [
                                {"pattern": "$CONTEXT.Data($CODE, $TYPE, $BODY)"},
                                {"metavariable-regex": {"metavariable": "$TYPE", "regex": "(?i).*html"}},
                            ]
                        },
                        {"pattern": "($CONTEXT : echo.Context).HTML($CODE, $BODY)"},
                    ]
                },
                # A plain-text or JSON response is not rendered as HTML.
                {
                    "pattern-not-inside": '$WRITER.Header().Set("=~/^content-type$/i", '
                    '"=~/^(text\\/plain|application\\/json)/")\n...\n'
                },
                {"focus-metavariable": "$BODY"},
            ]
        },
        _focus(
            "$VALUE", "template.$TYPE($VALUE)", regexes={"$TYPE": "^(HTML|HTMLAttr|JS|JSStr|URL|CSS|Srcset)$"}
        ),
    ),
    sanitizers=(
        _either(
            "html.EscapeString(...)",
            "template.HTMLEscapeString(...)",
            "template.JSEscapeString(...)",
            "template.URLQueryEscaper(...)",
            "url.QueryEscape(...)",
            "url.PathEscape(...)",
            "$POLICY.Sanitize(...)",
            "json.Marshal(...)",
        ),
    ),
)

TEXT_TEMPLATE = PatternRule(
    category="xss",
    name="text-template",
    weakness=_weakness(
        79,
        "text/template used to render an HTML response",
        "A text/template template is executed into an http.ResponseWriter. text/template does no HTML "
        "escaping, so any user data in the template's input is rendered as markup.",
        "Import html/template instead of text/template for anything written to a browser; it has the "
        "same API and escapes values by context.",
        "https://pkg.go.dev/text/template",
        severity="WARNING",
        confidence="MEDIUM",
    ),
    match={
        "patterns": [
            {"pattern-inside": 'import "text/template"\n...\n'},
            _either(
                "$TEMPLATE.Execute(($WRITER : http.ResponseWriter), ...)",
                "$TEMPLATE.ExecuteTemplate(($WRITER : http.ResponseWriter), ...)",
            ),
        ]
    },
)

# A target checked to be a local path, in the handler (`if !strings.HasPrefix(next, "/") { return }`)
# or by a boolean helper of this file that tests its parameter so (`if !isLocalPath(next) { return }`).
LOCAL_PATH_CHECKED: Pattern = {
    "by-side-effect": True,
    "patterns": [
        {
            "pattern-either": [
                {"pattern": 'strings.HasPrefix($VALUE, "/")'},
                {
                    "patterns": [
                        {
                            "pattern-inside": "func $HELPER($PARAMETER string) bool {\n...\n"
                            'return <... strings.HasPrefix($PARAMETER, "/") ...>\n}\n...\n'
                        },
                        {"pattern": "$HELPER($VALUE)"},
                    ]
                },
            ]
        },
        {"focus-metavariable": "$VALUE"},
    ],
}

OPEN_REDIRECT = _taint(
    "open-redirect",
    _weakness(
        601,
        "Redirect to a URL taken from the request",
        "The server redirects to a URL taken from request input without checking it. An attacker can "
        "send a link to this site that forwards the victim to a site of their choice.",
        "Redirect only to relative paths or to hosts on an allow-list, or map the input to a fixed set "
        "of destinations.",
        f"{OWASP}/Unvalidated_Redirects_and_Forwards_Cheat_Sheet.html",
    ),
    sinks=(
        _focus(
            "$URL",
            "http.Redirect($WRITER, $REQUEST, $URL, ...)",
            '$WRITER.Header().Set("Location", $URL)',
            '$WRITER.Header().Add("Location", $URL)',
            "$CONTEXT.Redirect($CODE, $URL)",
        ),
    ),
    sanitizers=(
        ALLOW_LIST,
        *_host_checked("Host|Hostname|IsAbs|Scheme", *HOST_ALLOWED, *HOST_ABSENT),
        LOCAL_PATH_CHECKED,
    ),
)

SSRF = _taint(
    "ssrf",
    _weakness(
        918,
        "Server-side request to a URL taken from the request",
        "The server makes an HTTP request to a URL built from request input. An attacker can make it "
        "reach internal services or cloud metadata endpoints.",
        "Check the URL's scheme and host against an allow-list before the request, or map the input to "
        "a fixed set of endpoints.",
        f"{OWASP}/Server_Side_Request_Forgery_Prevention_Cheat_Sheet.html",
    ),
    sinks=(
        _focus(
            "$URL",
            "http.Get($URL)",
            "http.Head($URL)",
            "http.Post($URL, ...)",
            "http.PostForm($URL, ...)",
            "http.NewRequest($METHOD, $URL, ...)",
            "http.NewRequestWithContext($CONTEXT, $METHOD, $URL, ...)",
            "net.Dial($NETWORK, $URL)",
            "net.DialTimeout($NETWORK, $URL, ...)",
        ),
        _focus(
            "$URL",
            "$CLIENT.$METHOD($URL, ...)",
            regexes={"$METHOD": "^(Get|Head|Post|PostForm)$", "$CLIENT": "(?i).*client$"},
        ),
        _focus(
            "$URL",
            "($CLIENT : *http.Client).$METHOD($URL, ...)",
            regexes={"$METHOD": "^(Get|Head|Post|PostForm)$"},
        ),
    ),
    sanitizers=(ALLOW_LIST, *_host_checked("Host|Hostname", *HOST_ALLOWED)),
)


def _cookie_rule(name: str, cwe: int, field: str) -> tuple[PatternRule, ...]:
    """Return the rules for a session cookie set without one flag (net/http and Gin)."""
    weakness = _weakness(
        cwe,
        f"Session or token cookie set without the {field} flag",
        f"A cookie that carries a session, token or credential is set without {field}: true. "
        + (
            "The browser also sends it over plain HTTP, where it can be read on the network."
            if cwe == 614
            else "Script in the page can read it, so one XSS flaw steals the session."
        ),
        f"Set {field}: true (and SameSite) on the http.Cookie, or pass true for the {field.lower()} "
        "argument of Gin's SetCookie.",
        f"{OWASP}/Session_Management_Cheat_Sheet.html",
        severity="WARNING",
        confidence="MEDIUM",
    )
    literal = {
        "pattern-either": [
            {
                "patterns": [
                    {"pattern": f"http.Cookie{{..., {key}: $VALUE, ...}}"},
                    {"pattern-not": f"http.Cookie{{..., {field}: true, ...}}"},
                    # Set later on the variable that holds it.
                    {"pattern-not-inside": f"$COOKIE := &http.Cookie{{...}}\n...\n$COOKIE.{field} = true\n"},
                    {"pattern-not-inside": f"$COOKIE := http.Cookie{{...}}\n...\n$COOKIE.{field} = true\n"},
                    {"metavariable-regex": {"metavariable": "$VALUE", "regex": SECURITY_COOKIE}},
                ]
            }
            for key in ("Name", "Value")
        ]
    }
    position = 5 if cwe == 614 else 6
    arguments = ", ".join(
        "false" if index == position else ("$NAME" if index == 0 else f"$ARGUMENT{index}")
        for index in range(7)
    )
    gin = {
        "patterns": [
            {"pattern": f"$CONTEXT.SetCookie({arguments})"},
            {"metavariable-regex": {"metavariable": "$NAME", "regex": SECURITY_COOKIE}},
        ]
    }
    return (
        PatternRule(category="insecure-cookie", name=name, weakness=weakness, match=literal),
        PatternRule(category="insecure-cookie", name=f"{name}-gin", weakness=weakness, match=gin),
    )


INSECURE_COOKIE = _cookie_rule("missing-secure", 614, "Secure") + _cookie_rule(
    "missing-httponly", 1004, "HttpOnly"
)

IN_FUNCTION = (
    "func $FUNCTION_NAME(...) $RESULT { ... }",
    "func ($RECEIVER $RECEIVER_TYPE) $FUNCTION_NAME(...) $RESULT { ... }",
    "func $FUNCTION_NAME(...) { ... }",
    "func ($RECEIVER $RECEIVER_TYPE) $FUNCTION_NAME(...) { ... }",
)
INSECURE_RANDOMNESS = PatternRule(
    category="insecure-randomness",
    weakness=_weakness(
        330,
        "Predictable random value used for a secret",
        "math/rand produces a token, password, key, code or session id. Its output can be predicted "
        "from a few observed values or from the seed.",
        "Use crypto/rand (rand.Read into a byte slice, then base64.RawURLEncoding, or rand.Text in Go "
        "1.24) for every security value.",
        "https://pkg.go.dev/crypto/rand",
        severity="WARNING",
        confidence="MEDIUM",
    ),
    match={
        "patterns": [
            {
                "pattern-either": [
                    {
                        "patterns": [
                            {"pattern": "$PACKAGE.$FUNCTION(...)"},
                            {
                                "metavariable-regex": {
                                    "metavariable": "$PACKAGE",
                                    "regex": "^(rand|mrand|mathrand|mathRand|insecurerand|weakrand)$",
                                }
                            },
                            # Names that exist only in math/rand (crypto/rand has Int(reader, max) and Read).
                            {
                                "metavariable-regex": {
                                    "metavariable": "$FUNCTION",
                                    "regex": "^(Intn|Int31|Int31n|Int63|Int63n|Uint32|Uint64|Float32|Float64"
                                    "|Perm|NormFloat64|ExpFloat64|IntN|Int32N|Int64N|UintN|Uint32N|Uint64N|N)$",
                                }
                            },
                        ]
                    },
                    {"pattern": "$PACKAGE.Int()"},
                    {"pattern": "($GENERATOR : *rand.Rand).$FUNCTION(...)"},
                ]
            },
            {
                "pattern-either": [
                    {
                        "patterns": [
                            {
                                "pattern-either": [
                                    {"pattern-inside": "$TARGET := $VALUE"},
                                    {"pattern-inside": "$TARGET = $VALUE"},
                                    {"pattern-inside": "var $TARGET = $VALUE"},
                                    {"pattern-inside": "var $TARGET $TYPE = $VALUE"},
                                    {"pattern-inside": "$TARGET += $VALUE"},
                                ]
                            },
                            {"metavariable-regex": {"metavariable": "$TARGET", "regex": SENSITIVE_NAME}},
                        ]
                    },
                    {
                        "patterns": [
                            {"pattern-either": [{"pattern-inside": inside} for inside in IN_FUNCTION]},
                            {
                                "metavariable-regex": {
                                    "metavariable": "$FUNCTION_NAME",
                                    "regex": SENSITIVE_NAME,
                                }
                            },
                        ]
                    },
                ]
            },
        ]
    },
)

IN_SENSITIVE_FUNCTION: Pattern = {
    "patterns": [
        {"pattern-either": [{"pattern-inside": inside} for inside in IN_FUNCTION]},
        {"metavariable-regex": {"metavariable": "$FUNCTION_NAME", "regex": SENSITIVE_NAME}},
    ]
}
WITH_SENSITIVE_PARAMETER: Pattern = {
    "patterns": [
        {
            "pattern-either": [
                {"pattern-inside": f"func $FUNCTION_NAME(..., $PARAMETER $TYPE, ...) {result}{{ ... }}"}
                for result in ("", "$RESULT ")
            ]
        },
        {"metavariable-regex": {"metavariable": "$PARAMETER", "regex": SENSITIVE_NAME}},
    ]
}
WEAK_HASH = PatternRule(
    category="weak-hash",
    weakness=_weakness(
        328,
        "MD5 or SHA-1 used to hash a password or secret",
        "A password, token or other secret is hashed with MD5 or SHA-1, which are fast and broken. "
        "A stolen hash is cracked or forged cheaply.",
        "Hash passwords with bcrypt, scrypt or argon2 (golang.org/x/crypto) and other security values "
        "with SHA-256 or an HMAC.",
        f"{OWASP}/Password_Storage_Cheat_Sheet.html",
        severity="WARNING",
        confidence="MEDIUM",
    ),
    match={
        "pattern-either": [
            {
                "patterns": [
                    _either("md5.New()", "md5.Sum(...)", "sha1.New()", "sha1.Sum(...)", "md4.New()"),
                    {"pattern-either": [IN_SENSITIVE_FUNCTION, WITH_SENSITIVE_PARAMETER]},
                ]
            },
            # The hashed data names a secret: `md5.Sum([]byte(password))`, `hasher.Write([]byte(apiKey))`.
            {
                "patterns": [
                    {
                        "pattern-either": [
                            {"pattern": "md5.Sum(<... $DATA ...>)"},
                            {"pattern": "sha1.Sum(<... $DATA ...>)"},
                            *(
                                # Reported at the constructor, where the function-name form reports too.
                                {
                                    "patterns": [
                                        {
                                            "pattern-either": [
                                                {"pattern-inside": f"$HASH := {new}\n...\n{write}\n"}
                                                for write in (
                                                    "$HASH.Write(<... $DATA ...>)",
                                                    "io.WriteString($HASH, <... $DATA ...>)",
                                                )
                                            ]
                                        },
                                        {"pattern": new},
                                    ]
                                }
                                for new in ("md5.New()", "sha1.New()", "md4.New()")
                            ),
                        ]
                    },
                    {"metavariable-regex": {"metavariable": "$DATA", "regex": SENSITIVE_NAME}},
                ]
            },
        ]
    },
)

RULESET = RuleSet(
    directory="go",
    languages=("go",),
    sources=SOURCES,
    sanitizers=SANITIZERS,
    propagators=PROPAGATORS,
    rules=(
        SQL_INJECTION,
        COMMAND_INJECTION,
        PATH_TRAVERSAL,
        XSS,
        TEXT_TEMPLATE,
        OPEN_REDIRECT,
        SSRF,
        *INSECURE_COOKIE,
        INSECURE_RANDOMNESS,
        WEAK_HASH,
    ),
)
