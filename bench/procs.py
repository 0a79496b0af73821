"""The processes a benchmark run starts: each in a process group of its own, every one stopped at the end."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
STARTUP_TIMEOUT = 60.0


def procfile_gunicorn_options() -> list[str]:
    """The Procfile's gunicorn options but the workers, the address and the app: the bench serves as production does."""
    command = next(line for line in (PROJECT_ROOT / "Procfile").read_text().splitlines() if line.startswith("web:"))
    words = command.split()[2:-1]
    options: list[str] = []
    while words:
        word = words.pop(0)
        if word in ("--workers", "--bind"):
            words.pop(0)
        else:
            options.append(word)
    return options


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until(condition: Callable[[], bool], *, timeout: float, what: str, interval: float = 0.1) -> float:
    """Poll ``condition`` until it holds; raise after ``timeout`` seconds. Returns the seconds it took."""
    start = time.monotonic()
    while not condition():
        if time.monotonic() - start > timeout:
            raise TimeoutError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(interval)
    return time.monotonic() - start


def http_status(url: str, timeout: float = 5.0) -> int:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 (loopback URLs built here)
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except (urllib.error.URLError, OSError):
        return 0


@dataclass
class Started:
    """One started process (the leader of its own group) and its log file."""

    name: str
    popen: subprocess.Popen
    log_path: Path
    url: str | None = None

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def group_pids(self) -> list[int]:
        """Every live process of this group: the leader and its children (gunicorn and Celery workers)."""
        pids = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                if os.getpgid(int(entry.name)) == self.popen.pid:
                    pids.append(int(entry.name))
            except (ProcessLookupError, PermissionError):
                continue
        return sorted(pids)

    def child_pids(self) -> list[int]:
        return [pid for pid in self.group_pids() if pid != self.popen.pid]

    def workers_cpu_seconds(self) -> float:
        """CPU time of the leader's workers so far: the live ones, and the ones it replaced and reaped (gunicorn
        replaces a worker after ``--max-requests``; its time then counts in the leader's children's time)."""
        return cpu_seconds(self.child_pids()) + reaped_children_cpu_seconds(self.popen.pid)

    def _gone(self, wait: float) -> bool:
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            self.popen.poll()
            if not self.group_pids():
                return True
            time.sleep(0.05)
        return False

    def stop(self, timeout: float = 15.0) -> None:
        """SIGTERM to the group, SIGKILL to what is left after ``timeout``."""
        for sig, wait in ((signal.SIGTERM, timeout), (signal.SIGKILL, 5.0)):
            try:
                os.killpg(self.popen.pid, sig)
            except ProcessLookupError:
                break
            if self._gone(wait):
                break
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.popen.wait(timeout=5)


def rss_mb(pid: int) -> float:
    """Resident memory of one process, from /proc."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except (FileNotFoundError, ProcessLookupError):
        pass
    return 0.0


def processes_named(command: str) -> list[int]:
    """Every live process whose command name starts with ``command`` (``postgres``, ``redis-server``)."""
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError):
                if (entry / "comm").read_text().startswith(command):
                    pids.append(int(entry.name))
    return pids


def reaped_children_cpu_seconds(pid: int) -> float:
    """User and system CPU time of the children a process has waited for (``cutime`` and ``cstime``)."""
    with contextlib.suppress(OSError):
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[13]) + int(fields[14])) / os.sysconf("SC_CLK_TCK")
    return 0.0


def cpu_seconds_with_reaped(pids: list[int]) -> float:
    """``cpu_seconds`` and the time of the children these processes reaped: PostgreSQL's postmaster reaps a backend
    whose connection closed (a gunicorn worker replaced after ``--max-requests`` closes its connections)."""
    return cpu_seconds(pids) + sum(reaped_children_cpu_seconds(pid) for pid in pids)


def cpu_seconds(pids: list[int]) -> float:
    """User and system CPU time these processes have used so far, from /proc (gone ones count nothing)."""
    ticks = 0
    for pid in pids:
        with contextlib.suppress(OSError):
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


@dataclass
class Stack:
    """Starts gunicorn, Celery and the SMTP sink on 127.0.0.1 for one run; ``stop_all`` ends every one."""

    directory: Path
    started: list[Started] = field(default_factory=list)

    def start(self, name: str, command: list[str], env: dict[str, str]) -> Started:
        self.directory.mkdir(parents=True, exist_ok=True)
        log_path = self.directory / f"{name}.log"
        with log_path.open("ab") as log:
            popen = subprocess.Popen(
                command, cwd=PROJECT_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        process = Started(name, popen, log_path)
        self.started.append(process)
        return process

    def gunicorn(self, name: str, app: str, env: dict[str, str], probe: str, workers: int = 2) -> Started:
        """gunicorn as the Procfile runs it (sync workers), on a free port; waits until ``probe`` answers."""
        port = free_port()
        process = self.start(
            name,
            [
                str(BIN / "gunicorn"),
                "--workers",
                str(workers),
                "--bind",
                f"127.0.0.1:{port}",
                *procfile_gunicorn_options(),
                app,
            ],
            env,
        )
        process.url = f"http://127.0.0.1:{port}"

        def answers() -> bool:
            if process.popen.poll() is not None:
                raise RuntimeError(f"{name} exited:\n{process.log()[-3000:]}")
            return http_status(process.url + probe) in (200, 201, 302, 404, 405)

        wait_until(answers, timeout=STARTUP_TIMEOUT, interval=0.2, what=f"{name} to answer")
        return process

    def celery_worker(self, name: str, env: dict[str, str], concurrency: int = 2) -> Started:
        """``celery -A worker worker`` as the Procfile runs it, plus the trivial benchmark task."""
        process = self.start(
            name,
            [
                str(BIN / "celery"),
                "-A",
                "worker",
                "worker",
                "--loglevel",
                "WARNING",
                "--concurrency",
                str(concurrency),
                "--include",
                "bench.tasks",
                "--hostname",
                f"{name}-{os.getpid()}@%h",
            ],
            env,
        )
        return process

    def celery_beat(self, name: str, env: dict[str, str]) -> Started:
        schedule = self.directory / f"{name}-schedule"
        return self.start(
            name,
            [str(BIN / "celery"), "-A", "worker", "beat", "--loglevel", "WARNING", "--schedule", str(schedule)],
            env,
        )

    def smtp_sink(self, port: int, stats_path: Path) -> Started:
        process = self.start(
            "smtp-sink", [sys.executable, "-m", "bench.smtp_sink", str(port), str(stats_path)], os.environ.copy()
        )
        wait_until(stats_path.exists, timeout=STARTUP_TIMEOUT, what="the SMTP sink")
        return process

    def stop(self, process: Started) -> None:
        process.stop()
        if process in self.started:
            self.started.remove(process)

    def stop_all(self) -> None:
        for process in reversed(list(self.started)):
            process.stop()
        self.started.clear()
