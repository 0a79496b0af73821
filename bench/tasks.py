"""The trivial Celery task whose drain rate is the fan-out's ceiling; the worker loads it with ``--include bench.tasks``."""

from __future__ import annotations

import os

import redis
from celery import shared_task

TRIVIAL_TASK = "bench.trivial"
DONE_KEY = "bench:trivial:done"
_client: redis.Redis | None = None


@shared_task(name=TRIVIAL_TASK, ignore_result=True)
def trivial() -> None:
    """Count itself done in Redis and nothing else."""
    global _client
    if _client is None:
        _client = redis.Redis.from_url(os.environ["REDIS_URL"])
    _client.incr(DONE_KEY)
