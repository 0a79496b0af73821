"""The open-loop load generator against a deliberately slow server of the test's own on 127.0.0.1.

Timing on a shared machine is noisy, so every assertion is a count, an ordering or a generous
ratio: a slower machine can only make the server look slower, which the assertions allow.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import threading
import time

import pytest

from bench.load import CUT_OFF, NO_ANSWER, NOT_SENT, Phase, open_loop_reports

SERVICE_SECONDS = 0.05


class SlowServer:
    """Answers each request 201 with a JSON id after ``SERVICE_SECONDS``, ``concurrency`` at a time; or never.

    It runs its own event loop in a thread of its own, started and stopped by the test.
    """

    def __init__(self, concurrency: int = 2, *, answers: bool = True) -> None:
        self.concurrency = concurrency
        self.answers = answers
        self.received = 0
        self.loop = asyncio.new_event_loop()
        self.ready = threading.Event()
        self.thread = threading.Thread(target=self._serve, name="slow-server", daemon=True)
        self.thread.start()
        assert self.ready.wait(10), "the test server did not start"

    def _serve(self) -> None:
        asyncio.set_event_loop(self.loop)
        self.serving = asyncio.Semaphore(self.concurrency)
        self.server = self.loop.run_until_complete(asyncio.start_server(self._answer, "127.0.0.1", 0, backlog=1024))
        self.url = f"http://127.0.0.1:{self.server.sockets[0].getsockname()[1]}"
        self.ready.set()
        self.loop.run_forever()
        self.server.close()
        self.loop.run_until_complete(self.server.wait_closed())
        self.loop.close()

    async def _answer(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            head = await reader.readuntil(b"\r\n\r\n")
            length = next(
                int(line.split(b":", 1)[1])
                for line in head.split(b"\r\n")
                if line.lower().startswith(b"content-length")
            )
            await reader.readexactly(length)
            self.received += 1
            number = self.received
            if not self.answers:
                await reader.read()
                return
            async with self.serving:
                await asyncio.sleep(SERVICE_SECONDS)
            body = f'{{"id": {number}}}'.encode()
            writer.write(
                b"HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nConnection: close\r\n"
                + f"Content-Length: {len(body)}\r\n\r\n".encode()
                + body
            )
            await writer.drain()
        except (OSError, asyncio.IncompleteReadError):
            pass
        finally:
            writer.close()

    def stop(self) -> None:
        async def finish_answers() -> None:
            self.server.close()
            answering = asyncio.all_tasks() - {asyncio.current_task()}
            if answering:
                await asyncio.wait(answering, timeout=5)

        asyncio.run_coroutine_threadsafe(finish_answers(), self.loop).result(10)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)
        assert not self.thread.is_alive()


@pytest.fixture
def slow_server():
    servers: list[SlowServer] = []

    def start(concurrency: int = 2, *, answers: bool = True) -> SlowServer:
        servers.append(SlowServer(concurrency, answers=answers))
        return servers[-1]

    yield start
    for server in servers:
        server.stop()


def open_descriptors() -> set[str]:
    return set(os.listdir("/proc/self/fd"))


@contextlib.contextmanager
def leaves_nothing_running():
    """The block starts no thread and opens no descriptor that outlives it."""
    threads, descriptors = set(threading.enumerate()), open_descriptors()
    yield
    assert set(threading.enumerate()) == threads
    # The test's server shares this process and closes its side of each connection on its own thread.
    deadline = time.monotonic() + 5
    while not open_descriptors() <= descriptors and time.monotonic() < deadline:
        time.sleep(0.05)
    assert open_descriptors() <= descriptors


def test_requests_leave_on_schedule_when_the_answers_are_slow(slow_server):
    server = slow_server(concurrency=2)  # at most 2 / 50 ms = 40 answers a second
    asked = Phase(rate=80, seconds=1.5)

    with leaves_nothing_running():
        result = open_loop_reports(server.url, "/reports", [asked], max_in_flight=500, timeout=20)
    phase = result.summary(0)

    assert phase.scheduled == phase.sent == phase.answered == phase.succeeded == 120
    assert not phase.errors and sorted(result.ids) == list(range(1, 121))
    assert all(attempt.sent >= attempt.due for attempt in result.attempts), "never early"
    assert 0.8 <= phase.send_rate / asked.rate <= 1.0, "sent at the asked rate although answers come at half of it"
    assert phase.achieved_rate / asked.rate <= 0.75, "the achieved rate is what came back, not what was sent"
    latencies = [attempt.latency for attempt in result.attempts]
    assert min(latencies) >= SERVICE_SECONDS
    assert sum(latencies[-30:]) > 3 * sum(latencies[:30]), "the server's queue shows in the later requests' latency"
    assert phase.p99_ms >= 10 * SERVICE_SECONDS * 1000


def test_latency_counts_waiting_in_the_client_and_nothing_is_dropped(slow_server):
    server = slow_server(concurrency=8)
    asked = Phase(rate=100, seconds=1)

    with leaves_nothing_running():
        result = open_loop_reports(server.url, "/reports", [asked], max_in_flight=2, timeout=1.0)
    phase = result.summary(0)

    answered = [attempt for attempt in result.attempts if attempt.answered is not None]
    assert phase.scheduled == 100 and len(result.attempts) == 100
    assert phase.answered + sum(phase.errors.values()) == 100, "every request is an answer or an error"
    assert phase.errors, "two places at 50 ms cannot take 100 a second"
    assert set(phase.errors) <= {NOT_SENT, NO_ANSWER}, "those that waited too long for a place are errors"
    assert phase.answered == phase.succeeded >= 10
    assert all(attempt.latency >= attempt.answered - attempt.sent for attempt in answered)
    waited = [attempt.sent - attempt.due for attempt in answered]
    assert max(waited) >= 0.3, "requests queued in the client for their place"
    assert phase.p99_ms >= 300, "and the queueing is in the latency"
    assert phase.achieved_rate <= 0.5 * asked.rate


def test_a_server_that_never_answers_cannot_hold_the_run(slow_server):
    server = slow_server(answers=False)
    asked = Phase(rate=40, seconds=0.5)

    started = time.monotonic()
    with leaves_nothing_running():
        result = open_loop_reports(server.url, "/reports", [asked], max_in_flight=100, timeout=0.5)
    took = time.monotonic() - started

    assert result.errors == {NO_ANSWER: 20}
    assert result.elapsed <= result.bound < 3.0
    assert took <= 2 * result.bound


def test_nothing_listening_is_an_error_for_every_request():
    from bench.procs import free_port

    with leaves_nothing_running():
        result = open_loop_reports(f"http://127.0.0.1:{free_port()}", "/reports", [Phase(50, 0.2)], timeout=0.5)

    assert result.errors == {"ConnectionRefusedError": 10}
    assert CUT_OFF not in result.errors and result.sent == 10 and not result.ids
