"""A supporter's emails speak their language all through: the case's headline from its translation where
one exists, and an HTML part laid out in the language's direction."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from campaign.cases.models import CaseTranslation
from campaign.reminders.operations import create_reminder
from campaign.supporters.operations import confirmation_email
from tests.reminders.helpers import add_supporter, body_html, body_text, outbox_emails, send_due

HEADLINES = {"ar": "فنانة كازاخية معرضة لخطر التعذيب", "kk": "Суретші әйел азаптау қаупінде тұр"}


def translated_case(db, make_case):
    case = make_case()
    for language, headline in HEADLINES.items():
        db.session.add(CaseTranslation(case_id=case.id, language=language, headline=headline, asks=[]))
    db.session.commit()
    return case


def test_a_reminder_carries_the_headline_of_the_readers_translation_and_their_direction(db, make_case, outbox):
    case = translated_case(db, make_case)
    for language in ("ar", "kk", "en"):
        add_supporter(f"reader-{language}@example.org", case.id, language=language)
    create_reminder(case, send_at=datetime.now(UTC) - timedelta(minutes=1), actor_label="staff@example.org")
    db.session.commit()

    send_due()
    send_due()

    sent = {str(message["To"]).split("-", 1)[1].split("@")[0]: message for message in outbox_emails(outbox)}
    assert sorted(sent) == ["ar", "en", "kk"]
    for language, headline in HEADLINES.items():
        assert headline in str(sent[language]["Subject"])
        assert headline in body_text(sent[language])
        assert headline in body_html(sent[language])
        assert case.headline not in body_text(sent[language])
    assert 'lang="ar" dir="rtl"' in body_html(sent["ar"])
    assert 'lang="kk" dir="ltr"' in body_html(sent["kk"])
    assert case.headline in str(sent["en"]["Subject"])


def test_the_confirmation_email_names_the_cases_in_the_readers_language(db, make_case):
    case = translated_case(db, make_case)
    other = make_case(headline="A case with no Kazakh translation")
    supporter = add_supporter("reader@example.org", case.id, language="kk", is_confirmed=False)
    add_supporter("other@example.org", other.id)

    email = confirmation_email(supporter)

    assert HEADLINES["kk"] in email.text and HEADLINES["kk"] in email.html
    assert case.headline not in email.text
    assert 'dir="ltr"' in email.html
