"""The command group and what every command shares: error handling, options, the register.

Exit codes (spec section 1): 0 success, 1 invalid input or a record failed,
2 usage error. Errors go to stderr in plain words, never a traceback.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any, NoReturn

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
        except BrokenPipeError:
            # The reader went away (`reviewdocs register list | head`): nothing went
            # wrong that the user can act on. Quiet, with the shell's code for SIGPIPE;
            # stdout is pointed at /dev/null so Python's own flush at exit stays quiet.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            sys.exit(141)
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


def _require_file(path: Path) -> None:
    if not path.is_file():
        raise ReviewdocsError(
            f"No register at {path}: produce some documents first, or name it with --register."
        )
