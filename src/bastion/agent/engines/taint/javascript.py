"""JavaScript and TypeScript rules: where the user's data enters Node and browser code and where it must not.

The sources are the request objects of Express, Koa, Fastify, Hono, Next.js and AWS Lambda, the
parameters NestJS binds from the request (``@Query``, ``@Body``, ``@Param``…), the browser's URL,
referrer, cookie, window name and ``postMessage`` data, and the command line. Configuration, the
environment and database rows are not sources: a value that cannot be the user's makes no finding.
"""

from __future__ import annotations

from bastion.agent.engines.taint.model import (
    Pattern,
    PatternRule,
    Rule,
    RuleSet,
    TaintRule,
)
from bastion.agent.engines.taint.patterns import (
    OWASP,
    SAFE_VALUE_OPTIONS,
    checked,
    either,
    focus,
    inside,
    propagator,
    regex,
    weakness,
)

REQUEST_OBJECTS = r"^(req|request|ctx|ctx\.request|ctx\.req|context\.request|c\.req)$"
REQUEST_PROPERTIES = (
    "^(query|body|params|cookies|signedCookies|headers|files|file|url|originalUrl|path|hostname|rawBody"
    "|querystring|search|href)$"
)
REQUEST_METHODS = r"^(get|header|param|query|queries|cookie|json|formData|text|parseBody)$"
NEST_DECORATORS = "^(Query|Body|Param|Params|Headers|Req|Request|Cookies|UploadedFile|UploadedFiles)$"
LAMBDA_PROPERTIES = (
    "^(body|queryStringParameters|multiValueQueryStringParameters|pathParameters|headers"
    "|rawPath|rawQueryString)$"
)
# Handlers of `message` events: what another window posted.
MESSAGE_HANDLERS = (
    '$TARGET.addEventListener("message", function ($EVENT) { ... })',
    '$TARGET.addEventListener("message", ($EVENT) => { ... })',
    '$TARGET.addEventListener("message", async ($EVENT) => { ... })',
    "$TARGET.onmessage = function ($EVENT) { ... }",
    "$TARGET.onmessage = ($EVENT) => { ... }",
)

SOURCES: tuple[Pattern, ...] = (
    {
        "patterns": [
            {"pattern": "$REQUEST.$PROPERTY"},
            regex("$REQUEST", REQUEST_OBJECTS),
            regex("$PROPERTY", REQUEST_PROPERTIES),
        ]
    },
    # req.get("X-Name"), req.param("id"), ctx.get(...), Hono's c.req.query("q"), await request.json().
    {
        "patterns": [
            {"pattern": "$REQUEST.$METHOD(...)"},
            regex("$REQUEST", REQUEST_OBJECTS),
            regex("$METHOD", REQUEST_METHODS),
            # The `request` HTTP client library is called like a request object: request.get(url).
            {"pattern-not": "request.get(...)"},
        ]
    },
    # TypeScript loses the taint of a destructured cast: const { name } = request.query as Query;
    {
        "patterns": [
            inside(
                "const {..., $NAME, ...} = $REQUEST.$PROPERTY as $TYPE;\n...",
                "let {..., $NAME, ...} = $REQUEST.$PROPERTY as $TYPE;\n...",
            ),
            {"pattern": "$NAME"},
            regex("$REQUEST", REQUEST_OBJECTS),
            regex("$PROPERTY", REQUEST_PROPERTIES),
        ]
    },
    # NestJS handler parameters bound from the request.
    {
        "patterns": [
            inside(
                "$METHOD(..., @$DECORATOR(...) $PARAMETER, ...) { ... }",
                "$METHOD(..., @$DECORATOR(...) $PARAMETER: $TYPE, ...) { ... }",
            ),
            regex("$DECORATOR", NEST_DECORATORS),
            {"focus-metavariable": "$PARAMETER"},
        ]
    },
    # AWS Lambda behind API Gateway.
    {
        "patterns": [
            {"pattern": "event.$PROPERTY"},
            regex("$PROPERTY", LAMBDA_PROPERTIES),
        ]
    },
    # Next.js and the URL API: searchParams.get("q"), useSearchParams(), useRouter().query.
    {
        "patterns": [
            {"pattern": "$PARAMETERS.$METHOD(...)"},
            regex("$PARAMETERS", r"(?i)^(.*\.)?searchParams$"),
            regex("$METHOD", "^(get|getAll)$"),
        ]
    },
    {"pattern": "searchParams.$NAME"},
    {"pattern": "useSearchParams()"},
    {"pattern": "useParams()"},
    {"pattern": "useRouter().query"},
    # next/headers: cookies().get("name"), headers().get("x-name").
    {"pattern": "cookies().get(...)"},
    {"pattern": "headers().get(...)"},
    {"pattern": "router.query"},
    # The browser: the URL, the referrer, the cookie, the window name, messages from other windows.
    {
        "patterns": [
            either("location.$PROPERTY", "window.location.$PROPERTY", "document.location.$PROPERTY"),
            regex("$PROPERTY", "^(href|search|hash|pathname)$"),
        ]
    },
    {"pattern": "document.URL"},
    {"pattern": "document.documentURI"},
    {"pattern": "document.referrer"},
    {"pattern": "document.cookie"},
    {"pattern": "window.name"},
    {
        "patterns": [
            inside(*MESSAGE_HANDLERS),
            {"pattern": "$EVENT.data"},
        ]
    },
    {"pattern": "process.argv"},
)


def _guard(pattern: str) -> Pattern:
    """Return a check that clears its argument ``$VALUE`` from then on (an allow-list or format test)."""
    # A parsed URL's host is checked by HOST_GUARD, which clears the whole URL: Semgrep applies one
    # sanitiser to a call, so this one must leave those calls alone.
    return checked(focus("$VALUE", pattern, regexes={"$VALUE": r"^(?!.*\.(hostname|host|origin)$)"}))


# A value chosen from a constant table (OPERATIONS[name], COLUMNS.get(sort)) is one of the code's own.
CONSTANT_TABLE = "^[A-Z][A-Z0-9_]*$"
# `4 * 4 > 10 ? "/home" : next` is decided by its literals: Semgrep evaluates the test, and a literal
# branch that is always taken makes the value constant.
DECIDED_TERNARIES: tuple[Pattern, ...] = tuple(
    {
        "patterns": [
            {"pattern": "$TEST ? $WHEN_TRUE : $WHEN_FALSE"},
            regex("$TEST", r"^[\d\s+\-*/%<>=!&|().]+$"),
            {"metavariable-comparison": {"metavariable": "$TEST", "comparison": comparison}},
            regex(taken, r"^([\"'`][^$]*[\"'`]|\d+|null|undefined)$"),
        ]
    }
    for comparison, taken in (("$TEST", "$WHEN_TRUE"), ("not $TEST", "$WHEN_FALSE"))
)

SANITIZERS_SHARED: tuple[Pattern, ...] = (
    {
        "patterns": [
            either("$TABLE[$KEY]", "$TABLE.get($KEY)"),
            regex("$TABLE", CONSTANT_TABLE),
        ]
    },
    *DECIDED_TERNARIES,
)


SANITIZERS: tuple[Pattern, ...] = (
    either(
        "parseInt(...)",
        "parseFloat(...)",
        "Number(...)",
        "Number.parseInt(...)",
        "Number.parseFloat(...)",
        "Boolean(...)",
        "Math.$FUNCTION(...)",
        "$VALUE.length",
        "typeof $VALUE",
        "uuid.validate(...)",
        "$CRYPTO.createHash(...).update(...).digest(...)",
    ),
    # Membership in an allow-list, a format test, a validator: if (!ALLOWED.includes(name)) return ...
    _guard("$ALLOWED.includes($VALUE)"),
    _guard("$ALLOWED.has($VALUE)"),
    _guard("$PATTERN.test($VALUE)"),
    _guard("Number.isInteger($VALUE)"),
    _guard("Number.isSafeInteger($VALUE)"),
    _guard("validator.$CHECK($VALUE, ...)"),
    _guard("uuidValidate($VALUE)"),
    _guard("isUUID($VALUE)"),
    *SANITIZERS_SHARED,
)


def _helpers(body: str) -> list[Pattern]:
    """Return where a function of this file whose body is ``body`` (about its parameter ``$P``) is in scope.

    Semgrep follows no call, so a helper defined earlier in the same file (a function, an arrow
    function, a class's method) is recognised by what its body does with its parameter. A helper
    defined after its use is not: that search (`...` before the definition) triples the scan time.
    """
    function = f"function $HELPER(..., $P, ...) {{\n...\n{body}\n...\n}}"
    method = f"$HELPER(..., $P, ...) {{\n...\n{body}\n...\n}}"
    return [
        {"pattern-inside": f"{function}\n..."},
        {"pattern-inside": f"const $HELPER = (..., $P, ...) => {{\n...\n{body}\n...\n}}\n..."},
        {"pattern-inside": f"class $CLASS {{\n...\n{method}\n...\n}}\n..."},
    ]


# A function here that reads the page's URL returns the user's data: readState() { ... location.search }
BROWSER_READS = tuple(
    f"{owner}{part}"
    for owner in ("window.location.", "location.", "document.location.")
    for part in ("search", "hash", "href")
) + ("document.URL", "document.referrer")
READING_HELPERS: Pattern = {
    "patterns": [
        inside(
            *(
                f"{definition} {{\n...\n{read};\n...\n}}\n..."
                for read in BROWSER_READS
                for definition in ("function $READER(...)", "const $READER = (...) =>")
            )
        ),
        {"pattern": "$READER(...)"},
    ]
}

HELPER_CALLS: Pattern = either("$HELPER(...)", "$OBJECT.$HELPER(...)")


def _checking_helpers(*checks: str, regexes: dict[str, str] | None = None) -> tuple[Pattern, ...]:
    """Return sanitisers for a call to a helper of this file that runs one of ``checks``.

    The helper's result is clean (``safeReturnPath(next)``), and so is its argument once the helper
    has been asked about it (``if (!isLocalPath(next)) return ...``).
    """
    helpers: list[Pattern] = [
        {
            "pattern-either": [
                helper
                for check in checks
                # Semgrep finds a call in any statement but an `if`'s test.
                for body in (f"{check};", f"if (<... {check} ...>) {{\n...\n}}")
                for helper in _helpers(body)
            ]
        },
        *[regex(name, expression) for name, expression in (regexes or {}).items()],
    ]
    return (
        # Asked in a test (`if (!isLocalPath(next))`), the call must be left to the next sanitiser, which
        # clears the argument: Semgrep applies only one sanitiser to a call.
        {
            "patterns": [
                *helpers,
                HELPER_CALLS,
                {"pattern-not-inside": "!$HELPER(...)"},
                {"pattern-not-inside": "!$OBJECT.$HELPER(...)"},
            ]
        },
        {
            "patterns": [
                *helpers,
                either("$HELPER($VALUE)", "$OBJECT.$HELPER($VALUE)"),
                {"focus-metavariable": "$VALUE"},
            ],
            "by-side-effect": True,
        },
    )


# Calls that clean a value on its way to a sink inside a helper: the helper then passes nothing raw.
CLEANING_CALLS = ("parseInt(...)", "parseFloat(...)", "Number(...)", "escape(...)", "$LIBRARY.escape(...)")
HTML_CLEANING_CALLS = (
    "escapeHtml(...)",
    "$LIBRARY.escapeHtml(...)",
    "encode(...)",
    "$LIBRARY.encode(...)",
    "$LIBRARY.sanitize(...)",
    "sanitizeHtml(...)",
    "encodeURIComponent(...)",
    "xss(...)",
)


def _wrapping_helpers(
    *sinks: str, regexes: dict[str, str] | None = None, cleaners: tuple[str, ...] = CLEANING_CALLS
) -> Pattern:
    """Return a sink for the arguments of a helper of this file that passes its parameter to ``sinks``.

    Each sink is a call written with ``ARGUMENT`` where the parameter goes; the parameter may reach it
    directly or through one local variable (``const query = "..." + name; db.all(query)``), and not
    only through one of ``cleaners`` (``el.innerHTML = `<b>${escapeHtml(name)}</b>` `` is safe).
    """
    bodies = [sink.replace("ARGUMENT", "$SUNK") + ";" for sink in sinks] + [
        "$LOCAL = $SUNK;\n...\n" + sink.replace("ARGUMENT", "<... $LOCAL ...>") + ";" for sink in sinks
    ]
    return {
        "patterns": [
            {"pattern-either": [helper for body in bodies for helper in _helpers(body)]},
            *[regex(name, expression) for name, expression in (regexes or {}).items()],
            {
                "metavariable-pattern": {
                    "metavariable": "$SUNK",
                    "patterns": [
                        {"pattern": "$P"},
                        *[{"pattern-not-inside": cleaner} for cleaner in cleaners],
                    ],
                }
            },
            either("$HELPER(..., $ARGUMENT, ...)", "$OBJECT.$HELPER(..., $ARGUMENT, ...)"),
            {"focus-metavariable": "$ARGUMENT"},
        ]
    }


PROPAGATORS: tuple[Pattern, ...] = (
    propagator("$TO.push($FROM)"),
    propagator("$TO.unshift($FROM)"),
    propagator("$TO.set($KEY, $FROM)"),
    propagator("$TO.append($KEY, $FROM)"),
    propagator("Object.assign($TO, ..., $FROM, ...)"),
    propagator("$TO.write($FROM)"),
)

SQL_RECEIVERS = (
    r"(?i)^(.*[._])?(db|database|conn|connection|client|pool|sql|sqlite|sqlite3|pg|mysql|mysql2|knex|sequelize"
    r"|prisma|tx|trx|transaction|datasource|em|entitymanager|manager|repository|queryrunner|adapter)$"
)
# The same receivers, matched inside a call's text (no anchor, no inline flag).
SQL_RECEIVER_TEXT = (
    r"(.*[._])?([Dd]b|DB|[Dd]atabase|conn|connection|client|pool|sql|sqlite|pg|mysql|knex|sequelize|prisma"
    r"|tx|trx|transaction|dataSource|em|entityManager|manager|repository|queryRunner)"
)
RAW_SQL_METHODS = (
    r"^(raw|whereRaw|orWhereRaw|andWhereRaw|havingRaw|orHavingRaw|orderByRaw|groupByRaw|joinRaw|fromRaw|selectRaw"
    r"|\$queryRawUnsafe|\$executeRawUnsafe|literal)$"
)
QUERY_BUILDER_CONDITIONS = (
    "^(where|andWhere|orWhere|having|andHaving|orHaving|orderBy|addOrderBy|groupBy|select)$"
)


SQL_INJECTION = TaintRule(
    category="sql-injection",
    weakness=weakness(
        89,
        "SQL query built from request input",
        "Request input is written into the text of a SQL statement that is then run, so the user can change "
        "the query.",
        'Keep the SQL text constant and pass values as bound parameters: db.query("SELECT * FROM users WHERE '
        'id = $1", [id]), or knex.where({ id }).',
        f"{OWASP}/SQL_Injection_Prevention_Cheat_Sheet.html",
    ),
    sinks=(
        focus(
            "$QUERY",
            "$DB.$METHOD($QUERY, ...)",
            "$DB.$METHOD({..., sql: $QUERY, ...}, ...)",
            "$DB.$METHOD({..., text: $QUERY, ...}, ...)",
            regexes={"$METHOD": "^(query|execute|exec|prepare|raw|unsafe)$", "$DB": SQL_RECEIVERS},
        ),
        # sqlite3's db.get/all/each/run (a Redis or HTTP client's get takes a key or a URL, not SQL).
        focus(
            "$QUERY",
            "$DB.$METHOD($QUERY, ...)",
            regexes={
                "$METHOD": "^(run|all|get|each)$",
                "$DB": r"(?i)^(.*[._])?(db|database|sqlite|sqlite3)$",
            },
        ),
        focus("$QUERY", "$BUILDER.$RAW($QUERY, ...)", regexes={"$RAW": RAW_SQL_METHODS}),
        # TypeORM's builder takes SQL text: .where(`name = '${name}'`) (parameters are its second argument).
        {
            "patterns": [
                {"pattern": "$BUILDER.$CONDITION($QUERY, ...)"},
                regex("$CONDITION", QUERY_BUILDER_CONDITIONS),
                {
                    "metavariable-pattern": {
                        "metavariable": "$QUERY",
                        "pattern-either": [{"pattern": "$LEFT + $RIGHT"}, {"pattern": "`...${$VALUE}...`"}],
                    }
                },
                {"focus-metavariable": "$QUERY"},
            ]
        },
        # `await db.query<Row>(sql)` is parsed as a call of `await db.query`: its name is matched as text.
        focus(
            "$QUERY",
            "$CALLEE($QUERY, ...)",
            regexes={
                "$CALLEE": r"^await\s+" + SQL_RECEIVER_TEXT + r"\.(query|execute|all|get|run|raw|unsafe)$"
            },
        ),
        _wrapping_helpers(
            "$DB.$METHOD(ARGUMENT, ...)",
            regexes={"$METHOD": "^(query|execute|exec|raw|unsafe|run|all|get|each)$", "$DB": SQL_RECEIVERS},
        ),
    ),
    sanitizers=(
        {
            "patterns": [
                {"pattern": "$ESCAPE(...)"},
                regex(
                    "$ESCAPE",
                    r"^(.*\.)?(escape|escapeId|escapeLiteral|escapeIdentifier|pgFormat"
                    r"|quoteIdent|quoteLiteral)$",
                ),
            ]
        },
    ),
    options=SAFE_VALUE_OPTIONS,
)

CHILD_PROCESS = (
    r"^(child_process|childProcess|cp|child|shell|shelljs|require\([\"'](node:)?child_process[\"']\))$"
)
SPAWNERS = r"^(.*\.)?(spawn|spawnSync|execFile|execFileSync|fork)$"
SHELLS = r"^[\"'`](/bin/|/usr/bin/)?(sh|bash|zsh|dash|cmd|cmd\.exe|powershell|pwsh)[\"'`]$"

COMMAND_INJECTION = TaintRule(
    category="command-injection",
    weakness=weakness(
        78,
        "Shell command built from request input",
        "Request input reaches a command line run through a shell, or names the program to run, so the user "
        "can run commands of their choice.",
        "Run a fixed program without a shell and pass the input as one argument: "
        'execFile("ping", ["-c", "1", host]); never build a command string.',
        f"{OWASP}/OS_Command_Injection_Defense_Cheat_Sheet.html",
    ),
    sinks=(
        focus(
            "$COMMAND",
            "child_process.exec($COMMAND, ...)",
            "child_process.execSync($COMMAND, ...)",
            "exec($COMMAND, ...)",
            "execSync($COMMAND, ...)",
            "execa.command($COMMAND, ...)",
            "execaCommand($COMMAND, ...)",
            "execaCommandSync($COMMAND, ...)",
        ),
        focus(
            "$COMMAND",
            "$CHILD.exec($COMMAND, ...)",
            "$CHILD.execSync($COMMAND, ...)",
            regexes={"$CHILD": CHILD_PROCESS},
        ),
        # The program itself, or a command line given to a shell:
        # spawn(cmd, { shell: true }), spawn("sh", ["-c", cmd]).
        focus("$COMMAND", "$SPAWN($COMMAND, ...)", regexes={"$SPAWN": SPAWNERS}),
        focus(
            "$ARGUMENT",
            "$SPAWN($SHELL, [$FLAG, ..., $ARGUMENT, ...], ...)",
            regexes={"$SPAWN": SPAWNERS, "$SHELL": SHELLS, "$FLAG": "^[\"'`](-c|/c|-Command)[\"'`]$"},
        ),
        focus(
            "$ARGUMENT",
            "$SPAWN($PROGRAM, [..., $ARGUMENT, ...], {..., shell: true, ...})",
            regexes={"$SPAWN": SPAWNERS},
        ),
        # const run = promisify(exec); await run(`whois ${domain}`).
        {
            "patterns": [
                inside(
                    *(
                        f"const $RUN = {promisify}($EXEC);\n..."
                        for promisify in ("promisify", "util.promisify")
                    )
                ),
                regex("$EXEC", r"^(.*\.)?(exec|execSync)$"),
                {"pattern": "$RUN($COMMAND, ...)"},
                {"focus-metavariable": "$COMMAND"},
            ]
        },
        _wrapping_helpers(
            "exec(ARGUMENT, ...)",
            "execSync(ARGUMENT, ...)",
            "child_process.exec(ARGUMENT, ...)",
            "child_process.execSync(ARGUMENT, ...)",
            "childProcess.exec(ARGUMENT, ...)",
            "childProcess.execSync(ARGUMENT, ...)",
        ),
    ),
    sanitizers=(
        {
            "patterns": [
                {"pattern": "$QUOTE(...)"},
                regex("$QUOTE", r"(?i)^(.*\.)?(shell_?escape|shell_?quote|quote|escape_?shell_?arg)$"),
            ]
        },
    ),
    options=SAFE_VALUE_OPTIONS,
)

TEMPLATE_ENGINES = r"^(ejs|pug|jade|nunjucks|handlebars|Handlebars|mustache|Mustache|_|lodash|doT|dot|swig)$"
CODE_INJECTION = TaintRule(
    category="code-injection",
    weakness=weakness(
        95,
        "Request input evaluated as JavaScript",
        "Request input reaches eval, new Function, the vm module, a string given to setTimeout/setInterval, "
        "or a dynamic require, so the user runs code in the process.",
        "Never evaluate input: parse data with JSON.parse, look actions up in an object of allowed handlers, "
        "and pass functions, not strings, to timers.",
        "https://owasp.org/www-community/attacks/Code_Injection",
    ),
    sinks=(
        focus(
            "$CODE",
            "eval($CODE)",
            "window.eval($CODE)",
            "globalThis.eval($CODE)",
            "new Function(..., $CODE)",
            "Function(..., $CODE)",
            "vm.runInThisContext($CODE, ...)",
            "vm.runInNewContext($CODE, ...)",
            "vm.runInContext($CODE, ...)",
            "new vm.Script($CODE, ...)",
            "vm.compileFunction($CODE, ...)",
            "setTimeout($CODE, ...)",
            "setInterval($CODE, ...)",
            "window.setTimeout($CODE, ...)",
            "window.setInterval($CODE, ...)",
            "require($CODE)",
        ),
        # A template's text is code too (server-side template injection): ejs.render(req.body.template).
        focus(
            "$CODE",
            "$ENGINE.render($CODE, ...)",
            "$ENGINE.compile($CODE, ...)",
            "$ENGINE.renderString($CODE, ...)",
            "$ENGINE.template($CODE, ...)",
            regexes={"$ENGINE": TEMPLATE_ENGINES},
        ),
        _wrapping_helpers(
            "eval(ARGUMENT)",
            "new Function(..., ARGUMENT)",
            "vm.runInThisContext(ARGUMENT, ...)",
            "vm.runInNewContext(ARGUMENT, ...)",
            "vm.runInContext(ARGUMENT, ...)",
            "new vm.Script(ARGUMENT, ...)",
        ),
    ),
    options=SAFE_VALUE_OPTIONS,
)

FILE_SYSTEM = (
    r"^(fs|fsp|fsPromises|fse|fsExtra|fs\.promises|promises|require\([\"'](node:)?fs(/promises)?[\"']\))$"
)
FILE_FUNCTIONS = (
    "^(readFile|readFileSync|writeFile|writeFileSync|appendFile|appendFileSync|createReadStream|createWriteStream"
    "|open|openSync|unlink|unlinkSync|rm|rmSync|rmdir|rmdirSync|readdir|readdirSync|stat|statSync|lstat|access"
    "|mkdir|mkdirSync|copyFile|copyFileSync|rename|renameSync|readJson|readJsonSync|outputFile|remove|pathExists"
    "|truncate|symlink|chmod)$"
)

# The file functions whose names say what they are when called bare (not open, stat or remove).
IMPORTED_FILE_FUNCTIONS = (
    "^(readFile|readFileSync|writeFile|writeFileSync|appendFile|appendFileSync|createReadStream"
    "|createWriteStream|unlink|unlinkSync|readdir|readdirSync|rmSync|copyFile|readJson|readJsonSync|outputFile"
    "|pathExists|sendFile)$"
)

PATH_TRAVERSAL = TaintRule(
    category="path-traversal",
    weakness=weakness(
        22,
        "File path built from request input",
        "Request input reaches a file path that is opened, written, deleted or sent without being kept "
        "inside a base directory, so ../ sequences reach any file.",
        "Keep only the file name (path.basename) or resolve the path and check it starts with the base "
        'directory; with res.sendFile pass { root: "uploads" }.',
        f"{OWASP}/File_Upload_Cheat_Sheet.html",
    ),
    sinks=(
        focus(
            "$PATH", "$FS.$FUNCTION($PATH, ...)", regexes={"$FS": FILE_SYSTEM, "$FUNCTION": FILE_FUNCTIONS}
        ),
        focus(
            "$PATH",
            "$FS.$FUNCTION($FROM, $PATH, ...)",
            regexes={
                "$FS": FILE_SYSTEM,
                "$FUNCTION": "^(copyFile|copyFileSync|rename|renameSync|copy|move|symlink)$",
            },
        ),
        # Imported from fs/promises or fs-extra: import { readFile } from "fs/promises".
        focus("$PATH", "$FUNCTION($PATH, ...)", regexes={"$FUNCTION": IMPORTED_FILE_FUNCTIONS}),
        # res.sendFile / res.download without a root directory (with `root`, send refuses ../).
        {
            "patterns": [
                either(
                    "$RESPONSE.sendFile($PATH, ...)",
                    "$RESPONSE.download($PATH, ...)",
                    "$RESPONSE.attachment($PATH)",
                ),
                {"pattern-not": "$RESPONSE.$SEND($PATH, {..., root: $ROOT, ...}, ...)"},
                {"focus-metavariable": "$PATH"},
            ]
        },
    ),
    sanitizers=(
        {
            "pattern-either": [
                {"pattern": "path.basename(...)"},
                {"pattern": "basename(...)"},
                {"pattern": "sanitizeFilename(...)"},
                {"pattern": "sanitize(...)"},
                # Normalised, then stripped of leading ../: path.normalize(name).replace(/^(\.\.[/\\])+/, "")
                {"pattern": "path.normalize(...).replace(...)"},
            ]
        },
        # if (!full.startsWith(root)) return ...; a resolved path checked against its base directory.
        _guard("$VALUE.startsWith(...)"),
        _guard('$VALUE.includes("..")'),
        _guard('$VALUE.indexOf("..")'),
        # A helper of this file that keeps the name only or checks the resolved path's base directory.
        *_checking_helpers("path.basename(...)", "basename(...)", "$FULL.startsWith(...)"),
    ),
    options=SAFE_VALUE_OPTIONS,
)

ESCAPERS = r"(?i)^(?!(.*\.)?unescape)(.*\.)?\w*(escape|sanitiz|purify|encode|xss)\w*$"
NOT_HTML = '"=~/json|plain|csv|xml/"'
RESPONSES = r"^(res|response|reply|ctx\.res)(\.status\(.*\))?$"
XSS = TaintRule(
    category="xss",
    weakness=weakness(
        79,
        "Request input written into a page as HTML",
        "Request or URL input is written into HTML (a response body, innerHTML, document.write, jQuery "
        ".html(), dangerouslySetInnerHTML) without escaping, so markup in it runs as script.",
        "Render through an escaping template or set element.textContent; if HTML is needed, escape each "
        "value (escape-html, he.encode) or clean it with DOMPurify.sanitize.",
        f"{OWASP}/Cross_Site_Scripting_Prevention_Cheat_Sheet.html",
    ),
    sinks=(
        # Express, Fastify and Node send strings as text/html unless told otherwise.
        {
            "patterns": [
                either("$RESPONSE.send($HTML)", "$RESPONSE.write($HTML, ...)", "$RESPONSE.end($HTML, ...)"),
                regex("$RESPONSE", RESPONSES),
                {"pattern-not": "$RESPONSE.$SEND({...}, ...)"},
                {"pattern-not": "$RESPONSE.$SEND([...], ...)"},
                # Sent as JSON or plain text.
                {"pattern-not-inside": f"$RESPONSE.type({NOT_HTML});\n..."},
                {"pattern-not-inside": f'$RESPONSE.$SET("=~/(?i)^content-type$/", {NOT_HTML});\n...'},
                {"focus-metavariable": "$HTML"},
            ]
        },
        {
            "patterns": [
                {"pattern": "ctx.body = $HTML"},
                {"pattern-not": "ctx.body = {...}"},
                {"pattern-not": "ctx.body = [...]"},
                {"focus-metavariable": "$HTML"},
            ]
        },
        # The DOM and jQuery.
        focus(
            "$HTML",
            "$ELEMENT.innerHTML = $HTML",
            "$ELEMENT.innerHTML += $HTML",
            "$ELEMENT.outerHTML = $HTML",
            "$ELEMENT.insertAdjacentHTML($WHERE, $HTML)",
            "document.write(..., $HTML, ...)",
            "document.writeln(..., $HTML, ...)",
            "$RANGE.createContextualFragment($HTML)",
            "$ELEMENT.html($HTML)",
            "$ELEMENT.append($HTML)",
            "$ELEMENT.prepend($HTML)",
            "$ELEMENT.after($HTML)",
            "$ELEMENT.before($HTML)",
            "$ELEMENT.replaceWith($HTML)",
        ),
        # React, and template engines' unescaped output.
        focus("$HTML", "{..., __html: $HTML, ...}"),
        focus("$HTML", "new $HANDLEBARS.SafeString($HTML)"),
        # A function of this file that writes its parameter into the page: renderHeading(state).
        _wrapping_helpers(
            "$ELEMENT.innerHTML = ARGUMENT",
            "$ELEMENT.outerHTML = ARGUMENT",
            "$ELEMENT.insertAdjacentHTML($WHERE, ARGUMENT)",
            "document.write(ARGUMENT)",
            cleaners=(*CLEANING_CALLS, *HTML_CLEANING_CALLS),
        ),
    ),
    sanitizers=(
        {
            "patterns": [
                {"pattern": "$ESCAPE(...)"},
                regex("$ESCAPE", ESCAPERS),
            ]
        },
        {"pattern": "JSON.stringify(...)"},
        # A helper of this file that escapes its parameter: function greeting(name) { ... escape(name) ... }
        *_checking_helpers("$ESCAPE(..., $P, ...)", regexes={"$ESCAPE": ESCAPERS}),
        # What a file or a database returns is not the request's text, even when the request chose it.
        {
            "patterns": [
                {"pattern": "$STORE.$READ(...)"},
                regex("$STORE", f"{FILE_SYSTEM}|{SQL_RECEIVERS}"),
            ]
        },
    ),
    options=SAFE_VALUE_OPTIONS,
)

# A URL whose origin is written out in the code: the user chooses the path, not the site.
FIXED_ORIGIN: tuple[Pattern, ...] = (
    {
        "patterns": [
            {"pattern": '"$PREFIX" + $VALUE'},
            regex("$PREFIX", r"^(https?:)?//[^/?#@]+[/?#]|^/[^/\\]"),
        ]
    },
    {
        "patterns": [
            {"pattern": "`...${$VALUE}...`"},
            {"pattern": "$URL"},
            regex("$URL", r"^`((https?:)?//[^/?#@$`]+[/?#]|/[^/\\$`]|\$\{[A-Z][A-Z0-9_]*\}[/?#])"),
        ]
    },
    # A constant base: API_BASE + "/users/" + id, `${API_BASE}/users/${id}`.
    {
        "patterns": [
            {"pattern": "$BASE + $VALUE"},
            regex("$BASE", "^[A-Z][A-Z0-9_]*$"),
        ]
    },
    # A path resolved against the request's own URL stays on this site.
    {"pattern": 'new URL("...", $REQUEST.url)'},
    {"pattern": 'new URL("...", $REQUEST.nextUrl)'},
    {"pattern": "encodeURIComponent(...)"},
)

# if (!ALLOWED_HOSTS.includes(url.hostname)) return ...: the parsed URL is checked from then on.
HOST_GUARD: Pattern = {
    "patterns": [
        either(
            "$ALLOWED.includes($URL.$PART)",
            "$ALLOWED.has($URL.$PART)",
            "$URL.$PART === $EXPECTED",
            "$URL.$PART !== $EXPECTED",
            "$URL.$PART.endsWith($SUFFIX)",
        ),
        regex("$PART", "^(hostname|host|origin)$"),
        {"focus-metavariable": "$URL"},
    ],
    "by-side-effect": True,
}

# A helper of this file that checks a parsed URL's host: function partnerUrl(raw) { ... ALLOWED.has(u.host) }
HOST_CHECKING_HELPERS = _checking_helpers(
    "$ALLOWED.includes($URL.$PART)",
    "$ALLOWED.has($URL.$PART)",
    "$URL.$PART === $EXPECTED",
    "$URL.$PART !== $EXPECTED",
    "$URL.$PART.endsWith($SUFFIX)",
    regexes={"$PART": "^(hostname|host|origin)$"},
)

HTTP_CLIENTS = (
    r"^(axios|got|superagent|request|needle|ky|undici|http|https|fetch|\$http"
    r"|(this\.)?http|(this\.)?httpService)$"
)
SSRF = TaintRule(
    category="ssrf",
    weakness=weakness(
        918,
        "Server request to a URL taken from request input",
        "Request input chooses the URL (and so the host) of a request the server makes, so the user can "
        "reach internal services or cloud metadata endpoints.",
        "Build the URL from a fixed origin and put the input only in its path or query, or check the parsed "
        "URL's host against an allow-list before the request.",
        f"{OWASP}/Server_Side_Request_Forgery_Prevention_Cheat_Sheet.html",
    ),
    sinks=(
        focus(
            "$URL",
            "fetch($URL, ...)",
            "axios($URL, ...)",
            "got($URL, ...)",
            "request($URL, ...)",
            "superagent($URL)",
            "nodeFetch($URL, ...)",
        ),
        focus(
            "$URL",
            "axios({..., url: $URL, ...})",
            "axios.request({..., url: $URL, ...})",
            "request({..., url: $URL, ...}, ...)",
            "request({..., uri: $URL, ...}, ...)",
        ),
        focus(
            "$URL",
            "$CLIENT.$METHOD($URL, ...)",
            regexes={
                "$CLIENT": HTTP_CLIENTS,
                "$METHOD": "^(get|post|put|patch|delete|head|options|request|stream|fetch)$",
            },
        ),
        focus(
            "$URL",
            "$HTTP.$METHOD({..., $KEY: $URL, ...}, ...)",
            regexes={"$HTTP": "^(http|https)$", "$METHOD": "^(get|request)$", "$KEY": "^(host|hostname)$"},
        ),
        # `await axios.get<Buffer>(url)` is parsed as a call of `await axios.get`: its name is read as text.
        focus(
            "$URL",
            "$CALLEE($URL, ...)",
            regexes={
                "$CALLEE": r"^await\s+(axios|got|superagent|ky|(this\.)?http|(this\.)?httpService)"
                r"(\.(get|post|put|patch|delete|head|request))?$"
            },
        ),
        focus("$URL", "needle($METHOD, $URL, ...)", "superagent($METHOD, $URL)", "undici.request($URL, ...)"),
        # A helper of this file that fetches its parameter: function preview(url) { return axios.get(url) }
        _wrapping_helpers(
            "fetch(ARGUMENT, ...)",
            "axios(ARGUMENT, ...)",
            "got(ARGUMENT, ...)",
            "$CLIENT.$METHOD(ARGUMENT, ...)",
            regexes={"$CLIENT": HTTP_CLIENTS, "$METHOD": "^(get|post|put|patch|delete|head|request|stream)$"},
        ),
    ),
    sanitizers=(*FIXED_ORIGIN, HOST_GUARD, *HOST_CHECKING_HELPERS),
    options=SAFE_VALUE_OPTIONS,
)

OPEN_REDIRECT = TaintRule(
    category="open-redirect",
    weakness=weakness(
        601,
        "Redirect to a URL taken from request input",
        "Request or URL input chooses where the user is redirected, so a link on this site can send them "
        "to a phishing page.",
        "Redirect only to local paths (starting with one /, not //) or to URLs whose host is on an "
        "allow-list; otherwise redirect to a fixed page.",
        f"{OWASP}/Unvalidated_Redirects_and_Forwards_Cheat_Sheet.html",
    ),
    sinks=(
        focus(
            "$URL",
            "$RESPONSE.redirect($URL)",
            "$RESPONSE.redirect($STATUS, $URL)",
            "$RESPONSE.location($URL)",
        ),
        focus(
            "$URL",
            '$RESPONSE.$SET("=~/(?i)^location$/", $URL)',
            "$RESPONSE.writeHead($STATUS, {..., Location: $URL, ...})",
            '$RESPONSE.writeHead($STATUS, {..., "=~/(?i)^location$/": $URL, ...})',
        ),
        focus(
            "$URL", "redirect($URL, ...)", "NextResponse.redirect($URL, ...)", "Response.redirect($URL, ...)"
        ),
        # The browser.
        focus(
            "$URL",
            "location.href = $URL",
            "window.location.href = $URL",
            "document.location.href = $URL",
            "location = $URL",
            "window.location = $URL",
            "document.location = $URL",
            "location.assign($URL)",
            "location.replace($URL)",
            "window.location.assign($URL)",
            "window.location.replace($URL)",
            "window.open($URL, ...)",
        ),
    ),
    # A local path: if (!next.startsWith("/") || next.startsWith("//")) return ...
    sanitizers=(
        *FIXED_ORIGIN,
        HOST_GUARD,
        _guard('$VALUE.startsWith("/")'),
        *HOST_CHECKING_HELPERS,
        # A helper of this file that accepts local paths only: function isLocal(to) { ... to.startsWith("/") }
        *_checking_helpers('$P.startsWith("/")'),
    ),
    options=SAFE_VALUE_OPTIONS,
)

UNSAFE_YAML_SCHEMA = r"^(.*\.)?(DEFAULT_FULL_SCHEMA|FULL_SCHEMA)$|.*(js-types|jsTypes|unsafe|Unsafe)"
INSECURE_DESERIALIZATION = TaintRule(
    category="insecure-deserialization",
    weakness=weakness(
        502,
        "Request input deserialized by a library that can run code",
        "Request input is deserialized by node-serialize, funcster, cryo, serialize-to-js, js-yaml with a "
        "schema that builds functions, or eval, so a crafted payload runs code while it is loaded.",
        "Exchange plain data with JSON.parse and validate it against a schema; load YAML with js-yaml's "
        "default safe schema.",
        f"{OWASP}/Deserialization_Cheat_Sheet.html",
    ),
    sinks=(
        focus(
            "$DATA",
            "$SERIALIZER.unserialize($DATA, ...)",
            "unserialize($DATA, ...)",
            "$FUNCSTER.deepDeserialize($DATA, ...)",
            "cryo.parse($DATA, ...)",
            "Cryo.parse($DATA, ...)",
            "serializeToJs.deserialize($DATA, ...)",
            'eval("(" + $DATA + ")")',
        ),
        focus(
            "$DATA",
            "$YAML.load($DATA, {..., schema: $SCHEMA, ...})",
            "$YAML.loadAll($DATA, $ITERATOR, {..., schema: $SCHEMA, ...})",
            regexes={"$SCHEMA": UNSAFE_YAML_SCHEMA},
        ),
        _wrapping_helpers("$SERIALIZER.unserialize(ARGUMENT, ...)", "unserialize(ARGUMENT, ...)"),
    ),
    options=SAFE_VALUE_OPTIONS,
)

# A cookie that carries a session, a token or a credential (by its name or by its value's name).
SECURITY_NAME = (
    r"(?i).*(sess|sid|token|auth|jwt|remember|login|csrf|xsrf|access|refresh|api.?key|credential|secret"
    r"|passw|user.?id|\buid)"
)
COOKIE_SETTERS = r"^(res|response|reply|ctx\.res|this\.res)(\.status\(.*\))?$"


# Next.js's cookie jars: a response's (NextResponse), next/headers' cookies() (not Koa's ctx.cookies).
NEXT_COOKIE_JARS = (
    r"^((res|response|nextResponse|\w+Response)\.cookies|(await\s+)?cookies\(\)|\(await cookies\(\)\)"
    r"|cookieStore)$"
)


def _cookie_rule(name: str, cwe: int, flag: str, title: str, message: str, fix: str) -> PatternRule:
    """Return the rule for a security cookie set without ``flag`` (Express, Fastify) or with it off."""
    call = "$SETTER.$FUNCTION($COOKIE, $CONTENT"

    def unset_by(setters: str, functions: str) -> Pattern:
        """Return the calls of ``setters``' ``functions`` that leave ``flag`` unset or turn it off."""
        return {
            "patterns": [
                {
                    "pattern-either": [
                        {"pattern": f"{call})"},
                        {
                            "patterns": [
                                {"pattern": f"{call}, {{...}})"},
                                {"pattern-not": f"{call}, {{..., {flag}: $ON, ...}})"},
                                {"pattern-not": f"{call}, {{..., ...$DEFAULTS, ...}})"},
                            ]
                        },
                        {"pattern": f"{call}, {{..., {flag}: false, ...}})"},
                    ]
                },
                regex("$SETTER", setters),
                regex("$FUNCTION", functions),
            ]
        }

    # Express's res.cookie, Fastify's reply.setCookie and Next.js's response.cookies.set / cookies().set
    # set neither flag unless told.
    unset: Pattern = {
        "pattern-either": [
            unset_by(COOKIE_SETTERS, "^(cookie|setCookie)$"),
            unset_by(NEXT_COOKIE_JARS, "^set$"),
        ]
    }
    # Koa's ctx.cookies.set and the cookies package set HttpOnly (and Secure on HTTPS) unless turned off.
    turned_off: Pattern = {"pattern": f"$SETTER.set($COOKIE, $CONTENT, {{..., {flag}: false, ...}})"}
    security_value: Pattern = {
        "pattern-either": [
            {
                "patterns": [
                    {"pattern": "$SETTER.$FUNCTION($COOKIE, ...)"},
                    regex("$COOKIE", SECURITY_NAME),
                ]
            },
            {
                "patterns": [
                    {"pattern": f"{call}, ...)"},
                    regex("$CONTENT", SECURITY_NAME),
                ]
            },
        ]
    }
    return PatternRule(
        category="insecure-cookie",
        name=name,
        weakness=weakness(
            cwe, title, message, fix, f"{OWASP}/Session_Management_Cheat_Sheet.html", confidence="MEDIUM"
        ),
        match={"patterns": [{"pattern-either": [unset, turned_off]}, security_value]},
    )


MISSING_SECURE = _cookie_rule(
    "missing-secure",
    614,
    "secure",
    "Session or token cookie set without the Secure flag",
    "A cookie that carries a session, token or credential is set without secure: true, so the browser also "
    "sends it over plain HTTP where it can be read.",
    "Set secure: true (with httpOnly: true and sameSite) on every cookie that carries a session or a token.",
)
MISSING_HTTPONLY = _cookie_rule(
    "missing-httponly",
    1004,
    "httpOnly",
    "Session or token cookie readable by scripts (no HttpOnly)",
    "A cookie that carries a session, token or credential is set without httpOnly: true, so any script "
    "injected into the page can read and steal it.",
    "Set httpOnly: true (with secure: true and sameSite) on every cookie that carries a session or a token.",
)
SESSION_FLAGS_OFF = PatternRule(
    category="insecure-cookie",
    name="session-flags-off",
    weakness=weakness(
        614,
        "Session middleware configured with insecure cookie flags",
        "The session middleware's cookie is configured with secure or httpOnly turned off, so the session id "
        "travels over plain HTTP or is readable by scripts.",
        "Configure the session cookie with secure: true and httpOnly: true (behind a proxy, also set "
        'app.set("trust proxy", 1)).',
        f"{OWASP}/Session_Management_Cheat_Sheet.html",
        confidence="MEDIUM",
    ),
    match=either(
        "$SESSION({..., cookie: {..., secure: false, ...}, ...})",
        "$SESSION({..., cookie: {..., httpOnly: false, ...}, ...})",
        "cookieSession({..., secure: false, ...})",
        "cookieSession({..., httpOnly: false, ...})",
    ),
)

DOCUMENT_COOKIE = PatternRule(
    category="insecure-cookie",
    name="document-cookie",
    weakness=weakness(
        614,
        "Session or token cookie written by script without Secure",
        "A script stores a session id or token in document.cookie without the Secure attribute; such a "
        "cookie is sent over plain HTTP and, set from script, can never be HttpOnly.",
        "Let the server set session and token cookies with Secure, HttpOnly and SameSite; never store them "
        "from script.",
        f"{OWASP}/Session_Management_Cheat_Sheet.html",
        confidence="MEDIUM",
    ),
    match={
        "patterns": [
            {"pattern": "document.cookie = $COOKIE"},
            regex("$COOKIE", f"(?s)^(?!.*(?i:secure)){SECURITY_NAME}"),
        ]
    },
)

WEAK_HASHES = r"(?i)^[\"'`](md5|md4|md2|sha1|sha-1|ripemd160)[\"'`]$"
# What a password or security value is called, and the functions that hash one.
SENSITIVE_DATA = (
    r"(?i).*(passw|pwd|passphrase|secret|token|otp|\bpin|api_?key|apikey|credential|salt|session)"
)
SENSITIVE_WORK = r"(?i).*(passw|pwd|token|secret|credential|signature|otp|session|login|apikey|api_?key)"


def _weak_hash_of(data: str) -> list[Pattern]:
    """Return the shapes of a weak hash computed over ``data``."""
    return [
        {"pattern": f"$CRYPTO.createHash($ALGORITHM).update({data}, ...)"},
        {"pattern": f"createHash($ALGORITHM).update({data}, ...)"},
        {"pattern": f"$CRYPTO.subtle.digest($ALGORITHM, {data})"},
    ]


WEAK_HASH_CALLS: tuple[Pattern, ...] = (
    {
        "patterns": [
            {"pattern-either": [*_weak_hash_of("$DATA"), {"pattern": "$CRYPTO.createHash($ALGORITHM)"}]},
            regex("$ALGORITHM", WEAK_HASHES),
        ]
    },
    either("CryptoJS.MD5(...)", "CryptoJS.SHA1(...)", "md5(...)", "sha1(...)"),
)
WEAK_HASH = PatternRule(
    category="weak-hash",
    weakness=weakness(
        328,
        "Password or security value hashed with MD5 or SHA-1",
        "A password, token or other security value is hashed with MD5 or SHA-1, which are fast and broken, "
        "so the hash can be reversed by brute force or forged.",
        "Hash passwords with bcrypt, argon2 or crypto.scrypt, and tokens or signatures with "
        'crypto.createHash("sha256") or createHmac("sha256", key).',
        f"{OWASP}/Password_Storage_Cheat_Sheet.html",
        confidence="MEDIUM",
    ),
    match={
        "patterns": [
            {"pattern-either": list(WEAK_HASH_CALLS)},
            # An MD5 of a file, an ETag or a cache key is fine: only a hash of a security value is reported.
            {
                "pattern-either": [
                    {
                        "patterns": [
                            {
                                "pattern-either": [
                                    *_weak_hash_of("$SECRET"),
                                    {"pattern": "md5($SECRET, ...)"},
                                    {"pattern": "sha1($SECRET, ...)"},
                                    {"pattern": "CryptoJS.$HASH($SECRET, ...)"},
                                ]
                            },
                            regex("$SECRET", SENSITIVE_DATA),
                        ]
                    },
                    {
                        "patterns": [
                            inside("$TARGET = $VALUE", "{..., $TARGET: $VALUE, ...}"),
                            regex("$TARGET", SENSITIVE_DATA),
                        ]
                    },
                    {
                        "patterns": [
                            inside(
                                "function $WORK(...) { ... }",
                                "$WORK(...) { ... }",
                                "const $WORK = (...) => { ... }",
                                "const $WORK = (...) => $BODY",
                            ),
                            regex("$WORK", SENSITIVE_WORK),
                        ]
                    },
                ]
            },
        ]
    },
)

SECURITY_VALUE = (
    r"(?:(?i:.*(token|secret|passw|pwd|passphrase|nonce|salt|csrf|xsrf|session_?id|sess_?id|api_?key|apikey"
    r"|private_?key|secret_?key|signing_?key|auth_?code|verification|verify_?code|activation|reset_?(code|link|key|hash)"
    r"|invite_?code|invitation|recovery|credential|one_?time|mfa|2fa|two_?factor|magic_?link|jwt|otp_|_otp))"
    r"|.*(^|_)(?i:key|keys|pin|iv|code|otp|salt|nonce)$|.*[a-z0-9](Key|Keys|Pin|PIN|Iv|IV|Code|Otp|OTP|Salt|Nonce)$"
    r"|^(KEY|PIN|IV|CODE|OTP)$|.*_(KEY|PIN|IV|CODE|OTP)$)"
)
INSECURE_RANDOMNESS = PatternRule(
    category="insecure-randomness",
    weakness=weakness(
        330,
        "Predictable random value used as a secret",
        "Math.random() (a predictable generator) makes a value used for security: a token, password, code, "
        "key, salt or session id, which an attacker can predict.",
        'Use the crypto module: crypto.randomBytes(32).toString("hex") or crypto.randomUUID() in Node, '
        "crypto.getRandomValues() in the browser, crypto.randomInt(0, 1000000) for codes.",
        "https://developer.mozilla.org/en-US/docs/Web/API/Crypto/getRandomValues",
        confidence="MEDIUM",
    ),
    match={
        "pattern-either": [
            {"pattern": "crypto.pseudoRandomBytes(...)"},
            {
                "patterns": [
                    either("Math.random()", "_.random(...)"),
                    {
                        "pattern-either": [
                            {
                                "patterns": [
                                    inside(
                                        "$TARGET = $VALUE", "$TARGET += $VALUE", "{..., $TARGET: $VALUE, ...}"
                                    ),
                                    regex("$TARGET", SECURITY_VALUE),
                                ]
                            },
                            {
                                "patterns": [
                                    inside(
                                        "function $FUNCTION(...) { ... }",
                                        "$FUNCTION(...) { ... }",
                                        "const $FUNCTION = (...) => { ... }",
                                        "const $FUNCTION = (...) => $BODY",
                                    ),
                                    regex("$FUNCTION", SECURITY_VALUE),
                                ]
                            },
                        ]
                    },
                ]
            },
        ]
    },
)

RULES: tuple[Rule, ...] = (
    SQL_INJECTION,
    COMMAND_INJECTION,
    CODE_INJECTION,
    PATH_TRAVERSAL,
    XSS,
    SSRF,
    OPEN_REDIRECT,
    INSECURE_DESERIALIZATION,
    MISSING_SECURE,
    MISSING_HTTPONLY,
    SESSION_FLAGS_OFF,
    DOCUMENT_COOKIE,
    WEAK_HASH,
    INSECURE_RANDOMNESS,
)

RULESET = RuleSet(
    directory="javascript",
    languages=("javascript", "typescript"),
    sources=(*SOURCES, READING_HELPERS),
    sanitizers=SANITIZERS,
    propagators=PROPAGATORS,
    rules=RULES,
)
