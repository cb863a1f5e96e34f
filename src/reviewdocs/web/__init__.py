"""The front desk: reviewdocs in a browser, in the GOV.UK Design System's patterns.

``create_app`` builds the Flask app; ``reviewdocs serve`` runs it under waitress. Views
(``main/views/<area>.py``) stay thin: they call the same library functions the CLI
calls. The data folder holds uploads, outputs, the register and ``web.sqlite``.

Layout of the data folder (every folder owner-only):

- ``web.sqlite``: accounts, uploads, downloadable files by opaque id, batches, audit
- ``register.sqlite``: the library's register of every file and refusal
- ``uploads/<id>/``: an uploaded file, removed once it is no longer needed
- ``out/``: one review's documents and copies (``produce``, ``share``)
- ``batches/<id>/``: a batch's source, its output folder, its zip and log
"""

from __future__ import annotations

import logging
import os
import secrets
import time
from pathlib import Path
from typing import Any, Final

from reviewdocs.web.store import Store, private_folder, remove_upload_files

MAX_UPLOAD_BYTES: Final = 50 * 1024 * 1024
IDLE_MINUTES: Final = 30
UPLOAD_HOURS: Final = 8
"""An upload not finished with in a working day is removed (with its problems)."""
SWEEP_EVERY_S: Final = 600

log = logging.getLogger("reviewdocs.web")


def data_paths(data_dir: Path) -> dict[str, Path]:
    data_dir = Path(data_dir)
    return {
        "data": data_dir,
        "uploads": data_dir / "uploads",
        "out": data_dir / "out",
        "batches": data_dir / "batches",
        "register": data_dir / "register.sqlite",
    }


def _secret_key(data_dir: Path) -> bytes:
    path = data_dir / "secret-key"
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(secrets.token_bytes(32))
    return path.read_bytes()


def create_app(
    data_dir: Path,
    *,
    council: str = "Your council",
    behind_proxy: bool = False,
    idle_minutes: int = IDLE_MINUTES,
    max_upload: int = MAX_UPLOAD_BYTES,
    one_time_token: str | None = None,
    testing: bool = False,
) -> Any:
    from flask import Flask
    from jinja2 import ChoiceLoader, PackageLoader, PrefixLoader

    from reviewdocs.web.main import blueprint as main_blueprint
    from reviewdocs.web.security import install as install_security

    paths = data_paths(Path(data_dir).resolve())
    store = Store(paths["data"])
    for key in ("uploads", "out", "batches"):
        private_folder(paths[key])

    class FrontDesk(Flask):
        def log_exception(self, exc_info: Any) -> None:
            # One line, no message and no traceback: an exception's text can quote a
            # record (a name, an address). The path holds only opaque ids.
            from flask import request

            kind = exc_info[0].__name__ if exc_info and exc_info[0] else "error"
            log.error("internal error (%s) on %s %s", kind, request.method, request.path)

    app = FrontDesk(__name__, static_folder="static", static_url_path="/static")
    app.jinja_loader = ChoiceLoader(
        [
            PackageLoader("reviewdocs.web"),
            PrefixLoader({"govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja")}),
        ]
    )
    app.config.update(
        SECRET_KEY=_secret_key(paths["data"]),
        SESSION_COOKIE_NAME="reviewdocs_session",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=behind_proxy,
        PERMANENT_SESSION_LIFETIME=idle_minutes * 60,
        IDLE_SECONDS=idle_minutes * 60,
        MAX_CONTENT_LENGTH=max_upload,
        MAX_FORM_MEMORY_SIZE=1024 * 1024,
        PATHS=paths,
        COUNCIL=council,
        ONE_TIME_TOKEN=one_time_token,
        LOCAL_SIGN_IN=one_time_token is not None,
        TESTING=testing,
    )
    if behind_proxy:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1)  # type: ignore[method-assign]
    app.extensions["store"] = store
    app.jinja_env.globals["council"] = council
    install_security(app)
    app.register_blueprint(main_blueprint)
    _error_pages(app)
    sweep(app)

    @app.before_request
    def _sweep_now_and_then() -> None:
        if time.time() - app.config["SWEPT_AT"] > SWEEP_EVERY_S:
            sweep(app)

    from reviewdocs.web.main.views.batches import recover_batches

    recover_batches(app)
    return app


def sweep(app: Any) -> None:
    """Remove uploads older than ``UPLOAD_HOURS``: nothing personal lingers."""
    store: Store = app.extensions["store"]
    for upload in store.expired_uploads(time.time() - UPLOAD_HOURS * 3600):
        remove_upload_files(upload.path)
        store.forget_upload(upload.id)
    app.config["SWEPT_AT"] = time.time()


_ERRORS: Final = {
    400: (
        "Your form could not be sent",
        [
            "The page had expired, or the form was sent from somewhere else. Go back, "
            "reload the page and try again."
        ],
    ),
    403: ("You cannot use this page", ["Your role does not include this part of the service."]),
    404: ("Page not found", ["The page or file does not exist, or it is not yours to see."]),
    413: (
        "The file is too big",
        [f"Files must be no bigger than {MAX_UPLOAD_BYTES // 1024 // 1024} MB."],
    ),
    500: ("Sorry, there is a problem with the service", ["Try again later."]),
}


def _error_pages(app: Any) -> None:
    from flask import g, render_template

    from reviewdocs.errors import ReviewdocsError

    def show(code: int, heading: str, lines: list[str]) -> tuple[str, int]:
        return render_template("error.html", user=g.get("user"), heading=heading, lines=lines), code

    for code, (heading, lines) in _ERRORS.items():
        app.register_error_handler(code, lambda _err, c=code, h=heading, ls=lines: show(c, h, ls))

    @app.errorhandler(ReviewdocsError)
    def refused(err: ReviewdocsError) -> tuple[str, int]:
        # The library's own words: what is wrong and what to do about it.
        return show(422, "This could not be done", err.message.splitlines())
