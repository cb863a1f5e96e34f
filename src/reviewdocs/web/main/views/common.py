"""What every view uses: the store, the data folder's paths, the signed-in user."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from flask import abort, current_app, g, render_template

from reviewdocs.web.security import may_see
from reviewdocs.web.store import Store, Upload, User


def store() -> Store:
    return current_app.extensions["store"]


def paths() -> dict[str, Path]:
    return current_app.config["PATHS"]


def user() -> User:
    signed_in: User = g.user
    return signed_in


def own_upload(upload_id: str, kind: str = "review") -> Upload:
    """The upload, if it exists, is of ``kind`` and this user may see it; else 404
    (another user's id is not told apart from one that does not exist)."""
    upload = store().upload(upload_id)
    if upload is None or upload.kind != kind or not may_see(user(), upload.owner):
        abort(404)
    return upload


def page(template: str, **context: Any) -> str:
    return render_template(template, user=g.get("user"), now=time.time(), **context)
