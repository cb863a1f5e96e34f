"""``reviewdocs send``: the real Notify client against a local server that answers as
GOV.UK Notify's documented API does (issue 14).

The server runs on 127.0.0.1 in a thread that every test stops before it ends (the
suite forks batch workers later, and must not fork with a thread running). It checks
the client's JSON Web Token with the key's secret, as Notify does.
"""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import json
import sqlite3
import threading
import uuid
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from reviewdocs.cli import main
from reviewdocs.disclosure.register import Entry, Register
from reviewdocs.files import sha256_bytes, write_atomic
from reviewdocs.post.cover import CoverPage, cover_pdf
from reviewdocs.post.send import send_folder

SERVICE_ID = str(uuid.uuid4())
SECRET = str(uuid.uuid4())
API_KEY = f"reviewdocs_test-{SERVICE_ID}-{SECRET}"
ADDRESS = ("Brian Whitfield", "3 Mill Lane", "Lower Brenton", "Exampleton", "EX4 2PL")
SENDER = ("Example County Council", "County Hall", "EX1 1AA")

CREATED = 201
VALIDATION = (
    400,
    {
        "status_code": 400,
        "errors": [{"error": "BadRequestError", "message": "Letter content is not a valid PDF"}],
    },
)
RATE_LIMIT = (
    429,
    {
        "status_code": 429,
        "errors": [
            {
                "error": "RateLimitError",
                "message": "Exceeded rate limit for key type LIVE of 3000 requests per 60 seconds",
            }
        ],
    },
)
SERVER_ERROR = (
    500,
    {"status_code": 500, "errors": [{"error": "Exception", "message": "Internal server error"}]},
)


class FakeNotify:
    """What the server will answer to each letter, in turn, and what it was sent."""

    def __init__(self) -> None:
        self.script: list[Any] = []
        self.letters: list[dict[str, Any]] = []
        self.requests = 0
        self.url = ""
        self.status = "pending-virus-check"


@pytest.fixture
def notify(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeNotify]:
    import jwt

    fake = FakeNotify()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *_: Any) -> None:  # keep test output quiet
            pass

        def _authorised(self) -> bool:
            token = self.headers.get("Authorization", "").removeprefix("Bearer ")
            try:
                claims = jwt.decode(token, SECRET, algorithms=["HS256"])
            except jwt.PyJWTError:
                claims = {}
            if claims.get("iss") != SERVICE_ID:
                self._answer(
                    403,
                    {
                        "status_code": 403,
                        "errors": [{"error": "AuthError", "message": "Invalid token"}],
                    },
                )
                return False
            return True

        def _answer(self, status: int, body: dict[str, Any]) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_POST(self) -> None:
            fake.requests += 1
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            if not self._authorised():
                return
            assert self.path == "/v2/notifications/letter"
            answer = fake.script.pop(0) if fake.script else CREATED
            if answer != CREATED:
                self._answer(*answer)
                return
            notification_id = str(uuid.uuid4())
            fake.letters.append({**body, "id": notification_id})
            self._answer(
                201,
                {"id": notification_id, "reference": body["reference"], "postage": body["postage"]},
            )

        def do_GET(self) -> None:
            if not self._authorised():
                return
            notification_id = self.path.rsplit("/", 1)[1]
            letter = next(x for x in fake.letters if x["id"] == notification_id)
            self._answer(
                200,
                {
                    "id": notification_id,
                    "reference": letter["reference"],
                    "type": "letter",
                    "status": fake.status,
                    "postage": letter["postage"],
                },
            )

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    fake.url = f"http://127.0.0.1:{server.server_address[1]}"
    monkeypatch.setenv("NOTIFY_API_KEY", API_KEY)
    monkeypatch.setenv("NOTIFY_API_URL", fake.url)
    try:
        yield fake
    finally:
        server.shutdown()
        thread.join()
        server.server_close()


def _envelope(
    folder: Path, review_id: str, who: str = "subject", *, basis: str = "subject", good: bool = True
) -> bytes:
    """A one-page envelope that passes (or, ``good=False``, fails) our check, registered."""
    address = ADDRESS if good else ADDRESS[:-1]
    page = CoverPage(1, 1, address, SENDER, (f"Review number: {review_id}",), ("A letter",), 12)
    data = cover_pdf(page, title="Letter")
    relpath = f"{review_id}/post-{who}.pdf"
    write_atomic(folder / relpath, data)
    with Register(folder / "register.sqlite") as register:
        register.add(
            Entry(
                review_id=review_id,
                document="post_envelope",
                version=1,
                recipient_id=None if who == "subject" else who,
                recipient_name=ADDRESS[0] if who == "subject" else who,
                basis=basis,
                withheld=(),
                produced_on=dt.date(2026, 12, 1),
                variant="standard",
                fmt="pdf",
                path=relpath,
                sha256=sha256_bytes(data),
                input_sha256="",
                template_sha256="",
            )
        )
    return data


def _sent_rows(folder: Path) -> list[tuple[Any, ...]]:
    with sqlite3.connect(folder / "register.sqlite") as db:
        return db.execute(
            "SELECT review_id, path, postage, notification_id, status, detail FROM notify_letters"
        ).fetchall()


def test_each_envelope_is_sent_as_a_precompiled_letter(
    tmp_path: Path, notify: FakeNotify, runner: CliRunner
) -> None:
    data = _envelope(tmp_path, "CR-2026-0502")
    result = runner.invoke(main, ["send", str(tmp_path), "--postage", "first"])
    assert result.exit_code == 0, result.output
    [letter] = notify.letters
    assert letter["reference"] == "CR-2026-0502"
    assert letter["postage"] == "first"
    assert base64.b64decode(letter["content"]) == data
    assert (
        f"CR-2026-0502/post-subject.pdf: sent to Brian Whitfield, reference CR-2026-0502, "
        f"first class; Notify id {letter['id']}, status pending-virus-check."
    ) in result.stdout
    assert _sent_rows(tmp_path) == [
        (
            "CR-2026-0502",
            "CR-2026-0502/post-subject.pdf",
            "first",
            letter["id"],
            "pending-virus-check",
            "",
        )
    ]
    # The register's own tables are untouched: one entry, the envelope.
    with Register(tmp_path / "register.sqlite") as register:
        assert [e.document for e in register.entries()] == ["post_envelope"]

    again = runner.invoke(main, ["send", str(tmp_path)])
    assert again.exit_code == 0
    assert "already sent to Brian Whitfield" in again.stdout
    assert len(notify.letters) == 1


def test_a_dry_run_checks_and_lists_and_sends_nothing(
    tmp_path: Path, notify: FakeNotify, runner: CliRunner
) -> None:
    _envelope(tmp_path, "CR-1")
    _envelope(tmp_path, "CR-2", good=False)
    result = runner.invoke(main, ["send", str(tmp_path), "--dry-run"])
    assert notify.requests == 0
    assert result.exit_code == 1
    assert (
        "CR-1/post-subject.pdf: would send to Brian Whitfield, reference CR-1, second class."
        in result.stdout
    )
    assert "CR-2/post-subject.pdf: page 1: has no UK postcode" in result.stdout
    assert "CR-2/post-subject.pdf: fails Notify's rules; not sent." in result.stdout
    assert "1 letter(s) would be sent; 0 held back; 1 failed." in result.stdout
    assert _sent_rows(tmp_path) == []


def test_a_dry_run_needs_no_api_key(
    tmp_path: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("NOTIFY_API_KEY", raising=False)
    _envelope(tmp_path, "CR-1")
    assert runner.invoke(main, ["send", str(tmp_path), "--dry-run"]).exit_code == 0


def test_a_recipient_refused_a_copy_is_never_sent(tmp_path: Path, notify: FakeNotify) -> None:
    _envelope(tmp_path, "CS-1", "michael-evans", basis="consent")
    with Register(tmp_path / "register.sqlite") as register:
        register.add_refusal(
            "CS-1", "michael-evans", "Michael Evans", "A risk concern.", dt.date(2026, 12, 1)
        )
    _envelope(tmp_path, "CS-1", "no-basis", basis="")
    for dry_run in (True, False):
        result = send_folder(tmp_path, dry_run=dry_run, sleep=lambda _: None)
        assert (result.sent, result.held) == (0, 2)
        assert (
            "CS-1/post-michael-evans.pdf: held back: the register records no copy for "
            "michael-evans (a risk concern or no consent); never sent."
        ) in result.lines
    assert notify.requests == 0


def test_a_validation_failure_is_recorded_and_the_rest_go_on(
    tmp_path: Path, notify: FakeNotify
) -> None:
    _envelope(tmp_path, "CR-1")
    _envelope(tmp_path, "CR-2")
    notify.script = [VALIDATION]
    result = send_folder(tmp_path, sleep=lambda _: None)
    assert (result.sent, result.failed) == (1, 1)
    assert (
        "CR-1/post-subject.pdf: not sent: Notify said Letter content is not a valid PDF"
        in result.lines
    )
    rows = _sent_rows(tmp_path)
    assert rows[0][3:] == (None, "failed (400)", "Letter content is not a valid PDF")
    assert rows[1][0] == "CR-2" and rows[1][3] is not None


def test_a_rate_limit_is_waited_out(tmp_path: Path, notify: FakeNotify) -> None:
    _envelope(tmp_path, "CR-1")
    notify.script = [RATE_LIMIT, RATE_LIMIT]
    waits: list[float] = []
    result = send_folder(tmp_path, sleep=waits.append)
    assert result.sent == 1 and waits == [1.0, 2.0]
    assert notify.requests == 3 and len(notify.letters) == 1


def test_a_server_error_is_retried_then_given_up(tmp_path: Path, notify: FakeNotify) -> None:
    _envelope(tmp_path, "CR-1")
    notify.script = [SERVER_ERROR]
    assert send_folder(tmp_path, sleep=lambda _: None).sent == 1
    assert notify.requests == 2

    _envelope(tmp_path, "CR-2")
    notify.script = [SERVER_ERROR] * 5
    waits: list[float] = []
    result = send_folder(tmp_path, sleep=waits.append)
    assert (result.sent, result.failed) == (0, 1)
    assert waits == [1.0, 2.0, 4.0, 8.0]
    assert (
        "CR-2/post-subject.pdf: not sent after 5 tries: Notify said Internal server error"
        in result.lines
    )


def test_a_file_changed_since_it_was_made_is_not_sent(tmp_path: Path, notify: FakeNotify) -> None:
    _envelope(tmp_path, "CR-1")
    path = tmp_path / "CR-1" / "post-subject.pdf"
    path.write_bytes(path.read_bytes() + b"\n% changed")
    result = send_folder(tmp_path, sleep=lambda _: None)
    assert result.failed == 1 and notify.requests == 0
    assert "changed since it was made" in result.lines[0]


def test_a_wrong_key_stops_the_run(
    tmp_path: Path, notify: FakeNotify, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NOTIFY_API_KEY", f"reviewdocs_test-{SERVICE_ID}-{uuid.uuid4()}")
    _envelope(tmp_path, "CR-1")
    _envelope(tmp_path, "CR-2")
    result = runner.invoke(main, ["send", str(tmp_path)])
    assert result.exit_code == 1
    assert "Notify refused the API key (403): check NOTIFY_API_KEY" in result.stderr
    assert notify.requests == 1


def test_the_key_comes_from_the_environment_only(
    tmp_path: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("NOTIFY_API_KEY", raising=False)
    _envelope(tmp_path, "CR-1")
    result = runner.invoke(main, ["send", str(tmp_path)])
    assert result.exit_code == 1
    assert "NOTIFY_API_KEY is not set" in result.stderr
    assert runner.invoke(main, ["send", str(tmp_path), "--api-key", API_KEY]).exit_code == 2


def test_personal_data_never_goes_over_plain_http(
    tmp_path: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NOTIFY_API_KEY", API_KEY)
    monkeypatch.setenv("NOTIFY_API_URL", "http://notify.example.org")
    _envelope(tmp_path, "CR-1")
    result = runner.invoke(main, ["send", str(tmp_path)])
    assert result.exit_code == 1
    assert "NOTIFY_API_URL must be https" in result.stderr


def test_no_register_is_a_clear_error(tmp_path: Path, runner: CliRunner) -> None:
    result = runner.invoke(main, ["send", str(tmp_path), "--dry-run"])
    assert result.exit_code == 1
    assert f"No register at {tmp_path / 'register.sqlite'}" in result.stderr


def test_status_asks_notify_again_and_records_the_answer(
    tmp_path: Path, notify: FakeNotify, runner: CliRunner
) -> None:
    _envelope(tmp_path, "CR-1")
    assert runner.invoke(main, ["send", str(tmp_path)]).exit_code == 0
    notify.status = "received"
    result = runner.invoke(main, ["send", str(tmp_path), "--status"])
    assert result.exit_code == 0
    [letter] = notify.letters
    assert result.stdout == f"CR-1/post-subject.pdf: received (Notify id {letter['id']})\n"
    assert _sent_rows(tmp_path)[0][4] == "received"
    assert len(notify.letters) == 1  # nothing sent again


def test_an_envelope_made_again_after_sending_is_held_unless_resend(
    tmp_path: Path, notify: FakeNotify
) -> None:
    _envelope(tmp_path, "CR-1")
    assert send_folder(tmp_path, sleep=lambda _: None).sent == 1
    # Made again with other bytes (another date, say): a second letter to the same person.
    page = CoverPage(1, 1, ADDRESS, SENDER, ("Review number: CR-1", "Date: later"), ("A",), 12)
    data = cover_pdf(page, title="Letter")
    write_atomic(tmp_path / "CR-1" / "post-subject.pdf", data)
    with Register(tmp_path / "register.sqlite") as register:
        [first] = register.entries()
        register.add(dataclasses.replace(first, sha256=sha256_bytes(data)))
    held = send_folder(tmp_path, sleep=lambda _: None)
    assert (held.sent, held.held) == (0, 1)
    assert "an earlier version was sent to Brian Whitfield" in held.lines[0]
    assert "not sent again unless you give --resend" in held.lines[0]
    assert len(notify.letters) == 1
    assert send_folder(tmp_path, resend=True, sleep=lambda _: None).sent == 1
    assert len(notify.letters) == 2


def test_a_register_entry_outside_the_folder_is_not_sent(
    tmp_path: Path, notify: FakeNotify
) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    data = _envelope(tmp_path, "CR-1")  # a file in the parent folder
    with Register(tmp_path / "register.sqlite") as register:
        [entry] = register.entries()
    with Register(folder / "register.sqlite") as register:
        register.add(dataclasses.replace(entry, path="../CR-1/post-subject.pdf"))
    assert sha256_bytes(data) == entry.sha256
    result = send_folder(folder, sleep=lambda _: None)
    assert result.failed == 1 and notify.requests == 0
    assert "outside" in result.lines[0] and "Not sent." in result.lines[0]


def test_an_envelope_made_after_a_refusal_was_reversed_may_go(
    tmp_path: Path, notify: FakeNotify
) -> None:
    """A manager cleared the concern after an earlier "no copy": the envelope made on a
    later day is sent; one made on the day of a refusal is not (the order is unknown)."""
    _envelope(tmp_path, "CS-1", "karen", basis="manager_decision")  # made 2026-12-01
    with Register(tmp_path / "register.sqlite") as register:
        register.add_refusal("CS-1", "karen", "Karen", "A risk concern.", dt.date(2026, 11, 30))
    assert send_folder(tmp_path, sleep=lambda _: None).sent == 1
    _envelope(tmp_path, "CS-2", "karen", basis="manager_decision")
    with Register(tmp_path / "register.sqlite") as register:
        register.add_refusal("CS-2", "karen", "Karen", "A risk concern.", dt.date(2026, 12, 1))
    result = send_folder(tmp_path, sleep=lambda _: None)
    assert result.held == 1 and len(notify.letters) == 1


def _record(folder: Path, review_id: str, version: int) -> None:
    """A review record of ``version`` in the register, as ``render``/``amend`` add it."""
    with Register(folder / "register.sqlite") as register:
        register.add(
            Entry(
                review_id=review_id,
                document="review_record",
                version=version,
                recipient_id=None,
                recipient_name=None,
                basis="subject",
                withheld=(),
                produced_on=dt.date(2026, 12, 1),
                variant="standard",
                fmt="pdf",
                path=f"{review_id}/review_record{'' if version == 1 else f'-v{version}'}.pdf",
                sha256="0" * 64,
                input_sha256="",
                template_sha256="",
            )
        )


def test_an_envelope_of_a_superseded_version_is_held_back(
    tmp_path: Path, notify: FakeNotify, runner: CliRunner
) -> None:
    # post made version 1's envelopes; then amend made version 2 of the record.
    _envelope(tmp_path, "CS-1")
    _envelope(tmp_path, "CS-1", "karen-evans", basis="consent")
    _record(tmp_path, "CS-1", 1)
    _record(tmp_path, "CS-1", 2)
    _envelope(tmp_path, "CR-2")  # another review, still at version 1: it goes
    _record(tmp_path, "CR-2", 1)
    result = runner.invoke(main, ["send", str(tmp_path), "--dry-run"])
    assert result.exit_code == 0, result.output
    assert (
        "CS-1/post-karen-evans.pdf: held back: it holds version 1 of the record, which "
        "version 2 supersedes; run `reviewdocs post` again for karen-evans's envelope of "
        "the current version. Never sent."
    ) in result.output
    assert "CS-1/post-subject.pdf: held back: it holds version 1" in result.output
    assert "CR-2/post-subject.pdf: would send to" in result.output
    assert "1 letter(s) would be sent; 2 held back; 0 failed." in result.output
    assert send_folder(tmp_path, sleep=lambda _: None).sent == 1
    assert [row[1] for row in _sent_rows(tmp_path)] == ["CR-2/post-subject.pdf"]


def test_a_copy_held_back_since_post_is_not_sent(tmp_path: Path, notify: FakeNotify) -> None:
    # The envelope was made on 1 December; the hold (a risk concern a manager must
    # decide on) was recorded with an earlier date: the register's hold stands whatever
    # the dates, until a manager issues the copy by name.
    _envelope(tmp_path, "CS-1", "michael-evans", basis="consent")
    _record(tmp_path, "CS-1", 1)
    with Register(tmp_path / "register.sqlite") as register:
        register.add_refusal(
            "CS-1",
            "michael-evans",
            "Michael Evans",
            "a manager must decide first",
            dt.date(2026, 11, 1),
            version=1,
            hold=True,
        )
    for dry_run in (True, False):
        result = send_folder(tmp_path, dry_run=dry_run, sleep=lambda _: None)
        assert (result.sent, result.held) == (0, 1)
        assert result.lines == [
            "CS-1/post-michael-evans.pdf: held back: michael-evans's copy is held back "
            "(a manager must decide first)."
        ]
    assert notify.requests == 0
