"""LibreOffice conversion worker: run by ``pdf.Converter`` with the SYSTEM Python.

LibreOffice's Python bridge (``uno``, Debian package python3-uno) is built for
``/usr/bin/python3`` and cannot be imported into our virtual environment, so this
script runs in its own process and talks to ``pdf.py`` in JSON lines:

* it starts one headless ``soffice`` with its own profile and pipe, connects, and
  writes ``{"ready": true}`` (or ``{"error": ..., "kind": ...}`` and exits);
* for each request line ``{"input", "output", "title", "lang"}`` it converts the
  DOCX at ``input`` to a tagged PDF at ``output`` and answers ``{"ok": true}`` or
  ``{"ok": false, "error": ...}``; ``"dead": true`` means LibreOffice itself died;
* ``{"stop": true}`` (our parent closing us) stops LibreOffice; so does end of input
  (our parent died), and then the worker removes the temporary folder itself.

Nothing outlives the parent (issue 12 finding 8): LibreOffice runs in a process
group of its own, which the worker kills when it stops, and a thread watches the
parent; if the parent dies (even by SIGKILL, mid-conversion), the worker kills
LibreOffice, removes the temporary folder (the DOCX and PDF being converted, the
LibreOffice profile) and exits. A LibreOffice that dies mid-conversion (finding 9)
is reported ``"dead": true`` whatever error the bridge raised, so ``pdf.py``
restarts it and retries the document once.

Standard library and ``uno`` only: this file must not import reviewdocs.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from typing import Any

START_TIMEOUT_S = 90.0

# PDF/UA (ISO 14289) asks for a tagged PDF with a title shown in the window bar;
# PDF/A-2b on top makes LibreOffice embed every font, including the standard 14,
# and is based on PDF 1.7 as PDF/UA-1 is.
PDF_FILTER_DATA: dict[str, Any] = {
    "UseTaggedPDF": True,
    "PDFUACompliance": True,
    "SelectPdfVersion": 2,
    "EmbedStandardFonts": True,
    "ExportFormFields": False,
    "DisplayPDFDocumentTitle": True,
    "ExportBookmarks": True,
    "ExportNotes": False,
}


def _send(message: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


def _prop(name: str, value: Any) -> Any:
    from com.sun.star.beans import PropertyValue

    prop = PropertyValue()
    prop.Name = name
    prop.Value = value
    return prop


class Office:
    """One running soffice and the desktop we drive through the bridge."""

    def __init__(
        self, uno: Any, soffice: str, pipe: str, profile_url: str, tmp: str | None = None
    ) -> None:
        self.uno = uno
        env = None
        if tmp:
            # LibreOffice's own temporary files (copies of the document being converted)
            # go inside our folder too, so they are removed with it even if it is killed.
            office_tmp = os.path.join(tmp, "office-tmp")
            os.makedirs(office_tmp, mode=0o700, exist_ok=True)
            env = dict(os.environ, TMPDIR=office_tmp, TMP=office_tmp, TEMP=office_tmp)
        self.process = subprocess.Popen(
            [
                soffice,
                "--headless",
                "--invisible",
                "--norestore",
                "--nologo",
                "--nodefault",
                "--nolockcheck",
                f"-env:UserInstallation={profile_url}",
                f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext",
            ],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=env,
            # Its own group: soffice starts soffice.bin as a child, and killing the group
            # takes both, where killing soffice alone would leave soffice.bin running.
            start_new_session=True,
        )
        try:
            self.desktop = self._connect(pipe)
        except BaseException:
            self.kill()
            raise

    def _connect(self, pipe: str) -> Any:
        local = self.uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext(
            "com.sun.star.bridge.UnoUrlResolver", local
        )
        deadline = time.monotonic() + START_TIMEOUT_S
        while True:
            try:
                ctx = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
                return ctx.ServiceManager.createInstanceWithContext(
                    "com.sun.star.frame.Desktop", ctx
                )
            except Exception:
                if self.process.poll() is not None:
                    raise RuntimeError(
                        f"LibreOffice exited during start-up (status {self.process.returncode})"
                    ) from None
                if time.monotonic() > deadline:
                    raise RuntimeError("LibreOffice did not start in time") from None
                time.sleep(0.1)

    def convert(self, request: dict[str, Any]) -> None:
        uno = self.uno
        url = uno.systemPathToFileUrl(os.path.abspath(request["input"]))
        load_props = (
            _prop("Hidden", True),
            _prop("ReadOnly", True),
            _prop("FilterName", "MS Word 2007 XML"),
        )
        doc = self.desktop.loadComponentFromURL(url, "_blank", 0, load_props)
        if doc is None:
            raise ValueError("LibreOffice could not open the document as a Word file")
        try:
            if request.get("title"):
                doc.getDocumentProperties().Title = request["title"]
            self._set_language(doc, request.get("lang") or "en-GB")
            output = request["output"]
            part = output + ".part"
            filter_data = uno.Any(
                "[]com.sun.star.beans.PropertyValue",
                tuple(_prop(k, v) for k, v in PDF_FILTER_DATA.items()),
            )
            store_props = (
                _prop("FilterName", "writer_pdf_Export"),
                _prop("FilterData", filter_data),
            )
            try:
                uno.invoke(doc, "storeToURL", (uno.systemPathToFileUrl(part), store_props))
                os.replace(part, output)
            finally:
                if os.path.exists(part):
                    os.unlink(part)
        finally:
            doc.close(True)

    def _set_language(self, doc: Any, lang: str) -> None:
        # Writer writes the document's default language as the PDF catalog's /Lang.
        from com.sun.star.lang import Locale

        language, _, country = lang.partition("-")
        defaults = doc.createInstance("com.sun.star.text.Defaults")
        defaults.setPropertyValue("CharLocale", Locale(language, country, ""))

    def alive(self) -> bool:
        """Whether LibreOffice still answers: its process runs and the bridge works.

        soffice.bin killed mid-conversion raises "Binary URP bridge disposed" while the
        soffice launcher may not have exited yet, so the bridge is asked too."""
        if self.process.poll() is not None:
            return False
        try:
            self.desktop.getFrames()
        except Exception:
            return False
        return True

    def stop(self) -> None:
        # The bridge may already be gone if LibreOffice died: nothing left to stop then.
        with contextlib.suppress(Exception):
            self.desktop.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=15)
        self.kill()

    def kill(self) -> None:
        """Kill soffice and soffice.bin (its whole process group), now."""
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.process.pid, signal.SIGKILL)
        with contextlib.suppress(ChildProcessError, subprocess.TimeoutExpired):
            self.process.wait(timeout=15)


def _remove(folder: str | None) -> None:
    if folder:
        shutil.rmtree(folder, ignore_errors=True)


def _watch_parent(parent: int, office: Office, folder: str | None) -> None:
    """When the parent dies, take LibreOffice and the temporary folder with it.

    A thread, so that it runs while the main thread is blocked in a conversion (the
    bridge releases the GIL during a call). Polling ``getppid``: a dead parent's
    children are handed to another process."""
    while os.getppid() == parent:
        time.sleep(0.2)
    office.kill()
    _remove(folder)
    os._exit(1)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--soffice", required=True)
    parser.add_argument("--pipe", required=True)
    parser.add_argument("--profile", required=True, help="a file:// URL")
    parser.add_argument("--tmp", help="the temporary folder to remove when we stop")
    parser.add_argument("--parent", type=int, help="stop when this process dies")
    args = parser.parse_args()
    return _run(args)


def _run(args: argparse.Namespace) -> int:

    try:
        import uno
    except ImportError as exc:
        _send({"error": f"cannot import uno: {exc}", "kind": "missing_uno"})
        return 1
    try:
        office = Office(uno, args.soffice, args.pipe, args.profile, args.tmp)
    except FileNotFoundError as exc:
        _send({"error": str(exc), "kind": "missing_soffice"})
        return 1
    except Exception as exc:
        _send({"error": str(exc), "kind": "start"})
        return 1
    if args.parent is not None:
        watcher = threading.Thread(
            target=_watch_parent, args=(args.parent, office, args.tmp), daemon=True
        )
        watcher.start()
    _send({"ready": True, "office_group": office.process.pid})

    stopped = False
    try:
        for line in sys.stdin:
            request = json.loads(line)
            if request.get("stop"):
                stopped = True  # the parent stops us and removes the folder itself
                break
            try:
                office.convert(request)
            except Exception as exc:
                dead = not office.alive()
                error = str(exc) if isinstance(exc, ValueError) else f"{type(exc).__name__}: {exc}"
                _send({"ok": False, "error": error, "dead": dead})
                if dead:
                    return 1
                continue
            _send({"ok": True})
    finally:
        office.stop()
        if not stopped:
            # End of input without a stop: the parent died (or a conversion killed
            # LibreOffice and the parent will start another). Nothing is left behind.
            _remove(args.tmp)
    return 0


if __name__ == "__main__":
    sys.exit(main())
