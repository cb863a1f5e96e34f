"""LibreOffice conversion worker: run by ``pdf.Converter`` with the SYSTEM Python.

LibreOffice's Python bridge (``uno``, Debian package python3-uno) is built for
``/usr/bin/python3`` and cannot be imported into our virtual environment, so this
script runs in its own process and talks to ``pdf.py`` in JSON lines:

* it starts one headless ``soffice`` with its own profile and pipe, connects, and
  writes ``{"ready": true}`` (or ``{"error": ..., "kind": ...}`` and exits);
* for each request line ``{"input", "output", "title", "lang"}`` it converts the
  DOCX at ``input`` to a tagged PDF at ``output`` and answers ``{"ok": true}`` or
  ``{"ok": false, "error": ...}``; ``"dead": true`` means LibreOffice itself died;
* on end of input (our parent closed the pipe or died) it stops LibreOffice.

Standard library and ``uno`` only: this file must not import reviewdocs.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import subprocess
import sys
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

    def __init__(self, uno: Any, soffice: str, pipe: str, profile_url: str) -> None:
        self.uno = uno
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
        )
        self.desktop = self._connect(pipe)

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
        return self.process.poll() is None

    def stop(self) -> None:
        # The bridge may already be gone if LibreOffice died: nothing left to stop then.
        with contextlib.suppress(Exception):
            self.desktop.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--soffice", required=True)
    parser.add_argument("--pipe", required=True)
    parser.add_argument("--profile", required=True, help="a file:// URL")
    args = parser.parse_args()

    try:
        import uno
    except ImportError as exc:
        _send({"error": f"cannot import uno: {exc}", "kind": "missing_uno"})
        return 1
    try:
        office = Office(uno, args.soffice, args.pipe, args.profile)
    except FileNotFoundError as exc:
        _send({"error": str(exc), "kind": "missing_soffice"})
        return 1
    except Exception as exc:
        _send({"error": str(exc), "kind": "start"})
        return 1
    _send({"ready": True})

    try:
        for line in sys.stdin:
            request = json.loads(line)
            try:
                office.convert(request)
            except ValueError as exc:
                _send({"ok": False, "error": str(exc), "dead": False})
                continue
            except Exception as exc:
                dead = not office.alive()
                _send({"ok": False, "error": f"{type(exc).__name__}: {exc}", "dead": dead})
                if dead:
                    return 1
                continue
            _send({"ok": True})
    finally:
        office.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
