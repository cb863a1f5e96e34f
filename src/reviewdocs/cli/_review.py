"""Commands on one review: validate, decide, render, the blank form, template checks."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

import click

from reviewdocs import codes
from reviewdocs.cli._group import (
    _date_option,
    _doc_option,
    _font_size_option,
    _format_option,
    _input_arg,
    _load_with_hash,
    _open_register,
    _out_option,
    _register_option,
    _variant_option,
    main,
)


@main.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path))
def validate(inputs: Sequence[Path]) -> None:
    """Check review inputs (JSON or completed PDF forms); print every problem as path: message."""
    from reviewdocs.decision.rules import decision_problems
    from reviewdocs.errors import InputError
    from reviewdocs.intake.read import load_review

    failed = 0
    for path in inputs:
        try:
            review = load_review(path)
            problems = decision_problems(review)
            if problems:
                raise InputError(problems, source=str(path))
        except InputError as err:
            failed += 1
            for line in err.lines():
                click.echo(line, err=True)
        else:
            click.echo(f"{path}: valid")
    if failed:
        click.echo(f"{failed} of {len(inputs)} input(s) invalid.", err=True)
        sys.exit(1)


@main.command()
@_input_arg
@click.option(
    "--json", "as_json", is_flag=True, help="Print exactly the decision object (spec section 3)."
)
def decide(input_path: Path, as_json: bool) -> None:
    """Decide the outcome, required record sections and actions of a review."""
    from reviewdocs.decision.provisional import provisional_states
    from reviewdocs.decision.rules import decide as decide_review
    from reviewdocs.decision.rules import explain
    from reviewdocs.documents.reasons import outcome_in_the_records_words
    from reviewdocs.intake.read import load_review

    review = load_review(input_path)
    result = decide_review(review)
    if as_json:
        click.echo(json.dumps(result, indent=2, ensure_ascii=False))
        return
    click.echo(f"Review {result['review_id']}")
    # The record's own words (003 "Broadly there are 3 possible outcomes"); never a
    # provisional outcome shown as final: the warnings say why.
    words = outcome_in_the_records_words(review, result)
    if provisional_states(review):
        words = "provisional, not final (see warnings). " + words
    click.echo(f"Outcome: {words}")
    click.echo(f"Reassessment required: {'yes' if result['reassessment_required'] else 'no'}")
    if result["escalate_to_full_review"]:
        click.echo("This light touch review must become a full review.")
    click.echo(f"Next review by: {result['next_review_by'] or 'none set (see warnings)'}")
    click.echo("Actions:")
    for code, reason in explain(review, result):
        click.echo(f"  - {code}: {reason}")
    click.echo("Record sections: " + ", ".join(result["required_sections"]))
    for warning in result["warnings"]:
        click.echo(f"Warning: {warning}")


@main.command()
@_input_arg
@_out_option
@_doc_option
@_format_option
@_variant_option
@_font_size_option
@_date_option
@_register_option
def render(
    input_path: Path,
    out_dir: Path,
    documents: Sequence[str],
    fmt: str | None,
    variant: str | None,
    font_size: int | None,
    produced: date | None,
    register_path: Path | None,
) -> None:
    """Produce the documents for one review (default: what the decision calls for).

    A document already issued is never overwritten: the same one again is kept as it
    is, and one that would differ (another --date, a changed input) is refused.
    """
    from reviewdocs.disclosure.amendments import resume_pending
    from reviewdocs.disclosure.production import produce
    from reviewdocs.locks import review_lock

    review, input_sha256 = _load_with_hash(input_path)
    if font_size is not None and variant is None:
        # Asking for a size is asking for large print, whatever the recorded preference.
        variant = "large_print"
    with (
        _open_register(out_dir, register_path) as register,
        review_lock(out_dir, review["review"]["id"], "render"),
    ):
        for finished in resume_pending(
            review, out_dir, register=register, input_sha256=input_sha256
        ):
            click.echo("Finished the amendment interrupted earlier:")
            click.echo(finished.summary())
        produced_files = produce(
            review,
            out_dir,
            documents=documents or None,
            fmt=fmt,
            variant=variant,
            produced=produced,
            font_size=font_size,
            register=register,
            input_sha256=input_sha256,
        )
    for item in produced_files:
        click.echo(str(item.path))
    _echo_warnings(review, produced)


def _echo_warnings(review: dict[str, Any], produced: date | None) -> None:
    """The decision's warnings on stderr (stdout stays one produced path a line)."""
    from reviewdocs.decision import document_warnings
    from reviewdocs.disclosure.production import production_date

    for warning in document_warnings(review, production_date(review, produced)):
        click.echo(f"Warning: {warning}", err=True)


@main.command()
@click.option(
    "--out",
    "out_path",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to write the blank form (FILE.pdf).",
)
@click.option(
    "--plan-type",
    type=click.Choice(codes.PLAN_TYPES),
    default="carer_support_plan",
    show_default=True,
    help="Which plan the review form is for.",
)
def form(out_path: Path, plan_type: str) -> None:
    """Write the blank fillable PDF review form."""
    from reviewdocs.intake.form import write_form

    write_form(out_path, plan_type)
    click.echo(str(out_path))


@main.group()
def templates() -> None:
    """Inspect the Word templates."""


@templates.command("check")
@click.option(
    "--dir",
    "directory",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="A folder of templates to check (default: the installed ones).",
)
def templates_check(directory: Path | None) -> None:
    """List each template's fields; fail on unknown fields, split tags or syntax errors."""
    from reviewdocs.documents import check_templates, template_fields

    for name, fields in template_fields(directory).items():
        click.echo(f"{name}: {len(fields)} field(s)")
        for field in sorted(fields):
            click.echo(f"  {field}")
    problems = check_templates(directory)
    for problem in problems:
        click.echo(problem, err=True)
    if problems:
        click.echo(f"{len(problems)} problem(s) found.", err=True)
        sys.exit(1)
    click.echo("All templates are valid.")
