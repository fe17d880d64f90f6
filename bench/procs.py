"""Child processes the benchmarks time: the mirror server and `foilog` commands.

(`foilog serve` is started by foilog.child_server: it binds port 0 and reports it.)
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def foilog_argv() -> list[str]:
    """The installed `foilog` script next to this interpreter, else the module."""
    script = Path(sys.executable).parent / "foilog"
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "from foilog.cli import cli; cli()"]


class Mirror:
    """`bench.mirror_proc` serving `root` on a free loopback port until the block ends."""

    def __init__(self, root: Path):
        self.root = Path(root)
        self.proc: subprocess.Popen | None = None
        self.base_url = ""

    def __enter__(self) -> Mirror:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "bench.mirror_proc", "--root", str(self.root)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            cwd=REPO,
        )
        line = self.proc.stdout.readline()
        if not line:
            self.proc.wait(timeout=10)
            raise RuntimeError(
                f"fixture server on {self.root} did not start (exit {self.proc.returncode})"
            )
        self.base_url = json.loads(line)["base_url"]
        return self

    def count(self) -> dict:
        """Requests the server saw since the previous count: {"requests", "paths"}."""
        self.proc.stdin.write("count\n")
        self.proc.stdin.flush()
        return json.loads(self.proc.stdout.readline())

    def cpu_s(self) -> float:
        """CPU seconds the server process has used so far (user + system)."""
        fields = Path(f"/proc/{self.proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def __exit__(self, *exc) -> None:
        self.proc.stdin.close()
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


@dataclass
class ChildRun:
    argv: list[str]
    returncode: int
    wall_s: float
    maxrss_mb: float  # peak RSS of the child and its children together (sampled), at least
    maxrss_single_mb: float  # the largest single process (wait4 rusage, bench/peak_rss.py)
    cpu_s: float  # user + system time of the child and the children it reaped
    stdout: str
    stderr: str
    json: dict | None = field(default=None)


def run_child(argv: list[str], timeout: float = 600.0, env: dict | None = None) -> ChildRun:
    """Run one child to completion through bench/peak_rss.py, which reports the child's
    own peak RSS and CPU (a `wait4` here would report this process's peak instead)."""
    out_path = REPO / "bench" / "work" / f".child-{os.getpid()}.out"
    err_path = out_path.with_suffix(".err")
    report_path = out_path.with_suffix(".rss.json")
    report_path.unlink(missing_ok=True)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    launcher = [sys.executable, "-m", "bench.peak_rss", str(report_path)]
    with open(out_path, "wb") as out, open(err_path, "wb") as err:
        started = time.perf_counter()
        # its own session: a timeout kills the launcher and the command together
        proc = subprocess.Popen(
            launcher + argv, stdout=out, stderr=err, cwd=REPO, env=env, start_new_session=True
        )
        deadline = started + timeout
        tree_peak_kb, next_sample = 0, 0.0
        while proc.poll() is None:
            if time.perf_counter() > deadline:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
                break
            if time.perf_counter() >= next_sample:
                tree_peak_kb = max(tree_peak_kb, tree_rss_kb(proc.pid, include_root=False))
                next_sample = time.perf_counter() + 0.1
            time.sleep(0.01)
        wall = time.perf_counter() - started
    stdout = out_path.read_text(errors="replace")
    stderr = err_path.read_text(errors="replace")
    out_path.unlink()
    err_path.unlink()
    figures = json.loads(report_path.read_text()) if report_path.exists() else {}
    report_path.unlink(missing_ok=True)
    single_mb = figures.get("maxrss_kb", 0) / 1024
    return ChildRun(
        argv,
        proc.returncode,
        wall,
        max(single_mb, tree_peak_kb / 1024),
        single_mb,
        figures.get("cpu_s", 0.0),
        stdout,
        stderr,
        last_json(stdout),
    )


def tree_rss_kb(root: int, include_root: bool = True) -> int:
    """Resident memory of a process and all its descendants now, in KiB (Linux /proc)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry))
    total, todo = 0, ([root] if include_root else list(children.get(root, ())))
    page_kb = os.sysconf("SC_PAGE_SIZE") // 1024
    while todo:
        pid = todo.pop()
        todo.extend(children.get(pid, ()))
        try:
            total += int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * page_kb
        except (OSError, IndexError, ValueError):
            continue
    return total


def last_json(text: str) -> dict | None:
    """The JSON object a command printed (whole output, or its last JSON line)."""
    text = text.strip()
    candidates = [text, text[text.find("{") :] if "{" in text else ""]
    candidates += [line for line in reversed(text.splitlines()) if line.startswith("{")]
    for candidate in candidates:
        try:
            value = json.loads(candidate)
        except ValueError:
            continue
        if isinstance(value, dict):
            return value
    return None
