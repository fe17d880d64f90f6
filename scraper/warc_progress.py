"""Progress of an import or export on stderr: a rich bar on a terminal, else nothing
(cron and CI get the one summary line)."""

from __future__ import annotations

import sys


class ByteProgress:
    def __init__(self, label: str, total: int | None, enabled: bool | None = None) -> None:
        self._bar = None
        if not (sys.stderr.isatty() if enabled is None else enabled):
            return
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            DownloadColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
        )

        columns = [TextColumn(label), BarColumn(), DownloadColumn(), TimeElapsedColumn()]
        if total is None:
            columns = [TextColumn(label), TextColumn("{task.completed} records")]
        self._bar = Progress(*columns, console=Console(stderr=True), transient=True)
        self._bar.start()
        self._task = self._bar.add_task("", total=total)

    def update(self, done: int) -> None:
        if self._bar is not None:
            self._bar.update(self._task, completed=done)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.stop()
            self._bar = None
