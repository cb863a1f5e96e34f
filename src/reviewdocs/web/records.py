"""What the front desk's database holds, as plain records (``store`` reads and writes
them)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class User:
    name: str
    role: str
    disabled: bool

    def may(self, area: str) -> bool:
        """``reviews`` for practitioners, ``batches`` and ``register`` for admins."""
        if self.role == "manager":
            return True
        if area == "reviews":
            return self.role == "practitioner"
        return self.role == "admin"


@dataclass(frozen=True)
class Upload:
    id: str
    owner: str
    kind: str
    path: Path
    review_id: str
    reference: str
    problems: list[dict[str, str]]
    input_sha256: str
    created: float


@dataclass(frozen=True)
class FileRow:
    id: str
    owner: str
    upload: str
    review_id: str
    label: str
    path: Path
    sha256: str


@dataclass(frozen=True)
class Batch:
    id: str
    owner: str
    folder: Path
    source: Path
    documents: list[str]
    total: int
    invalid: int
    problems: list[dict[str, str]]
    state: str
    pid: int
    created: float
