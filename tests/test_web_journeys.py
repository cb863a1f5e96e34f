"""The front desk's journeys through Flask's test client: a practitioner's review and an
admin's batch, as a person would notice them (page text, the files they download)."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import signal
import stat
import time
import zipfile
from pathlib import Path
from typing import Any

import docx
import pytest

from conftest import SAMPLES
from web_helpers import app, letters_csv, main_text, make_app, post, sign_in, upload

__all__ = ["app"]


def _docx_text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    return "\n".join(p.text for p in document.paragraphs)


def _links(html: str) -> list[tuple[str, str]]:
    return re.findall(r'href="(/files/[^"]+)"[^>]*>([^<]+)<', html)


def test_invalid_review_is_checked_and_nothing_is_made(app: Any) -> None:
    client = sign_in(app, "pat", "practitioner")
    raw = json.loads((SAMPLES / "01-carer-light-touch-no-change.json").read_text())
    raw["review"]["date"] = "2026-02-30"
    del raw["subject"]["name"]
    response = upload(client, "/reviews/upload", "review.json", json.dumps(raw).encode())
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    text = main_text(page)
    assert "There is a problem with this review" in text
    # Each problem by its plain-English label, linked from the error summary to its row.
    assert "Date of the review conversation: Not a valid date." in text
    assert re.search(r'href="#problem-review-date-0"', page)
    assert 'id="problem-review-date-0"' in page
    assert "subject.name" in text
    data = app.config["PATHS"]
    assert not any(data["out"].iterdir()), "nothing may be produced from an invalid review"
    assert not any(data["uploads"].iterdir()), "an unusable upload is removed at once"


def test_practitioner_journey_from_the_pdf_form(app: Any) -> None:
    client = sign_in(app, "pat", "practitioner")
    pdf = (SAMPLES / "form-carer-full.pdf").read_bytes()
    response = upload(client, "/reviews/upload", "form.pdf", pdf)
    check_url = response.headers["Location"]
    text = main_text(client.get(check_url).get_data(as_text=True))
    assert re.search(r"Review \S+ has no problems", text)
    upload_id = check_url.split("/")[2]
    stored = next(app.config["PATHS"]["uploads"].iterdir())
    assert stat.S_IMODE(stored.stat().st_mode) == 0o700
    assert stat.S_IMODE(next(stored.iterdir()).stat().st_mode) == 0o600

    decision_page = client.get(f"/reviews/{upload_id}/decision").get_data(as_text=True)
    decision = main_text(decision_page)
    from reviewdocs.decision.rules import decide
    from reviewdocs.documents import wording
    from reviewdocs.documents.reasons import outcome_words
    from reviewdocs.intake.read import load_review

    review = load_review(SAMPLES / "form-carer-full.pdf")
    result = decide(review)
    # The outcome as the record words it (its reasons from the findings).
    words = outcome_words(review, result, wording.voice_for(review["subject"], direct=False))
    assert f"{result['outcome_number']}. {words['text']}" in decision
    shown = result["next_review_by"] or "No date set"
    assert f"Next review by {shown}" in decision
    assert "Procedure: 00" in decision  # each action with its procedure citation

    response = post(client, f"/reviews/{upload_id}/documents", f"/reviews/{upload_id}/decision")
    assert response.status_code == 302
    page = client.get(f"/reviews/{upload_id}/documents").get_data(as_text=True)
    links = dict((label, href) for href, label in _links(page))
    assert "Review record, DOCX" in links and "Outcome letter, DOCX" in links
    letter = client.get(links["Outcome letter, DOCX"])
    assert letter.headers["Cache-Control"] == "no-store"
    assert review["subject"]["name"].split()[0] in _docx_text(letter.data)

    register = sign_in(app, "max", "manager")
    found = main_text(
        post(register, "/register", "/register", q=review["review"]["id"]).get_data(as_text=True)
    )
    assert "Review record" in found and " pat" in found  # by whom
    assert re.search(r"\d\d:\d\d pat Uploaded review .* pat Downloaded", found)


def test_share_shows_the_plan_and_makes_the_copies(app: Any) -> None:
    client = sign_in(app, "pat", "practitioner")
    sample = SAMPLES / "10-joint-review-health-sharing.json"
    upload_id = (
        upload(client, "/reviews/upload", "r.json", sample.read_bytes())
        .headers["Location"]
        .split("/")[2]
    )
    share_url = f"/reviews/{upload_id}/share"
    plan = main_text(client.get(share_url).get_data(as_text=True))
    assert "Michael Evans Partial" in plan
    # What a partial copy leaves out, by the record's headings and the form's labels.
    assert "Left out: Whether the personal budget is still enough;" in plan
    assert "subject.address" not in plan
    done = post(client, share_url, share_url).get_data(as_text=True)
    # The banner is rendered, not shown as escaped markup.
    assert "Share the record Done Copy made for the person Copy made for" in main_text(done)
    assert "Copy made for Michael Evans" in main_text(done)
    assert "govuk-notification-banner__heading" not in main_text(done)
    labels = [label for _, label in _links(done)]
    assert "Copy for Michael Evans: Review record, DOCX" in labels
    href = dict((label, h) for h, label in _links(done))[
        "Copy for Michael Evans: Review record, DOCX"
    ]
    text = _docx_text(client.get(href).data)
    assert "Dot" in text or "Evans" in text


def test_the_share_banner_keeps_a_name_as_text(app: Any) -> None:
    """The banner's markup is the template's own: a recipient's name is escaped in it."""
    raw = json.loads((SAMPLES / "10-joint-review-health-sharing.json").read_text("utf-8"))
    raw["sharing"]["recipients"][1]["name"] = "Linden <b>Home</b> Care"
    client = sign_in(app, "pat", "practitioner")
    location = upload(client, "/reviews/upload", "r.json", json.dumps(raw).encode())
    share_url = f"/reviews/{location.headers['Location'].split('/')[2]}/share"
    done = post(client, share_url, share_url).get_data(as_text=True)
    assert "Copy made for Linden &lt;b&gt;Home&lt;/b&gt; Care" in done
    assert "<b>Home</b>" not in done


def test_share_respects_a_copy_held_back_in_the_register(app: Any) -> None:
    """An earlier decision (here a CLI amend into the same data folder held Michael Evans
    back from version 2) is shown in the plan with its reason, and no copy is made."""
    from datetime import date

    from reviewdocs.disclosure.register import Register

    reason = (
        "a concern about risk is recorded, so the amended record is not sent "
        "automatically; a manager must decide first (003)"
    )
    with Register(app.config["PATHS"]["register"]) as register:
        register.add_refusal(
            "CS-2026-1315",
            "michael-evans",
            "Michael Evans",
            f"Version 2 not sent: held back: {reason}.",
            date(2026, 11, 28),
            version=2,
            hold=True,
        )
    client = sign_in(app, "pat", "practitioner")
    sample = SAMPLES / "10-joint-review-health-sharing.json"
    upload_id = (
        upload(client, "/reviews/upload", "r.json", sample.read_bytes())
        .headers["Location"]
        .split("/")[2]
    )
    share_url = f"/reviews/{upload_id}/share"
    plan = main_text(client.get(share_url).get_data(as_text=True))
    assert (
        f"Michael Evans Held back Held back by an earlier decision: {reason}. "
        "Producing the copies does not send it." in plan
    )
    done = main_text(post(client, share_url, share_url).get_data(as_text=True))
    assert f"No copy for Michael Evans: held back ({reason})." in done
    assert "Copy for Michael Evans" not in done
    assert not list((app.config["PATHS"]["out"] / "CS-2026-1315").glob("*michael-evans*"))


def test_a_stray_quote_is_labelled_by_its_column_on_the_check_page(app: Any) -> None:
    client = sign_in(app, "ada", "admin")
    lines = letters_csv().split(b"\r\n")
    name = next(csv.reader([lines[2].decode()]))[20].encode()  # row 3's subject.name (U)
    lines[2] = lines[2].replace(b"," + name + b",", b',"' + name + b" (known as Pat,", 1)
    response = upload(client, "/batches/upload", "letters.csv", b"\r\n".join(lines))
    text = main_text(client.get(response.headers["Location"]).get_data(as_text=True))
    assert "The record as a whole" not in text
    assert (
        f"Row 3 Full name subject.name subject.name (column U): the cell's double quotes do not "
        f"pair up: got '\"{name.decode()} (known as Pat'." in text
    )


def test_batch_with_two_bad_rows_then_fixed(app: Any) -> None:
    client = sign_in(app, "ada", "admin")
    broken = letters_csv({2: {"review.document_date": "2026-13-45"}, 4: {"subject.name": ""}})
    response = upload(client, "/batches/upload", "letters.csv", broken)
    text = main_text(client.get(response.headers["Location"]).get_data(as_text=True))
    assert "There is a problem with your file" in text
    assert "2 of 5 records have problems" in text
    assert "Row 3 Date to put on the letters and the record (optional) review.document_date" in text
    assert "Row 5" in text and "subject.name" in text
    assert "Produce" not in text

    response = upload(client, "/batches/upload", "letters.csv", letters_csv())
    batch_url = response.headers["Location"]
    assert "Produce 5 letters" in main_text(client.get(batch_url).get_data(as_text=True))
    post(client, f"{batch_url}/start", batch_url)
    page = _wait_for_result(client, batch_url)
    assert "Produced 5" in main_text(page)
    (href, _), *_ = _links(page)
    archive = zipfile.ZipFile(io.BytesIO(client.get(href).data))
    names = archive.namelist()
    assert "batch-report.csv" in names
    found = main_text(
        post(client, "/register", "/register", q="CS-2027-0101").get_data(as_text=True)
    )
    assert (
        "Review information letter 1 The person (subject) subject Nothing standard, DOCX ada"
        in (found)
    )
    letter = next(n for n in names if n.startswith("CS-2027-0101/"))
    assert "Margaret" in _docx_text(archive.read(letter)) or "Peggy" in _docx_text(
        archive.read(letter)
    )


def test_a_finished_batch_leaves_no_zombie_under_the_server(
    app: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The runner is the server's child: once it ends it is reaped, not left defunct."""
    from reviewdocs.web import batchjob

    started: list[int] = []
    real_start = batchjob.start

    def start(folder: Path) -> int:
        started.append(real_start(folder))
        return started[-1]

    monkeypatch.setattr(batchjob, "start", start)
    client = sign_in(app, "ada", "admin")
    response = upload(client, "/batches/upload", "letters.csv", letters_csv())
    batch_url = response.headers["Location"]
    post(client, f"{batch_url}/start", batch_url)
    assert "Produced 5" in main_text(_wait_for_result(client, batch_url))
    (pid,) = started
    proc = Path(f"/proc/{pid}/stat")
    end = time.monotonic() + 30
    while proc.exists() and time.monotonic() < end:
        time.sleep(0.2)
    state = proc.read_text().rsplit(")", 1)[1].split()[0] if proc.exists() else "gone"
    assert state == "gone", f"runner {pid} is still there, state {state}"


def _wait_for_result(client: Any, url: str, seconds: float = 120) -> str:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        page = client.get(url).get_data(as_text=True)
        if "Batch finished" in page:
            return str(page)
        assert "There is a problem" not in page
        time.sleep(0.3)
    raise AssertionError(f"the batch did not finish: {main_text(page)}")


def test_restart_mid_batch_loses_nothing_and_resumes(tmp_path: Path) -> None:
    data = tmp_path / "data"
    app = make_app(data)
    client = sign_in(app, "ada", "admin")
    batch_url = upload(client, "/batches/upload", "many.csv", letters_csv(copies=40)).headers[
        "Location"
    ]
    post(client, f"{batch_url}/start", batch_url)
    batch = app.extensions["store"].batch(batch_url.rsplit("/", 1)[1])
    # Stop the runner part-way, as a server restart or a crash would.
    end = time.monotonic() + 60
    while True:
        response = client.get(batch_url)
        page = response.get_data(as_text=True)
        if "of 200 finished" in page and not re.search(r"\b0 of 200", page):
            break
        assert time.monotonic() < end, main_text(page)
        time.sleep(0.05)
    still = client.get(f"{batch_url}?refresh=off")
    os.killpg(batch.pid, signal.SIGKILL)
    # The progress page reloads itself without JavaScript, unless asked not to.
    assert response.headers["Refresh"] == "3"
    assert "Stop this page updating itself" in page
    assert "This page does not update itself" in still.get_data(as_text=True)
    assert "Refresh" not in still.headers

    restarted = make_app(data)  # a new server on the same data folder
    client = sign_in(restarted, "ada")
    text = main_text(client.get(batch_url).get_data(as_text=True))
    assert "The batch stopped before the end" in text
    post(client, f"{batch_url}/start", batch_url)
    page = _wait_for_result(client, batch_url)
    assert "200 records" in main_text(page)
    (href, _), *_ = _links(page)
    archive = zipfile.ZipFile(io.BytesIO(client.get(href).data))
    report = archive.read("batch-report.csv").decode("utf-8").splitlines()
    assert len(report) == 201
    assert all(",failed," not in line for line in report)
    letters = [n for n in archive.namelist() if n.endswith(".docx")]
    assert len({n.split("/")[0] for n in letters}) == 200


def test_chosen_documents_are_checked_before_anything_is_made(app: Any) -> None:
    client = sign_in(app, "ada", "admin")
    # samples/letters.csv holds planned reviews: they have no record to make yet.
    response = upload(
        client, "/batches/upload", "letters.csv", letters_csv(), documents="review_record"
    )
    text = main_text(client.get(response.headers["Location"]).get_data(as_text=True))
    assert "5 of 5 records have problems" in text
    assert "The review is planned, not completed: review_record need(s) the review's findings" in (
        text
    )


def test_a_wrong_kind_of_file_is_named_on_the_upload_page(app: Any) -> None:
    client = sign_in(app, "pat", "practitioner")
    page = upload(client, "/reviews/upload", "notes.docx", b"PK").get_data(as_text=True)
    assert "There is a problem" in page
    assert 'href="#file"' in page
    assert "The selected file must be a JSON or PDF file" in main_text(page)
    assert page.count("The selected file must be a JSON or PDF file") == 2  # summary and field


def test_an_upload_left_for_a_working_day_is_removed(app: Any) -> None:
    client = sign_in(app, "pat", "practitioner")
    sample = SAMPLES / "01-carer-light-touch-no-change.json"
    upload(client, "/reviews/upload", "r.json", sample.read_bytes())
    uploads = app.config["PATHS"]["uploads"]
    assert len(list(uploads.iterdir())) == 1
    store = app.extensions["store"]
    with store._db() as db:
        db.execute("UPDATE uploads SET created = created - 9 * 3600")
    app.config["SWEPT_AT"] -= 601
    client.get("/")
    assert list(uploads.iterdir()) == []


@pytest.mark.parametrize(
    "sample",
    [
        pytest.param("07-carer-safeguarding-pause.json", id="paused"),
        pytest.param("09-advocacy-needed.json", id="waiting-for-an-advocate"),
    ],
)
def test_a_provisional_decision_is_never_shown_as_final(app: Any, sample: str) -> None:
    client = sign_in(app, "pat", "practitioner")
    response = upload(client, "/reviews/upload", "review.json", (SAMPLES / sample).read_bytes())
    upload_id = response.headers["Location"].split("/")[2]
    decision = main_text(client.get(f"/reviews/{upload_id}/decision").get_data(as_text=True))
    assert "Outcome There is no final outcome yet." in decision
    assert "Still to be decided:" in decision
    assert "Next review by No date set" in decision
