"""The batch command: many reviews, resumable, with a report."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path

import click

from reviewdocs.cli._group import (
    _date_option,
    _doc_option,
    _font_size_option,
    _format_option,
    _out_option,
    _register_option,
    _variant_option,
    main,
)


@main.command()
@click.argument("source", type=click.Path(exists=True, path_type=Path))
@_out_option
@click.option(
    "--jobs", type=click.IntRange(1, 256), help="Worker processes (default: one per core)."
)
@_doc_option
@_format_option
@_variant_option
@_font_size_option
@_date_option
@_register_option
@click.option(
    "--dry-run",
    is_flag=True,
    help="Validate, decide and render every record in memory; write nothing but the report.",
)
@click.option(
    "--post",
    "make_post",
    is_flag=True,
    help="Then make each review's envelopes and a print pack (as `post --pack`).",
)
def batch(
    source: Path,
    out_dir: Path,
    jobs: int | None,
    documents: Sequence[str],
    fmt: str | None,
    variant: str | None,
    font_size: int | None,
    produced: date | None,
    register_path: Path | None,
    dry_run: bool,
    make_post: bool,
) -> None:
    """Produce documents for many reviews: a folder, a JSON Lines file or a CSV.

    One bad record never stops the batch; every record gets a row in
    OUT/batch-report.csv. Records already produced from the same input and
    templates are skipped, so an interrupted batch can simply be run again.
    """
    from reviewdocs.batch import run_batch, terminal_progress

    result = run_batch(
        source,
        out_dir,
        jobs=jobs,
        documents=documents or None,
        dry_run=dry_run,
        produced=produced,
        fmt=fmt,
        variant=variant,
        font_size=font_size,
        register_path=register_path,
        progress=terminal_progress if sys.stderr.isatty() else None,
    )
    click.echo(result.summary())
    posted_failed = False
    if make_post and not dry_run:
        from reviewdocs.post.run import post_inputs

        posted = post_inputs(
            [source],
            out_dir,
            register_path=register_path,
            produced=produced,
            font_size=font_size,
            pack=True,
        )
        click.echo(posted.summary())
        posted_failed = posted.failed
    if result.failed or posted_failed:
        sys.exit(1)
