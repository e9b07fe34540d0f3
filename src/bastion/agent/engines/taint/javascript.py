"""JavaScript and TypeScript rules: where the user's data enters Node and browser code and where it must not.

The sources are the request objects of Express, Koa, Fastify, Hono, Next.js and AWS Lambda, the
parameters NestJS binds from the request (``@Query``, ``@Body``, ``@Param``…), the browser's URL,
referrer, cookie, window name and ``postMessage`` data, and the command line. Configuration, the
environment and database rows are not sources: a value that cannot be the user's makes no finding.
"""

from __future__ import annotations

from bastion.agent.engines.taint.model import (
    Certainty,
    Pattern,
    PatternRule,
    Rule,
    RuleSet,
    TaintRule,
    Weakness,
)
from bastion.agent.engines.taint.weaknesses import CWE_TITLES, reference

OWASP = "https://cheatsheetseries.owasp.org/cheatsheets"
# Constant awareness: a literal, a number or a boolean is never the user's.
CONSTANT_AWARE = {
    "symbolic_propagation": True,
    "taint_assume_safe_numbers": True,
    "taint_assume_safe_booleans": True,
}

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
            {"metavariable-regex": {"metavariable": "$REQUEST", "regex": REQUEST_OBJECTS}},
            {"metavariable-regex": {"metavariable": "$PROPERTY", "regex": REQUEST_PROPERTIES}},
        ]
    },
    # req.get("X-Name"), req.param("id"), ctx.get(...), Hono's c.req.query("q"), await request.json().
    {
        "patterns": [
            {"pattern": "$REQUEST.$METHOD(...)"},
            {"metavariable-regex": {"metavariable": "$REQUEST", "regex": REQUEST_OBJECTS}},
            {"metavariable-regex": {"metavariable": "$METHOD", "regex": REQUEST_METHODS}},
            # The `request` HTTP client library is called like a request object: request.get(url).
            {"pattern-not": "request.get(...)"},
        ]
    },
    # TypeScript loses the taint of a destructured cast: const { name } = request.query as Query;
    {
        "patterns": [
            {
                "pattern-either": [
                    {"pattern-inside": "const {..., $NAME, ...} = $REQUEST.$PROPERTY as $TYPE;\n..."},
                    {"pattern-inside": "let {..., $NAME, ...} = $REQUEST.$PROPERTY as $TYPE;\n..."},
                ]
            },
            {"pattern": "$NAME"},
            {"metavariable-regex": {"metavariable": "$REQUEST", "regex": REQUEST_OBJECTS}},
            {"metavariable-regex": {"metavariable": "$PROPERTY", "regex": REQUEST_PROPERTIES}},
        ]
    },
    # NestJS handler parameters bound from the request.
    {
        "patterns": [
            {
                "pattern-either": [
                    {"pattern-inside": "$METHOD(..., @$DECORATOR(...) $PARAMETER, ...) { ... }"},
                    {"pattern-inside": "$METHOD(..., @$DECORATOR(...) $PARAMETER: $TYPE, ...) { ... }"},
                ]
            },
            {"metavariable-regex": {"metavariable": "$DECORATOR", "regex": NEST_DECORATORS}},
            {"focus-metavariable": "$PARAMETER"},
        ]
    },
    # AWS Lambda behind API Gateway.
    {
        "patterns": [
            {"pattern": "event.$PROPERTY"},
            {"metavariable-regex": {"metavariable": "$PROPERTY", "regex": LAMBDA_PROPERTIES}},
        ]
    },
    # Next.js and the URL API: searchParams.get("q"), useSearchParams(), useRouter().query.
    {
        "patterns": [
            {"pattern": "$PARAMETERS.$METHOD(...)"},
            {"metavariable-regex": {"metavariable": "$PARAMETERS", "regex": r"(?i)^(.*\.)?searchParams$"}},
            {"metavariable-regex": {"metavariable": "$METHOD", "regex": "^(get|getAll)$"}},
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
            {
                "pattern-either": [
                    {"pattern": "location.$PROPERTY"},
                    {"pattern": "window.location.$PROPERTY"},
                    {"pattern": "document.location.$PROPERTY"},
                ]
            },
            {"metavariable-regex": {"metavariable": "$PROPERTY", "regex": "^(href|search|hash|pathname)$"}},
        ]
    },
    {"pattern": "document.URL"},
    {"pattern": "document.documentURI"},
    {"pattern": "document.referrer"},
    {"pattern": "document.cookie"},
    {"pattern": "window.name"},
    {
        "patterns": [
            {"pattern-either": [{"pattern-inside": handler} for handler in MESSAGE_HANDLERS]},
            {"pattern": "$EVENT.data"},
        ]
    },
    {"pattern": "process.argv"},
)


def _guard(pattern: str) -> Pattern:
    """Return a check that clears its argument ``$VALUE`` from then on (an allow-list or format test)."""
    return {
        "patterns": [
            {"pattern": pattern},
            # A parsed URL's host is checked by HOST_GUARD, which clears the whole URL: Semgrep applies
            # one sanitiser to a call, so this one must leave those calls alone.
            {"metavariable-regex": {"metavariable": "$VALUE", "regex": r"^(?!.*\.(hostname|host|origin)$)"}},
            {"focus-metavariable": "$VALUE"},
        ],
        "by-side-effect": True,
    }


# A value chosen from a constant table (OPERATIONS[name], COLUMNS.get(sort)) is one of the code's own.
CONSTANT_TABLE = "^[A-Z][A-Z0-9_]*$"
# `4 * 4 > 10 ? "/home" : next` is decided by its literals: Semgrep evaluates the test, and a literal
# branch that is always taken makes the value constant.
DECIDED_TERNARIES: tuple[Pattern, ...] = tuple(
    {
        "patterns": [
            {"pattern": "$TEST ? $WHEN_TRUE : $WHEN_FALSE"},
            {"metavariable-regex": {"metavariable": "$TEST", "regex": r"^[\d\s+\-*/%<>=!&|().]+$"}},
            {"metavariable-comparison": {"metavariable": "$TEST", "comparison": comparison}},
            {
                "metavariable-regex": {
                    "metavariable": taken,
                    "regex": r"^([\"'`][^$]*[\"'`]|\d+|null|undefined)$",
                }
            },
        ]
    }
    for comparison, taken in (("$TEST", "$WHEN_TRUE"), ("not $TEST", "$WHEN_FALSE"))
)

SANITIZERS_SHARED: tuple[Pattern, ...] = (
    {
        "patterns": [
            {"pattern-either": [{"pattern": "$TABLE[$KEY]"}, {"pattern": "$TABLE.get($KEY)"}]},
            {"metavariable-regex": {"metavariable": "$TABLE", "regex": CONSTANT_TABLE}},
        ]
    },
    *DECIDED_TERNARIES,
)


SANITIZERS: tuple[Pattern, ...] = (
    {
        "pattern-either": [
            {"pattern": "parseInt(...)"},
            {"pattern": "parseFloat(...)"},
            {"pattern": "Number(...)"},
            {"pattern": "Number.parseInt(...)"},
            {"pattern": "Number.parseFloat(...)"},
            {"pattern": "Boolean(...)"},
            {"pattern": "Math.$FUNCTION(...)"},
            {"pattern": "$VALUE.length"},
            {"pattern": "typeof $VALUE"},
            {"pattern": "uuid.validate(...)"},
            {"pattern": "$CRYPTO.createHash(...).update(...).digest(...)"},
        ]
    },
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
        {
            "pattern-either": [
                {"pattern-inside": f"{definition} {{\n...\n{read};\n...\n}}\n..."}
                for read in BROWSER_READS
                for definition in ("function $READER(...)", "const $READER = (...) =>")
            ]
        },
        {"pattern": "$READER(...)"},
    ]
}

HELPER_CALLS: Pattern = {
    "pattern-either": [{"pattern": "$HELPER(...)"}, {"pattern": "$OBJECT.$HELPER(...)"}],
}


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
        *[
            {"metavariable-regex": {"metavariable": name, "regex": regex}}
            for name, regex in (regexes or {}).items()
        ],
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
                {"pattern-either": [{"pattern": "$HELPER($VALUE)"}, {"pattern": "$OBJECT.$HELPER($VALUE)"}]},
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
            *[
                {"metavariable-regex": {"metavariable": name, "regex": regex}}
                for name, regex in (regexes or {}).items()
            ],
            {
                "metavariable-pattern": {
                    "metavariable": "$SUNK",
                    "patterns": [
                        {"pattern": "$P"},
                        *[{"pattern-not-inside": cleaner} for cleaner in cleaners],
                    ],
                }
            },
            {
                "pattern-either": [
                    {"pattern": "$HELPER(..., $ARGUMENT, ...)"},
                    {"pattern": "$OBJECT.$HELPER(..., $ARGUMENT, ...)"},
                ]
            },
            {"focus-metavariable": "$ARGUMENT"},
        ]
    }


PROPAGATORS: tuple[Pattern, ...] = (
    {"pattern": "$TO.push($FROM)", "from": "$FROM", "to": "$TO"},
    {"pattern": "$TO.unshift($FROM)", "from": "$FROM", "to": "$TO"},
    {"pattern": "$TO.set($KEY, $FROM)", "from": "$FROM", "to": "$TO"},
    {"pattern": "$TO.append($KEY, $FROM)", "from": "$FROM", "to": "$TO"},
    {"pattern": "Object.assign($TO, ..., $FROM, ...)", "from": "$FROM", "to": "$TO"},
    {"pattern": "$TO.write($FROM)", "from": "$FROM", "to": "$TO"},
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


def _focused(*patterns: str, regexes: dict[str, str] | None = None, on: str) -> Pattern:
    """Return sink patterns (any of ``patterns``) focused on one dangerous argument ``on``."""
    body: list[Pattern] = [
        {"pattern": patterns[0]}
        if len(patterns) == 1
        else {"pattern-either": [{"pattern": p} for p in patterns]}
    ]
    body += [
        {"metavariable-regex": {"metavariable": name, "regex": regex}}
        for name, regex in (regexes or {}).items()
    ]
    return {"patterns": [*body, {"focus-metavariable": on}]}


def _weakness(
    cwe: int, title: str, message: str, fix: str, link: str, *, confidence: Certainty = "HIGH"
) -> Weakness:
    """Return what a rule reports, with the CWE's own page as its first reference."""
    return Weakness(
        cwe=CWE_TITLES[cwe],
        title=title,
        message=message,
        fix=fix,
        references=(reference(cwe), link),
        confidence=confidence,
    )


SQL_INJECTION = TaintRule(
    category="sql-injection",
    weakness=_weakness(
        89,
        "SQL query built from request input",
        "Request input is written into the text of a SQL statement that is then run, so the user can change "
        "the query.",
        'Keep the SQL text constant and pass values as bound parameters: db.query("SELECT * FROM users WHERE '
        'id = $1", [id]), or knex.where({ id }).',
        f"{OWASP}/SQL_Injection_Prevention_Cheat_Sheet.html",
    ),
    sinks=(
        _focused(
            "$DB.$METHOD($QUERY, ...)",
            "$DB.$METHOD({..., sql: $QUERY, ...}, ...)",
            "$DB.$METHOD({..., text: $QUERY, ...}, ...)",
            regexes={"$METHOD": "^(query|execute|exec|prepare|raw|unsafe)$", "$DB": SQL_RECEIVERS},
            on="$QUERY",
        ),
        # sqlite3's db.get/all/each/run (a Redis or HTTP client's get takes a key or a URL, not SQL).
        _focused(
            "$DB.$METHOD($QUERY, ...)",
            regexes={
                "$METHOD": "^(run|all|get|each)$",
                "$DB": r"(?i)^(.*[._])?(db|database|sqlite|sqlite3)$",
            },
            on="$QUERY",
        ),
        _focused("$BUILDER.$RAW($QUERY, ...)", regexes={"$RAW": RAW_SQL_METHODS}, on="$QUERY"),
        # TypeORM's builder takes SQL text: .where(`name = '${name}'`) (parameters are its second argument).
        {
            "patterns": [
                {"pattern": "$BUILDER.$CONDITION($QUERY, ...)"},
                {"metavariable-regex": {"metavariable": "$CONDITION", "regex": QUERY_BUILDER_CONDITIONS}},
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
        _focused(
            "$CALLEE($QUERY, ...)",
            regexes={
                "$CALLEE": r"^await\s+" + SQL_RECEIVER_TEXT + r"\.(query|execute|all|get|run|raw|unsafe)$"
            },
            on="$QUERY",
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
                {
                    "metavariable-regex": {
                        "metavariable": "$ESCAPE",
                        "regex": r"^(.*\.)?(escape|escapeId|escapeLiteral|escapeIdentifier|pgFormat"
                        r"|quoteIdent|quoteLiteral)$",
                    }
                },
            ]
        },
    ),
    options=CONSTANT_AWARE,
)

CHILD_PROCESS = (
    r"^(child_process|childProcess|cp|child|shell|shelljs|require\([\"'](node:)?child_process[\"']\))$"
)
SPAWNERS = r"^(.*\.)?(spawn|spawnSync|execFile|execFileSync|fork)$"
SHELLS = r"^[\"'`](/bin/|/usr/bin/)?(sh|bash|zsh|dash|cmd|cmd\.exe|powershell|pwsh)[\"'`]$"

COMMAND_INJECTION = TaintRule(
    category="command-injection",
    weakness=_weakness(
        78,
        "Shell command built from request input",
        "Request input reaches a command line run through a shell, or names the program to run, so the user "
        "can run commands of their choice.",
        "Run a fixed program without a shell and pass the input as one argument: "
        'execFile("ping", ["-c", "1", host]); never build a command string.',
        f"{OWASP}/OS_Command_Injection_Defense_Cheat_Sheet.html",
    ),
    sinks=(
        _focused(
            "child_process.exec($COMMAND, ...)",
            "child_process.execSync($COMMAND, ...)",
            "exec($COMMAND, ...)",
            "execSync($COMMAND, ...)",
            "execa.command($COMMAND, ...)",
            "execaCommand($COMMAND, ...)",
            "execaCommandSync($COMMAND, ...)",
            on="$COMMAND",
        ),
        _focused(
            "$CHILD.exec($COMMAND, ...)",
            "$CHILD.execSync($COMMAND, ...)",
            regexes={"$CHILD": CHILD_PROCESS},
            on="$COMMAND",
        ),
        # The program itself, or a command line given to a shell:
        # spawn(cmd, { shell: true }), spawn("sh", ["-c", cmd]).
        _focused("$SPAWN($COMMAND, ...)", regexes={"$SPAWN": SPAWNERS}, on="$COMMAND"),
        _focused(
            "$SPAWN($SHELL, [$FLAG, ..., $ARGUMENT, ...], ...)",
            regexes={"$SPAWN": SPAWNERS, "$SHELL": SHELLS, "$FLAG": "^[\"'`](-c|/c|-Command)[\"'`]$"},
            on="$ARGUMENT",
        ),
        _focused(
            "$SPAWN($PROGRAM, [..., $ARGUMENT, ...], {..., shell: true, ...})",
            regexes={"$SPAWN": SPAWNERS},
            on="$ARGUMENT",
        ),
        # const run = promisify(exec); await run(`whois ${domain}`).
        {
            "patterns": [
                {
                    "pattern-either": [
                        {"pattern-inside": f"const $RUN = {promisify}($EXEC);\n..."}
                        for promisify in ("promisify", "util.promisify")
                    ]
                },
                {"metavariable-regex": {"metavariable": "$EXEC", "regex": r"^(.*\.)?(exec|execSync)$"}},
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
                {
                    "metavariable-regex": {
                        "metavariable": "$QUOTE",
                        "regex": r"(?i)^(.*\.)?(shell_?escape|shell_?quote|quote|escape_?shell_?arg)$",
                    }
                },
            ]
        },
    ),
    options=CONSTANT_AWARE,
)

TEMPLATE_ENGINES = r"^(ejs|pug|jade|nunjucks|handlebars|Handlebars|mustache|Mustache|_|lodash|doT|dot|swig)$"
CODE_INJECTION = TaintRule(
    category="code-injection",
    weakness=_weakness(
        95,
        "Request input evaluated as JavaScript",
        "Request input reaches eval, new Function, the vm module, a string given to setTimeout/setInterval, "
        "or a dynamic require, so the user runs code in the process.",
        "Never evaluate input: parse data with JSON.parse, look actions up in an object of allowed handlers, "
        "and pass functions, not strings, to timers.",
        "https://owasp.org/www-community/attacks/Code_Injection",
    ),
    sinks=(
        _focused(
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
            on="$CODE",
        ),
        # A template's text is code too (server-side template injection): ejs.render(req.body.template).
        _focused(
            "$ENGINE.render($CODE, ...)",
            "$ENGINE.compile($CODE, ...)",
            "$ENGINE.renderString($CODE, ...)",
            "$ENGINE.template($CODE, ...)",
            regexes={"$ENGINE": TEMPLATE_ENGINES},
            on="$CODE",
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
    options=CONSTANT_AWARE,
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
    weakness=_weakness(
        22,
        "File path built from request input",
        "Request input reaches a file path that is opened, written, deleted or sent without being kept "
        "inside a base directory, so ../ sequences reach any file.",
        "Keep only the file name (path.basename) or resolve the path and check it starts with the base "
        'directory; with res.sendFile pass { root: "uploads" }.',
        f"{OWASP}/File_Upload_Cheat_Sheet.html",
    ),
    sinks=(
        _focused(
            "$FS.$FUNCTION($PATH, ...)",
            regexes={"$FS": FILE_SYSTEM, "$FUNCTION": FILE_FUNCTIONS},
            on="$PATH",
        ),
        _focused(
            "$FS.$FUNCTION($FROM, $PATH, ...)",
            regexes={
                "$FS": FILE_SYSTEM,
                "$FUNCTION": "^(copyFile|copyFileSync|rename|renameSync|copy|move|symlink)$",
            },
            on="$PATH",
        ),
        # Imported from fs/promises or fs-extra: import { readFile } from "fs/promises".
        _focused("$FUNCTION($PATH, ...)", regexes={"$FUNCTION": IMPORTED_FILE_FUNCTIONS}, on="$PATH"),
        # res.sendFile / res.download without a root directory (with `root`, send refuses ../).
        {
            "patterns": [
                {
                    "pattern-either": [
                        {"pattern": "$RESPONSE.sendFile($PATH, ...)"},
                        {"pattern": "$RESPONSE.download($PATH, ...)"},
                        {"pattern": "$RESPONSE.attachment($PATH)"},
                    ]
                },
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
    options=CONSTANT_AWARE,
)

ESCAPERS = r"(?i)^(?!(.*\.)?unescape)(.*\.)?\w*(escape|sanitiz|purify|encode|xss)\w*$"
NOT_HTML = '"=~/json|plain|csv|xml/"'
RESPONSES = r"^(res|response|reply|ctx\.res)(\.status\(.*\))?$"
XSS = TaintRule(
    category="xss",
    weakness=_weakness(
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
                {
                    "pattern-either": [
                        {"pattern": "$RESPONSE.send($HTML)"},
                        {"pattern": "$RESPONSE.write($HTML, ...)"},
                        {"pattern": "$RESPONSE.end($HTML, ...)"},
                    ]
                },
                {"metavariable-regex": {"metavariable": "$RESPONSE", "regex": RESPONSES}},
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
        _focused(
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
            on="$HTML",
        ),
        # React, and template engines' unescaped output.
        _focused("{..., __html: $HTML, ...}", on="$HTML"),
        _focused("new $HANDLEBARS.SafeString($HTML)", on="$HTML"),
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
                {"metavariable-regex": {"metavariable": "$ESCAPE", "regex": ESCAPERS}},
            ]
        },
        {"pattern": "JSON.stringify(...)"},
        # A helper of this file that escapes its parameter: function greeting(name) { ... escape(name) ... }
        *_checking_helpers("$ESCAPE(..., $P, ...)", regexes={"$ESCAPE": ESCAPERS}),
        # What a file or a database returns is not the request's text, even when the request chose it.
        {
            "patterns": [
                {"pattern": "$STORE.$READ(...)"},
                {"metavariable-regex": {"metavariable": "$STORE", "regex": f"{FILE_SYSTEM}|{SQL_RECEIVERS}"}},
            ]
        },
    ),
    options=CONSTANT_AWARE,
)

# A URL whose origin is written out in the code: the user chooses the path, not the site.
FIXED_ORIGIN: tuple[Pattern, ...] = (
    {
        "patterns": [
            {"pattern": '"$PREFIX" + $VALUE'},
            {
                "metavariable-regex": {
                    "metavariable": "$PREFIX",
                    "regex": r"^(https?:)?//[^/?#@]+[/?#]|^/[^/\\]",
                }
            },
        ]
    },
    {
        "patterns": [
            {"pattern": "`...${$VALUE}...`"},
            {"pattern": "$URL"},
            {
                "metavariable-regex": {
                    "metavariable": "$URL",
                    "regex": r"^`((https?:)?//[^/?#@$`]+[/?#]|/[^/\\$`]|\$\{[A-Z][A-Z0-9_]*\}[/?#])",
                }
            },
        ]
    },
    # A constant base: API_BASE + "/users/" + id, `${API_BASE}/users/${id}`.
    {
        "patterns": [
            {"pattern": "$BASE + $VALUE"},
            {"metavariable-regex": {"metavariable": "$BASE", "regex": "^[A-Z][A-Z0-9_]*$"}},
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
        {
            "pattern-either": [
                {"pattern": "$ALLOWED.includes($URL.$PART)"},
                {"pattern": "$ALLOWED.has($URL.$PART)"},
                {"pattern": "$URL.$PART === $EXPECTED"},
                {"pattern": "$URL.$PART !== $EXPECTED"},
                {"pattern": "$URL.$PART.endsWith($SUFFIX)"},
            ]
        },
        {"metavariable-regex": {"metavariable": "$PART", "regex": "^(hostname|host|origin)$"}},
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
    weakness=_weakness(
        918,
        "Server request to a URL taken from request input",
        "Request input chooses the URL (and so the host) of a request the server makes, so the user can "
        "reach internal services or cloud metadata endpoints.",
        "Build the URL from a fixed origin and put the input only in its path or query, or check the parsed "
        "URL's host against an allow-list before the request.",
        f"{OWASP}/Server_Side_Request_Forgery_Prevention_Cheat_Sheet.html",
    ),
    sinks=(
        _focused(
            "fetch($URL, ...)",
            "axios($URL, ...)",
            "got($URL, ...)",
            "request($URL, ...)",
            "superagent($URL)",
            "nodeFetch($URL, ...)",
            on="$URL",
        ),
        _focused(
            "axios({..., url: $URL, ...})",
            "axios.request({..., url: $URL, ...})",
            "request({..., url: $URL, ...}, ...)",
            "request({..., uri: $URL, ...}, ...)",
            on="$URL",
        ),
        _focused(
            "$CLIENT.$METHOD($URL, ...)",
            regexes={
                "$CLIENT": HTTP_CLIENTS,
                "$METHOD": "^(get|post|put|patch|delete|head|options|request|stream|fetch)$",
            },
            on="$URL",
        ),
        _focused(
            "$HTTP.$METHOD({..., $KEY: $URL, ...}, ...)",
            regexes={"$HTTP": "^(http|https)$", "$METHOD": "^(get|request)$", "$KEY": "^(host|hostname)$"},
            on="$URL",
        ),
        # `await axios.get<Buffer>(url)` is parsed as a call of `await axios.get`: its name is read as text.
        _focused(
            "$CALLEE($URL, ...)",
            regexes={
                "$CALLEE": r"^await\s+(axios|got|superagent|ky|(this\.)?http|(this\.)?httpService)"
                r"(\.(get|post|put|patch|delete|head|request))?$"
            },
            on="$URL",
        ),
        _focused(
            "needle($METHOD, $URL, ...)", "superagent($METHOD, $URL)", "undici.request($URL, ...)", on="$URL"
        ),
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
    options=CONSTANT_AWARE,
)

OPEN_REDIRECT = TaintRule(
    category="open-redirect",
    weakness=_weakness(
        601,
        "Redirect to a URL taken from request input",
        "Request or URL input chooses where the user is redirected, so a link on this site can send them "
        "to a phishing page.",
        "Redirect only to local paths (starting with one /, not //) or to URLs whose host is on an "
        "allow-list; otherwise redirect to a fixed page.",
        f"{OWASP}/Unvalidated_Redirects_and_Forwards_Cheat_Sheet.html",
    ),
    sinks=(
        _focused(
            "$RESPONSE.redirect($URL)",
            "$RESPONSE.redirect($STATUS, $URL)",
            "$RESPONSE.location($URL)",
            on="$URL",
        ),
        _focused(
            '$RESPONSE.$SET("=~/(?i)^location$/", $URL)',
            "$RESPONSE.writeHead($STATUS, {..., Location: $URL, ...})",
            '$RESPONSE.writeHead($STATUS, {..., "=~/(?i)^location$/": $URL, ...})',
            on="$URL",
        ),
        _focused(
            "redirect($URL, ...)",
            "NextResponse.redirect($URL, ...)",
            "Response.redirect($URL, ...)",
            on="$URL",
        ),
        # The browser.
        _focused(
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
            on="$URL",
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
    options=CONSTANT_AWARE,
)

UNSAFE_YAML_SCHEMA = r"^(.*\.)?(DEFAULT_FULL_SCHEMA|FULL_SCHEMA)$|.*(js-types|jsTypes|unsafe|Unsafe)"
INSECURE_DESERIALIZATION = TaintRule(
    category="insecure-deserialization",
    weakness=_weakness(
        502,
        "Request input deserialized by a library that can run code",
        "Request input is deserialized by node-serialize, funcster, cryo, serialize-to-js, js-yaml with a "
        "schema that builds functions, or eval, so a crafted payload runs code while it is loaded.",
        "Exchange plain data with JSON.parse and validate it against a schema; load YAML with js-yaml's "
        "default safe schema.",
        f"{OWASP}/Deserialization_Cheat_Sheet.html",
    ),
    sinks=(
        _focused(
            "$SERIALIZER.unserialize($DATA, ...)",
            "unserialize($DATA, ...)",
            "$FUNCSTER.deepDeserialize($DATA, ...)",
            "cryo.parse($DATA, ...)",
            "Cryo.parse($DATA, ...)",
            "serializeToJs.deserialize($DATA, ...)",
            'eval("(" + $DATA + ")")',
            on="$DATA",
        ),
        _focused(
            "$YAML.load($DATA, {..., schema: $SCHEMA, ...})",
            "$YAML.loadAll($DATA, $ITERATOR, {..., schema: $SCHEMA, ...})",
            regexes={"$SCHEMA": UNSAFE_YAML_SCHEMA},
            on="$DATA",
        ),
        _wrapping_helpers("$SERIALIZER.unserialize(ARGUMENT, ...)", "unserialize(ARGUMENT, ...)"),
    ),
    options=CONSTANT_AWARE,
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
                {"metavariable-regex": {"metavariable": "$SETTER", "regex": setters}},
                {"metavariable-regex": {"metavariable": "$FUNCTION", "regex": functions}},
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
                    {"metavariable-regex": {"metavariable": "$COOKIE", "regex": SECURITY_NAME}},
                ]
            },
            {
                "patterns": [
                    {"pattern": f"{call}, ...)"},
                    {"metavariable-regex": {"metavariable": "$CONTENT", "regex": SECURITY_NAME}},
                ]
            },
        ]
    }
    return PatternRule(
        category="insecure-cookie",
        name=name,
        weakness=_weakness(
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
    weakness=_weakness(
        614,
        "Session middleware configured with insecure cookie flags",
        "The session middleware's cookie is configured with secure or httpOnly turned off, so the session id "
        "travels over plain HTTP or is readable by scripts.",
        "Configure the session cookie with secure: true and httpOnly: true (behind a proxy, also set "
        'app.set("trust proxy", 1)).',
        f"{OWASP}/Session_Management_Cheat_Sheet.html",
        confidence="MEDIUM",
    ),
    match={
        "pattern-either": [
            {"pattern": "$SESSION({..., cookie: {..., secure: false, ...}, ...})"},
            {"pattern": "$SESSION({..., cookie: {..., httpOnly: false, ...}, ...})"},
            {"pattern": "cookieSession({..., secure: false, ...})"},
            {"pattern": "cookieSession({..., httpOnly: false, ...})"},
        ]
    },
)

DOCUMENT_COOKIE = PatternRule(
    category="insecure-cookie",
    name="document-cookie",
    weakness=_weakness(
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
            {
                "metavariable-regex": {
                    "metavariable": "$COOKIE",
                    "regex": f"(?s)^(?!.*(?i:secure)){SECURITY_NAME}",
                }
            },
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
            {"metavariable-regex": {"metavariable": "$ALGORITHM", "regex": WEAK_HASHES}},
        ]
    },
    {
        "pattern-either": [
            {"pattern": "CryptoJS.MD5(...)"},
            {"pattern": "CryptoJS.SHA1(...)"},
            {"pattern": "md5(...)"},
            {"pattern": "sha1(...)"},
        ]
    },
)
WEAK_HASH = PatternRule(
    category="weak-hash",
    weakness=_weakness(
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
                            {"metavariable-regex": {"metavariable": "$SECRET", "regex": SENSITIVE_DATA}},
                        ]
                    },
                    {
                        "patterns": [
                            {
                                "pattern-either": [
                                    {"pattern-inside": "$TARGET = $VALUE"},
                                    {"pattern-inside": "{..., $TARGET: $VALUE, ...}"},
                                ]
                            },
                            {"metavariable-regex": {"metavariable": "$TARGET", "regex": SENSITIVE_DATA}},
                        ]
                    },
                    {
                        "patterns": [
                            {
                                "pattern-either": [
                                    {"pattern-inside": "function $WORK(...) { ... }"},
                                    {"pattern-inside": "$WORK(...) { ... }"},
                                    {"pattern-inside": "const $WORK = (...) => { ... }"},
                                    {"pattern-inside": "const $WORK = (...) => $BODY"},
                                ]
                            },
                            {"metavariable-regex": {"metavariable": "$WORK", "regex": SENSITIVE_WORK}},
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
    weakness=_weakness(
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
                    {"pattern-either": [{"pattern": "Math.random()"}, {"pattern": "_.random(...)"}]},
                    {
                        "pattern-either": [
                            {
                                "patterns": [
                                    {
                                        "pattern-either": [
                                            {"pattern-inside": "$TARGET = $VALUE"},
                                            {"pattern-inside": "$TARGET += $VALUE"},
                                            {"pattern-inside": "{..., $TARGET: $VALUE, ...}"},
                                        ]
                                    },
                                    {
                                        "metavariable-regex": {
                                            "metavariable": "$TARGET",
                                            "regex": SECURITY_VALUE,
                                        }
                                    },
                                ]
                            },
                            {
                                "patterns": [
                                    {
                                        "pattern-either": [
                                            {"pattern-inside": "function $FUNCTION(...) { ... }"},
                                            {"pattern-inside": "$FUNCTION(...) { ... }"},
                                            {"pattern-inside": "const $FUNCTION = (...) => { ... }"},
                                            {"pattern-inside": "const $FUNCTION = (...) => $BODY"},
                                        ]
                                    },
                                    {
                                        "metavariable-regex": {
                                            "metavariable": "$FUNCTION",
                                            "regex": SECURITY_VALUE,
                                        }
                                    },
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
