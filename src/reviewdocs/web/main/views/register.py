"""The register: what went to whom, which version, when, and by whom; CSV export.

Searched by review id or by the person's reference (the front desk keeps which
reviews belong to which reference as they are uploaded). The search is a form
field, sent by POST so that a person's reference never sits in a URL."""

from __future__ import annotations

import io
import time
from datetime import date
from typing import Any

from flask import Response, request

from reviewdocs.web.forms import FormErrors, document_name, withheld_words
from reviewdocs.web.main.routes import main
from reviewdocs.web.main.views.common import page, paths, store, user
from reviewdocs.web.security import needs


def _open() -> Any:
    from reviewdocs.disclosure.register import Register

    return Register(paths()["register"])


@main.route("/register", methods=["GET", "POST"])
@needs("register")
def register() -> str:
    errors = FormErrors()
    query = request.form.get("q", "").strip() if request.method == "POST" else ""
    found: list[dict[str, Any]] = []
    if request.method == "POST":
        if not query:
            errors.add("q", "Enter a review reference or a person's reference")
        else:
            found = _search(query)
            store().audit(user().name, "searched the register")
    return page("register/search.html", errors=errors, query=query, found=found)


def _search(query: str) -> list[dict[str, Any]]:
    review_ids = [query, *store().reviews_of_person(query)]
    out = []
    with _open() as reg:
        for review_id in dict.fromkeys(review_ids):
            entries = reg.entries(review_id)
            refusals = reg.refusals(review_id)
            if not entries and not refusals:
                continue
            who = store().who_made([e.sha256 for e in entries])
            out.append(
                {
                    "review_id": review_id,
                    "references": store().references_of(review_id),
                    "entries": [
                        {
                            "on": e.produced_on,
                            "document": document_name(e.document),
                            "version": e.version,
                            "to": e.recipient_name or e.recipient_id or "The person (subject)",
                            "basis": e.basis.replace("_", " "),
                            "withheld": "; ".join(withheld_words(e.withheld, {})) or "Nothing",
                            "format": f"{e.variant.replace('_', ' ')}, {e.fmt.upper()}",
                            "by": who.get(e.sha256, "Command line"),
                        }
                        for e in entries
                    ],
                    "refusals": refusals,
                    "events": [
                        {
                            "at": time.strftime("%Y-%m-%d %H:%M", time.localtime(at)),
                            "user": u,
                            "action": action,
                        }
                        for at, u, action, _detail in store().events(review_id)
                    ],
                }
            )
    return out


@main.route("/register/export.csv", methods=["POST"])
@needs("register")
def export() -> Response:
    """The register as CSV, by the library's own export (cells that a spreadsheet
    would read as a formula are quoted there)."""
    buffer = io.StringIO()
    with _open() as reg:
        reg.export_csv(buffer)
    store().audit(user().name, "exported the register")
    name = f"register-{date.today().isoformat()}.csv"
    return Response(
        buffer.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
