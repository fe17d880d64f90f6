"""Progress on stderr: a rich bar on a terminal, plain log lines otherwise (cron, CI)."""

from __future__ import annotations

import logging
import sys
import time
from collections import Counter
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # rich is imported only when a terminal shows the bar
    from rich.progress import Progress as Bar
    from rich.progress import TaskID

log = logging.getLogger("foilog.refresh")

LOG_EVERY_SECONDS = 10.0


class Progress:
    def __init__(self, enabled: bool = True, tty: bool | None = None) -> None:
        self.enabled = enabled
        self.tty = sys.stderr.isatty() if tty is None else tty
        self.counts: Counter[str] = Counter()
        self.total = 0
        self._bar: Bar | None = None
        self._task: TaskID | None = None
        self._last_log = 0.0

    def start(self, total: int) -> None:
        self.total = total
        if not self.enabled:
            return
        if self.tty:
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn
            from rich.progress import Progress as Bar

            self._bar = bar = Bar(
                TextColumn("pages"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("{task.description}"),
                TimeElapsedColumn(),
                console=Console(stderr=True),
                transient=True,
            )
            bar.start()
            self._task = bar.add_task("", total=total)
        else:
            log.info("fetching %d pages", total)
        self._last_log = time.monotonic()

    def advance(self, outcome: str) -> None:
        self.counts[outcome] += 1
        if not self.enabled:
            return
        text = ", ".join(f"{n} {k}" for k, n in sorted(self.counts.items()))
        if self._bar is not None:
            assert self._task is not None  # start() adds the task with the bar
            self._bar.update(self._task, advance=1, description=text)
        elif time.monotonic() - self._last_log >= LOG_EVERY_SECONDS:
            self._last_log = time.monotonic()
            log.info("%d/%d pages done (%s)", sum(self.counts.values()), self.total, text)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.stop()
            self._bar = None
