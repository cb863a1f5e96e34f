"""Commands on what is issued: amend, share, and the register."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import IO

import click

from reviewdocs.cli._group import (
    _date_option,
    _input_arg,
    _load_with_hash,
    _open_register,
    _out_option,
    _register_option,
    _require_file,
    main,
)


@main.command()
@_input_arg
@click.argument("amendment_path", metavar="AMENDMENT", type=click.Path(path_type=Path))
@_out_option
@_date_option
@_register_option
def amend(
    input_path: Path,
    amendment_path: Path,
    out_dir: Path,
    produced: date | None,
    register_path: Path | None,
) -> None:
    """Decide an amendment request: the amended record, or the decline letter."""
    from reviewdocs.disclosure.amendments import amend as amend_review
    from reviewdocs.disclosure.versions import load_amendment

    review, input_sha256 = _load_with_hash(input_path)
    amendment = load_amendment(amendment_path)
    with _open_register(out_dir, register_path) as register:
        result = amend_review(
            review,
            amendment,
            out_dir,
            register=register,
            produced=produced,
            input_sha256=input_sha256,
        )
    click.echo(result.summary())


@main.command()
@_input_arg
@_out_option
@click.option(
    "--recipient", "recipients", multiple=True, help="Only this recipient id (repeatable)."
)
@_date_option
@_register_option
def share(
    input_path: Path,
    out_dir: Path,
    recipients: Sequence[str],
    produced: date | None,
    register_path: Path | None,
) -> None:
    """Produce copies of the record for recipients by the sharing rules, redacted where decided."""
    from reviewdocs.disclosure.sharing import share as share_review

    review, input_sha256 = _load_with_hash(input_path)
    with _open_register(out_dir, register_path) as register:
        result = share_review(
            review,
            out_dir,
            recipients=list(recipients) or None,
            register=register,
            produced=produced,
            input_sha256=input_sha256,
        )
    click.echo(result.summary())


@main.group("register")
def register_group() -> None:
    """Read the register of documents produced and copies shared."""


_register_location = click.option(
    "--register",
    "register_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("out/register.sqlite"),
    show_default=True,
    help="The register file.",
)


@register_group.command("list")
@_register_location
@click.option("--review", "review_id", help="Only this review id.")
def register_list(register_path: Path, review_id: str | None) -> None:
    """List what was produced and for whom."""
    from reviewdocs.disclosure.register import Register

    _require_file(register_path)
    with Register(register_path) as register:
        for entry in register.entries(review_id):
            who = entry.recipient_name or entry.recipient_id or "the subject"
            withheld = f" withheld: {', '.join(entry.withheld)}" if entry.withheld else ""
            click.echo(
                f"{entry.produced_on.isoformat()} {entry.review_id} {entry.document} "
                f"v{entry.version} {entry.variant}/{entry.fmt} -> {who} ({entry.basis}){withheld}"
            )
        for refusal in register.refusals(review_id):
            click.echo(
                f"{refusal.produced_on.isoformat()} {refusal.review_id} no copy -> "
                f"{refusal.recipient_name or refusal.recipient_id}: {refusal.reason}"
            )


@register_group.command("export")
@_register_location
@click.option(
    "--csv",
    "csv_path",
    required=True,
    type=click.Path(dir_okay=False, allow_dash=True),
    help="Write the register as CSV to this file ('-' for standard output).",
)
def register_export(register_path: Path, csv_path: str) -> None:
    """Export the register as CSV."""
    from reviewdocs.disclosure.register import Register

    _require_file(register_path)
    # A file is written for Excel (BOM, owner-only); standard output takes the rows as they are.
    out: IO[str] | Path = sys.stdout if csv_path == "-" else Path(csv_path)
    with Register(register_path) as register:
        register.export_csv(out)


@register_group.command("check")
@_register_location
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="The folder the documents are in (default: the register's folder).",
)
def register_check(register_path: Path, out_dir: Path | None) -> None:
    """Check the register against the documents: every file registered and intact,
    no half-done amendment, everyone who had the record given the latest version or a
    recorded reason. Prints each problem and their count; exit 1 if any."""
    from reviewdocs.disclosure.audit import inconsistencies
    from reviewdocs.disclosure.register import Register

    _require_file(register_path)
    with Register(register_path) as register:
        problems = inconsistencies(out_dir or register_path.parent, register)
    for problem in problems:
        click.echo(problem)
    click.echo(f"{len(problems)} inconsistenc{'y' if len(problems) == 1 else 'ies'}.")
    if problems:
        sys.exit(1)
