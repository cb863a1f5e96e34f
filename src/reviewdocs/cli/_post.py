"""Letters that can be posted: envelopes, Notify's rules, sending through GOV.UK Notify."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path

import click

from reviewdocs.cli._group import (
    _date_option,
    _font_size_option,
    _register_option,
    main,
)


@main.command()
@click.argument(
    "inputs", metavar="INPUT...", nargs=-1, required=True, type=click.Path(path_type=Path)
)
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="The folder to write the envelopes into (not with --check).",
)
@click.option(
    "--check",
    "check_only",
    is_flag=True,
    help="Check PDF files against GOV.UK Notify's precompiled letter rules; write nothing.",
)
@click.option("--pack", is_flag=True, help="Also write one print pack PDF and a CSV manifest.")
@_font_size_option
@_date_option
@_register_option
def post(
    inputs: Sequence[Path],
    out_dir: Path | None,
    check_only: bool,
    pack: bool,
    font_size: int | None,
    produced: date | None,
    register_path: Path | None,
) -> None:
    """One PDF per envelope for each review: the letter first, its enclosures after.

    With --check, INPUT... are PDF files to check against Notify's rules instead.
    """
    if check_only:
        from reviewdocs.post.check import check_pdf

        failed = 0
        for path in inputs:
            problems = check_pdf(path)
            failed += bool(problems)
            for problem in problems:
                click.echo(problem.line(str(path)), err=True)
            if not problems:
                click.echo(f"{path}: passes Notify's precompiled letter rules")
        if failed:
            click.echo(f"{failed} of {len(inputs)} file(s) would be rejected.", err=True)
            sys.exit(1)
        return
    if out_dir is None:
        raise click.UsageError("Missing option '--out' (or give --check to check PDF files).")
    from reviewdocs.post.run import post_inputs

    outcome = post_inputs(
        list(inputs),
        out_dir,
        register_path=register_path,
        produced=produced,
        font_size=font_size,
        pack=pack,
    )
    click.echo(outcome.summary())
    if outcome.failed:
        sys.exit(1)


@main.command()
@click.argument("folder", metavar="DIR", type=click.Path(file_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check and list what would be sent; send nothing.")
@click.option(
    "--postage",
    type=click.Choice(("second", "first", "economy")),
    default="second",
    show_default=True,
    help="Royal Mail postage class for every letter.",
)
@click.option("--status", "status_only", is_flag=True, help="Only record Notify's latest statuses.")
@click.option(
    "--resend", is_flag=True, help="Send envelopes made again after an earlier version was sent."
)
@_register_option
def send(
    folder: Path,
    dry_run: bool,
    postage: str,
    status_only: bool,
    resend: bool,
    register_path: Path | None,
) -> None:
    """Send the envelopes in DIR through GOV.UK Notify as precompiled letters.

    The API key is read from the NOTIFY_API_KEY environment variable only.
    """
    from reviewdocs.post.send import refresh_statuses, send_folder

    if status_only:
        statuses = refresh_statuses(folder, register_path=register_path)
        click.echo("\n".join(statuses.lines) or "Nothing has been sent from this folder.")
        if statuses.failed:
            sys.exit(1)
        return
    result = send_folder(
        folder, dry_run=dry_run, postage=postage, register_path=register_path, resend=resend
    )
    click.echo(result.summary())
    if result.failed:
        sys.exit(1)
