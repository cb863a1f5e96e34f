"""Output file names, atomic writes and owner-only files.

Names follow spec section 4: ``<review id>/<document>[-v<N>][-<recipient id>].<ext>``
with ``/`` in ids replaced by ``_``. An accessible variant adds ``-large_print`` or
``-easy_read`` before the extension, so the standard copy is kept beside it.

Everything reviewdocs writes holds personal data, so every file is created readable
and writable by its owner only (0600) and every folder it creates is 0700, whatever
the umask (issue 12 finding 8): ``write_atomic`` for documents, ``open_private`` for
reports, journals and exports written as a stream, ``make_private_dirs`` for folders.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import tempfile
from pathlib import Path
from typing import IO, Any

PRIVATE_FILE = 0o600
PRIVATE_DIR = 0o700

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
    return open_private(path, "w", encoding="utf-8-sig", newline="")


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
        os.mkdir(folder, PRIVATE_DIR)
    except FileExistsError:
        pass
    except FileNotFoundError:
        make_private_dirs(path.parent)
    else:
        os.chmod(folder, PRIVATE_DIR)  # the umask may have taken bits off: put them back
    # One name per process and file; taken (a leftover of a process that had this
    # pid, or another thread here), mkstemp finds a free one.
    tmp = os.path.join(folder, f".{path.name}.{os.getpid()}.part")
    try:
        fd = os.open(tmp, _CREATE, PRIVATE_FILE)
    except FileExistsError:
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".part")
    try:
        try:
            os.fchmod(fd, PRIVATE_FILE)  # 0600 whatever the umask took off
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


def make_private_dirs(path: Path) -> None:
    """Create ``path`` and any missing parent, each new folder 0700 (existing ones are
    left as they are: a parent may be a shared folder the user chose)."""
    missing = []
    folder = Path(path)
    while not folder.exists():
        missing.append(folder)
        if folder.parent == folder:
            break
        folder = folder.parent
    for new in reversed(missing):
        try:
            os.mkdir(new, PRIVATE_DIR)
        except FileExistsError:
            continue
        os.chmod(new, PRIVATE_DIR)


def open_private(path: Path, mode: str = "w", **kwargs: Any) -> IO[Any]:
    """``open(path, mode, **kwargs)`` for a file only its owner may read: created 0600
    (an existing file is narrowed to 0600), its missing folders 0700. For reports,
    journals and exports written as a stream (``batch-report.csv``, the register's CSV
    export); whole documents go through ``write_atomic``."""
    if not any(flag in mode for flag in "wax"):
        raise ValueError(f"open_private is for writing, not mode {mode!r}")
    path = Path(path)
    make_private_dirs(path.parent)
    flags = os.O_CREAT | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
    flags |= os.O_RDWR if "+" in mode else os.O_WRONLY
    if "w" in mode:
        flags |= os.O_TRUNC
    elif "a" in mode:
        flags |= os.O_APPEND
    else:
        flags |= os.O_EXCL
    fd = os.open(path, flags, PRIVATE_FILE)
    try:
        os.fchmod(fd, PRIVATE_FILE)
        return open(fd, mode, **kwargs)
    except BaseException:
        os.close(fd)
        raise


def private_database(path: Path) -> None:
    """Make an SQLite database's file owner-only (0600) before SQLite opens it, its
    folder 0700 if we create it, whatever the umask: SQLite gives the -wal and -shm
    files the database's own mode, so they are owner-only too; any left from an
    earlier, looser run are narrowed (the register's names and amendment texts, the
    front desk's review ids and people)."""
    path = Path(path)
    make_private_dirs(path.parent)
    fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), PRIVATE_FILE)
    try:
        if os.fstat(fd).st_mode & 0o777 != PRIVATE_FILE:
            os.fchmod(fd, PRIVATE_FILE)
    finally:
        os.close(fd)
    for suffix in ("-wal", "-shm", "-journal"):
        with contextlib.suppress(FileNotFoundError):
            os.chmod(f"{path}{suffix}", PRIVATE_FILE)


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
