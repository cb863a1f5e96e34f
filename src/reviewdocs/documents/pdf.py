"""Tagged PDF through one persistent headless LibreOffice.

Starting LibreOffice costs about a second; converting a letter in a running one
about 150 ms. So a ``Converter`` starts LibreOffice once, on first use, and keeps
it for every document after that; a batch gives each worker process its own
(``get_converter``), one per core.

LibreOffice's Python bridge (python3-uno) exists only for the system Python, so
the bridge runs in ``_uno_worker.py`` under ``/usr/bin/python3`` and we talk to it
in JSON lines. The PDF is what 003 "provided in a format that is accessible to
them" needs from a file a screen reader opens: tagged (PDF/UA flag), with its
headings and table header cells in the structure tree, a title, the language
(en-GB), and embedded fonts.

Nothing personal outlives a command (issue 12 finding 8): the DOCX and PDF being
converted and LibreOffice's profile live in one temporary folder (0700) named with
our process id; the worker removes it and kills LibreOffice if we die, even by
SIGKILL, and a folder a dead process left anyway (the worker killed too) is removed,
with any LibreOffice still using it, the next time a converter starts. A batch
worker process closes its converter when it exits. LibreOffice crashing mid-
conversion is restarted and the document retried once (finding 9).
"""

from __future__ import annotations

import atexit
import contextlib
import io
import json
import multiprocessing.util
import os
import re
import select
import shutil
import signal
import subprocess
import tempfile
import threading
import time
import uuid
import zipfile
from pathlib import Path
from types import TracebackType
from typing import Any

from lxml import etree

from reviewdocs.errors import ConversionError

SYSTEM_PYTHON = "/usr/bin/python3"
INSTALL_HINT = "apt-get install libreoffice-writer-nogui python3-uno fonts-liberation"
DOCUMENT_TIMEOUT_S = 120.0
START_TIMEOUT_S = 120.0
_WORKER = Path(__file__).with_name("_uno_worker.py")
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_DC_TITLE = "{http://purl.org/dc/elements/1.1/}title"
_FILE_CODE = re.compile(r"[a-z0-9]+(?:[_-][a-z0-9]+)+")
_TMP_PREFIX = "reviewdocs-pdf-"
_TMP_NAME = re.compile(re.escape(_TMP_PREFIX) + r"(\d+)-")
CRASHED_TWICE = (
    "LibreOffice stopped while converting the document to PDF, and again after it was "
    "restarted, so no PDF was made. Try again; if it keeps happening, convert the DOCX "
    "copy by hand or make the DOCX format instead (--format docx)."
)


class Converter:
    """One headless LibreOffice, started on first use and reused for every document.

    Not shared between processes: each process makes its own (see ``get_converter``).
    Calls from several threads are serialised. ``starts`` counts LibreOffice start-ups.
    ``soffice`` defaults to ``$REVIEWDOCS_SOFFICE``, else ``soffice`` on the PATH.
    """

    def __init__(
        self,
        *,
        soffice: str | None = None,
        python: str = SYSTEM_PYTHON,
        timeout: float = DOCUMENT_TIMEOUT_S,
        start_timeout: float = START_TIMEOUT_S,
    ) -> None:
        self.soffice = soffice or os.environ.get("REVIEWDOCS_SOFFICE") or "soffice"
        self.python = python
        self.timeout = timeout
        self.start_timeout = start_timeout
        self.starts = 0
        self._proc: subprocess.Popen[bytes] | None = None
        self._office_group: int | None = None
        self._tmp: Path | None = None
        self._buffer = b""
        self._count = 0
        self._lock = threading.Lock()

    def __enter__(self) -> Converter:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def convert(self, docx: bytes, *, title: str | None = None, lang: str = "en-GB") -> bytes:
        """The tagged PDF of a DOCX.

        ``title`` defaults to the document's core properties title (the PDF/UA
        title shown in the window bar), else its first line of text. Raises
        ``ConversionError`` for a file that is not a Word document, a conversion
        that fails or takes longer than ``timeout`` seconds, or a missing LibreOffice.
        """
        title = title or document_title(docx)
        with self._lock:
            # LibreOffice may have died since the last document: start it again once.
            for _attempt in (1, 2):
                self._ensure_started()
                reply, output = self._request(docx, title, lang)
                if reply is None or reply.get("dead"):
                    self._discard()
                    continue
                if not reply.get("ok"):
                    raise ConversionError(
                        f"LibreOffice could not convert the document to PDF: {reply.get('error')}"
                    )
                return _take(output)
        raise ConversionError(CRASHED_TWICE)

    def close(self) -> None:
        """Stop LibreOffice and remove the temporary folder; safe to call twice."""
        with self._lock:
            proc = self._proc
            if proc is not None and proc.poll() is None:
                with contextlib.suppress(OSError):
                    if proc.stdin:
                        # Stop, then end of input: the worker stops LibreOffice and
                        # leaves the folder to us (end of input alone means we died).
                        proc.stdin.write(b'{"stop": true}\n')
                        proc.stdin.close()
                with contextlib.suppress(subprocess.TimeoutExpired):
                    proc.wait(timeout=20)
            self._discard()

    # -- the worker process ------------------------------------------------------

    def _ensure_started(self) -> None:
        if self._proc is not None and self._proc.poll() is None:
            return
        self._discard()
        _remove_leftovers()
        if not _executable(self.soffice):
            raise ConversionError(
                f"LibreOffice is not installed (no '{self.soffice}' program found), "
                f"so PDF copies cannot be made. Install it with: {INSTALL_HINT}"
            )
        if not _executable(self.python):
            raise ConversionError(
                f"The system Python ({self.python}) with LibreOffice's bridge is missing, "
                f"so PDF copies cannot be made. Install it with: {INSTALL_HINT}"
            )
        self._tmp = Path(tempfile.mkdtemp(prefix=f"{_TMP_PREFIX}{os.getpid()}-"))
        pipe = f"reviewdocs-{os.getpid()}-{uuid.uuid4().hex[:12]}"
        with (self._tmp / "worker.log").open("wb") as log:
            # A new session puts the worker and LibreOffice in one process group,
            # so a stuck conversion can be stopped without touching anything else.
            self._proc = subprocess.Popen(
                [
                    self.python,
                    "-I",
                    str(_WORKER),
                    "--soffice",
                    self.soffice,
                    "--pipe",
                    pipe,
                    "--profile",
                    (self._tmp / "profile").as_uri(),
                    "--tmp",
                    str(self._tmp),
                    "--parent",
                    str(os.getpid()),
                ],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=log,
                start_new_session=True,
            )
        self._buffer = b""
        self.starts += 1
        try:
            ready = self._read_reply(self.start_timeout)
        except TimeoutError:
            ready = None
        if ready is None or not ready.get("ready"):
            message = _start_failure(ready, self.start_timeout, self._log_tail())
            self._discard()
            raise ConversionError(message)
        group = ready.get("office_group")
        self._office_group = group if isinstance(group, int) and group > 1 else None

    def _log_tail(self) -> str:
        """The last line the worker wrote to stderr (a traceback's error line)."""
        if self._tmp is None:
            return ""
        try:
            lines = (self._tmp / "worker.log").read_text(errors="replace").strip().splitlines()
        except OSError:
            return ""
        return lines[-1] if lines else ""

    def _request(self, docx: bytes, title: str, lang: str) -> tuple[dict[str, Any] | None, Path]:
        """Send one document; the worker's reply (None if it died) and where the PDF goes."""
        assert self._proc is not None and self._proc.stdin is not None and self._tmp
        self._count += 1
        source = self._tmp / f"in-{self._count}.docx"
        output = self._tmp / f"out-{self._count}.pdf"
        source.write_bytes(docx)
        line = {"input": str(source), "output": str(output), "title": title, "lang": lang}
        try:
            try:
                self._proc.stdin.write(json.dumps(line).encode() + b"\n")
                self._proc.stdin.flush()
            except OSError:
                return None, output
            return self._read_reply(self.timeout), output
        except TimeoutError:
            self._discard()
            raise ConversionError(
                f"LibreOffice did not finish converting the document within "
                f"{self.timeout:g} seconds; it was stopped"
            ) from None
        finally:
            source.unlink(missing_ok=True)

    def _read_reply(self, timeout: float) -> dict[str, Any] | None:
        """The worker's next JSON line; None if it exited; TimeoutError if it is too slow."""
        assert self._proc is not None and self._proc.stdout is not None
        fd = self._proc.stdout.fileno()
        deadline = time.monotonic() + timeout
        while True:
            while b"\n" not in self._buffer:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError
                ready, _, _ = select.select([fd], [], [], left)
                if not ready:
                    continue
                chunk = os.read(fd, 65536)
                if not chunk:
                    return None
                self._buffer += chunk
            line, self._buffer = self._buffer.split(b"\n", 1)
            # Only the worker's JSON answers count: anything else a library printed is noise.
            with contextlib.suppress(ValueError):
                reply = json.loads(line)
                if isinstance(reply, dict):
                    return reply

    def _discard(self) -> None:
        """Kill the worker and LibreOffice if still there, and remove the temporary folder."""
        proc, self._proc = self._proc, None
        group, self._office_group = self._office_group, None
        if proc is not None:
            # The worker's group, and LibreOffice's own (soffice and soffice.bin).
            for pgid in (proc.pid, group):
                if pgid is not None:
                    with contextlib.suppress(ProcessLookupError, PermissionError):
                        os.killpg(pgid, signal.SIGKILL)
            proc.wait()
            for pipe in (proc.stdin, proc.stdout):
                with contextlib.suppress(OSError):
                    if pipe:
                        pipe.close()
        if self._tmp is not None:
            shutil.rmtree(self._tmp, ignore_errors=True)
            self._tmp = None

    def _abandon(self) -> None:
        """In a forked child: forget the parent's LibreOffice without stopping it."""
        if self._proc is not None:
            for pipe in (self._proc.stdin, self._proc.stdout):
                with contextlib.suppress(OSError):
                    if pipe:
                        pipe.close()
        self._proc = None
        self._office_group = None
        self._tmp = None


def _remove_leftovers() -> None:
    """Remove what a converter of a dead process left in the temporary folder (its
    worker killed too, so nothing cleaned up): the DOCX and PDF it was converting and
    LibreOffice's profile, after killing any LibreOffice still using that folder."""
    base = Path(tempfile.gettempdir())
    try:
        folders = [p for p in base.iterdir() if p.name.startswith(_TMP_PREFIX)]
    except OSError:
        return
    for folder in folders:
        match = _TMP_NAME.match(folder.name)
        if match is None or _alive(int(match.group(1))):
            continue
        try:
            if folder.stat().st_uid != os.getuid():
                continue
        except OSError:
            continue
        _kill_users_of(str(folder))
        shutil.rmtree(folder, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _kill_users_of(folder: str) -> None:
    """Kill our own processes whose command line names ``folder`` (a LibreOffice left
    running with its profile there). Linux only (``/proc``); elsewhere, nothing."""
    proc = Path("/proc")
    if not proc.is_dir():
        return
    needle = folder.encode()
    for entry in proc.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if entry.stat().st_uid != os.getuid():
                continue
            if needle in (entry / "cmdline").read_bytes():
                os.kill(int(entry.name), signal.SIGKILL)
        except (OSError, ValueError):
            continue


def _take(output: Path) -> bytes:
    try:
        return output.read_bytes()
    except FileNotFoundError:
        raise ConversionError("LibreOffice reported success but wrote no PDF") from None
    finally:
        output.unlink(missing_ok=True)


def _executable(program: str) -> bool:
    if os.sep in program:
        return os.access(program, os.X_OK) and Path(program).is_file()
    return shutil.which(program) is not None


def _start_failure(reply: dict[str, Any] | None, timeout: float, log_tail: str) -> str:
    kind = (reply or {}).get("kind")
    detail = (reply or {}).get("error") or log_tail
    if kind == "missing_uno":
        return (
            f"LibreOffice's Python bridge (python3-uno) is not installed ({detail}), "
            f"so PDF copies cannot be made. Install it with: {INSTALL_HINT}"
        )
    if kind == "missing_soffice":
        return f"LibreOffice is not installed ({detail}). Install it with: {INSTALL_HINT}"
    return f"LibreOffice could not start ({detail or f'not ready within {timeout:g} s'})"


def document_title(docx: bytes) -> str:
    """The title a PDF of ``docx`` carries, which a screen reader announces first.

    The core properties title, unless it is missing or only a file code such as
    ``outcome_letter`` (read aloud as "outcome underscore letter"); then the first
    paragraph in the Title style, else the first heading, else the first text.
    Raises ``ConversionError`` when ``docx`` is not a Word document at all, before
    LibreOffice is troubled with it.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(docx)) as zf:
            body = zf.read("word/document.xml")
            core = zf.read("docProps/core.xml") if "docProps/core.xml" in zf.namelist() else b""
    except (zipfile.BadZipFile, KeyError) as exc:
        raise ConversionError(f"Not a Word document (.docx), cannot make a PDF: {exc}") from None
    try:
        title = (etree.fromstring(core).findtext(_DC_TITLE) or "").strip() if core else ""
        if title and not _FILE_CODE.fullmatch(title):
            return title
        by_style: dict[str, str] = {}
        for para in etree.fromstring(body).iter(f"{_W}p"):
            text = "".join(t.text or "" for t in para.iter(f"{_W}t")).strip()
            if text:
                style = para.find(f"{_W}pPr/{_W}pStyle")
                kind = "" if style is None else style.get(f"{_W}val", "")
                kind = "heading" if kind.lower().startswith("heading") else kind.lower()
                by_style.setdefault(kind, text)
                by_style.setdefault("any", text)
    except etree.XMLSyntaxError as exc:
        raise ConversionError(f"The Word document is damaged, cannot make a PDF: {exc}") from None
    return by_style.get("title") or by_style.get("heading") or by_style.get("any") or "Document"


_converter: Converter | None = None


def get_converter() -> Converter:
    """This process's converter, made on first use and closed when the process exits."""
    global _converter
    if _converter is None:
        _converter = Converter()
        # A batch's worker processes end without running atexit: multiprocessing runs
        # its finalizers instead, so LibreOffice and its profile go with the worker.
        multiprocessing.util.Finalize(None, _close_at_exit, exitpriority=10)
    return _converter


def to_pdf(docx: bytes, *, title: str | None = None, lang: str = "en-GB") -> bytes:
    """``get_converter().convert(...)``: a tagged PDF from this process's LibreOffice."""
    return get_converter().convert(docx, title=title, lang=lang)


@atexit.register
def _close_at_exit() -> None:
    if _converter is not None:
        _converter.close()


def _forget_after_fork() -> None:
    # A forked batch worker must start its own LibreOffice: the parent's belongs to
    # the parent, and keeping its pipe open would stop it noticing its own shutdown.
    global _converter
    if _converter is not None:
        _converter._abandon()
    _converter = None


os.register_at_fork(after_in_child=_forget_after_fork)
