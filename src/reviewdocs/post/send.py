"""``reviewdocs send DIR``: post the envelopes in DIR through GOV.UK Notify (opt-in).

Each envelope PDF the register lists is sent as a precompiled letter with Notify's own
client (notifications-python-client): the reference is the review id, the postage class
is the caller's choice. The API key comes from the ``NOTIFY_API_KEY`` environment
variable only, never a flag or a file, so it is not in shell history or the repo.

Nothing is sent that should not be: an envelope whose recipient was refused a copy (a
risk concern, no consent: a "no copy" row in the register dated on or after the
envelope) or that has no basis; a
file changed since it was made (its hash differs from the register's); a file that
fails our check of Notify's rules (check.py). A dry run applies every one of these
checks and lists what would be sent, to whom, and sends nothing.

Rate limits (429) and server errors (5xx) are retried with a growing wait; a
validation failure (400) is recorded with Notify's words and the rest go on; an
authentication failure (403) stops the run, as every other letter would fail too.
"""

from __future__ import annotations

import os
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Final

from reviewdocs.errors import ReviewdocsError
from reviewdocs.files import sha256_file
from reviewdocs.post.check import check_pdf
from reviewdocs.post.envelopes import ENVELOPE
from reviewdocs.post.sent import SentLetter, SentLog

POSTAGE: Final = ("second", "first", "economy")
NOTIFY_URL: Final = "https://api.notifications.service.gov.uk"
_BASES: Final = ("subject", "joint_organisation", "consent", "request", "manager_decision")
"""The register's bases for a copy; an envelope with any other basis is never sent."""
_RETRY_WAITS: Final = (1.0, 2.0, 4.0, 8.0)
_LOCAL_HOSTS: Final = ("127.0.0.1", "localhost", "::1")


class SendError(ReviewdocsError):
    """Sending cannot start or must stop (no key, a bad key, an unsafe address)."""


@dataclass
class SendResult:
    dry_run: bool
    lines: list[str] = field(default_factory=list)
    sent: int = 0
    failed: int = 0
    held: int = 0

    def summary(self) -> str:
        verb = "would be sent" if self.dry_run else "sent"
        tail = f"{self.sent} letter(s) {verb}; {self.held} held back; {self.failed} failed."
        return "\n".join([*self.lines, tail])


@dataclass(frozen=True)
class _Envelope:
    review_id: str
    recipient_id: str | None
    name: str
    basis: str
    relpath: str
    sha256: str
    produced_on: date
    version: int = 1


@dataclass(frozen=True)
class _Current:
    """The register's current state of each review, read again at send time: the
    record's latest version, and the copies held back now (a manager's hold, an
    amendment not to be circulated) with their reasons."""

    versions: dict[str, int] = field(default_factory=dict)
    holds: dict[tuple[str, str], str] = field(default_factory=dict)


def send_folder(
    folder: Path,
    *,
    dry_run: bool = False,
    postage: str = "second",
    register_path: Path | None = None,
    resend: bool = False,
    sleep: Callable[[float], None] = time.sleep,
) -> SendResult:
    from reviewdocs.disclosure.register import Register

    if postage not in POSTAGE:
        raise SendError(f"Postage must be one of: {', '.join(POSTAGE)}.")
    path = register_path or folder / "register.sqlite"
    if not path.is_file():
        raise SendError(
            f"No register at {path}: run `reviewdocs post INPUT --out {folder}` first, "
            "or give --register."
        )
    with Register(path) as register:
        entries = register.entries()
        # The latest "no copy" decision for each recipient of each review.
        refused: dict[tuple[str, str], date] = {}
        for r in register.refusals():
            key = (r.review_id, r.recipient_id)
            refused[key] = max(r.produced_on, refused.get(key, r.produced_on))
        current = _Current()
        for review_id in {e.review_id for e in entries if e.document == ENVELOPE}:
            version = register.latest_version(review_id)
            if version is not None:
                current.versions[review_id] = version
            for recipient_id, hold in register.holds(review_id).items():
                current.holds[(review_id, recipient_id)] = hold.reason
    latest: dict[str, _Envelope] = {}
    for e in entries:
        if e.document == ENVELOPE:
            latest[e.path] = _Envelope(
                e.review_id,
                e.recipient_id,
                e.recipient_name or "",
                e.basis,
                e.path,
                e.sha256,
                e.produced_on,
                e.version,
            )
    result = SendResult(dry_run=dry_run)
    if not latest:
        result.lines.append(f"No envelopes in {folder}'s register: nothing to send.")
        return result
    client = None if dry_run else _client()
    with SentLog(path) as log:
        for env in latest.values():
            if _superseded(env, current, result):
                continue
            _one(env, folder, refused, log, client, postage, result, sleep, resend=resend)
    return result


def _superseded(env: _Envelope, current: _Current, result: SendResult) -> bool:
    """Hold back (True) an envelope the register's current state no longer allows: one
    made for an older version of the record than the latest (after an amendment, the
    person and every recipient must get the new version, not the one it replaced), or
    one for a recipient whose copy is held back now (003; a hold stands until a manager
    issues them the record with ``share --recipient``), whatever ``post`` saw then."""
    who = env.name or env.recipient_id or "the person"
    hold = current.holds.get((env.review_id, env.recipient_id or ""))
    if env.recipient_id and hold is not None:
        result.held += 1
        result.lines.append(f"{env.relpath}: held back: {who}'s copy is held back ({hold}).")
        return True
    latest = current.versions.get(env.review_id)
    if latest is not None and env.version < latest:
        result.held += 1
        result.lines.append(
            f"{env.relpath}: held back: it holds version {env.version} of the record, which "
            f"version {latest} supersedes; run `reviewdocs post` again for {who}'s envelope "
            "of the current version. Never sent."
        )
        return True
    return False


def _one(
    env: _Envelope,
    folder: Path,
    refused: dict[tuple[str, str], date],
    log: SentLog,
    client: Any,
    postage: str,
    result: SendResult,
    sleep: Callable[[float], None],
    *,
    resend: bool,
) -> None:
    who = env.name or env.recipient_id or "the person"
    # A "no copy" decision on or after the day the envelope was made stands (a same-day
    # change of mind is not assumed to be the later one); an envelope made on a later
    # day, after a manager changed the decision, may go.
    refusal = refused.get((env.review_id, env.recipient_id or ""))
    if (refusal is not None and refusal >= env.produced_on) or env.basis not in _BASES:
        result.held += 1
        result.lines.append(
            f"{env.relpath}: held back: the register records no copy for {who} "
            "(a risk concern or no consent); never sent."
        )
        return
    file = folder / env.relpath
    if not file.resolve().is_relative_to(folder.resolve()):
        result.failed += 1
        result.lines.append(
            f"{env.relpath}: outside {folder}; a register entry not ours. Not sent."
        )
        return
    if not file.is_file():
        result.failed += 1
        result.lines.append(f"{env.relpath}: missing; run `reviewdocs post` again.")
        return
    if sha256_file(file) != env.sha256:
        result.failed += 1
        result.lines.append(
            f"{env.relpath}: changed since it was made (its hash is not the register's); "
            "not sent. Run `reviewdocs post` again."
        )
        return
    already = log.sent(env.relpath)
    if already is not None and already.sha256 == env.sha256:
        result.lines.append(
            f"{env.relpath}: already sent to {who} (Notify id {already.notification_id}, "
            f"{already.status})."
        )
        return
    if already is not None and not resend:
        # A second letter to the same person must be meant: it may contradict the first.
        result.held += 1
        result.lines.append(
            f"{env.relpath}: an earlier version was sent to {who} (Notify id "
            f"{already.notification_id}); not sent again unless you give --resend."
        )
        return
    problems = check_pdf(file)
    if problems:
        result.failed += 1
        result.lines += [p.line(env.relpath) for p in problems]
        result.lines.append(f"{env.relpath}: fails Notify's rules; not sent.")
        return
    if client is None:
        result.sent += 1
        result.lines.append(
            f"{env.relpath}: would send to {who}, reference {env.review_id}, {postage} class."
        )
        return
    _upload(env, file, who, log, client, postage, result, sleep)


def _upload(
    env: _Envelope,
    file: Path,
    who: str,
    log: SentLog,
    client: Any,
    postage: str,
    result: SendResult,
    sleep: Callable[[float], None],
) -> None:
    from notifications_python_client.errors import APIError

    for attempt, wait in enumerate((*_RETRY_WAITS, None)):
        try:
            with file.open("rb") as pdf:
                answer = client.send_precompiled_letter_notification(
                    reference=env.review_id, pdf_file=pdf, postage=postage
                )
            break
        except APIError as err:
            status = _status_code(err)
            if status == 403:
                raise SendError(
                    "Notify refused the API key (403): check NOTIFY_API_KEY. Nothing more was sent."
                ) from None
            if (status == 429 or status is None or status >= 500) and wait is not None:
                sleep(wait)
                continue
            result.failed += 1
            detail = _message(err)
            log.record(
                SentLetter(
                    env.review_id,
                    env.recipient_id,
                    env.relpath,
                    env.sha256,
                    postage,
                    None,
                    f"failed ({status})",
                    detail,
                )
            )
            tries = f" after {attempt + 1} tries" if attempt else ""
            result.lines.append(f"{env.relpath}: not sent{tries}: Notify said {detail}")
            return
    notification_id = str(answer.get("id"))
    log.record(
        SentLetter(
            env.review_id,
            env.recipient_id,
            env.relpath,
            env.sha256,
            postage,
            notification_id,
            "accepted",
            "",
        )
    )
    state = "accepted"
    try:
        state = str(client.get_notification_by_id(notification_id).get("status") or state)
        log.update_status(notification_id, state)
    except APIError:
        pass  # the letter is sent; its status can be asked for later
    result.sent += 1
    result.lines.append(
        f"{env.relpath}: sent to {who}, reference {env.review_id}, {postage} class; "
        f"Notify id {notification_id}, status {state}."
    )


def refresh_statuses(folder: Path, *, register_path: Path | None = None) -> SendResult:
    """Ask Notify for the current status of every letter sent from ``folder``, and record it."""
    from notifications_python_client.errors import APIError

    path = register_path or folder / "register.sqlite"
    if not path.is_file():
        raise SendError(f"No register at {path}: nothing has been sent from {folder}.")
    result = SendResult(dry_run=False)
    client = _client()
    with SentLog(path) as log:
        for letter in log.letters():
            if letter.notification_id is None:
                continue
            try:
                answer = client.get_notification_by_id(letter.notification_id)
            except APIError as err:
                if _status_code(err) == 403:
                    raise SendError(
                        "Notify refused the API key (403): check NOTIFY_API_KEY."
                    ) from None
                result.failed += 1
                result.lines.append(f"{letter.path}: status not available: {_message(err)}")
                continue
            status = str(answer.get("status") or letter.status)
            log.update_status(letter.notification_id, status)
            result.sent += 1
            result.lines.append(f"{letter.path}: {status} (Notify id {letter.notification_id})")
    return result


def _status_code(err: Any) -> int | None:
    try:
        return int(err.status_code)
    except (TypeError, ValueError, AttributeError):
        return None


def _message(err: Any) -> str:
    try:
        message = err.message
    except Exception:  # a response that is not JSON
        return str(err)
    if isinstance(message, list):
        return "; ".join(
            str(m.get("message", m)) if isinstance(m, dict) else str(m) for m in message
        )
    return str(message)


def _client() -> Any:
    from notifications_python_client.notifications import NotificationsAPIClient

    key = os.environ.get("NOTIFY_API_KEY", "").strip()
    if not key:
        raise SendError(
            "NOTIFY_API_KEY is not set: put the service's API key in that environment "
            "variable (never in a file in the repository), or use --dry-run."
        )
    url = os.environ.get("NOTIFY_API_URL", "").strip() or NOTIFY_URL
    parsed = urllib.parse.urlsplit(url)
    if parsed.scheme != "https" and parsed.hostname not in _LOCAL_HOSTS:
        raise SendError(
            f"NOTIFY_API_URL must be https (letters hold personal data); {url!r} is not."
        )
    if len(key) < 74:
        raise SendError("NOTIFY_API_KEY does not look like a Notify API key (too short).")
    return NotificationsAPIClient(key, base_url=url)
