"""OS file locks: one command at a time per review folder, one batch at a time per --out.

Every command that reads a review's current version from the register and writes the
next (``render``, ``share``, ``amend``) holds that review's lock: an exclusive ``flock``
on ``OUT/<review id>/.reviewdocs.lock``, and the ``--out`` folder shared. A batch holds
the ``--out`` folder exclusively for its whole run, which covers each of its records:
its workers hand their files to the parent, which registers them later, a group at a
time, so no other command may read or write any review there until the batch is done.
Several single commands run side by side on different reviews, one at a time on one
review, and never during a batch into the same folder.

A second run waits a bounded time (``REVIEWDOCS_LOCK_TIMEOUT`` seconds, default 10),
then fails with ``LockBusy`` (exit 1) naming who holds the lock: process id, command
and since when. The holder's details are in the lock file (owner-only, 0600); the
kernel releases a lock when its process dies, so a killed command never leaves a
folder locked.

A review's lock file is removed when its holder is done (with the folder, when the
command created it and left it empty). That is safe because a process that takes the
lock checks that the file it locked is still the one at the path, and tries again
when it is not. The ``--out`` lock is a ``flock`` on the folder itself, so it leaves
no file; a batch writes its details to ``OUT/.reviewdocs-batch`` while it runs.

Within one process the locks are re-entrant: ``share`` inside a command that already
holds the review's lock does not wait for itself.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Final

from reviewdocs.errors import ReviewdocsError
from reviewdocs.files import safe_id

LOCK_NAME: Final = ".reviewdocs.lock"
BATCH_INFO_NAME: Final = ".reviewdocs-batch"
DEFAULT_TIMEOUT_S: Final = 10.0
TIMEOUT_ENV: Final = "REVIEWDOCS_LOCK_TIMEOUT"
_POLL_S: Final = 0.05

_held: dict[str, int] = {}
"""Locks this process holds: path -> depth (re-entrant)."""


class LockBusy(ReviewdocsError):
    """Another reviewdocs process holds the lock and did not let go in time."""


def timeout_s() -> float:
    """The bounded wait: ``REVIEWDOCS_LOCK_TIMEOUT`` seconds if set, else 10."""
    raw = os.environ.get(TIMEOUT_ENV)
    if raw:
        try:
            value = float(raw)
        except ValueError:
            raise ReviewdocsError(
                f"{TIMEOUT_ENV}={raw!r} is not a number of seconds; unset it or give e.g. 10."
            ) from None
        if value >= 0:
            return value
    return DEFAULT_TIMEOUT_S


def holder_line(command: str) -> str:
    since = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
    return f"pid {os.getpid()}, `reviewdocs {command}`, since {since}"


@contextlib.contextmanager
def review_lock(out_dir: Path, review_id: str, command: str) -> Iterator[None]:
    """Hold ``review_id``'s folder in ``out_dir``, and ``out_dir`` shared.

    A batch's records take no lock of their own: the batch holds ``out_dir``
    exclusively, so no other command can be working on any review in it.
    """
    with (
        out_lock(out_dir, command, shared=True),
        _file_lock(Path(out_dir) / safe_id(review_id), review_id, command),
    ):
        yield


@contextlib.contextmanager
def _file_lock(folder: Path, review_id: str, command: str) -> Iterator[None]:
    path = folder / LOCK_NAME
    key = os.path.abspath(path)
    if key in _held:
        _held[key] += 1
        try:
            yield
        finally:
            _held[key] -= 1
        return
    created = _make_folder(folder)
    limit = timeout_s()
    deadline = time.monotonic() + limit
    fd = -1
    while True:
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        except FileNotFoundError:  # the folder was removed by the holder just before
            created = _make_folder(folder) or created
            continue
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            if time.monotonic() >= deadline:
                raise LockBusy(_busy_review(folder, review_id, limit)) from None
            time.sleep(_POLL_S)
            continue
        if _same_file(fd, path):
            break
        os.close(fd)  # locked a file its holder had already removed: take the new one
    try:
        os.ftruncate(fd, 0)
        os.write(fd, (holder_line(command) + "\n").encode())
        _held[key] = 1
        try:
            yield
        finally:
            del _held[key]
            with contextlib.suppress(FileNotFoundError):
                os.unlink(path)
    finally:
        os.close(fd)
        if created:
            with contextlib.suppress(OSError):  # not empty: the command wrote there
                os.rmdir(folder)


@contextlib.contextmanager
def out_lock(out_dir: Path, command: str, *, shared: bool) -> Iterator[None]:
    """Hold the ``--out`` folder: exclusively for a batch, shared for a single command."""
    folder = Path(out_dir)
    key = os.path.abspath(folder) + "/"
    if key in _held:
        _held[key] += 1
        try:
            yield
        finally:
            _held[key] -= 1
        return
    _make_folder(folder)
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        limit = timeout_s()
        deadline = time.monotonic() + limit
        mode = fcntl.LOCK_SH if shared else fcntl.LOCK_EX
        while True:
            try:
                fcntl.flock(fd, mode | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise LockBusy(_busy_out(folder, limit, shared)) from None
                time.sleep(_POLL_S)
        info = folder / BATCH_INFO_NAME
        if not shared:
            _write_private(info, holder_line(command) + "\n")
        _held[key] = 1
        try:
            yield
        finally:
            del _held[key]
            if not shared:
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(info)
    finally:
        os.close(fd)  # closing the last descriptor releases the flock


def holds_review(out_dir: Path, review_id: str) -> bool:
    """Whether this process holds the review's lock (for checks in the library)."""
    return os.path.abspath(Path(out_dir) / safe_id(review_id) / LOCK_NAME) in _held


def _make_folder(folder: Path) -> bool:
    """Create ``folder`` (owner-only) if missing; True when this call created it."""
    try:
        os.mkdir(folder, 0o700)
    except FileExistsError:
        return False
    except FileNotFoundError:
        os.makedirs(folder.parent, exist_ok=True)
        return _make_folder(folder)
    return True


def _same_file(fd: int, path: Path) -> bool:
    try:
        there = os.stat(path)
    except FileNotFoundError:
        return False
    mine = os.fstat(fd)
    return (mine.st_dev, mine.st_ino) == (there.st_dev, there.st_ino)


def _write_private(path: Path, text: str) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, 0o600)
    try:
        os.write(fd, text.encode())
    finally:
        os.close(fd)


def _read_holder(path: Path) -> str:
    """The holder named in a lock's file, or "" (none, or a process no longer running:
    the file of a killed holder stays behind, its lock released)."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace").strip()
    except OSError as exc:
        if exc.errno not in (errno.ENOENT, errno.EACCES, errno.ENOTDIR):
            raise
        return ""
    line = text.splitlines()[0] if text else ""
    pid = line.removeprefix("pid ").split(",", 1)[0]
    if pid.isdigit():
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            return ""
        except PermissionError:
            pass  # running, as another user
    return line


def _seconds(limit: float) -> str:
    return f"{limit:g} s"


def _busy_review(folder: Path, review_id: str, limit: float) -> str:
    holder = _read_holder(folder / LOCK_NAME) or "another reviewdocs process"
    return (
        f"Review {review_id} is busy: another command is working on it ({holder}). "
        f"Waited {_seconds(limit)}; nothing was written. Run this again when it has finished."
    )


def _busy_out(folder: Path, limit: float, shared: bool) -> str:
    batch = _read_holder(folder / BATCH_INFO_NAME)
    if shared or batch:
        return (
            f"{folder} is busy: a batch is producing documents there "
            f"({batch or 'another reviewdocs process'}). Waited {_seconds(limit)}; nothing "
            "was written. Run this again when the batch has finished."
        )
    holders = []
    with contextlib.suppress(OSError):
        for child in sorted(folder.iterdir()):
            line = _read_holder(child / LOCK_NAME)
            if line:
                holders.append(f"{line}, on {child.name}")
    named = "; ".join(holders[:5]) or "another reviewdocs process"
    return (
        f"{folder} is busy: other commands are working there ({named}). Waited "
        f"{_seconds(limit)}; nothing was written. Run the batch again when they have finished."
    )
