"""Mark the names a validation guard checks, so that the taint analysis sees them sanitised.

An ``if`` that leaves (return, raise, abort, exit, continue, break) when a check on ``N`` fails
rewrites that occurrence of ``N`` in its test into ``(N := __bastion_guard__(N))``; a positive
allow-list ``if`` (``N in ALLOWED``, ``N == "x"``, ``N.isdigit()``) starts its body with
``N = __bastion_guard__(N);`` on the first body line. Bastion's Semgrep rules declare
``__bastion_guard__(...)`` a sanitiser.
"""

from __future__ import annotations

import ast

from bastion.agent.engines.prepass.text import Edit, Text

GUARD = "__bastion_guard__"
EXIT_CALLS = frozenset({"abort", "exit", "_exit", "quit"})
CHECK_METHODS = frozenset({
    "startswith", "is_relative_to", "isalnum", "isalpha", "isdigit", "isdecimal", "isnumeric", "isidentifier",
    "match", "fullmatch", "search",
})  # fmt: skip
PATH_RESOLVERS = frozenset({"realpath", "abspath", "normpath", "resolve"})
URL_PARSERS = frozenset({"urlparse", "urlsplit"})
URL_PARTS = frozenset({"netloc", "hostname", "scheme", "port"})
ORDERING = (ast.Lt, ast.LtE, ast.Gt, ast.GtE)
VALID, INVALID, EITHER = object(), object(), object()  # what a check being true says of the value
SIMPLE = (
    ast.Expr, ast.Assign, ast.AugAssign, ast.AnnAssign, ast.Return, ast.Raise, ast.Pass, ast.Delete,
    ast.Assert, ast.Break, ast.Continue, ast.Import, ast.ImportFrom,
)  # fmt: skip


def mark_guards(tree: ast.Module, text: Text) -> list[Edit]:
    """Return the edits that mark the names checked by validation guards."""
    parsed_urls = url_sources(tree)
    resolved = resolved_paths(tree)
    edits: list[Edit] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.IfExp):
            edits.extend(mark_branches(node, text, resolved))
        if not isinstance(node, ast.If):
            continue
        if leaves(node.body) and (not node.orelse or leaves(node.orelse)):
            checked = first_each(checked_names(node.test, resolved, failing=True))
            edits.extend(edit for name in checked if (edit := mark(name, text, parsed_urls)))
            if checked:
                continue
        if node.body and isinstance(node.body[0], SIMPLE):
            names = {name.id for name in checked_names(node.test, resolved, failing=False)}
            start, _ = text.span(node.body[0])
            prefix = "".join(f"{name} = {GUARD}({name}); " for name in sorted(names))
            if prefix and text.located(node.body[0]):
                edits.append(Edit(start, start, prefix))
    edits.extend(mark_validator_calls(tree, text, validators(tree, resolved, parsed_urls)))
    return edits


def mark_branches(node: ast.IfExp, text: Text, resolved: frozenset[str]) -> list[Edit]:
    """Mark ``N`` in ``N if N in ALLOWED else "/"`` (or ``"/" if N not in ALLOWED else N``)."""
    edits: list[Edit] = []
    for branch, failing in ((node.body, False), (node.orelse, True)):
        if isinstance(branch, ast.Name):
            checked = {name.id for name in checked_names(node.test, resolved, failing=failing)}
            edit = text.expression(branch, f"{GUARD}({branch.id})") if branch.id in checked else None
            edits.extend([edit] if edit else [])
    return edits


def validators(
    tree: ast.Module, resolved: frozenset[str], parsed_urls: dict[str, str]
) -> dict[str, set[str]]:
    """Map each function that leaves (raises, aborts) unless a parameter passes a check to that parameter."""
    found: dict[str, set[str]] = {}
    defined: set[str] = set()
    for node in ast.walk(tree):
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        signature = node.args
        declared = (*signature.posonlyargs, *signature.args, *signature.kwonlyargs)
        parameters = {argument.arg for argument in declared}
        derived: dict[str, set[str]] = {}  # a local made from parameters: `full = realpath(join(BASE, name))`
        guarded: set[str] = set()
        for statement in node.body:
            if isinstance(statement, ast.Assign) and len(statement.targets) == 1:
                target = statement.targets[0]
                sources = {name.id for name in ast.walk(statement.value) if isinstance(name, ast.Name)}
                if isinstance(target, ast.Name):
                    derived[target.id] = sources & parameters
            elif isinstance(statement, ast.If) and leaves(statement.body):
                for name in checked_names(statement.test, resolved, failing=True):
                    guarded |= {name.id, parsed_urls.get(name.id, name.id), *derived.get(name.id, ())}
        checked = guarded & parameters - {"self", "cls"}
        if node.name in defined:
            found.pop(node.name, None)
        elif checked:
            found[node.name] = checked
        defined.add(node.name)
    return found


def mark_validator_calls(tree: ast.Module, text: Text, checkers: dict[str, set[str]]) -> list[Edit]:
    """Mark the arguments given to a validating function's checked parameters, at each call."""
    if not checkers:
        return []
    scopes = (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp, ast.Lambda)
    in_comprehension = {
        id(inner) for outer in ast.walk(tree) if isinstance(outer, scopes) for inner in ast.walk(outer)
    }
    definitions = {
        node.name: node for node in ast.walk(tree) if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
    }
    edits: list[Edit] = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        function = node.func
        receiver = getattr(function, "value", None)
        method = isinstance(function, ast.Attribute) and getattr(receiver, "id", None) in ("self", "cls")
        name = call_name(function) if method or isinstance(function, ast.Name) else None
        if name not in checkers or any(isinstance(argument, ast.Starred) for argument in node.args):
            continue
        definition = definitions[name]
        positional = [argument.arg for argument in (*definition.args.posonlyargs, *definition.args.args)]
        if method and positional[:1] in (["self"], ["cls"]):
            positional = positional[1:]
        passed = list(zip(positional, node.args, strict=False))
        passed += [(keyword.arg, keyword.value) for keyword in node.keywords if keyword.arg]
        for parameter, argument in passed:
            if parameter not in checkers[name]:
                continue
            if is_local(argument) and id(argument) not in in_comprehension:
                marked = f"({argument.id} := {GUARD}({argument.id}))"  # type: ignore[attr-defined]
            else:
                marked = f"{GUARD}({text.segment(argument)})"
            edit = text.expression(argument, marked)
            edits.extend([edit] if edit else [])
    return edits


def leaves(body: list[ast.stmt]) -> bool:
    """Tell whether a block ends by leaving: return, raise, continue, break, abort() or exit()."""
    if not body:
        return False
    last = body[-1]
    if isinstance(last, ast.Return | ast.Raise | ast.Continue | ast.Break):
        return True
    if isinstance(last, ast.Expr) and isinstance(last.value, ast.Call):
        function = last.value.func
        return call_name(function) in EXIT_CALLS
    return False


def call_name(function: ast.expr) -> str | None:
    """Return the name a call is made by: ``f`` for ``f(...)`` and ``module.f(...)``."""
    if isinstance(function, ast.Name):
        return function.id
    return function.attr if isinstance(function, ast.Attribute) else None


def is_local(node: ast.AST) -> bool:
    """Tell whether a node is a plain variable name (not an ALL_CAPS constant)."""
    return isinstance(node, ast.Name) and not node.id.isupper() and not node.id.startswith("__")


def is_allow_list(node: ast.AST) -> bool:
    """Tell whether a node is a fixed value to compare with: a literal, literal collection or constant."""
    if isinstance(node, ast.Constant):
        return not is_blank(node)
    if isinstance(node, ast.Tuple | ast.List | ast.Set):
        return all(isinstance(item, ast.Constant) for item in node.elts)
    if isinstance(node, ast.Name):
        return node.id.isupper()
    return isinstance(node, ast.Attribute) and node.attr.isupper()


def is_blank(node: ast.AST) -> bool:
    """Tell whether a node is ``None`` or an empty literal: comparing with it checks presence only."""
    return isinstance(node, ast.Constant) and not node.value and node.value != 0


def checked_names(test: ast.expr, resolved: frozenset[str], *, failing: bool) -> list[ast.Name]:
    """Return the names a test checks: true when they are invalid (``failing``) or when they are valid."""
    found: list[ast.Name] = []
    pending: list[tuple[ast.AST, bool]] = [(test, False)]
    while pending:
        node, inverted = pending.pop()
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            pending.append((node.operand, not inverted))
        elif isinstance(node, ast.BoolOp):
            # A body that needs every check true (`and`) validates each name; one that runs when any
            # check is true (`or`) validates none. Exit guards are taken leniently: `if x and bad(y)`.
            if not failing and isinstance(node.op, ast.Or) != inverted:
                continue
            pending.extend((value, inverted) for value in reversed(node.values))
        else:
            names, polarity = checked(node, resolved)
            if polarity is EITHER or (polarity is VALID) == (failing == inverted):
                found.extend(names)
    return found


def checked(node: ast.AST, resolved: frozenset[str]) -> tuple[list[ast.Name], object]:
    """Return the names one check reads and whether it holds for valid values, invalid ones or either."""
    if isinstance(node, ast.Compare) and len(node.ops) == 1:
        operator, right = node.ops[0], node.comparators[0]
        is_none = isinstance(operator, ast.Is | ast.IsNot) and is_blank(right)
        if is_none and isinstance(node.left, ast.Call) and isinstance(node.left.func, ast.Attribute):
            names, polarity = called(node.left, resolved)  # `PATTERN.fullmatch(N) is None`
            if isinstance(operator, ast.Is) and polarity is not EITHER:
                polarity = INVALID if polarity is VALID else VALID
            return names, polarity
        return compared(node.left, operator, right)
    if isinstance(node, ast.Compare) and all(isinstance(operator, ORDERING) for operator in node.ops):
        return [operand for operand in (node.left, *node.comparators) if is_local(operand)], EITHER  # type: ignore[misc]
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        return called(node, resolved)
    return [], EITHER


def compared(left: ast.expr, operator: ast.cmpop, right: ast.expr) -> tuple[list[ast.Name], object]:
    """Return the names a comparison checks (``N in X``, ``"'" in N``, ``urlparse(N).netloc != H``)."""
    if isinstance(operator, ast.Is | ast.IsNot) or is_blank(left) or is_blank(right):
        return [], EITHER
    if isinstance(operator, ORDERING):  # ordering a value against a number: it is a number
        return [operand for operand in (left, right) if is_local(operand)], EITHER  # type: ignore[misc]
    if isinstance(operator, ast.In | ast.NotIn):
        valid_when_true = isinstance(operator, ast.In)
        if isinstance(right, ast.Name | ast.Attribute) and is_local(right) and isinstance(left, ast.Constant):
            return [right], INVALID if valid_when_true else VALID  # type: ignore[list-item]  # "'" in N
        names = checked_value(left)
        if valid_when_true and not is_allow_list(right):
            return [], EITHER
        return names, VALID if valid_when_true else INVALID
    names = checked_value(left) or checked_value(right)
    other = right if checked_value(left) else left
    if isinstance(operator, ast.Eq):
        return (names, VALID) if is_allow_list(other) else ([], EITHER)
    return names, INVALID


def checked_value(node: ast.expr) -> list[ast.Name]:
    """Return the name a comparison operand stands for: ``N`` or ``urlparse(N).netloc``."""
    if is_local(node):
        return [node]  # type: ignore[list-item]
    if isinstance(node, ast.Attribute) and node.attr in URL_PARTS:
        return url_names(node.value)
    return []


def url_names(node: ast.expr) -> list[ast.Name]:
    """Return the name behind ``urlparse(N)`` or a parsed URL variable."""
    if isinstance(node, ast.Call) and node.args:
        function = node.func
        if call_name(function) in URL_PARSERS and is_local(node.args[0]):
            return [node.args[0]]  # type: ignore[list-item]
    return [node] if is_local(node) else []  # type: ignore[list-item]


def called(node: ast.Call, resolved: frozenset[str]) -> tuple[list[ast.Name], object]:
    """Return the names a checking call reads: ``N.isdigit()``, ``re.match(p, N)``, ``f(N).startswith(p)``."""
    function = node.func
    assert isinstance(function, ast.Attribute)
    if function.attr not in CHECK_METHODS:
        return [], EITHER
    if function.attr == "startswith" and not is_confining(function.value, node.args, resolved):
        return [], EITHER
    if function.attr in ("match", "fullmatch", "search") and isinstance(function.value, ast.Name):
        module = function.value.id in ("re", "regex")
        subject = node.args[1:2] if module else node.args[:1]  # else a compiled pattern
        pattern = node.args[0] if module and node.args else function.value
        # An unanchored search finds a bad character: true means invalid.
        polarity = INVALID if function.attr == "search" and not is_anchored(pattern) else VALID
        return [argument for argument in subject if is_local(argument)], polarity  # type: ignore[misc]
    if is_local(function.value):
        return [function.value], VALID  # type: ignore[list-item]
    found: list[ast.Name] = []
    pending: list[ast.AST] = [function.value] if isinstance(function.value, ast.Call) else []
    while pending:  # os.path.realpath(os.path.join(BASE, N)).startswith(BASE)
        current = pending.pop()
        if isinstance(current, ast.Call):
            pending.extend(reversed(current.args))
        elif is_local(current):
            found.append(current)  # type: ignore[arg-type]
    return found, VALID


def is_anchored(pattern: ast.AST) -> bool:
    """Tell whether a literal pattern is anchored at both ends (``^...$``)."""
    if not isinstance(pattern, ast.Constant) or not isinstance(pattern.value, str | bytes):
        return False
    text = pattern.value if isinstance(pattern.value, str) else pattern.value.decode("latin-1")
    return text.startswith(("^", "\\A")) and text.endswith(("$", "\\Z", "\\z"))


def is_confining(subject: ast.expr, arguments: list[ast.expr], resolved: frozenset[str]) -> bool:
    """Tell whether ``subject.startswith(prefix)`` confines a value: a local path, a URL with its host,
    or a resolved path under a base directory (a format marker such as ``"v1:"`` confines nothing)."""
    if len(arguments) != 1:
        return False
    prefixes = arguments[0].elts if isinstance(arguments[0], ast.Tuple) else [arguments[0]]
    for prefix in prefixes:
        if isinstance(prefix, ast.Constant):
            text = prefix.value if isinstance(prefix.value, str) else ""
            scheme, separator, rest = text.partition("://")
            if not (text.startswith("/") or (separator and scheme.isalpha() and rest.strip("/"))):
                return False
        elif not isinstance(subject, ast.Call) and getattr(subject, "id", None) not in resolved:
            return False
    return True


def first_each(names: list[ast.Name]) -> list[ast.Name]:
    """Keep the first occurrence of each name, in source order."""
    ordered = sorted(names, key=lambda name: (name.lineno, name.col_offset))
    seen: set[str] = set()
    kept: list[ast.Name] = []
    for name in ordered:
        if name.id not in seen:
            seen.add(name.id)
            kept.append(name)
    return kept


def resolved_paths(tree: ast.Module) -> frozenset[str]:
    """Return the names assigned a resolved path (``realpath``, ``abspath``, ``normpath``, ``resolve``)."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call):
            pending: list[ast.AST] = [node.value]
            while pending:
                current = pending.pop()
                if isinstance(current, ast.Call):
                    function = current.func
                    if call_name(function) in PATH_RESOLVERS:
                        names.update(target.id for target in node.targets if isinstance(target, ast.Name))
                        break
                    pending.extend([function, *current.args])
                elif isinstance(current, ast.Attribute):
                    pending.append(current.value)
    return frozenset(names)


def url_sources(tree: ast.Module) -> dict[str, str]:
    """Map each variable assigned ``urlparse(N)`` once in the module to ``N``."""
    sources: dict[str, str] = {}
    repeated: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            target = node.targets[0].id
            origin = url_names(node.value) if isinstance(node.value, ast.Call) else []
            if target in sources or target in repeated or not origin:
                repeated.add(target)
                sources.pop(target, None)
            else:
                sources[target] = origin[0].id
    return sources


def mark(name: ast.Name, text: Text, parsed_urls: dict[str, str]) -> Edit | None:
    """Return the edit that passes a checked name (and the URL it was parsed from) through the guard."""
    marked = f"({name.id} := {GUARD}({name.id}))"
    origin = parsed_urls.get(name.id)
    if origin is not None and origin != name.id:
        marked = f"(({origin} := {GUARD}({origin})), {marked})[1]"
    return text.expression(name, marked)
