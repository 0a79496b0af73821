"""Rendering a figures document as HTML, PDF (WeasyPrint, from the same templates) and CSV.

Every output is rendered from the plain document of ``campaign.figures.queries``, in the
document's language, so a snapshot's PDF and CSV say exactly what its canonical JSON says.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime

from flask import current_app, render_template
from flask_babel import force_locale, format_date, format_datetime
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from campaign import PROJECT_ROOT
from campaign.countries import country_name

ACTION_TYPE_LABELS = {
    "letter": _l("Letters"),
    "email": _l("Emails"),
    "fax": _l("Faxes"),
    "call": _l("Phone calls"),
    "tweet": _l("Tweets"),
    "other": _l("Other actions"),
}
DELIVERY_CHANNEL_LABELS = {
    "email": _l("by email"),
    "fax": _l("by fax"),
    "post": _l("by post"),
    "in_person": _l("in person"),
    "tweet": _l("by tweet"),
}
#: Cells a spreadsheet would read as a formula (or that hide one behind a tab or carriage return).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
#: CLDR puts it before "AM"/"PM"; the embedded CJK font has no glyph for it.
NARROW_NO_BREAK_SPACE = "\u202f"
FIGURES_CSS = PROJECT_ROOT / "static" / "css" / "figures.css"


@dataclass(frozen=True)
class SnapshotStamp:
    """What a snapshot's outputs print so that anyone can check them: the hash and where to verify it."""

    sha256: str
    verify_url: str


def verification_path(sha256: str) -> str:
    return f"/figures/verify/{sha256}"


def verification_url(sha256: str, base_url: str | None = None) -> str:
    """The public verification address: the configured ``PUBLIC_URL`` (else ``base_url``) and the path."""
    base = current_app.config.get("PUBLIC_URL") or (base_url or "").rstrip("/")
    return f"{base}{verification_path(sha256)}"


def action_type_label(code: str) -> str:
    label = ACTION_TYPE_LABELS.get(code)
    return str(label) if label is not None else code


def delivery_channel_label(code: str) -> str:
    label = DELIVERY_CHANNEL_LABELS.get(code)
    return str(label) if label is not None else code


def country_label(code: str) -> str:
    """The country's name in the current language (CLDR, through Babel), else its code."""
    return country_name(code)


def iso_date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def long_date(value: str | None) -> str:
    return format_date(iso_date(value), "long") if value else ""


def as_of_text(document: dict) -> str:
    """The "as of" time in the current language, in UTC and saying so."""
    moment = format_datetime(datetime.fromisoformat(document["as_of"]), "medium")
    return f"{moment.replace(NARROW_NO_BREAK_SPACE, ' ')} UTC"


def person_label(person: dict) -> str:
    if person.get("native_name"):
        return f"{person['name']} ({person['native_name']})"
    return person["name"]


def official_label(official: dict) -> str:
    """An official as the document names them: their own writing of their name where it has it, else the display name."""
    own_name = official.get("own_name")
    return own_name["text"] if own_name else official["display_name"]


def bar_percent(count: int, largest: int) -> float:
    """A bar's length in percent of the longest bar; a non-zero count is never drawn empty."""
    if not largest or not count:
        return 0.0
    return max(1.5, round(100 * count / largest, 1))


def template_helpers() -> dict:
    return {
        "figures_action_type": action_type_label,
        "figures_country": country_label,
        "figures_long_date": long_date,
        "figures_as_of": as_of_text,
        "figures_bar": bar_percent,
        "delivery_channel_label": delivery_channel_label,
    }


def render_figures_template(template: str, document: dict, locale: str, **context) -> str:
    """Render one of the figures templates in the given language."""
    with force_locale(locale):
        return render_template(template, document=document, **context)


def render_print_html(document: dict, stamp: SnapshotStamp | None) -> str:
    """The standalone page WeasyPrint turns into the PDF (same partial as the web page)."""
    return render_figures_template("figures/print.html", document, document["language"], stamp=stamp)


def render_pdf(document: dict, stamp: SnapshotStamp | None) -> bytes:
    """The figures as a one-page PDF with its fonts embedded; nothing is fetched from anywhere."""
    from weasyprint import CSS, HTML  # imported here: it costs about a second
    from weasyprint.urls import URLFetcher

    refuse_every_fetch = URLFetcher(allowed_protocols=())
    html = HTML(string=render_print_html(document, stamp), url_fetcher=refuse_every_fetch)
    stylesheet = CSS(string=FIGURES_CSS.read_text(encoding="utf-8"), url_fetcher=refuse_every_fetch)
    return html.write_pdf(stylesheets=[stylesheet])


def escape_cell(value: object) -> object:
    """Neutralise a text cell that a spreadsheet would run as a formula, by a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def _csv_rows(document: dict, stamp: SnapshotStamp | None) -> list[list[object]]:
    case = document["case"]
    figures = document["figures"]
    rows: list[list[object]] = [[_("Section"), _("Item"), _("Label"), _("Value")]]
    rows.append(["document", "title", _("Figures for officials"), ""])
    if case["ua_number"]:
        rows.append(["case", "ua_number", _("Urgent Action"), case["ua_number"]])
    if case["ai_index"]:
        rows.append(["case", "ai_index", _("Index"), case["ai_index"]])
    rows.append(["case", "headline", _("Case"), case["headline"]])
    for person in case["people"]:
        rows.append(["case", "person", _("Person at risk"), person_label(person)])
    for number, ask in enumerate(case["asks"], start=1):
        rows.append(["case", f"ask_{number}", _("Ask %(number)d", number=number), ask])
    if document["target"]:
        rows.append(["target", str(document["target"]["id"]), _("Addressed to"), official_label(document["target"])])
    rows.append(["figures", "as_of", _("As of"), document["as_of"]])
    rows.append(["figures", "period_from", _("Period from"), figures["period"]["from"] or ""])
    rows.append(["figures", "period_to", _("Period to"), figures["period"]["to"] or ""])
    if figures["addressed"]:
        addressed = figures["addressed"]
        rows.append(["figures", "addressed_total", _("Actions addressed to this official"), addressed["total"]])
        rows.append(["figures", "addressed_direct", _("Addressed to this official by name"), addressed["direct"]])
        rows.append(["figures", "addressed_all", _("Addressed to all officials"), addressed["to_all_targets"]])
    rows.append(["figures", "total", _("Total actions for the case"), figures["total"]])
    rows.append(["figures", "countries", _("Countries"), figures["countries"]])
    for action_type, count in figures["by_type"]:
        rows.append(["by_type", action_type, action_type_label(action_type), count])
    for code, count in figures["by_country"]:
        rows.append(["by_country", code, country_label(code), count])
    other = figures["other_countries"]
    if other["countries"]:
        label = _(
            "Other countries (%(countries)d, each with fewer than %(floor)d actions)",
            countries=other["countries"],
            floor=figures["country_floor"],
        )
        rows.append(["by_country", "other", label, other["actions"]])
    for row in figures["by_target"]:
        rows.append(["by_target", str(row["id"]), official_label(row), row["actions"]])
    rows.append(["by_target", "all", _("Addressed to all officials"), figures["to_all_targets"]])
    if stamp is not None:
        rows.append(["snapshot", "sha256", _("SHA-256 of the snapshot"), stamp.sha256])
        rows.append(["snapshot", "verify_url", _("Verify at"), stamp.verify_url])
    return rows


def render_csv(document: dict, stamp: SnapshotStamp | None) -> str:
    """The figures as CSV (UTF-8 with a byte-order mark, which spreadsheets need to read Chinese)."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, lineterminator="\r\n")
    with force_locale(document["language"]):
        for row in _csv_rows(document, stamp):
            writer.writerow([escape_cell(value) for value in row])
    return buffer.getvalue()
