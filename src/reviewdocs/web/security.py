"""What every request goes through: the session (idle timeout), the CSRF token on
every POST, the role a page needs, and the headers on every response."""

from __future__ import annotations

import hmac
import secrets
import time
from collections.abc import Callable
from functools import wraps
from typing import Any, Final, TypeVar, cast

from flask import Flask, Response, abort, current_app, g, redirect, request, session, url_for

from reviewdocs.web.store import LOCAL_USER, User

CSRF_FIELD: Final = "csrf_token"

CSP: Final = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
    "base-uri 'none'; object-src 'none'"
)

F = TypeVar("F", bound=Callable[..., Any])

PUBLIC_ENDPOINTS: Final = frozenset(
    {"main.sign_in", "main.one_time", "main.signed_out", "static", "main.frontend", "main.css"}
)


def csrf_token() -> str:
    token = session.get(CSRF_FIELD)
    if not token:
        token = secrets.token_urlsafe(32)
        session[CSRF_FIELD] = token
    return cast(str, token)


def install(app: Flask) -> None:
    app.before_request(_check_session)
    app.before_request(_check_csrf)
    app.after_request(_headers)
    app.jinja_env.globals["csrf_token"] = csrf_token


def _check_session() -> Response | None:
    g.user = None
    name = session.get("user")
    if name:
        idle = current_app.config["IDLE_SECONDS"]
        last = session.get("seen", 0)
        user = current_app.extensions["store"].user(name)
        if name == LOCAL_USER and not current_app.config["LOCAL_SIGN_IN"]:
            user = None  # the one-time link's session is for a server that printed one
        if time.time() - last > idle or user is None or user.disabled:
            session.clear()
            if request.endpoint not in PUBLIC_ENDPOINTS:
                return cast(Response, redirect(url_for("main.sign_in", timeout=1)))
        else:
            g.user = user
            session["seen"] = int(time.time())
    if g.user is None and request.endpoint not in PUBLIC_ENDPOINTS:
        return cast(Response, redirect(url_for("main.sign_in")))
    return None


def _check_csrf() -> None:
    if request.method != "POST":
        return
    sent = request.form.get(CSRF_FIELD, "")
    expected = session.get(CSRF_FIELD, "")
    if not expected or not hmac.compare_digest(str(sent), str(expected)):
        abort(400, description="csrf")


def _headers(response: Response) -> Response:
    h = response.headers
    h["Content-Security-Policy"] = CSP
    h["X-Content-Type-Options"] = "nosniff"
    h["X-Frame-Options"] = "DENY"
    h["Referrer-Policy"] = "no-referrer"
    h["Cross-Origin-Opener-Policy"] = "same-origin"
    if current_app.config["SESSION_COOKIE_SECURE"]:
        # Behind a TLS proxy: browsers keep to HTTPS for this site from now on.
        h["Strict-Transport-Security"] = "max-age=31536000"
    if request.endpoint not in ("main.frontend", "main.css", "static"):
        # Pages and files may hold personal data: never kept by a browser or a proxy.
        h["Cache-Control"] = "no-store"
        h["Pragma"] = "no-cache"
    return response


def needs(area: str) -> Callable[[F], F]:
    """A view only for users whose role may use ``area`` (``reviews``, ``batches``,
    ``register``); others get 403."""

    def decorate(view: F) -> F:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            user: User | None = g.get("user")
            if user is None or not user.may(area):
                abort(403)
            return view(*args, **kwargs)

        return cast(F, wrapped)

    return decorate


def may_see(user: User, owner: str) -> bool:
    """A file or upload is for the person who made it, and for managers."""
    return user.name == owner or user.role == "manager"
