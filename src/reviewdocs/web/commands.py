"""``reviewdocs serve`` and ``reviewdocs users``: the front desk's two commands.

Flask and waitress are imported only when ``serve`` runs, so the rest of the command
line starts as fast as before.

Why waitress: it is pure Python (nothing to compile, the same on every machine), it
serves with threads in one process (no fork: the batch runner is started with
fork-and-exec, and a forking server would copy a process that has threads), and it is
a production server, unlike Flask's own.
"""

from __future__ import annotations

import contextlib
import ipaddress
import secrets
import sys
from pathlib import Path

import click

from reviewdocs.errors import ReviewdocsError

DEFAULT_DATA = Path("reviewdocs-data")
_data_option = click.option(
    "--data",
    "data_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=DEFAULT_DATA,
    show_default=True,
    help="The folder for uploads, documents, the register and accounts.",
)


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="The address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
@_data_option
@click.option(
    "--council",
    default="Your council",
    show_default=True,
    help="The council's name, shown in the header of every page.",
)
@click.option(
    "--behind-proxy",
    is_flag=True,
    help="Behind a TLS proxy: session cookies are sent over HTTPS only.",
)
@click.option("--threads", default=8, show_default=True, type=click.IntRange(1, 64))
def serve(
    host: str, port: int, data_dir: Path, council: str, behind_proxy: bool, threads: int
) -> None:
    """Run the front desk: reviewdocs in a browser (GOV.UK Design System)."""
    from reviewdocs.web import assets, create_app
    from reviewdocs.web.store import Store

    assets.frontend_dir()  # a plain-words error now rather than unstyled pages later
    store = Store(data_dir)
    token = None
    if not store.has_accounts():
        if not is_loopback(host):
            raise ReviewdocsError(
                f"No accounts yet: the server would be open to anyone who can reach {host}. "
                "Make one first with `reviewdocs users add NAME --role manager "
                f"--data {data_dir}`, or listen on 127.0.0.1."
            )
        token = secrets.token_urlsafe(32)
    app = create_app(data_dir, council=council, behind_proxy=behind_proxy, one_time_token=token)
    _warm_up()

    from waitress.server import create_server

    server = create_server(app, host=host, port=port, threads=threads, ident="reviewdocs")
    bound_port = server.socket.getsockname()[1]
    shown = f"[{host}]" if ":" in host else host
    click.echo(f"reviewdocs is serving on http://{shown}:{bound_port}/ (Ctrl+C to stop)")
    if token:
        # Printed once, for the person at this machine; never logged.
        click.echo("No accounts yet. Open this link to sign in (it works once):")
        click.echo(f"  http://{shown}:{bound_port}/sign-in/once?token={token}")
    sys.stdout.flush()
    try:
        server.run()
    except KeyboardInterrupt:
        click.echo("Stopped.")
    finally:
        server.close()


def _warm_up() -> None:
    """Compile the standard templates once, before the first person waits for them
    (about a second and a half; each is then cached for the life of the server)."""
    from reviewdocs import codes
    from reviewdocs.documents import compiled
    from reviewdocs.errors import TemplateError

    for document in codes.DOCUMENTS:
        # A broken template is said in plain words to whoever asks for that document.
        with contextlib.suppress(TemplateError):
            compiled(document)


@click.group()
def users() -> None:
    """Manage the front desk's accounts (stored in DATA/web.sqlite)."""


@users.command("add")
@click.argument("name")
@click.option(
    "--role",
    required=True,
    type=click.Choice(("practitioner", "admin", "manager")),
    help="practitioner: their own reviews; admin: batches and the register; manager: all.",
)
@_data_option
@click.password_option(
    "--password",
    prompt="Password",
    help="Prompted for when not given (at least 12 characters).",
)
def users_add(name: str, role: str, data_dir: Path, password: str) -> None:
    """Add an account; the password is stored as a scrypt hash."""
    import sqlite3

    from reviewdocs.web.forms import valid_user_name
    from reviewdocs.web.store import LOCAL_USER, Store

    if not valid_user_name(name) or name == LOCAL_USER:
        raise ReviewdocsError(
            f"{name!r} cannot be a user name: use letters, digits and . _ @ - "
            f"(up to 64, not {LOCAL_USER!r})."
        )
    if len(password) < 12:
        raise ReviewdocsError("The password must be at least 12 characters long.")
    try:
        Store(data_dir).add_user(name, role, password)
    except sqlite3.IntegrityError:
        raise ReviewdocsError(f"There is already an account called {name}.") from None
    click.echo(f"Added {name} ({role}).")


@users.command("list")
@_data_option
def users_list(data_dir: Path) -> None:
    """List the accounts: name, role, and whether disabled."""
    from reviewdocs.web.store import Store

    for user in Store(data_dir).users():
        click.echo(f"{user.name}\t{user.role}\t{'disabled' if user.disabled else 'active'}")


@users.command("disable")
@click.argument("name")
@_data_option
def users_disable(name: str, data_dir: Path) -> None:
    """Disable an account: it can no longer sign in, and its open sessions end."""
    from reviewdocs.web.store import Store

    if not Store(data_dir).disable_user(name):
        raise ReviewdocsError(f"There is no account called {name}.")
    click.echo(f"Disabled {name}.")
