"""Dates as letters write them: ``12 November 2026`` (GOV.UK style), in English
whatever the machine's locale (``strftime``'s ``%B`` follows ``LC_TIME``): the
documents, the decision's wording and the redaction of a withheld date must all
spell a date the same way, or a partial copy could print one spelling it missed."""

from __future__ import annotations

import datetime as dt

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def long_date(value: dt.date | str | None) -> str:
    """12 November 2026; ISO strings are accepted as the decision gives them."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        value = dt.date.fromisoformat(value)
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"
