"""Maven: a pom.xml's direct dependencies, with versions that are literal or a property of the same pom."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError, fromstring

from bastion.scanner.engines.dependencies.exceptions import ManifestError
from bastion.scanner.engines.dependencies.limits import Limits, read_text
from bastion.scanner.engines.dependencies.model import Ecosystem, ManifestReading, ReadingBuilder

if TYPE_CHECKING:
    # A type only: every parse goes through defusedxml.
    from xml.etree.ElementTree import Element  # nosec B405

_PROPERTY = re.compile(r"^\$\{([^}]+)\}$")
_LITERAL_VERSION = re.compile(r"^[0-9A-Za-z][0-9A-Za-z._+-]*$")


def read_pom(path: Path, shown: str, limits: Limits) -> ManifestReading:
    """Read pom.xml's ``dependencies``; a version from a parent, a BOM or a range is reported unresolved."""
    text = read_text(path, shown, limits)
    try:
        project = fromstring(text, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except (ParseError, DefusedXmlException) as error:
        raise ManifestError(shown, f"not a safe, well-formed XML document ({error})") from error
    namespace = project.tag[: project.tag.index("}") + 1] if project.tag.startswith("{") else ""
    if project.tag != f"{namespace}project":
        raise ManifestError(shown, "the root element is not <project>")

    def child(element: Element, name: str) -> Element | None:
        return element.find(f"{namespace}{name}")

    def value(element: Element, name: str) -> str | None:
        found = child(element, name)
        return found.text.strip() if found is not None and found.text and found.text.strip() else None

    properties: dict[str, str] = {}
    found_properties = child(project, "properties")
    for item in found_properties if found_properties is not None else []:
        if isinstance(item.tag, str) and item.text is not None:
            properties[item.tag.removeprefix(namespace)] = item.text.strip()
    if (project_version := value(project, "version")) is not None:
        properties["project.version"] = project_version

    managed: dict[str, str] = {}
    management = child(project, "dependencyManagement")
    managed_list = child(management, "dependencies") if management is not None else None
    for dependency in managed_list if managed_list is not None else []:
        group, artifact, version = (value(dependency, key) for key in ("groupId", "artifactId", "version"))
        if group and artifact and version:
            managed[f"{group}:{artifact}"] = version

    direct = child(project, "dependencies")
    dependencies = list(direct) if direct is not None else []
    lines = _direct_dependency_lines(text)
    if len(lines) != len(dependencies):
        lines = [None] * len(dependencies)
    builder = ReadingBuilder(shown, "pom.xml", limits.max_entries)
    for dependency, line in zip(dependencies, lines, strict=True):
        builder.entry()
        group, artifact = value(dependency, "groupId"), value(dependency, "artifactId")
        if not group or not artifact:
            raise ManifestError(shown, f"a dependency has no groupId or artifactId (line {line})")
        name = f"{group}:{artifact}"
        declared = value(dependency, "version") or managed.get(name)
        if declared is None:
            builder.add_unresolved(Ecosystem.MAVEN, name, "", "version managed outside this pom", line)
            continue
        version = declared
        reference = _PROPERTY.match(declared)
        if reference:
            version = properties.get(reference.group(1), declared)
        if _LITERAL_VERSION.match(version):
            builder.add(Ecosystem.MAVEN, name, version, line)
        else:
            builder.add_unresolved(Ecosystem.MAVEN, name, declared, "not a literal version", line)
    return builder.build()


_TAG = re.compile(r"<(/?)(dependencyManagement|dependencies|dependency|plugin|profile|build)\b[^>]*?(/?)>")


def _direct_dependency_lines(text: str) -> list[int | None]:
    """Return the line of each ``<dependency>`` directly under ``<project><dependencies>``, in order."""
    lines: list[int | None] = []
    stack: list[str] = []
    text_without_comments = re.sub(
        r"<!--.*?-->", lambda match: "\n" * match.group(0).count("\n"), text, flags=re.S
    )
    for number, line in enumerate(text_without_comments.splitlines(), start=1):
        for match in _TAG.finditer(line):
            closing, tag, self_closing = match.groups()
            if closing:
                if stack and stack[-1] == tag:
                    stack.pop()
                continue
            if tag == "dependency" and stack == ["dependencies"]:
                lines.append(number)
            if not self_closing:
                stack.append(tag)
    return lines
