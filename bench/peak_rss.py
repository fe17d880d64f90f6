"""Run one command and write its own peak RSS and CPU time to a JSON file.

    python -m bench.peak_rss REPORT.json COMMAND [ARG...]

Why a launcher: on Linux a child's `ru_maxrss` starts from its parent's high-water mark.
A process forked (or vforked) from the bench, which holds a few hundred MB of pages and
mirrors by then, and then exec'ing `foilog` reports the bench's peak however small the
command stays: the kernel keeps the pre-exec image's mark. This process is small, so
the command it starts inherits only its few MB and its `wait4` figure is its own (and
that of the children it reaped, e.g. the parse child).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path


def main(argv: list[str]) -> int:
    report, command = Path(argv[0]), argv[1:]
    child = subprocess.Popen(command)  # stdio inherited from the bench's files
    _, status, usage = os.wait4(child.pid, 0)
    figures = {
        "maxrss_kb": usage.ru_maxrss,  # Linux: KiB
        "cpu_s": usage.ru_utime + usage.ru_stime,
    }
    report.write_text(json.dumps(figures))
    return os.waitstatus_to_exitcode(status)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
