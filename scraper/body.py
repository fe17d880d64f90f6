"""Reading a response body safely: bounded size, our own decompression, no bombs.

httpx would decode gzip for us, but in one unbounded `decompress()` call per chunk: a
1 MB gzip of zeros becomes 1 GB in memory before anything can stop it. So we ask for
`gzip, deflate` only, read the raw stream and decompress with `max_length`, checking
the limit on decoded bytes as they appear.
"""

from __future__ import annotations

import zlib

import httpx

# A decoded/encoded ratio above this, once past BOMB_MIN_BYTES, is treated as a
# decompression bomb. Real HTML gzips at 5-15:1; a page of zeros at ~1000:1.
MAX_RATIO = 100
BOMB_MIN_BYTES = 1024 * 1024

ACCEPT_ENCODING = "gzip, deflate"


class BodyError(Exception):
    """A body we refuse to keep (too large, a bomb, an unknown encoding)."""


class BodyTooLarge(BodyError):
    pass


class DecompressionBomb(BodyError):
    pass


class TruncatedBody(Exception):
    """The connection ended before the announced body did: worth retrying."""


class _Identity:
    unconsumed_tail = b""

    def decompress(self, data: bytes, max_length: int = 0) -> bytes:
        return data

    def flush(self) -> bytes:
        return b""


class _Deflate:
    """`Content-Encoding: deflate` is zlib-wrapped by the RFC, raw deflate in practice."""

    def __init__(self) -> None:
        self._obj = zlib.decompressobj()
        self._started = False

    @property
    def unconsumed_tail(self) -> bytes:
        return self._obj.unconsumed_tail

    def decompress(self, data: bytes, max_length: int = 0) -> bytes:
        if not self._started:
            self._started = True
            try:
                return self._obj.decompress(data, max_length)
            except zlib.error:
                self._obj = zlib.decompressobj(-zlib.MAX_WBITS)
        return self._obj.decompress(data, max_length)

    def flush(self) -> bytes:
        return self._obj.flush()


def _decoder(content_encoding: str | None):
    encoding = (content_encoding or "identity").strip().lower()
    if encoding in ("", "identity"):
        return _Identity()
    if encoding in ("gzip", "x-gzip"):
        return zlib.decompressobj(16 + zlib.MAX_WBITS)
    if encoding == "deflate":
        return _Deflate()
    raise BodyError(f"unsupported Content-Encoding {encoding!r}")


def announced_length(headers: httpx.Headers) -> int | None:
    value = headers.get("content-length", "").strip()
    return int(value) if value.isdigit() else None


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):g} MB"


async def read_body(response: httpx.Response, limit: int) -> tuple[bytes, int]:
    """(decoded body, bytes received on the wire); raises BodyError / TruncatedBody."""
    length = announced_length(response.headers)
    if length is not None and length > limit:
        raise BodyTooLarge(f"Content-Length {length} exceeds the {_mb(limit)} limit")
    decoder = _decoder(response.headers.get("content-encoding"))
    out = bytearray()
    received = 0
    try:
        async for chunk in response.aiter_raw():
            received += len(chunk)
            _take(decoder, chunk, out, limit, received)
        out += decoder.flush()
    except zlib.error as exc:
        raise BodyError(f"corrupt compressed body ({exc})") from exc
    except httpx.RemoteProtocolError as exc:  # incomplete chunked / short Content-Length
        raise TruncatedBody(f"body cut short after {received} bytes ({exc})") from exc
    if len(out) > limit:
        raise BodyTooLarge(f"body exceeds the {_mb(limit)} limit")
    if length is not None and received != length:
        raise TruncatedBody(f"got {received} of {length} announced bytes")
    return bytes(out), received


def _take(decoder, chunk: bytes, out: bytearray, limit: int, received: int) -> None:
    if received > limit:
        raise BodyTooLarge(f"body exceeds the {_mb(limit)} limit")
    # decode no further than both the size limit and the ratio allow, so a bomb
    # never reaches memory
    by_ratio = max(BOMB_MIN_BYTES, MAX_RATIO * received)
    ceiling = min(limit, by_ratio)
    out += decoder.decompress(chunk, ceiling - len(out) + 1)
    if not decoder.unconsumed_tail and len(out) <= ceiling:
        return
    if ceiling == limit:
        raise BodyTooLarge(f"decoded body exceeds the {_mb(limit)} limit")
    raise DecompressionBomb(
        f"refused a decompression bomb: over {MAX_RATIO}:1 "
        f"({len(out)} bytes decoded from {received})"
    )
