"""Where the user's data enters Python web code, what cleans it, and what carries it along.

Shared by every Python taint rule. The sources are the request objects of Flask, Django, DRF,
Starlette/FastAPI (and Werkzeug, Quart, Sanic, Falcon, Pyramid, Tornado, which name them alike),
the parameters of route handlers (path, query and body parameters), and the command line.
Configuration, the environment and database rows are not sources: a value that cannot be the
user's does not make a finding.
"""

from __future__ import annotations

from bastion.agent.engines.prepass import GUARD, INPUT
from bastion.agent.engines.taint.model import Pattern
from bastion.agent.engines.taint.patterns import either, inside, propagator, regex

REQUEST_ATTRIBUTES = (
    "args|form|values|json|data|files|cookies|headers|view_args|get_json|get_data|query_string|stream"
    "|full_path|url|base_url|path|environ|authorization|referrer|user_agent"
    "|GET|POST|COOKIES|META|FILES|body|content_params|get_full_path|path_info|read|readline|readlines"
    "|query_params|path_params|form_data|query|params|match_info|arguments|get_argument|get_arguments"
    "|get_query_argument|get_body_argument|get_cookie|matchdict|json_body|text|content|raw_args"
)
# Handler parameters that are the framework's objects or injected services, not the user's values.
NOT_INPUT = (
    "^(self|cls|request|req|response|res|db|session|background_tasks|websocket|app|settings"
    "|current_user|user)$"
)
ROUTE_HANDLER = "@$APP.$ROUTE(...)\n{definition} $HANDLER(..., $PARAMETER, ...):\n  ...\n"
ROUTE_DECORATORS = "^(route|get|post|put|patch|delete|head|options|api_route|websocket|view)$"

WEB_SOURCES: tuple[Pattern, ...] = (
    # What the pre-pass marks as request data reaching a helper, an attribute or a return value.
    {"pattern": f"{INPUT}(...)"},
    {
        "patterns": [
            either("request.$ATTRIBUTE", "$OBJECT.request.$ATTRIBUTE", "flask.request.$ATTRIBUTE"),
            regex("$ATTRIBUTE", f"^({REQUEST_ATTRIBUTES})$"),
        ]
    },
    # Parameters of a route handler (Flask path parameters, FastAPI query/path/body parameters).
    {
        "patterns": [
            inside(ROUTE_HANDLER.format(definition="def"), ROUTE_HANDLER.format(definition="async def")),
            regex("$ROUTE", ROUTE_DECORATORS),
            regex("$PARAMETER", f"(?!{NOT_INPUT})"),
            {"focus-metavariable": "$PARAMETER"},
        ]
    },
    # Django views take the request first; the other parameters are the URL's path parameters.
    {
        "patterns": [
            inside(
                "def $VIEW(request, ..., $PARAMETER, ...):\n  ...\n",
                "def $VIEW(self, request, ..., $PARAMETER, ...):\n  ...\n",
            ),
            regex("$PARAMETER", f"(?!{NOT_INPUT})"),
            {"focus-metavariable": "$PARAMETER"},
        ]
    },
)

# The command line is the user's too, for a tool; an XSS or a redirect needs a web request.
COMMAND_LINE: tuple[Pattern, ...] = ({"pattern": "sys.argv"}, {"pattern": "input(...)"})
SOURCES = (*WEB_SOURCES, *COMMAND_LINE)


NUMERIC_TYPES = (
    r"(int|float|bool|Decimal|UUID|uuid\.UUID|date|datetime|PositiveInt|NonNegativeInt|conint\(.*\))"
)
# Django's and SQLAlchemy's reads: rows of the database, not this request's text.
ORM_READS = "get|filter|exclude|first|last|all|count|exists|get_or_create|in_bulk|latest|earliest|delete"
SAFE_VALUES: tuple[Pattern, ...] = (
    # A value chosen from a constant allow-list cannot carry the user's text, whichever key chose it.
    either("$VALUE if $VALUE in $ALLOWED else $DEFAULT", "$DEFAULT if $VALUE not in $ALLOWED else $VALUE"),
    {"patterns": [either("$TABLE[$KEY]", "$TABLE.get(...)"), regex("$TABLE", "^[A-Z][A-Z0-9_]*$")]},
    # Werkzeug converts (or drops) a query value read with a number type.
    {"patterns": [{"pattern": "$VALUES.get(..., type=$TYPE, ...)"}, regex("$TYPE", "^(int|float|bool)$")]},
    # A handler parameter declared as a number, boolean, UUID or date is converted (or refused) by
    # FastAPI before the handler runs.
    {
        "patterns": [
            inside(
                *(
                    f"{define} $HANDLER(..., $PARAMETER: $TYPE{default}, ...):\n  ...\n"
                    for define in ("def", "async def")
                    for default in ("", " = $DEFAULT")
                )
            ),
            {"pattern": "$PARAMETER"},
            regex("$TYPE", rf"^(Annotated\[|Optional\[)?{NUMERIC_TYPES}(\s*\|\s*None)?(\]|,.*\])?$"),
        ]
    },
    # What the ORM reads back is the database's, whatever filter chose it. Only lookups whose
    # arguments are field conditions: a sanitiser on a call would also hide a sink in its arguments
    # (``RawSQL`` inside ``annotate``, ``order_by`` or ``extra``).
    {"patterns": [{"pattern": "$MODEL.objects.$READ(...)"}, regex("$READ", f"^({ORM_READS})$")]},
    either("get_object_or_404(...)", "get_list_or_404(...)"),
)

SANITIZERS: tuple[Pattern, ...] = (
    *SAFE_VALUES,
    {
        "pattern-either": [
            {"pattern": f"{GUARD}(...)"},
            {"pattern": "int(...)"},
            {"pattern": "float(...)"},
            {"pattern": "bool(...)"},
            {"pattern": "len(...)"},
            {"pattern": "uuid.UUID(...)"},
            {"pattern": "UUID(...)"},
            {"pattern": "$VALUE.isdigit()"},
            {"pattern": "$VALUE.isalnum()"},
            {"pattern": "$VALUE.isidentifier()"},
            {"pattern": "hashlib.$HASH(...).hexdigest()"},
            # A row's key: the database's number, not the request's text.
            {"pattern": "$ROW.id"},
            {"pattern": "$ROW.pk"},
        ]
    },
)

PROPAGATORS: tuple[Pattern, ...] = (
    propagator("$TO.append($FROM)"),
    propagator("$TO.extend($FROM)"),
    propagator("$TO.insert($INDEX, $FROM)"),
    propagator("$TO.add($FROM)"),
    propagator("$TO.update($FROM)"),
    propagator("$TO.setdefault($KEY, $FROM)"),
    propagator("$TO.set($SECTION, $KEY, $FROM)"),
    propagator("$TO.write($FROM)"),
)
