"""The project is complete read alone: its docs point only inside the repository, and
the pages that describe the code (the contract, the procedures index, the module map)
still match it."""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path

import click
import pytest

from conftest import ROOT
from reviewdocs import codes
from reviewdocs.cli import main

DOCS = ROOT / "docs"
PACKAGE = ROOT / "src" / "reviewdocs"

OUTSIDE = re.compile(r"\.\./shared|shared/spec|shared/procedures")
"""Where the contract and the procedures were read from while writing the project:
outside the repository, so a path to them means nothing to a reader of a clone."""


def _read_alone() -> list[Path]:
    files = [ROOT / "README.md", *DOCS.rglob("*")]
    files += [path for path in (ROOT / "src").rglob("*") if "__pycache__" not in path.parts]
    return sorted(path for path in files if path.is_file())


def test_readme_docs_and_code_point_only_inside_the_repository() -> None:
    found = []
    for path in _read_alone():
        text = path.read_bytes().decode("utf-8", errors="replace")
        for number, line in enumerate(text.splitlines(), start=1):
            if OUTSIDE.search(line):
                found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert found == [], "point inside the repository (docs/contract.md, docs/procedures.md):\n" + (
        "\n".join(found)
    )


def test_the_outside_pattern_catches_each_way_of_writing_it() -> None:
    for text in ("see ../shared/spec/README.md", "in /work/shared/procedures/", "shared/spec"):
        assert OUTSIDE.search(text), text
    assert not OUTSIDE.search("sharing/spec and shared copies")


def test_procedures_index_matches_the_code() -> None:
    spec = importlib.util.spec_from_file_location(
        "procedures_index", ROOT / "tools" / "procedures_index.py"
    )
    assert spec is not None and spec.loader is not None
    index = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = index  # its dataclasses look their module up by name
    spec.loader.exec_module(index)
    page = (DOCS / "procedures.md").read_text(encoding="utf-8")
    assert page == index.render(), (
        "docs/procedures.md is out of date: run python tools/procedures_index.py"
    )
    for number in ("000", "001", "002", "003", "004"):
        assert f"\n## {number}: " in page


def _modules() -> list[str]:
    """Every module, as docs/architecture.md names it: relative to the package."""
    names = []
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE)
        names.append(f"reviewdocs/{relative}" if len(relative.parts) == 1 else str(relative))
    return names


def test_architecture_has_a_line_for_every_module_and_no_other() -> None:
    page = (DOCS / "architecture.md").read_text(encoding="utf-8")
    described = set(re.findall(r"^\| `([\w/]+\.py)` \|", page, flags=re.MULTILINE))
    modules = set(_modules())
    assert sorted(modules - described) == [], "docs/architecture.md: add a line for each"
    assert sorted(described - modules) == [], "docs/architecture.md names modules that are gone"


def _commands(group: click.Group, prefix: str = "") -> dict[str, click.Command]:
    found: dict[str, click.Command] = {}
    for name, command in sorted(group.commands.items()):
        found[prefix + name] = command
        if isinstance(command, click.Group):
            found.update(_commands(command, f"{prefix}{name} "))
    return found


COMMANDS = _commands(main)


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_contract_names_every_command_and_option(name: str) -> None:
    commands = (DOCS / "contract.md").read_text(encoding="utf-8").split("## 2.")[0]
    assert f"`{name}" in commands
    for param in COMMANDS[name].params:
        for option in param.opts:
            if option.startswith("--") and option != "--help":
                assert option in commands, f"{name} {option}"


@pytest.mark.parametrize(
    "code",
    [*codes.OUTCOMES, *codes.SECTIONS, *codes.ACTIONS, *codes.DOCUMENTS, *codes.VARIANTS],
)
def test_contract_names_every_code(code: str) -> None:
    assert f"`{code}`" in (DOCS / "contract.md").read_text(encoding="utf-8")
