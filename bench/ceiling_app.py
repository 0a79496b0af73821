"""The ceiling: a bare Flask app on the same PostgreSQL, served by gunicorn like the real app.

``POST /insert`` parses a small JSON body, inserts one row and commits (the write ceiling);
``GET /read/<id>`` reads one row by primary key (the read ceiling). One psycopg connection per
gunicorn worker, opened on first use: nothing the real app does that a bare endpoint need not.
"""

from __future__ import annotations

import json
import os

import psycopg
from flask import Flask, Response, request

CEILING_TABLE_SQL = (
    "CREATE TABLE IF NOT EXISTS bench_ceiling "
    "(id bigserial PRIMARY KEY, case_id integer NOT NULL, action_type text NOT NULL, country text NOT NULL, "
    "count integer NOT NULL, created_at timestamptz NOT NULL DEFAULT now())"
)

app = Flask(__name__)
_connection: psycopg.Connection | None = None


def _database_url() -> str:
    return os.environ["CEILING_DATABASE_URL"].replace("postgresql+psycopg://", "postgresql://")


def connection() -> psycopg.Connection:
    """This worker's connection, opened once (a pool of one, as a sync worker serves one request at a time)."""
    global _connection
    if _connection is None or _connection.closed:
        _connection = psycopg.connect(_database_url())
    return _connection


@app.post("/insert")
def insert() -> Response:
    """Insert one row from the JSON body and commit."""
    body = json.loads(request.get_data())
    conn = connection()
    row = conn.execute(
        "INSERT INTO bench_ceiling (case_id, action_type, country, count) VALUES (%s, %s, %s, %s) RETURNING id",
        (1, body.get("action_type", "letter"), body.get("country", "GB"), int(body.get("count", 1))),
    ).fetchone()
    conn.commit()
    return Response(json.dumps({"id": row[0]}), status=201, mimetype="application/json")


@app.get("/read/<int:row_id>")
def read(row_id: int) -> Response:
    """Read one row by primary key."""
    conn = connection()
    row = conn.execute("SELECT id, action_type, country, count FROM bench_ceiling WHERE id = %s", (row_id,)).fetchone()
    conn.commit()
    body = {"id": row[0], "action_type": row[1], "country": row[2], "count": row[3]} if row else {}
    return Response(json.dumps(body), status=200, mimetype="application/json")
