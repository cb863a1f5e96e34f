"""GOV.UK Frontend's built files, from its npm package (``npm ci`` in ``make install``).

The release is pinned in package.json to the one govuk-frontend-jinja's macros match.
A council's service is not on GOV.UK: it may not use the GDS Transport font, so the
stylesheet is served with the font stack set to Arial and the font files' @font-face
rules removed (the Design System's own advice for services not on GOV.UK).
"""

from __future__ import annotations

import os
import re
from functools import cache
from pathlib import Path
from typing import Final

from reviewdocs.errors import ReviewdocsError

_CSS: Final = "govuk-frontend.min.css"
_JS: Final = "govuk-frontend.min.js"
AXE: Final = "axe.min.js"


def node_modules() -> Path:
    """``REVIEWDOCS_NODE_MODULES``, else ``node_modules`` in the source checkout or here."""
    configured = os.environ.get("REVIEWDOCS_NODE_MODULES")
    if configured:
        return Path(configured)
    checkout = Path(__file__).resolve().parents[3] / "node_modules"
    return checkout if checkout.is_dir() else Path.cwd() / "node_modules"


def frontend_dir() -> Path:
    """``govuk-frontend/dist/govuk``; a plain-words error when it is not installed."""
    folder = node_modules() / "govuk-frontend" / "dist" / "govuk"
    if not (folder / _CSS).is_file():
        raise ReviewdocsError(
            f"GOV.UK Frontend is not installed (no {folder / _CSS}): run `npm ci` in the "
            "reviewdocs folder (or `make install`), then start the server again."
        )
    return folder


_FONT_FACE = re.compile(r"@font-face\{[^}]*\}")


@cache
def stylesheet() -> bytes:
    css = (frontend_dir() / _CSS).read_text(encoding="utf-8")
    css = _FONT_FACE.sub("", css)
    css = css.replace('"GDS Transport",', "").replace("GDS Transport,", "")
    css = css.replace("font-family:GDS Transport", "font-family:arial,sans-serif")
    css = re.sub(r"/\*# sourceMappingURL=[^*]*\*/", "", css)
    return css.encode("utf-8")


def asset(name: str) -> Path | None:
    """A file under the release's ``assets`` (images) or its JS bundle; None otherwise.
    ``name`` is matched against the files that exist, never joined blindly."""
    root = frontend_dir()
    if name == _JS:
        return root / _JS
    images = root / "assets" / "images"
    allowed = {p.name: p for p in images.iterdir()} if images.is_dir() else {}
    return allowed.get(name)
