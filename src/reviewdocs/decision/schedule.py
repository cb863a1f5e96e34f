"""Dates: the next review (002 review timing) and timely recording (003).

Pure functions: the date a record is written is passed in, never read from a clock.
"""

from __future__ import annotations

import calendar
import datetime as dt
from typing import Any

from reviewdocs.dates import long_date
from reviewdocs.decision.findings import Review
from reviewdocs.decision.registry import Basis

PLAN_CHANGE_REVIEW_DAYS = 56
"""002 "within 6-8 weeks of the service/change commencing": the latest, 8 weeks."""
SHORT_TERM_DEFAULT_DAYS = 42
"""A short-term change with no monitoring date agreed: 6 weeks, inside the 6-8 weeks (002)."""
TIMELY_RECORDING_DAYS = 14
"""003 "Reviews should be recorded in a timely way and in line with local requirements"
gives no number. Two weeks is the reading that protects the person: a later record is
warned about (the warning names the gap), since 003 says a late record risks
"inaccuracies" and "unnecessary delays for the carer". A council with another local
requirement changes this one number."""


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus whole months; a day the target month lacks (29 Feb, 31st) becomes that
    month's last day, which keeps the date within the limit rather than past it."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _fmt(day: dt.date) -> str:
    return long_date(day)


def next_review(review: Review, basis: Basis) -> tuple[dt.date | None, list[str]]:
    """002 "the statutory guidance does expect the Local Authority to endeavour to carry out a
    Care and Support Plan review as follows": within 6-8 weeks of a new plan or a change
    (002 "within 6-8 weeks of the service/change commencing": counted from
    ``decision.change_starts``, or from the review when no start is recorded, the earlier
    and so protective reading, with a warning), within 12 months for a stable plan, as
    required to monitor a short-term change (000/001 "Short term changes in need"), none
    while a reassessment is pending (the reassessed plan starts its own 6-8 week review),
    and none while the outcome is provisional (paused, waiting for an advocate or a
    manager, or escalated to a full review): that date is set with the final outcome.

    Returns the date and the warnings about it. The earliest date the practitioner agreed
    (``next_review_by`` or ``monitoring_review_by``) stands, so a contact promised to the
    person is never dropped; one later than the procedure's limit is kept but warned about.
    """
    decision = review.get("decision") or {}
    chosen: dt.date | None = decision.get("next_review_by")
    monitoring: dt.date | None = decision.get("monitoring_review_by")
    starts: dt.date | None = decision.get("change_starts")
    held = review["review"]["date"]
    if basis.provisional:
        note = (
            "No next review date: the outcome is provisional, so the date is set with the "
            "final outcome."
        )
        if chosen:
            note += " The next review date the practitioner gave is not used."
        return None, [note]
    if basis.reassessment:
        note = (
            "No next review date: a reassessment of need is pending, and the plan that follows "
            "it is reviewed within 6-8 weeks of starting."
        )
        if chosen or monitoring:
            note += " The date the practitioner gave is not used."
        return None, [note]
    warnings: list[str] = []
    if basis.short_term:
        limit = held + dt.timedelta(days=PLAN_CHANGE_REVIEW_DAYS)
        why = "8 weeks to monitor a short-term change"
        if monitoring is None and chosen is None:
            monitoring = held + dt.timedelta(days=SHORT_TERM_DEFAULT_DAYS)
            warnings.append(
                "No monitoring date was agreed for the short-term change: the review is set "
                f"6 weeks after the review, by {_fmt(monitoring)}. Agree a date with the person."
            )
    elif basis.outcome == "no_change":
        limit, why = add_months(held, 12), "12 months for a stable plan"
    else:
        start = starts or held
        limit = start + dt.timedelta(days=PLAN_CHANGE_REVIEW_DAYS)
        if starts:
            why = f"8 weeks after the change starts on {_fmt(starts)}"
        else:
            why = "8 weeks after a change to the plan"
            warnings.append(
                "No start date for the change to the plan is recorded (decision.change_starts): "
                "the 6-8 week review is counted from the review date, the earliest it could "
                'start (002 "within 6-8 weeks of the service/change commencing").'
            )
        agreed_early = [
            d for d in (chosen, monitoring) if d is not None and starts is not None and d < starts
        ]
        if agreed_early and starts is not None:
            warnings.append(
                f"The next review date {_fmt(min(agreed_early))} is before the change starts on "
                f"{_fmt(starts)} (decision.change_starts): a review of the change needs it to "
                "have started."
            )
    agreed = [day for day in (chosen, monitoring) if day is not None]
    result = min(agreed) if agreed else limit
    if result > limit:
        warnings.append(
            f"The next review date {_fmt(result)} is later than the procedure's limit of "
            f"{_fmt(limit)} ({why}, 002)."
        )
    return result, warnings


def recording_warning(review: Review, recorded_on: Any) -> str | None:
    """003 "Reviews should be recorded in a timely way": a warning when the record is
    written more than ``TIMELY_RECORDING_DAYS`` after the review (see that constant)."""
    held = review["review"].get("date")
    if not isinstance(held, dt.date) or not isinstance(recorded_on, dt.date):
        return None
    gap = (recorded_on - held).days
    if gap <= TIMELY_RECORDING_DAYS:
        return None
    return (
        f"The record is dated {_fmt(recorded_on)}, {gap} days after the review on {_fmt(held)}: "
        '003 asks for reviews to be "recorded in a timely way" to avoid inaccuracies and '
        "delays. Check the record against the notes made at the time."
    )


def overdue_warning(next_by: Any, on: Any) -> str | None:
    """A next review date already past on the documents' date (a record written up late, or
    a review held long ago). The documents must not promise a date that has gone by: they say
    the review is overdue and will be arranged (002 "the statutory guidance does expect the
    Local Authority to endeavour to carry out a Care and Support Plan review as follows"),
    and the practitioner is told to arrange it."""
    if isinstance(next_by, str):
        next_by = dt.date.fromisoformat(next_by)
    if not isinstance(next_by, dt.date) or not isinstance(on, dt.date) or next_by >= on:
        return None
    return (
        f"The next review date {_fmt(next_by)} is before the documents' date {_fmt(on)}: the "
        "review is overdue. The documents say so and that it will be arranged; arrange it now."
    )
