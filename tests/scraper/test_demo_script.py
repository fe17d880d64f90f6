"""`make demo` with its mirror port already taken never crawls the other program."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "demo.sh"


class _Other(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.server.hits.append(self.path)
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"hi")

    def log_message(self, *args) -> None:
        pass


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_a_taken_mirror_port_is_replaced_by_a_free_one_and_said(tmp_path):
    other = ThreadingHTTPServer(("127.0.0.1", 0), _Other)
    other.hits = []
    threading.Thread(target=other.serve_forever, daemon=True).start()
    taken = other.server_address[1]
    env = dict(os.environ, FOILOG_BIN=str(Path(sys.executable).parent))
    proc = subprocess.Popen(
        ["bash", str(SCRIPT), str(taken), str(_free_port())],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    lines = []
    try:
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline:
            line = proc.stdout.readline()
            if not line:
                break
            lines.append(line)
            if line.startswith("serving http://"):
                break
    finally:
        os.killpg(proc.pid, signal.SIGKILL)  # the script, its mirror and its server
        proc.wait(timeout=30)
        other.shutdown()
        other.server_close()
    output = "".join(lines)
    assert f"port {taken} is in use" in output and "free port" in output, output
    assert any(line.startswith("serving http://") for line in lines), output
    assert other.hits == []  # the other program was never crawled
    assert (tmp_path / "data" / "foi.db").exists(), output
