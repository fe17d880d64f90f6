"""`foilog serve`: Datasette over the archive, stopped cleanly by Ctrl-C at any moment."""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path

import click

from foilog.settings import DEFAULT_DB

EXIT_INTERRUPTED = 130  # the shell's code for "stopped by Ctrl-C" (128 + SIGINT)


class MissingFile(click.ClickException):
    """A file the command needs is missing or unusable: exit 2, like a usage error."""

    exit_code = 2


class _FirstSignalStops:
    """SIGINT/SIGTERM handler: the first signal raises KeyboardInterrupt, later ones
    are ignored (we are already stopping).

    Installed before anything is imported, bound or printed, so a Ctrl-C at any moment
    ends in our `except KeyboardInterrupt`, never in click's "Aborted!" (exit 1).
    uvicorn swaps in its own handlers while it serves, restores these afterwards and
    re-raises the signal it caught: that lands here too.
    """

    SIGNALS = (signal.SIGINT, signal.SIGTERM)

    def __init__(self) -> None:
        self.fired = False
        self._previous: dict = {}

    def __call__(self, signum: int, frame: object) -> None:
        if not self.fired:
            self.fired = True
            raise KeyboardInterrupt

    def install(self) -> None:
        self._previous = {sig: signal.signal(sig, self) for sig in self.SIGNALS}

    def restore(self) -> None:
        """Put back the handlers we replaced (the command may run inside a test
        process or another program, whose own Ctrl-C handling must come back)."""
        self.fired = True  # until then, a late signal is ignored rather than raised
        for sig, handler in self._previous.items():
            signal.signal(sig, handler)


@click.command("serve")
@click.option(
    "--db",
    "db_path",
    type=click.Path(path_type=Path),
    default=None,
    metavar="PATH",
    help="the archive to serve [default: $FOILOG_DB or data/foi.db]",
)
@click.option(
    "--port",
    default=8001,
    show_default=True,
    type=int,
    help="port to listen on (0: any free port, printed on start)",
)
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="interface to listen on (0.0.0.0 to serve the network)",
)
def serve(db_path: Path | None, port: int, host: str) -> None:
    """Serve the archive read-only with Datasette, foilog's pages and feeds.

    Safe while the nightly refresh writes (the archive is in WAL mode). The first
    line on stdout is `serving PATH at http://HOST:PORT/ ...` once the port is bound.
    Ctrl-C (or SIGTERM) stops it: exit 0 once serving, 130 if it came earlier.

    \b
    Example:
        foilog serve --db data/foi.db --port 8001
        open http://127.0.0.1:8001/
    """
    stopper = _FirstSignalStops()
    stopper.install()
    served: list[str] = []

    def announce(line: str) -> None:
        # the port is bound before this is called: count as serving before printing,
        # so a Ctrl-C sent as soon as the line is read always exits 0
        served.append(line)
        click.echo(line)

    try:
        if not 0 <= port <= 65535:
            raise MissingFile(f"--port must be between 0 and 65535, got {port}")
        db_path = Path(db_path or os.environ.get("FOILOG_DB") or DEFAULT_DB)
        from plugins.app import ArchiveError
        from plugins.app import serve as run_server

        try:
            run_server(db_path, host=host, port=port, announce=announce)
        except ArchiveError as error:
            raise MissingFile(str(error)) from error
    except KeyboardInterrupt:
        sys.exit(0 if served else EXIT_INTERRUPTED)
    finally:
        stopper.restore()


COMMANDS = [serve]
