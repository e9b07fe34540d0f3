"""Python taint rules for the injections: SQL, OS command, code, path, HTML, LDAP, XPath and redirects.

Every rule follows the request's data (``python_sources.SOURCES``) to the one argument of a sink that
is interpreted (the SQL text, the shell command, the file path, the redirect URL), never to the
arguments a library binds or escapes itself. Each category adds the sanitisers its documentation
names (``shlex.quote``, ``html.escape``, ``escape_filter_chars``...) to the shared ones.
"""

from __future__ import annotations

from bastion.agent.engines.taint.model import Pattern, Rule, TaintRule
from bastion.agent.engines.taint.patterns import (
    OWASP,
    SAFE_VALUE_OPTIONS,
    checked,
    either,
    focus,
    inside,
    regex,
    weakness,
)
from bastion.agent.engines.taint.python_sources import WEB_SOURCES

SQL_INJECTION = TaintRule(
    category="sql-injection",
    weakness=weakness(
        89,
        "SQL statement built from request input",
        "Request input reaches the text of a SQL statement without being bound as a parameter. "
        "An attacker can change the query and read or modify any data the connection can reach.",
        "Keep the SQL text constant and pass the values as bound parameters, e.g. "
        'cursor.execute("SELECT * FROM users WHERE id = %s", (user_id,)), or use the ORM.',
        OWASP + "/SQL_Injection_Prevention_Cheat_Sheet.html",
    ),
    sinks=(
        focus(
            "$SQL",
            "$CURSOR.execute($SQL, ...)",
            "$CURSOR.execute(sql=$SQL, ...)",
            "$CURSOR.executemany($SQL, ...)",
            "$CURSOR.executescript($SQL, ...)",
            "$CURSOR.mogrify($SQL, ...)",
            "$CONNECTION.fetch($SQL, ...)",
            "$CONNECTION.fetchrow($SQL, ...)",
            "$CONNECTION.fetchval($SQL, ...)",
            "$DATABASE.fetch_all($SQL, ...)",
            "$DATABASE.fetch_one($SQL, ...)",
            "$DATABASE.execute_sql($SQL, ...)",
            "$MODEL.objects.raw($SQL, ...)",
            "$MANAGER.raw($SQL, ...)",
            "RawSQL($SQL, ...)",
            "$EXPRESSIONS.RawSQL($SQL, ...)",
            "sqlalchemy.text($SQL, ...)",
            "sqlalchemy.sql.text($SQL, ...)",
            "text($SQL, ...)",
            "$PANDAS.read_sql($SQL, ...)",
            "$PANDAS.read_sql(sql=$SQL, ...)",
            "$PANDAS.read_sql_query($SQL, ...)",
            "psycopg2.sql.SQL($SQL)",
            "sql.SQL($SQL)",
            "$QUERYSET.extra(..., where=$SQL, ...)",
            "$QUERYSET.extra(..., select=$SQL, ...)",
            "$QUERYSET.extra(..., tables=$SQL, ...)",
            "$QUERYSET.extra(..., order_by=$SQL, ...)",
        ),
    ),
    sanitizers=(
        either(
            "sql.Identifier(...)",
            "sql.Literal(...)",
            "psycopg2.sql.Identifier(...)",
            "psycopg2.sql.Literal(...)",
            "psycopg2.extensions.quote_ident(...)",
            "quote_ident(...)",
            "$CONNECTION.escape_string(...)",
            "escape_string(...)",
            "$CONNECTION.literal(...)",
        ),
    ),
    options=SAFE_VALUE_OPTIONS,
)

SHELL = r"^[\"']?(/(usr/)?bin/)?(ba|z|da|k)?sh[\"']?$"
COMMAND_INJECTION = TaintRule(
    category="command-injection",
    weakness=weakness(
        78,
        "OS command built from request input",
        "Request input reaches a command that a shell interprets, or chooses the program to run. "
        "An attacker can run any command with the server's rights.",
        "Pass a list of arguments without shell=True and a fixed program, e.g. "
        'subprocess.run(["ping", "-c", "1", host]), or quote each value with shlex.quote().',
        OWASP + "/OS_Command_Injection_Defense_Cheat_Sheet.html",
    ),
    sinks=(
        focus(
            "$COMMAND",
            "subprocess.$RUN($COMMAND, ..., shell=True, ...)",
            "subprocess.$RUN(args=$COMMAND, ..., shell=True, ...)",
            "subprocess.getoutput($COMMAND, ...)",
            "subprocess.getstatusoutput($COMMAND, ...)",
            "os.system($COMMAND)",
            "os.popen($COMMAND, ...)",
            "commands.getoutput($COMMAND)",
            "commands.getstatusoutput($COMMAND)",
            "asyncio.create_subprocess_shell($COMMAND, ...)",
            "$LOOP.subprocess_shell($PROTOCOL, $COMMAND, ...)",
            "$CLIENT.exec_command($COMMAND, ...)",
            "pexpect.spawn($COMMAND, ...)",
            "pexpect.run($COMMAND, ...)",
        ),
        # A shell started explicitly with "-c" interprets the argument after it.
        focus(
            "$COMMAND",
            "subprocess.$RUN([$SHELL, $FLAG, $COMMAND, ...], ...)",
            "subprocess.$RUN(($SHELL, $FLAG, $COMMAND, ...), ...)",
            "asyncio.create_subprocess_exec($SHELL, $FLAG, $COMMAND, ...)",
            "os.$RUN($PATH, $SHELL, $FLAG, $COMMAND, ...)",
            where=(regex("$SHELL", SHELL), regex("$FLAG", "^[\"']?-c[\"']?$")),
        ),
        # Without a shell only the program is interpreted: the user choosing it runs anything.
        focus(
            "$COMMAND",
            "subprocess.$RUN([$COMMAND, ...], ...)",
            "subprocess.$RUN(($COMMAND, ...), ...)",
            "subprocess.$RUN(shlex.split($COMMAND), ...)",
            "subprocess.$RUN($COMMAND.split(...), ...)",
            where=(regex("$RUN", "^(run|call|check_call|check_output|Popen)$"),),
        ),
        focus("$COMMAND", either("asyncio.create_subprocess_exec($COMMAND, ...)")),
        focus(
            "$COMMAND",
            either("os.$EXEC($COMMAND, ...)"),
            where=(regex("$EXEC", "^(exec[lv]p?e?|posix_spawnp?)$"),),
        ),
        focus(
            "$COMMAND", either("os.$SPAWN($MODE, $COMMAND, ...)"), where=(regex("$SPAWN", "^spawn[lv]p?e?$"),)
        ),
    ),
    sanitizers=(either("shlex.quote(...)", "pipes.quote(...)", "shlex.join(...)"),),
    options=SAFE_VALUE_OPTIONS,
)

EVAL_INJECTION = TaintRule(
    category="code-injection",
    name="eval",
    weakness=weakness(
        95,
        "Request input evaluated as Python code",
        "Request input reaches eval(), which runs it as a Python expression. "
        "An attacker can run any code in the server process.",
        "Never evaluate the user's text: parse literals with ast.literal_eval() or json.loads(), "
        "or map the input to a fixed set of operations.",
        "https://docs.python.org/3/library/ast.html#ast.literal_eval",
    ),
    sinks=(focus("$CODE", "eval($CODE, ...)", "builtins.eval($CODE, ...)"),),
    options=SAFE_VALUE_OPTIONS,
)

CODE_INJECTION = TaintRule(
    category="code-injection",
    name="exec",
    weakness=weakness(
        94,
        "Request input run or imported as Python code",
        "Request input reaches exec(), compile() or a dynamic import, which runs it as Python code. "
        "An attacker can run any code in the server process.",
        "Never execute or import a name the user chooses: map the input to a fixed table of "
        "functions or modules and refuse any other value.",
        "https://owasp.org/www-community/attacks/Code_Injection",
    ),
    sinks=(
        focus(
            "$CODE",
            "exec($CODE, ...)",
            "builtins.exec($CODE, ...)",
            "compile($CODE, ...)",
            "__import__($CODE, ...)",
            "importlib.import_module($CODE, ...)",
            "import_module($CODE, ...)",
            "importlib.__import__($CODE, ...)",
            "runpy.run_module($CODE, ...)",
            "runpy.run_path($CODE, ...)",
            "$INTERPRETER.runsource($CODE, ...)",
            "$INTERPRETER.runcode($CODE, ...)",
            "types.FunctionType($CODE, ...)",
        ),
    ),
    options=SAFE_VALUE_OPTIONS,
)

PATH_TRAVERSAL = TaintRule(
    category="path-traversal",
    weakness=weakness(
        22,
        "File path built from request input",
        "Request input reaches a file system path without being confined to a directory. "
        "An attacker can use '../' or an absolute path to read, write or delete other files.",
        "Keep only the file name with werkzeug.utils.secure_filename() or os.path.basename(), or resolve "
        "the path and check it stays under the base directory before using it.",
        "https://owasp.org/www-community/attacks/Path_Traversal",
    ),
    sinks=(
        focus(
            "$PATH",
            "open($PATH, ...)",
            "io.open($PATH, ...)",
            "codecs.open($PATH, ...)",
            "aiofiles.open($PATH, ...)",
            "os.open($PATH, ...)",
            "os.remove($PATH, ...)",
            "os.unlink($PATH, ...)",
            "os.rmdir($PATH, ...)",
            "os.removedirs($PATH, ...)",
            "os.listdir($PATH)",
            "os.scandir($PATH)",
            "os.makedirs($PATH, ...)",
            "os.mkdir($PATH, ...)",
            "os.chmod($PATH, ...)",
            "os.truncate($PATH, ...)",
            "os.rename($PATH, ...)",
            "os.rename($SOURCE, $PATH, ...)",
            "os.replace($PATH, ...)",
            "os.replace($SOURCE, $PATH, ...)",
            "shutil.rmtree($PATH, ...)",
            "shutil.$COPY($PATH, ...)",
            "shutil.$COPY($SOURCE, $PATH, ...)",
            "tarfile.open($PATH, ...)",
            "zipfile.ZipFile($PATH, ...)",
            "Image.open($PATH, ...)",
            "$PANDAS.read_csv($PATH, ...)",
            "$PANDAS.read_excel($PATH, ...)",
            "$PANDAS.read_parquet($PATH, ...)",
            "send_file($PATH, ...)",
            "flask.send_file($PATH, ...)",
            "send_from_directory($PATH, ...)",
            "flask.send_from_directory($PATH, ...)",
            "FileResponse($PATH, ...)",
            "FileResponse(path=$PATH, ...)",
            "$RESPONSES.FileResponse($PATH, ...)",
            "$UPLOAD.save($PATH, ...)",
            "pathlib.Path($PATH).open(...)",
            "Path($PATH).open(...)",
            "$PATH.open(...)",
            "$PATH.read_text(...)",
            "$PATH.read_bytes(...)",
            "$PATH.write_text(...)",
            "$PATH.write_bytes(...)",
            "$PATH.unlink(...)",
            "$PATH.rmdir(...)",
            "$PATH.touch(...)",
            "$PATH.mkdir(...)",
            "$PATH.iterdir(...)",
            "$PATH.rename(...)",
        ),
    ),
    sanitizers=(
        either(
            "os.path.basename(...)",
            "secure_filename(...)",
            "werkzeug.utils.secure_filename(...)",
            "safe_join(...)",
            "werkzeug.security.safe_join(...)",
            "werkzeug.utils.safe_join(...)",
            "flask.safe_join(...)",
            "django.utils._os.safe_join(...)",
            "get_valid_filename(...)",
            "Path(...).name",
            "pathlib.Path(...).name",
            "PurePath(...).name",
        ),
        # Comparing the resolved path with the base directory is the containment check.
        checked(
            focus(
                "$PATH",
                "os.path.commonpath([..., $PATH, ...])",
                "os.path.commonprefix([..., $PATH, ...])",
                "$PATH.is_relative_to(...)",
                "$PATH.relative_to(...)",
                "$BASE in $PATH.parents",
                "$BASE not in $PATH.parents",
            )
        ),
    ),
    options=SAFE_VALUE_OPTIONS,
)

# The command line and the console are not a browser's: HTML and redirects only take web input.
# (python_sources could export these two sets itself.)
# Text built around the user's value: what a view returns as an HTML page when it is a string.
FORMATTED_RETURNS = tuple(
    f"return {shape}"
    for body in (
        "$LEFT + $RIGHT",
        "$TEMPLATE % $VALUES",
        "$TEMPLATE.format(...)",
        'f"..."',
        "$SEPARATOR.join(...)",
    )
    for shape in (body, f"({body}, ...)")
)
# A name, an item or the request's own text: a call's or an attribute's result may be anything (a
# response, a count, a process's output).
PLAIN_VALUE = r"^([A-Za-z_]\w*|request\.\w+|[A-Za-z_][\w.]*\[[^\]]*\])$"
# What a view returns that Flask sends as JSON, or a call whose result is of unknown kind (jsonify,
# render_template, redirect): the calls that build markup are sinks of their own.
STRUCTURED_RETURNS = tuple(
    f"return {shape}" for body in ("{...}", "[...]", "$FUNCTION(...)") for shape in (body, f"({body}, ...)")
) + ("return request.json",)
STRUCTURED_VALUES: tuple[Pattern, ...] = tuple(
    {"pattern-not-inside": f"$DATA = {value}\n...\n{returned}"}
    for value in (
        "{...}",
        "[...]",
        "dict(...)",
        "request.get_json(...)",
        "request.json",
        "json.loads(...)",
        "json.dumps(...)",
        "jsonify(...)",
        "flask.jsonify(...)",
        "make_response(...)",
        "Response(...)",
        "$APP.response_class(...)",
        "redirect(...)",
        "render_template(...)",
        "send_file(...)",
    )
    for returned in ("return $DATA", "return ($DATA, ...)")
)
FLASK_MODULES = ("from flask import $NAME\n...\n", "import flask\n...\n", "from quart import $NAME\n...\n")
HANDLERS = ("def $HANDLER(...):\n  ...\n", "async def $HANDLER(...):\n  ...\n")
RESPONSE_TYPES = ("mimetype", "content_type", "media_type")
UNESCAPED_TEMPLATE = r"(?s).*(\|\s*safe\b|autoescape\s+(false|off))"
LOADED_TEMPLATE = "$TEMPLATE = $ENVIRONMENT.$LOAD(...)\n...\n"
MARKED_SAFE = ("Markup", "mark_safe", "SafeString")

XSS = TaintRule(
    category="xss",
    weakness=weakness(
        79,
        "Request input written into an HTML response unescaped",
        "Request input is written into an HTML response without being escaped. "
        "An attacker can make the page run script in another user's browser.",
        "Render the value through an autoescaping template (render_template with an .html file) or "
        "escape it with markupsafe.escape() / html.escape() before building the HTML.",
        OWASP + "/Cross_Site_Scripting_Prevention_Cheat_Sheet.html",
    ),
    sources=WEB_SOURCES,
    sinks=(
        # A string a Flask view returns is sent as text/html; FastAPI sends it as JSON unless the route
        # declares HTMLResponse.
        {
            "patterns": [
                either(*FORMATTED_RETURNS),
                {"pattern-not-inside": "from fastapi import $NAME\n...\n"},
            ]
        },
        {
            "patterns": [
                {
                    "pattern-either": [
                        inside(*(f"@$APP.route(...)\n{handler}" for handler in HANDLERS)),
                        {
                            "patterns": [
                                inside(*FLASK_MODULES),
                                inside(*(f"@$APP.$METHOD(...)\n{handler}" for handler in HANDLERS)),
                            ]
                        },
                    ]
                },
                either("return $BODY", "return ($BODY, ...)"),
                regex("$BODY", PLAIN_VALUE),
                {"pattern-not": "return request.json"},
                *STRUCTURED_VALUES,
                {"focus-metavariable": "$BODY"},
            ]
        },
        {
            "patterns": [
                inside(
                    *(
                        f"@$APP.$METHOD(..., response_class=HTMLResponse, ...)\n{handler}"
                        for handler in HANDLERS
                    )
                ),
                {"pattern": "return $BODY"},
                *({"pattern-not": shape} for shape in STRUCTURED_RETURNS),
                *STRUCTURED_VALUES,
                {"focus-metavariable": "$BODY"},
            ]
        },
        # Response bodies, HTML unless another type is declared.
        {
            "patterns": [
                either(
                    "make_response($BODY, ...)",
                    "flask.make_response($BODY, ...)",
                    "Response($BODY, ...)",
                    "Response(response=$BODY, ...)",
                    "Response(content=$BODY, ...)",
                    "$MODULE.Response($BODY, ...)",
                    "$APP.response_class($BODY, ...)",
                    "$APP.response_class(response=$BODY, ...)",
                    "HttpResponse($BODY, ...)",
                    "HttpResponse(content=$BODY, ...)",
                    "$MODULE.HttpResponse($BODY, ...)",
                    "HTMLResponse($BODY, ...)",
                    "HTMLResponse(content=$BODY, ...)",
                    "$MODULE.HTMLResponse($BODY, ...)",
                ),
                *({"pattern-not": f"$CALL(..., {kind}=$TYPE, ...)"} for kind in RESPONSE_TYPES),
                {"focus-metavariable": "$BODY"},
            ]
        },
        # A response declared as HTML carries markup whatever builds it.
        focus(
            "$BODY",
            *(
                f"$CALL({body}, ..., $KIND=$TYPE, ...)"
                for body in ("$BODY", "response=$BODY", "content=$BODY")
            ),
            *(f"$CALL(..., $KIND=$TYPE, ..., {body}, ...)" for body in ("response=$BODY", "content=$BODY")),
            where=(
                regex("$KIND", f"^({'|'.join(RESPONSE_TYPES)})$"),
                regex("$CALL", ".*(Response|response_class)$|^make_response$"),
                regex("$TYPE", "(?i).*html"),
            ),
        ),
        focus(
            "$TEMPLATE",
            "render_template_string($TEMPLATE, ...)",
            "flask.render_template_string($TEMPLATE, ...)",
            "Markup($TEMPLATE)",
            "markupsafe.Markup($TEMPLATE)",
            "flask.Markup($TEMPLATE)",
            "mark_safe($TEMPLATE)",
            "SafeString($TEMPLATE)",
            "self.write($TEMPLATE)",
            "$RESPONSE.set_data($TEMPLATE)",
        ),
        # jinja2 (and Mako) escape nothing unless autoescape is turned on; Django's templates always do.
        {
            "patterns": [
                {
                    "pattern-either": [
                        {"pattern": "jinja2.Template(...).render(...)"},
                        {"pattern": "Template(...).render(...)"},
                        {
                            "patterns": [
                                inside(
                                    "$TEMPLATE = jinja2.Template(...)\n...\n",
                                    "$TEMPLATE = Template(...)\n...\n",
                                ),
                                {"pattern": "$TEMPLATE.render(...)"},
                            ]
                        },
                        {
                            "patterns": [
                                inside(
                                    "$ENVIRONMENT = jinja2.Environment(...)\n...\n",
                                    "$ENVIRONMENT = Environment(...)\n...\n",
                                ),
                                {
                                    "pattern-either": [
                                        {"pattern": "$ENVIRONMENT.$LOAD(...).render(...)"},
                                        {
                                            "patterns": [
                                                {"pattern-inside": LOADED_TEMPLATE},
                                                {"pattern": "$TEMPLATE.render(...)"},
                                            ]
                                        },
                                    ]
                                },
                                regex("$LOAD", "^(from_string|get_template)$"),
                            ]
                        },
                    ]
                },
                *(
                    {"pattern-not-inside": f"$ESCAPING = {call}(..., autoescape={value}, ...)\n...\n"}
                    for call in ("Template", "jinja2.Template", "Environment", "jinja2.Environment")
                    for value in ("True", "select_autoescape(...)", "jinja2.select_autoescape(...)")
                ),
                {"pattern-not": "Template(..., autoescape=True, ...).render(...)"},
                {"pattern-not": "jinja2.Template(..., autoescape=True, ...).render(...)"},
                {"pattern-not": "$TEMPLATE.render(Context(...))"},
                {"pattern-not": "$TEMPLATE.render(context=Context(...))"},
                {"pattern-not-inside": "from django.template import $NAME\n...\n"},
            ]
        },
        # A constant template that turns escaping off for a value passed to it.
        {
            "patterns": [
                {
                    "pattern-either": [
                        {"pattern": '$RENDER("$TEXT", ...)'},
                        {
                            "patterns": [
                                {"pattern-inside": '$TEMPLATE = "$TEXT"\n...\n'},
                                {"pattern": "$RENDER($TEMPLATE, ...)"},
                            ]
                        },
                    ]
                },
                regex("$RENDER", r"^(flask\.)?render_template_string$"),
                regex("$TEXT", UNESCAPED_TEMPLATE),
            ]
        },
    ),
    sanitizers=(
        either(
            "html.escape(...)",
            "escape(...)",
            "markupsafe.escape(...)",
            "flask.escape(...)",
            "Markup.escape(...)",
            "cgi.escape(...)",
            "django.utils.html.escape(...)",
            "conditional_escape(...)",
            "format_html(...)",
            "xml.sax.saxutils.escape(...)",
            "bleach.clean(...)",
            "nh3.clean(...)",
            "urllib.parse.quote(...)",
            "quote(...)",
            "quote_plus(...)",
            "url_for(...)",
            "Markup($TEMPLATE) % $VALUES",
            "Markup($TEMPLATE).format(...)",
        ),
        # Autoescaping templates escape what they are given, unless it was marked safe first (that call
        # is a sink of its own, which a sanitiser around it would hide).
        {
            "patterns": [
                either(
                    "render_template(...)",
                    "flask.render_template(...)",
                    "render_to_string(...)",
                    "$TEMPLATE.render(Context(...))",
                    "$TEMPLATE.render(context=Context(...))",
                    "templates.TemplateResponse(...)",
                    "$TEMPLATES.TemplateResponse(...)",
                ),
                *(
                    {"pattern-not": f"$RENDER(..., {argument}, ...)"}
                    for mark in MARKED_SAFE
                    for argument in (
                        f"$NAME={mark}(...)",
                        f"{{..., $KEY: {mark}(...), ...}}",
                        f"Context({{..., $KEY: {mark}(...), ...}})",
                    )
                ),
            ]
        },
        # A template loaded from a jinja2 environment that escapes HTML (autoescape on).
        {
            "patterns": [
                inside(
                    *(
                        f"$ENVIRONMENT = {call}(..., autoescape={value}, ...)\n...\n"
                        for call in ("Environment", "jinja2.Environment")
                        for value in ("True", "select_autoescape(...)", "jinja2.select_autoescape(...)")
                    )
                ),
                either(
                    "$ENVIRONMENT.get_template(...).render(...)",
                    "$ENVIRONMENT.from_string(...).render(...)",
                    "$ENVIRONMENT.get_template(...).render_async(...)",
                ),
            ]
        },
        {
            "patterns": [
                inside(
                    *(
                        f"$ENVIRONMENT = {call}(..., autoescape={value}, ...)\n...\n"
                        for call in ("Environment", "jinja2.Environment")
                        for value in ("True", "select_autoescape(...)", "jinja2.select_autoescape(...)")
                    )
                ),
                {"pattern-inside": "$TEMPLATE = $ENVIRONMENT.$LOAD(...)\n...\n"},
                {"pattern": "$TEMPLATE.render(...)"},
            ]
        },
    ),
    options=SAFE_VALUE_OPTIONS,
)

LDAP_MODULES = ("import ldap\n...\n", "import ldap3\n...\n", "from ldap3 import $NAME\n...\n")
LDAP_INJECTION = TaintRule(
    category="ldap-injection",
    weakness=weakness(
        90,
        "LDAP filter or DN built from request input",
        "Request input reaches an LDAP search filter or base DN without being escaped. "
        "An attacker can add filter clauses to bypass a login check or list the directory.",
        "Escape every value with ldap.filter.escape_filter_chars() (python-ldap) or "
        "ldap3.utils.conv.escape_filter_chars() (ldap3) before putting it into the filter.",
        OWASP + "/LDAP_Injection_Prevention_Cheat_Sheet.html",
    ),
    sinks=(
        # python-ldap: search_s(base, scope, filterstr, ...) and its variants.
        focus(
            "$QUERY",
            "$CONNECTION.$SEARCH($QUERY, ...)",
            "$CONNECTION.$SEARCH($BASE, $SCOPE, $QUERY, ...)",
            "$CONNECTION.$SEARCH(..., filterstr=$QUERY, ...)",
            "$CONNECTION.$SEARCH(..., base=$QUERY, ...)",
            where=(regex("$SEARCH", "^search(_s|_st|_ext|_ext_s)$"),),
        ),
        # python-ldap's search(base, scope, filterstr) and ldap3's search(search_base, search_filter):
        # the name is common (re.search, search engines), so only in a module that imports LDAP.
        focus(
            "$QUERY",
            "$CONNECTION.search($QUERY, $FILTER, ...)",
            "$CONNECTION.search($BASE, $QUERY, ...)",
            "$CONNECTION.search($BASE, $SCOPE, $QUERY, ...)",
            "$CONNECTION.search(..., search_filter=$QUERY, ...)",
            "$CONNECTION.search(..., search_base=$QUERY, ...)",
            "$CONNECTION.extend.standard.paged_search($QUERY, ...)",
            "$CONNECTION.extend.standard.paged_search($BASE, $QUERY, ...)",
            where=(
                inside(*LDAP_MODULES),
                regex("$CONNECTION", "^(?!re$|regex$)"),
                {"pattern-not-inside": "$CONNECTION = re.compile(...)\n...\n"},
            ),
        ),
    ),
    sanitizers=(
        either(
            "ldap.filter.escape_filter_chars(...)",
            "ldap3.utils.conv.escape_filter_chars(...)",
            "escape_filter_chars(...)",
            "ldap.filter.filter_format(...)",
            "filter_format(...)",
            "ldap.dn.escape_dn_chars(...)",
            "escape_dn_chars(...)",
            "ldap3.utils.dn.escape_rdn(...)",
            "escape_rdn(...)",
        ),
    ),
    options=SAFE_VALUE_OPTIONS,
)

ELEMENT_FINDS = regex("$FIND", "^(find|findall|iterfind|findtext)$")
XPATH_INJECTION = TaintRule(
    category="xpath-injection",
    weakness=weakness(
        643,
        "XPath expression built from request input",
        "Request input is formatted into an XPath expression. "
        "An attacker can change the query to read other nodes of the document or bypass a check.",
        "Keep the expression constant and pass the value as an XPath variable, e.g. "
        'tree.xpath("//user[@name=$name]", name=value).',
        "https://owasp.org/www-community/attacks/XPATH_Injection",
    ),
    sinks=(
        focus(
            "$EXPRESSION",
            "$TREE.xpath($EXPRESSION, ...)",
            "$TREE.xpath(_path=$EXPRESSION, ...)",
            "etree.XPath($EXPRESSION, ...)",
            "lxml.etree.XPath($EXPRESSION, ...)",
            "etree.ETXPath($EXPRESSION, ...)",
            "XPath($EXPRESSION, ...)",
        ),
        # ElementTree's find* take an XPath subset; str.find shares the name, so only an element path
        # (text with a '/', '[' or '@') or a receiver named like a tree counts.
        focus(
            "$EXPRESSION",
            either("$TREE.$FIND($EXPRESSION, ...)"),
            where=(ELEMENT_FINDS, regex("$EXPRESSION", ".*[\\[/@]")),
        ),
        focus(
            "$EXPRESSION",
            either("$TREE.$FIND($EXPRESSION, ...)"),
            where=(
                ELEMENT_FINDS,
                regex("$TREE", r"(?i).*(tree|root|doc|xml|elem|node|dom|catalog|getroot\(\))"),
            ),
        ),
    ),
    options=SAFE_VALUE_OPTIONS,
)

# A URL whose text starts with a fixed local path ("/account/...", not "//") or a fixed
# "scheme://host/" keeps the user's part out of the host, whatever follows.
FIXED_DESTINATION = (
    r"^(f|rf|fr)?[\"']?(/[^/\\\"'{]|[a-zA-Z][a-zA-Z0-9+.-]*://[^/\"'{]+/)|^(url_for|reverse)\("
)
# Semgrep keeps no side effect of the right operand of "and"/"or" for the branch it guards: a branch
# taken only when "//" was refused redirects to a local path.
PARSED_AND_CHECKED = "$PARSED = $PARSE($URL)\n...\nif <... $PARSED.$PART ...>:\n  ...\n"
HOST_RELATIVE_TESTS = (
    '$CHECKED.startswith("//")',
    '$CHECKED.startswith(("//", ...))',
    '$CHECKED.startswith((..., "//"))',
    '"//" in $CHECKED',
    '"//" not in $CHECKED',
)

OPEN_REDIRECT = TaintRule(
    category="open-redirect",
    weakness=weakness(
        601,
        "Redirect to a URL taken from request input",
        "Request input chooses the URL the response redirects to, with no check of its host. "
        "An attacker can send users from a trusted link to a phishing site.",
        "Redirect only to local paths or allowed hosts: check the URL with Django's "
        "url_has_allowed_host_and_scheme() or compare its netloc with an allow-list, else use url_for().",
        OWASP + "/Unvalidated_Redirects_and_Forwards_Cheat_Sheet.html",
    ),
    sources=WEB_SOURCES,
    sinks=(
        {
            "patterns": [
                either(
                    "redirect($URL, ...)",
                    "redirect(location=$URL, ...)",
                    "flask.redirect($URL, ...)",
                    "werkzeug.utils.redirect($URL, ...)",
                    "django.shortcuts.redirect($URL, ...)",
                    "HttpResponseRedirect($URL, ...)",
                    "HttpResponsePermanentRedirect($URL, ...)",
                    "$HTTP.HttpResponseRedirect($URL, ...)",
                    "$HTTP.HttpResponsePermanentRedirect($URL, ...)",
                    "RedirectResponse($URL, ...)",
                    "RedirectResponse(url=$URL, ...)",
                    "$RESPONSES.RedirectResponse($URL, ...)",
                    "$RESPONSES.RedirectResponse(url=$URL, ...)",
                    "self.redirect($URL, ...)",
                    '$RESPONSE.headers["Location"] = $URL',
                    '$RESPONSE.headers["location"] = $URL',
                    '$RESPONSE["Location"] = $URL',
                    '$RESPONSE.set_header("Location", $URL)',
                    '$RESPONSE.headers.set("Location", $URL)',
                    "$RESPONSE.location = $URL",
                    '$CALL(..., headers={"Location": $URL}, ...)',
                    '$CALL(..., headers={"location": $URL}, ...)',
                ),
                *({"pattern-not-inside": f"if <... {test} ...>:\n  ...\n"} for test in HOST_RELATIVE_TESTS),
                {"focus-metavariable": "$URL"},
            ]
        },
    ),
    sanitizers=(
        either(
            "url_for(...)", "flask.url_for(...)", "$REQUEST.url_for(...)", "reverse(...)", "resolve_url(...)"
        ),
        {
            "patterns": [
                either("$PREFIX + $VALUE", 'f"..."', "$PREFIX.format(...)", "$PREFIX % $VALUE"),
                {"pattern": "$DESTINATION"},
                regex("$DESTINATION", FIXED_DESTINATION),
            ]
        },
        # Checking the URL's host (Django's url_has_allowed_host_and_scheme, a handler's own
        # is_safe_url, a netloc compared with an allow-list) or refusing "//" is what makes it safe;
        # the guard pre-pass rewrites the "if not safe: abort" forms, these the others.
        checked(
            focus(
                "$URL",
                "$URL.startswith($PREFIXES)",
                "$PREFIXES in $URL",
                where=(regex("$PREFIXES", ".*[\"']//"),),
            )
        ),
        checked(
            focus(
                "$URL",
                "$CHECK(..., $URL, ...)",
                "$CHECK(..., $KEY=$URL, ...)",
                where=(regex("$CHECK", "(?i).*(safe|allowed|valid|trusted|allowlist|whitelist|permitted)"),),
            )
        ),
        {
            "patterns": [
                {
                    "pattern-either": [
                        {"pattern": "$PARSE($URL).$PART"},
                        {
                            "patterns": [
                                {"pattern-inside": PARSED_AND_CHECKED},
                                {"pattern": "$PARSE($URL)"},
                            ]
                        },
                    ]
                },
                regex("$PARSE", r"^(urllib\.parse\.|parse\.)?(urlparse|urlsplit)$"),
                regex("$PART", "^(netloc|hostname)$"),
                {"focus-metavariable": "$URL"},
            ],
            "by-side-effect": True,
        },
    ),
    options=SAFE_VALUE_OPTIONS,
)

RULES: tuple[Rule, ...] = (
    SQL_INJECTION,
    COMMAND_INJECTION,
    EVAL_INJECTION,
    CODE_INJECTION,
    PATH_TRAVERSAL,
    XSS,
    LDAP_INJECTION,
    XPATH_INJECTION,
    OPEN_REDIRECT,
)
