"""Follow literal-keyed dicts, lists and ``configparser`` objects through straight-line code.

A read by a literal key whose slot holds a literal becomes that literal; one whose slot holds a
name or a short one-line expression becomes that text, as long as the names it reads are not
rebound. Anything the pass cannot follow makes the container unknown from then on, and its reads
are left alone.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from bastion.agent.engines.prepass.literals import UNKNOWN, evaluate, literal_text
from bastion.agent.engines.prepass.text import Edit, Text

SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)
COMPOUND = (
    ast.If, ast.For, ast.AsyncFor, ast.While, ast.With, ast.AsyncWith, ast.Try, ast.TryStar, ast.Match,
)  # fmt: skip
CONFIG_CLASSES = frozenset({"ConfigParser", "RawConfigParser", "SafeConfigParser"})


@dataclass(frozen=True)
class Content:
    """What a slot holds: the text that can stand for it and the names that text reads (``None``: unknown)."""

    text: str | None = None
    names: frozenset[str] = frozenset()


OPAQUE = Content()
MAX_EXPRESSION = 200
# Expressions that bind, suspend or build a scope cannot simply be written again at the read.
UNREPEATABLE = (
    ast.NamedExpr, ast.Yield, ast.YieldFrom, ast.Await, ast.Lambda, ast.ListComp, ast.SetComp, ast.DictComp,
    ast.GeneratorExp, ast.Starred,
)  # fmt: skip
NO_CHANGE = ("add_section",)  # the key of a recognised call that writes no slot


@dataclass
class Container:
    """A dict (``kind`` "dict"), list ("list") or configparser ("config") and its known slots."""

    kind: str
    slots: dict[Any, Content] = field(default_factory=dict)


@dataclass(frozen=True)
class Access:
    """A recognised read or write: the node, the container's name node and the slot key."""

    node: ast.AST
    name: ast.Name
    key: Any
    value: ast.expr | None = None


def track(tree: ast.Module, text: Text) -> list[Edit]:
    """Return the edits that resolve container reads, scope by scope."""
    functions = [node for node in ast.walk(tree) if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)]
    # A module-level container any function mentions may change at any call: never follow it.
    volatile = {
        node.id
        for definition in tree.body
        if isinstance(definition, SCOPES)
        for node in ast.walk(definition)
        if isinstance(node, ast.Name)
    }
    edits = Scope(text, volatile).run(tree.body)
    for function in functions:
        edits.extend(Scope(text, set()).run(function.body))
    return edits


def key_of(node: ast.AST) -> Any:
    """Return a literal key's value (hashable), or ``UNKNOWN``."""
    value = evaluate(node)
    if value is UNKNOWN or isinstance(value, list):
        return UNKNOWN
    return value


def walk_here(node: ast.AST) -> Iterator[ast.AST]:
    """Yield the nodes of a statement without entering nested functions, lambdas and classes."""
    pending = [node]
    while pending:
        current = pending.pop()
        yield current
        pending.extend(child for child in ast.iter_child_nodes(current) if not isinstance(child, SCOPES))


def names_in(statement: ast.stmt) -> tuple[list[ast.Name], set[str], set[str]]:
    """Return a statement's name reads, the names it (re)binds, and those declared global or nonlocal."""
    loaded: list[ast.Name] = []
    bound: set[str] = set()
    declared: set[str] = set()
    for node in ast.walk(statement):
        if isinstance(node, ast.Name):
            if isinstance(node.ctx, ast.Load):
                loaded.append(node)
            else:
                bound.add(node.id)
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            bound.add(node.name)
        elif isinstance(node, ast.ExceptHandler | ast.MatchAs | ast.MatchStar) and node.name:
            bound.add(node.name)
        elif isinstance(node, ast.Import | ast.ImportFrom):
            bound.update((alias.asname or alias.name).split(".")[0] for alias in node.names)
        elif isinstance(node, ast.Global | ast.Nonlocal):
            declared.update(node.names)
    return loaded, bound | declared, declared


def constructed_kind(value: ast.AST) -> str | None:
    """Return the kind of container a fresh value is, or ``None``."""
    if isinstance(value, ast.Dict | ast.List):
        return "dict" if isinstance(value, ast.Dict) else "list"
    if isinstance(value, ast.Call):
        function = value.func
        called = function.id if isinstance(function, ast.Name) else getattr(function, "attr", None)
        if called == "dict" and not value.args:
            return "dict"
        if called == "list" and not value.args and not value.keywords:
            return "list"
        if called in CONFIG_CLASSES:
            return "config"
    return None


class Scope:
    """The containers of one function body (or the module), followed statement by statement."""

    def __init__(self, text: Text, volatile: set[str]) -> None:
        self.text = text
        self.volatile = volatile
        self.containers: dict[str, Container] = {}
        self.edits: list[Edit] = []

    def run(self, body: list[ast.stmt]) -> list[Edit]:
        """Follow the statements of a body in order and return the edits of the reads resolved."""
        for statement in body:
            loaded, bound, declared = names_in(statement)
            self.volatile |= declared
            nested = isinstance(statement, SCOPES)
            reads = [] if nested or not self.containers else self.reads(statement)
            compound = nested or isinstance(statement, COMPOUND)
            writes = [] if compound else self.writes(statement)
            consumed = {id(access.name) for access in (*reads, *writes)}
            self.forget({name.id for name in loaded if id(name) not in consumed})
            if nested:
                self.forget(bound)
                self.invalidate(bound)
                continue
            if compound:
                self.forget(bound)
                self.invalidate(bound)
                self.resolve(reads)
                continue
            self.resolve(reads)
            self.forget(bound - {access.name.id for access in writes if access.key is None})
            self.invalidate(bound)
            for access in writes:
                self.write(access, reads)
        return self.edits

    def forget(self, names: set[str]) -> None:
        """Stop following containers that something the pass cannot see may change."""
        for name in names:
            self.containers.pop(name, None)

    def invalidate(self, names: set[str]) -> None:
        """Forget the slots that hold a name being rebound."""
        for container in self.containers.values():
            for key, content in container.slots.items():
                if content.names & names:
                    container.slots[key] = OPAQUE

    def content(self, value: ast.expr, reads: list[Access]) -> Content:
        """Return what a written value is: a literal, a name, a resolved read or a simple expression."""
        text = literal_text(evaluate(value))
        if text is not None:
            return Content(text)
        for access in reads:
            if access.node is value:
                return self.lookup(access) or OPAQUE
        # Any other expression stands for itself at the read, while the names it reads stay the same.
        names: set[str] = set()
        for node in ast.walk(value):
            if isinstance(node, UNREPEATABLE):
                return OPAQUE
            if isinstance(node, ast.Name):
                names.add(node.id)
        if names & (self.volatile | self.containers.keys()):
            return OPAQUE
        if not self.text.located(value) or self.text.line_breaks(value):
            return OPAQUE
        segment = self.text.segment(value)
        if len(segment) > MAX_EXPRESSION:
            return OPAQUE
        return Content(segment if isinstance(value, ast.Name) else f"({segment})", frozenset(names))

    def lookup(self, access: Access) -> Content | None:
        """Return the known content of a read's slot, if any."""
        container = self.containers.get(access.name.id)
        if container is None:
            return None
        content = container.slots.get(access.key)
        return None if content is None or content == OPAQUE else content

    def resolve(self, reads: list[Access]) -> None:
        """Replace each read whose slot content is known by that content."""
        for access in reads:
            content = self.lookup(access)
            replacement = None if content is None else content.text
            if replacement is not None:
                edit = self.text.expression(access.node, replacement)
                if edit is not None:
                    self.edits.append(edit)

    def write(self, access: Access, reads: list[Access]) -> None:
        """Record a recognised write; ``key`` None with a value means a fresh container."""
        name = access.name.id
        value = access.value
        if access.key is None:
            kind = None if value is None else constructed_kind(value)
            if kind is None or name in self.volatile:
                self.containers.pop(name, None)
                return
            self.containers[name] = self.fresh(kind, value, reads)
            return
        container = self.containers.get(name)
        if container is None or access.key == NO_CHANGE:
            return
        if container.kind == "list" and access.key == "append":
            container.slots[len(container.slots)] = OPAQUE if value is None else self.content(value, reads)
            return
        if container.kind == "list" and access.key not in container.slots:
            self.containers.pop(name)
            return
        container.slots[access.key] = OPAQUE if value is None else self.content(value, reads)

    def fresh(self, kind: str, value: ast.expr | None, reads: list[Access]) -> Container:
        """Return a new container with the slots of its literal, or unknown ones when not literal."""
        container = Container(kind)
        if isinstance(value, ast.List):
            for index, item in enumerate(value.elts):
                if isinstance(item, ast.Starred):
                    return Container("unknown")
                container.slots[index] = self.content(item, reads)
        elif isinstance(value, ast.Dict):
            for key_node, item in zip(value.keys, value.values, strict=True):
                key = UNKNOWN if key_node is None else key_of(key_node)
                if key is UNKNOWN:
                    return Container("unknown")
                container.slots[key] = self.content(item, reads)
        elif isinstance(value, ast.Call) and kind == "dict":
            for keyword in value.keywords:
                if keyword.arg is None:
                    return Container("unknown")
                container.slots[keyword.arg] = self.content(keyword.value, reads)
        return container

    def reads(self, statement: ast.stmt) -> list[Access]:
        """Return the reads by a literal key of the containers followed, in this statement."""
        found: list[Access] = []
        for node in walk_here(statement):
            access = self.read(node)
            if access is not None:
                found.append(access)
        return found

    def read(self, node: ast.AST) -> Access | None:
        """Return the read a node is (``m["k"]``, ``m.get("k")``, ``conf[s][k]``, ``conf.get(s, k)``)."""
        if isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Load):
            target, key = self.subscripted(node)
            if target is not None and key is not UNKNOWN:
                return Access(node, target, key)
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "get"
            and isinstance(node.func.value, ast.Name)
            and not node.keywords
        ):
            container = self.containers.get(node.func.value.id)
            if container is None:
                return None
            wanted = 2 if container.kind == "config" else 1
            if len(node.args) not in (wanted, wanted + 1 if container.kind == "dict" else wanted):
                return None
            keys = tuple(key_of(argument) for argument in node.args[:wanted])
            if UNKNOWN in keys:
                return None
            return Access(node, node.func.value, keys if container.kind == "config" else keys[0])
        return None

    def subscripted(self, node: ast.Subscript) -> tuple[ast.Name | None, Any]:
        """Return the container name and key of ``m[k]`` / ``lst[i]`` / ``conf[s][k]``."""
        if isinstance(node.value, ast.Name):
            container = self.containers.get(node.value.id)
            if container is None or container.kind not in ("dict", "list"):
                return None, UNKNOWN
            key = key_of(node.slice)
            if container.kind == "list" and isinstance(key, int) and not isinstance(key, bool) and key < 0:
                key += len(container.slots)
            return node.value, key
        if isinstance(node.value, ast.Subscript) and isinstance(node.value.value, ast.Name):
            container = self.containers.get(node.value.value.id)
            if container is None or container.kind != "config":
                return None, UNKNOWN
            section, key = key_of(node.value.slice), key_of(node.slice)
            return node.value.value, UNKNOWN if UNKNOWN in (section, key) else (section, key)
        return None, UNKNOWN

    def writes(self, statement: ast.stmt) -> list[Access]:
        """Return the recognised writes of a simple statement."""
        if isinstance(statement, ast.Assign):
            value = statement.value
            return [access for target in statement.targets for access in self.assigned(target, value)]
        if isinstance(statement, ast.AnnAssign) and statement.value is not None:
            return self.assigned(statement.target, statement.value)
        if isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Call):
            return self.called(statement.value)
        return []

    def assigned(self, target: ast.expr, value: ast.expr) -> list[Access]:
        """Return the write an assignment to ``target`` is."""
        if isinstance(target, ast.Name):
            return [Access(target, target, None, value)]
        if isinstance(target, ast.Subscript):
            container, key = self.subscripted(target)
            if container is not None and key is not UNKNOWN:
                return [Access(target, container, key, value)]
        return []

    def called(self, call: ast.Call) -> list[Access]:
        """Return the writes a method call on a followed container is (update, append, set)."""
        function = call.func
        if not isinstance(function, ast.Attribute) or not isinstance(function.value, ast.Name):
            return []
        name = function.value
        container = self.containers.get(name.id)
        if container is None:
            return []
        method = function.attr
        if container.kind == "list" and method == "append" and len(call.args) == 1 and not call.keywords:
            return [Access(call, name, "append", call.args[0])]
        if container.kind == "config" and method == "add_section":
            return [Access(call, name, NO_CHANGE)] if len(call.args) == 1 else []
        if container.kind == "config" and method == "set" and len(call.args) == 3 and not call.keywords:
            section, key = key_of(call.args[0]), key_of(call.args[1])
            return [] if UNKNOWN in (section, key) else [Access(call, name, (section, key), call.args[2])]
        if container.kind == "dict" and method == "update" and not call.args:
            if any(keyword.arg is None for keyword in call.keywords):
                return []
            return [Access(call, name, keyword.arg, keyword.value) for keyword in call.keywords]
        if container.kind == "dict" and method == "update" and len(call.args) == 1 and not call.keywords:
            literal = call.args[0]
            if not isinstance(literal, ast.Dict):
                return []
            keys = [UNKNOWN if key is None else key_of(key) for key in literal.keys]
            if UNKNOWN in keys:
                return []
            return [Access(call, name, key, item) for key, item in zip(keys, literal.values, strict=True)]
        return []
