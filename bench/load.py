"""Load on 127.0.0.1: wrk with Lua scripts for the closed-loop figures, an open-loop client for fixed rates, py-spy for profiles."""

from __future__ import annotations

import asyncio
import json
import re
import subprocess
import tempfile
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
    #: CPU time per answered request by process kind (ms), when the caller measured it around the run.
    cpu_ms: dict[str, float] = field(default_factory=dict)

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


@dataclass(frozen=True)
class Phase:
    """A stretch of an open-loop schedule: ``rate`` requests a second for ``seconds``."""

    rate: float
    seconds: float

    @property
    def count(self) -> int:
        return int(self.rate * self.seconds)


#: Error kinds of an open-loop run besides the exceptions' own names and ``HTTP <status>``.
NOT_SENT = "not sent in time (in-flight bound)"
NO_ANSWER = "no answer in time"
CUT_OFF = "cut off at the run's bound"
NO_ID = "201 without an id"


@dataclass(slots=True)
class Attempt:
    """One request of the schedule. Times are seconds after the run's start, on the event loop's monotonic clock."""

    phase: int
    index: int
    due: float
    sent: float | None = None
    answered: float | None = None
    status: int | None = None
    error: str | None = None
    report_id: int | None = None

    @property
    def latency(self) -> float | None:
        """From when the request was due to leave, so time spent queued in the client counts too."""
        return None if self.answered is None else self.answered - self.due


def percentile(values: list[float], share: float) -> float:
    """Nearest rank below: the value ``share`` of the way through the sorted ``values`` (0 when there are none)."""
    ordered = sorted(values)
    return ordered[int(share * (len(ordered) - 1))] if ordered else 0.0


def rate_over(times: list[float], start: float, seconds: float) -> float:
    """Events a second from ``start``, over the phase's ``seconds`` or until the last event if that came later.

    A schedule kept to the letter gives exactly the asked rate (its last request is due one
    interval before the phase ends); a server that answers slower stretches the span instead.
    """
    if not times:
        return 0.0
    return len(times) / max(seconds, max(times) - start)


@dataclass
class PhaseSummary:
    """What one phase asked for and what it got: rates in requests a second, latencies in ms from the due time."""

    rate: float
    seconds: float
    scheduled: int
    sent: int
    answered: int
    succeeded: int
    errors: Counter
    send_rate: float
    achieved_rate: float
    p50_ms: float
    p99_ms: float
    max_ms: float
    #: The largest delay between a request's due time and its leaving the client.
    max_send_delay_ms: float

    @property
    def served_share(self) -> float:
        return self.achieved_rate / self.rate if self.rate else 0.0


@dataclass
class OpenLoopResult:
    """Every attempt of an open-loop run, and how long the run took against the longest it was allowed."""

    phases: list[Phase]
    attempts: list[Attempt]
    success_status: int
    max_in_flight: int
    timeout: float
    elapsed: float
    bound: float

    def phase_start(self, number: int) -> float:
        return sum(phase.seconds for phase in self.phases[:number])

    def summary(self, number: int) -> PhaseSummary:
        phase = self.phases[number]
        start = self.phase_start(number)
        mine = [attempt for attempt in self.attempts if attempt.phase == number]
        sent = [attempt.sent for attempt in mine if attempt.sent is not None]
        answered = [attempt for attempt in mine if attempt.answered is not None]
        succeeded = [attempt.answered for attempt in answered if attempt.error is None]
        latencies = [attempt.latency * 1000 for attempt in answered]
        return PhaseSummary(
            rate=phase.rate,
            seconds=phase.seconds,
            scheduled=len(mine),
            sent=len(sent),
            answered=len(answered),
            succeeded=len(succeeded),
            errors=Counter(attempt.error for attempt in mine if attempt.error is not None),
            send_rate=rate_over(sent, start, phase.seconds),
            achieved_rate=rate_over(succeeded, start, phase.seconds),
            p50_ms=percentile(latencies, 0.5),
            p99_ms=percentile(latencies, 0.99),
            max_ms=max(latencies, default=0.0),
            max_send_delay_ms=max(
                ((attempt.sent - attempt.due) * 1000 for attempt in mine if attempt.sent is not None), default=0.0
            ),
        )

    @property
    def summaries(self) -> list[PhaseSummary]:
        return [self.summary(number) for number in range(len(self.phases))]

    @property
    def sent(self) -> int:
        return sum(attempt.sent is not None for attempt in self.attempts)

    @property
    def created(self) -> int:
        return sum(attempt.error is None for attempt in self.attempts)

    @property
    def errors(self) -> Counter:
        return Counter(attempt.error for attempt in self.attempts if attempt.error is not None)

    @property
    def ids(self) -> list[int]:
        return [attempt.report_id for attempt in self.attempts if attempt.report_id is not None]

    @property
    def achieved_rate(self) -> float:
        succeeded = [attempt.answered for attempt in self.attempts if attempt.error is None]
        return rate_over(succeeded, 0.0, sum(phase.seconds for phase in self.phases))


def report_request(host: str, path: str, index: int) -> bytes:
    """A report POST as the public API takes it, from its own client address (the bench runs with PROXY_COUNT=1)."""
    types = ("email", "letter", "tweet", "call", "fax", "other")
    countries = ("GB", "US", "DE", "FR", "KZ", "NL", "CA", "AU", "ES", "IT")
    body = json.dumps({"action_type": types[index % 6], "count": 1, "country": countries[index % 10]}).encode()
    head = (
        f"POST {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\nX-Forwarded-For: 10.{index // 62_500 % 256}.{index // 250 % 250}.{index % 250 + 1}\r\n"
        "Connection: close\r\n\r\n"
    )
    return head.encode() + body


def open_loop_reports(
    base_url: str,
    path: str,
    phases: list[Phase],
    *,
    max_in_flight: int = 1000,
    timeout: float = 10.0,
    success_status: int = 201,
) -> OpenLoopResult:
    """POST reports on an open-loop schedule: request n of a phase is due at the phase's start + n / rate.

    Each request leaves at its due time whatever happened to the ones before (on a connection of
    its own, as gunicorn's sync workers close every connection anyway), so a slow server gets the
    load that was asked and answers late, rather than being asked less. At most ``max_in_flight``
    requests are out at once; one that waits longer for a place than ``timeout`` after its due time
    is counted ``NOT_SENT``, one sent but unanswered by then ``NO_ANSWER``. So every request of the
    schedule ends as an answer or an error of its kind, and the run ends at the latest ``timeout``
    (plus a little) after the last due time.
    """
    host, port = base_url.removeprefix("http://").rstrip("/").split(":")
    return asyncio.run(_open_loop(host, int(port), path, phases, max_in_flight, timeout, success_status))


async def _open_loop(
    host: str, port: int, path: str, phases: list[Phase], max_in_flight: int, timeout: float, success_status: int
) -> OpenLoopResult:
    loop = asyncio.get_running_loop()
    attempts: list[Attempt] = []
    offset = 0.0
    for number, phase in enumerate(phases):
        attempts += [Attempt(number, len(attempts) + n, offset + n / phase.rate) for n in range(phase.count)]
        offset += phase.seconds
    last_due = attempts[-1].due if attempts else 0.0
    grace = 2.0
    places = asyncio.Semaphore(max_in_flight)
    start = loop.time() + 0.1

    def now() -> float:
        return loop.time() - start

    async def exchange(attempt: Attempt) -> None:
        reader, writer = await asyncio.open_connection(host, port)
        try:
            writer.write(report_request(f"{host}:{port}", path, attempt.index))
            await writer.drain()
            head = await reader.readuntil(b"\r\n\r\n")
            status_line, *header_lines = head.decode("latin-1").split("\r\n")
            headers = dict(line.lower().split(": ", 1) for line in header_lines if ": " in line)
            length = headers.get("content-length")
            body = await (reader.readexactly(int(length)) if length is not None else reader.read())
            attempt.answered = now()
            attempt.status = int(status_line.split()[1])
        finally:
            writer.close()
        if attempt.status != success_status:
            attempt.error = f"HTTP {attempt.status}"
            return
        try:
            attempt.report_id = int(json.loads(body)["id"])
        except (ValueError, KeyError, TypeError):
            attempt.error = NO_ID

    async def send(attempt: Attempt) -> None:
        try:
            async with asyncio.timeout_at(start + attempt.due + timeout), places:
                if now() >= attempt.due + timeout:
                    attempt.error = NOT_SENT
                    return
                attempt.sent = now()
                await exchange(attempt)
        except TimeoutError:
            attempt.error = NO_ANSWER if attempt.sent is not None else NOT_SENT
        except Exception as error:
            attempt.error = type(error).__name__

    running: set[asyncio.Task] = set()
    for attempt in attempts:
        while (delay := attempt.due - now()) > 0:
            await asyncio.sleep(delay)
        task = asyncio.create_task(send(attempt))
        running.add(task)
        task.add_done_callback(running.discard)
    if running:
        _, unfinished = await asyncio.wait(set(running), timeout=max(0.0, last_due + timeout + grace - now()))
        for task in unfinished:
            task.cancel()
        await asyncio.gather(*unfinished, return_exceptions=True)
    await asyncio.sleep(0)  # the closed connections' sockets are released on the next turn of the loop
    for attempt in attempts:
        if attempt.error is None and attempt.status is None:
            attempt.error = CUT_OFF
    return OpenLoopResult(
        phases=list(phases),
        attempts=attempts,
        success_status=success_status,
        max_in_flight=max_in_flight,
        timeout=timeout,
        elapsed=now(),
        bound=last_due + timeout + grace,
    )


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
