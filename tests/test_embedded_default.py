"""The embedded default that ``make run`` serves: SQLite in instance/, no service, demo data."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from campaign.extensions import dispose_engines
from tests.public.forms import report_form_data

PROJECT_ROOT = Path(__file__).resolve().parent.parent
FLASK = [sys.executable, "-m", "flask", "--app", "wsgi"]
SERVICE_VARIABLES = ("DATABASE_URL", "REDIS_URL", "SECRET_KEY", "MAIL_URL")


def run_flask(instance: Path, *arguments: str) -> subprocess.CompletedProcess:
    environment = {key: value for key, value in os.environ.items() if key not in SERVICE_VARIABLES}
    environment["INSTANCE_PATH"] = str(instance)
    return subprocess.run(
        [*FLASK, *arguments], cwd=PROJECT_ROOT, env=environment, capture_output=True, text=True, timeout=120
    )


def test_migrations_and_demo_load_run_on_sqlite_with_no_service_and_twice_change_nothing(tmp_path):
    upgrade = run_flask(tmp_path, "db", "upgrade")
    first = run_flask(tmp_path, "demo", "load")
    with sqlite3.connect(tmp_path / "campaign.sqlite3") as connection:
        counts = connection.execute(
            'SELECT (SELECT count(*) FROM "case"), (SELECT count(*) FROM action_report), (SELECT count(*) FROM target)'
        ).fetchone()
    second = run_flask(tmp_path, "demo", "load")
    with sqlite3.connect(tmp_path / "campaign.sqlite3") as connection:
        counts_again = connection.execute(
            'SELECT (SELECT count(*) FROM "case"), (SELECT count(*) FROM action_report), (SELECT count(*) FROM target)'
        ).fetchone()

    assert upgrade.returncode == 0, upgrade.stderr
    assert first.returncode == 0, first.stderr
    assert second.returncode == 0, second.stderr
    assert counts[0] >= 6 and counts[1] >= 200
    assert counts_again == counts
    assert (tmp_path / "secret_key").exists()


def test_a_report_through_the_form_raises_the_total_on_the_embedded_default(tmp_path, monkeypatch):
    from campaign import create_app
    from campaign.actions.totals import case_total
    from campaign.demo.loader import load_demo
    from config import Config

    for name in SERVICE_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("INSTANCE_PATH", str(tmp_path))
    assert run_flask(tmp_path, "db", "upgrade").returncode == 0
    app = create_app(Config.from_environment())
    from datetime import date

    with app.app_context():
        load_demo(today=date.today())
        from campaign.cases.models import CaseStatus
        from campaign.cases.queries import public_cases

        case = public_cases(CaseStatus.ACTIVE)[0]
        slug, before = case.slug, case_total(case.id)
    client = app.test_client()
    data = report_form_data(client, slug, action_type="letter", count=3, country="KZ")

    answer = client.post(f"/cases/{slug}/report", data=data)

    assert answer.status_code == 303
    with app.app_context():
        assert case_total(case.id) == before + 3
        dispose_engines()
    assert str(before + 3) in client.get(f"/cases/{slug}").get_data(as_text=True).replace(",", "")
