"""The package's shape: data flows one way through the stages, and no module imports a
later stage or takes part in an import circle (docs/architecture.md).

Every import counts, including those inside functions and under ``TYPE_CHECKING``: a
local import is still a dependency, only a deferred one.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from conftest import ROOT

PACKAGE = ROOT / "src" / "reviewdocs"

# Shared by every stage: what an error is, the contract's codes, dates, files, resources,
# the locks every command that writes a review holds, and the crash tests' fault points.
COMMON = frozenset(
    {"reviewdocs", "reviewdocs.errors", "reviewdocs.codes", "reviewdocs.dates"}
    | {"reviewdocs.files", "reviewdocs.resources", "reviewdocs.locks", "reviewdocs.faults"}
)
STAGES = ("intake", "decision", "documents", "disclosure", "post", "batch")
FRONT_ENDS = ("cli", "web", "__main__")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {_module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def rank(module: str) -> int:
    """0 for what every stage shares, then the stages in the order data flows."""
    if module in COMMON:
        return 0
    top = module.split(".")[1]
    if top in STAGES:
        return STAGES.index(top) + 1
    if top in FRONT_ENDS:
        return len(STAGES) + 1
    raise AssertionError(f"{module} belongs to no stage: add it to one (docs/architecture.md)")


def _resolve(name: str) -> str:
    """The module an imported name lives in: ``a.b.c`` if it is a module, else ``a.b``."""
    while name not in MODULES and "." in name:
        name = name.rsplit(".", 1)[0]
    return name


def imports_of(module: str) -> set[str]:
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [f"{node.module}.{alias.name}" for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            raise AssertionError(f"{module}: use absolute imports (from reviewdocs....)")
        else:
            continue
        found |= {_resolve(name) for name in names if name.split(".")[0] == "reviewdocs"}
    found.discard(module)
    return found


GRAPH = {module: imports_of(module) for module in MODULES}


@pytest.mark.parametrize("module", sorted(MODULES))
def test_no_module_imports_a_later_stage(module: str) -> None:
    later = sorted(target for target in GRAPH[module] if rank(target) > rank(module))
    assert later == [], f"{module} (stage {rank(module)}) imports a later stage: {later}"


def test_no_import_circles() -> None:
    circles: list[list[str]] = []
    done: set[str] = set()

    def visit(module: str, path: list[str]) -> None:
        if module in path:
            circles.append([*path[path.index(module) :], module])
            return
        if module in done:
            return
        for target in sorted(GRAPH[module]):
            visit(target, [*path, module])
        done.add(module)

    for module in sorted(GRAPH):
        visit(module, [])
    assert circles == []


def test_no_exported_name_hides_a_module() -> None:
    """A stage's ``__init__`` names its public functions; none may share a name with one of
    the package's modules, or ``package.module`` would find the function instead."""
    for module in MODULES:
        if MODULES[module].name != "__init__.py" or module == "reviewdocs":
            continue
        submodules = {name.rsplit(".", 1)[1] for name in MODULES if name.startswith(module + ".")}
        tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
        # A module imported by its own name is that module, not a name that hides it.
        exported = {
            alias.asname or alias.name
            for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom)
            for alias in node.names
            if f"{node.module}.{alias.name}" not in MODULES
        }
        assert not exported & submodules, (
            f"{module} exports a name that hides its module: {sorted(exported & submodules)}"
        )
