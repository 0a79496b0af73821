"""Filters and globals the templates use."""

from __future__ import annotations

from datetime import date

from flask import Flask
from flask_babel import format_date, get_locale
from markupsafe import Markup

from campaign.actions.hold_reasons import held_reason_text
from campaign.cases.translations import letters_for_reader, localised_case
from campaign.countries import country_choices, country_name
from campaign.text import render_markdown


def days_left(deadline: date | None, today: date | None = None) -> int | None:
    if deadline is None:
        return None
    return (deadline - (today or date.today())).days


def language_name(code: str) -> str:
    from babel import Locale, UnknownLocaleError

    try:
        return Locale.parse(code.replace("-", "_")).get_display_name(str(get_locale())) or code
    except (ValueError, UnknownLocaleError):
        return code


def percent(part: int, whole: int | None) -> int:
    if not whole:
        return 0
    return min(100, round(100 * part / whole))


def init_app(app: Flask) -> None:
    app.jinja_env.filters["markdown"] = lambda source: Markup(render_markdown(source))  # noqa: S704 (sanitised by nh3)
    app.jinja_env.filters["country_name"] = country_name
    app.jinja_env.filters["held_reason"] = held_reason_text
    app.jinja_env.filters["language_name"] = language_name
    app.jinja_env.filters["date"] = lambda value, format="long": format_date(value, format) if value else ""
    app.jinja_env.globals["days_left"] = days_left
    app.jinja_env.globals["get_locale"] = get_locale
    app.jinja_env.globals["percent"] = percent
    app.jinja_env.globals["all_countries"] = country_choices
    app.jinja_env.globals["case_words"] = lambda case: localised_case(case, get_locale())
    app.jinja_env.globals["case_letters"] = lambda case: letters_for_reader(case, get_locale())
