"""The command line: parse, call one library function, map errors to exit codes.

One module per area; each registers its commands on ``main`` (``_group``):
``_review`` (validate, decide, render, form, templates), ``_batch``,
``_disclosure`` (amend, share, register), ``_post`` (post, send); the front desk's
``serve`` and ``users`` come from ``reviewdocs.web.commands`` and import Flask only
when they run.
"""

from reviewdocs.cli import _batch, _disclosure, _post, _review  # noqa: F401  (they register)
from reviewdocs.cli._group import main
from reviewdocs.web.commands import serve, users

main.add_command(serve)
main.add_command(users)

__all__ = ["main"]
