"""Load on 127.0.0.1: wrk with Lua scripts for the closed-loop figures, a paced client for fixed rates, py-spy for profiles."""

from __future__ import annotations

import http.client
import json
import re
import subprocess
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from bench.procs import BIN

#: Printed by every script's ``done``: what wrk measured, as JSON on one line.
DONE = r"""
done = function(summary, latency, requests)
  io.write(string.format('WRKJSON {"requests": %d, "duration_us": %d, "connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d, "p50_us": %d, "p90_us": %d, "p99_us": %d, "max_us": %d}\n',
    summary.requests, summary.duration, summary.errors.connect, summary.errors.read, summary.errors.write,
    summary.errors.status, summary.errors.timeout, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency.max))
end
"""

#: Each wrk thread gets its own id and random seed, so bodies and client addresses differ between threads.
THREADS = r"""
local thread_counter = 0
setup = function(thread)
  thread_counter = thread_counter + 1
  thread:set("thread_id", thread_counter)
end
init = function(args)
  math.randomseed(os.time() * 100 + (thread_id or 0))
end
local types = {"letter", "email", "email", "email", "fax", "call", "tweet", "tweet", "other"}
local countries = {"GB", "US", "DE", "FR", "KZ", "NL", "CA", "AU", "ES", "IT", "BE", "SE", "JP", "BR", "ZA"}
local sent = 0
local function client_address()
  return string.format("10.%d.%d.%d", math.random(0, 255), math.random(0, 255), math.random(1, 254))
end
"""

SCRIPTS = {
    # The public API: a JSON report from one of many client addresses (behind a proxy: PROXY_COUNT=1).
    "api_post": THREADS
    + r"""
request = function()
  local body = string.format('{"action_type": "%s", "count": 1, "country": "%s"}',
    types[math.random(#types)], countries[math.random(#countries)])
  return wrk.format("POST", "{path}", {["Content-Type"] = "application/json", ["X-Forwarded-For"] = client_address()}, body)
end
""",
    # The report form: a session cookie and its CSRF token, a fresh submission id each time; 303 is success.
    "form_post": THREADS
    + r"""
request = function()
  sent = sent + 1
  local body = string.format("csrf_token={csrf}&action_type=%s&target_id=all&count=1&country=%s&name=&email=&submission_id=t%d-%d-%d",
    types[math.random(#types)], countries[math.random(#countries)], thread_id or 0, sent, math.random(1, 1000000000))
  return wrk.format("POST", "{path}", {["Content-Type"] = "application/x-www-form-urlencoded", ["Cookie"] = "{cookie}",
    ["X-Forwarded-For"] = client_address()}, body)
end
""",
    # The bare insert: the same small JSON body.
    "ceiling_insert": THREADS
    + r"""
request = function()
  local body = string.format('{"action_type": "%s", "count": 1, "country": "%s"}',
    types[math.random(#types)], countries[math.random(#countries)])
  return wrk.format("POST", "{path}", {["Content-Type"] = "application/json", ["X-Forwarded-For"] = client_address()}, body)
end
""",
    # The bare read: one row by a random primary key among the seeded ones.
    "ceiling_read": THREADS
    + r"""
request = function()
  return wrk.format("GET", "{path}" .. math.random(1, 1000), {["X-Forwarded-For"] = client_address()})
end
""",
    # A page or an API read, optionally with a console session's cookie.
    "get": THREADS
    + r"""
request = function()
  return wrk.format("GET", "{path}", {["Cookie"] = "{cookie}", ["X-Forwarded-For"] = client_address()})
end
""",
}


@dataclass
class WrkResult:
    """One wrk run: requests per second, latency percentiles in ms, and every kind of error."""

    requests: int
    seconds: float
    errors: int
    p50_ms: float
    p90_ms: float
    p99_ms: float
    max_ms: float

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def run_wrk(
    base_url: str,
    script: str,
    *,
    path: str,
    seconds: float,
    connections: int = 8,
    threads: int = 2,
    csrf: str = "",
    cookie: str = "",
) -> WrkResult:
    """Run wrk against ``base_url`` with one of ``SCRIPTS``, for ``seconds``, and read its JSON summary."""
    source = SCRIPTS[script].replace("{path}", path).replace("{csrf}", csrf).replace("{cookie}", cookie) + DONE
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write(source)
        script_path = handle.name
    try:
        completed = subprocess.run(
            [
                "wrk",
                "--threads",
                str(min(threads, connections)),
                "--connections",
                str(connections),
                "--duration",
                f"{max(1, round(seconds))}s",
                "--timeout",
                "10s",
                "--latency",
                "--script",
                script_path,
                base_url,
            ],
            capture_output=True,
            text=True,
            timeout=seconds + 60,
            check=False,
        )
    finally:
        Path(script_path).unlink(missing_ok=True)
    match = re.search(r"^WRKJSON (\{.*\})$", completed.stdout, re.MULTILINE)
    if not match:
        raise RuntimeError(f"wrk gave no summary: {completed.stdout[-2000:]} {completed.stderr[-2000:]}")
    data = json.loads(match.group(1))
    errors = data["connect"] + data["read"] + data["write"] + data["status"] + data["timeout"]
    return WrkResult(
        requests=data["requests"],
        seconds=data["duration_us"] / 1e6,
        errors=errors,
        p50_ms=data["p50_us"] / 1000,
        p90_ms=data["p90_us"] / 1000,
        p99_ms=data["p99_us"] / 1000,
        max_ms=data["max_us"] / 1000,
    )


@dataclass
class PacedResult:
    """A fixed-rate run: what was sent, what came back, and the ids of the stored reports."""

    target_rate: float
    seconds: float
    sent: int = 0
    created: int = 0
    errors: Counter = field(default_factory=Counter)
    ids: list[int] = field(default_factory=list)
    latencies_ms: list[float] = field(default_factory=list)

    @property
    def achieved_rate(self) -> float:
        return self.created / self.seconds if self.seconds else 0.0


def paced_reports(base_url: str, path: str, phases: list[tuple[float, float]], *, clients: int = 48) -> PacedResult:
    """POST reports at fixed rates: ``phases`` is a list of (reports per second, seconds), one after the other.

    Open loop: report n is due at its time in the schedule whatever happened to earlier ones, and
    ``clients`` keep-alive connections send them; if the server falls behind, reports queue here
    and the achieved rate says so.
    """
    schedule: list[float] = []
    offset = 0.0
    for rate, seconds in phases:
        count = int(rate * seconds)
        schedule.extend(offset + n / rate for n in range(count))
        offset += seconds
    host, port = base_url.removeprefix("http://").split(":")
    result = PacedResult(target_rate=sum(r * s for r, s in phases) / offset, seconds=offset)
    lock = threading.Lock()
    next_index = iter(range(len(schedule)))
    start = time.monotonic() + 0.2

    def client(number: int) -> None:
        connection = http.client.HTTPConnection(host, int(port), timeout=30)
        types = ("email", "letter", "tweet", "call", "fax", "other")
        countries = ("GB", "US", "DE", "FR", "KZ", "NL", "CA", "AU", "ES", "IT")
        while True:
            with lock:
                index = next(next_index, None)
            if index is None:
                break
            delay = start + schedule[index] - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            body = json.dumps({"action_type": types[index % 6], "count": 1, "country": countries[index % 10]})
            headers = {
                "Content-Type": "application/json",
                "X-Forwarded-For": f"10.{number}.{index // 250 % 256}.{index % 250 + 1}",
            }
            sent_at = time.monotonic()
            try:
                connection.request("POST", path, body=body, headers=headers)
                response = connection.getresponse()
                payload = response.read()
                status = response.status
            except (OSError, http.client.HTTPException) as error:
                connection.close()
                connection = http.client.HTTPConnection(host, int(port), timeout=30)
                with lock:
                    result.sent += 1
                    result.errors[type(error).__name__] += 1
                continue
            elapsed = (time.monotonic() - sent_at) * 1000
            with lock:
                result.sent += 1
                result.latencies_ms.append(elapsed)
                if status == 201:
                    result.created += 1
                    result.ids.append(json.loads(payload)["id"])
                else:
                    result.errors[f"HTTP {status}"] += 1
        connection.close()

    workers = [threading.Thread(target=client, args=(n,), daemon=True) for n in range(clients)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    result.seconds = max(result.seconds, time.monotonic() - start)
    return result


def profile(pids: list[int], seconds: float, output: Path) -> tuple[list[Path], list[subprocess.Popen]]:
    """Start py-spy on each pid for ``seconds`` (collapsed stacks); the caller puts load on meanwhile."""
    paths = []
    processes = []
    for pid in pids:
        path = output.with_name(f"{output.stem}-{pid}.txt")
        paths.append(path)
        processes.append(
            subprocess.Popen(
                [
                    str(BIN / "py-spy"),
                    "record",
                    "--pid",
                    str(pid),
                    "--duration",
                    str(max(1, round(seconds))),
                    "--rate",
                    "200",
                    "--format",
                    "raw",
                    "--nonblocking",
                    "--output",
                    str(path),
                ],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        )
    return paths, processes


def summarise_profile(paths: list[Path], top: int = 14) -> list[tuple[float, str]]:
    """Inclusive share of samples per line of the project's code (``campaign/``) on the stacks, largest first."""
    inclusive: Counter = Counter()
    total = 0
    for path in paths:
        if not path.exists():
            continue
        for line in path.read_text(errors="replace").splitlines():
            stack, _, count_text = line.rpartition(" ")
            if not count_text.isdigit():
                continue
            count = int(count_text)
            total += count
            seen = set()
            for frame in stack.split(";"):
                name = re.sub(r"\(/.*?/(site-packages|main)/", "(", frame.strip())
                if name in seen:
                    continue
                seen.add(name)
                inclusive[name] += count
    if not total:
        return []
    interesting = ("campaign/",)
    rows = [
        (100.0 * count / total, name) for name, count in inclusive.items() if any(part in name for part in interesting)
    ]
    rows.sort(reverse=True)
    unique: list[tuple[float, str]] = []
    for share, name in rows:
        if all(name != kept for _, kept in unique):
            unique.append((share, name))
    return unique[:top]
