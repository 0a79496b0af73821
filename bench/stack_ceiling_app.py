"""The stack's ceiling: the project's own app with one more route, the bare insert through the project's stack.

``POST /api/v1/bench/insert`` does what ``bench/ceiling_app.py``'s ``/insert`` does (parse a small JSON body,
insert one row into ``bench_ceiling``, commit) inside everything the project installs around a view: Flask with
the app's extensions and request hooks, Flask-Limiter's wrapper (the reports' limit), SQLAlchemy's session and
pool around the statement and its commit, the JSON answer. Under ``/api/`` it gets what the JSON API gets (no
session, no CSRF check). The gap between the two ceilings is the framework's; the gap between this one and a
report is the report's own work (validation, the repeat check, the report's insert and its total).
"""

from __future__ import annotations

import json

from flask import Response, current_app, request
from sqlalchemy import text

from campaign.extensions import csrf, db, limiter
from wsgi import app

_INSERT = text(
    "INSERT INTO bench_ceiling (case_id, action_type, country, count) "
    "VALUES (1, :action_type, :country, :count) RETURNING id"
)


@app.post("/api/v1/bench/insert")
@csrf.exempt
@limiter.shared_limit(lambda: current_app.config["RATELIMIT_REPORTS"], scope="reports")
def stack_insert() -> Response:
    """Insert one row from the JSON body through the project's session and commit."""
    body = json.loads(request.get_data())
    row_id = db.session.execute(
        _INSERT,
        {
            "action_type": body.get("action_type", "letter"),
            "country": body.get("country", "GB"),
            "count": int(body.get("count", 1)),
        },
    ).scalar_one()
    db.session.commit()
    response = current_app.json.response({"id": row_id})
    response.status_code = 201
    return response
