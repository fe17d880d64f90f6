"""Fault injection for the fixture mirror: `--faults "rate=0.2,kinds=429+503,seed=7"`.

Faults are what a flaky real server does: 429 with Retry-After, 503, a connection
reset mid-response, a truncated body (Content-Length larger than what is sent) and a
slow response. They never change content: a request either fails visibly or gets the
same bytes a clean server would send.

Whether a request is faulted depends only on the seed, the method, the request target
and how many times that target was requested before (not on thread timing), so two
runs with the same seed and the same per-URL request sequence see the same faults.
"""

from __future__ import annotations

import hashlib
import threading
from collections import Counter
from dataclasses import dataclass, field

KINDS = ("429", "503", "reset", "truncate", "slow")
HELP = (
    "Fault spec: comma-separated key=value. rate=0.2 (share of requests faulted, 0..1), "
    "kinds=429+503+reset+truncate+slow (which faults, '+'-separated; default all), "
    "seed=7, slow_s=2 (delay of a slow response), retry_after=1 (Retry-After seconds on "
    "429), first=N (fault only the first N requests of each URL; 0 = no limit), "
    "prefix=/foi-ai/ (fault only paths starting with this)."
)


class FaultSpecError(ValueError):
    pass


@dataclass
class Faults:
    rate: float = 0.0
    kinds: tuple[str, ...] = KINDS
    seed: int = 0
    slow_s: float = 2.0
    retry_after: int = 1
    first: int = 0
    prefix: str = "/"
    _seen: Counter = field(default_factory=Counter, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @classmethod
    def parse(cls, spec: str | None) -> Faults | None:
        """`"rate=0.2,kinds=429+503+reset+truncate+slow,seed=7,slow_s=2,retry_after=1"`."""
        if not spec:
            return None
        values: dict = {}
        for part in spec.split(","):
            key, sep, value = part.strip().partition("=")
            if not sep:
                raise FaultSpecError(f"fault spec part {part!r} is not key=value")
            try:
                if key == "rate":
                    values["rate"] = float(value)
                    if not 0.0 <= values["rate"] <= 1.0:
                        raise ValueError("rate must be between 0 and 1")
                elif key == "kinds":
                    kinds = tuple(k for k in value.split("+") if k)
                    unknown = [k for k in kinds if k not in KINDS]
                    if unknown or not kinds:
                        raise ValueError(f"unknown kind {unknown}; known: {'+'.join(KINDS)}")
                    values["kinds"] = kinds
                elif key in ("seed", "retry_after", "first"):
                    values[key] = int(value)
                elif key == "slow_s":
                    values["slow_s"] = float(value)
                elif key == "prefix":
                    values["prefix"] = value
                else:
                    raise ValueError(
                        "unknown key; known: rate, kinds, seed, slow_s, retry_after, first, prefix"
                    )
            except ValueError as e:
                raise FaultSpecError(f"fault spec {part!r}: {e}") from None
        return cls(**values)

    def decide(self, method: str, target: str) -> str | None:
        """The fault for this request (one of KINDS) or None."""
        if not target.startswith(self.prefix):
            return None
        with self._lock:
            n = self._seen[(method, target)]
            self._seen[(method, target)] += 1
        if self.first and n >= self.first:
            return None
        digest = hashlib.sha256(f"{self.seed}\0{method}\0{target}\0{n}".encode()).digest()
        draw = int.from_bytes(digest[:7], "big") / 2**56
        if draw >= self.rate:
            return None
        return self.kinds[int.from_bytes(digest[7:11], "big") % len(self.kinds)]
