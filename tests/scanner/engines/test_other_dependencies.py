"""Go, Maven, RubyGems and crates.io readers."""

from __future__ import annotations

from pathlib import Path

import pytest

from bastion.scanner.engines.dependencies import ManifestError, read_manifest
from tests.scanner.engines.reading import package_rows, read_fixture, unresolved_rows


def test_go_sum_counts_go_mod_lines_once_and_drops_the_v() -> None:
    reading = read_fixture("go", "go.sum")

    assert package_rows(reading) == [
        ("Go", "github.com/gin-gonic/gin", "1.9.0", "go.sum", 1),
        ("Go", "golang.org/x/net", "0.7.0", "go.sum", 3),
        ("Go", "golang.org/x/text", "0.3.7", "go.sum", 5),
        ("Go", "gopkg.in/yaml.v3", "3.0.0-20200313102051-9f266ea9e77c", "go.sum", 6),
        ("Go", "github.com/hashicorp/vault", "1.4.2+incompatible", "go.sum", 7),
    ]


def test_pom_direct_dependencies_with_properties_and_management() -> None:
    reading = read_fixture("maven", "pom.xml")

    # then: plugin dependencies and the commented-out one are not direct dependencies
    assert package_rows(reading) == [
        ("Maven", "com.fasterxml.jackson.core:jackson-databind", "2.13.2", "pom.xml", 35),
        ("Maven", "org.apache.logging.log4j:log4j-core", "2.14.1", "pom.xml", 41),
        ("Maven", "org.yaml:snakeyaml", "1.29", "pom.xml", 46),
        ("Maven", "com.example:orders-api", "1.2.0", "pom.xml", 50),
    ]
    assert unresolved_rows(reading) == [
        ("org.springframework.boot:spring-boot-starter-web", "", "version managed outside this pom", 31),
        ("commons-io:commons-io", "${commons.io.version}", "not a literal version", 55),
        ("junit:junit", "[4.12,5.0)", "not a literal version", 60),
    ]


def test_pom_without_namespace(tmp_path: Path) -> None:
    # given: a pom with no XML namespace and a property used by two dependencies
    (tmp_path / "pom.xml").write_text(
        "<project>\n"
        "  <properties><spring.version>5.3.17</spring.version></properties>\n"
        "  <dependencies>\n"
        "    <dependency><groupId>org.springframework</groupId><artifactId>spring-beans</artifactId>"
        "<version>${spring.version}</version></dependency>\n"
        "    <dependency><groupId>org.springframework</groupId><artifactId>spring-core</artifactId>"
        "<version>${spring.version}</version></dependency>\n"
        "  </dependencies>\n"
        "</project>\n"
    )

    reading = read_manifest(tmp_path / "pom.xml")

    assert package_rows(reading) == [
        ("Maven", "org.springframework:spring-beans", "5.3.17", "pom.xml", 4),
        ("Maven", "org.springframework:spring-core", "5.3.17", "pom.xml", 5),
    ]


def test_gemfile_lock_reads_gem_specs_only() -> None:
    reading = read_fixture("ruby", "Gemfile.lock")

    # then: the GIT gem is not from rubygems.org; a platform gem's version loses its platform
    assert package_rows(reading) == [
        ("RubyGems", "actionpack", "7.0.4", "Gemfile.lock", 10),
        ("RubyGems", "nokogiri", "1.13.9", "Gemfile.lock", 12),
        ("RubyGems", "rack", "2.2.4", "Gemfile.lock", 14),
        ("RubyGems", "racc", "1.6.0", "Gemfile.lock", 15),
    ]


def test_cargo_lock_reads_registry_crates_only() -> None:
    reading = read_fixture("rust", "Cargo.lock")

    assert package_rows(reading) == [
        ("crates.io", "smallvec", "1.6.0", "Cargo.lock", 13),
        ("crates.io", "time", "0.1.43", "Cargo.lock", 19),
    ]


@pytest.mark.parametrize(
    ("name", "content", "problem"),
    [
        ("go.sum", "github.com/a/b v1.0.0\n", "line 1: expected 'module version hash'"),
        ("go.sum", "github.com/a/b 1.0.0 h1:abc=\n", "line 1: expected 'module version hash'"),
        ("pom.xml", "<project><dependencies>", "not a safe, well-formed XML document"),
        (
            "pom.xml",
            '<?xml version="1.0"?>\n<!DOCTYPE project [<!ENTITY x "y">]>\n<project>&x;</project>',
            "not a safe, well-formed XML document",
        ),
        ("pom.xml", "<settings/>", "the root element is not <project>"),
        (
            "pom.xml",
            "<project><dependencies><dependency><version>1</version></dependency></dependencies></project>",
            "a dependency has no groupId or artifactId",
        ),
        (
            "Gemfile.lock",
            "GEM\n  remote: https://rubygems.org/\n  specs:\n    rack 2.2.4\n",
            "line 4: expected a spec",
        ),
        ("Gemfile.lock", "PLATFORMS\n  ruby\n", "no GEM section"),
        ("Cargo.lock", '[[package]]\nname = "x"\n', "a [[package]] table has no name or version"),
        ("Cargo.lock", "[[package]\n", "not valid TOML"),
    ],
)
def test_malformed_files_are_refused(tmp_path: Path, name: str, content: str, problem: str) -> None:
    (tmp_path / name).write_text(content)

    with pytest.raises(ManifestError) as refusal:
        read_manifest(tmp_path / name)

    assert refusal.value.path == name
    assert refusal.value.problem.startswith(problem)
