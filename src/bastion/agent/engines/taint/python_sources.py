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
            {
                "pattern-either": [
                    {"pattern": "request.$ATTRIBUTE"},
                    {"pattern": "$OBJECT.request.$ATTRIBUTE"},
                    {"pattern": "flask.request.$ATTRIBUTE"},
                ]
            },
            {"metavariable-regex": {"metavariable": "$ATTRIBUTE", "regex": f"^({REQUEST_ATTRIBUTES})$"}},
        ]
    },
    # Parameters of a route handler (Flask path parameters, FastAPI query/path/body parameters).
    {
        "patterns": [
            {
                "pattern-either": [
                    {"pattern-inside": ROUTE_HANDLER.format(definition="def")},
                    {"pattern-inside": ROUTE_HANDLER.format(definition="async def")},
                ]
            },
            {"metavariable-regex": {"metavariable": "$ROUTE", "regex": ROUTE_DECORATORS}},
            {"metavariable-regex": {"metavariable": "$PARAMETER", "regex": f"(?!{NOT_INPUT})"}},
            {"focus-metavariable": "$PARAMETER"},
        ]
    },
    # Django views take the request first; the other parameters are the URL's path parameters.
    {
        "patterns": [
            {
                "pattern-either": [
                    {"pattern-inside": "def $VIEW(request, ..., $PARAMETER, ...):\n  ...\n"},
                    {"pattern-inside": "def $VIEW(self, request, ..., $PARAMETER, ...):\n  ...\n"},
                ]
            },
            {"metavariable-regex": {"metavariable": "$PARAMETER", "regex": f"(?!{NOT_INPUT})"}},
            {"focus-metavariable": "$PARAMETER"},
        ]
    },
)

# The command line is the user's too, for a tool; an XSS or a redirect needs a web request.
COMMAND_LINE: tuple[Pattern, ...] = ({"pattern": "sys.argv"}, {"pattern": "input(...)"})
SOURCES = (*WEB_SOURCES, *COMMAND_LINE)


def _any(*patterns: str) -> Pattern:
    return {"pattern-either": [{"pattern": pattern} for pattern in patterns]}


def _regex(metavariable: str, regex: str) -> Pattern:
    return {"metavariable-regex": {"metavariable": metavariable, "regex": regex}}


NUMERIC_TYPES = (
    r"(int|float|bool|Decimal|UUID|uuid\.UUID|date|datetime|PositiveInt|NonNegativeInt|conint\(.*\))"
)
# Django's and SQLAlchemy's reads: rows of the database, not this request's text.
ORM_READS = "get|filter|exclude|first|last|all|count|exists|get_or_create|in_bulk|latest|earliest|delete"
SAFE_VALUES: tuple[Pattern, ...] = (
    # A value chosen from a constant allow-list cannot carry the user's text, whichever key chose it.
    _any("$VALUE if $VALUE in $ALLOWED else $DEFAULT", "$DEFAULT if $VALUE not in $ALLOWED else $VALUE"),
    {"patterns": [_any("$TABLE[$KEY]", "$TABLE.get(...)"), _regex("$TABLE", "^[A-Z][A-Z0-9_]*$")]},
    # Werkzeug converts (or drops) a query value read with a number type.
    {"patterns": [{"pattern": "$VALUES.get(..., type=$TYPE, ...)"}, _regex("$TYPE", "^(int|float|bool)$")]},
    # A handler parameter declared as a number, boolean, UUID or date is converted (or refused) by
    # FastAPI before the handler runs.
    {
        "patterns": [
            {
                "pattern-either": [
                    {"pattern-inside": f"{define} $HANDLER(..., $PARAMETER: $TYPE{default}, ...):\n  ...\n"}
                    for define in ("def", "async def")
                    for default in ("", " = $DEFAULT")
                ]
            },
            {"pattern": "$PARAMETER"},
            _regex("$TYPE", rf"^(Annotated\[|Optional\[)?{NUMERIC_TYPES}(\s*\|\s*None)?(\]|,.*\])?$"),
        ]
    },
    # What the ORM reads back is the database's, whatever filter chose it. Only lookups whose
    # arguments are field conditions: a sanitiser on a call would also hide a sink in its arguments
    # (``RawSQL`` inside ``annotate``, ``order_by`` or ``extra``).
    {"patterns": [{"pattern": "$MODEL.objects.$READ(...)"}, _regex("$READ", f"^({ORM_READS})$")]},
    _any("get_object_or_404(...)", "get_list_or_404(...)"),
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
    {"pattern": "$TO.append($FROM)", "from": "$FROM", "to": "$TO"},
    {"pattern": "$TO.extend($FROM)", "from": "$FROM", "to": "$TO"},
    {"pattern": "$TO.insert($INDEX, $FROM)", "from": "$FROM", "to": "$TO"},
    {"pattern": "$TO.add($FROM)", "from": "$FROM", "to": "$TO"},
    {"pattern": "$TO.update($FROM)", "from": "$FROM", "to": "$TO"},
    {"pattern": "$TO.setdefault($KEY, $FROM)", "from": "$FROM", "to": "$TO"},
    {"pattern": "$TO.set($SECTION, $KEY, $FROM)", "from": "$FROM", "to": "$TO"},
    {"pattern": "$TO.write($FROM)", "from": "$FROM", "to": "$TO"},
)
