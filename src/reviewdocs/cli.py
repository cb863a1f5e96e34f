"""The command line: parse, call one library function, map errors to exit codes.

Exit codes (spec section 1): 0 success, 1 invalid input or a record failed,
2 usage error. Errors go to stderr in plain words, never a traceback.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
from collections.abc import Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import IO, Any, NoReturn

import click

from reviewdocs import __version__, codes
from reviewdocs.errors import ReviewdocsError


def _fail(err: ReviewdocsError) -> NoReturn:
    for line in err.lines():
        click.echo(line, err=True)
    sys.exit(err.exit_code)


class _Group(click.Group):
    """Turns library errors into plain words and exit codes, for every command."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ReviewdocsError as err:
            _fail(err)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except KeyboardInterrupt:
            click.echo(
                "Interrupted: files already finished are complete; nothing is half-written.",
                err=True,
            )
            sys.exit(130)
        except OSError as err:
            # Disk full, permission denied, read-only folder: the user can act on these.
            where = f" ({err.filename})" if err.filename else ""
            click.echo(f"error: {err.strerror or err}{where}", err=True)
            sys.exit(1)
        except Exception as err:
            # A bug of ours: say so in one line rather than show a user a traceback.
            if os.environ.get("REVIEWDOCS_DEBUG"):
                raise
            click.echo(
                f"internal error: {type(err).__name__}: {err} "
                "(set REVIEWDOCS_DEBUG=1 to see the details, and please report it)",
                err=True,
            )
            sys.exit(1)


def _iso_date(_ctx: click.Context, _param: click.Parameter, value: str | None) -> date | None:
    if value is None:
        return None
    from reviewdocs.intake.fields import DATE_MAX, DATE_MIN

    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date in YYYY-MM-DD form.") from None
    if not DATE_MIN <= day <= DATE_MAX:
        raise click.BadParameter(f"{value} is not between {DATE_MIN.year} and {DATE_MAX.year}.")
    return day


_date_option = click.option(
    "--date",
    "produced",
    callback=_iso_date,
    metavar="YYYY-MM-DD",
    help="The date the documents are dated (default: review.document_date, else today).",
)
_register_option = click.option(
    "--register",
    "register_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The register of documents produced (default: OUT/register.sqlite).",
)
_doc_option = click.option(
    "--doc",
    "documents",
    multiple=True,
    type=click.Choice(codes.DOCUMENTS),
    help="A document to produce (repeatable). Default: what the decision calls for.",
)
_format_option = click.option(
    "--format",
    "fmt",
    type=click.Choice(codes.FORMATS),
    help="docx or pdf (default: from the subject's preferred format).",
)
_variant_option = click.option(
    "--variant",
    type=click.Choice(codes.VARIANTS),
    help="standard, large_print or easy_read (default: from the subject's preferred format).",
)
_font_size_option = click.option(
    "--font-size",
    type=click.IntRange(16, 72),
    help="Large print point size (16 or more; default 18).",
)
_input_arg = click.argument("input_path", metavar="INPUT", type=click.Path(path_type=Path))
_out_option = click.option(
    "--out",
    "out_dir",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="The folder to write documents into.",
)


def _load_with_hash(path: Path) -> tuple[dict[str, Any], str]:
    """The validated review and the hash of its input file (kept in the register)."""
    from reviewdocs.files import sha256_file
    from reviewdocs.intake.read import load_review

    review = load_review(path)
    return review, sha256_file(path)


@contextlib.contextmanager
def _open_register(out_dir: Path, register_path: Path | None) -> Iterator[Any]:
    """The register for a command; one it created for a command that was refused
    before recording anything is removed again, so a refusal leaves no files behind."""
    from reviewdocs.disclosure.register import Register

    path = register_path or out_dir / "register.sqlite"
    existed, folder_existed = path.exists(), path.parent.exists()
    register = Register(path)
    try:
        yield register
    except BaseException:
        empty = not existed and not register.entries() and not register.refusals()
        register.close()
        if empty:
            for leftover in (path, *(path.with_name(path.name + s) for s in ("-wal", "-shm"))):
                leftover.unlink(missing_ok=True)
            if not folder_existed:
                with contextlib.suppress(OSError):  # not empty: something else is there
                    path.parent.rmdir()
        raise
    register.close()


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="reviewdocs")
def main() -> None:
    """Care Act 2014 review records and letters from review findings.

    INPUT is a review as JSON (schema_version 1) or our completed fillable PDF form.
    """


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


def _require_file(path: Path) -> None:
    if not path.is_file():
        raise ReviewdocsError(
            f"No register at {path}: produce some documents first, or name it with --register."
        )


# The front desk (reviewdocs.web): its commands import Flask only when they run.
from reviewdocs.web.commands import serve, users  # noqa: E402

main.add_command(serve)
main.add_command(users)
