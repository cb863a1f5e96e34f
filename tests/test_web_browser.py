"""The front desk in a real browser: Debian's chromium driven by Playwright, one server
(``reviewdocs serve``) for the whole module. Every page visited is checked by axe-core
(WCAG 2.2 AA, 0 violations). With REVIEWDOCS_SCREENSHOTS=DIR, the main pages are also
saved there as PNGs (docs/screenshots/ is made this way)."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import docx
import pytest

from conftest import ROOT, SAMPLES
from web_helpers import PASSWORD, letters_csv

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
SHOTS = os.environ.get("REVIEWDOCS_SCREENSHOTS")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    from reviewdocs.web.store import Store

    data = tmp_path_factory.mktemp("web") / "data"
    store = Store(data)
    for name, role in (("pat", "practitioner"), ("sam", "practitioner"), ("ada", "admin")):
        store.add_user(name, role, PASSWORD)
    store.add_user("max", "manager", PASSWORD)
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "reviewdocs",
            "serve",
            "--port",
            "0",
            "--data",
            str(data),
            "--council",
            "Example County Council",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        cwd=ROOT,
    )
    assert process.stdout is not None
    first = process.stdout.readline()
    found = re.search(r"http://127\.0\.0\.1:(\d+)/", first)
    assert found, first
    yield found.group(0).rstrip("/")
    process.terminate()
    output = process.communicate(timeout=20)[0]
    # The server's log lines: nothing about a person or a review.
    for value in ("CS-2026-1315", "Dorothy", "ASC-", "CS-2027-0101", "Margaret"):
        assert value not in output


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(accept_downloads=True, viewport={"width": 1100, "height": 900})
    context.set_default_timeout(30_000)
    opened = context.new_page()
    errors: list[str] = []
    # The Content-Security-Policy refuses anything inline: a page that needed it would
    # say so on the console, and the test fails.
    opened.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    opened.on("pageerror", lambda e: errors.append(str(e)))
    yield opened
    context.close()
    # (An error status is a console error too: those are asserted by the tests themselves.)
    assert [e for e in errors if not e.startswith("Failed to load resource")] == []


def check(page: Any, shot: str | None = None) -> None:
    """axe-core on the page as it is now: no WCAG 2.2 AA violation."""
    page.evaluate(AXE.read_text(encoding="utf-8"))
    violations = page.evaluate(
        """async (tags) => {
            const r = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
            return r.violations.map(v => v.id + ': ' + v.help + ' at ' +
                v.nodes.map(n => n.target.join(' ')).join(', '));
        }""",
        WCAG_22_AA,
    )
    assert violations == [], f"{page.url}: {violations}"
    if SHOTS and shot:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{shot}.png"), full_page=True)


def sign_in(page: Any, server: str, name: str, password: str = PASSWORD) -> None:
    page.goto(server + "/")
    assert page.url.endswith("/sign-in")
    page.fill("#name", name)
    page.fill("#password", password)
    page.click("button:has-text('Sign in')")


def upload_file(page: Any, name: str, content: bytes, mime: str) -> None:
    page.set_input_files("#file", files=[{"name": name, "mimeType": mime, "buffer": content}])
    page.click("button:has-text('Upload and check')")


def docx_text(path: str) -> str:
    return "\n".join(p.text for p in docx.Document(path).paragraphs)


def test_sign_in_and_sign_out(page: Any, server: str) -> None:
    page.goto(server + "/")
    check(page, "sign-in")
    sign_in(page, server, "pat", "wrong password")
    assert page.inner_text(".govuk-error-summary").count("Enter a correct user name and password")
    check(page)
    page.fill("#name", "pat")
    page.fill("#password", PASSWORD)
    page.click("button:has-text('Sign in')")
    assert page.inner_text("h1") == "Review documents"
    assert "Example County Council" in page.inner_text("header")
    check(page, "start")
    page.click("button:has-text('Sign out')")
    assert page.inner_text("h1") == "You have signed out"
    check(page)
    page.goto(server + "/reviews/upload")
    assert page.url.endswith("/sign-in")


def test_practitioner_journey(page: Any, server: str) -> None:
    sign_in(page, server, "pat")
    page.click("text=Upload a review")
    check(page, "review-upload")
    raw = json.loads((SAMPLES / "01-carer-light-touch-no-change.json").read_text())
    raw["review"]["date"] = "2026-02-30"
    upload_file(page, "review.json", json.dumps(raw).encode(), "application/json")
    summary = page.inner_text(".govuk-error-summary")
    assert "Date of the review conversation: Not a valid date." in summary
    page.click(".govuk-error-summary a")
    assert page.url.endswith("#problem-review-date-0")
    check(page, "review-check-problems")

    page.goto(server + "/reviews/upload")
    upload_file(page, "form.pdf", (SAMPLES / "form-carer-full.pdf").read_bytes(), "application/pdf")
    assert "has no problems" in page.inner_text("h1")
    check(page)
    page.click("text=See the decision")
    assert "Outcome" in page.inner_text(".govuk-summary-list")
    assert "Procedure: 00" in page.inner_text("main")
    check(page, "review-decision")
    page.click("button:has-text('Produce documents')")
    assert page.inner_text("h1") == "Documents"
    check(page, "review-documents")
    with page.expect_download() as download:
        page.click("a:has-text('Outcome letter, DOCX')")
    assert download.value.suggested_filename == "outcome_letter.docx"
    from reviewdocs.intake.read import load_review

    person = load_review(SAMPLES / "form-carer-full.pdf")["subject"]
    assert person["name"].split()[0] in docx_text(download.value.path())
    page.click("text=Share copies of the record")
    check(page)
    page.click("button:has-text('Produce the copies')")
    assert "Done" in page.inner_text(".govuk-notification-banner")
    check(page)


def test_admin_journey(page: Any, server: str) -> None:
    sign_in(page, server, "ada")
    page.click("text=Upload a batch")
    check(page, "batch-upload")
    broken = letters_csv({2: {"review.document_date": "2026-13-45"}, 4: {"subject.name": ""}})
    upload_file(page, "letters.csv", broken, "text/csv")
    summary = page.inner_text(".govuk-error-summary")
    assert "There is a problem with your file" in summary
    assert (
        "Row 3, Date to put on the letters and the record (optional): Not a date: use "
        "31/12/2026 or 2026-12-31, got '2026-13-45'."
    ) in (summary)
    assert "Row 5" in summary
    assert page.inner_text("h1") == "2 of 5 records have problems"
    check(page, "batch-check-problems")

    page.click("text=Upload a corrected file")
    upload_file(page, "letters.csv", letters_csv(), "text/csv")
    assert page.inner_text("h1") == "5 records, no problems"
    check(page, "batch-check-ready")
    page.click("button:has-text('Produce 5 letters')")
    if "Producing" in page.inner_text("h1"):
        check(page, "batch-progress")
    page.wait_for_selector("text=Batch finished", timeout=120_000)
    check(page, "batch-done")
    with page.expect_download() as download:
        page.click("a:has-text('Download the documents')")
    archive = zipfile.ZipFile(download.value.path())
    assert "batch-report.csv" in archive.namelist()
    letter = archive.read("CS-2027-0101/review_information_letter.docx")
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(letter)).paragraphs)
    assert "Peggy" in text or "Margaret" in text
    page.click("header >> text=Batches")
    check(page)


def test_register_search(page: Any, server: str) -> None:
    sign_in(page, server, "max")
    page.goto(server + "/reviews/upload")
    sample = SAMPLES / "10-joint-review-health-sharing.json"
    upload_file(page, "r.json", sample.read_bytes(), "application/json")
    page.click("text=See the decision")
    page.click("button:has-text('Produce documents')")
    page.click("text=Share copies of the record")
    assert "Partial" in page.inner_text("table")
    check(page, "review-share")
    page.click("button:has-text('Produce the copies')")
    page.click("header >> text=Register")
    check(page)
    page.fill("#q", json.loads(sample.read_text())["subject"]["reference"])
    page.click("button:has-text('Search')")
    table = page.inner_text("table")
    assert "Karen Evans" in table and "max" in table
    check(page, "register")
    with page.expect_download() as download:
        page.click("button:has-text('Download the register as CSV')")
    assert Path(download.value.path()).read_text(encoding="utf-8").startswith("status,review_id")


def test_a_post_without_the_csrf_token_is_refused(page: Any, server: str) -> None:
    sign_in(page, server, "pat")
    page.evaluate("document.querySelectorAll('input[name=csrf_token]').forEach(e => e.remove())")
    page.click("button:has-text('Sign out')")
    assert page.inner_text("h1") == "Your form could not be sent"
    check(page)
    page.goto(server + "/")
    assert page.inner_text("h1") == "Review documents"  # still signed in


def test_another_users_download_is_refused(browser: Any, page: Any, server: str) -> None:
    sign_in(page, server, "pat")
    page.goto(server + "/reviews/upload")
    sample = SAMPLES / "02-carer-short-term-change.json"
    upload_file(page, "r.json", sample.read_bytes(), "application/json")
    page.click("text=See the decision")
    page.click("button:has-text('Produce documents')")
    href = page.get_attribute("a:has-text('Review record')", "href")
    assert href and href.startswith("/files/")
    other = browser.new_context().new_page()
    sign_in(other, server, "sam")
    response = other.goto(server + href)
    assert response.status == 404
    assert other.inner_text("h1") == "Page not found"
    check(other)
    other.context.close()


def test_everything_works_with_javascript_off(browser: Any, server: str) -> None:
    context = browser.new_context(java_script_enabled=False, accept_downloads=True)
    page = context.new_page()
    sign_in(page, server, "max")
    page.goto(server + "/reviews/upload")
    upload_file(page, "r.json", (SAMPLES / "05-john-working-days.json").read_bytes(), "text/json")
    page.click("text=See the decision")
    page.click("button:has-text('Produce documents')")
    with page.expect_download() as download:
        page.click("a:has-text('Review record')")
    assert "John" in docx_text(download.value.path())
    page.goto(server + "/batches/upload")
    upload_file(page, "letters.csv", letters_csv(copies=2), "text/csv")
    page.click("button:has-text('Produce 10 letters')")
    # The progress page reloads itself without JavaScript until the batch is done.
    page.wait_for_selector("text=Batch finished", timeout=120_000)
    context.close()
