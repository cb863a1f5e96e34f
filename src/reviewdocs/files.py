"""Output file names and atomic writes.

Names follow spec section 4: ``<review id>/<document>[-v<N>][-<recipient id>].<ext>``
with ``/`` in ids replaced by ``_``. An accessible variant adds ``-large_print`` or
``-easy_read`` before the extension, so the standard copy is kept beside it.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import tempfile
from pathlib import Path
from typing import IO

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]")


def safe_id(value: str) -> str:
    """An id as a file-name part: ``/`` becomes ``_``; anything else unsafe too."""
    cleaned = _UNSAFE.sub("_", value.replace("/", "_"))
    # A leading dot would hide the file, and "." or ".." would escape the folder.
    return cleaned.lstrip(".") or "_"


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_cell(text: str) -> str:
    """A cell that a spreadsheet shows as text: one starting ``=`` (or ``+ - @``, a tab
    or a carriage return) would otherwise be run as a formula. Names and ids come from
    case records."""
    return "'" + text if text.startswith(_FORMULA_START) else text


def open_csv_for_excel(path: Path) -> IO[str]:
    """A CSV file to write as Excel reads it: UTF-8 with a BOM (without one, Excel shows
    accented names garbled) and CRLF line ends (the csv module's own), readable by its
    owner only (0600: our CSVs name the people reviewed)."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_CLOEXEC", 0)
    fd = os.open(path, flags, 0o600)
    if hasattr(os, "fchmod"):
        os.fchmod(fd, 0o600)  # an older file of that name keeps its mode through O_CREAT
    return open(fd, "w", encoding="utf-8-sig", newline="")


def output_name(
    review_id: str,
    document: str,
    ext: str,
    *,
    version: int = 1,
    recipient_id: str | None = None,
    variant: str = "standard",
) -> str:
    """The relative path of one output document (version 1 carries no ``-v`` suffix)."""
    name = document
    if version > 1:
        name += f"-v{version}"
    if recipient_id:
        name += f"-{safe_id(recipient_id)}"
    if variant != "standard":
        name += f"-{variant}"
    return f"{safe_id(review_id)}/{name}.{ext}"


def write_atomic(path: Path, data: bytes, *, durable: bool = True) -> None:
    """Write ``data`` so that ``path`` is either absent, the old file, or complete.

    The bytes go to a temporary file in the same folder and the file is renamed over
    ``path``: a crash never leaves a half-written document. ``durable`` flushes the
    file to disk before the rename, so it survives a power cut too; a batch passes
    False and syncs once at the end (the rename alone is atomic against a killed
    process, and a resumed batch checks every file's SHA-256 before skipping it).

    Plain ``os`` calls: pathlib's ``mkdir``, ``tempfile.mkstemp`` and a file object
    cost twice the system calls themselves, per letter of a batch. The file is made
    readable by its owner only (0600, as ``mkstemp`` makes it): letters hold personal
    data.
    """
    folder = os.fspath(path.parent)
    try:
        os.mkdir(folder)
    except FileExistsError:
        pass
    except FileNotFoundError:
        os.makedirs(folder, exist_ok=True)
    # One name per process and file; taken (a leftover of a process that had this
    # pid, or another thread here), mkstemp finds a free one.
    tmp = os.path.join(folder, f".{path.name}.{os.getpid()}.part")
    try:
        fd = os.open(tmp, _CREATE, 0o600)
    except FileExistsError:
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".part")
    try:
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
            if durable:
                os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


_CREATE = (
    os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
)


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
