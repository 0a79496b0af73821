"""The bench's CPU time per request counts a gunicorn worker that was replaced during the measurement."""

from __future__ import annotations

import subprocess
import sys
import time

from bench.procs import Started, cpu_seconds_with_reaped

REPLACED_WORKER = """
import os, sys, time
before = open(sys.argv[1], "w")
before.close()
time.sleep(0.3)
pid = os.fork()
if pid == 0:
    end = time.process_time() + 0.4
    while time.process_time() < end:
        pass
    os._exit(0)
os.waitpid(pid, 0)
open(sys.argv[2], "w").close()
time.sleep(60)
"""


def _wait_for(path, seconds: float = 20.0) -> None:
    deadline = time.monotonic() + seconds
    while not path.exists():
        assert time.monotonic() < deadline, f"{path.name} never appeared"
        time.sleep(0.02)


def test_a_worker_replaced_and_reaped_during_a_measurement_still_counts(tmp_path):
    started, reaped = tmp_path / "started", tmp_path / "reaped"
    popen = subprocess.Popen([sys.executable, "-c", REPLACED_WORKER, str(started), str(reaped)], start_new_session=True)
    leader = Started("leader", popen, tmp_path / "log")
    try:
        _wait_for(started)
        before = leader.workers_cpu_seconds()
        before_with_reaped = cpu_seconds_with_reaped([popen.pid])
        _wait_for(reaped)
        assert leader.child_pids() == [], "the worker is gone"
        assert leader.workers_cpu_seconds() - before >= 0.3
        assert cpu_seconds_with_reaped([popen.pid]) - before_with_reaped >= 0.3
    finally:
        popen.kill()
        popen.wait(timeout=10)
