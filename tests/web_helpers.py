"""Helpers for the front desk's tests: an app on a temporary data folder, signed-in
clients, forms with their CSRF token, and a CSV of letters to break and fix."""

from __future__ import annotations

import csv
import io
import re
from html import unescape
from pathlib import Path
from typing import Any

import pytest

from conftest import SAMPLES

PASSWORD = "correct horse battery"

_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def token(html: str) -> str:
    found = _TOKEN.search(html)
    assert found, "no CSRF token on the page"
    return found.group(1)


def main_text(html: str) -> str:
    """The page's <main> as plain text, whitespace collapsed."""
    body = html[html.find("<main") : html.find("</main>")]
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body)).strip())


def make_app(data: Path, **options: Any) -> Any:
    from reviewdocs.web import create_app

    return create_app(data, testing=True, **options)


def add_user(app: Any, name: str, role: str) -> None:
    app.extensions["store"].add_user(name, role, PASSWORD)


def sign_in(app: Any, name: str, role: str | None = None) -> Any:
    """A test client signed in as ``name`` (added with ``role`` first when given)."""
    if role:
        add_user(app, name, role)
    client = app.test_client()
    page = client.get("/sign-in").get_data(as_text=True)
    response = client.post(
        "/sign-in", data={"csrf_token": token(page), "name": name, "password": PASSWORD}
    )
    assert response.status_code == 302, main_text(response.get_data(as_text=True))
    return client


def post(client: Any, url: str, page_url: str, **data: Any) -> Any:
    """POST a form as a browser would: the CSRF token read from ``page_url``."""
    html = client.get(page_url).get_data(as_text=True)
    return client.post(url, data={"csrf_token": token(html), **data})


def upload(client: Any, url: str, name: str, content: bytes, **fields: Any) -> Any:
    html = client.get(url).get_data(as_text=True)
    return client.post(
        url,
        data={"csrf_token": token(html), "file": (io.BytesIO(content), name), **fields},
        content_type="multipart/form-data",
    )


def letters_csv(changes: dict[int, dict[str, str]] | None = None, copies: int = 1) -> bytes:
    """samples/letters.csv, ``copies`` times over (ids made unique), with cell changes
    by data row (1 = the first row under the header) and column name."""
    with (SAMPLES / "letters.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    header, body = rows[0], rows[1:]
    out = [header]
    id_col = header.index("review.id")
    for n in range(copies):
        for row in body:
            row = list(row)
            if copies > 1:
                row[id_col] = f"{row[id_col]}-{n:04d}"
            out.append(row)
    for number, cells in (changes or {}).items():
        for column, value in cells.items():
            out[number][header.index(column)] = value
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows(out)
    # As Excel saves "CSV UTF-8": a byte order mark, CRLF line ends.
    return b"\xef\xbb\xbf" + buf.getvalue().encode("utf-8")


@pytest.fixture
def app(tmp_path: Path) -> Any:
    return make_app(tmp_path / "data")
