"""`foilog serve`: Datasette over the archive, stopped cleanly by Ctrl-C at any moment."""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path
from typing import Any

import click

from foilog.cli_errors import BadInput
from foilog.settings import DEFAULT_DB

EXIT_INTERRUPTED = 130  # the shell's code for "stopped by Ctrl-C" (128 + SIGINT)


class _Stop(Exception):
    """Ctrl-C while starting: stop at the next step, before serving."""


class _Signals:
    """SIGINT/SIGTERM for `foilog serve`, installed before anything is imported, bound
    or printed, so a Ctrl-C at any moment ends cleanly, never in click's "Aborted!".

    While starting, the first signal is noted and honoured at the next step (`check()`);
    a second one stops at once. While serving, a signal asks uvicorn to shut down
    gracefully (what uvicorn's own handler does). Never an exception thrown into library
    code mid-way: a KeyboardInterrupt inside an event loop's constructor leaves a
    half-built loop that prints a traceback when it is collected.
    """

    SIGNALS = (signal.SIGINT, signal.SIGTERM)

    def __init__(self) -> None:
        self.received = 0
        self.server: Any = None  # the uvicorn.Server, once the port is bound
        self._previous: dict = {}

    def __call__(self, signum: int, frame: object) -> None:
        self.received += 1
        if self.server is not None:
            if self.server.should_exit:
                self.server.force_exit = True
            self.server.should_exit = True
        elif self.received > 1:
            raise KeyboardInterrupt

    def check(self) -> None:
        if self.received:
            raise _Stop

    def install(self) -> None:
        self._previous = {sig: signal.signal(sig, self) for sig in self.SIGNALS}

    def restore(self) -> None:
        """Put back the handlers we replaced (the command may run inside a test
        process or another program, whose own Ctrl-C handling must come back)."""
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
@click.option(
    "--pages-db",
    "pages_path",
    type=click.Path(path_type=Path),
    default=None,
    help="raw page store for versions and archived copies [default: pages.db next to --db]",
)
def serve(db_path: Path | None, port: int, host: str, pages_path: Path | None) -> None:
    """Serve the archive read-only with Datasette, foilog's pages and feeds.

    Safe while the nightly refresh writes (the archive is in WAL mode). The first
    line on stdout is `serving PATH at http://HOST:PORT/ ...` once the port is bound.
    Ctrl-C (or SIGTERM) stops it: exit 0 once serving, 130 if it came earlier.

    \b
    Example:
        foilog serve --db data/foi.db --port 8001
        open http://127.0.0.1:8001/
    """
    signals = _Signals()
    signals.install()
    serving = False
    try:
        if not 0 <= port <= 65535:
            raise BadInput(f"--port must be between 0 and 65535, got {port}")
        db_path = Path(db_path or os.environ.get("FOILOG_DB") or DEFAULT_DB)
        from plugins.app import ArchiveError, prepare_server

        signals.check()
        try:
            ready = prepare_server(db_path, host=host, port=port, pages_path=pages_path)
        except ArchiveError as error:
            raise BadInput(str(error)) from error
        if signals.received:
            ready.sock.close()
            raise _Stop
        # from here a signal is a graceful shutdown, and stopping is success
        signals.server = ready.server
        serving = True
        click.echo(f"serving {db_path} at {ready.url}/ (Ctrl-C to stop)")
        ready.run()
    except (_Stop, KeyboardInterrupt):
        sys.exit(0 if serving else EXIT_INTERRUPTED)
    finally:
        signals.restore()


COMMANDS = [serve]
