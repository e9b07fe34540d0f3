"""Go rules: net/http, gorilla/mux, chi, Gin and Echo input reaching dangerous calls, and insecure shapes.

The sources are the request's accessors and fields, the routers' path parameters, the web
frameworks' context readers and bind targets, and the command line. Configuration, the environment,
database rows and constants are not sources. The hand-written hardcoded-secret, insecure-tls,
weak-cryptography, code-injection and insecure-deserialization files stay.
"""

from __future__ import annotations

from bastion.agent.engines.taint.model import Pattern, PatternRule, RuleSet
from bastion.agent.engines.taint.patterns import (
    OWASP,
    SECURITY_COOKIE,
    SENSITIVE_NAME,
    either,
    focus,
    host_checked,
    inside,
    propagator,
    regex,
    taint,
    weakness,
)

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


def _request_input(access: str, names: str) -> tuple[Pattern, ...]:
    """Return the sources for the request's methods or fields: typed, or by the request's usual names."""
    access_names = f"^({names})$"
    return (
        {"patterns": [{"pattern": f"($REQUEST : *http.Request).{access}"}, regex("$ACCESS", access_names)]},
        {
            "patterns": [
                {"pattern": f"$REQUEST.{access}"},
                regex("$REQUEST", "^(r|req|request|httpRequest)$"),
                regex("$ACCESS", access_names),
            ]
        },
    )


SOURCES: tuple[Pattern, ...] = (
    *_request_input("$ACCESS(...)", REQUEST_METHODS),
    *_request_input("$ACCESS", REQUEST_FIELDS),
    either(
        "mux.Vars(...)", "chi.URLParam(...)", "chi.URLParamFromCtx(...)", "httprouter.ParamsFromContext(...)"
    ),
    # Gin, Echo and Fiber handler input.
    {
        "patterns": [
            either(
                "($CONTEXT : *gin.Context).$METHOD(...)",
                "($CONTEXT : echo.Context).$METHOD(...)",
                "($CONTEXT : *fiber.Ctx).$METHOD(...)",
                "($PARAMETERS : httprouter.Params).ByName(...)",
            ),
            regex("$METHOD", f"^({CONTEXT_METHODS}|ByName)$"),
        ]
    },
    # A struct filled from the request by a framework's binder (a taint by side effect needs the
    # variable itself in focus, not `&variable`).
    {
        "by-side-effect": True,
        "patterns": [
            either("$CONTEXT.$BIND(&$TARGET, ...)", "$CONTEXT.$BIND($TARGET, ...)"),
            regex("$BIND", f"^({BIND_METHODS})$"),
            regex("$CONTEXT", "^(c|ctx|context|e|ginContext|echoContext)$"),
            {"focus-metavariable": "$TARGET"},
        ],
    },
    {
        "by-side-effect": True,
        "patterns": [
            either(
                "json.NewDecoder($BODY).Decode(&$TARGET)",
                "json.NewDecoder($BODY).Decode($TARGET)",
                "xml.NewDecoder($BODY).Decode(&$TARGET)",
            ),
            regex("$BODY", r"^(r|req|request)\.Body$"),
            {"focus-metavariable": "$TARGET"},
        ],
    },
    # The request body read whole and decoded: a propagator into `&target` does not apply to a
    # function call in Semgrep 1.185, so the decoded value is a source of its own.
    {
        "by-side-effect": True,
        "patterns": [
            inside(
                *(
                    f"$BODY, $ERROR {assign} {read}($REQUEST.Body)\n...\n"
                    for assign in (":=", "=")
                    for read in ("io.ReadAll", "ioutil.ReadAll")
                )
            ),
            {"pattern": "$PACKAGE.Unmarshal($BODY, &$TARGET)"},
            {"focus-metavariable": "$TARGET"},
        ],
    },
    {"pattern": "os.Args"},
)

SANITIZERS: tuple[Pattern, ...] = (
    either(
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
    propagator("$TO.WriteString($FROM)"),
    propagator("$TO.Write($FROM)"),
    propagator("fmt.Fprintf($TO, $FORMAT, ..., $FROM, ...)"),
    propagator("$TO = append($TO, ..., $FROM, ...)"),
    propagator("$TO.ReadFrom($FROM)"),
    propagator("io.Copy($TO, $FROM)"),
)

# A value checked against an allow-list (`if !allowed[host] { return }`) is one of the list's.
ALLOW_LIST: Pattern = {
    "by-side-effect": True,
    "patterns": [
        either("slices.Contains($LIST, $VALUE)", "$SET[$VALUE]", "$SET.Has($VALUE)", "$SET.Contains($VALUE)"),
        {"focus-metavariable": "$VALUE"},
    ],
}


URL_PARSES = tuple(f"$URL, $ERROR {assign} url.Parse($TEXT)" for assign in (":=", "="))


def _host_checked(fields: str, *checks: str) -> tuple[Pattern, Pattern]:
    """Return sanitisers for a URL parsed with url.Parse whose host is then checked (see host_checked)."""
    return host_checked(
        URL_PARSES, ("if <... $URL.$FIELD ...> {\n...\n}",), ("url.Parse($TEXT)",), ("$FIELD", fields), checks
    )


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

SQL_INJECTION = taint(
    "sql-injection",
    weakness(
        89,
        "SQL query built from request input",
        "Request input is inserted into the text of a SQL statement that is then executed. An attacker "
        "who controls the value can change the query.",
        "Keep the SQL text constant and pass values as arguments with placeholders, e.g. "
        'db.QueryContext(ctx, "SELECT * FROM users WHERE id = $1", id) or gorm\'s Where("id = ?", id).',
        f"{OWASP}/SQL_Injection_Prevention_Cheat_Sheet.html",
    ),
    sinks=(
        focus(
            "$QUERY",
            "$DB.$METHOD($QUERY, ...)",
            regexes={
                "$METHOD": "^(Query|QueryRow|Exec|Prepare|Queryx|QueryRowx|MustExec|Preparex|NamedExec"
                "|NamedQuery|Raw|Select|Get)$",
                "$DB": NOT_DATABASE,
            },
        ),
        focus(
            "$QUERY",
            "$DB.$METHOD($CONTEXT, $QUERY, ...)",
            regexes={
                "$METHOD": "^(QueryContext|QueryRowContext|ExecContext|PrepareContext|QueryxContext"
                "|QueryRowxContext|MustExecContext|PreparexContext|NamedExecContext|NamedQueryContext)$"
            },
        ),
        # sqlx Select/Get take the destination first.
        focus(
            "$QUERY",
            "$DB.$METHOD($DESTINATION, $QUERY, ...)",
            "$DB.$METHOD($CONTEXT, $DESTINATION, $QUERY, ...)",
            regexes={"$METHOD": "^(Select|Get|SelectContext|GetContext)$", "$DB": NOT_DATABASE},
        ),
        # gorm's clauses that take SQL text.
        focus(
            "$QUERY",
            "$DB.$METHOD($QUERY, ...)",
            regexes={
                "$METHOD": "^(Where|Or|Not|Order|Group|Having|Joins)$",
                "$DB": "(?i)^(.*\\.)?(db|gdb|gormdb|tx|conn|database|orm)$",
            },
        ),
    ),
    sanitizers=(either("pq.QuoteIdentifier(...)", "pq.QuoteLiteral(...)"),),
)

SHELL = r'^"(/usr)?(/bin/)?(sh|bash|zsh|dash|ksh|cmd|cmd\.exe|powershell|pwsh)"$'
COMMAND_INJECTION = taint(
    "command-injection",
    weakness(
        78,
        "OS command built from request input",
        "Request input reaches the program name or the shell command line of a process the server "
        "starts. An attacker who controls it can run commands of their choice.",
        'Run a fixed program with the input as a separate argument (exec.Command("grep", "--", input)) '
        "and never through `sh -c`; check the input against an allow-list first.",
        f"{OWASP}/OS_Command_Injection_Defense_Cheat_Sheet.html",
    ),
    sinks=(
        focus(
            "$PROGRAM",
            "exec.Command($PROGRAM, ...)",
            "exec.CommandContext($CONTEXT, $PROGRAM, ...)",
            "syscall.Exec($PROGRAM, ...)",
            "os.StartProcess($PROGRAM, ...)",
        ),
        # A shell's command line: `sh -c <text>`.
        focus(
            "$COMMAND",
            "exec.Command($SHELL, $FLAG, $COMMAND, ...)",
            "exec.CommandContext($CONTEXT, $SHELL, $FLAG, $COMMAND, ...)",
            regexes={"$SHELL": SHELL, "$FLAG": r'^"(-c|/c|/C|-Command)"$'},
        ),
    ),
    sanitizers=(ALLOW_LIST, either("shellescape.Quote(...)")),
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
PATH_TRAVERSAL = taint(
    "path-traversal",
    weakness(
        22,
        "File path built from request input",
        "Request input is used as a file path or part of one without confining it to a base "
        "directory. An attacker can use `../` or an absolute path to read or write other files.",
        "Keep only the file name (filepath.Base), or join it to the base directory and refuse results "
        "that do not strings.HasPrefix the base; os.Root (Go 1.24) confines every access.",
        f"{OWASP}/File_Upload_Cheat_Sheet.html",
    ),
    sinks=(
        focus(
            "$FILE",
            "os.$METHOD($FILE, ...)",
            "ioutil.$METHOD($FILE, ...)",
            regexes={
                "$METHOD": "^(Open|OpenFile|ReadFile|WriteFile|Create|Remove|RemoveAll|Mkdir|MkdirAll|ReadDir"
                "|Truncate|Chmod|Chown|Lstat|Stat|Readlink|DirFS)$"
            },
        ),
        focus("$FILE", "os.Rename($FILE, ...)", "os.Rename($OLD, $FILE)", "os.Symlink($OLD, $FILE)"),
        {
            "patterns": [
                {"pattern": "http.ServeFile($WRITER, $REQUEST, $FILE)"},
                # ServeFile itself refuses a request whose URL path has a `..` element.
                {"pattern-not": "http.ServeFile($WRITER, $REQUEST, <... $REQUEST.URL.Path ...>)"},
                {"focus-metavariable": "$FILE"},
            ]
        },
        focus(
            "$FILE",
            "$CONTEXT.File($FILE)",
            "$CONTEXT.Attachment($FILE, ...)",
        ),
        focus("$FILE", "$CONTEXT.FileAttachment($FILE, ...)", "$CONTEXT.SaveUploadedFile($UPLOAD, $FILE)"),
    ),
    sanitizers=(
        # Cleaning a path made absolute drops every `..`: filepath.Clean("/" + name) stays under "/".
        either(
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
                either('strings.Contains($PATH, "..")', "filepath.IsLocal($PATH)", "filepath.IsAbs($PATH)"),
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
XSS = taint(
    "xss",
    weakness(
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
                                either(
                                    "fmt.Fprintf($WRITER, $BODY, ...)",
                                    "fmt.Fprintf($WRITER, $FORMAT, ..., $BODY, ...)",
                                    "fmt.Fprint($WRITER, ..., $BODY, ...)",
                                    "fmt.Fprintln($WRITER, ..., $BODY, ...)",
                                    "io.WriteString($WRITER, $BODY)",
                                    "$WRITER.Write($BODY)",
                                    "$WRITER.WriteString($BODY)",
                                ),
                                inside(*IN_HANDLER),
                            ]
                        },
                        either("$CONTEXT.Writer.Write($BODY)", "$CONTEXT.Writer.WriteString($BODY)"),
                        {
                            "patterns": [
                                {"pattern": "$CONTEXT.Data($CODE, $TYPE, $BODY)"},
                                regex("$TYPE", "(?i).*html"),
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
        focus(
            "$VALUE", "template.$TYPE($VALUE)", regexes={"$TYPE": "^(HTML|HTMLAttr|JS|JSStr|URL|CSS|Srcset)$"}
        ),
    ),
    sanitizers=(
        either(
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
    weakness=weakness(
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
            either(
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
            "http.Get($URL)",
            "http.Head($URL)",
            "http.Post($URL, ...)",
            "http.PostForm($URL, ...)",
            "http.NewRequest($METHOD, $URL, ...)",
            "http.NewRequestWithContext($CONTEXT, $METHOD, $URL, ...)",
            "net.Dial($NETWORK, $URL)",
            "net.DialTimeout($NETWORK, $URL, ...)",
        ),
        focus(
            "$URL",
            "$CLIENT.$METHOD($URL, ...)",
            regexes={"$METHOD": "^(Get|Head|Post|PostForm)$", "$CLIENT": "(?i).*client$"},
        ),
        focus(
            "$URL",
            "($CLIENT : *http.Client).$METHOD($URL, ...)",
            regexes={"$METHOD": "^(Get|Head|Post|PostForm)$"},
        ),
    ),
    sanitizers=(ALLOW_LIST, *_host_checked("Host|Hostname", *HOST_ALLOWED)),
)


def _cookie_rule(name: str, cwe: int, field: str) -> tuple[PatternRule, ...]:
    """Return the rules for a session cookie set without one flag (net/http and Gin)."""
    cookie_weakness = weakness(
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
                    regex("$VALUE", SECURITY_COOKIE),
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
            regex("$NAME", SECURITY_COOKIE),
        ]
    }
    return (
        PatternRule(category="insecure-cookie", name=name, weakness=cookie_weakness, match=literal),
        PatternRule(category="insecure-cookie", name=f"{name}-gin", weakness=cookie_weakness, match=gin),
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
    weakness=weakness(
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
                            regex("$PACKAGE", "^(rand|mrand|mathrand|mathRand|insecurerand|weakrand)$"),
                            # Names that exist only in math/rand (crypto/rand has Int(reader, max) and Read).
                            regex(
                                "$FUNCTION",
                                "^(Intn|Int31|Int31n|Int63|Int63n|Uint32|Uint64|Float32|Float64"
                                "|Perm|NormFloat64|ExpFloat64|IntN|Int32N|Int64N|UintN|Uint32N|Uint64N|N)$",
                            ),
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
                            inside(
                                "$TARGET := $VALUE",
                                "$TARGET = $VALUE",
                                "var $TARGET = $VALUE",
                                "var $TARGET $TYPE = $VALUE",
                                "$TARGET += $VALUE",
                            ),
                            regex("$TARGET", SENSITIVE_NAME),
                        ]
                    },
                    {
                        "patterns": [
                            inside(*IN_FUNCTION),
                            regex("$FUNCTION_NAME", SENSITIVE_NAME),
                        ]
                    },
                ]
            },
        ]
    },
)

IN_SENSITIVE_FUNCTION: Pattern = {
    "patterns": [
        inside(*IN_FUNCTION),
        regex("$FUNCTION_NAME", SENSITIVE_NAME),
    ]
}
WITH_SENSITIVE_PARAMETER: Pattern = {
    "patterns": [
        inside(
            *(
                f"func $FUNCTION_NAME(..., $PARAMETER $TYPE, ...) {result}{{ ... }}"
                for result in ("", "$RESULT ")
            )
        ),
        regex("$PARAMETER", SENSITIVE_NAME),
    ]
}
WEAK_HASH = PatternRule(
    category="weak-hash",
    weakness=weakness(
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
                    either("md5.New()", "md5.Sum(...)", "sha1.New()", "sha1.Sum(...)", "md4.New()"),
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
                                        inside(
                                            *(
                                                f"$HASH := {new}\n...\n{write}\n"
                                                for write in (
                                                    "$HASH.Write(<... $DATA ...>)",
                                                    "io.WriteString($HASH, <... $DATA ...>)",
                                                )
                                            )
                                        ),
                                        {"pattern": new},
                                    ]
                                }
                                for new in ("md5.New()", "sha1.New()", "md4.New()")
                            ),
                        ]
                    },
                    regex("$DATA", SENSITIVE_NAME),
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
