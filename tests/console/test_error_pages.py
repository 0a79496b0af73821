"""The project's own error pages: in the console's layout under /console, in the public layout elsewhere."""

from __future__ import annotations

from tests.accounts.helpers import log_in


def test_a_missing_console_page_is_the_consoles_own_404(organiser_client, db):
    answer = organiser_client.get("/console/cases/999999")

    page = answer.get_data(as_text=True)
    assert answer.status_code == 404
    assert "Page not found" in page and "Go to the console" in page
    assert 'class="console-menu"' in page and "Werkzeug" not in page


def test_a_missing_public_page_is_the_public_404(client, db):
    answer = client.get("/cases/no-such-case-at-all")

    page = answer.get_data(as_text=True)
    assert answer.status_code == 404
    assert "Page not found" in page and "Go to the list of cases" in page
    assert 'class="console-menu"' not in page


def test_a_role_the_account_lacks_gives_the_consoles_403_with_a_sentence(client, db, staff):
    log_in(client, staff.email)
    answer = client.get("/console/review")

    page = answer.get_data(as_text=True)
    assert answer.status_code == 403
    assert "You cannot see this page" in page and "Ask an admin" in page
    assert "You don't have the permission" not in page
