"""HTTP request handling for the fixture mirror: conditional requests, gzip, HEAD,
path checks and fault injection. What a path answers lives in `fixture_site`."""

from __future__ import annotations

import gzip
import hashlib
import posixpath
import socket
import struct
import sys
import time
from email.utils import formatdate, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler
from urllib.parse import unquote, urlsplit

COMPRESSIBLE = ("text/", "application/xml", "application/json")


def etag_of(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def clean_path(raw: str) -> str | None:
    """The decoded path, or None for anything that tries to leave the site root."""
    path = unquote(raw)
    if "\0" in path or "\\" in path or not path.startswith("/"):
        return None
    if any(seg == ".." for seg in path.split("/")):
        return None
    normal = posixpath.normpath(path)
    if path.endswith("/") and normal != "/":
        normal += "/"
    return normal


class MirrorHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Keep-alive answers otherwise stall ~40 ms on Nagle + delayed ACK per request.
    disable_nagle_algorithm = True
    server_version = "Microsoft-IIS/10.0"  # what the live site's responses say

    def version_string(self) -> str:
        return getattr(self, "server_name_override", None) or self.server_version

    def do_GET(self) -> None:
        self.respond(head=False)

    def do_HEAD(self) -> None:
        self.respond(head=True)

    def log_message(self, format: str, *args) -> None:
        if self.server.verbose:
            sys.stderr.write(f"{self.address_string()} {format % args}\n")

    # -- the request ------------------------------------------------------------------
    def respond(self, head: bool) -> None:
        state = self.server.state
        parts = urlsplit(self.path)
        path = clean_path(parts.path)
        fault = state.faults.decide(self.command, self.path) if state.faults else None
        if fault:
            state.fault_log.append((self.command, self.path, fault))
        if fault in ("429", "503"):
            return self.send_fault_status(int(fault), head)
        if fault == "slow":
            time.sleep(state.faults.slow_s)
        if path is None:
            return self.send_plain(400, b"Bad Request", head)
        challenged = state.challenge and path.startswith(state.challenge_prefix)
        if challenged and not self.cleared(state.challenge):
            return self.send_challenge(state.challenge, head)
        host = self.headers.get("Host") or "%s:%s" % self.server.server_address[:2]
        resource = state.resolve(path, parts.query, f"http://{host}")
        if resource.status == 301:
            return self.send_redirect(resource.location, head)
        self.send_resource(resource, head, fault)

    def send_resource(self, res, head: bool, fault: str | None) -> None:
        etag = etag_of(res.body)
        headers = {
            "Content-Type": res.content_type,
            "Cache-Control": "public, max-age=300",
            # What the live platform (ASP.NET on Azure) adds to every answer.
            "X-Powered-By": "ASP.NET",
            "X-Frame-Options": "SAMEORIGIN",
            "Set-Cookie": "ARRAffinity=3f1c0d5e9a7b; Path=/; HttpOnly; SameSite=Lax",
        }
        if res.status == 200:
            headers["ETag"] = etag
            if res.last_modified:
                headers["Last-Modified"] = formatdate(int(res.last_modified), usegmt=True)
            if self.not_modified(etag, res.last_modified):
                return self.finish_response(304, headers, b"", head=True)
        body = res.body
        if self.wants_gzip() and res.content_type.startswith(COMPRESSIBLE) and body:
            body = gzip.compress(body, mtime=0)
            headers["Content-Encoding"] = "gzip"
        headers["Vary"] = "Accept-Encoding"
        self.finish_response(res.status, headers, body, head, fault)

    def not_modified(self, etag: str, last_modified: float | None) -> bool:
        inm = self.headers.get("If-None-Match")
        if inm is not None:
            tags = [t.strip().removeprefix("W/") for t in inm.split(",")]
            return etag in tags or "*" in tags
        ims = self.headers.get("If-Modified-Since")
        if ims and last_modified:
            try:
                return int(last_modified) <= parsedate_to_datetime(ims).timestamp()
            except (TypeError, ValueError):
                return False
        return False

    def wants_gzip(self) -> bool:
        accepted = self.headers.get("Accept-Encoding", "")
        return any(
            p.split(";")[0].strip() == "gzip" and "q=0" not in p.replace(" ", "")
            for p in accepted.split(",")
        )

    # -- writing ----------------------------------------------------------------------
    def finish_response(
        self, status: int, headers: dict, body: bytes, head: bool, fault: str | None = None
    ) -> None:
        self.server.state.request_log.append((self.command, self.path, status))
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        if status != 304:
            self.send_header("Content-Length", str(len(body)))
        # end_headers() without the flush: the head may have to be cut short too.
        self._headers_buffer.append(b"\r\n")
        head_bytes = b"".join(self._headers_buffer)
        self._headers_buffer = []
        payload = b"" if head or status == 304 else body
        if fault in ("truncate", "reset"):
            return self.cut_short(head_bytes, payload, fault)
        self.wfile.write(head_bytes + payload)

    def cut_short(self, head_bytes: bytes, payload: bytes, fault: str) -> None:
        """Send part of the answer, then close (truncate) or reset (RST) the connection.

        With a body, the headers go out whole and the body is cut; without one (HEAD,
        304) the headers themselves are cut, so every faulted request really fails.
        """
        if len(payload) > 1:
            keep = len(payload) // (2 if fault == "truncate" else 3)
            data = head_bytes + payload[:keep]
        else:
            data = head_bytes[: len(head_bytes) // 2]
        self.wfile.write(data)
        self.wfile.flush()
        self.close_connection = True
        if fault == "reset":
            # SO_LINGER 0: close() sends RST instead of FIN, as a dropped connection does.
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.connection.close()

    def send_fault_status(self, status: int, head: bool) -> None:
        text = b"Too Many Requests" if status == 429 else b"Service Unavailable"
        body = (
            b"<!DOCTYPE html><html><head><title>"
            + text
            + b"</title></head><body><h1>"
            + text
            + b"</h1></body></html>"
        )
        headers = {"Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store"}
        if status == 429:
            headers["Retry-After"] = str(self.server.state.faults.retry_after)
        self.finish_response(status, headers, body, head)

    def cleared(self, mode: str) -> bool:
        from foilog.fixture_challenge import is_cleared

        return is_cleared(
            self.headers.get("Cookie"),
            self.headers.get("User-Agent", ""),
            mode,
            self.headers.get("Sec-Fetch-Mode"),
        )

    def send_challenge(self, mode: str, head: bool) -> None:
        from foilog.fixture_challenge import CHALLENGE_HEADERS, challenge_page

        self.server.state.challenge_log.append(self.path)
        body = challenge_page(mode, self.headers.get("User-Agent", ""))
        headers = dict(CHALLENGE_HEADERS)
        self.server_name_override = headers.pop("Server")  # one Server header: the CDN's
        try:
            self.finish_response(403, headers, body, head)
        finally:
            self.server_name_override = None

    def send_plain(self, status: int, text: bytes, head: bool) -> None:
        self.finish_response(status, {"Content-Type": "text/plain; charset=utf-8"}, text, head)

    def send_redirect(self, location: str, head: bool) -> None:
        body = f'<html><head><title>Object moved</title></head><body><h2>Object moved to <a href="{location}">here</a>.</h2></body></html>'.encode()
        self.finish_response(
            301, {"Location": location, "Content-Type": "text/html; charset=utf-8"}, body, head
        )
