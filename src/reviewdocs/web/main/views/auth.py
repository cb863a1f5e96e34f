"""Signing in (name and password, or the one-time link on this machine) and out."""

from __future__ import annotations

import hmac
import math
import time

from flask import current_app, redirect, request, session, url_for
from werkzeug.wrappers import Response

from reviewdocs.web.forms import FormErrors, sign_in_form
from reviewdocs.web.main.routes import main
from reviewdocs.web.main.views.common import page, store, user
from reviewdocs.web.store import LOCAL_USER


def _start_session(name: str) -> None:
    session.clear()  # a new session at each sign-in: no fixation
    session["user"] = name
    session["seen"] = int(time.time())
    session.permanent = True


@main.route("/sign-in", methods=["GET", "POST"])
def sign_in() -> str | Response:
    errors = FormErrors()
    name = ""
    if request.method == "POST":
        name, password, errors = sign_in_form(request.form)
        if not errors:
            keys = (f"name:{name.lower()}", f"address:{request.remote_addr}")
            wait = max(store().locked_for(k) for k in keys)
            if wait:
                minutes = math.ceil(wait / 60)
                errors.add(
                    "name",
                    f"Too many failed attempts to sign in. Wait {minutes} minute"
                    f"{'s' if minutes != 1 else ''} and try again",
                )
            else:
                found = store().authenticate(name, password)
                if found is None:
                    for key in keys:
                        store().failed(key)
                    errors.add("name", "Enter a correct user name and password")
                else:
                    for key in keys:
                        store().succeeded(key)
                    _start_session(found.name)
                    return redirect(url_for("main.index"))
    return page(
        "sign_in.html",
        errors=errors,
        name=name,
        timed_out=bool(request.args.get("timeout")),
    )


@main.route("/sign-in/once")
def one_time() -> str | Response:
    """The link ``serve`` printed: good once, for the person at this machine."""
    expected = current_app.config.get("ONE_TIME_TOKEN")
    given = request.args.get("token", "")
    if expected and given and hmac.compare_digest(given, expected):
        current_app.config["ONE_TIME_TOKEN"] = None
        _start_session(LOCAL_USER)
        return redirect(url_for("main.index"))
    return page("one_time_used.html"), 403  # type: ignore[return-value]


@main.route("/sign-out", methods=["POST"])
def sign_out() -> Response:
    session.clear()
    return redirect(url_for("main.signed_out"))


@main.route("/signed-out")
def signed_out() -> str:
    return page("signed_out.html")


@main.route("/")
def index() -> str:
    me = user()
    uploads = store().uploads_of(me.name) if me.may("reviews") else []
    return page("index.html", uploads=uploads)
