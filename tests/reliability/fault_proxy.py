"""A fault-injecting HTTP proxy on loopback, independent of the mirror's own `--faults`.

It sits in front of any HTTP/1.1 origin (the fixture server in these tests) and, at a
seeded rate, answers a request itself or spoils the origin's answer:

- `429`: Too Many Requests with `Retry-After`, origin never asked;
- `503`: Service Unavailable, origin never asked;
- `reset`: the origin's answer cut after a third of its bytes, then a TCP RST;
- `truncate`: the origin's head (with its full Content-Length) and half the body, then FIN;
- `slow`: the origin's answer, complete, after a delay (not a failure: a hang detector
  for the client's patience).

Whether a request is faulted depends only on the seed, the request target and how many
times that target was requested before, never on thread timing, so a run is repeatable.
`max_run` caps consecutive faults on one target (so the client's retry budget decides
whether a run can finish); `doomed` targets fail their first `doomed_times` requests,
whatever the seed says (to force a give-up within one run).

    with FaultProxy(upstream="http://127.0.0.1:8765", rate=0.2, seed=7) as proxy:
        subprocess.run(["foilog", "refresh", "--site", proxy.base_url, ...])
        proxy.log  # [(target, fault or None), ...]

The proxy runs its own asyncio loop in a daemon thread; the test stays synchronous.
"""

from __future__ import annotations

import asyncio
import hashlib
import socket
import struct
import threading
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import urlsplit

FAILING = ("429", "503", "reset", "truncate")
HEAD_LIMIT = 64 * 1024


@dataclass
class FaultPlan:
    rate: float = 0.2  # share of requests that fail (one of FAILING)
    seed: int = 0
    kinds: tuple[str, ...] = FAILING
    slow_rate: float = 0.0  # share of the remaining requests answered late
    slow_s: float = 0.3
    retry_after: str = "1"
    max_run: int = 0  # 0: no cap on consecutive faults per target
    doomed: frozenset[str] = frozenset()  # paths (no query) that fail their first N requests
    doomed_times: int = 0
    slow_prefix: str | None = None  # paths starting with this are always answered late
    _seen: Counter = field(default_factory=Counter)
    _run: Counter = field(default_factory=Counter)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def decide(self, target: str) -> str | None:
        with self._lock:
            n = self._seen[target]
            self._seen[target] += 1
            if target.split("?")[0] in self.doomed and n < self.doomed_times:
                return self.kinds[n % len(self.kinds)]  # never capped by max_run
            fault = self._draw(target, n)
            if fault in FAILING:
                if self.max_run and self._run[target] >= self.max_run:
                    fault = None
                else:
                    self._run[target] += 1
            if fault not in FAILING:
                self._run[target] = 0
            if fault is None and self.slow_prefix and target.startswith(self.slow_prefix):
                fault = "slow"
            return fault

    def _draw(self, target: str, n: int) -> str | None:
        digest = hashlib.sha256(f"{self.seed}\0{target}\0{n}".encode()).digest()
        draw = int.from_bytes(digest[:7], "big") / 2**56
        if draw < self.rate:
            return self.kinds[int.from_bytes(digest[7:11], "big") % len(self.kinds)]
        if draw < self.rate + self.slow_rate * (1 - self.rate):
            return "slow"
        return None


class FaultProxy:
    """Context manager: a proxy on 127.0.0.1:<free port> in front of `upstream`."""

    def __init__(self, upstream: str, **plan) -> None:
        parts = urlsplit(upstream)
        self.upstream = (parts.hostname or "127.0.0.1", parts.port or 80)
        self.plan = FaultPlan(**plan)
        self.log: list[tuple[str, str | None]] = []
        self.answered = 0  # requests whose answer (or fault) was sent in full
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(
            target=self._loop.run_forever, name="fault-proxy", daemon=True
        )
        self._server: asyncio.base_events.Server | None = None
        self.port = 0

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def faults(self) -> Counter:
        return Counter(f for _, f in self.log if f)

    def __enter__(self) -> FaultProxy:
        self._thread.start()
        future = asyncio.run_coroutine_threadsafe(self._start(), self._loop)
        self.port = future.result(timeout=10)
        return self

    def __exit__(self, *exc_info) -> None:
        asyncio.run_coroutine_threadsafe(self._stop(), self._loop).result(timeout=10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)
        self._loop.close()

    async def _start(self) -> int:
        self._server = await asyncio.start_server(self._client, "127.0.0.1", 0)
        return self._server.sockets[0].getsockname()[1]

    async def _stop(self) -> None:
        assert self._server is not None
        self._server.close()
        for task in asyncio.all_tasks(self._loop):
            if task is not asyncio.current_task():
                task.cancel()

    # -- one client connection: requests in turn (keep-alive) -------------------------

    async def _client(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                try:
                    head = await reader.readuntil(b"\r\n\r\n")
                except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError):
                    return
                if not await self._one(head, writer):
                    return
        except ConnectionError:
            return  # the client hung up (or was SIGKILLed) mid-answer
        finally:
            writer.close()

    async def _one(self, head: bytes, writer: asyncio.StreamWriter) -> bool:
        """Answer one request; False when the connection must end."""
        request_line = head.split(b"\r\n", 1)[0].decode("latin-1")
        target = request_line.split(" ")[1] if request_line.count(" ") >= 2 else "/"
        fault = self.plan.decide(target)
        self.log.append((target, fault))
        if fault in ("429", "503"):
            writer.write(_status_reply(int(fault), self.plan.retry_after))
            await writer.drain()
            self.answered += 1
            return True
        if fault == "slow":
            await asyncio.sleep(self.plan.slow_s)
        answer = await self._ask_upstream(head)
        resp_head, _, body = answer.partition(b"\r\n\r\n")
        if fault == "reset":
            writer.write(answer[: max(1, len(answer) // 3)])
            await writer.drain()
            sock = writer.get_extra_info("socket")
            # SO_LINGER 0: close() sends RST instead of FIN, as a dropped connection does
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            writer.transport.abort()
            return False
        if fault == "truncate" and len(body) > 1:
            writer.write(resp_head + b"\r\n\r\n" + body[: len(body) // 2])
            await writer.drain()
            return False
        writer.write(answer)
        await writer.drain()
        self.answered += 1
        return True

    async def _ask_upstream(self, head: bytes) -> bytes:
        """The origin's whole answer: one connection per request, read to EOF."""
        lines = head.rstrip(b"\r\n").split(b"\r\n")
        kept = [line for line in lines[1:] if not line.lower().startswith(b"connection:")]
        request = b"\r\n".join([lines[0], *kept, b"Connection: close"]) + b"\r\n\r\n"
        reader, writer = await asyncio.open_connection(*self.upstream)
        try:
            writer.write(request)
            await writer.drain()
            return await reader.read()
        finally:
            writer.close()


def _status_reply(status: int, retry_after: str) -> bytes:
    reason = "Too Many Requests" if status == 429 else "Service Unavailable"
    body = f"<!DOCTYPE html><html><body><h1>{reason}</h1></body></html>".encode()
    head = [
        f"HTTP/1.1 {status} {reason}",
        "Content-Type: text/html; charset=utf-8",
        f"Content-Length: {len(body)}",
        "Cache-Control: no-store",
    ]
    if status == 429:
        head.append(f"Retry-After: {retry_after}")
    return ("\r\n".join(head) + "\r\n\r\n").encode() + body
