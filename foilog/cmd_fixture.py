"""`foilog fixture-site`: serve the offline mirror of the MPS site on loopback."""

from __future__ import annotations

import signal
import threading
from pathlib import Path

import click

from foilog.fixture_faults import HELP as FAULTS_HELP
from foilog.fixture_faults import Faults, FaultSpecError


@click.command("fixture-site")
@click.option("--host", default="127.0.0.1", show_default=True, help="address to listen on")
@click.option("--port", default=8765, show_default=True, type=int, help="port (0 = any free port)")
@click.option("--faults", "faults_spec", default=None, metavar="SPEC", help=FAULTS_HELP)
@click.option(
    "--root",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=None,
    help="mirror directory [default: fixtures/site of this checkout]",
)
@click.option("--quiet", is_flag=True, help="do not print one line per request on stderr")
@click.option(
    "--challenge",
    is_flag=True,
    help="bot protection: requests without the clearance cookie get a Cloudflare-like "
    "JavaScript challenge (a browser passes it; plain HTTP does not)",
)
@click.option(
    "--challenge-unpassable",
    is_flag=True,
    help="a challenge that not even a browser passes (a blocked night)",
)
def fixture_site(
    host: str,
    port: int,
    faults_spec: str | None,
    root: Path | None,
    quiet: bool,
    challenge: bool,
    challenge_unpassable: bool,
) -> None:
    """Serve the offline MPS mirror (fixtures/site) until Ctrl-C or SIGTERM.

    Faults are deterministic for a seed and never alter content: 429 (with
    Retry-After), 503, reset (RST part-way through the body), truncate (a short
    body under the full Content-Length), slow (the answer after slow_s seconds).
    See fixtures/README.md.

    \b
    Example:
        foilog fixture-site --port 8765
        foilog fixture-site --challenge
        foilog fixture-site --faults "rate=0.2,kinds=429+503+reset+truncate+slow,seed=7,slow_s=2,retry_after=1"
    """
    from foilog.fixture_site import make_server

    try:
        faults = Faults.parse(faults_spec)
        mode = "unpassable" if challenge_unpassable else ("js" if challenge else None)
        server = make_server(root, host, port, faults, verbose=not quiet, challenge=mode)
    except (FaultSpecError, FileNotFoundError, OSError) as e:
        raise click.ClickException(str(e)) from None
    # SIGTERM stops the server the same way Ctrl-C does: serve_forever returns.
    signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=server.shutdown).start())
    click.echo(
        f"fixture site on {server.base_url}/ (root {server.state.root}"
        + (f", faults {faults_spec}" if faults else "")
        + (f", {mode} challenge" if mode else "")
        + ")",
        err=False,
    )
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


COMMANDS = [fixture_site]
