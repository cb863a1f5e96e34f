"""Where packaged data lives: the Word templates and the generated JSON Schema.

After a normal install they are inside the package (hatchling force-include);
in a source checkout (editable install) they are read from the repository.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

_REPO_ROOT = Path(__file__).resolve().parents[2]


def _packaged_or_repo(*parts: str) -> Path:
    packaged = Path(str(resources.files("reviewdocs"))).joinpath(*parts)
    if packaged.exists():
        return packaged
    return _REPO_ROOT.joinpath(*parts)


def templates_dir() -> Path:
    """The folder holding ``<document>.docx`` and ``<document>-easy_read.docx``."""
    return _packaged_or_repo("templates", "docx")


def json_schema_path() -> Path:
    return _packaged_or_repo("schemas", "review-input.schema.json")
