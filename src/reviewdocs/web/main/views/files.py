"""Downloads, and GOV.UK Frontend's own files.

A download is by opaque id only: the id is looked up among the files the front desk
registered, and served only to the person who made it (or a manager). No path ever
comes from the request."""

from __future__ import annotations

from flask import Response, abort, send_file

from reviewdocs.web import assets
from reviewdocs.web.main.routes import main
from reviewdocs.web.main.views.common import paths, store, user
from reviewdocs.web.security import may_see


@main.route("/files/<file_id>")
def download(file_id: str) -> Response:
    found = store().file(file_id)
    me = user()
    if found is None or not may_see(me, found.owner):
        abort(404)
    data = paths()["data"].resolve()
    path = found.path.resolve()
    if not path.is_relative_to(data) or not path.is_file():
        abort(404)
    store().audit(me.name, "downloaded", review_id=found.review_id, sha256=found.sha256)
    return send_file(path, as_attachment=True, download_name=path.name, max_age=0)


@main.route("/frontend/govuk-frontend.min.css")
def css() -> Response:
    response = Response(assets.stylesheet(), mimetype="text/css")
    response.headers["Cache-Control"] = "public, max-age=3600"
    return response


@main.route("/frontend/<name>")
def frontend(name: str) -> Response:
    found = assets.asset(name)
    if found is None:
        abort(404)
    return send_file(found, max_age=3600)
