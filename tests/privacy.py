"""Searching what the app stored, logged and cached for a client's network address."""

from __future__ import annotations

import re

import redis
from sqlalchemy import select

#: The addresses tests send from: the documentation ranges of RFC 5737 and RFC 3849.
TEST_CLIENT_ADDRESSES = re.compile(r"203\.0\.113\.\d{1,3}|2001:db8::\w+")


def database_text(db) -> str:
    """Every value of every row of every table, as one text."""
    chunks = []
    for table in db.metadata.sorted_tables:
        for row in db.session.execute(select(table)):
            chunks.append(" ".join(str(value) for value in row))
    return "\n".join(chunks)


def redis_text(url: str) -> str:
    """Every key and every value in one Redis database, as one text."""
    client = redis.Redis.from_url(url)
    chunks = []
    try:
        for key in client.scan_iter(count=500):
            chunks.append(key.decode(errors="replace"))
            kind = client.type(key).decode()
            if kind == "string":
                chunks.append((client.get(key) or b"").decode(errors="replace"))
            elif kind == "hash":
                chunks.extend(f"{k!r} {v!r}" for k, v in client.hgetall(key).items())
            elif kind in {"list"}:
                chunks.extend(repr(item) for item in client.lrange(key, 0, -1))
            elif kind in {"set"}:
                chunks.extend(repr(item) for item in client.smembers(key))
            elif kind == "zset":
                chunks.extend(repr(item) for item in client.zrange(key, 0, -1))
    finally:
        client.close()
    return "\n".join(chunks)


def addresses_in(text: str) -> list[str]:
    return TEST_CLIENT_ADDRESSES.findall(text)
