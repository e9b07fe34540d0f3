"""Mark the values that reach a helper, an attribute or a return of the same file as user input.

Semgrep's open-source taint analysis stays inside one function: it does not follow a tainted
argument into a helper of the file, an attribute set in one method and read in another, a
dataclass field, or a helper that returns request data. A small syntactic taint over the module
(never executing anything) finds those flows: its sources are expressions under ``request.``,
the parameters of route handlers and Django views, and calls of the file's functions that return
tainted data; it follows assignments, calls into the file's functions, methods and constructors,
and instance attributes to a bounded fixpoint. The rewrite then passes through
``__bastion_input__(...)``, which Bastion's rules declare a source:

* each read of a tainted parameter before the parameter is first rebound (a validation guard's
  ``(P := __bastion_guard__(P))`` rebinds it, so a checked parameter stays clean);
* each read of a tainted attribute (``self.a``, or ``x.a`` on a plain name);
* each call of a file function whose return is tainted by its own body, not by its arguments
  (Semgrep already carries an argument's taint to the call's result).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

from bastion.agent.engines.prepass.text import Edit, Text

INPUT = "__bastion_input__"
OWN, ARGUMENT = 1, 2  # tainted by the function's own body, or by a tainted argument of a caller
ROUNDS = 8
ROUTE_METHODS = frozenset({
    "route", "get", "post", "put", "patch", "delete", "head", "options", "api_route", "websocket", "view",
})  # fmt: skip
# Handler parameters that are the framework's objects or injected services, not the user's values.
NOT_INPUT = frozenset({
    "self", "cls", "request", "req", "response", "res", "db", "session", "background_tasks", "websocket",
    "app", "settings", "current_user", "user",
})  # fmt: skip
VIEW_METHODS = frozenset({"get", "post", "put", "patch", "delete", "head", "options", "dispatch"})
SAFE_TYPES = frozenset({"int", "float", "bool", "UUID", "date", "datetime", "time", "Decimal"})
# The framework's own objects: a parameter of these types holds no value the user chose.
FRAMEWORK_TYPES = frozenset({
    "Request", "HttpRequest", "Response", "HttpResponse", "JSONResponse", "WebSocket", "BackgroundTasks",
    "Session", "AsyncSession", "Connection", "Cursor",
})  # fmt: skip
DEPENDENCIES = frozenset({"Depends", "Security"})
SANITISERS = frozenset({
    "int", "float", "bool", "len", "UUID", "uuid.UUID", "shlex.quote", "html.escape", "escape",
    "markupsafe.escape", "quote", "urllib.parse.quote", "parse.quote", "os.path.basename", "path.basename",
    "secure_filename", "escape_filter_chars", "__bastion_guard__",
})  # fmt: skip
REQUEST_STATE = frozenset({"session", "user", "app", "state", "auth", "method", "scheme", "db", "config"})
ROW_READERS = frozenset({"get_object_or_404", "get_list_or_404"})  # a database row is not the user's input
# Methods that store their argument in the object they are called on (`self.store.set(s, k, value)`).
MUTATORS = frozenset(
    {"append", "extend", "insert", "add", "update", "setdefault", "set", "write", "writelines", "put"}
)
# Database handles: what is written through them is not read back from the handle itself.
HANDLES = frozenset({"session", "db", "cursor", "connection", "conn", "engine"})
SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp)


@dataclass
class Function:
    """One function or method of the file and what the analysis learnt about it."""

    node: ast.FunctionDef | ast.AsyncFunctionDef | ast.Module
    owner: str | None  # the class a method belongs to
    sources: set[str] = field(default_factory=set)  # parameters that hold user input from the start
    tainted: set[str] = field(default_factory=set)  # parameters a caller passes tainted data to
    requests: set[str] = field(default_factory=set)  # parameters a caller passes the request object to
    returns_own: bool = False
    types: dict[str, str] = field(default_factory=dict)  # locals known to hold an instance of a file class


@dataclass
class Class:
    """One class of the file: its methods, its fields (dataclass-like) and its tainted attributes."""

    name: str
    bases: list[str]
    methods: dict[str, Function] = field(default_factory=dict)
    fields: list[str] = field(default_factory=list)
    attributes: set[str] = field(default_factory=set)  # every attribute the class defines
    tainted: set[str] = field(default_factory=set)
    safe: set[str] = field(default_factory=set)  # fields annotated as a number, boolean, UUID or date


class Module:
    """The file's functions, classes and imported names, and the taint found between them."""

    def __init__(self, tree: ast.Module) -> None:
        self.functions: dict[str, Function] = {}
        self.classes: dict[str, Class] = {}
        self.imported: set[str] = set()
        self.tainted: set[str] = set()  # the attributes tainted in any class of the file
        self.everything: list[Function] = [Function(tree, None)]
        repeated: set[str] = set()
        for statement in tree.body:
            if isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef):
                function = Function(statement, None, sources=route_sources(statement, None))
                self.everything.append(function)
                if statement.name in self.functions:
                    repeated.add(statement.name)
                self.functions[statement.name] = function
            elif isinstance(statement, ast.ClassDef):
                self.classes[statement.name] = self.read_class(statement)
        for name in repeated:
            self.functions.pop(name, None)
        for node in ast.walk(tree):
            if isinstance(node, ast.Import | ast.ImportFrom):
                self.imported.update((alias.asname or alias.name).split(".")[0] for alias in node.names)
        self.owners: dict[str, list[Class]] = {}
        for known in self.classes.values():
            for name in known.methods:
                self.owners.setdefault(name, []).append(known)

    def read_class(self, node: ast.ClassDef) -> Class:
        """Collect a class's methods, fields and attributes."""
        known = Class(node.name, [base.id for base in node.bases if isinstance(base, ast.Name)])
        for statement in node.body:
            if isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef):
                method = Function(statement, node.name, sources=route_sources(statement, node.name))
                known.methods[statement.name] = method
                self.everything.append(method)
            elif isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name):
                known.fields.append(statement.target.id)
                if is_safe_type(statement.annotation):
                    known.safe.add(statement.target.id)
                known.attributes.add(statement.target.id)
            elif isinstance(statement, ast.Assign):
                known.attributes.update(
                    target.id for target in statement.targets if isinstance(target, ast.Name)
                )
        for inner in ast.walk(node):
            if isinstance(inner, ast.Attribute) and isinstance(inner.ctx, ast.Store):
                if isinstance(inner.value, ast.Name) and inner.value.id == "self":
                    known.attributes.add(inner.attr)
        return known

    def lineage(self, name: str | None) -> list[Class]:
        """Return a class and its ancestors defined in the file."""
        found: list[Class] = []
        pending = [name] if name else []
        while pending and len(found) < 16:
            current = self.classes.get(pending.pop())
            if current is not None and current not in found:
                found.append(current)
                pending.extend(current.bases)
        return found

    def method(self, class_name: str | None, name: str) -> Function | None:
        """Return the method a class (or an ancestor of the file) defines under a name."""
        for known in self.lineage(class_name):
            if name in known.methods:
                return known.methods[name]
        return None

    def tainted_attributes(self, class_name: str | None) -> set[str]:
        """Return the tainted attributes of a class and its ancestors."""
        return {name for known in self.lineage(class_name) for name in known.tainted}

    def taint(self, known: Class, attribute: str) -> bool:
        """Taint one attribute of a class; tell whether it was clean until now."""
        if attribute in known.tainted:
            return False
        known.tainted.add(attribute)
        self.tainted.add(attribute)
        return True


def route_sources(node: ast.FunctionDef | ast.AsyncFunctionDef, owner: str | None) -> set[str]:
    """Return the parameters of a route handler or view that hold user input."""
    arguments = node.args
    positional = [*arguments.posonlyargs, *arguments.args]
    names = [argument.arg for argument in positional]
    routed = any(
        isinstance(decorator, ast.Call)
        and isinstance(decorator.func, ast.Attribute)
        and decorator.func.attr in ROUTE_METHODS
        for decorator in node.decorator_list
    )
    if routed:
        chosen = [*positional, *arguments.kwonlyargs]
    elif owner is None and names[:1] == ["request"]:
        chosen = [*positional[1:], *arguments.kwonlyargs]
    elif owner is not None and node.name in VIEW_METHODS and names[1:2] == ["request"]:
        chosen = [*positional[2:], *arguments.kwonlyargs]
    else:
        return set()
    defaults = dict(
        zip([argument.arg for argument in positional][::-1], arguments.defaults[::-1], strict=False)
    )
    defaults.update(
        (argument.arg, default)
        for argument, default in zip(arguments.kwonlyargs, arguments.kw_defaults, strict=True)
        if default is not None
    )
    found = {
        argument.arg
        for argument in chosen
        if argument.arg not in NOT_INPUT
        and not is_safe_type(argument.annotation)
        and not is_dependency(defaults.get(argument.arg))
        and not is_dependency(argument.annotation)
    }
    found.update(argument.arg for argument in (arguments.vararg, arguments.kwarg) if argument and not routed)
    return found


def is_safe_type(annotation: ast.expr | None) -> bool:
    """Tell whether a parameter's annotation is a number, boolean, UUID, date or framework object."""
    if isinstance(annotation, ast.Subscript) and dotted(annotation.value).endswith("Annotated"):
        inner = annotation.slice
        annotation = inner.elts[0] if isinstance(inner, ast.Tuple) and inner.elts else inner
    name = dotted(annotation).rsplit(".", 1)[-1] if annotation is not None else ""
    return name in SAFE_TYPES or name in FRAMEWORK_TYPES


def safe_parameters(node: ast.FunctionDef | ast.AsyncFunctionDef) -> set[str]:
    """Return the parameters annotated as a number, boolean, UUID or date: they cannot carry an injection."""
    arguments = node.args
    declared = (*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs)
    return {argument.arg for argument in declared if is_safe_type(argument.annotation)}


def is_dependency(node: ast.expr | None) -> bool:
    """Tell whether a default or annotation injects a dependency (``Depends(...)``), not user input."""
    if node is None:
        return False
    return any(
        isinstance(inner, ast.Call) and dotted(inner.func).rsplit(".", 1)[-1] in DEPENDENCIES
        for inner in ast.walk(node)
    )


def dotted(node: ast.AST) -> str:
    """Return ``a.b.c`` for a name or attribute chain, else an empty string."""
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return ""
    parts.append(node.id)
    return ".".join(reversed(parts))


def is_sanitiser(node: ast.AST) -> bool:
    """Tell whether a node is a call that makes its result safe (a number, an escaped or hashed value)."""
    if not isinstance(node, ast.Call):
        return False
    name = dotted(node.func)
    if name in SANITISERS or name.startswith("hashlib.") or name in ROW_READERS:
        return True
    return ".objects." in dotted(node.func.value) + "." if isinstance(node.func, ast.Attribute) else False


def constant_lookup(node: ast.AST) -> list[ast.expr]:
    """Return ``[table, default...]`` for ``TABLE[key]`` or ``TABLE.get(key, default)``, else ``[]``."""
    if isinstance(node, ast.Subscript) and is_constant_name(node.value):
        return [node.value]
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "get"
        and is_constant_name(node.func.value)
        and node.args
    ):
        return [node.func.value, *node.args[1:], *(keyword.value for keyword in node.keywords)]
    return []


def is_constant_name(node: ast.AST) -> bool:
    """Tell whether a node names a module constant (``ALLOWED_HOSTS``)."""
    return isinstance(node, ast.Name) and node.id.isupper()


def annotation_class(annotation: ast.expr | None) -> str | None:
    """Return the class name an annotation names (``Job``, ``"Job"``, ``models.Job``)."""
    if isinstance(annotation, ast.Constant) and isinstance(annotation.value, str):
        return annotation.value.strip().rsplit(".", 1)[-1]
    return dotted(annotation).rsplit(".", 1)[-1] if annotation is not None else None


class Analysis:
    """Follow the taint through one function in source order, recording what it gives its callees."""

    def __init__(self, module: Module, function: Function) -> None:
        self.module = module
        self.function = function
        self.names: dict[str, int] = {}
        self.types: dict[str, str] = function.types
        self.requests = {"request", *function.requests}
        self.changed = False
        node = function.node
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            arguments = node.args
            for argument in (*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs):
                if (class_name := annotation_class(argument.annotation)) in module.classes:
                    self.types[argument.arg] = class_name
            for name in function.sources:
                self.names[name] = OWN
            for name in function.tainted:
                self.names[name] = self.names.get(name, 0) | ARGUMENT

    def run(self) -> None:
        """Walk the function's body in source order and record every flow out of it."""
        returns = 0
        root = self.function.node
        pending: list[ast.AST] = list(reversed(root.body))
        while pending:
            node = pending.pop()
            if isinstance(node, (*SCOPES, ast.Lambda)):
                continue
            if isinstance(node, ast.Assign | ast.AnnAssign | ast.AugAssign) and node.value is not None:
                flags = self.kinds(node.value)
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                for target in targets:
                    self.bind(target, flags, keep=isinstance(node, ast.AugAssign), value=node.value)
            elif isinstance(node, ast.NamedExpr):
                self.bind(node.target, self.kinds(node.value), keep=False, value=node.value)
            elif isinstance(node, ast.For | ast.AsyncFor | ast.comprehension):
                self.bind(node.target, self.kinds(node.iter), keep=False, value=None)
            elif isinstance(node, ast.withitem) and node.optional_vars is not None:
                self.bind(node.optional_vars, self.kinds(node.context_expr), keep=False, value=None)
            elif isinstance(node, ast.Return) and node.value is not None:
                returns |= self.kinds(node.value)
            elif isinstance(node, ast.Call):
                self.call(node)
            pending.extend(reversed(list(ast.iter_child_nodes(node))))
        if returns & OWN and not self.function.returns_own:
            self.function.returns_own = True
            self.changed = True

    def kinds(self, node: ast.AST) -> int:
        """Return how an expression is tainted: by the function's own sources, by an argument, or not."""
        if is_sanitiser(node):
            return 0
        flags = 0
        pending = [node]
        while pending:
            current = pending.pop()
            if is_sanitiser(current) or isinstance(current, SCOPES):
                continue
            if looked_up := constant_lookup(current):  # a value of a constant table, whatever the key
                pending.extend(looked_up[1:])
                continue
            if isinstance(current, ast.Name) and isinstance(current.ctx, ast.Load):
                flags |= self.names.get(current.id, 0)
            elif isinstance(current, ast.Attribute):
                if self.is_source(current) or self.is_tainted_attribute(current):
                    flags |= OWN
            elif isinstance(current, ast.Call):
                if any(callee.returns_own for callee, _ in self.module_callees(current)):
                    flags |= OWN
            pending.extend(ast.iter_child_nodes(current))
        return flags

    def is_source(self, node: ast.Attribute) -> bool:
        """Tell whether an attribute reads the request (``request.x``, ``self.request.x``)."""
        value = node.value
        if node.attr in REQUEST_STATE:
            return False
        if isinstance(value, ast.Name):
            return value.id in self.requests
        return (
            isinstance(value, ast.Attribute)
            and value.attr == "request"
            and isinstance(value.value, ast.Name)
            and value.value.id in ("self", "flask")
        )

    def is_tainted_attribute(self, node: ast.Attribute) -> bool:
        """Tell whether an attribute read is a tainted attribute of a class of the file."""
        return is_tainted_attribute(self.module, self.function, node)

    def bind(self, target: ast.AST, flags: int, *, keep: bool, value: ast.AST | None) -> None:
        """Record what an assignment target holds after the assignment."""
        if isinstance(target, ast.Name):
            if keep:
                flags |= self.names.get(target.id, 0)
            if flags:
                self.names[target.id] = flags
            else:
                self.names.pop(target.id, None)
            created = self.created_class(value)
            if created:
                self.types[target.id] = created
            return
        if isinstance(target, ast.Tuple | ast.List):
            for element in target.elts:
                self.bind(element, flags, keep=keep, value=None)
        elif isinstance(target, ast.Starred):
            self.bind(target.value, flags, keep=keep, value=None)
        elif isinstance(target, ast.Subscript) and flags:
            self.fill(target.value, flags)
        elif isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name) and flags:
            self.taint_attribute(target.value.id, target.attr)

    def fill(self, container: ast.AST, flags: int) -> None:
        """Taint a container (a local or an attribute) that a tainted value is written into."""
        if isinstance(container, ast.Name):
            self.names[container.id] = self.names.get(container.id, 0) | flags
        elif isinstance(container, ast.Attribute) and isinstance(container.value, ast.Name):
            if container.attr not in HANDLES:
                self.taint_attribute(container.value.id, container.attr)

    def created_class(self, value: ast.AST | None) -> str | None:
        """Return the file class a value is an instance of: ``C(...)`` or a function annotated ``-> C``."""
        if not isinstance(value, ast.Call | ast.Await):
            return None
        call = value.value if isinstance(value, ast.Await) else value
        if not isinstance(call, ast.Call):
            return None
        name = dotted(call.func)
        if name in self.module.classes:
            return name
        function = self.module.functions.get(name)
        if function is not None and not isinstance(function.node, ast.Module):
            returned = annotation_class(function.node.returns)
            return returned if returned in self.module.classes else None
        return None

    def taint_attribute(self, holder: str, attribute: str) -> None:
        """Taint ``holder.attribute`` in the class the holder is known (or the only one) to be."""
        if holder in ("self", "cls"):
            classes = self.module.lineage(self.function.owner)[:1]
        elif holder in self.types:
            classes = [self.module.classes[self.types[holder]]]
        else:
            classes = [known for known in self.module.classes.values() if attribute in known.attributes]
            classes = classes if len(classes) == 1 else []
        for known in classes:
            self.changed |= self.module.taint(known, attribute)

    def module_callees(self, node: ast.Call) -> list[tuple[Function, bool]]:
        """Return the file's functions a call may run, each with whether ``self`` is bound."""
        return callees(self.module, self.function, node, self.types)

    def call(self, node: ast.Call) -> None:
        """Taint the parameters (or dataclass fields) a call passes tainted arguments to."""
        function = node.func
        if isinstance(function, ast.Attribute) and function.attr in MUTATORS:
            flags = 0
            for argument in (*node.args, *(keyword.value for keyword in node.keywords)):
                flags |= self.kinds(argument)
            if flags:
                self.fill(function.value, flags)
        created = self.module.classes.get(constructed(self.function, node))
        if created is not None and self.module.method(created.name, "__init__") is None:
            fields = [name for known in reversed(self.module.lineage(created.name)) for name in known.fields]
            safe = {name for known in self.module.lineage(created.name) for name in known.safe}
            for name in self.passed(node, fields, None, None) - safe:
                self.changed |= self.module.taint(created, name)
            return
        for callee, bound in self.module_callees(node):
            assert not isinstance(callee.node, ast.Module)
            arguments = callee.node.args
            positional = [argument.arg for argument in (*arguments.posonlyargs, *arguments.args)]
            if bound and positional[:1] in (["self"], ["cls"]):
                positional = positional[1:]
            positional += [
                argument.arg for argument in arguments.kwonlyargs if argument.arg not in positional
            ]
            extra = arguments.vararg.arg if arguments.vararg else None
            keywords = arguments.kwarg.arg if arguments.kwarg else None
            for parameter in self.passed(node, positional, extra, keywords) - safe_parameters(callee.node):
                if parameter not in callee.tainted:
                    callee.tainted.add(parameter)
                    self.changed = True
            for parameter in self.passed_request(node, positional):
                if parameter not in callee.requests:
                    callee.requests.add(parameter)
                    self.changed = True

    def passed(
        self, node: ast.Call, positional: list[str], extra: str | None, keywords: str | None
    ) -> set[str]:
        """Return the parameters a call gives tainted values (all of them for a tainted ``*`` or ``**``)."""
        everything = {*positional, *(name for name in (extra, keywords) if name)}
        found: set[str] = set()
        for index, argument in enumerate(node.args):
            if not self.kinds(argument):
                continue
            if isinstance(argument, ast.Starred):
                return everything
            if index < len(positional):
                found.add(positional[index])
            elif extra:
                found.add(extra)
        for keyword in node.keywords:
            if not self.kinds(keyword.value):
                continue
            if keyword.arg is None:
                return everything
            if keyword.arg in positional:
                found.add(keyword.arg)
            elif keywords:
                found.add(keywords)
        return found

    def passed_request(self, node: ast.Call, positional: list[str]) -> set[str]:
        """Return the parameters a call gives the request object itself."""
        found: set[str] = set()
        for index, argument in enumerate(node.args[: len(positional)]):
            if self.is_request(argument):
                found.add(positional[index])
        for keyword in node.keywords:
            if keyword.arg in positional and self.is_request(keyword.value):
                found.add(keyword.arg)
        return found

    def is_request(self, node: ast.AST) -> bool:
        """Tell whether an expression is the request object (``request`` or ``self.request``)."""
        if isinstance(node, ast.Name):
            return node.id in self.requests
        return dotted(node) == "self.request"


def callees(
    module: Module, function: Function, node: ast.Call, types: dict[str, str]
) -> list[tuple[Function, bool]]:
    """Return the file's functions a call may run, each with whether ``self`` is bound."""
    target = node.func
    if isinstance(target, ast.Name):
        if target.id in module.functions:
            return [(module.functions[target.id], False)]
        created = constructed(function, node)
        initialiser = module.method(created, "__init__") if created in module.classes else None
        return [(initialiser, True)] if initialiser else []
    if not isinstance(target, ast.Attribute) or not isinstance(target.value, ast.Name):
        return []
    holder, name = target.value.id, target.attr
    if holder in ("self", "cls"):
        found = module.method(function.owner, name)
        return [(found, True)] if found else []
    if holder in module.classes:
        found = module.method(holder, name)
        is_static = found is not None and any(
            dotted(decorator) == "staticmethod" for decorator in getattr(found.node, "decorator_list", [])
        )
        return [(found, not is_static)] if found else []
    if holder in types:
        found = module.method(types[holder], name)
        return [(found, True)] if found else []
    if holder in module.imported or holder == "request":
        return []
    owners = module.owners.get(name, [])
    return [(owners[0].methods[name], True)] if len(owners) == 1 else []


def constructed(function: Function, node: ast.Call) -> str:
    """Return the class name a call may construct: ``C(...)``, or ``cls(...)`` in a method of ``C``."""
    name = dotted(node.func)
    return function.owner if name == "cls" and function.owner else name


def is_tainted_attribute(module: Module, function: Function, node: ast.Attribute) -> bool:
    """Tell whether ``self.a`` or ``x.a`` reads a tainted attribute of a class of the file."""
    value = node.value
    if not isinstance(value, ast.Name):
        return False
    if value.id in ("self", "cls"):
        return node.attr in module.tainted_attributes(function.owner)
    if value.id in module.imported or value.id in module.classes or value.id == "request":
        return False
    if value.id in function.types:  # an instance of a known class: only that class's attributes count
        return node.attr in module.tainted_attributes(function.types[value.id])
    return node.attr in module.tainted


def mark_inputs(tree: ast.Module, text: Text) -> list[Edit]:
    """Return the edits that pass same-file flows of user input through ``__bastion_input__``."""
    try:
        return find_inputs(tree, text)
    except Exception:  # noqa: BLE001 - a failure of this pass must not cost the other passes' rewrites
        return []


def find_inputs(tree: ast.Module, text: Text) -> list[Edit]:
    """Run the taint to its fixpoint and return the wrapping edits."""
    module = Module(tree)
    for _ in range(ROUNDS):
        changed = False
        for function in module.everything:
            analysis = Analysis(module, function)
            analysis.run()
            changed |= analysis.changed
        if not changed:
            break
    wrapped: dict[int, ast.AST] = {}
    for function in module.everything:
        for node in reads(module, function):
            wrapped[id(node)] = node
    edits: list[Edit] = []
    for node in wrapped.values():
        if not text.located(node):
            continue
        start, end = text.span(node)
        edits.extend((Edit(start, start, INPUT + "("), Edit(end, end, ")")))
    return edits


def reads(module: Module, function: Function) -> list[ast.AST]:
    """Return the parameter reads, attribute reads and calls of one function to wrap."""
    root = function.node
    skipped: set[int] = set()
    nodes: list[ast.AST] = []
    pending: list[ast.AST] = list(root.body)
    while pending:
        node = pending.pop()
        if isinstance(node, SCOPES):
            continue  # a nested definition (and its decorators) is never marked
        if isinstance(node, ast.Call):
            skipped.add(id(node.func))
        if isinstance(node, ast.AnnAssign):
            skipped.update(id(inner) for inner in ast.walk(node.annotation))
        if isinstance(node, (*COMPREHENSIONS, ast.Lambda)):
            skipped.update(id(inner) for inner in local_reads(node))
        if constant_lookup(node):  # the key only picks one of the table's constant values
            key = (
                node.slice
                if isinstance(node, ast.Subscript)
                else node.args[0]
                if isinstance(node, ast.Call)
                else node
            )
            skipped.update(id(inner) for inner in ast.walk(key))
        if isinstance(node, ast.Attribute | ast.Subscript | ast.Starred) and isinstance(
            node.ctx, ast.Store | ast.Del
        ):
            base: ast.AST = node
            while isinstance(base, ast.Attribute | ast.Subscript | ast.Starred):
                base = base.value
                skipped.add(id(base))
        nodes.append(node)
        pending.extend(ast.iter_child_nodes(node))
    rebound = first_rebindings(nodes, function.tainted)
    found: list[ast.AST] = []
    for node in nodes:
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load) and node.id in function.tainted:
            if (node.lineno, node.col_offset) < rebound.get(node.id, (1 << 30, 0)):
                found.append(node)
        elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Load):
            if is_tainted_attribute(module, function, node):
                found.append(node)
        elif isinstance(node, ast.Call) and any(
            callee.returns_own for callee, _ in callees(module, function, node, function.types)
        ):
            found.append(node)
    return found


def local_reads(node: ast.expr) -> list[ast.Name]:
    """Return the reads, inside a comprehension or lambda, of the names it binds for itself."""
    if isinstance(node, ast.Lambda):
        arguments = node.args
        declared = (
            *arguments.posonlyargs,
            *arguments.args,
            *arguments.kwonlyargs,
            arguments.vararg,
            arguments.kwarg,
        )
        bound = {argument.arg for argument in declared if argument}
    else:
        generators = node.generators  # type: ignore[attr-defined]
        bound = {
            name.id
            for generator in generators
            for name in ast.walk(generator.target)
            if isinstance(name, ast.Name)
        }
    return [inner for inner in ast.walk(node) if isinstance(inner, ast.Name) and inner.id in bound]


def first_rebindings(nodes: list[ast.AST], names: set[str]) -> dict[str, tuple[int, int]]:
    """Return, for each name, the position after which its first rebinding in the function holds."""
    found: dict[str, tuple[int, int]] = {}
    if not names:
        return found
    for node in nodes:
        holder: ast.AST | None = None
        targets: list[ast.AST] = []
        if isinstance(node, ast.Assign | ast.AugAssign | ast.AnnAssign | ast.NamedExpr):
            holder = node
            targets = list(node.targets) if isinstance(node, ast.Assign) else [node.target]
        elif isinstance(node, ast.For | ast.AsyncFor):
            holder = node.target
            targets = [node.target]
        elif isinstance(node, ast.ExceptHandler) and node.name in names:
            found[node.name] = min(found.get(node.name, (node.lineno, 0)), (node.lineno, 0))
        elif isinstance(node, ast.withitem) and node.optional_vars is not None:
            holder = node.optional_vars
            targets = [node.optional_vars]
        elif isinstance(node, ast.Delete):
            holder = node
            targets = list(node.targets)
        if holder is None:
            continue
        end = (holder.end_lineno or 0, holder.end_col_offset or 0)  # type: ignore[attr-defined]
        for target in targets:
            for inner in ast.walk(target):
                if (
                    isinstance(inner, ast.Name)
                    and isinstance(inner.ctx, ast.Store | ast.Del)
                    and inner.id in names
                ):
                    found[inner.id] = min(found.get(inner.id, end), end)
    return found
