"""The front desk's sign-in, accounts and protections, each as a person or an attacker
would meet it."""

from __future__ import annotations

import io
import json
import re
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
import zipfile
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from conftest import ROOT, SAMPLES
from reviewdocs.cli import main
from web_helpers import (
    PASSWORD,
    app,
    letters_csv,
    main_text,
    make_app,
    post,
    sign_in,
    token,
    upload,
)

__all__ = ["app"]


# -- serve and users -----------------------------------------------------------------------


def test_serve_refuses_another_host_until_accounts_exist(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["serve", "--host", "0.0.0.0", "--data", str(tmp_path)])
    assert result.exit_code == 1
    assert "No accounts yet: the server would be open to anyone who can reach 0.0.0.0" in (
        result.output
    )


def test_users_add_list_disable(tmp_path: Path) -> None:
    runner = CliRunner()
    data = ["--data", str(tmp_path)]
    added = runner.invoke(
        main, ["users", "add", "ada", "--role", "admin", *data], input=f"{PASSWORD}\n{PASSWORD}\n"
    )
    assert added.exit_code == 0, added.output
    assert "Added ada (admin)." in added.output
    stored = (
        sqlite3.connect(tmp_path / "web.sqlite").execute("SELECT password FROM users").fetchone()
    )
    assert stored[0].startswith("scrypt$") and PASSWORD not in stored[0]
    short = runner.invoke(
        main, ["users", "add", "bob", "--role", "admin", *data], input="short\nshort\n"
    )
    assert short.exit_code == 1 and "at least 12 characters" in short.output
    again = runner.invoke(
        main, ["users", "add", "ada", "--role", "admin", *data], input=f"{PASSWORD}\n{PASSWORD}\n"
    )
    assert again.exit_code == 1 and "There is already an account called ada." in again.output
    assert runner.invoke(main, ["users", "list", *data]).output == "ada\tadmin\tactive\n"
    assert runner.invoke(main, ["users", "disable", "ada", *data]).exit_code == 0
    assert runner.invoke(main, ["users", "list", *data]).output == "ada\tadmin\tdisabled\n"
    app = make_app(tmp_path)
    client = app.test_client()
    page = client.get("/sign-in").get_data(as_text=True)
    refused = client.post(
        "/sign-in", data={"csrf_token": token(page), "name": "ada", "password": PASSWORD}
    )
    assert "Enter a correct user name and password" in main_text(refused.get_data(as_text=True))


def test_loopback_without_accounts_prints_a_one_time_link(tmp_path: Path) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "reviewdocs", "serve", "--port", "0", "--data", str(tmp_path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        cwd=ROOT,
    )
    try:
        assert process.stdout is not None
        lines = [process.stdout.readline() for _ in range(3)]
        link = lines[2].strip()
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+/sign-in/once\?token=[\w-]{40,}", link)
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor())
        first = opener.open(link)
        assert "Review documents" in first.read().decode()
        assert first.url.endswith("/")  # signed in: the start page
        with pytest.raises(urllib.error.HTTPError) as second:
            urllib.request.urlopen(link)
        assert second.value.code == 403
    finally:
        process.terminate()
        output = process.communicate(timeout=10)[0]
    tok = link.rsplit("=", 1)[1]
    assert "".join(lines).count(tok) == 1 and tok not in output, "the token is printed once only"


# -- sessions, CSRF, headers ---------------------------------------------------------------


def test_every_post_needs_the_csrf_token(app: Any) -> None:
    client = sign_in(app, "pat", "practitioner")
    for url in ("/reviews/upload", "/sign-out", "/register/export.csv", "/batches/upload"):
        response = client.post(url, data={})
        assert response.status_code in (400, 403), url
    refused = client.post("/sign-out", data={"csrf_token": "forged"})
    assert refused.status_code == 400
    assert "Your form could not be sent" in refused.get_data(as_text=True)


def test_session_cookie_flags(tmp_path: Path) -> None:
    for behind_proxy in (False, True):
        app = make_app(tmp_path / str(behind_proxy), behind_proxy=behind_proxy)
        client = app.test_client()
        page = client.get("/sign-in")
        cookie = page.headers["Set-Cookie"]
        assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
        assert ("Secure" in cookie) is behind_proxy
        assert ("Strict-Transport-Security" in page.headers) is behind_proxy


def test_idle_session_is_signed_out(app: Any) -> None:
    client = sign_in(app, "pat", "practitioner")
    assert client.get("/").status_code == 200
    with client.session_transaction() as session:
        session["seen"] = int(time.time()) - 31 * 60
    response = client.get("/")
    assert response.status_code == 302 and "/sign-in?timeout=1" in response.headers["Location"]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "You were signed out because you had not used the service for a while" in page


def test_sign_in_is_throttled_after_repeated_failures(app: Any) -> None:
    app.extensions["store"].add_user("pat", "practitioner", PASSWORD)
    client = app.test_client()
    for _ in range(5):
        page = client.get("/sign-in").get_data(as_text=True)
        client.post("/sign-in", data={"csrf_token": token(page), "name": "pat", "password": "x"})
    page = client.get("/sign-in").get_data(as_text=True)
    right = client.post(
        "/sign-in", data={"csrf_token": token(page), "name": "pat", "password": PASSWORD}
    )
    assert right.status_code == 200
    assert "Too many failed attempts to sign in. Wait 5 minutes and try again" in main_text(
        right.get_data(as_text=True)
    )


def test_headers_on_every_page(app: Any) -> None:
    client = sign_in(app, "max", "manager")
    for url in ("/", "/sign-in", "/reviews/upload", "/batches", "/register", "/nowhere"):
        h = client.get(url).headers
        csp = h["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp
        assert "frame-ancestors 'none'" in csp
        assert h["X-Content-Type-Options"] == "nosniff"
        assert h["Referrer-Policy"] == "no-referrer"
        assert h["Cache-Control"] == "no-store"
    page = client.get("/").get_data(as_text=True)
    assert "<script>" not in page and "onclick" not in page


def test_roles(app: Any) -> None:
    practitioner = sign_in(app, "pat", "practitioner")
    assert practitioner.get("/batches").status_code == 403
    assert practitioner.get("/register").status_code == 403
    admin = sign_in(app, "ada", "admin")
    assert admin.get("/reviews/upload").status_code == 403
    assert admin.get("/register").status_code == 200


# -- uploads and downloads -------------------------------------------------------------


def test_upload_size_limit(tmp_path: Path) -> None:
    app = make_app(tmp_path, max_upload=100_000)
    client = sign_in(app, "pat", "practitioner")
    response = upload(client, "/reviews/upload", "big.json", b" " * 200_000)
    assert response.status_code == 413
    assert "The file is too big" in response.get_data(as_text=True)
    from reviewdocs.web import MAX_UPLOAD_BYTES

    assert make_app(tmp_path / "d").config["MAX_CONTENT_LENGTH"] == MAX_UPLOAD_BYTES == 50 * 2**20


def _zip(entries: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    return buf.getvalue()


@pytest.mark.parametrize(
    ("entries", "message"),
    [
        ({"../evil.json": b"{}"}, "The zip file names a file outside itself"),
        ({"/etc/evil.json": b"{}"}, "The zip file names a file outside itself"),
        ({"notes.txt": b"x"}, "The zip file must hold reviews as .json or .pdf files"),
        ({"a/r.json": b"{}", "b/r.json": b"{}"}, "The zip file holds two files named r.json"),
    ],
)
def test_zip_limits(app: Any, entries: dict[str, bytes], message: str) -> None:
    client = sign_in(app, "ada", "admin")
    page = upload(client, "/batches/upload", "reviews.zip", _zip(entries))
    assert message in main_text(page.get_data(as_text=True))
    assert not any(app.config["PATHS"]["batches"].iterdir())


def test_zip_entry_and_size_limits(app: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from reviewdocs.web import checking

    monkeypatch.setattr(checking, "ZIP_MAX_ENTRIES", 3)
    client = sign_in(app, "ada", "admin")
    many = _zip({f"{n}.json": b"{}" for n in range(4)})
    page = upload(client, "/batches/upload", "r.zip", many).get_data(as_text=True)
    assert "The zip file must hold no more than 3 files" in main_text(page)
    monkeypatch.setattr(checking, "ZIP_MAX_TOTAL", 1000)
    big = _zip({"r.json": b" " * 2000})
    page = upload(client, "/batches/upload", "r.zip", big).get_data(as_text=True)
    assert "The zip file must unpack to no more than 0 MB" in main_text(page)


def test_a_zip_of_reviews_is_checked_by_file(app: Any) -> None:
    client = sign_in(app, "ada", "admin")
    bad = json.loads((SAMPLES / "01-carer-light-touch-no-change.json").read_text())
    bad["review"]["method"] = "pigeon"
    archive = _zip(
        {
            "in/good.json": (SAMPLES / "02-carer-short-term-change.json").read_bytes(),
            "in/bad.json": json.dumps(bad).encode(),
            "form.pdf": (SAMPLES / "form-carer-full.pdf").read_bytes(),
        }
    )
    url = upload(client, "/batches/upload", "reviews.zip", archive).headers["Location"]
    text = main_text(client.get(url).get_data(as_text=True))
    assert "1 of 3 records has problems" in text
    assert "Bad.json How was the review carried out? review.method" in text


def test_downloads_only_by_id_and_only_ones_own(app: Any) -> None:
    owner = sign_in(app, "pat", "practitioner")
    sample = SAMPLES / "01-carer-light-touch-no-change.json"
    upload_id = (
        upload(owner, "/reviews/upload", "r.json", sample.read_bytes())
        .headers["Location"]
        .split("/")[2]
    )
    post(owner, f"/reviews/{upload_id}/documents", f"/reviews/{upload_id}/decision")
    page = owner.get(f"/reviews/{upload_id}/documents").get_data(as_text=True)
    file_url = re.search(r'href="(/files/[^"]+)"', page).group(1)  # type: ignore[union-attr]
    assert owner.get(file_url).status_code == 200
    other = sign_in(app, "sam", "practitioner")
    assert other.get(file_url).status_code == 404
    assert other.get(f"/reviews/{upload_id}/decision").status_code == 404
    assert other.get("/files/..%2F..%2Fweb.sqlite").status_code == 404
    manager = sign_in(app, "max", "manager")
    assert manager.get(file_url).status_code == 200


def test_no_personal_data_in_urls(app: Any) -> None:
    client = sign_in(app, "max", "manager")
    sample = SAMPLES / "10-joint-review-health-sharing.json"
    raw = json.loads(sample.read_text())
    personal = [raw["review"]["id"], raw["subject"]["name"], raw["subject"]["reference"]]
    urls = []
    response = upload(client, "/reviews/upload", "r.json", sample.read_bytes())
    urls.append(response.headers["Location"])
    upload_id = urls[0].split("/")[2]
    for path in ("check", "decision", "documents", "share"):
        urls += re.findall(
            r'(?:href|action)="([^"]+)"',
            client.get(f"/reviews/{upload_id}/{path}").get_data(as_text=True),
        )
    post(client, f"/reviews/{upload_id}/documents", f"/reviews/{upload_id}/decision")
    urls += re.findall(
        r'href="([^"]+)"', client.get(f"/reviews/{upload_id}/documents").get_data(as_text=True)
    )
    batch = upload(client, "/batches/upload", "l.csv", letters_csv()).headers["Location"]
    urls.append(batch)
    assert len(urls) > 10
    for url in urls:
        for value in personal:
            assert value not in url


def test_uploads_are_removed_when_finished(app: Any) -> None:
    client = sign_in(app, "pat", "practitioner")
    sample = SAMPLES / "01-carer-light-touch-no-change.json"
    upload_id = (
        upload(client, "/reviews/upload", "r.json", sample.read_bytes())
        .headers["Location"]
        .split("/")[2]
    )
    uploads = app.config["PATHS"]["uploads"]
    assert len(list(uploads.iterdir())) == 1
    post(client, f"/reviews/{upload_id}/finish", f"/reviews/{upload_id}/decision")
    assert list(uploads.iterdir()) == []
    assert client.get(f"/reviews/{upload_id}/decision").status_code == 404


def test_register_export_is_safe_in_a_spreadsheet(app: Any) -> None:
    client = sign_in(app, "max", "manager")
    raw = json.loads((SAMPLES / "10-joint-review-health-sharing.json").read_text())
    for recipient in raw["sharing"]["recipients"]:
        if recipient["name"] == "Karen Evans":
            recipient["name"] = '=HYPERLINK("http://x","y")'
    upload_id = (
        upload(client, "/reviews/upload", "r.json", json.dumps(raw).encode())
        .headers["Location"]
        .split("/")[2]
    )
    share = f"/reviews/{upload_id}/share"
    post(client, share, share)
    exported = post(client, "/register/export.csv", "/register").get_data(as_text=True)
    assert "'=HYPERLINK" in exported
    assert ",=HYPERLINK" not in exported and '"=HYPERLINK' not in exported


def test_an_internal_error_logs_one_line_without_personal_data(
    app: Any, caplog: pytest.LogCaptureFixture
) -> None:
    app.config["PROPAGATE_EXCEPTIONS"] = False

    def broken() -> str:
        raise ValueError("Dorothy Evans, 14 Mill Lane")

    app.add_url_rule("/broken", "broken", broken)
    client = sign_in(app, "pat", "practitioner")
    response = client.get("/broken")
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in response.get_data(as_text=True)
    assert "Dorothy" not in response.get_data(as_text=True)
    lines = [r.getMessage() for r in caplog.records]
    assert lines == ["internal error (ValueError) on GET /broken"]
    assert not any(r.exc_info for r in caplog.records)


def test_an_encrypted_zip_is_refused_in_words(app: Any) -> None:
    client = sign_in(app, "ada", "admin")
    archive = bytearray(_zip({"r.json": b"{}"}))
    # Set the "encrypted" flag of the entry (local header and central directory).
    for start in (0, archive.find(b"PK\x01\x02")):
        offset = start + (6 if start == 0 else 8)
        archive[offset] |= 0x01
    page = upload(client, "/batches/upload", "r.zip", bytes(archive)).get_data(as_text=True)
    assert "r.json in the zip file cannot be read (is the zip encrypted or damaged?)" in (
        main_text(page)
    )


def test_a_one_time_session_is_not_honoured_by_a_server_without_the_link(
    tmp_path: Path,
) -> None:
    first = make_app(tmp_path, one_time_token="once")
    client = first.test_client()
    assert client.get("/sign-in/once?token=once").status_code == 302
    assert client.get("/").status_code == 200
    second = make_app(tmp_path)  # started again, now with accounts: no link printed
    second.extensions["store"].add_user("ada", "admin", PASSWORD)
    cookie = client.get_cookie("reviewdocs_session")
    assert cookie is not None
    other = second.test_client()
    other.set_cookie("reviewdocs_session", cookie.value)
    response = other.get("/")
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]


def test_serve_says_how_to_install_the_frontend_when_it_is_missing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reviewdocs.web import assets

    monkeypatch.setenv("REVIEWDOCS_NODE_MODULES", str(tmp_path / "none"))
    assets.stylesheet.cache_clear()
    result = CliRunner().invoke(main, ["serve", "--data", str(tmp_path / "data")])
    assert result.exit_code == 1
    assert "GOV.UK Frontend is not installed" in result.output
    assert "run `npm ci` in the reviewdocs folder (or `make install`)" in result.output


def test_the_front_desk_database_and_its_logs_are_owner_only_whatever_the_umask(
    tmp_path: Path,
) -> None:
    """Its -wal and -shm hold review ids and people's references: 0600 under umask 022."""
    import os
    import stat

    old = os.umask(0o022)
    try:
        app = make_app(tmp_path / "data")
        client = sign_in(app, "pat", "practitioner")
        sample = SAMPLES / "01-carer-light-touch-no-change.json"
        assert upload(client, "/reviews/upload", "r.json", sample.read_bytes()).status_code == 302
        data = tmp_path / "data"
        names = ["web.sqlite", "web.sqlite-wal", "web.sqlite-shm"]
        modes = {n: stat.S_IMODE((data / n).stat().st_mode) for n in names}
        assert modes == dict.fromkeys(names, 0o600)
    finally:
        os.umask(old)
