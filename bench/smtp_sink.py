"""A local SMTP sink (aiosmtpd) that accepts every message and counts them and their Message-IDs.

Run as ``python -m bench.smtp_sink PORT STATS_FILE``; every 0.2 s it writes
``{"messages", "unique", "duplicates"}`` to STATS_FILE, replaced atomically.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import signal
import sys
import threading
import time

from aiosmtpd.controller import Controller

MESSAGE_ID = re.compile(rb"^Message-ID:\s*(\S+)", re.IGNORECASE | re.MULTILINE)


class CountingHandler:
    """Counts messages; a Message-ID seen before counts as a duplicate."""

    def __init__(self) -> None:
        self.messages = 0
        self.duplicates = 0
        self.seen: set[bytes] = set()

    async def handle_DATA(self, server, session, envelope) -> str:
        self.messages += 1
        match = MESSAGE_ID.search(envelope.original_content or b"")
        key = match.group(1) if match else str(self.messages).encode()
        if key in self.seen:
            self.duplicates += 1
        else:
            self.seen.add(key)
        return "250 OK"

    def stats(self) -> dict:
        return {"messages": self.messages, "unique": len(self.seen), "duplicates": self.duplicates}


def write_stats(path: str, stats: dict) -> None:
    temporary = f"{path}.tmp"
    with open(temporary, "w") as handle:
        json.dump(stats, handle)
    os.replace(temporary, path)


def main() -> None:
    port, stats_path = int(sys.argv[1]), sys.argv[2]
    handler = CountingHandler()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    stopping = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopping.set())
    signal.signal(signal.SIGINT, lambda *_: stopping.set())
    try:
        while not stopping.is_set():
            write_stats(stats_path, handler.stats())
            time.sleep(0.2)
    finally:
        write_stats(stats_path, handler.stats())
        controller.stop()


if __name__ == "__main__":
    asyncio.set_event_loop_policy(None)
    main()
